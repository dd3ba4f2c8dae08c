#' Compare an mleglm fit with glm() and optim()
#'
#' Refits the same model (same model matrix, response, weights and offset)
#' with [stats::glm.fit()] at its default settings and, where the family's
#' likelihood is defined for it, with `optim(method = "BFGS", hessian =
#' TRUE)` on the negative log-likelihood, as the package's tutorial does:
#' the coefficients and, for families with a dispersion, the logarithm of
#' the dispersion (\eqn{\log\sigma^2} for the Gaussian), started from
#' mleglm's starting values and, for the Gaussian, the sample variance of
#' the response, as the tutorial starts. The print method sets the three
#' estimates and standard errors side by side with the log-likelihoods,
#' AICs and iteration counts, gives the largest differences, and explains
#' each in words, with the numbers that account for it:
#'
#' * dispersion: maximum likelihood divides by \eqn{n}, glm's Pearson
#'   estimate by \eqn{n - p}; for the Gaussian glm's standard errors are
#'   larger by exactly \eqn{\sqrt{n / (n - p)}};
#' * observed against expected information (equal for canonical links);
#' * glm's covariance comes from the weights of its last iteration, computed
#'   at the previous iterate, and its coefficients from a test on the change
#'   in deviance;
#' * optim's coefficients are only as good as its tolerance `reltol`, and
#'   its standard errors come from a finite-difference Hessian.
#'
#' The negative log-likelihood comes from the internal generic
#' `optim_problem()`, whose default method covers the five standard
#' families; fits of other classes can add methods.
#'
#' @param object An `"mleglm"` object.
#' @param optim_control A list passed to [stats::optim()] as `control`.
#' @return An object of class `"mleglm_compare"`: a list with `estimates`
#'   and `std_errors` (data frames, one column per fitter), `summary` (a data
#'   frame of dispersion, log-likelihood, AIC and iterations), `differences`
#'   (the largest differences from mleglm), `notes` (the explanations), and
#'   the `glm` and `optim` results.
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' compare(f)
#' @export
compare <- function(object, optim_control = list()) {
  if (!inherits(object, "mleglm")) abort("input", "`object` must be an mleglm fit.")
  if (!is.list(optim_control)) abort("input", "`optim_control` must be a list.")
  d <- refit_data(object)
  nm <- colnames(d$x)
  ml <- list(
    coef = coef(object, complete = FALSE),
    se = sqrt(diag(vcov.mleglm(object, type = "observed", complete = FALSE))),
    se_expected = sqrt(diag(vcov.mleglm(object, type = "expected", complete = FALSE))),
    se_glm_type = sqrt(diag(vcov.mleglm(object, type = "glm", complete = FALSE))),
    dispersion = object$dispersion, loglik = object$loglik, aic = stats::AIC(object),
    iterations = sprintf("%d %s", object$iterations, object$method)
  )
  g <- run_glm(d, object$family)
  o <- run_optim(object, optim_control)
  estimates <- data.frame(mleglm = ml$coef, glm = g$coef, row.names = nm)
  std_errors <- data.frame(mleglm = ml$se, glm = g$se, row.names = nm)
  if (!is.null(o$coef)) {
    estimates$optim <- o$coef
    std_errors$optim <- o$se
  }
  fitters <- names(estimates)
  summary_table <- data.frame(
    dispersion = c(ml$dispersion, g$dispersion, o$dispersion)[seq_along(fitters)],
    loglik = c(ml$loglik, g$loglik, o$loglik)[seq_along(fitters)],
    AIC = c(ml$aic, g$aic, o$aic)[seq_along(fitters)],
    iterations = c(ml$iterations, g$iterations, o$iterations)[seq_along(fitters)],
    row.names = fitters
  )
  differences <- do.call(rbind, lapply(fitters[-1L], function(k) data.frame(
    coef_rel = max_relative(estimates[[k]], ml$coef),
    coef_se = max(abs(estimates[[k]] - ml$coef) / ml$se),
    se_rel = max_relative(std_errors[[k]], ml$se),
    loglik_abs = abs(summary_table[k, "loglik"] - ml$loglik),
    row.names = k)))
  structure(list(
    call = object$call, family = object$family, nobs = object$nobs, rank = object$rank,
    estimates = estimates, std_errors = std_errors, summary = summary_table,
    differences = differences,
    notes = compare_notes(object, ml, g, o),
    glm = g$fit, optim = o$result
  ), class = "mleglm_compare")
}

