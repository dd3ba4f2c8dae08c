# modelsummary tables of mleglm fits against those of the equivalent glm()
# fits.

skip_without_modelsummary <- function() {
  skip_if_not_installed("modelsummary", "2.6.0")
}

summary_data <- function() {
  transform(heart, sick = num > 0, cp = factor(cp))
}

# glm() converged further than its default, so that its covariance agrees
# with mleglm's to about 1e-10 rather than 1e-7.
tight <- glm.control(epsilon = 1e-14, maxit = 100)

# The glm() fit with its data and family in its call: modelsummary's F row
# refits the intercept-only model by update(), which, inside a test, would
# not find the local data by name (and the row would be missing).
glm_oracle <- function(formula, family, data) {
  eval(bquote(glm(.(formula), family = .(family), data = .(data), control = .(tight))))
}

# A table's cells, the fits in columns.
table_of <- function(models, ...) {
  modelsummary::modelsummary(models, output = "data.frame", ...)
}

# The numeric statistics below the table, by name.
gof_of <- function(model, ...) {
  gof <- modelsummary::get_gof(model, ...)
  unlist(gof[vapply(gof, is.numeric, logical(1))])
}

test_that("the table of a binomial or Poisson fit is glm's", {
  skip_without_modelsummary()
  h <- summary_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- glm_oracle(sick ~ age + sex + cp + thalach, binomial(), h)
  # Printed to six decimals, every cell (estimates, standard errors, N, AIC,
  # BIC, log-likelihood, F, RMSE) is the same.
  side <- table_of(list(mleglm = f, glm = g), fmt = 6)
  expect_identical(side$mleglm, side$glm)
  expect_true(all(c("Log.Lik.", "F") %in% side$term))
  expect_equal(gof_of(f), gof_of(g), tolerance = 1e-8)
  est_f <- modelsummary::get_estimates(f)
  est_g <- modelsummary::get_estimates(g)
  columns <- c("estimate", "std.error", "statistic", "p.value")
  expect_equal(est_f[columns], est_g[columns], tolerance = 1e-8, ignore_attr = TRUE)
  # Profile intervals: glm's through MASS interpolate a spline through the
  # profile, which agrees to about 1e-4.
  expect_equal(est_f[c("conf.low", "conf.high")], est_g[c("conf.low", "conf.high")],
               tolerance = 1e-4, ignore_attr = TRUE)
  expect_equal(est_f$conf.low, unname(confint(f)[, 1L]), tolerance = 1e-10)
  p <- fit(num ~ age + sex + cp, h, family = poisson())
  q <- glm_oracle(num ~ age + sex + cp, poisson(), h)
  side <- table_of(list(mleglm = p, glm = q), fmt = 6, statistic = c("std.error", "p.value"))
  expect_identical(side$mleglm, side$glm)
})

test_that("a robust covariance gives glm's robust standard errors", {
  skip_without_modelsummary()
  skip_if_not_installed("sandwich")
  h <- summary_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- glm_oracle(sick ~ age + sex + cp + thalach, binomial(), h)
  robust_f <- modelsummary::get_estimates(f, vcov = "HC1")
  robust_g <- modelsummary::get_estimates(g, vcov = "HC1")
  expect_equal(robust_f$std.error, robust_g$std.error, tolerance = 1e-8)
  expect_equal(robust_f$std.error, unname(sqrt(diag(sandwich::vcovHC(g, type = "HC1")))), tolerance = 1e-8)
  side <- table_of(list(mleglm = f, glm = g), vcov = "HC1", fmt = 6, gof_omit = "^F$")
  expect_identical(side$mleglm, side$glm)
})

test_that("a Gaussian fit's table differs from glm's by the dispersion only", {
  skip_without_modelsummary()
  h <- summary_data()
  f <- fit(thalach ~ age + sex + cp, h)
  g <- glm_oracle(thalach ~ age + sex + cp, gaussian(), h)
  ratio <- f$dispersion / f$dispersion_pearson
  est_f <- modelsummary::get_estimates(f)
  est_g <- modelsummary::get_estimates(g)
  expect_equal(est_f$estimate, est_g$estimate, tolerance = 1e-10)
  expect_equal(est_f$std.error, est_g$std.error * sqrt(ratio), tolerance = 1e-8)
  gof_f <- gof_of(f)
  gof_g <- gof_of(g)
  expect_equal(gof_f[["F"]], gof_g[["F"]] / ratio, tolerance = 1e-8)
  expect_equal(gof_f[c("aic", "bic", "logLik", "rmse", "nobs")], gof_g[c("aic", "bic", "logLik", "rmse", "nobs")],
               tolerance = 1e-8)
  # glm's standard errors: its covariance.
  expect_equal(modelsummary::get_estimates(f, vcov = vcov(f, type = "glm"))$std.error, est_g$std.error,
               tolerance = 1e-8)
})

test_that("negbin() and custom-family fits: the coefficients and their covariance block", {
  skip_without_modelsummary()
  h <- summary_data()
  t4 <- fit(thalach ~ age + cp, h, family = t4_family())
  kept <- names(coef(t4))
  est <- modelsummary::get_estimates(t4)
  expect_identical(est$term, kept)
  expect_equal(est$std.error, unname(sqrt(diag(vcov(t4))[kept])), tolerance = 1e-10)
  gof <- gof_of(t4)
  expect_equal(gof[["logLik"]], as.numeric(logLik(t4)), tolerance = 1e-10)
  skip_if_not_installed("MASS")
  nb <- fit(num ~ age + cp, h, family = negbin())
  mass <- MASS::glm.nb(num ~ age + cp, data = h, control = tight)
  # glm.nb's covariance is the expected information's coefficient block;
  # given as vcov(nb, type = "expected"), theta's row and column are left out.
  est_nb <- modelsummary::get_estimates(nb, vcov = vcov(nb, type = "expected"))
  est_mass <- modelsummary::get_estimates(mass)
  expect_equal(est_nb[c("estimate", "std.error")], est_mass[c("estimate", "std.error")],
               tolerance = 1e-5, ignore_attr = TRUE)
  expect_equal(gof_of(nb)[c("aic", "bic", "logLik")], gof_of(mass)[c("aic", "bic", "logLik")], tolerance = 1e-6)
})

test_that("the F row is the Wald test of all coefficients but the intercept", {
  skip_without_modelsummary()
  h <- summary_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  # Without an intercept there is no intercept-only model to test against.
  no_intercept <- fit(sick ~ 0 + age + sex, h, family = binomial())
  expect_false("F" %in% names(modelsummary::glance_custom(no_intercept)))
  expect_false("F" %in% names(modelsummary::glance_custom(fit(sick ~ 1, h, family = binomial()))))
  skip_if_not_installed("car")
  slopes <- setdiff(names(coef(f)), "(Intercept)")
  wald <- car::linearHypothesis(f, paste(slopes, "= 0"), vcov. = vcov(f))
  expect_equal(modelsummary::glance_custom(f)$F, wald$Chisq[2] / length(slopes), tolerance = 1e-8)
})
