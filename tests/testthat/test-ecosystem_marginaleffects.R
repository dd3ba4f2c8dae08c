# marginaleffects on mleglm fits against the same calls on the equivalent
# glm() (or MASS::glm.nb()) fits, and against predict() and the coefficients
# where glm() has no equivalent.

skip_without_marginaleffects <- function() {
  skip_if_not_installed("marginaleffects", "1.0.0")
  # On R < 4.4 marginaleffects takes `%||%` from backports, which has it from 1.5.0.
  if (getRversion() < "4.4.0") skip_if_not_installed("backports", "1.5.0")
}

marginal_data <- function() {
  transform(heart, sick = num > 0, cp = factor(cp))
}

# glm() converged further than its default, so that its covariance agrees
# with mleglm's to about 1e-10 rather than 1e-7.
tight <- glm.control(epsilon = 1e-14, maxit = 100)

# The columns in which the two fits' results are compared (the p-values
# follow from the statistics, and magnify their differences in the tail).
marginal_columns <- c("term", "contrast", "estimate", "std.error", "statistic", "conf.low", "conf.high")
as_compared <- function(x) {
  x <- as.data.frame(x)
  x[intersect(marginal_columns, names(x))]
}

test_that("predictions(), avg_slopes() and comparisons() of binomial and Poisson fits equal glm's", {
  skip_without_marginaleffects()
  h <- marginal_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- glm(sick ~ age + sex + cp + thalach, family = binomial(), data = h, control = tight)
  # The estimates are glm's; the standard errors through a Jacobian by
  # Richardson extrapolation agree to 1e-5 (glm's analytic one is exact;
  # on the link scale they differ by 6e-6).
  rich <- list(numderiv = "richardson")
  calls <- list(
    list(marginaleffects::avg_slopes),
    list(marginaleffects::avg_slopes, type = "link"),
    list(marginaleffects::avg_comparisons, variables = "cp"),
    list(marginaleffects::avg_comparisons, variables = "sex", comparison = "ratio"),
    list(marginaleffects::avg_predictions, by = "cp"),
    list(marginaleffects::predictions, type = "response"),
    list(marginaleffects::comparisons, variables = "age"),
    list(marginaleffects::slopes, variables = "thalach", newdata = "mean")
  )
  for (call in calls) {
    fun <- call[[1L]]
    args <- c(call[-1L], rich)
    expect_equal(as_compared(do.call(fun, c(list(f), args))), as_compared(do.call(fun, c(list(g), args))),
                 tolerance = 1e-5)
  }
  # By default, finite differences against glm's analytic Jacobian: 1e-3.
  mine <- as_compared(marginaleffects::avg_slopes(f))
  glms <- as_compared(marginaleffects::avg_slopes(g))
  expect_equal(mine$estimate, glms$estimate, tolerance = 1e-8)
  expect_equal(mine$std.error, glms$std.error, tolerance = 1e-3)
  # glm's default predictions: intervals on the link scale, transformed.
  expect_equal(as_compared(marginaleffects::predictions(f, type = "invlink(link)")),
               as_compared(marginaleffects::predictions(g)), tolerance = 1e-6)
  expect_equal(as_compared(marginaleffects::plot_predictions(f, condition = "age", type = "invlink(link)", draw = FALSE)),
               as_compared(marginaleffects::plot_predictions(g, condition = "age", draw = FALSE)), tolerance = 1e-6)
  p <- fit(num ~ age + sex + cp, h, family = poisson())
  q <- glm(num ~ age + sex + cp, family = poisson(), data = h, control = tight)
  expect_equal(as_compared(marginaleffects::avg_slopes(p, numderiv = "richardson")),
               as_compared(marginaleffects::avg_slopes(q, numderiv = "richardson")), tolerance = 1e-6)
  expect_equal(as_compared(marginaleffects::hypotheses(f, "age = thalach")),
               as_compared(marginaleffects::hypotheses(g, "age = thalach")), tolerance = 1e-6)
})

