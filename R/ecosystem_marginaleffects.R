# marginaleffects (predictions(), slopes(), comparisons() and their avg_
# forms) for mleglm fits, through its extension interface: methods of
# sanitize_model_specific(), get_predict() and get_vcov(), registered when
# marginaleffects is loaded (NAMESPACE: S3method(marginaleffects::get_predict,
# mleglm) and so on). marginaleffects is not a dependency.
#
# marginaleffects accepts a model by its class alone (a fixed list, "glm"
# among them, or the option "marginaleffects_model_classes", which is the
# user's to set). sanitize_model_specific(), which it calls first and whose
# result it keeps, returns the fit with "glm" after mleglm's classes, as for
# the easystats packages (ecosystem_insight.R): predictions and covariances
# still come from the methods here, and only the class test is passed.

#' Predictions, slopes and comparisons of mleglm fits with marginaleffects
#'
#' Methods of marginaleffects' extension interface, so that
#' `marginaleffects::predictions()`, `slopes()`, `comparisons()`, their
#' `avg_` forms, `hypotheses()` and `plot_predictions()` work on mleglm
#' fits. Predictions are [predict.mleglm()]'s on the link or response scale;
#' the covariance of the coefficients is `vcov(model)` (the inverse observed
#' information at the maximum-likelihood dispersion) unless `vcov` gives
#' another: one of [vcov.mleglm()]'s types (`vcov = "glm"` for glm's
#' covariance), a matrix, or what marginaleffects takes for `glm()` fits
#' (`"HC3"`, `"stata"`, `~ cluster`, ...), computed through sandwich.
#'
#' For the binomial and Poisson families the estimates are those of the same
#' calls on the `glm()` fit. Standard errors come from marginaleffects'
#' Jacobian of the estimates with respect to the coefficients: for `glm()`
#' fits it computes that Jacobian analytically where it can, for other
#' classes by finite differences, so they agree with glm's to about 1e-3
#' (relative) by default and to about 1e-5 with `numderiv = "richardson"`.
#' For the Gaussian, Gamma and inverse Gaussian families they differ from
#' glm's by the square root of the ratio of the dispersions, maximum
#' likelihood against Pearson (see [mleglm_ecosystem]); `vcov = "glm"`
#' gives glm's.
#'
#' `predictions()` and `plot_predictions()` of a `glm()` fit compute
#' intervals on the link scale and transform them (`type =
#' "invlink(link)"`, without standard errors); for other classes their
#' default type is `"response"`, with delta-method standard errors and
#' intervals. `predictions(model, type = "invlink(link)")` gives glm's
#' default.
#'
#' For [negbin()] and [custom_family()] fits the coefficients are the
#' regression coefficients and their covariance is the block of the inverse
#' information over all the parameters (the extra parameter held at its
#' estimate). Fits from [fit_chunked()] hold no data to predict on or
#' average over: marginaleffects raises an error of class
#' `mleglm_error_rows_unavailable`. Fits from [fit_matrix()] have no formula
#' from which to build a grid (`mleglm_error_input`).
#'
#' On R < 4.4 marginaleffects 1.0.0 needs backports 1.5.0 or later (for
#' `%||%`, which it does not declare), on any model.
#'
#' @param model An `"mleglm"` object.
#' @param newdata The rows to predict on, as marginaleffects builds them.
#' @param type `"response"` or `"link"`, as for [predict.mleglm()].
#' @param vcov As above; `FALSE` for no standard errors.
#' @param ... Passed on by marginaleffects.
#' @return `sanitize_model_specific()` the fit as marginaleffects keeps it;
#'   `get_predict()` a data frame with `rowid` and `estimate`;
#'   `get_vcov()` the covariance of the coefficients.
#' @name mleglm-marginaleffects
#' @examplesIf requireNamespace("marginaleffects", quietly = TRUE) && utils::packageVersion("marginaleffects") >= "1.0.0" && (getRversion() >= "4.4.0" || utils::packageVersion("backports") >= "1.5.0")
#' h <- transform(heart, sick = num > 0, cp = factor(cp))
#' f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
#' marginaleffects::avg_slopes(f)
#' marginaleffects::avg_predictions(f, by = "cp")
#' marginaleffects::avg_comparisons(f, variables = "sex")
NULL

#' @rdname mleglm-marginaleffects
#' @exportS3Method marginaleffects::sanitize_model_specific
sanitize_model_specific.mleglm <- function(model, ...) {
  if (inherits(model, "mleglm_chunked")) rows_unavailable("marginaleffects")
  formula_terms(model, "marginaleffects")
  as_glm_class(model)
}

#' @rdname mleglm-marginaleffects
#' @exportS3Method marginaleffects::get_predict
get_predict.mleglm <- function(model, newdata, type = "response", ...) {
  estimate <- predict.mleglm(model, newdata = as.data.frame(newdata), type = type)
  out <- data.frame(estimate = unname(estimate))
  # marginaleffects matches the predictions to its grid by row id.
  if ("rowid" %in% names(newdata)) out <- data.frame(rowid = newdata[["rowid"]], out)
  out
}

#' @rdname mleglm-marginaleffects
#' @exportS3Method marginaleffects::get_vcov
get_vcov.mleglm <- function(model, vcov = NULL, ...) {
  if (isFALSE(vcov)) return(NULL)
  if (is.null(vcov) || isTRUE(vcov)) return(coef_vcov(model, "observed"))
  if (is.character(vcov) && length(vcov) == 1L && vcov %in% vcov_types) return(coef_vcov(model, vcov))
  kept <- names(coef(model, complete = FALSE))
  # A joint fit's vcov() has the extra parameter's row and column as well.
  if (is.matrix(vcov) && all(kept %in% rownames(vcov))) return(vcov[kept, kept, drop = FALSE])
  # marginaleffects' own route for the rest ("HC3", ~ cluster, functions):
  # insight::get_varcov(), whose mleglm method computes them through sandwich.
  default <- utils::getS3method("get_vcov", "default", envir = asNamespace("marginaleffects"))
  default(model, vcov = vcov, ...)
}
