#' Print an mleglm fit
#'
#' @param x An `"mleglm"` object.
#' @param digits Significant digits to print.
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
print.mleglm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("\nMaximum-likelihood GLM: ", x$family$family, " family, ", x$family$link, " link\n",
      sep = "")
  cat("\nCall:  ", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Coefficients:\n")
  print.default(format(x$coefficients, digits = digits), print.gap = 2L, quote = FALSE)
  if (has_dispersion(x$family)) {
    label <- if (x$family$family == "gaussian") "sigma^2 (ML, RSS / n)" else "Dispersion (ML)"
    cat("\n", label, ": ", format(x$dispersion, digits = digits + 3L), sep = "")
  }
  ll <- stats::logLik(x)
  cat("\nLog-likelihood: ", format(unclass(ll), digits = digits + 3L), " (df = ",
      attr(ll, "df"), ")", sep = "")
  cat("\n", if (x$converged) "Converged" else "Did NOT converge", " after ", x$iterations,
      " ", x$method, " iterations.\n", sep = "")
  print_warnings(x$warnings)
  invisible(x)
}

print_warnings <- function(warnings) {
  if (length(warnings) == 0L) return(invisible(NULL))
  cat("\nWarnings raised while fitting:\n")
  for (w in warnings) cat("* [", w$kind, "] ", w$message, "\n", sep = "")
  invisible(NULL)
}
