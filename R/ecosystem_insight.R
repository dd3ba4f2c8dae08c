# The easystats packages (insight, parameters, performance) for mleglm fits.
# None is a dependency: the methods are registered when each is loaded
# (NAMESPACE: S3method(insight::get_varcov, mleglm) and so on).
#
# insight decides whether an object is a model by its class alone
# (insight::is_model() checks a fixed list, "glm" among them), and
# find_statistic(), which parameters and performance call, is no generic. So
# the generics of insight that those packages use get methods for "mleglm"
# below, and model_parameters() and model_performance() run their glm()
# methods on a copy of the fit whose class also says "glm" after
# "mleglm": every generic with an mleglm method (coef, vcov, logLik,
# residuals, predict, confint, the insight methods here, ...) still gives
# mleglm's numbers, and only the class test is passed.

#' mleglm fits in parameters, performance and insight
#'
#' Methods that let the easystats packages work on mleglm fits:
#' `parameters::model_parameters()`, `parameters::standard_error()`,
#' `parameters::p_value()`, `parameters::degrees_of_freedom()`,
#' `performance::model_performance()`, `performance::r2()` (and
#' `r2_coxsnell()`, `r2_nagelkerke()`, `r2_mcfadden()`) and the
#' `performance::check_*()` functions that apply to GLMs
#' (`check_collinearity()`, `check_overdispersion()`, `check_outliers()`,
#' `check_heteroscedasticity()` and `check_normality()` for Gaussian fits),
#' through methods of insight's `get_varcov()`, `get_statistic()`,
#' `get_df()`, `get_loglikelihood()` and `model_info()`. The methods work
#' with insight 0.19 and 1.x, parameters 0.20 and later, performance 0.10
#' and later, and give what the installed version gives for the `glm()`
#' fit: performance 0.10 tests the normality of a Gaussian fit's
#' standardized residuals, later versions decline it for every GLM (and
#' point to simulated residuals). Later versions also check a [negbin()]
#' fit's overdispersion by simulated residuals, which need the DHARMa
#' package: without it `check_overdispersion()` raises an error of class
#' `mleglm_error_unsupported`; `residual_type = "normal"` gives Pearson's
#' test, as for `MASS::glm.nb()` fits. Functions of these
#' packages that are no generics and test the class themselves
#' (`insight::find_statistic()`, `insight::get_datagrid()`,
#' `performance::performance_roc()`, `performance::performance_hosmer()`)
#' refuse mleglm fits.
#'
#' Robust covariances (`vcov = "HC1"` in parameters, modelsummary or
#' marginaleffects) are those of sandwich on the fit, equal to sandwich's on
#' the `glm()` fit for canonical links ([vcov.mleglm()]).
#'
#' The numbers are mleglm's: coefficients, `vcov(x)` (the inverse observed
#' information at the maximum-likelihood dispersion) and z statistics with
#' normal p-values and Wald intervals, as [summary.mleglm()] gives them;
#' `model_parameters()`' default intervals are profile-likelihood ones, from
#' [confint.mleglm()], as for `glm()` fits. For the binomial and Poisson
#' families they equal those of the same functions on the `glm()` fit. For
#' the Gaussian, Gamma and inverse Gaussian families the standard errors
#' differ from glm's by the square root of the ratio of the dispersions
#' (maximum likelihood against Pearson), and glm's t tests on the residual
#' degrees of freedom are z tests here; `sigma()` and the `Sigma` of
#' `model_performance()` are the square root of the maximum-likelihood
#' dispersion (1 for the binomial and Poisson families, where glm reports
#' the deviance per residual degree of freedom). See [mleglm_ecosystem] for
#' how to obtain glm's numbers.
#'
#' For [negbin()] and [custom_family()] fits the covariance is the
#' coefficients' block (the extra parameter left out). Methods that need the
#' rows (intervals by profile likelihood, residuals, outliers) give an error
#' of class `mleglm_error_rows_unavailable` for fits from [fit_chunked()];
#' use `ci_method = "wald"` there.
#'
#' @param x,model An `"mleglm"` object.
#' @param vcov,vcov_args For `get_varcov()`: `NULL` for `vcov(x)`, one of
#'   [vcov.mleglm()]'s types (`"glm"` for glm's covariance), or what insight
#'   takes for `glm()` fits (a matrix, a function, sandwich's `"HC0"` to
#'   `"HC5"`, `"vcovCL"`, ... with `vcov_args`), computed through mleglm's
#'   methods of sandwich's `estfun()` and `bread()`.
#' @param type For `get_df()`: `"residual"` (n - p) or `"wald"` / `"normal"`
#'   (`Inf`: the z tests' reference distribution).
#' @param method For `degrees_of_freedom()`: `"residual"` (or
#'   `"analytical"`, `"fit"`) for n - p; any other (`"any"`, the default,
#'   `"wald"`, `"profile"`, ...) gives those of the z tests, `Inf`.
#' @param ci For `model_parameters()`: the intervals' level.
#' @param ci_method For `model_parameters()`: the intervals' method, as
#'   for `glm()` fits (profile likelihood by default; Wald for chunked fits).
#' @param ... Passed on to the methods of the glm fits.
#' @return What the generic returns for a `glm()` fit.
#' @name mleglm-easystats
#' @examplesIf requireNamespace("parameters", quietly = TRUE) && requireNamespace("performance", quietly = TRUE)
#' h <- transform(heart, sick = num > 0, cp = factor(cp))
#' f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
#' parameters::model_parameters(f)
#' performance::model_performance(f)
#' performance::check_collinearity(f)
NULL

