#' Print an mleglm fit
#'
#' `format()` gives the lines that `print()` writes, with no side effects:
#' what was fitted, the call, the coefficients, any infinite estimates, the
#' dispersion, the log-likelihood, whether the solver converged and the
#' warnings raised while fitting.
#'
#' @param x An `"mleglm"` object.
#' @param digits Significant digits to print.
#' @param ... Unused.
#' @return `print()` `x`, invisibly; `format()` a character vector, one
#'   element a line.
#' @export
print.mleglm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  writeLines(format(x, digits = digits, ...))
  invisible(x)
}

#' @rdname print.mleglm
#' @export
format.mleglm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  dispersion <- if (has_dispersion(x$family)) {
    label <- if (x$family$family == "gaussian") "sigma^2 (ML, RSS / n)" else "Dispersion (ML)"
    paste0(label, ": ", format(x$dispersion, digits = digits + 3L))
  }
  split_lines(c(format_fit_head(x, x$family$family, digits),
                format_separation(x$separation),
                "", dispersion,
                format_fit_tail(x, digits)))
}

# The lines of a print() of any fit, "mleglm" or "mleglm_joint", before what
# only some kinds show: what was fitted, the call and the coefficients.
format_fit_head <- function(x, family_name, digits) {
  c("", paste0("Maximum-likelihood GLM: ", family_name, " family, ", x$family$link, " link"),
    "", paste0("Call:  ", paste(deparse(x$call), collapse = "\n")), "",
    "Coefficients:",
    utils::capture.output(print.default(format(x$coefficients, digits = digits),
                                        print.gap = 2L, quote = FALSE)))
}

# ... and after it: the log-likelihood, convergence and the warnings.
format_fit_tail <- function(x, digits) {
  ll <- stats::logLik(x)
  c(paste0("Log-likelihood: ", format(unclass(ll), digits = digits + 3L),
           " (df = ", format(attr(ll, "df")), ")"),
    paste0(if (x$converged) "Converged" else "Did NOT converge", " after ",
           format(x$iterations), " ", x$method, " iterations."),
    format_warnings(x$warnings))
}

format_warnings <- function(warnings) {
  if (length(warnings) == 0L) return(character(0))
  c("", "Warnings raised while fitting:",
    vapply(warnings, function(w) paste0("* [", w$kind, "] ", w$message), ""))
}

# Infinite estimates are shown as such, beside the finite values where the
# solver stopped, so that a large number is never read as an estimate.
format_separation <- function(separation) {
  if (length(separation) == 0L) return(character(0))
  c("", paste0("Infinite estimates (the maximum-likelihood estimate does not exist): ",
               describe_infinite(separation), ";"),
    "  the values above are where the solver stopped.")
}

# One element a line, as writeLines() writes them and capture.output()
# reads them back: pieces that hold newlines (a call deparsed over several
# lines, a warning's message) are split where they break, a trailing
# newline giving an empty line.
split_lines <- function(text) {
  c(character(0), unlist(lapply(text, function(piece) {
    if (!nzchar(piece)) return("")
    lines <- strsplit(piece, "\n", fixed = TRUE)[[1L]]
    if (endsWith(piece, "\n")) c(lines, "") else lines
  }), use.names = FALSE))
}
