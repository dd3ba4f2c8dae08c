# The likelihood of a fit away from its estimate, for every kind of fit:
# one internal generic, likelihood_at(), with a method per kind. Everything
# that evaluates or refits a fitted model (loglik_at(), check_derivatives(),
# profiles, anova(), drop1(), glance(), optim_problem()) goes through it,
# and every call into the C++ core for that is in this file.
#
# likelihood_at(object, par, free = NULL, cold = FALSE, tol = 1e-10)
#   par   the full parameter vector in the layout of kind_estimate(): the
#         non-aliased coefficients, then for joint fits (negbin, custom) the
#         extra parameter on its estimation scale;
#   free  NULL (evaluate at par), or a logical vector along par: maximise over
#         the free components, the others held at their values in par (the
#         offset trick). par's free values are the start; cold = TRUE uses
#         the kind's own start instead.
# Returns a list: ok (finite log-likelihood), derivatives_ok, loglik, par
# (where evaluated, after maximising), names, score, observed, expected (NULL
# where the kind has none), eta and mu (over the rows the likelihood sees),
# deviance, dispersion (ML dispersion of a glm family at par, else 1) and
# converged. For glm families with a dispersion, loglik is profiled over it.
likelihood_at <- function(object, par, free = NULL, cold = FALSE, tol = 1e-10) {
  UseMethod("likelihood_at")
}

likelihood_at.mleglm <- function(object, par, free = NULL, cold = FALSE, tol = 1e-10) {
  d <- kind_data(object)
  fam <- object$family
  par <- kind_check_par(object, par)
  free <- kind_free(par, free)
  converged <- TRUE
  if (any(free)) {
    held <- d$offset + drop(d$x[, !free, drop = FALSE] %*% par[!free])
    # rank_tol = 0: the columns of a fit were checked when it was made.
    spec <- model_spec("glm", fam$family, fam$link, x = d$x[, free, drop = FALSE], y = d$y,
                       weights = d$weights, offset = held,
                       start = if (cold) NULL else unname(par[free]))
    res <- fit_core(spec, "newton", kind_control(tol), rank_tol = 0)
    if (!isTRUE(res$ok)) return(kind_failure(par))
    par[free] <- res$coefficients
    converged <- res$converged
  }
  e <- evaluate_glm_at(d$x, d$y, d$weights, d$offset, unname(par), fam$family, fam$link)
  kind_result(e, par, converged, deviance = e$deviance, dispersion = e$dispersion)
}

likelihood_at.mleglm_negbin <- function(object, par, free = NULL, cold = FALSE, tol = 1e-10) {
  d <- kind_data(object)
  link <- object$family$link
  par <- kind_check_par(object, par)
  free <- kind_free(par, free)
  p <- ncol(d$x)
  converged <- TRUE
  if (any(free)) {
    cols <- free[seq_len(p)]
    # The C++ fitter estimates theta with the coefficients; other patterns
    # (theta held fixed) take Newton steps on evaluations.
    if (!free[[p + 1L]] || !any(cols)) return(newton_free(object, par, free, tol))
    held <- d$offset + drop(d$x[, !cols, drop = FALSE] %*% par[seq_len(p)][!cols])
    x_free <- d$x[, cols, drop = FALSE]
    start <- unname(par[free])
    if (cold) {
      eta0 <- stats::make.link(link)$linkfun(d$y + 0.1)
      beta0 <- stats::lm.wfit(x_free, eta0 - held, d$weights)$coefficients
      start <- c(ifelse(is.na(beta0), 0, beta0), par[[p + 1L]])
    }
    spec <- model_spec("negbin", "negbin", link, x = x_free, y = d$y, weights = d$weights,
                       offset = held, start = start)
    res <- fit_core(spec, "newton", kind_control(tol), rank_tol = 0)
    if (!isTRUE(res$ok)) return(kind_failure(par))
    par[free] <- res$coefficients
    converged <- res$converged
  }
  e <- evaluate_core(model_spec("negbin", "negbin", link, x = d$x, y = d$y, weights = d$weights,
                                offset = d$offset), unname(par))
  dev <- if (isTRUE(e$ok)) {
    fam <- negbin_family(link, exp(par[[p + 1L]]))
    sum(fam$dev.resids(d$y, e$mu, d$weights)[d$weights > 0])
  } else NA_real_
  kind_result(e, par, converged, deviance = dev)
}

