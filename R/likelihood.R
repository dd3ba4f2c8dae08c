#' The fitted model's likelihood at any coefficients
#'
#' `loglik_at()`, `score_at()` and `information_at()` evaluate the
#' log-likelihood of the fitted model (same data, weights, offset, family and
#' link), its gradient and minus its Hessian (`"observed"`) or the
#' expectation of that (`"expected"`) at a coefficient vector `beta`, with
#' the same C++ code the solvers use. At `coef(object)` they reproduce
#' `logLik(object)`, `object$score` and `object$information`.
#'
#' Where the family has a dispersion (Gaussian, Gamma, inverse Gaussian) it
#' is set to its maximum-likelihood value for `beta`, so `loglik_at()` is the
#' profile log-likelihood of the coefficients, the function the solvers
#' maximise. `score_at()` is exactly its gradient (the dispersion's own score
#' is zero there). `information_at()` is the information at that dispersion
#' held fixed; the Hessian of the profile log-likelihood adds the rank-one
#' term \eqn{2\, (d\hat\phi / dD)\, U U^\top}{2 (d phi-hat / dD) U U'} (\eqn{D} the deviance), which
#' vanishes at the estimate, where \eqn{U = 0}; [check_derivatives()] uses it.
#'
#' For fits with an extra parameter ([negbin()], [custom_family()]) the
#' functions work over the full parameter vector `object$par`: `beta` may be
#' the coefficients (the extra parameter is then held at its estimate) or
#' the whole of `par` (the coefficients, then \eqn{\log\theta}{log(theta)} or the
#' custom family's parameter on its estimation scale); the score and the
#' information cover all of `par`. A custom family has no expected
#' information. Fits from [fit_chunked()] hold no rows and give an error of
#' class `mleglm_error_rows_unavailable`.
#'
#' @param object An `"mleglm"` object.
#' @param beta Coefficients: one per coefficient of `object` (aliased ones
#'   are ignored) or one per non-aliased coefficient, in the order of
#'   `coef(object)`; for fits with an extra parameter also the whole of
#'   `object$par`.
#' @param type `"observed"` or `"expected"` information.
#' @return `loglik_at()`: a number, `-Inf` where `beta` gives means outside
#'   the family's range. `score_at()`: a named vector. `information_at()`: a
#'   named matrix. Both of the last two fail with an error of class
#'   `mleglm_error_domain` outside the range.
#' @examples
#' f <- fit(num > 0 ~ age + sex, heart, family = binomial(link = "probit"))
#' loglik_at(f, coef(f))
#' score_at(f, c(-1, 0.02, 0.5))
#' information_at(f, coef(f), type = "expected")
#' @export
loglik_at <- function(object, beta) {
  res <- evaluate_at(object, beta)
  if (!res$ok) return(-Inf)
  res$loglik
}

#' @rdname loglik_at
#' @export
score_at <- function(object, beta) {
  res <- evaluate_at(object, beta, need_valid = TRUE)
  stats::setNames(res$score, res$names)
}

#' @rdname loglik_at
#' @export
information_at <- function(object, beta, type = c("observed", "expected")) {
  type <- match_choice(type, c("observed", "expected"), "type")
  res <- evaluate_at(object, beta, need_valid = TRUE)
  if (is.null(res[[type]])) {
    unsupported("The expected information", sprintf(
      "custom family \"%s\" defines a log-density only, whose expectation the package cannot take; use type = \"observed\"",
      object$family$family))
  }
  res[[type]]
}

