test_that("an integer response fits with every family (the Gaussian start is the response)", {
  expect_true(is.integer(heart$num))
  f <- fit(num ~ age + sex, heart)
  g <- glm_tight(num ~ age + sex, data = heart)
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-8)
  p <- fit(num ~ age + sex, heart, family = poisson())
  expect_true(p$converged)
})
