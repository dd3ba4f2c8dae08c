#' Log-likelihood of an mleglm fit
#'
#' The maximised log-likelihood, with the dispersion at its
#' maximum-likelihood value. `df` counts the estimated coefficients plus one
#' for an estimated dispersion and `nobs` the rows with positive weight, as
#' `logLik(glm(...))` does, so [stats::AIC()] and [stats::BIC()] agree with
#' `glm()` for the Gaussian, binomial and Poisson families. For the Gamma
#' family `glm()` evaluates its AIC at the dispersion deviance / n rather than
#' at the maximum-likelihood value, so mleglm's log-likelihood is slightly
#' higher: it is the true maximum.
#'
#' @param object An `"mleglm"` object.
#' @param ... Unused.
#' @return An object of class `"logLik"`.
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' logLik(f)
#' AIC(f)
#' @export
logLik.mleglm <- function(object, ...) {
  structure(object$loglik,
            df = object$rank + has_dispersion(object$family),
            nobs = object$nobs,
            class = "logLik")
}
