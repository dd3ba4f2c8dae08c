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

test_that("negbin draws: size theta and the fitted means, as MASS::rnegbin's", {
  skip_if_not_installed("MASS")
  f <- fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin())
  one <- simulate(f, seed = 1)
  expect_false(anyNA(one))
  expect_true(all(one$sim_1 >= 0 & one$sim_1 == round(one$sim_1)))
  s <- as.matrix(simulate(f, nsim = 2000, seed = 2))
  mu <- fitted(f)
  v <- mu + mu^2 / f$theta
  # Means: 2000 draws per row, within 5 standard errors overall; variances
  # of the standardised draws 1 (3%).
  z <- (rowMeans(s) - mu) / sqrt(v / 2000)
  expect_lt(abs(mean(z)) * sqrt(length(z)), 5)
  expect_equal(var(as.vector((s - mu) / sqrt(v))), 1, tolerance = 0.03)
  # The same distribution as MASS::rnegbin(mu, theta): the proportions of
  # zeros agree within 5 binomial standard errors.
  set.seed(3)
  r <- matrix(MASS::rnegbin(length(mu) * 2000, mu = rep(mu, 2000), theta = f$theta), length(mu))
  p_ours <- mean(s == 0)
  p_mass <- mean(r == 0)
  expect_lt(abs(p_ours - p_mass), 5 * sqrt(2 * p_mass * (1 - p_mass) / length(s)))
  expect_equal(p_ours, mean(dnbinom(0, size = f$theta, mu = mu)), tolerance = 0.02)
})
