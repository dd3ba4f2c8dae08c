# The boundary to the C++ core. A model is described once, as a named list
# (its kind, data, family and start: model_spec()), and goes to the core
# through one of two entry points, fit_core() and evaluate_core(); every
# other call into C++ also goes through call_core(), which turns an
# exception from C++ into a classed mleglm error. Classed R errors raised
# from callbacks (a custom family's functions, a chunk reader) pass through
# unchanged.

call_core <- function(expr) {
  tryCatch(expr, error = function(e) {
    if (inherits(e, "mleglm_error")) stop(e)
    abort("numerical", sprintf("The C++ core failed: %s", conditionMessage(e)))
  })
}

# The description of a model that the core reads. `kind` is "glm",
# "negbin", "custom" or "chunked"; in-memory kinds carry x, y, weights and
# offset, chunked ones the number of columns `p` and the functions that sum
# over the chunks; `...` adds what a kind needs besides (`largest`,
# `functions`, `phi`, `sums`, `start_sums`, `constant_sums` (the sums of a
# start at a constant linear predictor), and `on_columns`, called with the
# columns the rank policy keeps when it drops some).
model_spec <- function(kind, family, link, x = NULL, y = NULL, weights = NULL, offset = NULL,
                       start = NULL, ...) {
  spec <- list(kind = kind, family = family, link = link, x = x, y = y, weights = weights,
               offset = offset, start = if (is.null(start)) numeric(0) else as.double(start),
               ...)
  structure(spec[!vapply(spec, is.null, TRUE)], class = "mleglm_spec")
}

# The solver settings: mleglm_control()'s list and the method.
core_control <- function(control, method, rank_tol = control$rank_tol) {
  list(method = method, tol = control$tol, maxit = control$maxit,
       max_halvings = control$max_halvings, trace = control$trace,
       threads = control$threads, rank_tol = rank_tol)
}

fit_core <- function(spec, method, control, rank_tol = control$rank_tol) {
  call_core(cpp_fit_model(unclass(spec), core_control(control, method, rank_tol)))
}

evaluate_core <- function(spec, par, with_derivatives = TRUE) {
  call_core(cpp_evaluate_model(unclass(spec), as.double(par), with_derivatives))
}

# The spec restricted to some of its columns (and the start to their
# coefficients, then any extra parameter).
spec_columns <- function(spec, columns) {
  if (all(columns)) return(spec)
  spec$x <- spec$x[, columns, drop = FALSE]
  if (length(spec$start) > 0L) {
    extra <- length(spec$start) - length(columns)
    spec$start <- spec$start[c(columns, rep(TRUE, extra))]
  }
  if (!is.null(spec$largest)) spec$largest <- spec$largest[columns]
  if (!is.null(spec$on_columns)) spec$on_columns(columns)
  spec
}

# The one rank policy, for every kind. The core checks the columns on X'WX
# at the start (in-memory fits) or on the summed X'WX (chunked fits). Where
# the rows are in memory, a dependent or nearly dependent column is then
# decided by the pivoted QR with R's limited pivoting (LINPACK dqrdc2, as
# lm() and glm() use), since forming X'X costs digits, and the model is
# refitted on the independent columns; a chunked fit has no rows for a QR
# and keeps the columns the summed Cholesky found independent, holding the
# others at zero. Returns the final spec, the core's result and the kept
# columns.
fit_with_rank_policy <- function(spec, method, control) {
  res <- fit_core(spec, method, control)
  p <- if (identical(spec$kind, "chunked")) spec$p else ncol(spec$x)
  columns <- rep(TRUE, p)
  if (identical(spec$kind, "chunked")) {
    columns <- as.logical(res$independent)
  } else if (identical(res$status, "rank")) {
    columns <- qr_independent_columns(spec$x[spec$weights > 0, , drop = FALSE], control$rank_tol)
    spec <- spec_columns(spec, columns)
    res <- fit_core(spec, method, control, rank_tol = 0)
  }
  list(spec = spec, res = res, columns = columns)
}

# Columns that do not depend linearly on earlier ones, so that the aliased
# coefficients are the ones glm() reports as NA.
qr_independent_columns <- function(x, tol) {
  qx <- qr(x, tol = tol, LAPACK = FALSE)
  keep <- rep(FALSE, ncol(x))
  keep[qx$pivot[seq_len(qx$rank)]] <- TRUE
  keep
}

# The pending warnings of the rank policy and of the stopping rule, the same
# for every kind.
rank_deficiency <- function(names, aliased) {
  if (!any(aliased)) return(list())
  list(pending_warning("rank_deficient", sprintf(
    "The model matrix is rank deficient: %s %s linearly dependent on earlier columns; %s set to NA.",
    paste(sprintf("'%s'", names[aliased]), collapse = ", "),
    if (sum(aliased) == 1L) "is" else "are",
    if (sum(aliased) == 1L) "its coefficient is" else "their coefficients are")))
}

convergence_warning <- function(res, method, control) {
  if (isTRUE(res$converged)) return(list())
  last <- res$trace[nrow(res$trace), ]
  list(pending_warning("convergence", sprintf(
    "The %s solver did not converge (%s) after %d iterations; final score norm %.3g, Newton decrement %.3g (tol %g).",
    method, res$message, res$iterations, last$gradient_norm, last$decrement, control$tol)))
}

# A square matrix from the core, named by `names`.
name_square <- function(m, names) {
  if (is.null(m)) return(NULL)
  m <- as.matrix(m)
  dimnames(m) <- list(names, names)
  m
}

# The components every fit shares, whatever its kind: the coefficients (NA
# where aliased), the information at the estimate, score, start, trace and
# convergence, with the rank and convergence warnings. `par_names` names the
# core's parameters (the kept coefficients, then any extra parameter).
shared_components <- function(run, names, par_names, method, control, pending = list()) {
  res <- run$res
  columns <- run$columns
  coef <- stats::setNames(rep(NA_real_, length(names)), names)
  coef[columns] <- res$coefficients[seq_len(sum(columns))]
  list(
    coefficients = coef,
    aliased = stats::setNames(!columns, names),
    information = list(observed = name_square(res$observed, par_names),
                       expected = name_square(res$expected, par_names)),
    score = stats::setNames(as.double(res$score), par_names),
    start = stats::setNames(as.double(res$start), par_names),
    loglik = res$loglik,
    rank = sum(columns),
    method = method,
    control = control,
    converged = res$converged,
    iterations = res$iterations,
    message = res$message,
    trace = res$trace,
    warnings = c(pending, rank_deficiency(names, !columns),
                 convergence_warning(res, method, control))
  )
}

# A GLM family's evaluation at beta from its data, as the tests and the
# methods that hold the data call it.
evaluate_glm_at <- function(x, y, weights, offset, beta, family, link) {
  evaluate_core(model_spec("glm", family, link, x = x, y = y, weights = weights,
                           offset = offset), beta)
}
