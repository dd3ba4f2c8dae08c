# mleglm_control() and the `control` argument (R/control.R): every setting
# is checked where it is given, a list is checked like the function's
# arguments, and each failure is an mleglm_error_control naming the setting.
# The error expectations are those of helper-conditions.R.

# The 40 simulated rows of test-bad-inputs.R (helper-inputs.R).
d <- bad_input_data()

# ---- mleglm_control() ----------------------------------------------------------------

test_that("bad mleglm_control() settings are control errors naming the setting", {
  expect_mleglm_error(mleglm_control(tol = NA), "mleglm_error_control", "`tol`")
  expect_mleglm_error(mleglm_control(tol = -1), "mleglm_error_control", "`tol`")
  expect_mleglm_error(mleglm_control(tol = 0), "mleglm_error_control", "`tol`")
  expect_mleglm_error(mleglm_control(tol = c(1e-8, 1e-9)), "mleglm_error_control", "`tol`")
  expect_mleglm_error(mleglm_control(tol = 5), "mleglm_error_control", "`tol`")
  expect_mleglm_error(mleglm_control(tol = "1e-8"), "mleglm_error_control", "`tol`")
  expect_mleglm_error(mleglm_control(maxit = NA), "mleglm_error_control", "`maxit`")
  expect_mleglm_error(mleglm_control(maxit = -1), "mleglm_error_control", "`maxit`")
  expect_mleglm_error(mleglm_control(maxit = 2.5), "mleglm_error_control", "`maxit`")
  expect_mleglm_error(mleglm_control(maxit = 1e9), "mleglm_error_control", "`maxit`")
  expect_mleglm_error(mleglm_control(maxit = Inf), "mleglm_error_control", "`maxit`")
  expect_mleglm_error(mleglm_control(maxit = 1:2), "mleglm_error_control", "`maxit`")
  expect_mleglm_error(mleglm_control(max_halvings = 1e5), "mleglm_error_control",
                      "`max_halvings`")
  expect_mleglm_error(mleglm_control(rank_tol = 2), "mleglm_error_control", "`rank_tol`")
  expect_mleglm_error(mleglm_control(trace = NA), "mleglm_error_control", "`trace`")
  expect_mleglm_error(mleglm_control(trace = "yes"), "mleglm_error_control", "`trace`")
})

test_that("more bad settings, of mleglm_control() and of a control list, are control errors", {
  expect_classed(mleglm_control(max_halvings = NA), "mleglm_error_control", "`max_halvings`")
  expect_classed(mleglm_control(max_halvings = -1), "mleglm_error_control", "`max_halvings`")
  expect_classed(mleglm_control(rank_tol = -1e-7), "mleglm_error_control", "`rank_tol`")
  expect_classed(mleglm_control(rank_tol = c(1e-7, 1e-8)), "mleglm_error_control", "`rank_tol`")
  expect_classed(mleglm_control(rank_tol = NA_real_), "mleglm_error_control", "`rank_tol`")
  expect_classed(mleglm_control(tol = 1e300), "mleglm_error_control", "`tol`")
  expect_classed(mleglm_control(trace = c(TRUE, FALSE)), "mleglm_error_control", "`trace`")
  expect_classed(fit(y ~ x, d, control = list(maxit = 1e10)), "mleglm_error_control", "`maxit`")
  expect_classed(fit(y ~ x, d, control = NULL), "mleglm_error_control", "`control`")
})

# ---- `control` as a list --------------------------------------------------------------

test_that("control as a list is checked: unknown names and bad values", {
  expect_mleglm_error(fit(thalach ~ age, heart, control = list(tol = 1e-8, foo = 1)),
                      "mleglm_error_control", c("`control`", "foo"))
  expect_mleglm_error(fit(thalach ~ age, heart, control = list(maxit = -3)),
                      "mleglm_error_control", "`maxit`")
  expect_mleglm_error(fit(thalach ~ age, heart, control = "fast"),
                      "mleglm_error_control", "`control`")
  # A list works like the function.
  f <- fit(thalach ~ age, heart, control = list(tol = 1e-9, maxit = 50))
  expect_identical(f$control$maxit, 50L)
  expect_identical(f$control$tol, 1e-9)
})

test_that("an unnamed control setting gets a message that says what is wrong", {
  cnd <- expect_mleglm_error(fit(thalach ~ age, heart, control = list(1e-8)),
                             "mleglm_error_control", "`control`")
  # It must not list an empty name ("unknown settings: .").
  expect_false(grepl("settings: .", conditionMessage(cnd), fixed = TRUE))
})
