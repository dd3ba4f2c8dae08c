# Collecting the conditions an expression signals, and the expectations on
# mleglm's classed conditions built on it, shared by every test file.

# Evaluates `expr`, collecting and muffling every warning and message.
# Returns list(value, warnings, messages, error): `value` is the value of
# `expr`, `warnings` and `messages` lists of the condition objects in the
# order signalled. An error is not caught unless `catch_error = TRUE`, so
# that a test that expects a value still fails on an error; when caught it
# is `error` (NULL if there was none) and `value` is NULL.
collect_conditions <- function(expr, catch_error = FALSE) {
  warnings <- list()
  messages <- list()
  error <- NULL
  collect <- function() {
    withCallingHandlers(expr,
      warning = function(w) {
        warnings[[length(warnings) + 1L]] <<- w
        invokeRestart("muffleWarning")
      },
      message = function(m) {
        messages[[length(messages) + 1L]] <<- m
        invokeRestart("muffleMessage")
      })
  }
  value <- if (catch_error) {
    tryCatch(collect(), error = function(e) {
      error <<- e
      NULL
    })
  } else {
    collect()
  }
  list(value = value, warnings = warnings, messages = messages, error = error)
}

# The first (most specific) class of each condition in a list, such as
# "mleglm_warning_convergence".
first_classes <- function(conditions) {
  vapply(conditions, function(cnd) class(cnd)[1L], "")
}

# Captures the error of `expr`, checks it is an mleglm error of `class` whose
# message matches `regexp` (fixed strings by default), and that it would print
# as "Error: ..." rather than "Error in <call> : ...".
expect_mleglm_error <- function(expr, class, regexp = NULL, fixed = TRUE) {
  cnd <- expect_error(expr, class = "mleglm_error")
  expect_s3_class(cnd, class)
  msg <- conditionMessage(cnd)
  for (re in regexp) expect_match(msg, re, fixed = fixed)
  expect_null(conditionCall(cnd))
  expect_false(startsWith(msg, "Error in"))
  printed <- try(stop(cnd), silent = TRUE)
  expect_false(startsWith(as.character(printed), "Error in"))
  # Input checks must not be reported as failures of the C++ solver.
  if (!identical(class, "mleglm_error_numerical")) {
    expect_false(grepl("C++ solver failed", msg, fixed = TRUE))
  }
  invisible(cnd)
}

# One expectation: `expr` signals a condition of `class` whose message
# contains every string of `names`, without a call, and every condition it
# signals (its warnings and its error, if any) is mleglm's own.
expect_classed <- function(expr, class, names) {
  label <- deparse1(substitute(expr))
  res <- collect_conditions(expr, catch_error = TRUE)
  found <- c(res$warnings, if (!is.null(res$error)) list(res$error))
  hit <- Filter(function(cnd) inherits(cnd, class), found)
  foreign <- Filter(function(cnd) !inherits(cnd, c("mleglm_error", "mleglm_warning")), found)
  msg <- if (length(hit) > 0L) conditionMessage(hit[[1L]]) else ""
  missing_names <- names[!vapply(names, grepl, TRUE, x = msg, fixed = TRUE)]
  ok <- length(hit) > 0L && length(foreign) == 0L && length(missing_names) == 0L &&
    is.null(conditionCall(hit[[1L]]))
  expect(ok, sprintf(
    "%s: wanted %s naming %s; got [%s] %s",
    label, class, paste(names, collapse = " and "),
    paste(first_classes(found), collapse = ", "),
    paste(vapply(found, conditionMessage, ""), collapse = " | ")))
  invisible(found)
}
