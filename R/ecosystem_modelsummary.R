# modelsummary tables of mleglm fits. The coefficients come from
# parameters::model_parameters() (ecosystem_insight.R) or broom::tidy()
# (broom.R) and most statistics below the table from
# performance::model_performance() or broom::glance(), as for any model;
# modelsummary adds two rows of its own for lm() and glm() fits (the
# log-likelihood and the F statistic of a Wald test that all coefficients
# but the intercept are zero), which come here from its glance_custom()
# generic, registered when modelsummary is loaded (NAMESPACE:
# S3method(modelsummary::glance_custom, mleglm)).

#' mleglm fits in modelsummary tables
#'
#' `modelsummary::modelsummary()` and `modelplot()` work on mleglm fits,
#' alone or beside `glm()` fits. The coefficients and their standard errors
#' are those of `parameters::model_parameters()` ([mleglm-easystats]); the
#' statistics below them those of `performance::model_performance()`, with
#' the number of observations, the log-likelihood and, for a model with an
#' intercept, the F statistic that modelsummary gives for `glm()` fits: the
#' Wald statistic that all coefficients but the intercept are zero, divided
#' by their number, from `vcov(x)`.
#'
#' For the binomial and Poisson families the table is the one of the `glm()`
#' fit. For the Gaussian, Gamma and inverse Gaussian families the standard
#' errors differ from glm's by the square root of the ratio of the
#' dispersions (maximum likelihood against Pearson), and the F statistic by
#' the ratio itself; `modelsummary(x, vcov = vcov(x, type = "glm"))` gives
#' glm's standard errors (see [mleglm_ecosystem]); p-values, where a table
#' shows them, are those of z tests, where glm's are t tests on n - p
#' degrees of freedom. A robust covariance
#' (`vcov = "HC1"`) gives sandwich's standard errors, as for `glm()` fits,
#' but modelsummary does not pass it to this method: the F row stays the
#' model-based one, where glm's is computed with the robust covariance
#' (`gof_omit = "^F$"` leaves it out).
#'
#' @param x An `"mleglm"` object.
#' @param ... Unused.
#' @return A one-row data frame with `logLik` and, for a model with an
#'   intercept and at least one other coefficient, `F`.
#' @name mleglm-modelsummary
#' @examplesIf requireNamespace("modelsummary", quietly = TRUE) && utils::packageVersion("modelsummary") >= "2.6.0"
#' h <- transform(heart, sick = num > 0, cp = factor(cp))
#' f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
#' g <- glm(sick ~ age + sex + cp + thalach, family = binomial(), data = h)
#' modelsummary::modelsummary(list(mleglm = f, glm = g), output = "data.frame")
NULL

#' @rdname mleglm-modelsummary
#' @exportS3Method modelsummary::glance_custom
glance_custom.mleglm <- function(x, ...) {
  # In the order modelsummary gives them for glm() fits.
  out <- list(F = wald_all_slopes(x), logLik = as.numeric(stats::logLik(x)))
  data.frame(out[lengths(out) > 0L])
}

# lmtest::waldtest(x, vcov = vcov)'s F statistic against the intercept-only
# model, as modelsummary computes it for glm() fits: NULL without an
# intercept (that model is not nested in the fit) or other coefficients.
wald_all_slopes <- function(x) {
  beta <- coef(x, complete = FALSE)
  slopes <- names(beta) != "(Intercept)"
  if (all(slopes) || !any(slopes)) return(NULL)
  v <- coef_vcov(x, "observed")[slopes, slopes, drop = FALSE]
  w <- tryCatch(drop(crossprod(beta[slopes], solve(v, beta[slopes]))), error = function(e) NULL)
  if (is.null(w)) return(NULL)
  w / sum(slopes)
}