#' @rdname compare
#' @param x An `"mleglm_compare"` object.
#' @param digits Decimal places for the estimates and standard errors (4,
#'   as the tutorial prints them).
#' @param ... Unused.
#' @export
print.mleglm_compare <- function(x, digits = 4L, ...) {
  cat("\nThe same model fitted three ways: ", x$family$family, " family, ", x$family$link,
      " link, n = ", x$nobs, ", p = ", x$rank, "\n", sep = "")
  if (!is.null(x$call)) cat("  ", paste(deparse(x$call), collapse = "\n  "), "\n", sep = "")
  cat("\nEstimates:\n")
  print(format_fixed(x$estimates, digits), quote = FALSE, right = TRUE)
  cat("\nStandard errors (mleglm: observed information at the MLE; glm: its own",
      if ("optim" %in% names(x$estimates)) "; optim: numerical Hessian", "):\n", sep = "")
  print(format_fixed(x$std_errors, digits), quote = FALSE, right = TRUE)
  cat("\n")
  s <- x$summary
  shown <- data.frame(
    dispersion = if (has_dispersion(x$family)) format(s$dispersion, digits = 7L) else "1 (fixed)",
    loglik = format(s$loglik, digits = 8L, nsmall = 2L),
    AIC = format(s$AIC, digits = 8L, nsmall = 2L),
    iterations = s$iterations, row.names = rownames(s))
  print(shown)
  cat("\nLargest differences from mleglm:\n")
  dd <- x$differences
  print(data.frame(
    "coefficients (relative)" = format(dd$coef_rel, digits = 2L),
    "coefficients (in SEs)" = format(dd$coef_se, digits = 2L),
    "std. errors (relative)" = format(dd$se_rel, digits = 2L),
    "log-likelihood" = format(dd$loglik_abs, digits = 2L),
    row.names = rownames(dd), check.names = FALSE))
  cat("\nWhy they differ:\n")
  width <- max(40L, getOption("width") - 4L)
  for (note in x$notes) {
    lines <- strwrap(note, width = width)
    cat(paste0(c("* ", rep("  ", length(lines) - 1L)), lines), sep = "\n")
  }
  invisible(x)
}

# ---- the three fits -----------------------------------------------------------

