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
  print_separation(x$separation)
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

# Infinite estimates are shown as such, beside the finite values where the
# solver stopped, so that a large number is never read as an estimate.
print_separation <- function(separation) {
  if (length(separation) == 0L) return(invisible(NULL))
  cat("\nInfinite estimates (the maximum-likelihood estimate does not exist): ",
      describe_infinite(separation), ";\n  the values above are where the solver stopped.\n",
      sep = "")
  invisible(NULL)
}
