#' mleglm: generalized linear models by maximum likelihood, explained
#'
#' Start with [fit()]; [fit_matrix()] takes a model matrix and
#' [mleglm_control()] sets the iterations. The data set [heart] ships with
#' the package. `vignette("mleglm")` derives the Gaussian log-likelihood and
#' compares the fit with `glm()` and `optim()`.
#'
#' @keywords internal
#' @useDynLib mleglm, .registration = TRUE
#' @importFrom Rcpp sourceCpp
#' @importFrom stats gaussian binomial poisson Gamma inverse.gaussian
#' @importFrom stats coef deviance df.residual family fitted formula logLik
#' @importFrom stats model.frame model.matrix nobs residuals terms vcov
"_PACKAGE"

.onUnload <- function(libpath) {
  library.dynam.unload("mleglm", libpath)
}
