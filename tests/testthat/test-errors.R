# Every user-facing failure is a classed condition (mleglm_error plus
# mleglm_error_<kind>; mleglm_warning plus mleglm_warning_<kind>) whose
# message names the argument or column at fault, and no R-internal message
# ("Error in model.frame.default(...)", "object 'fit' not found") leaks out.
# The checks of one R file are tested in its own file: `family` in
# test-family.R, `control` in test-control.R, the response in
# test-response.R, fit()'s model frame (formula, data, and the weights and
# offsets given to fit()) in test-fit.R.

# expect_mleglm_error() and collect_conditions() are in helper-conditions.R.

X <- cbind("(Intercept)" = 1, age = heart$age)
y <- heart$thalach
n <- nrow(X)
alternate <- function(a, b) rep(c(a, b), length.out = n)

# ---- weights, offset, start ----------------------------------------------------------

test_that("bad weights in fit_matrix() are input errors naming `weights`", {
  expect_mleglm_error(fit_matrix(X, y, weights = alternate(1, -1)), "mleglm_error_input",
                      c("`weights`", "non-negative", "rows 2, 4"))
  expect_mleglm_error(fit_matrix(X, y, weights = alternate(1, Inf)), "mleglm_error_input",
                      c("`weights`", "finite"))
  expect_mleglm_error(fit_matrix(X, y, weights = alternate(1, NA)), "mleglm_error_input",
                      c("`weights`", "finite"))
  expect_mleglm_error(fit_matrix(X, y, weights = 1:3), "mleglm_error_input",
                      c("`weights`", "303", "length 3"))
  expect_mleglm_error(fit_matrix(X, y, weights = rep("1", n)), "mleglm_error_input",
                      c("`weights`", "numeric"))
})

test_that("a non-finite offset in fit_matrix() is an input error naming `offset`", {
  expect_mleglm_error(fit_matrix(X, y, offset = alternate(1, NA)), "mleglm_error_input",
                      c("`offset`", "finite"))
  expect_mleglm_error(fit_matrix(X, y, offset = alternate(1, -Inf)), "mleglm_error_input",
                      c("`offset`", "finite"))
})

test_that("a wrong-length or non-numeric offset in fit_matrix() is an input error", {
  expect_mleglm_error(fit_matrix(X, y, offset = 1:3), "mleglm_error_input",
                      c("`offset`", "303", "length 3"))
  expect_mleglm_error(fit_matrix(X, y, offset = "a"), "mleglm_error_input",
                      c("`offset`", "numeric"))
})

test_that("a wrong-length or non-finite start is a start error naming the coefficients", {
  expect_mleglm_error(fit_matrix(X, y, start = 1), "mleglm_error_start",
                      c("`start`", "(Intercept), age", "length 1"))
  expect_mleglm_error(fit_matrix(X, y, start = c(1, NA)), "mleglm_error_start",
                      c("`start`", "finite", "age"))
  expect_mleglm_error(fit(thalach ~ age, heart, start = c(1, 2, 3)), "mleglm_error_start",
                      c("`start`", "2", "length 3"))
  expect_mleglm_error(fit(thalach ~ age, heart, start = c(Inf, 0)), "mleglm_error_start",
                      c("`start`", "(Intercept)"))
})

# ---- the design and the rows ---------------------------------------------------------

test_that("an infinite predictor is an input error naming its column", {
  d <- heart
  d$age2 <- d$age
  d$age2[5] <- Inf
  expect_mleglm_error(fit(thalach ~ age2, d), "mleglm_error_input", c("'age2'", "finite"))
  X2 <- X
  X2[3, "age"] <- -Inf
  expect_mleglm_error(fit_matrix(X2, y), "mleglm_error_input", c("'age'", "finite"))
  X3 <- X
  X3[3, "age"] <- NA
  expect_mleglm_error(fit_matrix(X3, y), "mleglm_error_input", "'age'")
})

test_that("no rows to fit is an input error, not 'object not found'", {
  expect_mleglm_error(fit(thalach ~ age, heart, subset = age > 1000), "mleglm_error_input",
                      c("no rows", "`subset`"))
  expect_mleglm_error(fit(thalach ~ age, heart, weights = rep(0, n)), "mleglm_error_input",
                      "positive weight")
  expect_mleglm_error(fit_matrix(X, y, weights = rep(0, n)), "mleglm_error_input",
                      "positive weight")
  expect_mleglm_error(fit_matrix(X[0, , drop = FALSE], y[0]), "mleglm_error_input",
                      c("`x`", "no rows"))
})

