#' Fit a GLM by maximum likelihood from a model matrix
#'
#' The engine behind [fit()], for a model matrix the caller has built. The
#' log-likelihood, score and information come from the package's C++ core;
#' the coefficients maximise the log-likelihood and the dispersion (Gaussian,
#' Gamma, inverse Gaussian) is its maximum-likelihood value.
#'
#' @param x Numeric model matrix, one row per observation (include a column
#'   of ones for an intercept).
#' @param y Response: a numeric vector; for the binomial family also a 0/1,
#'   logical or factor vector, proportions with the numbers of trials in
#'   `weights`, or a two-column matrix of successes and failures.
#' @param family A family object such as `binomial(link = "probit")`, a
#'   family function such as `poisson`, or its name such as `"Gamma"`.
#'   Supported: gaussian (identity, log, inverse), binomial (logit, probit,
#'   cauchit, cloglog, log), poisson (log, identity, sqrt), Gamma (inverse,
#'   identity, log) and inverse.gaussian (1/mu^2, inverse, identity, log);
#'   also [negbin()] (theta estimated jointly) and [custom_family()] (a
#'   log-density of your own).
#' @param weights Optional non-negative prior weights, as in [stats::glm()].
#' @param offset Optional known part of the linear predictor.
#' @param start Optional starting coefficients, one per column of `x`.
#'   By default the start is one weighted least-squares step from the
#'   family's starting means, as `glm()` does.
#' @param method `"newton"` (Newton-Raphson on the observed information),
#'   `"fisher"` (Fisher scoring on the expected information) or `"bfgs"`
#'   (quasi-Newton on the analytic score).
#' @param control Settings from [mleglm_control()].
#' @return An object of class `"mleglm"`; see [fit()].
#' @examples
#' x <- cbind("(Intercept)" = 1, age = heart$age, exang = heart$exang,
#'            oldpeak = heart$oldpeak)
#' fit_matrix(x, heart$thalach)
#' @export
fit_matrix <- function(x, y, family = gaussian(), weights = NULL, offset = NULL,
                       start = NULL, method = c("newton", "fisher", "bfgs"),
                       control = mleglm_control()) {
  call <- match.call()
  family <- resolve_family(family)
  method <- check_method(method)
  control <- as_control(control)
  x <- check_model_matrix(x)
  largest <- check_finite_columns(x, control$threads)
  check_response_length(y, nrow(x))
  weights <- check_weights(weights, nrow(x))
  offset <- check_offset(offset, nrow(x))
  engine <- fit_engine(x, y, family, weights, offset, start, method, control, largest)
  new_mleglm(engine, call = call, x = x)
}

check_method <- function(method) {
  match_choice(method, c("newton", "fisher", "bfgs"), "method")
}

check_model_matrix <- function(x) {
  if (is.data.frame(x) || !is.matrix(x) || !(is.numeric(x) || is.logical(x))) {
    abort("input", "`x` must be a numeric matrix; use fit() with a formula for a data frame.")
  }
  if (nrow(x) == 0L) abort("input", "`x` has no rows.")
  if (ncol(x) == 0L) abort("input", "`x` has no columns: there is no coefficient to estimate.")
  if (is.null(colnames(x))) colnames(x) <- paste0("x", seq_len(ncol(x)))
  if (storage.mode(x) != "double") storage.mode(x) <- "double"
  x
}

# The finiteness check on a checked model matrix, in one pass over it (on
# `threads` threads) that also finds each column's largest absolute value,
# which is returned for the solver's column scaling.
check_finite_columns <- function(x, threads = 1L) {
  columns <- call_core(cpp_column_check(x, threads))
  bad <- columns$nonfinite > 0
  if (any(bad)) {
    abort("input", sprintf("`x` must be finite; column %s has missing or infinite values.",
                           paste(sprintf("'%s'", colnames(x)[bad]), collapse = ", ")))
  }
  columns$largest
}

check_response_length <- function(y, n) {
  len <- if (is.matrix(y) || is.data.frame(y)) nrow(y) else length(y)
  if (len != n) {
    abort("input", sprintf("The response has %d values but `x` has %d rows.", len, n))
  }
}

check_weights <- function(weights, n) {
  if (is.null(weights)) return(rep(1, n))
  if (!is.numeric(weights) || length(weights) != n) {
    abort("input", sprintf("`weights` must be a numeric vector with one value per row (%d), not %s of length %d.",
                           n, class(weights)[1L], length(weights)))
  }
  if (any(!is.finite(weights))) {
    abort("input", sprintf("`weights` must be finite; %s are not.", describe_rows(!is.finite(weights))))
  }
  if (any(weights < 0)) {
    abort("input", sprintf("`weights` must be non-negative; %s are negative.", describe_rows(weights < 0)))
  }
  as.double(weights)
}

check_offset <- function(offset, n) {
  if (is.null(offset)) return(rep(0, n))
  if (!is.numeric(offset) || length(offset) != n) {
    abort("input", sprintf("`offset` must be a numeric vector with one value per row (%d), not %s of length %d.",
                           n, class(offset)[1L], length(offset)))
  }
  if (any(!is.finite(offset))) {
    abort("input", sprintf("`offset` must be finite; %s are not.", describe_rows(!is.finite(offset))))
  }
  as.double(offset)
}

check_start <- function(start, names) {
  if (is.null(start)) return(NULL)
  if (!is.numeric(start) || length(start) != length(names)) {
    abort("start", sprintf("`start` must be a numeric vector with one value per coefficient (%d: %s), not %s of length %d.",
                           length(names), paste(names, collapse = ", "), class(start)[1L], length(start)))
  }
  if (any(!is.finite(start))) {
    abort("start", sprintf("`start` must be finite; the value for %s is not.",
                           paste(names[!is.finite(start)], collapse = ", ")))
  }
  as.double(start)
}
