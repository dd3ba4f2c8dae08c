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

# Each explanation is chosen by what is true of the model, computed by
# compare_facts.R. The notes come back with their claims: the same names, each
# claim a list with the identifier of the statement made (`claim`) and the
# numbers it rests on.
compare_notes <- function(object, ml, g, o, optim_control) {
  n <- object$nobs
  p <- object$rank
  fam <- object$family
  notes <- list()

  if (has_dispersion(fam)) {
    ratio <- sqrt(object$dispersion_pearson / object$dispersion)
    exact <- if (fam$family == "gaussian") {
      sprintf(", exactly sqrt(n / (n - p)) = sqrt(%d / %d) for the Gaussian, where the Pearson statistic is the residual sum of squares", n, n - p)
    } else ""
    how <- switch(fam$family,
      gaussian = "RSS / n",
      Gamma = "the root of log(nu) - digamma(nu) = D / (2 sum w), with phi = 1 / nu",
      inverse.gaussian = "D / sum(w)")
    notes$dispersion <- note(sprintf(paste(
      "Dispersion. glm() estimates it by the Pearson statistic divided by n - p = %d (%s);",
      "maximum likelihood gives %s (%s). glm's standard errors are therefore %s by",
      "sqrt(%s / %s) = %s%s."),
      n - p, fmt(object$dispersion_pearson, 7L), how, fmt(object$dispersion, 7L),
      if (ratio >= 1) "larger" else "smaller",
      fmt(object$dispersion_pearson, 7L), fmt(object$dispersion, 7L), fmt(ratio, 7L), exact),
      claim = "pearson_against_ml", ratio = ratio, exact = fam$family == "gaussian")
  } else {
    notes$dispersion <- note(sprintf(
      "Dispersion. The %s family fixes it at 1, so none of the differences comes from it.", fam$family),
      claim = "fixed")
  }

  notes$information <- information_note(object, ml)
  if (!is.null(g$absent)) {
    notes$glm <- note(sprintf("glm(). Not compared: %s.", g$absent), claim = "absent")
  } else {
    notes$glm <- glm_note(object, ml, g)
    if (fam$family == "Gamma") notes$loglik <- gamma_loglik_note(object, g)
  }
  notes <- c(notes, stopping_note(object, g, o, optim_control), optim_notes(object, ml, o, optim_control))
  split_notes(notes)
}

# A note: its text, and its claim with the numbers behind it.
note <- function(text, ...) list(text = text, claim = list(...))

split_notes <- function(notes) {
  list(text = vapply(notes, `[[`, "", "text"), claims = lapply(notes, `[[`, "claim"))
}

fmt <- function(v, digits = 2L) format(v, digits = digits)

# "0.61 standard errors", "1 standard error".
ses <- function(v) {
  text <- fmt(v)
  paste(text, if (text == "1") "standard error" else "standard errors")
}

# The gradient optim() was given, in the words of the stopping note.
gradient_words <- function(kind) {
  if (is.null(kind)) return("finite-difference gradient")
  if (kind == "analytic") "analytic gradient" else
    "gradient (mleglm's score, by central differences of the log-density)"
}

# optim's finite-difference steps: one number, or their range.
steps_text <- function(ndeps) {
  if (length(unique(ndeps)) == 1L) return(fmt(ndeps[1L]))
  sprintf("%s to %s, one per parameter", fmt(min(ndeps)), fmt(max(ndeps)))
}

# Why BFGS stopped with an error, from what was checked at its start.
optim_failure_note <- function(object, o) {
  f <- o$failure
  text <- sprintf("optim(). BFGS failed: %s.", o$error)
  if (!is.null(f) && f$start_finite && any(f$off)) {
    text <- paste(text, sprintf(paste(
      "Its finite-difference gradient moves each parameter by ndeps = %s either way, and",
      "the largest coefficient is %s in absolute value: at the start, such a step in %s",
      "already makes the negative log-likelihood non-finite (there the %s link gives no",
      "valid mean for the %s family). Steps on each parameter's own scale keep inside, for example",
      "optim_control = list(ndeps = 1e-3 * abs(start)) with start = c(%s), optim's",
      "start (mleglm's starting values, for %s)."),
      steps_text(f$ndeps), fmt(f$scale),
      paste(sprintf("'%s'", f$names[f$off]), collapse = ", "), object$family$link,
      object$family$family,
      paste(format(signif(f$start, 3)), collapse = ", "), paste(f$names, collapse = ", ")))
  }
  note(text, claim = "failed", off = if (!is.null(f)) f$names[f$off], ndeps = f$ndeps,
       scale = f$scale)
}

