# fit() works whichever of mleglm and generics (attached by broom and
# tidymodels) is attached first: each order in a fresh R process, with the
# test's library path, against lm() as the oracle (1e-8).

skip_if_not_installed("generics")

run_fresh <- function(code) {
  script <- tempfile(fileext = ".R")
  on.exit(unlink(script))
  writeLines(code, script)
  # The child sees the test's library path through R_LIBS, set here and
  # restored (system2()'s `env` is not available everywhere).
  old <- Sys.getenv("R_LIBS", unset = NA)
  on.exit(if (is.na(old)) Sys.unsetenv("R_LIBS") else Sys.setenv(R_LIBS = old), add = TRUE)
  Sys.setenv(R_LIBS = paste(.libPaths(), collapse = .Platform$path.sep))
  out <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"), c("--vanilla", shQuote(script)),
                                  stdout = TRUE, stderr = TRUE))
  status <- attr(out, "status")
  list(out = out, status = if (is.null(status)) 0L else status)
}

fit_lines <- c(
  "d <- heart",
  "d$w <- rep(1:2, length.out = nrow(d))",
  "local_fit <- function(dd) fit(thalach ~ age + sex, dd, weights = w)",
  "f <- fit(thalach ~ age, heart)",
  "g <- fit(formula = thalach ~ age, data = heart, family = gaussian())",
  "h <- local_fit(d)",
  "stopifnot(inherits(f, 'mleglm'), inherits(g, 'mleglm'), inherits(h, 'mleglm'))",
  "stopifnot(isTRUE(all.equal(coef(f), coef(lm(thalach ~ age, heart)), tolerance = 1e-8)))",
  "stopifnot(isTRUE(all.equal(coef(g), coef(f), tolerance = 1e-12)))",
  "stopifnot(isTRUE(all.equal(coef(h), coef(lm(thalach ~ age + sex, d, weights = w)), tolerance = 1e-8)))",
  "u <- update(f, . ~ . + sex)",
  "stopifnot(isTRUE(all.equal(coef(u), coef(lm(thalach ~ age + sex, heart)), tolerance = 1e-8)))",
  "cat('fits:', environmentName(environment(fit)), '\\n')")

test_that("fit() with generics attached after mleglm: the formula method", {
  res <- run_fresh(c("library(mleglm)", "suppressPackageStartupMessages(library(generics))", fit_lines))
  expect_identical(res$status, 0L, label = paste(res$out, collapse = "\n"))
  # generics' fit() masks mleglm's, and dispatches to the formula method.
  expect_true("fits: generics " %in% res$out)
})

test_that("fit() with generics attached before mleglm: mleglm's own", {
  res <- run_fresh(c("suppressPackageStartupMessages(library(generics))",
                     "suppressPackageStartupMessages(library(mleglm))", fit_lines))
  expect_identical(res$status, 0L, label = paste(res$out, collapse = "\n"))
  expect_true("fits: mleglm " %in% res$out)
})

test_that("the formula method forwards its arguments and refuses a formula given twice", {
  method <- utils::getS3method("fit", "formula", envir = asNamespace("generics"))
  f <- method(thalach ~ age, heart, family = gaussian())
  expect_equal(coef(f), coef(fit(thalach ~ age, heart)), tolerance = 1e-12)
  expect_identical(deparse(f$call), "mleglm::fit(formula = thalach ~ age, data = heart, family = gaussian())")
  expect_error(method(thalach ~ age, formula = thalach ~ sex, data = heart), class = "mleglm_error_input")
  # Arguments keep their classed errors.
  expect_error(method(thalach ~ age, heart, family = "quasi"), class = "mleglm_error_family")
})
