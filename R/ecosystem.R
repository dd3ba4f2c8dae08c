# What R's modelling packages see of an mleglm fit, in one help topic, and
# the few adapters for packages that otherwise work through the generics
# alone (lmtest, effects, sandwich). None of them is a dependency: each
# method is registered when its package is loaded.

#' mleglm fits in R's modelling packages
#'
#' mleglm fits answer the generics that packages built for `glm()` fits
#' call (`coef()`, `vcov()`, `logLik()`, `model.frame()`, `model.matrix()`,
#' `predict()`, `residuals()`, `family()`, `formula()`, `terms()`,
#' `nobs()`, `df.residual()`, `update()`), and have methods of their own
#' where a package needs one:
#'
#' * stats: `anova()`, `drop1()`, `add1()` and `extractAIC()`, so
#'   `stats::step()` selects models as on `glm()` fits ([anova.mleglm()]);
#' * car: `Anova()` with likelihood-ratio, Wald and F tests of types II and
#'   III (see [mleglm-car]); `linearHypothesis()`, `deltaMethod()` and
#'   `vif()` work through the generics;
#' * emmeans: marginal means, contrasts and trends ([mleglm-emmeans]), and so
#'   `ggeffects::ggemmeans()`;
#' * parameters, performance, insight ([mleglm-easystats]);
#' * marginaleffects: `predictions()`, `slopes()`, `comparisons()`, their
#'   `avg_` forms and `hypotheses()` ([mleglm-marginaleffects]);
#' * modelsummary: `modelsummary()` tables beside `glm()` fits, with
#'   the log-likelihood and F rows it gives `glm()` fits
#'   ([mleglm-modelsummary]);
#' * broom: `tidy()`, `glance()`, `augment()` ([mleglm-tidiers]);
#' * sandwich: `estfun()` and `bread()` ([mleglm-sandwich]); for
#'   [negbin()] fits `vcovHC()` of types `"HC0"` and `"HC1"` (over all
#'   parameters, theta's too), other types give an error of class
#'   `mleglm_error_unsupported`;
#' * lmtest: `coeftest()` with z tests (`df = Inf`), as `coeftest()` of a
#'   `glm()` fit; `lrtest()`, `waldtest()` work through the generics;
#' * effects: `Effect()` and `allEffects()`; for [negbin()] and
#'   [custom_family()] fits the covariance is the coefficients' block;
#' * ggeffects: `ggpredict()` gives predictions (without intervals: it
#'   computes those for the classes it knows); `ggemmeans()` gives them with
#'   intervals, through emmeans.
#'
#' @section The one difference: the dispersion:
#' For the binomial and Poisson families these packages give the numbers
#' they give for the `glm()` fit (up to glm's convergence: glm stops at a
#' relative change in deviance of 1e-8 and takes its covariance from the
#' weights of its last iteration, so standard errors agree to about 1e-7).
#' For the Gaussian, Gamma and inverse Gaussian families the dispersion of
#' an mleglm fit is the maximum-likelihood estimate (RSS / n for the
#' Gaussian) where glm uses Pearson's, divided by n - p. Wherever a package
#' uses `vcov()`, its standard errors are therefore those of glm times
#' \eqn{\sqrt{\hat\phi_{ML} / \hat\phi_{Pearson}}}{sqrt(phi_ML / phi_Pearson)} (for the Gaussian
#' \eqn{\sqrt{(n - p) / n}}{sqrt((n - p) / n)}), and the tests are z tests where glm's
#' summary and emmeans give t tests on n - p degrees of freedom
#' (marginaleffects gives z tests for both). To get
#' glm's numbers, pass glm's covariance (and, where glm's are t tests, its
#' degrees of freedom):
#'
#' ```
#' f <- fit(thalach ~ age + sex + cp, transform(heart, cp = factor(cp)))
#' lmtest::coeftest(f, vcov. = vcov(f, type = "glm"))  # coeftest(glm): z tests
#' lmtest::coeftest(f, vcov. = vcov(f, type = "glm"), df = df.residual(f))  # summary(glm)
#' emmeans::emmeans(f, ~ cp, vcov. = "glm", df = df.residual(f))
#' marginaleffects::avg_slopes(f, vcov = "glm")           # z tests, as for glm
#' modelsummary::modelsummary(f, vcov = vcov(f, type = "glm"))  # glm's standard errors
#' car::Anova(f, test.statistic = "Wald", vcov. = vcov(f, type = "glm"))
#' car::Anova(f, test.statistic = "F")   # glm's F tests, as they are
#' ```
#'
#' Likelihood-ratio tests (`anova()`, `drop1()`, `add1()`, `car::Anova()`)
#' re-estimate the dispersion by maximum likelihood in each model, as
#' likelihood theory has it; glm's "LR" statistics for these families are
#' differences in deviance over the Pearson dispersion. `sigma()` is the
#' square root of the maximum-likelihood dispersion, 1 for the binomial and
#' Poisson families.
#'
#' @section Fits without rows or formula:
#' Fits from [fit_chunked()] keep no rows: whatever needs them (residuals,
#' influence, profile intervals, refits of submodels) gives an error of
#' class `mleglm_error_rows_unavailable`; emmeans works when given the data
#' (`data =`). Fits from [fit_matrix()] have no formula or terms: the
#' methods that need them give `mleglm_error_input`.
#'
#' @param x,mod,vcov.,df,type,... As for the generics:
#'   `lmtest::coeftest()`, `effects::effSources()`, `sandwich::vcovHC()`.
#' @return What the generic returns for a `glm()` fit.
#' @name mleglm_ecosystem
#' @aliases mleglm-ecosystem
#' @examplesIf requireNamespace("lmtest", quietly = TRUE)
#' h <- transform(heart, sick = num > 0, cp = factor(cp))
#' f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
#' lmtest::coeftest(f)
#' g <- fit(thalach ~ age + sex + cp, h)
#' lmtest::coeftest(g)  # ML standard errors
#' lmtest::coeftest(g, vcov. = vcov(g, type = "glm"), df = df.residual(g))  # summary(glm)'s
NULL