information_note <- function(object, ml) {
  fam <- object$family
  facts <- information_facts(object, ml$se, ml$se_expected)
  if (facts$claim == "no_expected") {
    return(note(sprintf(paste(
      "Observed information only. Custom family \"%s\" defines a log-density, whose expectation",
      "the package cannot take: its standard errors come from the observed information alone."),
      fam$family), claim = "no_expected"))
  }
  joint <- inherits(object, "mleglm_joint")
  family_name <- if (joint) "negative binomial" else fam$family
  term <- paste0("K = sum w (y - mu) h'(eta) x x'", if (has_dispersion(fam) && !joint) " / phi",
                 " with h = mu'(eta) / V(mu)")
  agree <- sprintf("the two matrices agree to %s (largest difference of an entry, relative to sqrt(I_ii I_jj); tolerance %s)",
                   fmt(facts$max_rel_diff), fmt(facts$tolerance))
  which_is <- if (joint) {
    paste("mleglm's standard errors use the observed information over all parameters,",
          "glm.nb's the expected information of the coefficients.")
  } else "mleglm's standard errors use the observed information, glm's the expected."
  not_canonical <- if (joint) {
    paste("The log link is not the negative binomial's canonical link, log(mu / (mu + theta)), and the",
          "observed information also has cross terms between the coefficients and log(theta), which the",
          "expected information sets to zero.")
  } else sprintf("The %s link is not the %s family's canonical link, so h' is not zero.", fam$link, fam$family)
  patterns <- sprintf("%d covariate pattern%s, distinct rows of the model matrix and offset, for %d coefficients",
                      facts$patterns, if (facts$patterns == 1L) "" else "s", facts$rank)
  text <- switch(facts$claim,
    equal_canonical = sprintf(paste(
      "Observed against expected information. %s The observed information is the expected minus %s;",
      "for the %s link, the canonical link of the %s family, h = 1, so K is zero whatever the data,",
      "and %s."),
      which_is, term, fam$link, family_name, agree),
    equal_saturated = sprintf(paste(
      "Observed against expected information. %s The observed information is the expected minus %s.",
      "%s Here K vanishes because the design is saturated: %s, so the score equations make the",
      "residuals sum to zero within each pattern (largest |sum w (y - mu)| in a pattern %s), on which",
      "eta and x are constant; K is %s of the entries' scale, and %s."),
      which_is, term, not_canonical, patterns, fmt(facts$pattern_residual), fmt(facts$extra_term),
      agree),
    equal_residuals = sprintf(paste(
      "Observed against expected information. %s The observed information is the expected minus %s.",
      "%s The design is not saturated (%s), but its residuals make K small here (%s of the entries'",
      "scale): %s."),
      which_is, term, not_canonical, patterns, fmt(facts$extra_term), agree),
    differ = sprintf(paste(
      "Observed against expected information. %s The observed information is the expected minus %s,",
      "whose mean is zero. %s With %s, K is not zero: %s of the entries' scale sqrt(I_ii I_jj)%s.",
      "The two matrices differ by up to %s relative (at '%s', '%s'), the coefficients' standard errors",
      "by up to %s ('%s'). vcov(f, type = \"expected\") gives the other."),
      which_is, term,
      if (facts$canonical) sprintf("For the canonical %s link h = 1, so the difference is rounding.", fam$link)
      else not_canonical,
      patterns, fmt(facts$extra_term),
      if (joint) sprintf(", the cross terms %s", fmt(facts$cross_term)) else "",
      fmt(facts$max_rel_diff), facts$worst[1L], facts$worst[2L], fmt(facts$se_rel), facts$se_worst))
  do.call(note, c(list(text), facts))
}

