# For the tests of the format() methods (test-print.R, test-summary.R,
# test-joint_methods.R, test-likelihood.R, test-compare.R): format(x, ...)
# is a character vector of lines, with no attributes and no newline inside
# an element, computed without printing anything, and it is what print(x,
# ...) writes: the same lines, byte for byte. Returns the lines.
expect_format_is_print <- function(x, ...) {
  lines <- expect_silent(format(x, ...))
  expect_type(lines, "character")
  expect_null(attributes(lines))
  expect_false(any(grepl("\n", lines, fixed = TRUE)))
  path <- tempfile()
  on.exit(unlink(path))
  con <- file(path, "w")
  sink(con)
  value <- withVisible(print(x, ...))
  sink()
  close(con)
  expect_false(value$visible)
  expect_identical(value$value, x)
  printed <- readBin(path, "raw", file.info(path)$size)
  expect_identical(printed, charToRaw(paste0(lines, "\n", collapse = "")))
  expect_identical(lines, utils::capture.output(print(x, ...)))
  invisible(lines)
}