#' @rdname mleglm-easystats
#' @exportS3Method insight::get_varcov
get_varcov.mleglm <- function(x, vcov = NULL, vcov_args = NULL, ...) {
  if (is.null(vcov)) return(coef_vcov(x, "observed"))
  # One of vcov.mleglm()'s types ("glm", "expected", ...), as emmeans takes them.
  if (is.character(vcov) && length(vcov) == 1L && vcov %in% vcov_types) return(coef_vcov(x, vcov))
  if (is.matrix(vcov)) return(vcov)
  # A function or sandwich's types ("HC1", "vcovCL", ...): as insight
  # computes them for glm() fits, through sandwich's generics (mleglm's
  # estfun() and bread()). parameters, modelsummary and marginaleffects ask
  # for robust covariances this way.
  # Sandwich estimators need the rows' scores, and insight would turn the
  # classed error into its own.
  if (inherits(x, "mleglm_chunked")) {
    rows_unavailable(sprintf("insight::get_varcov(vcov = %s)",
                             if (is.character(vcov)) sprintf("\"%s\"", vcov[1L]) else "<a function>"))
  }
  # A joint fit's leverage-adjusted types are refused by its vcovHC()
  # method; asked here, so that insight does not turn the classed error into its own.
  if (inherits(x, "mleglm_joint") && is.character(vcov) && grepl("^HC", vcov[1L])) {
    vcovHC.mleglm_joint(x, type = vcov)
  }
  default <- utils::getS3method("get_varcov", "default", envir = asNamespace("insight"))
  v <- default(x, vcov = vcov, vcov_args = vcov_args, ...)
  kept <- names(coef(x, complete = FALSE))
  # A joint fit's sandwich covers its extra parameter too: the coefficients' block.
  if (all(kept %in% rownames(v))) v[kept, kept, drop = FALSE] else v
}

#' @rdname mleglm-easystats
#' @exportS3Method insight::get_statistic
get_statistic.mleglm <- function(x, ...) {
  est <- coef(x, complete = FALSE)
  se <- sqrt(diag(coef_vcov(x, "observed")))
  out <- data.frame(Parameter = names(est), Statistic = unname(est / se), stringsAsFactors = FALSE)
  attr(out, "statistic") <- "z-statistic"
  out
}

