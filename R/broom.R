# tidy(), glance() and augment() for users of broom. The generics live in the
# `generics` package, which mleglm does not depend on: the methods are
# registered when it is loaded (NAMESPACE: S3method(generics::tidy, mleglm)).

#' Tidy an mleglm fit
#'
#' Methods for the `generics` package's `tidy()`, `glance()` and
#' `augment()`, so that broom users get the columns they expect.
#'
#' * `tidy()`: one row per coefficient with `term`, `estimate`,
#'   `std.error`, `statistic`, `p.value` and, with `conf.int = TRUE`,
#'   `conf.low` and `conf.high` (profile-likelihood intervals by default, as
#'   broom gives for `glm()`). Aliased coefficients are left out.
#' * `glance()`: one row with `null.deviance`, `df.null`, `logLik`, `AIC`,
#'   `BIC`, `deviance`, `df.residual` and `nobs`, the columns of
#'   `glance(glm)`, plus `dispersion` (maximum likelihood) and `converged`.
#' * `augment()`: the model frame (or `newdata`) with `.fitted` (and
#'   `.se.fit`) and, for the fitted data, `.resid`, `.std.resid`, `.hat` and
#'   `.cooksd`, computed as [hatvalues.mleglm()] describes (broom's
#'   leave-one-out `.sigma` is not computed).
#'
#' For [negbin()] fits `glance()` reports the null deviance at
#' \eqn{\hat\theta}{theta-hat}, as for `MASS::glm.nb()`; for a [custom_family()] the
#' deviances are \eqn{-2\ell}{-2 logLik} (the null model's with its extra parameter
#' re-estimated), and `augment()` of the fitted data, which needs a
#' variance function, gives an error of class `mleglm_error_unsupported`.
#'
#' The results are tibbles when the `tibble` package is installed (as it is
#' with broom), data frames otherwise.
#'
#' @param x An `"mleglm"` object.
#' @param conf.int Whether to add confidence intervals.
#' @param conf.level Their level.
#' @param conf.method `"profile"` or `"wald"`, as in [confint.mleglm()].
#' @param exponentiate Whether to exponentiate estimates and intervals
#'   (odds ratios for a logit link, rate ratios for a log link).
#' @param vcov Covariance for the standard errors, as in [summary.mleglm()].
#' @param data The data to augment; by default the model frame.
#' @param newdata New data to predict for, instead of `data`.
#' @param type.predict `"link"` or `"response"`.
#' @param type.residuals `"deviance"` or `"pearson"`.
#' @param se_fit Whether to add `.se.fit`.
#' @param ... Unused.
#' @return A tibble or data frame.
#' @name mleglm-tidiers
#' @examplesIf requireNamespace("generics", quietly = TRUE)
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' generics::tidy(f, conf.int = TRUE)
#' generics::glance(f)
#' head(generics::augment(f))
NULL

#' @rdname mleglm-tidiers
#' @exportS3Method generics::tidy
tidy.mleglm <- function(x, conf.int = FALSE, conf.level = 0.95, conf.method = c("profile", "wald"),
                        exponentiate = FALSE, vcov = c("observed", "expected", "sandwich", "glm"),
                        ...) {
  conf.method <- match_choice(conf.method, c("profile", "wald"), "conf.method")
  vcov <- match_choice(vcov, vcov_types, "vcov")
  # summary() and confint() dispatch, so fits with an extra parameter get
  # their own tables (coefficients only, as broom's tidy of glm.nb).
  table <- summary(x, vcov = vcov)$coefficients
  out <- data.frame(term = rownames(table), estimate = table[, 1L], std.error = table[, 2L],
                    statistic = table[, 3L], p.value = table[, 4L], stringsAsFactors = FALSE)
  if (conf.int) {
    ci <- stats::confint(x, parm = out$term, level = conf.level, method = conf.method, vcov = vcov)
    out$conf.low <- unname(ci[, 1L])
    out$conf.high <- unname(ci[, 2L])
  }
  if (exponentiate) {
    cols <- intersect(c("estimate", "conf.low", "conf.high"), names(out))
    out[cols] <- lapply(out[cols], exp)
    # The delta method, as broom does.
    out$std.error <- out$std.error * out$estimate
  }
  rownames(out) <- NULL
  as_tidy_frame(out)
}

