# format() and print() of "mleglm" fits (R/print.R): format() gives the
# lines, print() writes them; digits honoured; infinite estimates and the
# warnings raised while fitting among the lines.

f_heart <- fit(thalach ~ age + exang + oldpeak, heart)

test_that("format() of the tutorial fit is the lines print() writes, digits honoured", {
  lines <- expect_format_is_print(f_heart)
  expect_identical(lines, c(
    "",
    "Maximum-likelihood GLM: gaussian family, identity link",
    "",
    "Call:  fit(formula = thalach ~ age + exang + oldpeak, data = heart)",
    "",
    "Coefficients:",
    "(Intercept)          age        exang      oldpeak  ",
    "   203.3660      -0.8298     -14.2542      -3.7805  ",
    "",
    "sigma^2 (ML, RSS / n): 362.1373",
    "Log-likelihood: -1322.58 (df = 5)",
    "Converged at the starting values: for the Gaussian with identity link the",
    "starting step, one weighted least-squares fit, solves the score equations."))
  three <- expect_format_is_print(f_heart, digits = 3)
  expect_identical(three[8:11], c(
    "     203.37        -0.83       -14.25        -3.78  ",
    "",
    "sigma^2 (ML, RSS / n): 362.137",
    "Log-likelihood: -1322.58 (df = 5)"))
  six <- expect_format_is_print(f_heart, digits = 6)
  expect_identical(six[c(8, 10, 11)], c(
    " 203.365956    -0.829758   -14.254161    -3.780519  ",
    "sigma^2 (ML, RSS / n): 362.137282",
    "Log-likelihood: -1322.57992 (df = 5)"))
  # The default follows getOption("digits"), as print()'s does.
  old <- options(digits = 9)
  default_lines <- format(f_heart)
  default_printed <- utils::capture.output(print(f_heart))
  options(old)
  expect_identical(default_lines, six)
  expect_identical(default_printed, six)
})

test_that("a fit without a dispersion, a call over two lines, a chunked fit", {
  f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial(link = "probit"), method = "bfgs")
  lines <- expect_format_is_print(f)
  expect_identical(lines[4:5], c(
    "Call:  fit(formula = num > 0 ~ age + sex + thalach, data = heart, family = binomial(link = \"probit\"), ",
    "    method = \"bfgs\")"))
  expect_identical(lines[10:12], c("", "Log-likelihood: -166.1532 (df = 4)", "Converged after 8 bfgs iterations."))
  expect_format_is_print(f, digits = 2)
  expect_format_is_print(fit(chol ~ age + sex, heart, family = Gamma(link = "log")))
  rows <- split(heart, rep(1:3, length.out = nrow(heart)))
  i <- 0
  chunks <- function(reset = FALSE) {
    if (reset) {
      i <<- 0
      return(invisible(NULL))
    }
    i <<- i + 1
    if (i > length(rows)) NULL else rows[[i]]
  }
  expect_format_is_print(fit_chunked(thalach ~ age + exang, chunks, progress = FALSE))
})

test_that("infinite estimates and warnings are lines of format()", {
  sep <- suppressWarnings(fit(y ~ x, data.frame(x = 1:6, y = c(0, 0, 0, 1, 1, 1)), family = binomial))
  lines <- expect_format_is_print(sep)
  at <- grep("^Infinite estimates", lines)
  expect_length(at, 1L)
  expect_identical(lines[at - 1L], "")
  expect_identical(lines[at + 1L], "  the values above are where the solver stopped.")
  expect_true(any(grepl("^Did NOT converge after [0-9]+ newton iterations\\.$", lines)))
  expect_identical(lines[length(lines) - 1L], "Warnings raised while fitting:")
  expect_match(lines[length(lines)], "^\\* \\[separation\\] ")
  d <- heart
  d$age_dup <- d$age
  rank_def <- suppressWarnings(fit(thalach ~ age + age_dup + sex, d))
  lines <- expect_format_is_print(rank_def, digits = 4)
  expect_match(lines[length(lines)], "^\\* \\[rank_deficient\\] .*'age_dup'")
})

test_that("a warning message over several lines gives one element a line", {
  f <- f_heart
  f$warnings <- list(list(kind = "a", message = "first\nsecond"),
                     list(kind = "b", message = "ends in a newline\n"))
  lines <- expect_format_is_print(f)
  expect_identical(tail(lines, 6L), c("", "Warnings raised while fitting:", "* [a] first", "second",
                                      "* [b] ends in a newline", ""))
})

test_that("split_lines() splits where cat() would break the line", {
  expect_identical(split_lines(character(0)), character(0))
  expect_identical(split_lines(c("", "a", "b\nc", "d\n", "\n", "\n\ne")),
                   c("", "a", "b", "c", "d", "", "", "", "", "", "e"))
  expect_identical(split_lines(c(x = "a")), "a")
})

test_that("a fit that takes no step says why, from the fit", {
  # Converged at a supplied start: the decrement there is given.
  f <- fit(num ~ age + sex, heart, family = poisson())
  again <- fit(num ~ age + sex, heart, family = poisson(), start = coef(f))
  lines <- expect_format_is_print(again)
  if (again$iterations == 0L) {
    expect_true(any(grepl("^Converged at the starting values: the supplied start", lines)))
  } else {
    expect_true(any(grepl(sprintf("^Converged after %d newton iteration", again$iterations), lines)))
  }
  # A Poisson fit steps and says how often; one step is one iteration.
  expect_true(sprintf("Converged after %d newton iterations.", f$iterations) %in% format(f))
  g <- fit(thalach ~ age, heart, start = c(203.8634, -0.9966))
  expect_identical(g$iterations, 1L)
  expect_true("Converged after 1 newton iteration." %in% format(g))
  expect_false(any(grepl("starting values", format(g))))
})

test_that("the trace prints a legend, one line per column, above its table", {
  f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial(), method = "bfgs")
  tr <- fit_trace(f)
  lines <- expect_format_is_print(tr)
  expect_identical(lines[1L], "Iterations of the bfgs solver, one row each:")
  table_start <- match("", lines) + 1L
  legend <- lines[2:(table_start - 2L)]
  for (column in names(tr)) {
    expect_length(grep(sprintf("^  %s +[a-z]", column), legend), 1L)
  }
  expect_identical(sum(grepl("^  [a-z_]+ +[a-z]", legend)), ncol(tr))
  legend_text <- paste(trimws(legend), collapse = " ")
  expect_match(legend_text, "tol = 1e-10", fixed = TRUE)
  expect_match(legend_text, "BFGS approximation", fixed = TRUE)
  expect_identical(lines[table_start:length(lines)],
                   utils::capture.output(print(as.data.frame(unclass(tr))[names(tr)], digits = 7L)))
  expect_true(all(nchar(lines) <= getOption("width")))
  expect_identical(attr(tr, "tol"), f$control$tol)
})

test_that("p-values in sentences read as printCoefmat's: p < 2.2e-16 or p = value", {
  expect_identical(mleglm:::format_p_value(1e-300, 4L), "p < 2.2e-16")
  expect_identical(mleglm:::format_p_value(0, 4L), "p < 2.2e-16")
  expect_identical(mleglm:::format_p_value(0.012345, 3L), "p = 0.0123")
  skip_if_not_installed("MASS")
  nb <- fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin())
  lines <- format(summary(nb))
  against <- grep("^Against the Poisson model", lines, value = TRUE)
  expect_match(against, ", p < 2.2e-16 (", fixed = TRUE)
  expect_false(grepl("p = <", against, fixed = TRUE))
  expect_lt(lr_test_poisson(nb)$p.value, .Machine$double.eps)
})
