# From checked inputs to the numbers of a fit: prepare the response, drop
# aliased columns, call the C++ solver, and turn what it reports into the
# components and the pending warnings of an "mleglm" object.

fit_engine <- function(x, y, family, weights, offset, start, method, control) {
  response <- prepare_response(y, weights, family)
  y <- as.double(response$y)
  weights <- response$weights
  positive <- weights > 0
  if (!any(positive)) {
    abort("input", "There are no rows with positive weight to fit.")
  }
  pending <- response$pending
  start <- check_start(start, colnames(x))

  columns <- independent_columns(x[positive, , drop = FALSE], control$rank_tol)
  aliased <- !columns
  if (any(aliased)) {
    pending <- c(pending, list(pending_warning("rank_deficient", sprintf(
      "The model matrix is rank deficient: %s %s linearly dependent on earlier columns; %s set to NA.",
      paste(sprintf("'%s'", colnames(x)[aliased]), collapse = ", "),
      if (sum(aliased) == 1L) "is" else "are",
      if (sum(aliased) == 1L) "its coefficient is" else "their coefficients are"))))
  }
  x_fit <- if (any(aliased)) x[, columns, drop = FALSE] else x
  if (has_dispersion(family) && sum(positive) <= sum(columns)) {
    # The residuals vanish: the ML dispersion is 0, the log-likelihood infinite.
    abort("input", sprintf(
      "The %s family estimates a dispersion, which needs more rows with positive weight (%d) than coefficients (%d: %s).",
      family$family, sum(positive), sum(columns), paste(colnames(x)[columns], collapse = ", ")))
  }

  eta_start <- suppressWarnings(family$linkfun(response$mustart))
  res <- tryCatch(
    cpp_fit(x_fit, y, weights, offset,
            if (is.null(start)) numeric(0) else start[columns],
            eta_start, family$family, family$link, method, control$tol,
            control$maxit, control$max_halvings, control$trace),
    error = function(e) {
      if (inherits(e, "mleglm_error")) stop(e)
      abort("numerical", sprintf("The C++ solver failed: %s", conditionMessage(e)))
    }
  )
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

  names(res$mu) <- names(res$eta) <- rownames(x)
  coef <- stats::setNames(rep(NA_real_, ncol(x)), colnames(x))
  coef[columns] <- res$coefficients
  kept <- colnames(x)[columns]
  name_square <- function(m) {
    m <- as.matrix(m)
    dimnames(m) <- list(kept, kept)
    m
  }
  rank <- sum(columns)
  n_positive <- sum(positive)
  pearson <- sum((weights * (y - res$mu)^2 / family$variance(res$mu))[positive])
  flag_infinite_estimates(x_fit, list(
    coefficients = coef,
    aliased = stats::setNames(aliased, colnames(x)),
    fitted.values = res$mu,
    linear.predictors = res$eta,
    residuals = (y - res$mu) / family$mu.eta(res$eta),
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
    score = stats::setNames(res$score, kept),
    start = stats::setNames(res$start, kept),
    rank = rank,
    nobs = n_positive,
    df.residual = n_positive - rank,
    converged = res$converged,
    iterations = res$iterations,
    message = res$message,
    trace = res$trace,
    warnings = pending
  ))
}

# Columns kept by a pivoted QR with R's limited pivoting (LINPACK dqrdc2, as
# lm() and glm() use): a column that depends on earlier ones is dropped, so the
# aliased coefficients are the same ones glm() reports as NA.
independent_columns <- function(x, tol) {
  if (ncol(x) == 0L) return(logical(0))
  qx <- qr(x, tol = tol, LAPACK = FALSE)
  keep <- rep(FALSE, ncol(x))
  keep[qx$pivot[seq_len(qx$rank)]] <- TRUE
  keep
}