glm_note <- function(object, ml, g) {
  fam <- object$family
  lag <- max_relative(g$se, ml$se_glm_type)
  coef_rel <- max_relative(g$coef, ml$coef)
  coef_se <- max(abs(g$coef - ml$coef) / ml$se)
  constant <- constant_working_weights(fam)
  weights <- if (!constant) {
    sprintf(paste(
      "glm's iterations. With the dispersion and the information matched (vcov(f, type = \"glm\")),",
      "glm's standard errors still differ from mleglm's by %s relative: glm takes its covariance from",
      "the working weights w mu'(eta)^2 / V(mu) of its last IRLS iteration, computed at the previous",
      "iterate, and for the %s family with the %s link those depend on the coefficients."),
      fmt(lag), fam$family, fam$link)
  } else {
    sprintf(paste(
      "glm's iterations. With the dispersion and the information matched (vcov(f, type = \"glm\")),",
      "glm's standard errors agree with mleglm's to %s: glm takes its covariance from the working",
      "weights of its last IRLS iteration, computed at the previous iterate, but for the %s family with",
      "the %s link the working weights w mu'(eta)^2 / V(mu) are %s whatever the coefficients."),
      fmt(lag), fam$family, fam$link, if (fam$family == "poisson") "4 w" else "w")
  }
  iter <- g$fit$iter
  epsilon <- g$fit$control$epsilon
  stopped <- sprintf(paste(
    "Its coefficients differ by %s relative (%s standard errors): it %s after %d IRLS iteration%s,",
    "%s the relative change of the deviance, |D - D_old| / (|D| + 0.1), fell below epsilon = %s",
    "(glm.control()), a test that does not look at the score."),
    fmt(coef_rel), fmt(coef_se), if (isTRUE(g$fit$converged)) "stopped" else "did not converge",
    iter, if (iter == 1L) "" else "s", if (isTRUE(g$fit$converged)) "when" else "before",
    fmt(epsilon))
  note(paste(weights, stopped), claim = if (constant) "constant_weights" else "weights_lag",
       se_rel = lag, coef_rel = coef_rel, coef_se = coef_se, iterations = iter, epsilon = epsilon,
       converged = isTRUE(g$fit$converged))
}

# stats' Gamma()$aic evaluates the likelihood at the dispersion D / n (its
# `disp <- dev / n`), which is not the maximum-likelihood dispersion.
gamma_loglik_note <- function(object, g) {
  w <- object$prior.weights
  at <- g$fit$deviance / sum(w[w > 0])
  note(sprintf(paste(
    "Log-likelihood. glm's logLik() is lower by %s: for the Gamma family it is evaluated at",
    "the dispersion D / n = %s, not at the maximum-likelihood dispersion %s, so it is not the",
    "maximum of the likelihood; mleglm's is."),
    fmt(object$loglik - g$loglik, 3L), fmt(at, 7L), fmt(object$dispersion, 7L)),
    claim = "gamma_dispersion", difference = object$loglik - g$loglik, dispersion_glm = at)
}

# How many iterations each fitter took and on what it stopped.
stopping_note <- function(object, g, o, optim_control) {
  m <- mleglm_stop_facts(object)
  fam <- object$family
  start_solves <- m$iterations == 0L && m$converged
  why_zero <- if (!start_solves) "" else if (!is.null(object$call$start)) {
    ": the supplied start already satisfied it"
  } else if (fam$family == "gaussian" && fam$link == "identity" && !inherits(object, "mleglm_joint")) {
    paste(": its start, one weighted least-squares fit, solves the score equations of the Gaussian",
          "with identity link, so no step was needed")
  } else ": its start already satisfied it"
  ml <- sprintf(paste(
    "Stopping. mleglm took %d %s iteration%s and %s when the Newton decrement (the distance to the",
    "maximum of the local quadratic model, in standard errors) was %s, %s tol = %s (mleglm_control())%s."),
    m$iterations, m$method, if (m$iterations == 1L) "" else "s",
    if (m$converged) "stopped" else "did NOT converge: it stopped", fmt(m$decrement),
    if (m$decrement <= m$tol) "below" else "above", fmt(m$tol), why_zero)
  glm <- if (!is.null(g$absent)) "" else if (inherits(object, "mleglm_negbin")) {
    sprintf(paste(
      " glm.nb() took %d alternation%s of IRLS at fixed theta and theta.ml() at fixed beta (the last",
      "IRLS took %d iteration%s), stopping when the changes in log-likelihood and theta fell below",
      "epsilon = %s."),
      g$alternations, if (g$alternations == 1L) "" else "s", as.integer(g$fit$iter),
      if (as.integer(g$fit$iter) == 1L) "" else "s", fmt(g$fit$control$epsilon))
  } else {
    sprintf(" glm() took %d IRLS iteration%s, stopping on epsilon = %s for the deviance.",
            g$fit$iter, if (g$fit$iter == 1L) "" else "s", fmt(g$fit$control$epsilon))
  }
  op <- if (is.null(o$problem) || !is.null(o$error)) "" else {
    r <- o$result
    sprintf(paste(
      " optim()'s BFGS evaluated the objective %d times and its %s %d times and %s",
      "(convergence code %d), on reltol = %s."),
      r$counts[["function"]], gradient_words(score_kind(object, o$problem)),
      r$counts[["gradient"]],
      if (r$convergence == 0L) "converged" else sprintf("did not converge within maxit = %d", optim_maxit(optim_control)),
      r$convergence, fmt(optim_reltol(optim_control)))
  }
  list(stopping = note(paste0(ml, glm, op),
                       claim = if (start_solves) "start_solves" else if (m$converged) "converged" else "not_converged",
                       iterations = m$iterations, decrement = m$decrement, tol = m$tol))
}

