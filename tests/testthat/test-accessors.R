# sigma() and weights(); the other accessors are tested in test-methods.R.

test_that("sigma() is the ML residual scale; weights() as weights.glm", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  expect_equal(sigma(f), sqrt(deviance(f) / 303), tolerance = 1e-12)
  expect_identical(sigma(fit(num ~ age, heart, family = poisson())), 1)
  d <- heart
  d$w <- rep(1:3, length.out = 303)
  f <- fit(num ~ age + ca, d, family = poisson(), weights = w, na.action = na.exclude)
  g <- glm_tight(num ~ age + ca, data = d, family = poisson(), weights = w, na.action = na.exclude)
  expect_equal(weights(f), weights(g), tolerance = 1e-12)
  expect_equal(weights(f, type = "working"), weights(g, type = "working"), tolerance = 1e-6)
  expect_error(weights(f, type = "robust"), class = "mleglm_error_input")
})
