# emmeans on mleglm fits against emmeans on the same glm() fits, and against
# predict() on the reference grid where glm() has no equivalent.

emmeans_data <- function() {
  transform(heart, sick = num > 0, cp = factor(cp))
}

# glm() stops at a relative change in deviance of 1e-8 and takes its
# covariance from the weights of its last iteration; converged further, its
# standard errors agree with mleglm's to about 1e-10 rather than 1e-7.
tight <- glm.control(epsilon = 1e-14, maxit = 100)

# The summary of an emmGrid as a plain data frame, for comparisons.
emm_frame <- function(x, ...) as.data.frame(summary(x, ...))

test_that("emmeans(), pairs() and emtrends() of a binomial fit equal glm's", {
  skip_if_not_installed("emmeans")
  h <- emmeans_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- glm(sick ~ age + sex + cp + thalach, family = binomial(), data = h, control = tight)
  expect_equal(emm_frame(emmeans::emmeans(f, ~ cp)), emm_frame(emmeans::emmeans(g, ~ cp)),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(emm_frame(emmeans::emmeans(f, ~ cp, type = "response")),
               emm_frame(emmeans::emmeans(g, ~ cp, type = "response")),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(emm_frame(pairs(emmeans::emmeans(f, ~ cp))), emm_frame(pairs(emmeans::emmeans(g, ~ cp))),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(emm_frame(emmeans::emmeans(f, ~ cp | sex, at = list(sex = 0:1))),
               emm_frame(emmeans::emmeans(g, ~ cp | sex, at = list(sex = 0:1))),
               tolerance = 1e-8, ignore_attr = TRUE)
  # emtrends differentiates numerically: the same differences, to their accuracy.
  expect_equal(emm_frame(emmeans::emtrends(f, ~ sex, var = "age", at = list(sex = 0:1))),
               emm_frame(emmeans::emtrends(g, ~ sex, var = "age", at = list(sex = 0:1))),
               tolerance = 1e-6, ignore_attr = TRUE)
  p <- fit(num ~ age + cp, h, family = poisson())
  q <- glm(num ~ age + cp, family = poisson(), data = h, control = tight)
  expect_equal(emm_frame(emmeans::emmeans(p, ~ cp, type = "response")),
               emm_frame(emmeans::emmeans(q, ~ cp, type = "response")),
               tolerance = 1e-8, ignore_attr = TRUE)
})

test_that("a Gaussian fit's marginal means differ from glm's by the dispersion only", {
  skip_if_not_installed("emmeans")
  h <- emmeans_data()
  f <- fit(thalach ~ age + sex + cp, h)
  g <- glm(thalach ~ age + sex + cp, data = h)
  mine <- emm_frame(emmeans::emmeans(f, ~ cp))
  glms <- emm_frame(emmeans::emmeans(g, ~ cp))
  expect_equal(mine$emmean, glms$emmean, tolerance = 1e-8)
  expect_equal(mine$SE, glms$SE * sqrt(f$dispersion / f$dispersion_pearson), tolerance = 1e-8)
  expect_true(all(is.infinite(mine$df)))
  # glm's numbers: its covariance and degrees of freedom.
  expect_equal(emm_frame(emmeans::emmeans(f, ~ cp, vcov. = "glm", df = df.residual(f))), glms,
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(emm_frame(emmeans::emmeans(f, ~ cp, vcov. = vcov(f, type = "glm"), df = df.residual(f))),
               glms, tolerance = 1e-8, ignore_attr = TRUE)
  expect_error(emmeans::emmeans(f, ~ cp, vcov. = "robust"), class = "mleglm_error_input")
  expect_error(emmeans::emmeans(f, ~ cp, vcov. = diag(2)), class = "mleglm_error_input")
})

test_that("negbin() and custom-family fits: the regression coefficients and their covariance block", {
  skip_if_not_installed("emmeans")
  h <- emmeans_data()
  for (f in list(fit(num ~ age + cp, h, family = negbin()),
                 fit(thalach ~ age + cp, h, family = t4_family()))) {
    rg <- emmeans::ref_grid(f)
    grid <- rg@grid
    pred <- predict(f, grid, se.fit = TRUE)
    s <- emm_frame(rg)
    expect_equal(s$prediction, unname(pred$fit), tolerance = 1e-8)
    expect_equal(s$SE, unname(pred$se.fit), tolerance = 1e-8)
    # Given as vcov(f), the covariance's extra row and column are left out.
    expect_equal(emm_frame(emmeans::ref_grid(f, vcov. = vcov(f))), s, tolerance = 1e-10)
  }
  skip_if_not_installed("MASS")
  nb <- fit(num ~ age + cp, h, family = negbin())
  mass <- MASS::glm.nb(num ~ age + cp, data = h)
  # glm.nb's covariance is the expected information's coefficient block.
  expect_equal(emm_frame(emmeans::emmeans(nb, ~ cp, vcov. = "expected")),
               emm_frame(emmeans::emmeans(mass, ~ cp)), tolerance = 1e-5, ignore_attr = TRUE)
})

test_that("aliased coefficients are non-estimable; chunked and matrix fits are refused", {
  skip_if_not_installed("emmeans")
  h <- emmeans_data()
  h$age2 <- 2 * h$age
  f <- suppressWarnings(fit(sick ~ age + age2 + cp, h, family = binomial()))
  # glm's default convergence: its covariance agrees to about 1e-7.
  g <- glm(sick ~ age + age2 + cp, family = binomial(), data = h)
  expect_equal(emm_frame(emmeans::emmeans(f, ~ cp)), emm_frame(emmeans::emmeans(g, ~ cp)),
               tolerance = 1e-6, ignore_attr = TRUE)
  # The same non-estimable direction (age2 = 2 age), up to sign.
  expect_equal(abs(emmeans::ref_grid(f)@nbasis), abs(emmeans::ref_grid(g)@nbasis), tolerance = 1e-8)
  fm <- fit_matrix(cbind(1, h$age), h$sick, family = binomial())
  expect_error(emmeans::recover_data(fm), class = "mleglm_error_input")
  # emmeans catches recover_data()'s error and raises its own.
  # (emmeans prints the error it caught.)
  utils::capture.output(expect_error(emmeans::emmeans(fm, ~ 1), "data"), type = "message")
})

test_that("a chunked fit takes the grid's data from `data`", {
  skip_if_not_installed("emmeans")
  h <- emmeans_data()
  chunked <- fit_chunked(sick ~ age + cp, chunk_function(h, 100), binomial(), progress = FALSE)
  expect_error(emmeans::recover_data(chunked), class = "mleglm_error_rows_unavailable")
  utils::capture.output(expect_error(emmeans::emmeans(chunked, ~ cp), "data"), type = "message")
  in_memory <- fit(sick ~ age + cp, h, family = binomial())
  expect_equal(emm_frame(emmeans::emmeans(chunked, ~ cp, data = h)),
               emm_frame(emmeans::emmeans(in_memory, ~ cp)), tolerance = 1e-6)
})
