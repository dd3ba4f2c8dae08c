# From checked inputs to the numbers of a fit: prepare the response, drop
# aliased columns, call the C++ solver, and turn what it reports into the
# components and the pending warnings of an "mleglm" object.

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
  pending <- response$pending
  start <- check_start(start, colnames(x))

  solve <- function(columns, start_fit, rank_tol) {
    x_fit <- if (all(columns)) x else x[, columns, drop = FALSE]
    tryCatch(
      cpp_fit(x_fit, y, weights, offset, if (is.null(start_fit)) numeric(0) else start_fit,
              family$family, family$link, method, control$tol, control$maxit,
              control$max_halvings, control$trace, control$threads, rank_tol,
              if (is.null(largest)) numeric(0) else largest[columns]),
      error = function(e) {
        if (inherits(e, "mleglm_error")) stop(e)
        abort("numerical", sprintf("The C++ solver failed: %s", conditionMessage(e)))
      }
    )
  }
  columns <- rep(TRUE, ncol(x))
  res <- solve(columns, start, control$rank_tol)
  if (identical(res$status, "rank")) {
    # A dependent or nearly dependent column: forming X'X costs digits there,
    # so the pivoted QR with R's limited pivoting (LINPACK dqrdc2, as lm() and
    # glm() use) decides which columns are aliased, as glm() would.
    columns <- qr_independent_columns(x[weights > 0, , drop = FALSE], control$rank_tol)
    res <- solve(columns, start[columns], 0)
  }
  aliased <- !columns
  n_positive <- as.integer(res$n_positive)
  if (has_dispersion(family) && n_positive <= sum(columns)) {
    # The residuals vanish: the ML dispersion is 0, the log-likelihood infinite.
    abort("input", sprintf(
      "The %s family estimates a dispersion, which needs more rows with positive weight (%d) than coefficients (%d: %s).",
      family$family, n_positive, sum(columns), paste(colnames(x)[columns], collapse = ", ")))
  }
  canonical <- is_canonical(family)
  pending <- c(pending, rank_deficiency(colnames(x), aliased))
  x_fit <- if (any(aliased)) x[, columns, drop = FALSE] else x
  if (!res$ok) {
    if (is.null(start)) {
      abort("start", sprintf(
        "No valid starting values were found for the %s family with the %s link (the log-likelihood is not finite there: fitted means outside the family's range, or values too large); supply `start`.",
        family$family, family$link))
    }
    abort("start", "`start` gives no finite log-likelihood (fitted means outside the family's range, or values too large); supply other values.")
  }

  if (!res$converged) {
    last <- res$trace[nrow(res$trace), ]
    pending <- c(pending, list(pending_warning("convergence", sprintf(
      "The %s solver did not converge (%s) after %d iterations; final score norm %.3g, Newton decrement %.3g (tol %g).",
      method, res$message, res$iterations, last$gradient_norm, last$decrement, control$tol))))
  }

  # Only when there are names: assigning even NULL copies the n-vectors.
  if (!is.null(rownames(x))) names(res$mu) <- names(res$eta) <- rownames(x)
  coef <- stats::setNames(rep(NA_real_, ncol(x)), colnames(x))
  coef[columns] <- res$coefficients
  kept <- colnames(x)[columns]
  name_square <- function(m) {
    m <- as.matrix(m)
    dimnames(m) <- list(kept, kept)
    m
  }
  rank <- sum(columns)
  pending <- c(pending, perfect_fit(res, y, weights, family))
  precise <- precise_expected_inverse(x, columns, res, y, weights, offset, family, kept)
  pearson <- if (is.null(precise$pearson)) res$pearson else precise$pearson
  flag_infinite_estimates(x_fit, res$mu_range, list(
    coefficients = coef,
    aliased = stats::setNames(aliased, colnames(x)),
    fitted.values = res$mu,
    linear.predictors = res$eta,
    y = y,
    prior.weights = weights,
    offset = offset,
    family = family,
    method = method,
    control = control,
    loglik = res$loglik,
    deviance = res$deviance,
    dispersion = res$dispersion,
    dispersion_pearson = if (has_dispersion(family)) pearson / (n_positive - rank) else 1,
    pearson_chisq = pearson,
    information = list(observed = name_square(res$observed), expected = name_square(res$expected)),
    expected_inverse = precise$inverse,
    canonical = canonical,
    score = stats::setNames(res$score, kept),
    start = stats::setNames(res$start, kept),
    rank = rank,
    threads = res$threads,
    nobs = n_positive,
    df.residual = n_positive - rank,
    converged = res$converged,
    iterations = res$iterations,
    message = res$message,
    trace = res$trace,
    warnings = pending
  ))
}

# The pending warning that names the aliased columns, if any.
rank_deficiency <- function(names, aliased) {
  if (!any(aliased)) return(list())
  list(pending_warning("rank_deficient", sprintf(
    "The model matrix is rank deficient: %s %s linearly dependent on earlier columns; %s set to NA.",
    paste(sprintf("'%s'", names[aliased]), collapse = ", "),
    if (sum(aliased) == 1L) "is" else "are",
    if (sum(aliased) == 1L) "its coefficient is" else "their coefficients are")))
}

# Columns that do not depend linearly on earlier ones, so that the aliased
# coefficients are the ones glm() reports as NA.
qr_independent_columns <- function(x, tol) {
  qx <- qr(x, tol = tol, LAPACK = FALSE)
  keep <- rep(FALSE, ncol(x))
  keep[qx$pivot[seq_len(qx$rank)]] <- TRUE
  keep
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
  canonical <- c(gaussian = "identity", binomial = "logit", poisson = "log",
                 Gamma = "inverse", inverse.gaussian = "1/mu^2")
  identical(unname(canonical[family$family]), family$link)
}