#' @rdname mleglm_ecosystem
#' @exportS3Method lmtest::coeftest
coeftest.mleglm <- function(x, vcov. = NULL, df = Inf, ...) {
  # The coefficients' block: a joint fit's vcov() includes its extra parameter.
  if (is.null(vcov.)) vcov. <- coef_vcov(x, "observed")
  default <- utils::getS3method("coeftest", "default", envir = asNamespace("lmtest"))
  default(x, vcov. = vcov., df = df, ...)
}

#' @rdname mleglm_ecosystem
#' @exportS3Method effects::effSources
effSources.mleglm <- function(mod) {
  if (inherits(mod, "mleglm_chunked")) rows_unavailable("effects::Effect()")
  family <- mod$family
  # effects needs the link only; a custom family has no glm family to give.
  if (inherits(mod, "mleglm_custom")) {
    family <- tryCatch(stats::quasi(link = family$link), error = function(e) {
      unsupported("effects::Effect()", sprintf("the %s link has no glm family", family$link))
    })
  }
  list(call = call_with_data(mod), family = family, coefficients = coef(mod),
       vcov = coef_vcov_complete(mod))
}

#' @rdname mleglm_ecosystem
#' @exportS3Method sandwich::vcovHC
vcovHC.mleglm_joint <- function(x, type = c("HC0", "HC1"), ...) {
  if (!identical(type, c("HC0", "HC1")) && !(length(type) == 1L && type %in% c("HC0", "HC1"))) {
    unsupported(sprintf("sandwich::vcovHC(type = \"%s\")", paste(type, collapse = "\", \"")),
                "the leverage-adjusted types need the hat values of a glm family; use type = \"HC0\" or \"HC1\"")
  }
  type <- match_choice(type, c("HC0", "HC1"), "type")
  v <- sandwich::sandwich(x)
  n <- x$nobs
  if (type == "HC1") v <- v * n / (n - ncol(v))
  v
}

# The fit's call with its data argument replaced by the data themselves,
# evaluated where the formula was written: packages that refit or rebuild a
# model from the call (effects, performance's null models) evaluate it
# inside their own functions, where the data's name is not visible.
call_with_data <- function(object) {
  call <- object$call
  data <- call$data
  if (!is.null(data) && !is.data.frame(data) && !is.null(object$formula)) {
    value <- tryCatch(eval(data, environment(object$formula)), error = function(e) NULL)
    if (is.data.frame(value)) call$data <- value
  }
  call
}
