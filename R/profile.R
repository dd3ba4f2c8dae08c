#' Profile the log-likelihood of an mleglm fit
#'
#' For each coefficient \eqn{\beta_j} in `which`, the profile log-likelihood
#' \eqn{\ell_p(b) = \max \ell(\beta)}{logLik_p(b) = max logLik(beta)} over the other coefficients (and the
#' dispersion) subject to \eqn{\beta_j = b}. Each point is a refit by the
#' package's C++ Newton solver with \eqn{x_j b} moved into the offset, started
#' from the previous point's solution (extrapolated along the profile), so a
#' point costs one or two Newton steps.
#'
#' The profile is reported on the signed-root scale
#' \eqn{z(b) = \mathrm{sign}(b - \hat\beta_j)\sqrt{2(\ell(\hat\beta) - \ell_p(b))}}{z(b) = sign(b - beta-hat_j) sqrt(2 (logLik(beta-hat) - logLik_p(b)))},
#' which is the standard normal quantile of a likelihood-ratio test of
#' \eqn{\beta_j = b} and a straight line, \eqn{(b - \hat\beta_j) / \mathrm{se}_j}{(b - beta-hat_j) / se_j},
#' when the log-likelihood is quadratic (the Wald approximation). The steps
#' are those of `MASS`'s `profile.glm()`: `del` standard errors at a time,
#' at most `maxsteps` each way, until \eqn{|z|} exceeds the
#' \eqn{1 - \alpha} quantile. Unlike `profile.glm()`, the dispersion of the
#' Gaussian, Gamma and inverse Gaussian families is profiled out by maximum
#' likelihood too, so \eqn{z} is a likelihood-ratio statistic for every
#' family.
#'
#' If a profile finds a log-likelihood higher than the fit's (the fit had not
#' reached its maximum), the model is refitted from that point, a warning of
#' class `mleglm_warning_profile` says so, and profiling restarts from the
#' new fit, which is returned as the `"original.fit"` attribute.
#'
#' @param fitted An `"mleglm"` object.
#' @param which Coefficients to profile: names or positions in `coef(fitted)`;
#'   by default all that are not aliased.
#' @param alpha The profile extends to \eqn{|z| = \Phi^{-1}(1 - \alpha/2)}{|z| = qnorm(1 - alpha/2)}.
#' @param maxsteps Maximum number of steps each way.
#' @param del Step length in standard errors (observed information).
#' @param ... Unused.
#' @return An object of class `"mleglm_profile"`: a list with one data frame
#'   per coefficient, with columns `z` and `par.vals` (a matrix of all
#'   coefficients along the profile), sorted by `z`, as `MASS::profile.glm()`
#'   returns. Attributes `original.fit` and `std.err`. [plot.mleglm_profile()]
#'   draws it.
#' @seealso [confint.mleglm()], which finds the interval endpoints exactly.
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' pr <- profile(f, which = "age")
#' head(pr$age)
#' plot(pr)
#' @export
profile.mleglm <- function(fitted, which = NULL, alpha = 0.01, maxsteps = 10L,
                           del = zmax / 5, ...) {
  check_number(alpha, "alpha", lower = 0, upper = 1, open_lower = TRUE, kind = "input")
  check_count(maxsteps, "maxsteps", upper = 1000, kind = "input")
  zmax <- stats::qnorm(1 - alpha / 2)
  check_number(del, "del", lower = 0, upper = 100, open_lower = TRUE, kind = "input")
  parm <- profile_parm(fitted, which)
  run <- with_profile_refits(fitted, function(object) {
    state <- profile_state(object)
    out <- lapply(parm, function(name) profile_grid(state, name, zmax, del, maxsteps))
    names(out) <- parm
    list(profiles = out, state = state)
  })
  structure(run$result$profiles, original.fit = run$object, std.err = run$result$state$se,
            class = "mleglm_profile")
}

# ---- shared machinery -------------------------------------------------------

# Coefficient names from `parm` (names or positions), aliased ones kept: the
# callers return NA for them. By default all, or all that are not aliased.
profile_parm <- function(object, parm, aliased = FALSE) {
  all_names <- names(object$coefficients)
  if (is.null(parm)) return(if (aliased) all_names else all_names[!object$aliased])
  if (is.numeric(parm) && all(parm == round(parm)) && all(parm >= 1 & parm <= length(all_names))) {
    return(all_names[parm])
  }
  if (is.character(parm) && all(parm %in% all_names)) return(parm)
  abort("input", sprintf("`parm` must name coefficients (%s) or give their positions 1 to %d.",
                         paste(all_names, collapse = ", "), length(all_names)))
}

# What every profile point needs, computed once per fit.
profile_state <- function(object) {
  lik <- kind_prepare(object)
  beta <- kind_estimate(object)
  v <- suppressWarnings(coef_vcov(object, "observed", all = TRUE))
  if (anyNA(v) && !is.null(object$information$expected)) v <- coef_vcov(object, "expected", all = TRUE)
  if (anyNA(v)) {
    abort("numerical", "The information matrix is singular at the estimate; the likelihood cannot be profiled.")
  }
  list(object = object, lik = lik, beta = beta, l0 = object$loglik, v = v, se = sqrt(diag(v)))
}