likelihood_at.mleglm_custom <- function(object, par, free = NULL, cold = FALSE, tol = 1e-10) {
  d <- kind_data(object)
  family <- object$family
  extra <- custom_extra(family)
  par <- kind_check_par(object, par)
  free <- kind_free(par, free)
  p <- ncol(d$x)
  converged <- TRUE
  if (any(free)) {
    cols <- free[seq_len(p)]
    if ((extra$spec$estimated && !free[[p + 1L]]) || !any(cols)) {
      return(newton_free(object, par, free, tol))
    }
    held <- d$offset + drop(d$x[, !cols, drop = FALSE] %*% par[seq_len(p)][!cols])
    sub <- c(d[c("y", "weights", "rows", "n")], list(x = d$x[, cols, drop = FALSE], offset = held))
    start <- unname(par[free])
    if (cold) start[seq_len(sum(cols))] <- custom_start(family, sub)
    functions <- custom_callbacks(family, sub, names(par)[free])
    spec <- model_spec("custom", family$family, family$link, x = sub$x, weights = sub$weights,
                       offset = held, start = start, functions = functions, phi = extra$spec)
    res <- fit_core(spec, "newton", kind_control(tol), rank_tol = 0)
    if (!isTRUE(res$ok) || !isTRUE(res$derivatives_ok)) return(kind_failure(par))
    par[free] <- res$coefficients
    converged <- res$converged
  }
  functions <- custom_callbacks(family, d, names(par))
  e <- evaluate_core(model_spec("custom", family$family, family$link, x = d$x,
                                weights = d$weights, offset = d$offset, functions = functions,
                                phi = extra$spec), unname(par))
  kind_result(e, par, converged, deviance = -2 * e$loglik)
}

likelihood_at.mleglm_chunked <- function(object, par, free = NULL, cold = FALSE, tol = 1e-10) {
  rows_unavailable("Evaluating the likelihood away from the estimate (loglik_at(), profiles, anova() of one fit, drop1(), compare(), ...)")
}

# ---- the pieces every method shares --------------------------------------------

# The solver's settings for refits: the fit's defaults at tolerance `tol`.
kind_control <- function(tol) {
  list(tol = tol, maxit = 100L, max_halvings = 40L, trace = FALSE, threads = 1L)
}

# The estimate in the layout of `par`.
kind_estimate <- function(object) {
  if (inherits(object, "mleglm_joint")) object$par else coef(object, complete = FALSE)
}

# The data the likelihood sees, computed once by kind_prepare() for callers
# that evaluate many times (profiles); a custom fit's rows are those of
# positive weight, as its engine fitted them.
kind_data <- function(object) {
  cached <- attr(object, "mleglm_kind_data", exact = TRUE)
  if (!is.null(cached)) return(cached)
  if (inherits(object, "mleglm_chunked")) likelihood_at.mleglm_chunked(object)
  if (!inherits(object, "mleglm_joint")) return(refit_data(object))
  joint_data(object, positive_only = inherits(object, "mleglm_custom"))
}

kind_prepare <- function(object) {
  attr(object, "mleglm_kind_data") <- kind_data(object)
  object
}

