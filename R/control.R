#' Control the maximum-likelihood iterations
#'
#' All three solvers stop when the Newton decrement
#' \eqn{\sqrt{U^\top C^{-1} U}}{sqrt(U' C^-1 U)}, with \eqn{U} the score and
#' \eqn{C} the curvature in use, is at most `tol`. The decrement is the
#' distance from the current estimate to the maximum of the local quadratic
#' model measured in standard errors, so the default `tol = 1e-10` means the
#' estimate is within about \eqn{10^{-10}}{1e-10} standard errors of the maximum.
#' `glm()` instead stops when the relative change of the deviance falls below
#' its `epsilon` and never looks at the score.
#'
#' @param tol Positive convergence tolerance on the Newton decrement.
#' @param maxit Maximum number of iterations (steps), a whole number.
#' @param trace `TRUE` to print one line per iteration while fitting.
#' @param max_halvings How often a step may be halved before the solver
#'   gives up on improving the log-likelihood.
#' @param rank_tol A column whose residual norm, after projection on the
#'   earlier columns, is at most `rank_tol` times its own norm is linearly
#'   dependent (aliased) and gets an `NA` coefficient; the criterion of the
#'   pivoted QR that `lm()` uses, with the same default.
#' @param threads Number of threads for the passes over the rows. By default
#'   `getOption("mleglm.threads", 2L)`; never more than the processors or
#'   the environment variable `OMP_THREAD_LIMIT` allow. Results do not depend
#'   on the number of threads.
#' @return A list of class `"mleglm_control"`.
#' @examples
#' mleglm_control(tol = 1e-10, maxit = 50)
#' @export
mleglm_control <- function(tol = 1e-10, maxit = 100L, trace = FALSE, max_halvings = 40L,
                           rank_tol = 1e-7, threads = getOption("mleglm.threads", 2L)) {
  check_number(tol, "tol", lower = 0, upper = 1, open_lower = TRUE)
  check_count(maxit, "maxit", upper = 1e6)
  check_count(max_halvings, "max_halvings", upper = 1000)
  check_number(rank_tol, "rank_tol", lower = 0, upper = 1, open_lower = TRUE)
  check_count(threads, "threads", upper = 1024)
  if (threads < 1) abort("control", "`threads` must be at least 1.")
  if (!is.logical(trace) || length(trace) != 1L || is.na(trace)) {
    abort("control", "`trace` must be TRUE or FALSE.")
  }
  structure(
    list(tol = tol, maxit = as.integer(maxit), trace = trace,
         max_halvings = as.integer(max_halvings), rank_tol = rank_tol,
         threads = as.integer(threads)),
    class = "mleglm_control"
  )
}

# `kind` names the error class: "control" for mleglm_control()'s settings,
# "input" for the arguments of other functions.
check_number <- function(x, name, lower, upper, open_lower = FALSE, kind = "control") {
  ok <- is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) &&
    (if (open_lower) x > lower else x >= lower) && x <= upper
  if (!ok) {
    abort(kind, sprintf("`%s` must be a single number in %s%g, %g].", name,
                             if (open_lower) "(" else "[", lower, upper))
  }
}

check_count <- function(x, name, upper, kind = "control") {
  ok <- is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) &&
    x >= 0 && x <= upper && x == round(x)
  if (!ok) {
    abort(kind, sprintf("`%s` must be a single whole number from 0 to %g.", name, upper))
  }
}

as_control <- function(control) {
  if (inherits(control, "mleglm_control")) return(control)
  if (is.list(control)) {
    given <- names(control)
    if (length(control) > 0L && (is.null(given) || any(given == ""))) {
      abort("control", "`control` must be a named list, such as list(tol = 1e-8, maxit = 50).")
    }
    unknown <- setdiff(given, names(formals(mleglm_control)))
    if (length(unknown) > 0L) {
      abort("control", sprintf("`control` has unknown settings: %s; known are %s.",
                               paste(unknown, collapse = ", "),
                               paste(names(formals(mleglm_control)), collapse = ", ")))
    }
    return(do.call(mleglm_control, control))
  }
  abort("control", "`control` must come from mleglm_control() or be a named list of its arguments.")
}
