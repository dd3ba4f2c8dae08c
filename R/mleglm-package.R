#' mleglm: generalized linear models by maximum likelihood, explained
#'
#' Start with [fit()]; [fit_matrix()] takes a model matrix and
#' [mleglm_control()] sets the iterations. The data set [heart] ships with
#' the package. `vignette("mleglm")` derives the Gaussian log-likelihood and
#' compares the fit with `glm()` and `optim()`; `vignette("inference")`
#' works through profile-likelihood intervals, likelihood-ratio tests and
#' the solvers' traces. For inference see [confint.mleglm()],
#' [profile.mleglm()], [anova.mleglm()], [predict.mleglm()],
#' [vcov.mleglm()] and [compare()]; for the likelihood itself
#' [loglik_at()], [check_derivatives()] and [fit_trace()].
#'
#' @keywords internal
#' @useDynLib mleglm, .registration = TRUE
#' @importFrom Rcpp sourceCpp
#' @importFrom stats gaussian binomial poisson Gamma inverse.gaussian
#' @importFrom stats coef deviance df.residual family fitted formula logLik
#' @importFrom stats model.frame model.matrix nobs residuals terms vcov
#' @importFrom stats anova confint cooks.distance drop1 hatvalues predict profile
#' @importFrom stats rstandard sigma simulate weights
"_PACKAGE"

.onUnload <- function(libpath) {
  library.dynam.unload("mleglm", libpath)
}

.onLoad <- function(libname, pkgname) {
  register_rows_guard(asNamespace(pkgname))
}