# A fit that is not at its maximum (a refit from it gains more than
# rounding) is replaced by the refit before profiling, and a profile that
# finds a higher likelihood restarts from a refit there; three restarts that
# all find more mean the likelihood has no finite maximum. Each refit is
# reported by a warning of class mleglm_warning_profile.
with_profile_refits <- function(object, compute) {
  # Only a predicted gain triggers the refit: a converged fit pays nothing.
  if (newton_gain(object) > 1e-6) {
    refitted <- refit_from(object, coef(object, complete = FALSE))
    if (refitted$loglik - object$loglik > 5e-7) {
      warn_refitted(object, refitted, sprintf(
        "a refit from the estimate raises the log-likelihood by %s",
        format(refitted$loglik - object$loglik, digits = 3)))
      object <- refitted
    }
  }
  for (attempt in 1:4) {
    result <- tryCatch(compute(object), mleglm_profile_restart = function(e) e)
    if (!inherits(result, "mleglm_profile_restart")) {
      return(list(object = object, result = result))
    }
    if (attempt == 4L) break
    refitted <- refit_from(object, result$beta)
    warn_refitted(object, refitted, sprintf(
      "profiling found a log-likelihood %s above the fit's at %s = %s",
      format(result$gain / 2, digits = 3), result$parm, format(result$b, digits = 6)))
    object <- refitted
  }
  abort("profile", "Profiling keeps finding higher log-likelihoods after refitting: the likelihood may have no finite maximum (see the fit's warnings).")
}

warn_refitted <- function(old, new, what) {
  warn("profile", sprintf(paste(
    "The fit had not reached its maximum: %s. The model was refitted from there",
    "(log-likelihood %s, was %s) and the profiles computed for the refitted model."),
    what, format(new$loglik, digits = 10), format(old$loglik, digits = 10)))
}

# Twice the gain a Newton step from the estimate predicts, U' I^-1 U: zero
# at a maximum. NA information (a singular or flat likelihood) gives 0:
# there is no step to predict.
newton_gain <- function(object) {
  u <- object$score
  for (type in c("observed", "expected")) {
    step <- tryCatch(solve(object$information[[type]], u), error = function(e) NULL)
    if (!is.null(step) && all(is.finite(step))) {
      gain <- sum(u * step)
      if (is.finite(gain) && gain >= 0) return(gain)
    }
  }
  0
}

# One point of the profile of coefficient j at b: refit the other columns
# with x_j b in the offset, from `start`. Returns the signed root z, its
# derivative dz/db = -U_j / z (U_j the score of beta_j at the constrained
# maximum: by the envelope theorem the derivative of the profile) and the
# coefficients, or ok = FALSE when no valid fit exists at b.
profile_point <- function(state, j, b, start) {
  par <- state$beta
  par[j] <- b
  par[-j] <- start
  free <- replace(rep(TRUE, length(par)), j, FALSE)
  refit <- function(cold) likelihood_at(state$lik, par, free = free, cold = cold, tol = 1e-6)
  res <- refit(FALSE)
  # A warm start far out can leave the parameter space, or strand the solver
  # on a flat, saturated stretch of the likelihood (fits under separation):
  # then the kind's own start is tried too, and the better kept (the
  # profile is a maximum, so the higher value is the better estimate of it).
  if (!res$ok || !res$converged || 2 * (state$l0 - res$loglik) > 25) {
    cold <- refit(TRUE)
    if (cold$ok && (!res$ok || cold$loglik > res$loglik)) res <- cold
  }
  if (!res$derivatives_ok) return(list(ok = FALSE, b = b))
  gain <- 2 * (res$loglik - state$l0)
  if (gain > 1e-6) {
    stop(structure(class = c("mleglm_profile_restart", "condition"),
                   list(message = "higher likelihood", call = NULL, beta = res$par, gain = gain,
                        parm = names(state$beta)[j], b = b)))
  }
  sgn <- if (b >= state$beta[j]) 1 else -1
  z <- sgn * sqrt(max(-gain, 0))
  # The score of beta_j at the constrained maximum: by the envelope theorem
  # the derivative of the profile log-likelihood.
  u <- res$score[[j]]
  list(ok = TRUE, b = b, z = z, slope = if (z != 0) -u / z else NA_real_,
       coef = unname(res$par[-j]), converged = res$converged)
}

# Warm start for the point at b_new: the last solution moved along the
# profile's direction, from the last two points or, at the start, from the
# inverse information (to first order d beta_-j / d b = V[-j, j] / V[j, j]).
warm_start <- function(state, j, last, previous, b_new) {
  if (is.null(previous)) {
    dir <- state$v[-j, j] / state$v[j, j]
  } else {
    dir <- (last$coef - previous$coef) / (last$b - previous$b)
  }
  unname(last$coef + (b_new - last$b) * dir)
}

# The MASS-style grid of profile() for one coefficient.
profile_grid <- function(state, name, zmax, del, maxsteps) {
  j <- match(name, names(state$beta))
  if (is.na(j)) return(NULL)  # aliased
  centre <- list(b = state$beta[[j]], z = 0, coef = unname(state$beta[-j]))
  rows <- list(centre)
  for (sgn in c(-1, 1)) {
    last <- centre
    previous <- NULL
    for (step in seq_len(maxsteps)) {
      b <- state$beta[[j]] + sgn * step * del * state$se[[j]]
      pt <- profile_point(state, j, b, warm_start(state, j, last, previous, b))
      if (!pt$ok) break
      rows[[length(rows) + 1L]] <- pt
      previous <- last
      last <- pt
      if (abs(pt$z) >= zmax) break
    }
  }
  z <- vapply(rows, `[[`, 0, "z")
  par_vals <- t(vapply(rows, function(r) {
    beta <- state$beta
    beta[-j] <- r$coef
    beta[j] <- r$b
    beta
  }, state$beta))
  colnames(par_vals) <- names(state$beta)
  o <- order(z)
  out <- data.frame(z = z[o])
  out$par.vals <- par_vals[o, , drop = FALSE]
  out
}
