#' Predictions from an mleglm fit
#'
#' The linear predictor (`type = "link"`) or the mean (`type = "response"`)
#' for the fitted rows or for `newdata`, with standard errors and confidence
#' intervals. On the link scale the standard error is
#' \eqn{\sqrt{x^\top V x}}{sqrt(x' V x)} with \eqn{V} = `vcov(object, type = vcov)`; on the
#' response scale it is multiplied by \eqn{|d\mu/d\eta|} (the delta method),
#' as [stats::predict.glm()] does. Confidence intervals are computed on the
#' link scale, where the estimate is closer to normal, and transformed by
#' the inverse link, so they respect the range of the mean (probabilities
#' stay in (0, 1)); they use normal quantiles, or t quantiles on the
#' residual degrees of freedom with `vcov = "glm"` and an estimated
#' dispersion, as [summary.mleglm()] does.
#'
#' **Against `predict.glm()`.** glm's standard errors come from the expected
#' (Fisher) information, with the Pearson dispersion. With `vcov = "glm"`
#' they are computed the same way at mleglm's estimate, and agree with
#' `predict(glm(...), se.fit = TRUE)` to better than 1e-7 relative when glm
#' is run to convergence (`glm.control(epsilon = 1e-14)`). At glm's default
#' `epsilon = 1e-8`, glm stops before the maximum wherever its iterations
#' converge slowly, as for non-canonical links: for a probit fit of `heart`
#' its coefficients are about 2e-5 (relative) from the maximum and its standard errors
#' differ from mleglm's by up to about 6e-5 relative, the gap in glm's
#' estimate and not in the formula. With the default `vcov = "observed"`
#' the standard errors use the observed information. For canonical links
#' (logit, the Poisson's log, the Gaussian's identity) it is the same matrix
#' as the expected one, so binomial and Poisson standard errors equal glm's;
#' families with a dispersion differ by the dispersion (maximum likelihood
#' against Pearson's). For other links the two matrices differ: for that
#' probit fit the standard errors differ from glm's by about 1.6 percent.
#'
#' For [negbin()] and [custom_family()] fits the covariance is the
#' coefficients' block of the inverse information over all the parameters
#' (`vcov = "observed"` or `"expected"`; `"glm"` is the expected information,
#' as `vcov(MASS::glm.nb(...))`).
#'
#' `newdata` is checked before use: a missing column, a factor level not
#' seen when fitting, or a column of the wrong type (text where a number was
#' fitted, say) raise an error of class `mleglm_error_newdata` that names
#' the column. Rows with missing values give `NA`.
#'
#' @param object An `"mleglm"` object.
#' @param newdata Optional data frame with the model's variables (for a
#'   [fit_matrix()] fit: a numeric matrix with the same columns). By default
#'   the fitted rows.
#' @param type `"link"` or `"response"`.
#' @param se.fit Whether to return standard errors.
#' @param interval `"none"` or `"confidence"`.
#' @param level Confidence level.
#' @param vcov Covariance of the coefficients, as in [vcov.mleglm()].
#' @param newoffset For a matrix `newdata`: its offset (by default zero).
#'   Formula fits take their offsets from `newdata`.
#' @param ... Unused.
#' @return A named vector of predictions; with `interval = "confidence"` a
#'   matrix with columns `fit`, `lwr` and `upr`; with `se.fit = TRUE` a list
#'   with `fit` (vector or matrix), `se.fit` and `residual.scale` (the square
#'   root of the dispersion used), as `predict.glm()` returns.
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' new <- data.frame(age = c(40, 60), sex = c(0, 1), thalach = c(170, 130))
#' predict(f, new, type = "response", interval = "confidence")
#' predict(f, new, se.fit = TRUE)
#' @export
predict.mleglm <- function(object, newdata = NULL, type = c("link", "response"), se.fit = FALSE,
                           interval = c("none", "confidence"), level = 0.95,
                           vcov = c("observed", "expected", "sandwich", "glm"),
                           newoffset = NULL, ...) {
  type <- match_choice(type, c("link", "response"), "type")
  interval <- match_choice(interval, c("none", "confidence"), "interval")
  vcov <- match_choice(vcov, vcov_types, "vcov")
  if (!is.logical(se.fit) || length(se.fit) != 1L || is.na(se.fit)) {
    abort("input", "`se.fit` must be TRUE or FALSE.")
  }
  check_number(level, "level", lower = 0, upper = 1, open_lower = TRUE, kind = "input")
  if (level >= 1) abort("input", "`level` must be below 1.")
  family <- object$family
  need_se <- se.fit || interval == "confidence"
  if (is.null(newdata)) {
    if (!need_se) {
      out <- if (type == "link") object$linear.predictors else object$fitted.values
      return(stats::napredict(object$na.action, out))
    }
    x <- refit_data(object)$x
    eta <- object$linear.predictors
    pad <- function(v) stats::napredict(object$na.action, v)
  } else {
    design <- new_design(object, newdata, newoffset)
    x <- design$x
    beta <- coef(object, complete = FALSE)
    eta <- drop(x %*% beta) + design$offset
    names(eta) <- rownames(x)
    pad <- identity
  }
  fit_link <- eta
  if (!need_se) {
    return(if (type == "link") fit_link else stats::setNames(family$linkinv(fit_link), names(eta)))
  }
  v <- coef_vcov(object, vcov)
  se_link <- sqrt(pmax(rowSums((x %*% v) * x), 0))
  names(se_link) <- names(eta)
  fit <- if (type == "link") fit_link else stats::setNames(family$linkinv(fit_link), names(eta))
  se <- if (type == "link") se_link else se_link * abs(family$mu.eta(fit_link))
  if (interval == "confidence") {
    use_t <- vcov == "glm" && has_dispersion(family) && !inherits(object, "mleglm_joint")
    q <- if (use_t) stats::qt((1 + level) / 2, object$df.residual) else stats::qnorm((1 + level) / 2)
    lwr <- fit_link - q * se_link
    upr <- fit_link + q * se_link
    if (type == "response") {
      # A decreasing inverse link (inverse, 1/mu^2) swaps the ends.
      ends <- cbind(family$linkinv(lwr), family$linkinv(upr))
      lwr <- pmin(ends[, 1L], ends[, 2L])
      upr <- pmax(ends[, 1L], ends[, 2L])
    }
    fit <- cbind(fit = pad(fit), lwr = pad(lwr), upr = pad(upr))
  } else {
    fit <- pad(fit)
  }
  if (!se.fit) return(fit)
  scale <- if (vcov == "glm" && !inherits(object, "mleglm_joint")) object$dispersion_pearson else object$dispersion
  list(fit = fit, se.fit = pad(se), residual.scale = sqrt(scale))
}

