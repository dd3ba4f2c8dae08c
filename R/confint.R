#' Confidence intervals for the coefficients of an mleglm fit
#'
#' `method = "profile"` (default) gives profile-likelihood intervals: the
#' values \eqn{b} of \eqn{\beta_j} that a likelihood-ratio test at level
#' \eqn{1 - } `level` does not reject, the solutions of
#' \eqn{z(b) = \pm\Phi^{-1}((1 + \mathrm{level}) / 2)}{z(b) = +-qnorm((1 + level) / 2)} with \eqn{z} the signed
#' root of [profile.mleglm()]. Each endpoint is found by Newton's method on
#' \eqn{z(b)}, started at the Wald endpoint, with the exact derivative
#' \eqn{dz/db = -U_j / z} and a bracket; each evaluation is a warm-started
#' refit of the other coefficients by the C++ Newton solver. Once
#' \eqn{|z - q| < 10^{-6}}{|z - q| < 1e-6} the last Newton step, exact to second order, is
#' taken without another refit, so the endpoints are solved, not
#' interpolated, to about \eqn{10^{-12}}{1e-12} on the \eqn{z} scale, at a cost of
#' about two refits per endpoint. An interval that the likelihood does not close on one side
#' (the profile stays above the cutoff however far it goes, as under
#' separation) is reported as `-Inf` or `Inf` with a warning of class
#' `mleglm_warning_interval_unbounded`. If profiling finds a log-likelihood
#' higher than the fit's, the model is refitted with a warning of class
#' `mleglm_warning_profile`, and the intervals are those of the refitted
#' model.
#'
#' For the binomial and Poisson families the intervals are those of
#' `confint(glm(...))` (`MASS`'s profile method in \R 4.2), up to its spline
#' interpolation. For families with a dispersion they differ by design:
#' `MASS` holds the dispersion at glm's Pearson estimate and so, for the
#' Gaussian, returns the Wald interval with glm's standard errors, whereas
#' here the dispersion is profiled out by maximum likelihood.
#'
#' `method = "wald"` gives \eqn{\hat\beta_j \pm \Phi^{-1}((1 + \mathrm{level})/2)\,
#' \mathrm{se}_j}{beta-hat_j +- qnorm((1 + level) / 2) se_j}, with standard errors from `vcov(object, type = vcov)`.
#'
#' @param object An `"mleglm"` object.
#' @param parm Coefficients: names or positions; by default all.
#' @param level Confidence level.
#' @param method `"profile"` or `"wald"`.
#' @param vcov For `method = "wald"`: the covariance, as in [vcov.mleglm()].
#' @param ... Unused.
#' @return A matrix with one row per coefficient and columns for the lower
#'   and upper limits, labelled in percent as [stats::confint()] does; `NA`
#'   for aliased coefficients.
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' confint(f)
#' confint(f, method = "wald")
#' @export
confint.mleglm <- function(object, parm = NULL, level = 0.95, method = c("profile", "wald"),
                           vcov = c("observed", "expected", "sandwich", "glm"), ...) {
  method <- match_choice(method, c("profile", "wald"), "method")
  check_number(level, "level", lower = 0, upper = 1, open_lower = TRUE, kind = "input")
  if (level >= 1) abort("input", "`level` must be below 1.")
  parm <- profile_parm(object, parm, aliased = TRUE)
  probs <- c((1 - level) / 2, (1 + level) / 2)
  q <- stats::qnorm(probs[2L])
  ci <- matrix(NA_real_, length(parm), 2L,
               dimnames = list(parm, paste(format(100 * probs, trim = TRUE, scientific = FALSE,
                                                  digits = 3), "%")))
  if (method == "wald") {
    v <- vcov.mleglm(object, type = vcov)
    est <- object$coefficients[parm]
    se <- sqrt(diag(v)[parm])
    ci[] <- cbind(est - q * se, est + q * se)
    return(ci)
  }
  run <- with_profile_refits(object, function(object) {
    state <- profile_state(object)
    lapply(parm, function(name) profile_interval(state, name, q))
  })
  bounds <- run$result
  for (i in seq_along(parm)) ci[i, ] <- bounds[[i]]
  unbounded <- !is.na(ci) & is.infinite(ci)
  if (any(unbounded)) {
    sides <- apply(unbounded, 1L, function(u) paste(c("below", "above")[u], collapse = " and "))
    rows <- rowSums(unbounded) > 0
    warn("interval_unbounded", sprintf(paste(
      "The profile likelihood does not fall to the %g%% cutoff %s for %s: the interval is unbounded there.",
      "The estimate may be infinite (separation, or an all-zero group); see the fit's warnings."),
      100 * level, paste(unique(sides[rows]), collapse = "/"),
      paste(sprintf("'%s'", parm[rows]), collapse = ", ")))
  }
  ci
}

