# What profiling, analysis of deviance, compare() and the likelihood
# functions share: the data of a fit as the C++ core wants them, and calls
# to the core on other columns, offsets or coefficients. Everything goes
# through likelihood_at() (kind.R), the code the solvers use, so that a
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

# The model with only the coefficients `keep` (logical, along the
# non-aliased coefficients) and the dropped ones at zero, maximised over
# those and any extra parameter (a glm family's dispersion, theta, a custom
# family's parameter) through likelihood_at(): from `start` (values for the
# kept coefficients) or, when it is NULL, from the kind's own start.
# Returns likelihood_at()'s list with `rank`, or a classed error.
submodel_fit <- function(object, keep, start = NULL, tol = 1e-10) {
  est <- kind_estimate(object)
  p <- length(keep)
  par <- replace(est, seq_len(p), 0)
  if (!is.null(start)) par[seq_len(p)][keep] <- start
  res <- likelihood_at(object, par, free = c(keep, rep(TRUE, length(est) - p)),
                       cold = is.null(start), tol = tol)
  if (!res$ok) {
    abort("numerical", sprintf("The submodel with %s could not be fitted: no finite log-likelihood was found.",
                               if (any(keep)) paste(names(est)[seq_len(p)][keep], collapse = ", ") else "no coefficients"))
  }
  res$rank <- sum(keep)
  res
}

# The full model refitted from better coefficients `start` (for the
# non-aliased columns), as a new "mleglm" object that keeps everything else
# of `object`. Used when a profile finds a higher likelihood than the fit's.
refit_from <- function(object, start) {
  d <- refit_data(object, aliased = TRUE)
  full_start <- stats::setNames(rep(0, ncol(d$x)), colnames(d$x))
  # Joint fits start their extra parameter as their engine does.
  full_start[!object$aliased] <- start[seq_len(sum(!object$aliased))]
  control <- object$control
  control$maxit <- max(control$maxit, 100L)
  engine <- fit_engine(d$x, d$y, object$family, d$weights, d$offset, full_start,
                       object$method, control)
  engine$subclass <- NULL
  object[names(engine)] <- engine
  object
}

# The null model of analysis of deviance: the intercept alone when the fit
# has one, else the offset alone; as glm() computes its null deviance.
null_fit <- function(object) {
  keep <- names(kind_estimate(object))[seq_len(object$rank)] == "(Intercept)" & has_intercept(object)
  submodel_fit(object, keep)
}

has_intercept <- function(object) {
  if (!is.null(object$terms)) {
    return(attr(object$terms, "intercept") == 1L && !object$aliased[["(Intercept)"]])
  }
  "(Intercept)" %in% names(object$coefficients)[!object$aliased]
}