test_that("a covariance named in `vcov` is used, as for glm() fits", {
  skip_without_marginaleffects()
  skip_if_not_installed("sandwich")
  h <- marginal_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- glm(sick ~ age + sex + cp + thalach, family = binomial(), data = h, control = tight)
  for (type in c("HC0", "HC3", "stata")) {
    expect_equal(as_compared(marginaleffects::avg_slopes(f, vcov = type, numderiv = "richardson")),
                 as_compared(marginaleffects::avg_slopes(g, vcov = type, numderiv = "richardson")),
                 tolerance = 1e-6)
  }
  robust <- marginaleffects::avg_slopes(f, vcov = "HC3")
  expect_false(isTRUE(all.equal(robust$std.error, marginaleffects::avg_slopes(f)$std.error, tolerance = 1e-4)))
  expect_equal(marginaleffects::avg_slopes(f, vcov = sandwich::vcovHC(f, type = "HC3"))$std.error,
               robust$std.error, tolerance = 1e-10)
  expect_null(marginaleffects::avg_slopes(f, vcov = FALSE)$std.error)
  expect_error(marginaleffects::avg_slopes(f, vcov = "robustest"))
})

test_that("a Gaussian fit's standard errors differ from glm's by the dispersion only", {
  skip_without_marginaleffects()
  h <- marginal_data()
  f <- fit(thalach ~ age + sex + cp, h)
  g <- glm(thalach ~ age + sex + cp, data = h, control = tight)
  mine <- as_compared(marginaleffects::avg_slopes(f, numderiv = "richardson"))
  glms <- as_compared(marginaleffects::avg_slopes(g, numderiv = "richardson"))
  expect_equal(mine$estimate, glms$estimate, tolerance = 1e-8)
  expect_equal(mine$std.error, glms$std.error * sqrt(f$dispersion / f$dispersion_pearson), tolerance = 1e-6)
  # glm's numbers: its covariance.
  expect_equal(as_compared(marginaleffects::avg_slopes(f, vcov = "glm", numderiv = "richardson")), glms,
               tolerance = 1e-6)
  expect_equal(as_compared(marginaleffects::avg_predictions(f, by = "cp", vcov = vcov(f, type = "glm"))),
               as_compared(marginaleffects::avg_predictions(g, by = "cp")), tolerance = 1e-6)
})

test_that("negbin() and custom-family fits: the regression coefficients and their covariance block", {
  skip_without_marginaleffects()
  h <- marginal_data()
  nb <- fit(num ~ age + cp, h, family = negbin())
  # Given as vcov(nb), the covariance's extra row and column are left out.
  expect_equal(as_compared(marginaleffects::avg_slopes(nb, vcov = vcov(nb))),
               as_compared(marginaleffects::avg_slopes(nb)), tolerance = 1e-10)
  skip_if_not_installed("MASS")
  mass <- MASS::glm.nb(num ~ age + cp, data = h, control = tight)
  # glm.nb's covariance is the expected information's coefficient block.
  expect_equal(as_compared(marginaleffects::avg_slopes(nb, vcov = "expected", numderiv = "richardson")),
               as_compared(marginaleffects::avg_slopes(mass, numderiv = "richardson")), tolerance = 1e-5)
  # A Student-t regression (identity link): the average prediction is the
  # prediction at the mean covariates, the slope is the coefficient.
  t4 <- fit(thalach ~ age + cp, h, family = t4_family())
  kept <- names(coef(t4))
  v <- vcov(t4)[kept, kept]
  xbar <- colMeans(model.matrix(t4))
  avg <- marginaleffects::avg_predictions(t4)
  expect_equal(avg$estimate, mean(predict(t4, h)), tolerance = 1e-10)
  expect_equal(avg$std.error, sqrt(drop(xbar %*% v %*% xbar)), tolerance = 1e-6)
  slope <- marginaleffects::avg_slopes(t4, variables = "age", numderiv = "richardson")
  expect_equal(slope$estimate, unname(coef(t4)["age"]), tolerance = 1e-6)
  expect_equal(slope$std.error, sqrt(v["age", "age"]), tolerance = 1e-6)
})

test_that("fits without rows or formula give classed errors", {
  skip_without_marginaleffects()
  h <- marginal_data()
  chunked <- fit_chunked(sick ~ age + sex, chunk_function(h, 100), binomial(), progress = FALSE)
  expect_error(marginaleffects::avg_slopes(chunked), class = "mleglm_error_rows_unavailable")
  expect_error(marginaleffects::predictions(chunked, newdata = h), class = "mleglm_error_rows_unavailable")
  fm <- fit_matrix(cbind(1, h$age), h$sick, family = binomial())
  expect_error(marginaleffects::avg_slopes(fm), class = "mleglm_error_input")
})
