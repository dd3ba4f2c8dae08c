# The words of compare(): its format and print methods and the explanations
# of each difference, with the numbers that account for it. The driver (the
# fits themselves) is in compare.R.

#' @rdname compare
#' @param x An `"mleglm_compare"` object.
#' @param digits Decimal places for the estimates and standard errors (4,
#'   as the tutorial prints them).
#' @param ... Unused.
#' @export
format.mleglm_compare <- function(x, digits = 4L, ...) {
  s <- x$summary
  shown <- data.frame(
    dispersion = if (!is.null(x$extra_name) || has_dispersion(x$family)) {
      format(s$dispersion, digits = 7L)
    } else "1 (fixed)",
    loglik = format(s$loglik, digits = 8L, nsmall = 2L),
    AIC = format(s$AIC, digits = 8L, nsmall = 2L),
    iterations = s$iterations, row.names = rownames(s))
  # A joint fit's column holds its extra parameter.
  if (!is.null(x$extra_name)) names(shown)[1L] <- x$extra_name
  dd <- x$differences
  differences <- data.frame(
    "coefficients (relative)" = format(dd$coef_rel, digits = 2L),
    "coefficients (in SEs)" = format(dd$coef_se, digits = 2L),
    "std. errors (relative)" = format(dd$se_rel, digits = 2L),
    "log-likelihood" = format(dd$loglik_abs, digits = 2L),
    row.names = rownames(dd), check.names = FALSE)
  width <- max(40L, getOption("width") - 4L)
  notes <- lapply(x$notes, function(note) {
    lines <- strwrap(note, width = width)
    paste0(c("* ", rep("  ", length(lines) - 1L)), lines)
  })
  split_lines(c(
    "", paste0("The same model fitted ", c("", "", "two", "three")[ncol(x$estimates) + 1L], " ways: ",
               x$family$family, " family, ", x$family$link, " link, n = ", format(x$nobs),
               ", p = ", format(x$rank)),
    if (!is.null(x$call)) paste0("  ", paste(deparse(x$call), collapse = "\n  ")),
    "", "Estimates:",
    utils::capture.output(print(format_fixed(x$estimates, digits), quote = FALSE, right = TRUE)),
    "", paste0("Standard errors (mleglm: observed information at the MLE",
               if ("glm" %in% names(x$estimates)) "; glm: its own",
               if ("optim" %in% names(x$estimates)) "; optim: numerical Hessian", "):"),
    utils::capture.output(print(format_fixed(x$std_errors, digits), quote = FALSE, right = TRUE)),
    "",
    utils::capture.output(print(shown)),
    "", "Largest differences from mleglm:",
    utils::capture.output(print(differences)),
    "", "Why they differ:",
    unlist(notes)))
}

#' @rdname compare
#' @export
print.mleglm_compare <- function(x, digits = 4L, ...) {
  writeLines(format(x, digits = digits, ...))
  invisible(x)
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

  c(notes, optim_notes(object, ml, o))
}

format_fixed <- function(df, digits) {
  out <- as.matrix(format(round(df, digits), nsmall = digits))
  dimnames(out) <- dimnames(df)
  out
}

# What optim() shows: its tolerance and its finite-difference Hessian.
optim_notes <- function(object, ml, o) {
  fam <- object$family
  nm <- names(ml$coef)
  fmt <- function(v, digits = 2L) format(v, digits = digits)
  worst <- function(a, b) nm[which.max(abs(a / b - 1))]
  notes <- character(0)
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
      if (has_dispersion(fam) && !inherits(object, "mleglm_joint")) {
        paste(" The extra dispersion parameter does not disturb the coefficients' block: at the",
              "maximum it is orthogonal to them (the cross derivative is zero).")
      } else ""))
  }
  notes
}

# The explanations for a fit with an extra parameter (negbin, custom).
compare_notes_joint <- function(object, ml, g, o) {
  fmt <- function(v, digits = 2L) format(v, digits = digits)
  notes <- character(0)
  p <- object$rank
  beta <- seq_len(p)
  if (!is.null(g$absent)) {
    notes <- c(notes, sprintf("glm(). Not compared: %s.", g$absent))
  } else {
    notes <- c(notes, sprintf(paste(
      "Estimation. mleglm maximises the likelihood over (beta, log(theta)) together by %s;",
      "glm.nb() alternates IRLS for beta at fixed theta with a separate maximum-likelihood",
      "step for theta. Both reach the same maximum: the coefficients differ by %s relative,",
      "theta by %s relative (%s against %s), the log-likelihoods by %s."),
      object$method, fmt(max_relative(g$coef[beta], ml$coef[beta])),
      fmt(abs(g$dispersion / object$theta - 1)), fmt(g$dispersion, 7L), fmt(object$theta, 7L),
      fmt(abs(g$loglik - ml$loglik))))
    notes <- c(notes, sprintf(paste(
      "Standard errors. mleglm's invert the observed information over all the parameters;",
      "vcov(glm.nb) is the expected information of beta with theta treated as known, and its",
      "SE.theta comes from theta's own information. With the expected information over all",
      "parameters (vcov(f, type = \"expected\"), in which beta and theta are orthogonal) the",
      "coefficients' standard errors agree with glm.nb's to %s; the observed information",
      "moves them by up to %s relative."),
      fmt(max_relative(g$se[beta], ml$se_expected[beta])),
      fmt(max_relative(ml$se[beta], ml$se_expected[beta]))))
  }
  c(notes, optim_notes(object, ml, o))
}
