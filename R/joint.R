# Models fitted over the full parameter vector (beta, tau), where tau is one
# extra parameter shared by all rows (log theta of the negative binomial, the
# log-scale of a user's distribution): the engine generic that fit_engine()
# hands such families to, and the pieces their engines share.

# Families that carry their own engine inherit "mleglm_joint_family";
# methods: joint_engine.mleglm_negbin_family (negbin_engine.R) and
# joint_engine.mleglm_custom_family (custom_engine.R). Each returns the
# components of the fitted object, `subclass` included.
joint_engine <- function(family, x, y, weights, offset, start, method, control) {
  UseMethod("joint_engine")
}

is_joint_family <- function(family) inherits(family, "mleglm_joint_family")

# Columns kept (as fit_engine() keeps them) and the rank warning.
joint_columns <- function(x, positive, control) {
  columns <- qr_independent_columns(x[positive, , drop = FALSE], control$rank_tol)
  list(columns = columns, aliased = !columns, pending = rank_deficiency(colnames(x), !columns))
}

# Calls a C++ fitter, turning an unexpected C++ exception into a classed
# error; classed R errors (from a user's function) pass through unchanged.
joint_call <- function(expr) {
  tryCatch(expr, error = function(e) {
    if (inherits(e, "mleglm_error")) stop(e)
    abort("numerical", sprintf("The C++ solver failed: %s", conditionMessage(e)))
  })
}

# The components every joint fit shares, from the C++ result `res`:
# coefficients (NA where aliased), the full estimate `par` (coefficients and
# the extra parameter on its estimation scale), information matrices named
# by `par`, score, trace and convergence.
joint_components <- function(res, x, cols, extra_name, weights, method, control, pending) {
  kept <- colnames(x)[cols$columns]
  par_names <- c(kept, extra_name)
  p <- length(kept)
  coef <- stats::setNames(rep(NA_real_, ncol(x)), colnames(x))
  coef[cols$columns] <- res$coefficients[seq_len(p)]
  name_square <- function(m) {
    if (is.null(m)) return(NULL)
    m <- as.matrix(m)
    dimnames(m) <- list(par_names, par_names)
    m
  }
  if (!res$converged) {
    last <- res$trace[nrow(res$trace), ]
    pending <- c(pending, list(pending_warning("convergence", sprintf(
      "The %s solver did not converge (%s) after %d iterations; final score norm %.3g, Newton decrement %.3g (tol %g).",
      method, res$message, res$iterations, last$gradient_norm, last$decrement, control$tol))))
  }
  nobs <- sum(weights > 0)
  list(
    coefficients = coef,
    aliased = stats::setNames(cols$aliased, colnames(x)),
    par = stats::setNames(res$coefficients, par_names),
    information = list(observed = name_square(res$observed), expected = name_square(res$expected)),
    score = stats::setNames(res$score, par_names),
    start = stats::setNames(res$start, par_names),
    loglik = res$loglik,
    rank = p,
    nobs = nobs,
    df.residual = nobs - p,
    method = method,
    control = control,
    converged = res$converged,
    iterations = res$iterations,
    message = res$message,
    trace = res$trace,
    warnings = pending
  )
}

# "(Intercept) = 1.23, age = -0.5" for error messages.
format_parameters <- function(par, names) {
  paste(sprintf("%s = %s", names, vapply(par, function(v) format(signif(v, 7)), "")),
        collapse = ", ")
}

# The name of the extra parameter on the scale it is estimated on.
scaled_name <- function(name, scale) {
  if (identical(scale, "log")) sprintf("log(%s)", name) else name
}
