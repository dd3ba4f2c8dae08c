# Turning the response into the numeric vector the likelihood needs, checked
# against the family's support (in one pass in C++), so that every failure is
# a classed condition naming the response and its rows. Starting means, as the
# families' `initialize` chooses them, are set in the C++ core.

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
  problems <- call_core(cpp_response_problems(y, weights, name))
  if (problems$nonfinite$count > 0L) {
    abort("input", sprintf("The response must be finite; %s are not.",
                           describe_offenders(problems$nonfinite)))
  }
  if (problems$outside$count > 0L) {
    need <- family_entry(family)$support
    abort("domain", sprintf("The response of the %s family must be %s; %s are not.",
                            name, need, describe_offenders(problems$outside)))
  }
  pending <- list()
  if (problems$noninteger$count > 0L) {
    what <- if (name == "poisson") {
      "The poisson response should be whole counts"
    } else {
      "The binomial response times `weights` should be whole numbers of successes"
    }
    pending <- list(pending_warning("domain", sprintf(
      "%s; %s are not (the likelihood is extended through lgamma).",
      what, describe_offenders(problems$noninteger))))
  }
  list(y = y, weights = weights, pending = pending)
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
