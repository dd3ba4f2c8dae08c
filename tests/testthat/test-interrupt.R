# A long fit can be interrupted: the solvers call R's interrupt check once
# per iteration through a callback (src/boundary.h), so a user interrupt or a
# time limit set by setTimeLimit() ends the fit within an iteration, and
# the C++ objects are unwound by Rcpp's exception.

test_that("setTimeLimit() interrupts a long fit within 2 seconds", {
  skip_on_cran()
  skip_if(identical(Sys.getenv("MLEGLM_VALGRIND"), "true"), "timing under valgrind")
  set.seed(91)
  n <- 50000
  x <- cbind("(Intercept)" = 1, matrix(rnorm(n * 10), n, dimnames = list(NULL, paste0("x", 1:10))))
  # Complete separation: the solver never stops before maxit = 1e6
  # iterations, hours at tens of milliseconds each.
  y <- as.numeric(x[, 2] > 0)
  limit <- 1
  old <- options(show.error.messages = FALSE)  # R prints the time-limit error
  on.exit(options(old), add = TRUE)
  started <- proc.time()[["elapsed"]]
  outcome <- tryCatch({
    setTimeLimit(elapsed = limit, transient = TRUE)
    fit_matrix(x, y, family = binomial, control = mleglm_control(maxit = 1e6))
    "finished"
  },
  interrupt = function(cnd) "interrupted",
  error = function(e) if (grepl("time limit", conditionMessage(e))) "interrupted" else conditionMessage(e),
  finally = setTimeLimit())
  took <- proc.time()[["elapsed"]] - started
  expect_identical(outcome, "interrupted")
  expect_lt(took, limit + 2)
  # And the package still works afterwards.
  expect_true(fit(thalach ~ age, heart)$converged)
})
