# simulate(): the same draws as simulate(glm) where both define them, and
# the right moments elsewhere.

test_that("binomial and Poisson draws equal simulate(glm) with the same seed", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  for (case in list(list(hd ~ age + sex, binomial()), list(num ~ age + sex, poisson()))) {
    f <- fit(case[[1]], d, family = case[[2]])
    g <- glm_tight(case[[1]], data = d, family = case[[2]])
    sf <- simulate(f, nsim = 3, seed = 42)
    sg <- simulate(g, nsim = 3, seed = 42)
    expect_identical(dim(sf), c(303L, 3L))
    expect_identical(names(sf), c("sim_1", "sim_2", "sim_3"))
    # Different fitted means only in the last digits: the same draws.
    expect_equal(unname(as.matrix(sf)), unname(as.matrix(sg)))
    expect_identical(attr(sf, "seed")[1], 42)
  }
})

test_that("Gaussian, Gamma and inverse Gaussian draws have the fitted means and dispersion", {
  f <- fit(chol ~ age, heart, family = inverse.gaussian(link = "log"))
  s <- as.matrix(simulate(f, nsim = 400, seed = 1))
  mu <- fitted(f)
  # Mean of 400 draws per row: within 5 standard errors overall.
  z <- (rowMeans(s) - mu) / sqrt(f$dispersion * mu^3 / 400)
  expect_lt(abs(mean(z)) * sqrt(length(z)), 5)
  expect_equal(var(as.vector((s - mu) / sqrt(mu^3))), f$dispersion, tolerance = 0.05)
  g <- fit(chol ~ age, heart, family = Gamma(link = "log"))
  s <- as.matrix(simulate(g, nsim = 200, seed = 2))
  expect_equal(var(as.vector(s / fitted(g) - 1)), g$dispersion, tolerance = 0.05)
  h <- fit(thalach ~ age, heart, weights = rep(c(0, 1, 4), length.out = 303))
  s <- simulate(h, nsim = 2, seed = 3)
  expect_true(all(is.na(s[h$prior.weights == 0, ])))
  r <- (s$sim_1 - fitted(h)) * sqrt(h$prior.weights)
  expect_equal(sd(r[h$prior.weights > 0]), sigma(h), tolerance = 0.15)
})

test_that("weights that cannot be simulated are refused or reported", {
  p <- fit(num ~ age, heart, family = poisson(), weights = rep(2, 303))
  expect_warning(simulate(p), class = "mleglm_warning_simulate")
  b <- suppressWarnings(fit(num > 0 ~ age, heart, family = binomial(), weights = rep(1.5, 303)))
  expect_error(simulate(b), class = "mleglm_error_input")
  expect_error(simulate(p, nsim = -1), class = "mleglm_error_input")
})