optim_reltol <- function(control) if (is.null(control$reltol)) sqrt(.Machine$double.eps) else control$reltol
optim_maxit <- function(control) if (is.null(control$maxit)) 100L else as.integer(control$maxit)

# What optim() shows: where it started, what its tolerance allows, and its
# finite-difference Hessian.
optim_notes <- function(object, ml, o, optim_control) {
  fam <- object$family
  nm <- names(ml$coef)
  worst <- function(a, b) nm[which.max(abs(a / b - 1))]
  if (is.null(o$problem)) {
    return(list(optim = note(sprintf(
      "optim(). No negative log-likelihood is defined for this fit's class (%s).", class(object)[1L]),
      claim = "absent")))
  }
  if (!is.null(o$error)) {
    return(list(optim = optim_failure_note(object, o)))
  }
  f <- optim_facts(object, ml, o, optim_control)
  joint <- inherits(object, "mleglm_joint")
  start_from <- if (f$user_start) "the start supplied to fit()" else if (inherits(object, "mleglm_negbin")) {
    "mleglm's starting values (the Poisson fit, and the moment estimate of theta)"
  } else if (joint) {
    fam_phi <- object$family$phi
    sprintf("mleglm's starting values (a least-squares fit of the linked starting means%s)",
            if (!is.null(fam_phi) && !isTRUE(object$family$phi_fixed)) {
              sprintf(", and %s = %s as given to custom_family()", object$family$phi_name, format(fam_phi))
            } else "")
  } else "mleglm's starting values (one weighted least-squares step from glm's starting means, as glm's first iteration)"
  dispersion_moves <- if (!is.null(f$dispersion_start) && !joint) {
    sprintf("the dispersion, started at %s (%s), had to move to %s", fmt(f$dispersion_start, 7L),
            if (fam$family == "gaussian") "the sample variance of y" else "the mean squared Pearson residual at the start",
            fmt(f$dispersion_end, 7L))
  }
  end <- sprintf("It ended %s (%s relative) from mleglm's estimate", ses(f$end_se), fmt(f$end_rel))
  text <- if (f$start_at_estimate) {
    sprintf(paste(
      "optim's start. BFGS on %s started from %s, whose coefficients are already the estimate (%s",
      "away%s): %s. %s."),
      o$problem$parameters, start_from, ses(f$start_se),
      if (!f$user_start && fam$family == "gaussian" && fam$link == "identity" && !joint) {
        "; for the Gaussian with identity link the weighted least-squares step solves the score equations"
      } else "",
      if (is.null(dispersion_moves)) "nothing had to move" else paste("only", dispersion_moves), end)
  } else {
    sprintf(paste(
      "optim's tolerance. BFGS on %s started from %s, %s from the estimate (in '%s')%s.",
      "It stops when the objective changes by less than reltol = %s relative, %s here; the",
      "log-likelihood is flat at its maximum (moving d standard errors costs d^2 / 2), so that allows",
      "about sqrt(2 x %s) = %s standard errors. %s%s; mleglm stops on the score, by the Newton",
      "decrement."),
      o$problem$parameters, start_from, ses(f$start_se), f$start_worst,
      if (is.null(dispersion_moves)) "" else paste(";", dispersion_moves),
      fmt(f$reltol), fmt(f$allowed_change), fmt(f$allowed_change), fmt(f$allowed_se), end,
      if (f$end_se > f$allowed_se) {
        sprintf(paste(
          ", farther than that: BFGS, which starts with the identity for the Hessian, met its test",
          "on a step that changed the objective little while still that far from the maximum (the",
          "condition number of the information is %s)"), fmt(f$condition))
      } else "")
  }
  start_note <- do.call(note, c(list(text, claim = if (f$start_at_estimate) "start_at_estimate" else "tolerance"), f))
  hessian <- note(sprintf(paste(
    "optim's Hessian. Its standard errors invert a Hessian computed by finite differences of the",
    "%s (steps of %s) at its own, approximate, estimate: they differ from %s",
    "by up to %s relative ('%s').%s"),
    switch(if (is.null(f$score_kind)) "none" else f$score_kind, none = "objective",
           analytic = "analytic gradient", numerical = "numerical score of mleglm, its gradient"),
    steps_text(if (is.null(optim_control$ndeps)) 1e-3 else optim_control$ndeps),
    if (f$hessian_kind == "analytic") "the analytic observed information's" else paste(
      "mleglm's observed information's (itself from central differences of the log-density,",
      "accurate to about 1e-10 relative: ?custom_family)"),
    fmt(max_relative(o$se, ml$se)), worst(o$se, ml$se),
    if (has_dispersion(fam) && !joint) {
      paste(" The dispersion parameter does not disturb the coefficients' block: at the maximum",
            "it is orthogonal to them (the cross derivative is minus the score over phi, zero there).")
    } else ""),
    claim = "finite_differences", se_rel = max_relative(o$se, ml$se))
  list(optim_start = start_note, optim_hessian = hessian)
}

