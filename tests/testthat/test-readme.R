# README.md is rendered from README.Rmd (`make readme`). Here every R block of
# README.md is run again and what it prints now is compared with the output
# block that follows it, so that a change of the printed output that was not
# carried into README.md fails. Runs only in the source tree, where
# README.md sits two levels above the tests.

# Fenced blocks of a Markdown file, in order: language and lines.
fenced_blocks <- function(lines) {
  fence <- grep("^```", lines)
  if (length(fence) %% 2L != 0L) stop("unbalanced code fences")
  starts <- fence[c(TRUE, FALSE)]
  ends <- fence[c(FALSE, TRUE)]
  lapply(seq_along(starts), function(k) {
    list(lang = trimws(sub("^```", "", lines[starts[k]])),
         body = if (ends[k] > starts[k] + 1L) lines[(starts[k] + 1L):(ends[k] - 1L)] else character(0),
         start = starts[k], end = ends[k])
  })
}

# What a block of R code prints, expression by expression, as knitr shows it.
printed_by <- function(code, env) {
  exprs <- parse(text = code, keep.source = FALSE)
  unlist(lapply(exprs, function(e) {
    utils::capture.output({
      res <- withVisible(eval(e, env))
      if (res$visible) print(res$value)
    })
  }))
}

# Numbers at the level of rounding (exponent -10 or below) may differ between
# processors (the AVX2 kernels against the portable code); so may the
# spacing that they move. knitr drops the blank lines around an output.
normalise <- function(lines) {
  text <- paste(lines, collapse = "\n")
  text <- gsub("[0-9]+(\\.[0-9]+)?e-(1[0-9]|[2-9][0-9]|[0-9]{3})", "<rounding>", text)
  text <- gsub("0\\.0e\\+00", "<rounding>", text)
  trimws(gsub("[ \t]+", " ", text))
}

# The words and layout must be identical; each number must agree to its
# last printed digit or so (relative 1e-3, or 1e-4 absolute): optim()'s
# numerical Hessian moves in the fourth decimal under valgrind's arithmetic
# and the sanitizers' compilation, while a stale README moves far more.
number <- "-?[0-9]+(\\.[0-9]+)?(e[-+]?[0-9]+)?"
expect_same_output <- function(now, shown, info) {
  a <- normalise(now)
  b <- normalise(shown)
  expect_identical(gsub(number, "<n>", a), gsub(number, "<n>", b), info = info)
  x <- as.numeric(regmatches(a, gregexpr(number, a))[[1L]])
  y <- as.numeric(regmatches(b, gregexpr(number, b))[[1L]])
  if (length(x) == length(y)) {
    off <- abs(x - y) > 1e-3 * abs(y) + 1e-4
    expect(!any(off), sprintf("%s: printed %s where README.md shows %s", info,
                              paste(x[off], collapse = ", "), paste(y[off], collapse = ", ")))
  }
}

readme_path <- function() {
  path <- testthat::test_path("..", "..", "README.md")
  skip_if_not(file.exists(path) && file.exists(sub("md$", "Rmd", path)),
              "README.md and README.Rmd are not beside the tests")
  path
}

test_that("every output block of README.md is what its code prints now", {
  # compare()'s optim() run is sensitive to the last bits of its start, which
  # valgrind's arithmetic and the sanitizers' build change: its notes then
  # read differently, though neither is what users run.
  skip_if(nzchar(Sys.getenv("MLEGLM_VALGRIND")) || grepl("asan", Sys.getenv("LD_PRELOAD")),
          "README.md's outputs are checked on an ordinary build, not under valgrind or the sanitizers")
  lines <- readLines(readme_path(), encoding = "UTF-8", warn = FALSE)
  blocks <- fenced_blocks(lines)
  is_code <- vapply(blocks, function(b) b$lang == "r", TRUE)
  expect_gt(sum(is_code), 2L)
  # testthat runs each test with these; README.Rmd renders with them too.
  expect_false(isTRUE(getOption("useFancyQuotes")))
  expect_identical(getOption("width"), 80L)
  env <- new.env(parent = globalenv())
  checked <- 0L
  for (k in which(is_code)) {
    now <- printed_by(blocks[[k]]$body, env)
    nxt <- if (k < length(blocks)) blocks[[k + 1L]]
    follows <- !is.null(nxt) && nxt$lang == "text" &&
      all(!nzchar(trimws(lines[seq_len(nxt$start - blocks[[k]]$end - 1L) + blocks[[k]]$end])))
    shown <- if (follows) nxt$body else character(0)
    expect_same_output(now, shown, info = paste("README.md block at line", blocks[[k]]$start))
    checked <- checked + follows
  }
  expect_gte(checked, 3L)
})

test_that("README.md quotes glm()'s standard errors of the heart model", {
  text <- paste(readLines(readme_path(), encoding = "UTF-8", warn = FALSE), collapse = " ")
  g <- glm(thalach ~ age + exang + oldpeak, data = heart)
  se <- paste(formatC(sqrt(diag(vcov(g))), format = "f", digits = 4), collapse = ", ")
  expect_true(grepl(se, text, fixed = TRUE))
})

test_that("the README check sees a changed output block", {
  lines <- c("``` r", "1 + 1", "```", "", "``` text", "[1] 3", "```")
  blocks <- fenced_blocks(lines)
  expect_false(identical(normalise(printed_by(blocks[[1]]$body, new.env())),
                         normalise(blocks[[2]]$body)))
  expect_identical(normalise(printed_by("c(a = 1e-14)", new.env())),
                   normalise(c("    a ", "3e-15 ")))
})