# The data of a joint fit: model matrix without aliased columns, response,
# weights and offset (rows of positive weight only, if asked).
joint_data <- function(object, positive_only) {
  y <- object[["y"]]
  if (is.null(y)) {
    abort("input", "This fit was made with y = FALSE; refit with y = TRUE to evaluate its likelihood.")
  }
  x <- stats::model.matrix(object)[, !object$aliased, drop = FALSE]
  if (storage.mode(x) != "double") storage.mode(x) <- "double"
  rows <- if (positive_only) which(object$prior.weights > 0) else seq_along(y)
  list(x = x[rows, , drop = FALSE], y = y[rows], weights = object$prior.weights[rows],
       offset = object$offset[rows], rows = rows, n = length(y))
}

kind_check_par <- function(object, par) {
  est <- kind_estimate(object)
  if (!is.numeric(par) || length(par) != length(est) || any(!is.finite(par))) {
    abort("input", sprintf("`par` must be %d finite numbers (%s).", length(est),
                           paste(names(est), collapse = ", ")))
  }
  stats::setNames(as.double(par), names(est))
}

kind_free <- function(par, free) {
  if (is.null(free)) return(rep(FALSE, length(par)))
  if (!is.logical(free) || length(free) != length(par) || anyNA(free)) {
    abort("input", sprintf("`free` must be TRUE or FALSE for each of the %d parameters.", length(par)))
  }
  free
}

kind_failure <- function(par) {
  list(ok = FALSE, derivatives_ok = FALSE, loglik = -Inf, par = par, names = names(par),
       converged = FALSE)
}

# The common list from a C++ evaluation `e` at `par`.
kind_result <- function(e, par, converged, deviance, dispersion = 1) {
  nm <- names(par)
  ok <- isTRUE(e$ok) && is.finite(e$loglik)
  named <- function(m) {
    if (is.null(m)) return(NULL)
    m <- as.matrix(m)
    dimnames(m) <- list(nm, nm)
    m
  }
  deriv <- ok && (is.null(e$derivatives_ok) || isTRUE(e$derivatives_ok)) && !is.null(e$score)
  list(ok = ok, derivatives_ok = deriv, loglik = if (ok) e$loglik else -Inf, par = par,
       names = nm, score = if (deriv) stats::setNames(as.double(e$score), nm),
       observed = if (deriv) named(e$observed), expected = if (deriv) named(e$expected),
       eta = e$eta, mu = e$mu, deviance = deviance, dispersion = dispersion,
       converged = converged)
}

# Newton's method on the free components from evaluations alone, with step
# halving and, where the observed information is not positive definite
# there, a scaled gradient step.
newton_free <- function(object, par, free, tol, maxit = 100L) {
  here <- likelihood_at(object, par)
  if (!here$derivatives_ok) return(kind_failure(par))
  for (iter in seq_len(maxit)) {
    g <- here$score[free]
    h <- here$observed[free, free, drop = FALSE]
    d <- tryCatch(solve(h, g), error = function(e) NULL)
    if (is.null(d) || !all(is.finite(d)) || sum(g * d) <= 0) d <- g / max(abs(diag(h)), 1)
    slope <- sum(g * d)
    if (sqrt(max(slope, 0)) <= tol) break
    step <- 1
    there <- NULL
    for (halving in 0:40) {
      trial <- par
      trial[free] <- par[free] + step * d
      e <- likelihood_at(object, trial)
      if (e$derivatives_ok && e$loglik >= here$loglik + 1e-4 * step * slope - 1e-12 * (1 + abs(here$loglik))) {
        there <- e
        break
      }
      step <- step / 2
    }
    if (is.null(there)) {
      here$converged <- sqrt(max(slope, 0)) <= 1e-6
      return(here)
    }
    par <- there$par
    here <- there
  }
  here$converged <- iter < maxit
  here
}

# The number of estimated parameters besides the coefficients: the
# dispersion of a glm family, or the extra parameter of a joint fit.
kind_extra_df <- function(object) {
  if (inherits(object, "mleglm_joint")) return(length(object$par) - object$rank)
  as.integer(has_dispersion(object$family))
}

# A classed refusal for what a kind does not define.
unsupported <- function(what, why) {
  abort("unsupported", sprintf("%s is not available for this fit: %s.", what, why))
}
