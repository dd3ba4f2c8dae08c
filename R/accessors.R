# The small S3 accessors that let an "mleglm" object stand where a "glm"
# object would.

#' Accessors for mleglm fits
#'
#' The usual extractor functions of \R's modelling ecosystem. Coefficients of
#' aliased columns are `NA` (`complete = FALSE` drops them). `df.residual()`
#' and `nobs()` count the rows with positive weight, as `glm()` does.
#'
#' @param object,formula,x An `"mleglm"` object.
#' @param complete Whether to include `NA` for aliased coefficients.
#' @param ... Unused.
#' @return The requested component.
#' @name mleglm-accessors
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' coef(f)
#' nobs(f)
#' head(model.matrix(f))
NULL

#' @rdname mleglm-accessors
#' @export
coef.mleglm <- function(object, complete = TRUE, ...) {
  if (complete) object$coefficients else object$coefficients[!object$aliased]
}

#' @rdname mleglm-accessors
#' @export
nobs.mleglm <- function(object, ...) object$nobs

#' @rdname mleglm-accessors
#' @export
fitted.mleglm <- function(object, ...) {
  stats::napredict(object$na.action, object$fitted.values)
}

#' @rdname mleglm-accessors
#' @export
deviance.mleglm <- function(object, ...) object$deviance

#' @rdname mleglm-accessors
#' @export
df.residual.mleglm <- function(object, ...) object$df.residual

#' @rdname mleglm-accessors
#' @export
family.mleglm <- function(object, ...) object$family

#' @rdname mleglm-accessors
#' @export
formula.mleglm <- function(x, ...) {
  if (is.null(x$formula)) {
    abort("input", "This fit came from fit_matrix() and has no formula.")
  }
  stats::formula(x$terms)
}

#' @rdname mleglm-accessors
#' @export
terms.mleglm <- function(x, ...) {
  if (is.null(x$terms)) {
    abort("input", "This fit came from fit_matrix() and has no terms.")
  }
  x$terms
}

#' @rdname mleglm-accessors
#' @export
model.frame.mleglm <- function(formula, ...) {
  if (!is.null(formula[["model"]])) return(formula[["model"]])
  if (is.null(formula$terms)) {
    abort("input", "This fit came from fit_matrix() and has no model frame.")
  }
  # Rebuild it from the call, as stats does for glm(model = FALSE).
  call <- formula$call
  call$method <- call$start <- call$control <- call$family <- NULL
  call$model <- call$x <- call$y <- call$contrasts <- NULL
  call$drop.unused.levels <- TRUE
  call[[1L]] <- quote(stats::model.frame)
  call$formula <- formula$terms
  eval(call, environment(formula$formula))
}

#' @rdname mleglm-accessors
#' @export
model.matrix.mleglm <- function(object, ...) {
  if (!is.null(object[["x"]])) return(object[["x"]])
  stats::model.matrix(object$terms, stats::model.frame(object), object$contrasts)
}

#' @rdname mleglm-accessors
#' @details `sigma()` is the square root of the maximum-likelihood dispersion
#'   (1 for the binomial and Poisson families); `sigma(glm)` divides the
#'   deviance by the residual degrees of freedom instead. `weights()` gives
#'   the prior weights or, with `type = "working"`, the expected-information
#'   weights \eqn{w \mu'(\eta)^2 / V(\mu)} at the estimate (glm's working
#'   weights, but not lagged by an iteration).
#' @export
sigma.mleglm <- function(object, ...) sqrt(object$dispersion)

#' @rdname mleglm-accessors
#' @param type For `weights()`: `"prior"` or `"working"`.
#' @export
weights.mleglm <- function(object, type = c("prior", "working"), ...) {
  type <- match_choice(type, c("prior", "working"), "type")
  w <- object$prior.weights
  if (type == "working") {
    family <- object$family
    w <- w * family$mu.eta(object$linear.predictors)^2 / family$variance(object$fitted.values)
    w[object$prior.weights == 0] <- 0
  }
  stats::naresid(object$na.action, stats::setNames(w, names(object$fitted.values)))
}