#' @rdname mleglm-tidiers
#' @exportS3Method generics::glance
glance.mleglm <- function(x, ...) {
  null <- null_fit(x)
  null_deviance <- null$deviance
  if (inherits(x, "mleglm_negbin")) {
    # As glm.nb reports it: the null model's deviance at the fit's theta.
    free <- c(names(x$par)[seq_len(x$rank)] == "(Intercept)" & has_intercept(x), FALSE)
    at_theta <- likelihood_at(x, replace(null$par, length(null$par), x$par[[length(x$par)]]),
                              free = if (any(free)) free)
    null_deviance <- at_theta$deviance
  }
  ll <- stats::logLik(x)
  as_tidy_frame(data.frame(
    null.deviance = null_deviance, df.null = x$nobs - null$rank,
    logLik = as.numeric(ll), AIC = stats::AIC(x), BIC = stats::BIC(x),
    deviance = x$deviance, df.residual = x$df.residual, nobs = x$nobs,
    dispersion = x$dispersion, converged = x$converged
  ))
}

#' @rdname mleglm-tidiers
#' @exportS3Method generics::augment
augment.mleglm <- function(x, data = NULL, newdata = NULL, type.predict = c("link", "response"),
                           type.residuals = c("deviance", "pearson"), se_fit = FALSE, ...) {
  type.predict <- match_choice(type.predict, c("link", "response"), "type.predict")
  type.residuals <- match_choice(type.residuals, c("deviance", "pearson"), "type.residuals")
  if (!is.null(newdata)) {
    out <- as.data.frame(newdata)
    pred <- predict.mleglm(x, newdata, type = type.predict, se.fit = se_fit)
    out$.fitted <- unname(if (se_fit) pred$fit else pred)
    if (se_fit) out$.se.fit <- unname(pred$se.fit)
    return(as_tidy_frame(add_rownames(out)))
  }
  check_influence(x)
  out <- if (is.null(data)) stats::model.frame(x) else as.data.frame(data)
  fitted_rows <- length(x$fitted.values)
  if (nrow(out) != fitted_rows) {
    abort("input", sprintf("`data` must have one row per fitted observation (%d), not %d.",
                           fitted_rows, nrow(out)))
  }
  attr(out, "terms") <- NULL
  unpad <- function(v) if (inherits(x$na.action, "exclude")) v[-x$na.action] else v
  out$.fitted <- unname(if (type.predict == "link") x$linear.predictors else x$fitted.values)
  if (se_fit) {
    out$.se.fit <- unname(unpad(predict.mleglm(x, type = type.predict, se.fit = TRUE)$se.fit))
  }
  out$.resid <- unname(unpadded_residuals(x, type.residuals))
  out$.std.resid <- unname(standardised_residuals(x, type.residuals))
  out$.hat <- unname(leverage(x))
  out$.cooksd <- unname(unpad(cooks.distance.mleglm(x)))
  as_tidy_frame(add_rownames(out))
}

# ---- helpers ------------------------------------------------------------------

as_tidy_frame <- function(df) {
  if (requireNamespace("tibble", quietly = TRUE)) tibble::as_tibble(df) else df
}

# Row names that carry information (not 1..n) become a `.rownames` column,
# as broom does.
add_rownames <- function(df) {
  rn <- rownames(df)
  if (!identical(rn, as.character(seq_len(nrow(df))))) {
    df$.rownames <- rn
    df <- df[c(".rownames", setdiff(names(df), ".rownames"))]
  }
  rownames(df) <- NULL
  df
}
