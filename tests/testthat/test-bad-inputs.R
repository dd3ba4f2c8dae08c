# The battery of bad inputs, one expectation per case: each gives
# the documented condition class, a message naming the argument or column,
# no call ("Error in ...") and no R-internal condition on the way; or, where
# the input is valid but extreme, a correct fit. Cases already in
# test-errors.R are not repeated here (there: negative, NA, Inf,
# wrong-length and character weights, NA and -Inf offsets, wrong-length and
# character offsets, wrong-length and NA or Inf starts, Inf, -Inf and NA
# predictors, zero rows by subset or weights and bad methods). The cases of
# this battery that test the checks of one R file live in that file's tests,
# beside the other cases for the same checks: `family` in test-family.R
# (with unknown family names and objects, unsupported links, quasi
# families), `control` in test-control.R (with most mleglm_control()
# values), the response in test-response.R (with responses outside the
# support, non-integer poisson counts, character, complex and factor
# responses, an NA response and a wrong-length response in fit_matrix(),
# negative and non-integer cbind() counts) and fit()'s model frame in
# test-fit.R (missing values refused by na.fail, factors with one level or
# empty levels, contrasts, no coefficient at all).

# expect_classed() is in helper-conditions.R.

d <- bad_input_data()  # helper-inputs.R, as put()
n <- nrow(d)
X <- cbind("(Intercept)" = 1, x = d$x)
ones <- rep(1, n)

# ---- NA, NaN, Inf and -Inf in a predictor, weights, offset, start --------------

test_that("non-finite predictors are input errors naming the column", {
  X2 <- X
  X2[3, "x"] <- NaN
  expect_classed(fit_matrix(X2, d$y), "mleglm_error_input", "'x'")
  X2[3, "x"] <- Inf
  expect_classed(fit_matrix(X2, d$y), "mleglm_error_input", "'x'")
  expect_classed(fit(y ~ x + z, transform(d, z = put(z, -Inf))), "mleglm_error_input", "'z'")
})

test_that("non-finite weights are input errors naming `weights`", {
  expect_classed(fit_matrix(X, d$y, weights = put(ones, NaN)), "mleglm_error_input",
                 c("`weights`", "row 3"))
  expect_classed(fit_matrix(X, d$y, weights = put(ones, -Inf)), "mleglm_error_input",
                 "`weights`")
  expect_classed(fit(y ~ x, d, weights = put(ones, Inf)), "mleglm_error_input",
                 c("`weights`", "row 3"))
  expect_classed(fit(y ~ x, d, weights = put(ones, -Inf)), "mleglm_error_input", "`weights`")
})

test_that("non-finite offsets are input errors naming `offset`", {
  expect_classed(fit_matrix(X, d$y, offset = put(ones, NaN)), "mleglm_error_input",
                 c("`offset`", "row 3"))
  expect_classed(fit_matrix(X, d$y, offset = put(ones, Inf)), "mleglm_error_input",
                 "`offset`")
  expect_classed(fit(y ~ x, d, offset = put(ones, -Inf)), "mleglm_error_input",
                 c("`offset`", "row 3"))
  # glm() reports a -Inf offset as "NA/NaN/Inf in 'y'".
  expect_classed(fit(k ~ x + offset(log(z * 0)), d, family = poisson), "mleglm_error_input",
                 "`offset`")
})

test_that("non-finite starts are start errors naming the coefficient", {
  expect_classed(fit_matrix(X, d$y, start = c(1, NaN)), "mleglm_error_start", c("`start`", "x"))
  expect_classed(fit_matrix(X, d$y, start = c(-Inf, 0)), "mleglm_error_start",
                 c("`start`", "(Intercept)"))
  expect_classed(fit(k ~ x, d, family = poisson, start = c(NA, 0)), "mleglm_error_start",
                 c("`start`", "(Intercept)"))
  expect_classed(fit(k ~ x, d, family = poisson, start = c("1", "0")), "mleglm_error_start",
                 c("`start`", "character"))
  expect_classed(fit(k ~ x, d, family = poisson, start = list(1, 0)), "mleglm_error_start",
                 c("`start`", "list"))
  # A finite start with no finite log-likelihood: Gamma means must be positive.
  expect_classed(fit(g ~ x, d, family = Gamma, start = c(-1, 0)), "mleglm_error_start",
                 "`start`")
})

# ---- rows and coefficients ------------------------------------------------------

test_that("zero rows, one row and more coefficients than rows", {
  expect_classed(fit(y ~ x, d[0, ]), "mleglm_error_input", "no rows")
  # One row, two coefficients: the slope is aliased; a Gaussian also has no
  # residual to estimate its dispersion from.
  expect_classed(fit(y ~ x, d[1, ]), "mleglm_error_input",
                 c("gaussian", "dispersion", "(Intercept)"))
  expect_classed(fit(k ~ x, d[1, ], family = poisson), "mleglm_warning_rank_deficient", "'x'")
  # More coefficients than rows.
  expect_classed(fit(y ~ x + z + k + g, d[1:3, ]), "mleglm_error_input",
                 c("dispersion", "(3)"))
  expect_classed(fit(k ~ x + z + y + g, d[1:3, ], family = poisson),
                 "mleglm_warning_rank_deficient", c("'y'", "'g'"))
  expect_classed(fit(g ~ x, d[1:2, ], family = Gamma), "mleglm_error_input",
                 c("Gamma", "dispersion"))
})

test_that("constant and linearly dependent columns are named as aliased", {
  expect_classed(fit(y ~ x + c, transform(d, c = 5)), "mleglm_warning_rank_deficient", "'c'")
  expect_classed(fit_matrix(cbind(X, twice = 2 * d$x), d$y), "mleglm_warning_rank_deficient",
                 "'twice'")
  expect_classed(fit_matrix(cbind(X, zero = 0), d$k, family = poisson),
                 "mleglm_warning_rank_deficient", "'zero'")
})

# ---- extreme column scales ----------------------------------------------------------------

test_that("one pass over the columns counts their non-finite entries and finds their largest values", {
  set.seed(5)
  x <- matrix(stats::rnorm(4e5), 1e5, 4)
  x[, 1] <- x[, 1] * 1e200
  x[c(7, 9, 99999), 2] <- c(NA, Inf, -Inf)
  x[11, 3] <- NaN
  for (threads in 1:2) {
    got <- mleglm:::cpp_column_check(x, threads)
    expect_identical(got$nonfinite, c(0L, 3L, 1L, 0L))
    # The largest values of the finite columns, exactly.
    expect_identical(got$largest[c(1, 4)], apply(abs(x[, c(1, 4)]), 2, max))
  }
})

# A column multiplied by s must give its coefficient divided by s and leave
# everything else as it was (the solver divides columns by exact powers of
# two, so this holds to rounding even at 1e150 and 1e-150).
scaled_cases <- list(gaussian = "y", poisson = "k", binomial = "b", Gamma = "g")

for (s in c(1e150, 1e-150)) {
  for (fam in names(scaled_cases)) {
    test_that(sprintf("a column scaled by %g is fitted correctly (%s)", s, fam), {
      form <- stats::reformulate(c("x", "z"), scaled_cases[[fam]])
      reference <- fit(form, d, family = fam)
      scaled <- fit(form, transform(d, x = x * s), family = fam)
      expect_true(scaled$converged && reference$converged &&
                    max_rel_diff(coef(scaled) * c(1, s, 1), coef(reference)) < 1e-10 &&
                    max_rel_diff(logLik(scaled), logLik(reference)) < 1e-12)
    })
  }
}
