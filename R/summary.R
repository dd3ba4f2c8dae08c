#' Summarise an mleglm fit
#'
#' A coefficient table with Wald tests, both dispersion estimates, the
#' log-likelihood with AIC and BIC, and a convergence report.
#'
#' With the default `vcov = "observed"` (or `"expected"`) the standard errors
#' are maximum-likelihood ones and the tests are z tests against the normal
#' distribution, as likelihood theory gives them. With `vcov = "glm"` the
#' table reproduces `summary(glm(...))`: Pearson dispersion divided by
#' n - p and, for families with an estimated dispersion, t tests on n - p
#' degrees of freedom. With `vcov = "sandwich"` the standard errors are
#' robust (Huber-White, `hc = "HC0"` or `"HC1"`) and the tests z tests.
#'
#' @param object An `"mleglm"` object.
#' @param vcov Which covariance matrix the table uses; see [vcov.mleglm()].
#' @param hc For `vcov = "sandwich"`: `"HC0"` or `"HC1"`.
#' @param ... Unused.
#' @return An object of class `"summary.mleglm"`.
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' summary(f)
#' summary(f, vcov = "glm")
#' summary(f, vcov = "sandwich")
#' @export
summary.mleglm <- function(object, vcov = c("observed", "expected", "sandwich", "glm"),
                           hc = c("HC0", "HC1"), ...) {
  vcov <- match_choice(vcov, vcov_types, "vcov")
  hc <- match_choice(hc, c("HC0", "HC1"), "hc")
  v <- vcov.mleglm(object, type = vcov, complete = FALSE, hc = hc)
  est <- coef(object, complete = FALSE)
  se <- sqrt(diag(v))
  # Standard errors of an infinite estimate mean nothing: NA, not a Wald test.
  se[names(se) %in% names(object$separation)] <- NA_real_
  stat <- est / se
  use_t <- vcov == "glm" && has_dispersion(object$family)
  p_value <- if (use_t) 2 * stats::pt(-abs(stat), object$df.residual) else 2 * stats::pnorm(-abs(stat))
  table <- cbind(est, se, stat, p_value)
  dimnames(table) <- list(names(est), c("Estimate", "Std. Error",
                                        if (use_t) "t value" else "z value",
                                        if (use_t) "Pr(>|t|)" else "Pr(>|z|)"))
  ll <- stats::logLik(object)
  info <- object$information[[if (vcov %in% c("observed", "sandwich")) "observed" else "expected"]]
  structure(c(list(
    call = object$call,
    family = object$family,
    coefficients = table,
    vcov_type = vcov,
    hc = hc,
    aliased = object$aliased,
    separation = object$separation,
    dispersion = object$dispersion,
    dispersion_pearson = object$dispersion_pearson,
    has_dispersion = has_dispersion(object$family),
    loglik = ll,
    aic = stats::AIC(ll),
    bic = stats::BIC(ll),
    deviance = object$deviance,
    df.residual = object$df.residual,
    nobs = object$nobs
  ), convergence_report(object, info)), class = "summary.mleglm")
}

# What summary() reports of how the maximum was found: the solver, the
# stopping rule's state at the end and the conditioning of `info`.
convergence_report <- function(object, info) {
  last <- object$trace[nrow(object$trace), ]
  list(
    method = object$method,
    converged = object$converged,
    iterations = object$iterations,
    message = object$message,
    gradient_norm = last$gradient_norm,
    decrement = last$decrement,
    tol = object$control$tol,
    halvings = sum(object$trace$halvings),
    condition = condition_number(info),
    warnings = object$warnings
  )
}

# Ratio of the largest to the smallest eigenvalue of a symmetric matrix.
condition_number <- function(m) {
  # A fit stopped where the information overflowed has none to report.
  if (length(m) == 0L || !all(is.finite(m))) return(NA_real_)
  ev <- eigen(m, symmetric = TRUE, only.values = TRUE)$values
  if (min(ev) <= 0) Inf else max(ev) / min(ev)
}

#' @rdname summary.mleglm
#' @param x A `"summary.mleglm"` object.
#' @param digits Significant digits to print.
#' @export
print.summary.mleglm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Family: ", x$family$family, " (link: ", x$family$link, ")\n\n", sep = "")
  source <- switch(x$vcov_type,
    observed = "the observed information at the MLE",
    expected = "the expected (Fisher) information at the MLE",
    sandwich = sprintf("the robust sandwich (%s) around the observed information", x$hc),
    glm = "the expected information with glm's Pearson dispersion, as summary(glm()) reports them")
  cat("Coefficients (standard errors from ", source, "):\n", sep = "")
  stats::printCoefmat(x$coefficients, digits = digits, na.print = "NA")
  print_separation(x$separation)
  if (any(x$aliased)) {
    cat("(", sum(x$aliased), " not defined because of singularities: ",
        paste(names(x$aliased)[x$aliased], collapse = ", "), ")\n", sep = "")
  }
  cat("\n")
  if (x$has_dispersion) {
    used_ml <- x$vcov_type %in% c("observed", "expected")
    used_pearson <- x$vcov_type == "glm"
    cat("Dispersion: ", format(x$dispersion, digits = digits + 3L),
        " maximum likelihood (divided by n = ", x$nobs, ")",
        if (used_ml) ", used for the standard errors", "\n", sep = "")
    cat("            ", format(x$dispersion_pearson, digits = digits + 3L),
        " Pearson, as glm() (divided by n - p = ", x$df.residual, ")",
        if (used_pearson) ", used for the standard errors", "\n", sep = "")
    if (x$vcov_type == "sandwich") cat("            (the sandwich standard errors do not depend on the dispersion)\n")
  } else {
    cat("Dispersion: 1 (fixed by the ", x$family$family, " family)\n", sep = "")
  }
  cat("Log-likelihood: ", format(unclass(x$loglik), digits = digits + 3L),
      " (df = ", attr(x$loglik, "df"), ")   AIC: ", format(x$aic, digits = digits + 3L),
      "   BIC: ", format(x$bic, digits = digits + 3L), "\n", sep = "")
  cat("Residual deviance: ", format(x$deviance, digits = digits + 2L), " on ",
      x$df.residual, " degrees of freedom (n = ", x$nobs, ")\n\n", sep = "")
  cat("Convergence: ", if (x$converged) "converged" else "NOT converged", " after ",
      x$iterations, " ", x$method, " iterations (", x$message, ")\n", sep = "")
  cat("  Newton decrement ", format(x$decrement, digits = 3L), " (tol ", format(x$tol),
      "); score norm ", format(x$gradient_norm, digits = 3L), "; step halvings ", x$halvings,
      "; condition number of the information ", formatC(x$condition, digits = 3L, format = "g"), "\n", sep = "")
  print_warnings(x$warnings)
  invisible(x)
}