# ---- newdata --------------------------------------------------------------------

# The model matrix (non-aliased columns) and offset for `newdata`, with
# every problem a classed error that names the column.
new_design <- function(object, newdata, newoffset) {
  if (is.null(object$terms)) return(new_matrix_design(object, newdata, newoffset))
  if (!is.data.frame(newdata) && !is.list(newdata)) {
    abort("newdata", sprintf("`newdata` must be a data frame, not %s.", class(newdata)[1L]))
  }
  newdata <- as.data.frame(newdata, stringsAsFactors = FALSE)
  tt <- stats::delete.response(object$terms)
  env <- environment(object$terms)
  vars <- all.vars(tt)
  in_env <- vapply(vars, function(v) exists(v, envir = env) && !is.function(get(v, envir = env)), TRUE)
  missing_cols <- setdiff(vars[!in_env], names(newdata))
  if (length(missing_cols) > 0L) {
    abort("newdata", sprintf("`newdata` lacks the %s %s, used by the model.",
                             if (length(missing_cols) == 1L) "column" else "columns",
                             paste(sprintf("'%s'", missing_cols), collapse = ", ")))
  }
  for (name in intersect(names(object$xlevels), names(newdata))) {
    values <- newdata[[name]]
    if (!is.factor(values) && !is.character(values) && !is.logical(values)) {
      abort("newdata", sprintf("`newdata` column '%s' must be a factor or text (it was a factor when fitting), not %s.",
                               name, class(values)[1L]))
    }
    known <- object$xlevels[[name]]
    new_levels <- setdiff(unique(as.character(values[!is.na(values)])), known)
    if (length(new_levels) > 0L) {
      abort("newdata", sprintf("`newdata` column '%s' has %s not seen when fitting: %s (known: %s).",
                               name, if (length(new_levels) == 1L) "a level" else "levels",
                               paste(sprintf("'%s'", new_levels), collapse = ", "),
                               paste(known, collapse = ", ")))
    }
  }
  classes <- attr(tt, "dataClasses")
  for (name in intersect(names(classes), names(newdata))) {
    if (classes[[name]] %in% c("numeric", "nmatrix") && !is.numeric(newdata[[name]])) {
      abort("newdata", sprintf("`newdata` column '%s' must be numeric (as when fitting), not %s.",
                               name, class(newdata[[name]])[1L]))
    }
  }
  m <- tryCatch({
    m <- stats::model.frame(tt, newdata, na.action = stats::na.pass, xlev = object$xlevels)
    if (!is.null(classes)) stats::.checkMFClasses(classes, m)
    m
  }, error = function(e) {
    abort("newdata", sprintf("`newdata` does not fit the model: %s", conditionMessage(e)))
  })
  x <- stats::model.matrix(tt, m, contrasts.arg = object$contrasts)
  offset <- rep(0, nrow(x))
  for (i in attr(tt, "offset")) offset <- offset + eval(attr(tt, "variables")[[i + 1L]], newdata, env)
  if (!is.null(object$call$offset)) offset <- offset + eval(object$call$offset, newdata, env)
  list(x = drop_aliased(object, x), offset = offset)
}

new_matrix_design <- function(object, newdata, newoffset) {
  all_names <- names(object$coefficients)
  if (!is.matrix(newdata) || !is.numeric(newdata)) {
    abort("newdata", "`newdata` must be a numeric matrix for a fit from fit_matrix().")
  }
  if (!is.null(colnames(newdata))) {
    absent <- setdiff(all_names, colnames(newdata))
    if (length(absent) > 0L) {
      abort("newdata", sprintf("`newdata` lacks the columns %s.", paste(sprintf("'%s'", absent), collapse = ", ")))
    }
    newdata <- newdata[, all_names, drop = FALSE]
  } else if (ncol(newdata) != length(all_names)) {
    abort("newdata", sprintf("`newdata` must have %d columns (%s), not %d.", length(all_names),
                             paste(all_names, collapse = ", "), ncol(newdata)))
  }
  colnames(newdata) <- all_names
  offset <- if (is.null(newoffset)) rep(0, nrow(newdata)) else newoffset
  if (!is.numeric(offset) || length(offset) != nrow(newdata)) {
    abort("newdata", sprintf("`newoffset` must be numeric with one value per row of `newdata` (%d).", nrow(newdata)))
  }
  list(x = drop_aliased(object, newdata), offset = offset)
}

drop_aliased <- function(object, x) {
  if (any(object$aliased)) {
    warn("rank_deficient", sprintf(
      "The fit is rank deficient (%s aliased); predictions treat those coefficients as zero and may be misleading.",
      paste(sprintf("'%s'", names(object$aliased)[object$aliased]), collapse = ", ")))
  }
  x[, !object$aliased, drop = FALSE]
}