# The explanations for a fit with an extra parameter (negbin, custom).
compare_notes_joint <- function(object, ml, g, o, optim_control) {
  notes <- list()
  p <- object$rank
  beta <- seq_len(p)
  if (!is.null(g$absent)) {
    notes$glm <- note(sprintf("glm(). Not compared: %s.", g$absent), claim = "absent")
  } else {
    ll_diff <- ml$loglik - g$loglik
    same <- abs(ll_diff) <= 1e-6 * max(1, abs(ml$loglik))
    notes$estimation <- note(sprintf(paste(
      "Estimation. mleglm maximises the likelihood over (beta, log(theta)) together by %s;",
      "glm.nb() alternates IRLS for beta at fixed theta with a separate maximum-likelihood",
      "step for theta. %s: the coefficients differ by %s relative, theta by %s relative",
      "(%s against %s)."),
      object$method,
      if (same) sprintf("Both reach the same maximum (the log-likelihoods differ by %s)", fmt(abs(ll_diff)))
      else sprintf("glm.nb()'s log-likelihood is %s by %s", if (ll_diff > 0) "lower" else "higher", fmt(abs(ll_diff))),
      fmt(max_relative(g$coef[beta], ml$coef[beta])),
      fmt(abs(g$dispersion / object$theta - 1)), fmt(g$dispersion, 7L), fmt(object$theta, 7L)),
      claim = if (same) "same_maximum" else "different_maximum", loglik_diff = ll_diff)
    expected_gap <- max_relative(g$se[beta], ml$se_expected[beta])
    notes$std_errors <- note(sprintf(paste(
      "Standard errors. vcov(glm.nb) is the expected information of beta with theta treated as known,",
      "and its SE.theta comes from theta's own information. With the expected information over all",
      "parameters (vcov(f, type = \"expected\"), in which beta and theta are orthogonal) the",
      "coefficients' standard errors differ from glm.nb's by %s relative, as glm.nb computes them from",
      "the weights of its last IRLS iteration, computed at the previous iterate."),
      fmt(expected_gap)), claim = "expected_against_glm_nb", se_rel = expected_gap)
  }
  notes$information <- information_note(object, ml)
  notes <- c(notes, stopping_note(object, g, o, optim_control), optim_notes(object, ml, o, optim_control))
  split_notes(notes)
}

format_fixed <- function(df, digits) {
  m <- as.matrix(df)
  # Values that `digits` decimals would show as 0.0000 (an inverse
  # Gaussian's coefficients are of order 1e-5) are shown to `digits`
  # significant digits instead, row by row.
  tiny <- any(m != 0 & abs(m) < 0.5 * 10^-digits, na.rm = TRUE)
  out <- if (tiny) {
    t(apply(m, 1L, function(row) formatC(row, digits = digits, format = "g", flag = "#")))
  } else as.matrix(format(round(df, digits), nsmall = digits))
  dimnames(out) <- dimnames(df)
  out
}

