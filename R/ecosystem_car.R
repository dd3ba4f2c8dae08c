# car::Anova() for mleglm fits. car is not a dependency: the method is
# registered when car is loaded (NAMESPACE: S3method(car::Anova, mleglm)).
# Without it car's default method would give Wald tests, where car gives
# likelihood-ratio tests for glm() fits.

#' Type II and III tests for mleglm fits with car::Anova()
#'
#' The method of `car::Anova()` for mleglm fits, with the tests that
#' `car::Anova()` gives for `glm()` fits:
#'
#' * `test.statistic = "LR"` (default): likelihood-ratio tests, each term
#'   against the model without it (type II: without the term and the terms
#'   that contain it, against the model without only those that contain it,
#'   so each term is tested after all others it is not contained in; type
#'   III: without only the term, all other coefficients kept). The submodels
#'   are the full model's columns less the term's, refitted by the package's
#'   solver as `car` refits them with `glm.fit()`. The statistic is
#'   \eqn{2(\ell_1 - \ell_0)}{2 (logLik_1 - logLik_0)}, with any dispersion or extra parameter
#'   re-estimated by maximum likelihood in each model; for the binomial and
#'   Poisson families that is car's difference in deviance, so the tables are
#'   equal. For the Gaussian, Gamma and inverse Gaussian families car
#'   divides the difference in deviance by the Pearson dispersion of the full
#'   model instead (a scaled deviance), so the statistics differ (the
#'   Gaussian's is \eqn{n \log(RSS_0/RSS_1)}{n log(RSS_0 / RSS_1)} here).
#' * `"Wald"`: Wald chi-square tests of each term's coefficients by `car`'s
#'   default method, with the covariance `vcov.` (by default
#'   `vcov(mod)`, the inverse observed information at the maximum-likelihood
#'   dispersion; `vcov(mod, type = "glm")` gives car's numbers for
#'   `glm()` fits).
#' * `"F"`: for families with an estimated dispersion, car's F tests: the
#'   difference in deviance per degree of freedom over the error estimate of
#'   the full model (`error.estimate = "pearson"`, the default, the Pearson
#'   chi-square; `"dispersion"` the same for these families, as for
#'   `glm()`; `"deviance"` the residual deviance) per residual degree of
#'   freedom. These equal car's for `glm()` fits.
#'
#' For [negbin()] and [custom_family()] fits the extra parameter is
#' re-estimated in each submodel (as `MASS::anova.negbin()` does for
#' separately fitted models; car's method for `glm.nb()` holds theta at the
#' full model's value), and `"F"` gives an error of class
#' `mleglm_error_unsupported`. Fits from [fit_chunked()] hold no rows and
#' give an error of class `mleglm_error_rows_unavailable`; fits from
#' [fit_matrix()] have no terms and give `mleglm_error_input`.
#'
#' @param mod An `"mleglm"` object.
#' @param type `"II"` (default) or `"III"` (also `2` or `3`).
#' @param test.statistic `"LR"`, `"Wald"` or `"F"`.
#' @param error.estimate For `"F"`: `"pearson"`, `"dispersion"` or
#'   `"deviance"`.
#' @param vcov. For `"Wald"`: the covariance of the coefficients, as a matrix
#'   or a function of the fit.
#' @param singular.ok Whether aliased coefficients are allowed; by default
#'   `TRUE` for type II and `FALSE` for type III, as in car.
#' @param ... Passed to car's default method for `"Wald"`.
#' @return A data frame of class `"anova"`, with car's columns.
#' @examplesIf requireNamespace("car", quietly = TRUE)
#' h <- transform(heart, sick = num > 0, cp = factor(cp))
#' f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
#' car::Anova(f)
#' car::Anova(f, type = "III")
#' car::Anova(f, test.statistic = "Wald")
#' @name mleglm-car
#' @exportS3Method car::Anova
Anova.mleglm <- function(mod, type = c("II", "III", 2, 3), test.statistic = c("LR", "Wald", "F"),
                         error.estimate = c("pearson", "dispersion", "deviance"), vcov.,
                         singular.ok, ...) {
  type <- match_choice(as.character(type), c("II", "III", "2", "3"), "type")
  type <- c(II = "II", `2` = "II", III = "III", `3` = "III")[[type]]
  test.statistic <- match_choice(test.statistic, c("LR", "Wald", "F"), "test.statistic")
  error.estimate <- match_choice(error.estimate, c("pearson", "dispersion", "deviance"), "error.estimate")
  if (missing(singular.ok)) singular.ok <- type == "II"
  if (inherits(mod, "mleglm_chunked")) rows_unavailable("car::Anova()")
  mt <- formula_terms(mod, "car::Anova()")
  if (!singular.ok && any(mod$aliased)) {
    abort("input", sprintf("The fit has aliased coefficients (%s); type III tests need `singular.ok = TRUE`.",
                           paste(names(mod$aliased)[mod$aliased], collapse = ", ")))
  }
  if (test.statistic == "Wald") {
    v <- if (missing(vcov.)) coef_vcov_complete(mod) else vcov.
    if (is.function(v)) v <- v(mod)
    default <- utils::getS3method("Anova", "default", envir = asNamespace("car"))
    return(default(mod, type = type, vcov. = v, singular.ok = singular.ok, ...))
  }
  if (test.statistic == "F") {
    check_test(mod, "F")
  }
  labels <- attr(mt, "term.labels")
  if (length(labels) == 0L) abort("input", "car::Anova() needs a model with terms besides the intercept.")
  assign <- attr(stats::model.matrix(mod), "assign")[!mod$aliased]
  full <- unname(coef(mod, complete = FALSE))
  # The submodel without the coefficients of the terms `drop` (indices into
  # labels), warm started from the full fit.
  without <- function(drop) {
    if (length(drop) == 0L) return(list(loglik = mod$loglik, deviance = mod$deviance, rank = mod$rank))
    keep <- !assign %in% drop
    submodel_fit(mod, keep, start = full[keep])
  }
  factors <- attr(mt, "factors")
  tests <- lapply(seq_along(labels), function(i) {
    rels <- if (type == "II") containing_terms(i, factors) else integer(0)
    small <- without(c(i, rels))
    large <- without(rels)
    list(df = large$rank - small$rank, lr = 2 * (large$loglik - small$loglik),
         ss = small$deviance - large$deviance)
  })
  df <- vapply(tests, `[[`, 0, "df")
  heading <- c(sprintf("Analysis of Deviance Table (Type %s tests)\n", type),
               paste("Response:", deparse1(mt[[2L]])))
  if (test.statistic == "LR") {
    lr <- ifelse(df == 0, NA, pmax(0, vapply(tests, `[[`, 0, "lr")))
    table <- data.frame(lr, df, stats::pchisq(lr, df, lower.tail = FALSE), row.names = labels)
    names(table) <- c("LR Chisq", "Df", "Pr(>Chisq)")
    heading[1L] <- paste0(heading[1L], if (has_dispersion(mod$family) || inherits(mod, "mleglm_joint")) {
      "(likelihood ratios, dispersion or extra parameter re-estimated by maximum likelihood in each model)\n"
    })
    return(structure(table, heading = heading, class = c("anova", "data.frame")))
  }
  error_ss <- if (error.estimate == "deviance") mod$deviance else mod$pearson_chisq
  rdf <- mod$df.residual
  ss <- ifelse(df == 0, NA, vapply(tests, `[[`, 0, "ss"))
  f_value <- ss / df / (error_ss / rdf)
  table <- data.frame(c(ss, error_ss), c(df, rdf), c(f_value, NA),
                      c(stats::pf(f_value, df, rdf, lower.tail = FALSE), NA),
                      row.names = c(labels, "Residuals"))
  names(table) <- c("Sum Sq", "Df", "F value", "Pr(>F)")
  heading <- c(heading, paste("Error estimate based on",
                              if (error.estimate == "deviance") "deviance" else "Pearson residuals", "\n"))
  structure(table, heading = heading, class = c("anova", "data.frame"))
}

# The indices of the terms (columns of a terms object's "factors") that
# contain term i: every variable of term i is in them, as car::relatives().
containing_terms <- function(i, factors) {
  others <- setdiff(seq_len(ncol(factors)), i)
  inside <- vapply(others, function(j) all(factors[, j] > 0 | factors[, i] == 0), TRUE)
  others[inside]
}

# The coefficients' covariance with NA rows and columns for aliased ones, for
# every kind of fit (a joint fit's extra parameter left out).
coef_vcov_complete <- function(object) {
  v <- coef_vcov(object, "observed")
  all_names <- names(object$coefficients)
  full <- matrix(NA_real_, length(all_names), length(all_names), dimnames = list(all_names, all_names))
  full[rownames(v), colnames(v)] <- v
  full
}
