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
#' @return An object of class `"summary.mleglm"`. Its `format()` method gives
#'   the lines that its `print()` method writes, a character vector with one
#'   element a line; `print()` returns its argument invisibly.
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
    start_reason = if (object$converged && object$iterations == 0L) start_solves_reason(object),
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
format.summary.mleglm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  source <- switch(x$vcov_type,
    observed = "the observed information at the MLE",
    expected = "the expected (Fisher) information at the MLE",
    sandwich = sprintf("the robust sandwich (%s) around the observed information", x$hc),
    glm = "the expected information with glm's Pearson dispersion, as summary(glm()) reports them")
  dispersion <- if (x$has_dispersion) {
    used_ml <- x$vcov_type %in% c("observed", "expected")
    used_pearson <- x$vcov_type == "glm"
    c(paste0("Dispersion: ", format(x$dispersion, digits = digits + 3L),
             " maximum likelihood (divided by n = ", format(x$nobs), ")",
             if (used_ml) ", used for the standard errors"),
      paste0("            ", format(x$dispersion_pearson, digits = digits + 3L),
             " Pearson, as glm() (divided by n - p = ", format(x$df.residual), ")",
             if (used_pearson) ", used for the standard errors"),
      if (x$vcov_type == "sandwich") "            (the sandwich standard errors do not depend on the dispersion)")
  } else {
    paste0("Dispersion: 1 (fixed by the ", x$family$family, " family)")
  }
  split_lines(c(
    format_summary_head(x, x$family$family, source, digits),
    format_separation(x$separation),
    format_aliased(x$aliased),
    "",
    dispersion,
    format_information_criteria(x, digits),
    paste0("Residual deviance: ", format(x$deviance, digits = digits + 2L), " on ",
           format(x$df.residual), " degrees of freedom (n = ", format(x$nobs), ")"),
    "",
    format_convergence_report(x),
    format_warnings(x$warnings)))
}

#' @rdname summary.mleglm
#' @export
print.summary.mleglm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  writeLines(format(x, digits = digits, ...))
  invisible(x)
}

# The lines of a summary() of any fit, "mleglm" or "mleglm_joint": the
# call, the family and the coefficient table, its standard errors from
# `source`; ...
format_summary_head <- function(x, family_name, source, digits) {
  c("", "Call:", paste(deparse(x$call), collapse = "\n"), "",
    paste0("Family: ", family_name, " (link: ", x$family$link, ")"), "",
    paste0("Coefficients (standard errors from ", source, "):"),
    utils::capture.output(stats::printCoefmat(x$coefficients, digits = digits, na.print = "NA")))
}

# ... the coefficients not defined ...
format_aliased <- function(aliased) {
  if (!any(aliased)) return(character(0))
  paste0("(", format(sum(aliased)), " not defined because of singularities: ",
         paste(names(aliased)[aliased], collapse = ", "), ")")
}

# ... the log-likelihood with AIC and BIC ...
format_information_criteria <- function(x, digits) {
  paste0("Log-likelihood: ", format(unclass(x$loglik), digits = digits + 3L),
         " (df = ", format(attr(x$loglik, "df")), ")   AIC: ", format(x$aic, digits = digits + 3L),
         "   BIC: ", format(x$bic, digits = digits + 3L))
}

# ... and how the maximum was found (convergence_report()).
format_convergence_report <- function(x) {
  c(if (x$converged && x$iterations == 0L) {
      strwrap(paste0("Convergence: converged at the starting values (", x$start_reason, ")"),
              width = max(40L, getOption("width") - 2L), exdent = 2L)
    } else {
      paste0("Convergence: ", if (x$converged) "converged" else "NOT converged", " after ",
             format(x$iterations), " ", x$method, " iteration", if (x$iterations == 1L) "" else "s",
             " (", x$message, ")")
    },
    paste0("  Newton decrement ", format(x$decrement, digits = 3L), " (tol ", format(x$tol),
           "); score norm ", format(x$gradient_norm, digits = 3L), "; step halvings ",
           format(x$halvings), "; condition number of the information ",
           formatC(x$condition, digits = 3L, format = "g")))
}
