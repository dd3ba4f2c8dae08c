# The one constructor of "mleglm" objects: every fit of every kind (a GLM
# family, the negative binomial, a custom family, chunked), from a formula or
# a matrix, passes through here, and here its warnings are raised.

new_mleglm <- function(engine, call, formula = NULL, terms = NULL, model = NULL, x = NULL,
                       keep_y = TRUE, xlevels = NULL, contrasts = NULL, na.action = NULL) {
  # The kinds other than the GLM families name their subclasses.
  subclass <- engine$subclass
  engine$subclass <- NULL
  object <- c(engine, list(
    call = call,
    formula = formula,
    terms = terms,
    model = model,
    x = x,
    xlevels = xlevels,
    contrasts = contrasts,
    na.action = na.action
  ))
  if (!keep_y) {
    # Without y, the working residuals keep what residuals() needs.
    object$residuals <- (object$y - object$fitted.values) /
      object$family$mu.eta(object$linear.predictors)
    object$y <- NULL
  }
  object <- object[!vapply(object, is.null, TRUE)]
  class(object) <- c(subclass, "mleglm")
  raise_pending(object$warnings)
  object
}