#' Check the analytic score and Hessian against finite differences
#'
#' Compares `score_at()` with central differences of `loglik_at()`, and the
#' analytic Hessian of the log-likelihood with central differences of
#' `score_at()`, at `beta`. The step for coefficient \eqn{j} is
#' `step` \eqn{/ \sqrt{I_{jj}}}{/ sqrt(I_jj)}, with \eqn{I} the expected information at
#' `beta`: a fixed fraction of the coefficient's own scale, so that the
#' truncation error (of order `step`^2) and the rounding error (of order
#' \eqn{10^{-16} |\ell| /}{1e-16 |logLik| /} `step`) are both small whatever the units of the
#' covariate. Errors are relative to the larger of the two values and the
#' natural scale of the entry (\eqn{\sqrt{I_{jj}}}{sqrt(I_jj)} for the score,
#' \eqn{\sqrt{I_{ii} I_{jj}}}{sqrt(I_ii I_jj)} for the Hessian), which keeps them meaningful
#' at the estimate, where the score is zero.
#'
#' For families with a dispersion the log-likelihood is profiled over it
#' (see [loglik_at()]); the analytic Hessian compared is then that of the
#' profile, minus the observed information plus \eqn{2\,(d\hat\phi/dD)\,U U^\top}{2 (d phi-hat / dD) U U'}.
#'
#' @param object An `"mleglm"` object.
#' @param beta Where to check; by default the estimate (for fits with an
#'   extra parameter, all of `object$par`; see [loglik_at()]).
#' @param step Step in units of \eqn{1/\sqrt{I_{jj}}}{1 / sqrt(I_jj)}; the default `1e-4`
#'   balances truncation and rounding error.
#' @return An object of class `"mleglm_derivatives"` with the analytic and
#'   numerical score and Hessian, their relative errors and the largest ones
#'   (`max_score_error`, `max_hessian_error`); its print method reports them,
#'   and its format method gives that report as lines (a character vector).
#' @examples
#' f <- fit(num > 0 ~ age + sex, heart, family = binomial(link = "probit"))
#' check_derivatives(f)
#' @export
check_derivatives <- function(object, beta = kind_estimate(object), step = 1e-4) {
  check_number(step, "step", lower = 0, upper = 1, open_lower = TRUE, kind = "input")
  lik <- kind_prepare(object)
  ev <- function(par) likelihood_at(lik, par)
  beta <- as_beta(object, beta)
  here <- ev(beta)
  if (!here$derivatives_ok) abort("domain", "`beta` gives fitted means outside the family's range.")
  # A custom family has no expected information: the observed one's scale.
  scale <- sqrt(abs(diag(if (is.null(here$expected)) here$observed else here$expected)))
  h <- step / scale
  p <- length(beta)
  score_num <- numeric(p)
  hess_num <- matrix(0, p, p)
  for (j in seq_len(p)) {
    up <- ev(replace(beta, j, beta[j] + h[j]))
    down <- ev(replace(beta, j, beta[j] - h[j]))
    if (!up$derivatives_ok || !down$derivatives_ok) {
      abort("domain", sprintf("A step of %g from `beta` in '%s' leaves the family's range; use a smaller `step`.",
                              h[j], here$names[j]))
    }
    score_num[j] <- (up$loglik - down$loglik) / (2 * h[j])
    hess_num[, j] <- (up$score - down$score) / (2 * h[j])
  }
  u <- here$score
  hess <- -here$observed + 2 * dispersion_slope(object, here) * tcrossprod(u)
  score_err <- abs(u - score_num) / pmax(abs(u), abs(score_num), scale)
  hess_err <- abs(hess - hess_num) / pmax(abs(hess), abs(hess_num), tcrossprod(scale))
  nm <- here$names
  dimnames(hess) <- dimnames(hess_num) <- dimnames(hess_err) <- list(nm, nm)
  structure(list(
    beta = stats::setNames(beta, nm),
    score = data.frame(analytic = u, numerical = score_num, rel_error = score_err, row.names = nm),
    hessian = hess, hessian_numerical = hess_num, hessian_error = hess_err,
    max_score_error = max(score_err), max_hessian_error = max(hess_err),
    step = stats::setNames(h, nm)
  ), class = "mleglm_derivatives")
}

#' @rdname check_derivatives
#' @param x An `"mleglm_derivatives"` object.
#' @param digits Significant digits.
#' @param ... Unused.
#' @export
format.mleglm_derivatives <- function(x, digits = 3L, ...) {
  worst_score <- rownames(x$score)[which.max(x$score$rel_error)]
  k <- which(x$hessian_error == max(x$hessian_error), arr.ind = TRUE)[1L, ]
  worst_hessian <- sprintf("%s, %s", rownames(x$hessian_error)[k[1L]], colnames(x$hessian_error)[k[2L]])
  split_lines(c(
    paste0("Analytic derivatives against central differences (step ",
           format(min(x$step), digits = 2L), " to ", format(max(x$step), digits = 2L), "):"),
    paste0("  score:   largest relative error ", format(x$max_score_error, digits = digits),
           " (", worst_score, ")"),
    paste0("  Hessian: largest relative error ", format(x$max_hessian_error, digits = digits),
           " (", worst_hessian, ")"),
    "Each error is |analytic - numerical| divided by the largest of |analytic|, |numerical|",
    "and the entry's natural scale: sqrt(I_jj) for the score, sqrt(I_ii I_jj) for the Hessian,",
    "with I the expected information (the observed one where there is no expected).",
    "", "Score:",
    utils::capture.output(print(format(x$score, digits = digits)))))
}

#' @rdname check_derivatives
#' @export
print.mleglm_derivatives <- function(x, digits = 3L, ...) {
  writeLines(format(x, digits = digits, ...))
  invisible(x)
}

#' The iteration trace of an mleglm fit
#'
#' One row per iteration: the log-likelihood and the Euclidean norm of the
#' score at the start of the iteration, the Newton decrement (the distance
#' to the maximum of the local quadratic model, in standard errors), the
#' step length taken and the number of step halvings (the last row takes no
#' step). `plot()` draws the log-likelihood and the score norm against the
#' iteration; see [plot.mleglm_trace()].
#'
#' @param object An `"mleglm"` object.
#' @return A data frame of class `"mleglm_trace"`, with the solver's name as
#'   attribute `method` and its tolerance as attribute `tol`. Its `print()`
#'   method writes a legend, one line per column, above the table; its
#'   `format()` method gives those lines (a character vector).
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial(), method = "bfgs")
#' fit_trace(f)
#' @export
fit_trace <- function(object) {
  if (!inherits(object, "mleglm")) abort("input", "`object` must be an mleglm fit.")
  structure(object$trace, class = c("mleglm_trace", "data.frame"), method = object$method,
            tol = object$control$tol)
}