# glm.fit() on the same data, as a "glm" object so that stats' methods
# (vcov, logLik, AIC) apply to it unchanged. Its warnings are kept.
run_glm <- function(d, family) {
  warnings <- character(0)
  g <- withCallingHandlers(
    stats::glm.fit(d$x, d$y, weights = d$weights, offset = d$offset, family = family),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  g$call <- quote(glm.fit(x, y, weights, offset = offset, family = family))
  g$offset <- d$offset
  g$control <- stats::glm.control()
  g$method <- "glm.fit"
  class(g) <- c("glm", "lm")
  s <- summary(g)
  ll <- stats::logLik(g)
  list(fit = g, coef = unname(coef(g)), se = unname(sqrt(diag(s$cov.scaled))),
       dispersion = s$dispersion, loglik = as.numeric(ll), aic = stats::AIC(g),
       iterations = sprintf("%d IRLS", g$iter), warnings = warnings)
}

run_optim <- function(object, control) {
  problem <- optim_problem(object)
  if (is.null(problem)) return(list(problem = NULL))
  result <- tryCatch(
    stats::optim(problem$par, problem$fn, method = "BFGS", hessian = TRUE, control = control),
    error = function(e) e)
  if (inherits(result, "error")) return(list(problem = problem, error = conditionMessage(result)))
  cov <- tryCatch(solve(result$hessian), error = function(e) NULL)
  se <- if (is.null(cov)) rep(NA_real_, length(problem$coef)) else sqrt(diag(cov))[problem$coef]
  list(problem = problem, result = result,
       coef = unname(result$par[problem$coef]), se = unname(se),
       dispersion = problem$dispersion(result$par), loglik = -result$value,
       aic = 2 * result$value + 2 * length(result$par),
       iterations = sprintf("%d fn, %d gr", result$counts[["function"]], result$counts[["gradient"]]))
}

#' The negative log-likelihood that compare() hands to optim()
#'
#' An internal S3 generic: the default method covers the five standard
#' families; other fit classes (families defined elsewhere) add methods.
#' Returns `NULL` where no objective is defined, or a list with `par` (named
#' starting values), `fn` (the negative log-likelihood of `par`), `coef`
#' (positions of the regression coefficients in `par`), `dispersion` (a
#' function of `par` giving the dispersion, 1 if fixed) and `parameters` (a
#' description of `par` for the explanations).
#' @noRd
optim_problem <- function(object, ...) UseMethod("optim_problem")

#' @noRd
optim_problem.default <- function(object, ...) {
  family <- object$family
  if (!family$family %in% names(supported_links())) return(NULL)
  d <- refit_data(object)
  pos <- d$weights > 0
  x <- d$x[pos, , drop = FALSE]
  y <- d$y[pos]
  w <- d$weights[pos]
  offset <- d$offset[pos]
  p <- ncol(x)
  start <- object$start
  mean_of <- function(par) {
    mu <- family$linkinv(drop(x %*% par[seq_len(p)]) + offset)
    if (!all(valid_mean(mu, family))) return(NULL)
    mu
  }
  # Each log-density as the C++ Distribution writes it (see distribution.hpp).
  family_nll <- switch(family$family,
    gaussian = function(mu, phi) 0.5 * sum(log(2 * pi * phi / w) + w * (y - mu)^2 / phi),
    binomial = function(mu, phi) {
      -sum(lchoose(round(w), round(w * y)) + w * (ifelse(y > 0, y * log(mu), 0) +
                                                  ifelse(y < 1, (1 - y) * log(1 - mu), 0)))
    },
    poisson = function(mu, phi) -sum(w * (ifelse(y > 0, y * log(mu), 0) - mu - lgamma(y + 1))),
    Gamma = function(mu, phi) {
      nu <- 1 / phi
      -sum(w * (nu * log(nu * y / mu) - nu * y / mu - log(y) - lgamma(nu)))
    },
    inverse.gaussian = function(mu, phi) {
      0.5 * sum(w * (log(2 * pi * phi * y^3) + (y - mu)^2 / (phi * mu^2 * y)))
    })
  free_dispersion <- has_dispersion(family)
  dispersion_of <- function(par) if (free_dispersion) exp(par[[p + 1L]]) else 1
  par <- start
  if (free_dispersion) {
    mu0 <- family$linkinv(drop(x %*% start) + offset)
    phi0 <- if (family$family == "gaussian") {
      stats::var(y)  # the tutorial's start
    } else {
      sum(w * (y - mu0)^2 / family$variance(mu0)) / sum(w)
    }
    par <- c(start, stats::setNames(log(phi0), if (family$family == "gaussian") "log(sigma^2)" else "log(dispersion)"))
  }
  list(
    par = par,
    fn = function(par) {
      mu <- mean_of(par)
      if (is.null(mu)) return(Inf)  # outside the parameter space
      family_nll(mu, dispersion_of(par))
    },
    coef = seq_len(p),
    dispersion = dispersion_of,
    parameters = if (!free_dispersion) "the coefficients" else if (family$family == "gaussian") {
      "the coefficients and log(sigma^2)"
    } else "the coefficients and the log of the dispersion"
  )
}

# ---- the explanations ---------------------------------------------------------------

compare_notes <- function(object, ml, g, o) {
  n <- object$nobs
  p <- object$rank
  nm <- names(ml$coef)
  fam <- object$family
  fmt <- function(v, digits = 2L) format(v, digits = digits)
  worst <- function(a, b) nm[which.max(abs(a / b - 1))]
  notes <- character(0)

  if (has_dispersion(fam)) {
    ratio <- sqrt(object$dispersion_pearson / object$dispersion)
    exact <- if (fam$family == "gaussian") {
      sprintf(", exactly sqrt(n / (n - p)) = sqrt(%d / %d) for the Gaussian, where the Pearson statistic is the residual sum of squares", n, n - p)
    } else ""
    how <- switch(fam$family,
      gaussian = "RSS / n",
      Gamma = "the root of log(nu) - digamma(nu) = D / (2 sum w), with phi = 1 / nu",
      inverse.gaussian = "D / sum(w)")
    notes <- c(notes, sprintf(paste(
      "Dispersion. glm() estimates it by the Pearson statistic divided by n - p = %d (%s);",
      "maximum likelihood gives %s (%s). glm's standard errors are therefore larger by",
      "sqrt(%s / %s) = %s%s."),
      n - p, fmt(object$dispersion_pearson, 7L), how, fmt(object$dispersion, 7L),
      fmt(object$dispersion_pearson, 7L), fmt(object$dispersion, 7L), fmt(ratio, 7L), exact))
  } else {
    notes <- c(notes, sprintf(
      "Dispersion. The %s family fixes it at 1, so none of the differences comes from it.", fam$family))
  }

  obs_exp <- max_relative(ml$se_expected, ml$se)
  notes <- c(notes, if (obs_exp < 1e-8) {
    sprintf(paste(
      "Observed against expected information. mleglm's standard errors use the observed information,",
      "glm's the expected; for the %s link of the %s family they are the same matrix (largest relative",
      "difference %s), because the Hessian of the log-likelihood does not involve the response."),
      fam$link, fam$family, fmt(obs_exp))
  } else {
    sprintf(paste(
      "Observed against expected information. mleglm's standard errors use the observed information",
      "(minus the Hessian at the estimate), glm's the expected (its mean). For the %s link they differ,",
      "by up to %s relative here ('%s'): the observed information keeps the term",
      "w (y - mu) (mu'' V - mu'^2 V') / V^2 that has mean zero. vcov(f, type = \"expected\") gives the other."),
      fam$link, fmt(obs_exp), worst(ml$se_expected, ml$se))
  })

  lag <- max_relative(g$se, ml$se_glm_type)
  coef_glm <- max_relative(g$coef, ml$coef)
  iterations <- sprintf("%d IRLS iteration%s", g$fit$iter, if (g$fit$iter == 1L) "" else "s")
  notes <- c(notes, paste(
    if (lag < 1e-10) {
      sprintf(paste(
        "glm's iterations. With the dispersion and the information matched (vcov(f, type = \"glm\")),",
        "glm's standard errors agree with mleglm's to %s: glm takes its covariance from the weights of",
        "its last IRLS iteration, computed at the previous iterate, but for this model the weights do",
        "not depend on the coefficients."), fmt(lag))
    } else {
      sprintf(paste(
        "glm's iterations. With the dispersion and the information matched (vcov(f, type = \"glm\")),",
        "glm's standard errors still differ by %s relative: glm takes its covariance from the weights",
        "of its last IRLS iteration, computed at the previous iterate, not at its estimate."), fmt(lag))
    },
    sprintf(paste(
      "Its coefficients differ by %s relative (%s standard errors): it stopped after %s when the",
      "deviance changed by less than epsilon = 1e-8 relative, a test that does not look at the score."),
      fmt(coef_glm), fmt(max(abs(g$coef - ml$coef) / ml$se)), iterations)))
  if (abs(g$loglik - ml$loglik) > 1e-6 * max(1, abs(ml$loglik))) {
    at <- if (fam$family == "Gamma") "the dispersion D / n" else "glm's own dispersion estimate"
    notes <- c(notes, sprintf(paste(
      "Log-likelihood. glm's logLik() is lower by %s: for the %s family it is evaluated at %s,",
      "not at the maximum-likelihood dispersion, so it is not the maximum of the likelihood;",
      "mleglm's is."), fmt(ml$loglik - g$loglik, 3L), fam$family, at))
  }

  if (is.null(o$problem)) {
    notes <- c(notes, sprintf("optim(). No negative log-likelihood is defined for this fit's class (%s).",
                              class(object)[1L]))
  } else if (!is.null(o$error)) {
    notes <- c(notes, sprintf("optim(). BFGS failed: %s", o$error))
  } else {
    reltol <- sqrt(.Machine$double.eps)
    off_se <- max(abs(o$coef - ml$coef) / ml$se)
    notes <- c(notes, if (off_se < 1e-6) {
      sprintf(paste(
        "optim's tolerance. BFGS on %s stops when the negative log-likelihood changes by less than",
        "reltol = %s relative. Its coefficients agree with mleglm's to %s standard errors because it",
        "started from mleglm's starting values (one weighted least-squares step, as glm's first),",
        "which for this model already solve the score equations of the coefficients: only the",
        "dispersion had to move. From a worse start the tolerance would show: the log-likelihood is",
        "flat at its maximum (moving d standard errors costs d^2 / 2)."),
        o$problem$parameters, fmt(reltol), fmt(off_se))
    } else {
      sprintf(paste(
        "optim's tolerance. BFGS on %s stops when the negative log-likelihood changes by less than",
        "reltol = %s relative (%s absolute here). The log-likelihood is flat at its maximum (moving d",
        "standard errors costs d^2 / 2), so its coefficients are off by up to %s standard errors",
        "(%s relative). mleglm stops on the score, by the Newton decrement, which still measures",
        "the distance where the value no longer can."),
        o$problem$parameters, fmt(reltol), fmt(reltol * abs(o$loglik)), fmt(off_se),
        fmt(max_relative(o$coef, ml$coef)))
    })
    notes <- c(notes, sprintf(paste(
      "optim's Hessian. Its standard errors invert a Hessian computed by finite differences of the",
      "objective (steps of 1e-3) at its own, approximate, estimate: they differ from the analytic",
      "observed information's by up to %s relative ('%s').%s"),
      fmt(max_relative(o$se, ml$se)), worst(o$se, ml$se),
      if (has_dispersion(fam)) {
        paste(" The extra dispersion parameter does not disturb the coefficients' block: at the",
              "maximum it is orthogonal to them (the cross derivative is zero).")
      } else ""))
  }
  notes
}

max_relative <- function(a, b) max(abs(a - b) / pmax(abs(b), .Machine$double.xmin))

format_fixed <- function(df, digits) {
  out <- as.matrix(format(round(df, digits), nsmall = digits))
  dimnames(out) <- dimnames(df)
  out
}