# Both endpoints for one coefficient; NA for an aliased one.
profile_interval <- function(state, name, q) {
  j <- match(name, names(state$beta))
  if (is.na(j)) return(c(NA_real_, NA_real_))
  c(profile_bound(state, j, -1, q), profile_bound(state, j, 1, q))
}

# Solves z(b) = sgn q on one side of the estimate. Newton steps on z(b),
# which is close to linear, are kept inside a bracket once the cutoff has
# been passed, and replaced by bisection when they do not halve it; before
# that the distance from the estimate at most doubles per step. Each refit
# starts from the coefficients extrapolated from the last two points, or
# interpolated between the ends of the bracket. The side is unbounded when z
# stays below the cutoff up to `reach` times the larger of the estimate and
# its standard error: far enough to cross a plateau on which a fit under
# separation stops, however far out it stopped.
profile_bound <- function(state, j, sgn, q, tol = 1e-6, max_iter = 200L, reach = 1e3) {
  b_hat <- state$beta[[j]]
  se <- state$se[[j]]
  target <- sgn * q
  limit <- reach * max(abs(b_hat), se)
  inside <- list(b = b_hat, z = 0, coef = unname(state$beta[-j]))  # last point with |z| < q
  beyond <- NULL                                                   # nearest point past the cutoff
  last <- inside
  previous <- NULL
  width <- Inf
  b <- b_hat + sgn * q * se
  for (iter in seq_len(max_iter)) {
    start <- if (is.null(beyond) || is.null(beyond$coef)) {
      warm_start(state, j, last, previous, b)
    } else {
      warm_start(state, j, inside, beyond, b)
    }
    pt <- profile_point(state, j, b, start)
    newton <- NA
    if (pt$ok) {
      if (is.finite(pt$slope) && pt$slope > 0) newton <- pt$b + (target - pt$z) / pt$slope
      # Close enough for the last Newton step to be exact to second order
      # (an error of 1e-6 in z leaves about 1e-12): take it without a refit.
      if (abs(pt$z - target) <= tol && !is.na(newton)) return(newton)
      if (abs(pt$z) < q) inside <- pt else beyond <- pt
      previous <- last
      last <- pt
    } else {
      # No valid fit at b: the parameter space ends between `inside` and b.
      beyond <- pt
    }
    if (is.null(beyond)) {
      distance <- abs(pt$b - b_hat)
      if (distance >= limit) return(sgn * Inf)
      outward <- !is.na(newton) && (newton - pt$b) * sgn > 0 && abs(newton - b_hat) <= 2 * distance
      b <- if (outward) newton else b_hat + sgn * min(2 * distance, limit)
    } else {
      new_width <- abs(beyond$b - inside$b)
      if (new_width <= 1e-12 * max(abs(inside$b), abs(beyond$b))) {
        return(bracket_end(state, j, inside, beyond, q))
      }
      between <- !is.na(newton) && (newton - inside$b) * (newton - beyond$b) < 0
      b <- if (between && new_width <= width / 2) newton else (inside$b + beyond$b) / 2
      width <- new_width
    }
  }
  abort("profile", sprintf("The profile interval for '%s' did not converge in %d refits.",
                           names(state$beta)[j], max_iter))
}

# A bracket that shrank to nothing without Newton's method converging: the
# end of the parameter space (no valid fit beyond), or a jump in the profile,
# which a continuous likelihood cannot have: refits that failed. NA then,
# with a warning, rather than a number that is not an interval endpoint.
bracket_end <- function(state, j, inside, beyond, q) {
  if (!isTRUE(beyond$ok)) return(inside$b)
  if (abs(beyond$z) <= 2 * q) return((inside$b + beyond$b) / 2)
  warn("profile", sprintf(paste(
    "The profile of '%s' jumps near %s (z from %s to %s): the refits there failed, as they can when",
    "estimates are huge (separation); that end of the interval is NA."),
    names(state$beta)[j], format(inside$b, digits = 6), format(inside$z, digits = 3),
    format(beyond$z, digits = 3)))
  NA_real_
}