# ---- method -------------------------------------------------------------------------------

test_that("a bad method is an input error naming `method`", {
  expect_mleglm_error(fit(thalach ~ age, heart, method = "nelder"), "mleglm_error_input",
                      c("`method`", "\"nelder\""))
  expect_mleglm_error(fit(thalach ~ age, heart, method = c("newton", "bfgs")),
                      "mleglm_error_input", "`method`")
  expect_mleglm_error(fit_matrix(X, y, method = 1), "mleglm_error_input", "`method`")
  expect_mleglm_error(fit_matrix(X, y, method = NA_character_), "mleglm_error_input", "`method`")
})

# ---- warnings -----------------------------------------------------------------------

test_that("a rank-deficient design warns, names the column and gives NA like glm", {
  d <- heart
  d$age_dup <- d$age
  expect_warning(f <- fit(thalach ~ age + age_dup + sex, d),
                 class = "mleglm_warning_rank_deficient")
  res <- collect_conditions(fit(thalach ~ age + age_dup + sex, d))
  expect_length(res$warnings, 1L)
  w <- res$warnings[[1]]
  expect_s3_class(w, "mleglm_warning")
  expect_null(conditionCall(w))
  expect_match(conditionMessage(w), "'age_dup'", fixed = TRUE)
  g <- glm(thalach ~ age + age_dup + sex, data = d)
  expect_identical(is.na(coef(f)), is.na(coef(g)))
  expect_true(is.na(coef(f)[["age_dup"]]))
  expect_lt(max_rel_diff(coef(f, complete = FALSE), coef(g, complete = FALSE)), 1e-10)
  expect_identical(f$rank, 3L)
  expect_equal(df.residual(f), df.residual(g))
  expect_equal(as.numeric(logLik(f)), as.numeric(logLik(g)), tolerance = 1e-10)
  expect_equal(attr(logLik(f), "df"), attr(logLik(g), "df"))
  # Stored in the fit and shown by print() and summary(), even when muffled.
  expect_identical(vapply(f$warnings, `[[`, "", "kind"), "rank_deficient")
  f2 <- suppressWarnings(fit(thalach ~ age + age_dup + sex, d))
  expect_identical(f2$warnings, f$warnings)
  expect_output(print(f2), "[rank_deficient]", fixed = TRUE)
  expect_output(print(f2), "'age_dup'", fixed = TRUE)
  expect_output(print(summary(f2)), "not defined because of singularities: age_dup", fixed = TRUE)
  expect_output(print(summary(f2)), "[rank_deficient]", fixed = TRUE)
})

test_that("reaching maxit is a convergence warning and converged is FALSE", {
  expect_warning(
    f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial,
             control = mleglm_control(maxit = 1)),
    class = "mleglm_warning_convergence")
  expect_false(f$converged)
  expect_identical(f$iterations, 1L)
  expect_identical(vapply(f$warnings, `[[`, "", "kind"), "convergence")
  expect_match(f$warnings[[1]]$message, "did not converge", fixed = TRUE)
  res <- collect_conditions(fit(num > 0 ~ age + sex + thalach, heart, family = binomial,
                                control = mleglm_control(maxit = 1)))
  expect_length(res$warnings, 1L)
  expect_s3_class(res$warnings[[1]], "mleglm_warning")
  expect_match(conditionMessage(res$warnings[[1]]), "newton", fixed = TRUE)
  expect_output(print(f), "Did NOT converge", fixed = TRUE)
  expect_output(print(f), "[convergence]", fixed = TRUE)
  expect_output(print(summary(f)), "NOT converged", fixed = TRUE)
  # Every solver says so.
  for (m in c("fisher", "bfgs")) {
    expect_warning(g <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial,
                            method = m, control = mleglm_control(maxit = 1)),
                   class = "mleglm_warning_convergence")
    expect_false(g$converged)
  }
})

test_that("a clean fit has no warnings", {
  res <- collect_conditions(fit(thalach ~ age + exang + oldpeak, heart))
  expect_length(res$warnings, 0L)
  expect_length(res$value$warnings, 0L)
})
