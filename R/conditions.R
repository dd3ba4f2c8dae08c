# Every condition mleglm signals is classed: errors inherit `mleglm_error` and
# a specific `mleglm_error_<kind>`, warnings `mleglm_warning` and
# `mleglm_warning_<kind>`, so that callers and tests can catch them exactly.

abort <- function(kind, message, ...) {
  stop(errorCondition(
    paste(message, collapse = "\n"),
    class = c(paste0("mleglm_error_", kind), "mleglm_error"),
    call = NULL, ...
  ))
}

warn <- function(kind, message) {
  warning(warningCondition(
    paste(message, collapse = "\n"),
    class = c(paste0("mleglm_warning_", kind), "mleglm_warning"),
    call = NULL
  ))
}

# A warning to be raised later and recorded in the fitted object, so that
# print() and summary() show it even when warnings were suppressed.
pending_warning <- function(kind, message) {
  list(kind = kind, message = paste(message, collapse = "\n"))
}

raise_pending <- function(pending) {
  for (w in pending) warn(w$kind, w$message)
  invisible(NULL)
}

# "3 rows (rows 4, 9, 12)" from the count and first rows that the C++
# checks report.
describe_offenders <- function(offenders) {
  rows <- paste(offenders$rows, collapse = ", ")
  if (offenders$count > length(offenders$rows)) rows <- paste0(rows, ", ...")
  sprintf("%d %s (%s %s)", offenders$count, if (offenders$count == 1L) "row" else "rows",
          if (offenders$count == 1L) "row" else "rows", rows)
}

# "3 rows (rows 4, 9, 12)" for the first few offending positions.
describe_rows <- function(bad, max_shown = 5L) {
  idx <- which(bad)
  shown <- paste(utils::head(idx, max_shown), collapse = ", ")
  if (length(idx) > max_shown) shown <- paste0(shown, ", ...")
  sprintf("%d %s (%s %s)", length(idx), if (length(idx) == 1L) "row" else "rows",
          if (length(idx) == 1L) "row" else "rows", shown)
}

# match.arg() with a classed error naming the argument: the first choice when
# the whole default vector is passed, else exactly one of the choices.
match_choice <- function(value, choices, name) {
  if (identical(value, choices)) return(choices[1L])
  if (!is.character(value) || length(value) != 1L || !value %in% choices) {
    abort("input", sprintf("`%s` must be one of %s, not %s.", name,
                           paste(sprintf("\"%s\"", choices), collapse = ", "),
                           deparse1(value)))
  }
  value
}
