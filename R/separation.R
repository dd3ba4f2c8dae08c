# Infinite estimates. For binomial fits, and poisson fits with the log link,
# the likelihood may have no maximum: along some direction d of the
# coefficients it rises for ever towards its supremum, and the coefficients
# with d_j != 0 run off to +-Inf (complete or quasi-complete separation,
# Albert and Anderson 1984; all-zero responses; a factor level whose counts
# are all zero). A solver then stops at large finite values with a tiny
# score, and glm() calls that converged.
#
# We look for a certificate of that direction. Let B be the rows whose
# fitted mean sits at the boundary their response is on (y = 0 with mu near
# 0; for the binomial also y = 1 with mu near 1), with sign s_i = -1 or +1,
# and N the other rows with positive weight. If X_N d = 0 and s_i x_i'd >= 0
# on B, > 0 for at least one row, then along beta + t d no row's likelihood
# falls and some row's rises, at every beta: no finite maximum exists. Each
# candidate direction is verified, so a flagged fit has infinite estimates.
# The candidates are not exhaustive (a linear programme would be, as in
# Konis 2007, which the tests use as the oracle): a miss leaves the
# convergence or boundary warning in place.

# Called once by fit_engine() on the engine's result list, the columns of
# the model matrix it fitted and the range of the fitted means; returns the list with `separation` (a
# named vector of -Inf and Inf for the diverging coefficients, empty if
# none), `converged` and `message` corrected, and the pending warning.
flag_infinite_estimates <- function(x, mu_range, fit) {
  fit$separation <- numeric(0)
  if (fit$converged && all_means_inside(mu_range, fit$family)) {
    # Nothing near a boundary: no search, no warning, and no n-vectors made.
    return(fit)
  }
  positive <- fit$prior.weights > 0
  beta <- fit$coefficients[!fit$aliased]
  found <- find_recession_direction(x, positive, fit$y[positive],
                                    fit$fitted.values[positive], beta, fit$family, fit$converged)
  if (is.null(found)) {
    fit$warnings <- c(fit$warnings, boundary_warnings(fit, positive))
    return(fit)
  }
  # Row numbers of the whole data, not of the rows with positive weight.
  found$at_boundary <- replace(positive, positive, found$at_boundary)
  names(found$direction) <- colnames(x)
  y <- fit$y[positive]
  mark_infinite(fit, found$direction, describe_cause(
    describe_rows(found$at_boundary), found$complete, all(y == 0), all(y == 1), fit$family))
}

# The fit with the coefficients moving along `direction` flagged infinite:
# `separation`, `converged`, `message` and the warning, which replaces the
# solver's own convergence warning (the divergence explains it). `cause`
# says why, in words. Shared by fits in memory and chunked fits.
mark_infinite <- function(fit, direction, cause) {
  involved <- abs(direction) > 1e-6 * max(abs(direction))
  fit$separation <- ifelse(direction[involved] > 0, Inf, -Inf)
  fit$converged <- FALSE
  fit$message <- "no maximum: some estimates are infinite"
  fit$warnings <- Filter(function(w) w$kind != "convergence", fit$warnings)
  one <- sum(involved) == 1L
  fit$warnings <- c(fit$warnings, list(pending_warning("separation", sprintf(
    "The maximum-likelihood %s of %s %s infinite (%s): the log-likelihood keeps rising as %s %s. The values reported are where the solver stopped after %d iterations; their standard errors and tests are not meaningful.",
    if (one) "estimate" else "estimates", describe_infinite(fit$separation),
    if (one) "is" else "are", cause, if (one) "it goes to" else "they go to",
    if (one) "infinity" else "these limits", fit$iterations))))
  fit
}

