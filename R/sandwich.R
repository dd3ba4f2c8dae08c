# The robust (sandwich) covariance, and the two methods that let the
# `sandwich` package compute it (and its variants) on an mleglm fit.

#' Methods for the sandwich package
#'
#' `estfun()` gives the per-row contributions to the score,
#' \eqn{U_i = x_i\, w_i (y_i - \mu_i)\, \mu'(\eta_i) / (\phi V(\mu_i))},
#' one row per fitted observation (zero for rows with zero weight), at the
#' estimate and the maximum-likelihood dispersion; `bread()` gives
#' \eqn{n} times the inverse observed information, so that
#' `sandwich::sandwich(f)`, `sandwich::vcovHC(f, type = "HC0")` and
#' `vcov(f, type = "sandwich")` are the same matrix. Registered when the
#' `sandwich` package is loaded; mleglm does not depend on it.
#'
#' For [negbin()] fits the columns cover \eqn{\log\theta}{log(theta)} as well, and
#' `bread()` is \eqn{n} times the inverse observed information over all the
#' parameters; a [custom_family()] fit gives an error of class
#' `mleglm_error_unsupported` from `estfun()`.
#'
#' `sandwich`'s own methods for `glm()` fits use the expected information
#' in the bread (and glm's weights of the previous iteration): for canonical
#' links the two agree; for others (probit, say) they differ as the observed
#' and expected information do.
#'
#' @param x An `"mleglm"` object.
#' @param ... Unused.
#' @return `estfun()`: an \eqn{n \times p}{n x p} matrix; `bread()`: a
#'   \eqn{p \times p}{p x p} matrix (non-aliased coefficients).
#' @name mleglm-sandwich
#' @examplesIf requireNamespace("sandwich", quietly = TRUE)
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' sandwich::vcovHC(f, type = "HC0")
#' vcov(f, type = "sandwich")
NULL

#' @rdname mleglm-sandwich
#' @exportS3Method sandwich::estfun
estfun.mleglm <- function(x, ...) {
  score_contributions(x)
}

#' @rdname mleglm-sandwich
#' @exportS3Method sandwich::bread
bread.mleglm <- function(x, ...) {
  n <- nrow(score_contributions(x))
  if (inherits(x, "mleglm_joint")) return(n * coef_vcov(x, "observed", all = TRUE))
  n * vcov.mleglm(x, type = "observed", complete = FALSE)
}

# U_i = x_i l_eta_i / phi for every fitted row (model-matrix rows).
score_contributions <- function(object) {
  if (inherits(object, "mleglm_custom")) {
    unsupported("estfun()", sprintf(
      "per-row scores of custom family \"%s\" are not computed (the core sums them over the rows)",
      object$family$family))
  }
  x <- refit_data(object)$x
  family <- object$family
  mu <- object$fitted.values
  w <- object$prior.weights
  l_eta <- w * (response_of(object) - mu) * family$mu.eta(object$linear.predictors) /
    family$variance(mu) / object$dispersion
  l_eta[w == 0] <- 0
  out <- l_eta * x
  attr(out, "assign") <- attr(out, "contrasts") <- NULL
  if (inherits(object, "mleglm_negbin")) {
    # d/d log(theta) of each row's NB2 log-density.
    theta <- object$theta
    y <- response_of(object)
    u_tau <- w * theta * (digamma(y + theta) - digamma(theta) + log(theta) + 1 -
                            log(mu + theta) - (y + theta) / (mu + theta))
    u_tau[w == 0] <- 0
    out <- cbind(out, "log(theta)" = u_tau)
  }
  out
}

# V U'U V with V the inverse observed information: the information's
# dispersion cancels, so the result does not depend on it. HC1 scales by
# n / (n - p), n counting the rows with positive weight.
sandwich_vcov <- function(object, hc) {
  v <- vcov.mleglm(object, type = "observed", complete = FALSE)
  u <- score_contributions(object)
  out <- v %*% crossprod(u) %*% v
  if (hc == "HC1") out <- out * object$nobs / (object$nobs - object$rank)
  dimnames(out) <- dimnames(v)
  out
}
