#' AIC of an mleglm fit, for step(), add1() and drop1()
#'
#' `extractAIC()` returns the equivalent degrees of freedom and the AIC
#' with penalty `k` per parameter, with the conventions of the fits that
#' `stats::step()` knows, so that `step()` and `add1()` work on mleglm fits
#' of every kind and walk the same path as on the equivalent `glm()` fit:
#'
#' * glm families: as `extractAIC.glm()`, `edf` is the number of
#'   non-aliased coefficients and the AIC is \eqn{-2\ell + k\,\mathrm{edf}}{-2 logLik + k edf},
#'   plus 2 for an estimated dispersion (Gaussian, Gamma, inverse Gaussian),
#'   which glm's AIC counts with the fixed penalty 2. \eqn{\ell}{logLik} is mleglm's
#'   log-likelihood, at the maximum-likelihood dispersion: for the Gaussian,
#'   binomial, Poisson and inverse Gaussian families that is glm's, so the
#'   values equal `extractAIC(glm(...))`; for the Gamma family glm evaluates
#'   its AIC at the dispersion deviance / n, so mleglm's AIC is lower (by
#'   twice the gain in log-likelihood; see [logLik.mleglm()]).
#' * [negbin()] and [custom_family()] fits: the estimated extra parameter
#'   counts as a parameter, `edf` = coefficients + 1, and the AIC is
#'   \eqn{-2\ell + k\,\mathrm{edf}}{-2 logLik + k edf}, equal to `AIC(f)` for `k = 2`.
#'   (`extractAIC()` of a `MASS::glm.nb()` fit leaves \eqn{\theta} out of
#'   both; the difference, 1 and `k`, is the same for every model, so the
#'   steps are the same.)
#'
#' [drop1()] on an mleglm fit reports the same AIC for each submodel.
#'
#' @param fit An `"mleglm"` object.
#' @param scale Unused (as for `glm()` fits); kept for `step()`.
#' @param k The penalty per parameter.
#' @param ... Unused.
#' @return A numeric vector: `edf` and the AIC.
#' @importFrom stats extractAIC
#' @examples
#' f <- fit(thalach ~ age + sex + exang + oldpeak + chol, heart)
#' extractAIC(f)
#' stats::step(f, trace = 0)
#' @export
extractAIC.mleglm <- function(fit, scale = 0, k = 2, ...) {
  check_number(k, "k", lower = 0, upper = Inf, kind = "input")
  edf <- fit$rank + if (inherits(fit, "mleglm_joint")) kind_extra_df(fit) else 0L
  c(edf, aic_value(fit, -2 * fit$loglik, fit$rank, k))
}

# The AIC of a model with `rank` coefficients and log-likelihood -minus2ll / 2
# of the kind of `object`, by extractAIC()'s convention.
aic_value <- function(object, minus2ll, rank, k) {
  if (inherits(object, "mleglm_joint")) return(minus2ll + k * (rank + kind_extra_df(object)))
  minus2ll + k * rank + 2 * kind_extra_df(object)
}
