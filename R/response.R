# Turning the response into the numeric vector the likelihood needs, checked
# against the family's support, with starting means as glm() chooses them
# (the families' `initialize`), written out here so that every failure is a
# classed condition naming the response.

prepare_response <- function(y, weights, family) {
  name <- family$family
  if (is.null(y) || !is.atomic(y) || is.data.frame(y)) {
    abort("input", sprintf("The response must be a numeric vector or a two-column matrix, not %s.",
                           if (is.null(y)) "NULL" else class(y)[1L]))
  }
  if (is.complex(y) || is.character(y)) {
    abort("input", sprintf("The response must be numeric, not %s.", class(y)[1L]))
  }
  if (is.factor(y) || is.logical(y)) {
    if (name != "binomial") {
      abort("input", sprintf("A %s response needs the binomial family; the family is %s.",
                             class(y)[1L], name))
    }
    y <- if (is.factor(y)) as.numeric(y != levels(y)[1L]) else as.numeric(y)
  }
  if (is.matrix(y) && ncol(y) == 1L) y <- drop(y)
  if (is.matrix(y)) {
    if (name != "binomial" || ncol(y) != 2L) {
      abort("input", "A matrix response must have two columns (successes, failures) and the binomial family.")
    }
    counts <- binomial_counts(y, weights)
    y <- counts$y
    weights <- counts$weights
  }
  y <- as.double(as.vector(y))  # integer counts too: C++ maps doubles only
  if (any(!is.finite(y))) {
    abort("input", sprintf("The response must be finite; %s are not.", describe_rows(!is.finite(y))))
  }
  pending <- list()
  positive <- weights > 0
  outside <- switch(name,
    binomial = y < 0 | y > 1,
    poisson = y < 0,
    Gamma = ,
    inverse.gaussian = y <= 0,
    gaussian = rep(FALSE, length(y))
  )
  outside <- outside & positive
  if (any(outside)) {
    need <- switch(name,
      binomial = "between 0 and 1 (proportions; use cbind(successes, failures) for counts)",
      poisson = "non-negative counts",
      "positive")
    abort("domain", sprintf("The response of the %s family must be %s; %s are not.",
                            name, need, describe_rows(outside)))
  }
  if (name == "poisson" && any(y != round(y) & positive)) {
    pending <- c(pending, list(pending_warning("domain", sprintf(
      "The poisson response should be whole counts; %s are not (the likelihood is extended through lgamma).",
      describe_rows(y != round(y) & positive)))))
  }
  if (name == "binomial" && any(abs(weights * y - round(weights * y)) > 1e-7 & positive)) {
    pending <- c(pending, list(pending_warning("domain",
      "The binomial response times `weights` should be whole numbers of successes; some are not.")))
  }
  list(y = y, weights = weights, mustart = start_mean(y, weights, family), pending = pending)
}

binomial_counts <- function(y, weights) {
  bad <- !is.finite(y) | y < 0 | y != round(y)
  if (any(bad)) {
    abort("domain", sprintf(
      "The binomial response cbind(successes, failures) must hold non-negative whole counts; %s do not.",
      describe_rows(rowSums(bad) > 0)))
  }
  trials <- y[, 1L] + y[, 2L]
  list(y = ifelse(trials > 0, y[, 1L] / trials, 0), weights = weights * trials)
}

# Starting means, as the stats families' `initialize` expressions choose them.
start_mean <- function(y, weights, family) {
  mu <- switch(family$family,
    binomial = (weights * y + 0.5) / (weights + 1),
    poisson = y + 0.1,
    y
  )
  # A link may not accept every observed value (log of a zero Gaussian
  # response, say); there the mean of the positive-weight responses stands in.
  bad <- !valid_mean(mu, family)
  if (any(bad)) mu[bad] <- mean(y[weights > 0])
  mu
}

# Vectorised version of the families' validmu() and valideta(), row by row.
valid_mean <- function(mu, family) {
  eta <- suppressWarnings(family$linkfun(mu))
  ok <- is.finite(mu) & is.finite(eta)
  ok <- ok & switch(family$family, binomial = mu > 0 & mu < 1, gaussian = TRUE, mu > 0)
  ok & switch(family$link, inverse = eta != 0, "1/mu^2" = , sqrt = eta > 0, TRUE)
}
