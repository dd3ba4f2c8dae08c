# What profiling, analysis of deviance, compare() and the likelihood
# functions share: the data of a fit as the C++ core wants them, and calls
# to the core on other columns, offsets or coefficients. Everything goes
# through fit_core() and evaluate_core(), the code the solvers use, so that a
# profile or a likelihood-ratio test measures exactly the fitted likelihood.

# Model matrix (all columns, or only the non-aliased ones), response, prior
# weights and offset of the rows that were fitted.
refit_data <- function(object, aliased = FALSE) {
  if (inherits(object, "mleglm_chunked")) rows_unavailable("This computation")
  x <- stats::model.matrix(object)
  if (!aliased) x <- x[, !object$aliased, drop = FALSE]
  if (storage.mode(x) != "double") storage.mode(x) <- "double"
  list(x = x, y = response_of(object), weights = object$prior.weights,
       offset = object$offset)
}

# The response as the likelihood sees it (proportions for the binomial),
# rebuilt from the working residuals when the fit was made with y = FALSE;
# rounding may then step outside the support, so it is clamped.
response_of <- function(object) {
  y <- object[["y"]]
  if (!is.null(y)) return(y)
  family <- object$family
  y <- object$fitted.values + object$residuals * family$mu.eta(object$linear.predictors)
  switch(family$family, binomial = pmin(pmax(y, 0), 1), poisson = pmax(y, 0), y)
}

# Maximises the likelihood over the columns of x with everything else fixed
# in the offset, from `start` (coefficients) or, when it is empty, from the
# family's starting means. Returns fit_core()'s list.
refit_columns <- function(x, y, weights, offset, family, start = numeric(0),
                          method = "newton", tol = 1e-10, maxit = 100L, max_halvings = 40L,
                          threads = 1L) {
  spec <- model_spec("glm", family$family, family$link, x = x, y = y, weights = weights,
                     offset = offset, start = start)
  if (ncol(x) == 0L) {
    # Nothing to estimate: the likelihood of the offset alone.
    return(c(evaluate_core(spec, numeric(0)),
             list(coefficients = numeric(0), converged = TRUE, iterations = 0L)))
  }
  # rank_tol = 0: the columns of a fit were checked when it was made.
  control <- list(tol = tol, maxit = maxit, max_halvings = max_halvings, trace = FALSE,
                  threads = threads)
  fit_core(spec, method, control, rank_tol = 0)
}

# The full model refitted from better coefficients `start` (for the
# non-aliased columns), as a new "mleglm" object that keeps everything else
# of `object`. Used when a profile finds a higher likelihood than the fit's.
refit_from <- function(object, start) {
  d <- refit_data(object, aliased = TRUE)
  full_start <- stats::setNames(rep(0, ncol(d$x)), colnames(d$x))
  full_start[!object$aliased] <- start
  control <- object$control
  control$maxit <- max(control$maxit, 100L)
  engine <- fit_engine(d$x, d$y, object$family, d$weights, d$offset, full_start,
                       object$method, control)
  object[names(engine)] <- engine
  object
}

# The null model of analysis of deviance: the intercept alone when the fit
# has one, else the offset alone; as glm() computes its null deviance.
null_fit <- function(object) {
  d <- refit_data(object)
  intercept <- has_intercept(object)
  x <- if (intercept) d$x[, "(Intercept)", drop = FALSE] else d$x[, 0L, drop = FALSE]
  refit_columns(x, d$y, d$weights, d$offset, object$family)
}

has_intercept <- function(object) {
  if (!is.null(object$terms)) {
    return(attr(object$terms, "intercept") == 1L && !object$aliased[["(Intercept)"]])
  }
  "(Intercept)" %in% names(object$coefficients)[!object$aliased]
}