# A verified direction d (in the units of x's columns) with the boundary
# rows B, or NULL. Looser thresholds for "at the boundary" are tried only
# when tighter ones give no certificate; the last puts every row with a
# response at a boundary in B, which certifies complete separation even
# when the solver stopped long before the fitted means got there (large n,
# small maxit). A converged fit with no mean within 1e-4 of its boundary
# is not searched: the search costs about one iteration of the solver.
# `x` holds all rows and `positive` marks those that were fitted; the rows
# are copied only when a search is needed, so that the usual converged fit
# costs no copy of X.
find_recession_direction <- function(x, positive, y, mu, beta, family, converged) {
  side <- boundary_side(y, family)
  if (is.null(side)) return(NULL)
  if (converged && !any((side < 0 & mu < 1e-4) | (side > 0 & mu > 1 - 1e-4))) return(NULL)
  if (!all(positive)) x <- x[positive, , drop = FALSE]
  # Columns scaled to largest absolute value 1, so that tolerances are relative.
  scale <- apply(abs(x), 2L, max)
  scale[!(scale > 0)] <- 1
  xs <- sweep(x, 2L, scale, "/")
  for (threshold in boundary_thresholds) {
    at_boundary <- boundary_rows(side, mu, threshold)
    if (!any(at_boundary)) next
    d <- certify_direction(xs[!at_boundary, , drop = FALSE], xs[at_boundary, , drop = FALSE],
                           side[at_boundary], beta * scale)
    if (!is.null(d)) {
      return(list(direction = d / scale, at_boundary = at_boundary,
                  complete = !any(!at_boundary)))
    }
  }
  NULL
}

# How close to its boundary a fitted mean must be for its row to count as
# at the boundary, tightest first; Inf takes every row whose response is.
boundary_thresholds <- c(1e-8, 1e-4, 1e-2, Inf)

boundary_rows <- function(side, mu, threshold) {
  side != 0 & (threshold == Inf | ifelse(side < 0, mu < threshold, mu > 1 - threshold))
}

# Whether a direction of unit length with these margins (sign * x_i'd on the
# boundary rows) and this largest |x_i'd| on the other rows is a
# certificate, allowing for rounding in columns scaled to largest value 1.
certifies <- function(margin, inside) {
  all(margin >= -1e-9) && max(margin) > 1e-6 && inside <= 1e-9
}

# +1 where the response is at the upper boundary (binomial y = 1), -1 at the
# lower (y = 0), 0 elsewhere; NULL for families whose estimates cannot
# diverge this way (fitted means at 0 or 1 are reached at finite
# coefficients with the identity, sqrt and binomial log links' upper end).
boundary_side <- function(y, family) {
  if (family$family == "binomial") {
    upper <- family$link != "log"
    return((y == 1 & upper) - (y == 0))
  }
  if (family$family == "poisson" && family$link == "log") return(-(y == 0))
  NULL
}

# A direction d with x_inside d = 0 and sign * (x_boundary d) >= 0, > 0
# somewhere, or NULL. Candidates, all within the null space of x_inside: the
# fitted coefficients (a diverging solver has moved far along d), least
# squares for sign * x_boundary d = 1, then Ho-Kashyap iterations (Ho and
# Kashyap 1965), which find a strict separator by least squares alone when
# one exists.
certify_direction <- function(x_inside, x_boundary, sign, beta) {
  p <- ncol(x_boundary)
  null_basis <- if (nrow(x_inside) == 0L) diag(p) else null_space(x_inside)
  if (ncol(null_basis) == 0L) return(NULL)
  a <- sign * (x_boundary %*% null_basis)
  qa <- qr(a)
  solve_ls <- function(target) {
    coef <- qr.coef(qa, target)
    coef[is.na(coef)] <- 0
    coef
  }
  verified <- function(coef) {
    d <- drop(null_basis %*% coef)
    size <- sqrt(sum(d^2))
    if (!(size > 0) || !all(is.finite(d))) return(NULL)
    margin <- drop(sign * (x_boundary %*% d)) / size
    inside <- if (nrow(x_inside) > 0L) max(abs(x_inside %*% d)) / size else 0
    if (certifies(margin, inside)) d else NULL
  }
  d <- verified(crossprod(null_basis, beta))
  if (!is.null(d)) return(d)
  target <- rep(1, nrow(a))
  for (iteration in 0:10) {
    coef <- solve_ls(target)
    d <- verified(coef)
    if (!is.null(d)) return(d)
    error <- drop(a %*% coef) - target
    if (all(error <= 1e-12)) return(NULL)  # Ho-Kashyap: no strict separator
    target <- target + 0.5 * (error + abs(error))
  }
  NULL
}