#' @rdname fit_trace
#' @param x An `"mleglm_trace"` object.
#' @param digits Significant digits of the table.
#' @param ... Unused.
#' @export
format.mleglm_trace <- function(x, digits = max(7L, getOption("digits")), ...) {
  method <- attr(x, "method")
  if (is.null(method)) method <- "mleglm"
  tol <- attr(x, "tol")
  curvature <- switch(method,
    newton = "the observed information",
    fisher = "the expected information",
    bfgs = "the BFGS approximation to the information",
    "the curvature in use")
  legend <- c(
    iteration = "the iteration, 0 at the starting values",
    loglik = "the log-likelihood at the start of the iteration",
    gradient_norm = paste("the Euclidean norm of the score there (a column of size above 2^64 or",
                          "below 2^-64 is first divided by a power of two)"),
    decrement = sprintf(paste("the Newton decrement sqrt(U' C^-1 U), C %s: the distance to the",
                              "maximum of the local quadratic model, in standard errors; the solver",
                              "stops when it is at most tol%s"),
                        curvature, if (is.null(tol)) "" else paste(" =", format(tol))),
    step = "the step length taken, 1 for the full step (0 on the last row, which takes none)",
    halvings = "how often that step was halved to increase the log-likelihood")
  shown <- names(x)
  described <- ifelse(shown %in% names(legend), legend[shown], "as recorded by the solver")
  width <- max(nchar(shown))
  table <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  attr(table, "method") <- NULL
  attr(table, "tol") <- NULL
  split_lines(c(
    sprintf("Iterations of the %s solver, one row each:", method),
    unlist(lapply(seq_along(shown), function(i) {
      lines <- strwrap(described[i], width = max(20L, getOption("width") - width - 6L))
      paste0(c(sprintf("  %s  ", formatC(shown[i], width = -width)),
               rep(strrep(" ", width + 4L), length(lines) - 1L)), lines)
    })),
    "",
    utils::capture.output(print(table, digits = digits))))
}

#' @rdname fit_trace
#' @export
print.mleglm_trace <- function(x, digits = max(7L, getOption("digits")), ...) {
  writeLines(format(x, digits = digits, ...))
  invisible(x)
}

# ---- helpers -----------------------------------------------------------------

evaluate_at <- function(object, beta, need_valid = FALSE) {
  res <- likelihood_at(object, as_beta(object, beta))
  if (need_valid && !res$derivatives_ok) {
    abort("domain", sprintf("`beta` gives fitted means outside the range of the %s family with the %s link.",
                            object$family$family, object$family$link))
  }
  res
}

# The full parameter vector of likelihood_at() from a full or a reduced
# coefficient vector or, for joint fits, the whole of `par` (the extra
# parameter held at its estimate when only coefficients are given).
as_beta <- function(object, beta) {
  if (!inherits(object, "mleglm")) abort("input", "`object` must be an mleglm fit.")
  if (inherits(object, "mleglm_chunked")) likelihood_at(object, beta)
  keep <- !object$aliased
  est <- kind_estimate(object)
  extra <- length(est) - sum(keep)
  full_par <- extra > 0L && is.numeric(beta) && length(beta) == length(est) &&
    (is.null(names(beta)) || identical(names(beta), names(est)))
  if (!is.numeric(beta) || !(length(beta) %in% c(length(keep), sum(keep)) || full_par)) {
    abort("input", sprintf("`beta` must be a numeric vector with one value per coefficient (%d) or per non-aliased coefficient (%d)%s.",
                           length(keep), sum(keep),
                           if (extra > 0L) sprintf(", or all %d parameters of `object$par`", length(est)) else ""))
  }
  if (!full_par && length(beta) == length(keep) && length(keep) != sum(keep)) beta <- beta[keep]
  if (any(!is.finite(beta))) abort("input", "`beta` must be finite.")
  if (full_par) return(unname(as.double(beta)))
  c(unname(as.double(beta)), unname(est[seq_len(extra) + sum(keep)]))
}

# d phi_hat / d deviance at the evaluation `res`: the profile Hessian's
# rank-one term. Zero for families without a dispersion.
dispersion_slope <- function(object, res) {
  if (inherits(object, "mleglm_joint")) return(0)
  w <- object$prior.weights
  switch(object$family$family,
    gaussian = 1 / sum(w > 0),
    inverse.gaussian = 1 / sum(w[w > 0]),
    # log(nu) - digamma(nu) = D / (2 sum w), phi = 1 / nu.
    Gamma = {
      nu <- 1 / res$dispersion
      -1 / (nu^2 * 2 * sum(w[w > 0]) * (1 / nu - trigamma(nu)))
    },
    0)
}