#' @rdname mleglm-easystats
#' @exportS3Method insight::get_df
get_df.mleglm <- function(x, type = "residual", ...) {
  # insight 1.x and parameters >= 0.2x ask with the interval method as the
  # type ("profile", "likelihood", "boot", ...): z tests, so Inf as well.
  type <- match_choice(type, c("residual", "analytical", "model", df_types_normal), "type")
  switch(type,
         residual = , analytical = x$df.residual,
         model = attr(stats::logLik(x), "df"),
         Inf)
}

# The types of get_df() whose reference distribution is the normal one for
# an mleglm fit (insight 0.19 knows the first two, insight 1.x all).
df_types_normal <- c("wald", "normal", "profile", "likelihood", "boot", "uniroot", "any")

#' @rdname mleglm-easystats
#' @exportS3Method insight::get_loglikelihood
get_loglikelihood.mleglm <- function(x, ...) stats::logLik(x)

#' @rdname mleglm-easystats
#' @exportS3Method insight::model_info
model_info.mleglm <- function(x, ...) {
  call_glm_method("insight", "model_info", x, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method parameters::degrees_of_freedom
degrees_of_freedom.mleglm <- function(model, method = "any", ...) {
  if (!is.character(method) || length(method) != 1L) {
    abort("input", "`method` must be a single string, such as \"wald\" or \"residual\".")
  }
  # The coefficients' tests are z tests whatever the interval method
  # ("wald", "profile", "normal", ...); "residual" asks for n - p.
  if (method %in% c("residual", "analytical", "fit")) model$df.residual else Inf
}

#' @rdname mleglm-easystats
#' @exportS3Method parameters::model_parameters
model_parameters.mleglm <- function(model, ci = 0.95, ci_method = NULL, ...) {
  # `ci` is a formal so that a call's `ci =` is not taken, by partial
  # matching, for `ci_method` (modelsummary passes `ci`).
  # A chunked fit has no rows to profile: Wald intervals, said so.
  if (is.null(ci_method) && inherits(model, "mleglm_chunked")) ci_method <- "wald"
  out <- call_glm_method("parameters", "model_parameters", model, ci = ci, ci_method = ci_method, ...)
  attr(out, "object_name") <- deparse1(substitute(model))
  # find_statistic() does not know the class: the footer says z.
  attr(out, "test_statistic") <- "z-statistic"
  attr(out, "model_class") <- class(model)
  out
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::model_performance
model_performance.mleglm <- function(model, ...) {
  # The null model's fit, or the residuals, need the rows.
  if (inherits(model, "mleglm_chunked")) rows_unavailable("performance::model_performance()")
  call_glm_method("performance", "model_performance", model, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::r2
r2.mleglm <- function(model, ...) {
  # The null model's fit, or the residuals, need the rows.
  if (inherits(model, "mleglm_chunked")) rows_unavailable("performance::r2()")
  call_glm_method("performance", "r2", model, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::r2_coxsnell
r2_coxsnell.mleglm <- function(model, ...) {
  # The null model's fit, or the residuals, need the rows.
  if (inherits(model, "mleglm_chunked")) rows_unavailable("performance::r2_coxsnell()")
  call_glm_method("performance", "r2_coxsnell", model, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::r2_nagelkerke
r2_nagelkerke.mleglm <- function(model, ...) {
  # The null model's fit, or the residuals, need the rows.
  if (inherits(model, "mleglm_chunked")) rows_unavailable("performance::r2_nagelkerke()")
  call_glm_method("performance", "r2_nagelkerke", model, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::r2_mcfadden
r2_mcfadden.mleglm <- function(model, ...) {
  # The null model's fit, or the residuals, need the rows.
  if (inherits(model, "mleglm_chunked")) rows_unavailable("performance::r2_mcfadden()")
  call_glm_method("performance", "r2_mcfadden", model, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::check_collinearity
check_collinearity.mleglm <- function(x, ...) {
  call_glm_method("performance", "check_collinearity", x, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::check_overdispersion
check_overdispersion.mleglm <- function(x, ...) {
  if (inherits(x, "mleglm_chunked")) rows_unavailable("check_overdispersion()")
  family <- x$family$family
  if (inherits(x, "mleglm_custom") || !(family %in% c("poisson", "binomial", "negbin"))) {
    unsupported("check_overdispersion()", sprintf(
      "it checks Poisson, negative binomial and binomial fits, not %s",
      if (inherits(x, "mleglm_custom")) family_label(x$family) else paste("the", family, "family")))
  }
  if (family == "binomial" && all(x$prior.weights %in% c(0, 1))) {
    unsupported("check_overdispersion()", "a binomial fit with one trial per row cannot be overdispersed")
  }
  if (family == "negbin") needs_dharma(...)
  call_glm_method("performance", "check_overdispersion", x, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::check_normality
check_normality.mleglm <- function(x, ...) {
  # As for the glm() fit: performance 0.10 tests the standardized
  # residuals of a Gaussian fit, later versions decline every GLM.
  if (inherits(x, "mleglm_chunked")) rows_unavailable("check_normality()")
  call_glm_method("performance", "check_normality", x, ...)
}

#' @rdname mleglm-easystats
#' @exportS3Method performance::check_outliers
check_outliers.mleglm <- function(x, ...) {
  if (inherits(x, "mleglm_chunked")) rows_unavailable("check_outliers()")
  call_glm_method("performance", "check_outliers", x, ...)
}

# ---- helpers ------------------------------------------------------------------

# performance >= 0.11 checks negative binomial fits by simulated residuals
# (its `residual_type` argument, "simulated" by default), which need DHARMa:
# without it, a classed error that says so rather than performance's own.
needs_dharma <- function(residual_type = NULL, ...) {
  method <- utils::getS3method("check_overdispersion", "negbin", optional = TRUE,
                               envir = asNamespace("performance"))
  simulated <- "residual_type" %in% names(formals(method)) && !identical(residual_type, "normal")
  # Whether it is installed, not loaded: mleglm never calls it itself.
  if (simulated && !nzchar(system.file(package = "DHARMa"))) {
    unsupported("check_overdispersion()", paste(
      "this version of performance checks negative binomial fits by simulated residuals,",
      "which need the DHARMa package; install it, or pass residual_type = \"normal\" for Pearson's test"))
  }
}

# The fit with "glm" (and "lm", as glm() fits have) after its own classes, so
# that insight's class test passes while mleglm's methods still dispatch
# first; a negative binomial fit also says "negbin", as MASS::glm.nb() fits.
# The null deviance, which glm() fits carry and the R2 measures read, is
# glance()'s (at theta for a negbin fit); a chunked fit has none.
as_glm_class <- function(object) {
  if (!inherits(object, "mleglm_chunked") && is.null(object$null.deviance)) {
    null <- glance.mleglm(object)
    object$null.deviance <- null$null.deviance
    object$df.null <- null$df.null
  }
  # Null models are refitted by update() from inside those packages.
  object$call <- call_with_data(object)
  class(object) <- unique(c(class(object), if (inherits(object, "mleglm_negbin")) "negbin", "glm", "lm"))
  object
}

# `generic` of package `pkg` called on as_glm_class()'s copy of `object`,
# by the package's method for the first class after mleglm's own that has
# one ("negbin", "glm", "lm"), else its default method.
call_glm_method <- function(pkg, generic, object, ...) {
  proxy <- as_glm_class(object)
  ns <- asNamespace(pkg)
  for (cls in c(grep("^mleglm", class(proxy), value = TRUE, invert = TRUE), "default")) {
    method <- utils::getS3method(generic, cls, optional = TRUE, envir = ns)
    if (!is.null(method)) return(method(proxy, ...))
  }
  abort("unsupported", sprintf("%s::%s() has no method for glm() fits.", pkg, generic))
}
