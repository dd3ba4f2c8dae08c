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
    convergence_sentence(x),
    format_warnings(x$warnings))
}

# "Converged after 4 newton iterations." or, where no step was taken, why:
# the starting values already met the stopping rule.
convergence_sentence <- function(x) {
  if (!x$converged) {
    return(sprintf("Did NOT converge after %s %s iteration%s.", format(x$iterations), x$method,
                   if (x$iterations == 1L) "" else "s"))
  }
  if (x$iterations > 0L) {
    return(sprintf("Converged after %s %s iteration%s.", format(x$iterations), x$method,
                   if (x$iterations == 1L) "" else "s"))
  }
  strwrap(paste0("Converged at the starting values: ", start_solves_reason(x), "."),
          width = max(40L, getOption("width") - 2L))
}

# Why a fit that took no step had converged at its start, from the fit.
start_solves_reason <- function(x) {
  last <- x$trace[nrow(x$trace), ]
  decrement <- sprintf("the Newton decrement there, %s, was at most tol = %s",
                       format(last$decrement, digits = 2L), format(x$control$tol))
  if (!is.null(x$call$start)) return(paste("the supplied start solves the score equations;", decrement))
  if (!inherits(x, "mleglm_joint") && x$family$family == "gaussian" && x$family$link == "identity") {
    return(paste("for the Gaussian with identity link the starting step, one weighted least-squares",
                 "fit, solves the score equations"))
  }
  paste("the starting step already solves the score equations;", decrement)
}

# "p = 0.0123" or "p < 2.2e-16": a p-value for a sentence, with format.pval()'s
# floor at machine precision, as printCoefmat() and print.anova() use.
format_p_value <- function(p, digits) {
  text <- format.pval(p, digits = digits, eps = .Machine$double.eps)
  if (startsWith(text, "<")) paste("p", text) else paste("p =", text)
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
