# From checked inputs to the numbers of a fit of a GLM family: prepare the
# response, describe the model for the core, fit it under the one rank
# policy (core.R), and add to the components every kind shares what a GLM
# family's fit has besides.

# `largest`, if known, holds each column's largest absolute value
# (check_finite_columns()), which spares the solver a pass over x.
fit_engine <- function(x, y, family, weights, offset, start, method, control, largest = NULL) {
  if (is_joint_family(family)) {
    return(joint_engine(family, x, y, weights, offset, start, method, control))
  }
  response <- prepare_response(y, weights, family)
  y <- as.double(response$y)
  weights <- response$weights
  # Weights are finite and non-negative here.
  if (length(weights) == 0L || !(max(weights) > 0)) {
    abort("input", "There are no rows with positive weight to fit.")
  }
  start <- check_start(start, colnames(x))
  spec <- model_spec("glm", family$family, family$link, x = x, y = y, weights = weights,
                     offset = offset, start = start, largest = largest)
  run <- fit_with_rank_policy(spec, method, control)
  res <- run$res
  columns <- run$columns
  n_positive <- as.integer(res$n_positive)
  if (has_dispersion(family) && n_positive <= sum(columns)) {
    # The residuals vanish: the ML dispersion is 0, the log-likelihood infinite.
    abort("input", sprintf(
      "The %s family estimates a dispersion, which needs more rows with positive weight (%d) than coefficients (%d: %s).",
      family$family, n_positive, sum(columns), paste(colnames(x)[columns], collapse = ", ")))
  }
  if (!res$ok) {
    if (is.null(start)) {
      abort("start", sprintf(
        "No valid starting values were found for the %s family with the %s link (the log-likelihood is not finite there: fitted means outside the family's range, or values too large); supply `start`.",
        family$family, family$link))
    }
    abort("start", "`start` gives no finite log-likelihood (fitted means outside the family's range, or values too large); supply other values.")
  }

  # Only when there are names: assigning even NULL copies the n-vectors.
  if (!is.null(rownames(x))) names(res$mu) <- names(res$eta) <- rownames(x)
  kept <- colnames(x)[columns]
  out <- shared_components(run, colnames(x), kept, method, control, response$pending)
  rank <- out$rank
  out$warnings <- c(out$warnings, perfect_fit(res, y, weights, family))
  precise <- precise_expected_inverse(x, columns, res, y, weights, offset, family, kept)
  pearson <- if (is.null(precise$pearson)) res$pearson else precise$pearson
  flag_infinite_estimates(run$spec$x, res$mu_range, c(out, list(
    fitted.values = res$mu,
    linear.predictors = res$eta,
    y = y,
    prior.weights = weights,
    offset = offset,
    family = family,
    deviance = res$deviance,
    dispersion = res$dispersion,
    dispersion_pearson = if (has_dispersion(family)) pearson / (n_positive - rank) else 1,
    pearson_chisq = pearson,
    expected_inverse = precise$inverse,
    canonical = is_canonical(family),
    threads = res$threads,
    nobs = n_positive,
    df.residual = n_positive - rank
  )))
}

# For an ill-conditioned design the inverse of X'WX formed from sums loses
# about twice the digits that a QR decomposition of sqrt(W) X keeps (the
# condition number is squared), so there the inverse expected information
# comes from the QR, as lm() and glm() compute their covariance, and so does
# the Pearson statistic: the squared residuals of the working response
# sqrt(W) z, which for the identity link is y itself, so no digits go to the
# cancellation in X beta. Empty when the scaled information is well
# conditioned (condition number up to 1e6), where both ways agree to rounding
# and the copy of X is not worth it.
precise_expected_inverse <- function(x, columns, res, y, weights, offset, family, kept) {
  info <- res$expected
  if (length(info) == 0L || !all(is.finite(info)) || scaled_condition(info) <= 1e6) return(list())
  positive <- weights > 0
  eta <- res$eta[positive]
  mu <- res$mu[positive]
  w <- weights[positive] * family$mu.eta(eta)^2 / family$variance(mu)
  if (!all(is.finite(w))) return(list())
  z <- if (family$link == "identity") {
    y[positive] - offset[positive]
  } else {
    eta - offset[positive] + (y[positive] - mu) / family$mu.eta(eta)
  }
  qx <- qr(sqrt(w) * x[positive, columns, drop = FALSE], LAPACK = FALSE)
  if (qx$rank < length(kept)) return(list())
  inverse <- chol2inv(qr.R(qx)) * res$dispersion
  order <- order(qx$pivot)
  inverse <- inverse[order, order, drop = FALSE]
  dimnames(inverse) <- list(kept, kept)
  list(inverse = inverse, pearson = sum(qr.resid(qx, sqrt(w) * z)^2))
}

# An exact fit (a Gaussian response that the columns reproduce to rounding,
# say) has a maximum-likelihood dispersion of 0: the likelihood is unbounded,
# the Newton decrement does not get small, and the standard errors are 0.
# Said plainly rather than left to a convergence warning alone.
perfect_fit <- function(res, y, weights, family) {
  if (!has_dispersion(family)) return(list())
  positive <- weights > 0
  scale <- if (family$family == "gaussian") sum((weights * y^2)[positive]) else sum(positive)
  if (!(res$deviance <= 1e-20 * scale)) return(list())
  list(pending_warning("perfect_fit", sprintf(
    "The fit is exact (residual deviance %.3g): the maximum-likelihood dispersion is 0, so the log-likelihood is unbounded and the standard errors are 0; the coefficients solve the model exactly.",
    res$deviance)))
}

# Condition number of S M S with S = diag(M)^-1/2: what column scaling cannot
# remove.
scaled_condition <- function(m) {
  s <- 1 / sqrt(diag(m))
  if (any(!is.finite(s))) return(Inf)
  condition_number(m * outer(s, s))
}

is_canonical <- function(family) {
  isTRUE(family_entry(family)$canonical)
}