# Orthonormal basis of the null space of x, by the singular value decomposition.
null_space <- function(x) {
  sv <- svd(x, nu = 0L, nv = ncol(x))
  rank <- sum(sv$d > 1e-9 * max(sv$d, 0))
  sv$v[, seq_len(ncol(x))[-seq_len(rank)], drop = FALSE]
}

describe_infinite <- function(limits) {
  paste(sprintf("'%s' (%s)", names(limits), ifelse(limits > 0, "+Inf", "-Inf")), collapse = ", ")
}

# Why the estimates diverge, in words, for the warning: `where` names the
# rows at the boundary, `complete` says no row is inside, `all_zero` and
# `all_one` describe the responses of the fitted rows.
describe_cause <- function(where, complete, all_zero, all_one, family) {
  if (all_zero) return(if (family$family == "poisson") "all counts are zero" else "all responses are 0")
  if (all_one && family$family == "binomial") return("all responses are 1")
  if (family$family == "poisson") {
    return(sprintf("zero counts: the fitted means of %s, all zero counts, tend to zero", where))
  }
  if (complete) {
    return("complete separation: a linear combination of the predictors splits the 0 and 1 responses exactly")
  }
  sprintf("quasi-complete separation: the fitted probabilities of %s tend to 0 or 1", where)
}

# Whether every fitted mean is at least 1e-4 inside the parameter space
# (0 and 1 for the binomial, 0 for the poisson), by its range alone.
all_means_inside <- function(mu_range, family) {
  isTRUE(switch(family$family,
    binomial = mu_range[1L] > 1e-4 && mu_range[2L] < 1 - 1e-4,
    poisson = mu_range[1L] > 1e-4,
    TRUE))
}

# Fitted means at the edge of the parameter space without a certificate of
# divergence: numerically 0 or 1 (reported, as glm() does), or near it in a
# fit that did not converge, as when the maximum lies on the edge itself
# (poisson identity, binomial log links), where the score need not vanish
# and the unconstrained solvers stop short.
boundary_warnings <- function(fit, positive) {
  mu <- fit$fitted.values
  name <- fit$family$family
  numerically <- positive & at_edge(mu, name, 10 * .Machine$double.eps)
  if (any(numerically)) return(edge_warning(name, describe_rows(numerically), TRUE))
  near <- positive & at_edge(mu, name, 1e-6 * edge_scale(name, mean(fit$y[positive])))
  if (fit$converged || !any(near)) return(list())
  edge_warning(name, describe_rows(near), FALSE)
}

# Whether each mean is within `tolerance` of the family's boundary.
at_edge <- function(mu, name, tolerance) {
  switch(name,
    binomial = mu < tolerance | mu > 1 - tolerance,
    poisson = mu < tolerance,
    rep(FALSE, length(mu)))
}

# A poisson mean is near 0 relative to the mean count.
edge_scale <- function(name, mean_y) if (name == "poisson") max(1, mean_y) else 1

# The warning for means numerically at the boundary (`numerically`) or near
# it in a fit that did not converge; `where` names the rows.
edge_warning <- function(name, where, numerically) {
  if (numerically) {
    what <- if (name == "binomial") "probabilities numerically 0 or 1" else "means numerically 0"
    return(list(pending_warning("boundary", sprintf(
      "Fitted %s occurred in %s; no direction of infinite estimates was found (the search is not exhaustive), so the estimates may be finite but extreme.",
      what, where))))
  }
  list(pending_warning("boundary", sprintf(
    "The solver stopped with the fitted %s of %s at the edge of the parameter space (%s): the maximum may lie on that edge, where the score need not vanish and an unconstrained solver cannot converge.",
    if (name == "binomial") "probabilities" else "means", where,
    if (name == "binomial") "0 or 1" else "0")))
}
