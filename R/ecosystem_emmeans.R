# Estimated marginal means (emmeans) for mleglm fits: the two methods of
# emmeans' extension interface, registered when emmeans is loaded
# (NAMESPACE: S3method(emmeans::recover_data, mleglm) and ::emm_basis).

#' Estimated marginal means of mleglm fits with emmeans
#'
#' Methods of `emmeans::recover_data()` and `emmeans::emm_basis()`, so that
#' `emmeans::emmeans()`, `emmeans::emtrends()`, `emmeans::ref_grid()`,
#' `pairs()`, `contrast()` and the rest of emmeans work on mleglm fits, and
#' packages built on emmeans with them.
#'
#' The reference grid is built from the fit's data as for `glm()` fits. The
#' coefficients are `coef(object)` and their covariance is `vcov(object)`,
#' the inverse observed information at the maximum-likelihood dispersion,
#' unless `vcov.` gives another: a matrix, a function of the fit, or one of
#' [vcov.mleglm()]'s types as a string (`vcov. = "glm"` for glm's
#' covariance). For [negbin()] and [custom_family()] fits they are the
#' regression coefficients and their block of the covariance (the extra
#' parameter left out), on the scale of the family's link.
#'
#' Tests and intervals use the normal distribution (`df = Inf`), as
#' [summary.mleglm()] does. For the binomial and Poisson families the
#' results equal those of emmeans on the `glm()` fit. For the Gaussian,
#' Gamma and inverse Gaussian families emmeans on a `glm()` fit uses the
#' Pearson dispersion and t tests on the residual degrees of freedom; the
#' same numbers come from `emmeans(f, specs, vcov. = "glm", df =
#' df.residual(f))`.
#'
#' Fits from [fit_chunked()] hold no data for the grid: give emmeans the
#' data, or a sample of them, with `data =`; without it `recover_data()`
#' raises an error of class `mleglm_error_rows_unavailable`, which emmeans
#' prints before its own ("Perhaps a 'data' or 'params' argument is
#' needed"). Fits from [fit_matrix()] have no formula (`recover_data()`
#' raises `mleglm_error_input`).
#'
#' @param object An `"mleglm"` object.
#' @param trms,xlev,grid Passed by emmeans: the terms without response, the
#'   factor levels and the reference grid.
#' @param data Optional data frame for the grid, instead of the fit's data.
#' @param vcov. Optional covariance of the coefficients (see above).
#' @param ... Passed on by emmeans.
#' @return `recover_data()` the data of the fit as emmeans needs them;
#'   `emm_basis()` the list that emmeans' extension interface describes
#'   (`X`, `bhat`, `nbasis`, `V`, `dffun`, `dfargs`, `misc`).
#' @name mleglm-emmeans
#' @examplesIf requireNamespace("emmeans", quietly = TRUE)
#' h <- transform(heart, sick = num > 0, cp = factor(cp))
#' f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
#' emmeans::emmeans(f, ~ cp, type = "response")
#' pairs(emmeans::emmeans(f, ~ cp))
#' emmeans::emtrends(f, ~ 1, var = "age")
NULL

#' @rdname mleglm-emmeans
#' @exportS3Method emmeans::recover_data
recover_data.mleglm <- function(object, data = NULL, ...) {
  if (inherits(object, "mleglm_chunked") && is.null(data)) {
    rows_unavailable("emmeans without a `data` argument")
  }
  mt <- stats::delete.response(formula_terms(object, "emmeans"))
  frame <- object[["model"]]
  if (is.null(frame) || !is.null(data)) {
    return(emmeans::recover_data(object$call, mt, object$na.action, data = data, ...))
  }
  emmeans::recover_data(object$call, mt, object$na.action, frame = frame, ...)
}

#' @rdname mleglm-emmeans
#' @exportS3Method emmeans::emm_basis
emm_basis.mleglm <- function(object, trms, xlev, grid, vcov., ...) {
  m <- suppressWarnings(stats::model.frame(trms, grid, na.action = stats::na.pass, xlev = xlev))
  x <- stats::model.matrix(trms, m, contrasts.arg = object$contrasts)
  bhat <- object$coefficients
  x <- x[, names(bhat), drop = FALSE]
  kept <- names(bhat)[!object$aliased]
  v <- if (missing(vcov.)) {
    coef_vcov(object, "observed")
  } else if (is.character(vcov.)) {
    coef_vcov(object, match_choice(vcov., vcov_types, "vcov."))
  } else {
    emmeans::.my.vcov(object, vcov., ...)
  }
  # A joint fit's full covariance, given as vcov(f), includes its extra parameter.
  if (!is.null(rownames(v)) && all(kept %in% rownames(v))) v <- v[kept, kept, drop = FALSE]
  if (!identical(dim(v), c(length(kept), length(kept)))) {
    abort("input", sprintf("`vcov.` must be a %d x %d covariance of the coefficients %s.",
                           length(kept), length(kept), paste(kept, collapse = ", ")))
  }
  nbasis <- if (any(object$aliased)) null_basis(stats::model.matrix(object)) else matrix(NA_real_)
  list(X = x, bhat = unname(bhat), nbasis = nbasis, V = v,
       dffun = function(k, dfargs) Inf, dfargs = list(),
       misc = emmeans::.std.link.labels(object$family, list()))
}

# A basis of the null space of x (the combinations of coefficients that the
# data do not estimate), as estimability::nonest.basis() gives it.
null_basis <- function(x) {
  s <- svd(x, nu = 0L)
  tol <- max(dim(x)) * max(s$d) * .Machine$double.eps * 1e3
  s$v[, s$d <= tol, drop = FALSE]
}
