# The help pages as a reader sees them: every installed Rd topic rendered to
# text (as ?topic shows it in a terminal), with the examples left out (they
# are code). Mathematics must read in text as well as in HTML, so \eqn{}
# needs an ASCII alternative wherever its LaTeX is more than Greek letters.

rd_text <- function(rd) {
  keep <- vapply(rd, function(e) !identical(attr(e, "Rd_tag"), "\\examples"), TRUE)
  body <- rd[keep]
  attributes(body) <- attributes(rd)[setdiff(names(attributes(rd)), "names")]
  utils::capture.output(tools::Rd2txt(body, out = stdout(),
                                      options = list(underline_titles = FALSE)))
}

installed_rd <- function() tools::Rd_db("mleglm")

test_that("no help page shows raw LaTeX in its text rendering", {
  db <- installed_rd()
  expect_gt(length(db), 30L)
  # A backslash command (\log, \hat, \top, \mathrm, ...) or a brace glued to
  # a word, ^ or _ (sqrt{, ^{-1}, I_{jj}) is LaTeX that Rd2txt left as it was.
  latex <- "\\\\[A-Za-z]|[[:alnum:]_^]\\{"
  leftovers <- unlist(lapply(names(db), function(topic) {
    lines <- grep(latex, rd_text(db[[topic]]), value = TRUE)
    if (length(lines)) paste0(topic, ": ", trimws(lines))
  }))
  expect_identical(leftovers, NULL)
})

test_that("the check finds raw LaTeX when it is there", {
  bad <- tools::parse_Rd(textConnection(c(
    "\\name{x}\\alias{x}\\title{x}",
    "\\description{the error is \\eqn{\\sqrt{x^\\top V x}} and \\eqn{\\log\\theta}.}")))
  good <- tools::parse_Rd(textConnection(c(
    "\\name{x}\\alias{x}\\title{x}",
    "\\description{the error is \\eqn{\\sqrt{x^\\top V x}}{sqrt(x' V x)}.}")))
  latex <- "\\\\[A-Za-z]|[[:alnum:]_^]\\{"
  expect_true(any(grepl(latex, rd_text(bad))))
  expect_false(any(grepl(latex, rd_text(good))))
})

test_that("?mleglm_control quotes the defaults that mleglm_control() has", {
  db <- installed_rd()
  text <- paste(rd_text(db[["mleglm_control.Rd"]]), collapse = " ")
  text <- gsub("\\s+", " ", text)
  defaults <- mleglm_control()
  # Every "`tol = 1e-10`"-style quotation of a setting in the text.
  quoted <- regmatches(text, gregexpr("[a-z_]+ = [0-9.eE+-]+[0-9]", text))[[1]]
  quoted <- quoted[sub(" = .*", "", quoted) %in% names(formals(mleglm_control))]
  expect_gt(length(quoted), 0L)
  for (q in quoted) {
    setting <- sub(" = .*", "", q)
    expect_equal(as.numeric(sub(".* = ", "", q)), as.numeric(defaults[[setting]]),
                 tolerance = 0, info = q)
  }
  # "within about 1e-10 standard errors" is the default tolerance too.
  within <- regmatches(text, regexpr("within about [0-9.e+-]+ standard errors", text))
  expect_length(within, 1L)
  expect_equal(as.numeric(sub("within about ([^ ]+) .*", "\\1", within)), defaults$tol,
               tolerance = 0)
  expect_equal(defaults$tol, eval(formals(mleglm_control)$tol), tolerance = 0)
})

test_that("no roxygen block in R/ is cut short by a line that is not #'", {
  src <- testthat::test_path("..", "..", "R")
  skip_if_not(dir.exists(src), "the package sources are not beside the tests")
  cut <- unlist(lapply(list.files(src, pattern = "[.]R$", full.names = TRUE), function(file) {
    lines <- readLines(file, warn = FALSE)
    doc <- startsWith(lines, "#'")
    inside <- which(!doc & startsWith(lines, "#"))
    inside <- inside[inside > 1L & inside < length(lines)]
    inside <- inside[doc[inside - 1L] & doc[inside + 1L]]
    if (length(inside)) sprintf("%s:%d: %s", basename(file), inside, lines[inside])
  }))
  expect_identical(cut, NULL)
})
