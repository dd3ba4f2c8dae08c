# Numerical traps with their honest outcome (issue 6): links whose mean
# range is bounded at finite coefficients (poisson identity, binomial log),
# with and without `start`, inside the parameter space and with the maximum
# on its edge; a misspecified Gamma fit at n = 2000, p = 20; and the
# iteration limit. Separation and infinite estimates are in
# test-separation.R. Tolerances: coefficients 1e-7 relative against glm()
# refitted with epsilon = 1e-14 (its own accuracy).

# Dobson (1990, p. 93), the example of ?glm.
dobson <- data.frame(counts = c(18, 17, 15, 20, 10, 20, 25, 13, 12),
                     outcome = gl(3, 1, 9), treatment = gl(3, 3))

test_that("poisson identity without start: the Dobson data match glm", {
  f <- fit(counts ~ outcome + treatment, dobson, family = poisson(link = "identity"))
  g <- glm_tight(counts ~ outcome + treatment, data = dobson, family = poisson(link = "identity"))
  expect_true(f$converged)
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-7)
  expect_lt(max_rel_diff(logLik(f), logLik(g)), 1e-12)
})

test_that("poisson identity without start where glm() finds no start: a correct fit", {
  set.seed(71)
  d <- data.frame(x = runif(100))
  d$y <- rpois(100, 0.2 + 3 * d$x)
  # glm's start (one least-squares step from y + 0.1) gives a negative mean.
  expect_error(glm(y ~ x, data = d, family = poisson(link = "identity")), "starting values")
  f <- fit(y ~ x, d, family = poisson(link = "identity"))
  expect_true(f$converged)
  expect_length(f$warnings, 0L)
  g <- glm_tight(y ~ x, data = d, family = poisson(link = "identity"), start = coef(f))
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-7)
  # With a start, the same maximum.
  s <- fit(y ~ x, d, family = poisson(link = "identity"), start = c(1, 1))
  expect_lt(max_rel_diff(coef(s), coef(f)), 1e-9)
})

test_that("poisson identity with its maximum on the edge (a mean of 0): warned, not converged", {
  set.seed(72)
  d <- data.frame(x = seq(-1, 1, length.out = 50))
  d$y <- rpois(50, pmax(0.05 + 2 * d$x, 0) + 0.01)
  for (start in list(NULL, c(1, 0))) {
    res <- collect_conditions(fit(y ~ x, d, family = poisson(link = "identity"),
                                  start = start))
    expect_false(res$value$converged)
    expect_setequal(first_classes(res$warnings),
                    c("mleglm_warning_convergence", "mleglm_warning_boundary"))
    expect_match(res$value$warnings[[2]]$message, "edge of the parameter space", fixed = TRUE)
    expect_true(is.finite(res$value$loglik))
  }
})

test_that("binomial log inside the parameter space: fitted without start, as glm with one", {
  set.seed(73)
  d <- data.frame(x = runif(300))
  d$y <- rbinom(300, 1, exp(-0.4 - 1.2 * (1 - d$x)))
  f <- fit(y ~ x, d, family = binomial(link = "log"))
  expect_true(f$converged)
  g <- glm_tight(y ~ x, data = d, family = binomial(link = "log"), start = c(-1, 0.5))
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-7)
  expect_lt(max(fitted(f)), 1)
})

test_that("binomial log with the maximum at a probability of 1: warned, not converged", {
  set.seed(74)
  d <- data.frame(x = runif(200))
  d$y <- rbinom(200, 1, exp(-0.01 - (1 - d$x)))
  for (start in list(NULL, c(-0.5, 0.1))) {
    res <- collect_conditions(fit(y ~ x, d, family = binomial(link = "log"), start = start))
    expect_false(res$value$converged)
    expect_true("mleglm_warning_boundary" %in% first_classes(res$warnings))
    expect_true(all(fitted(res$value) < 1))
  }
})

# The Gamma log-likelihood maximised over the shape for fixed means, written
# with dgamma() alone, to score glm()'s estimate on the same scale.
gamma_profile_loglik <- function(y, mu) {
  ll <- function(log_shape) {
    shape <- exp(log_shape)
    sum(stats::dgamma(y, shape = shape, rate = shape / mu, log = TRUE))
  }
  stats::optimize(ll, c(-10, 10), maximum = TRUE, tol = 1e-12)$objective
}

test_that("a misspecified Gamma fit at n = 2000, p = 20 reaches at least glm's log-likelihood", {
  # stats has no Gamma(link = "sqrt"); the misspecification here is a
  # log-normal response with a quadratic mean, fitted by a Gamma log link.
  set.seed(75)
  n <- 2000
  p <- 20
  x <- matrix(rnorm(n * (p - 1)), n, dimnames = list(NULL, paste0("x", 1:(p - 1))))
  y <- exp(0.5 + 0.3 * x[, 1] - 0.2 * x[, 2]^2 + rnorm(n, sd = 0.8))
  d <- data.frame(y = y, x)
  f <- fit(y ~ ., d, family = Gamma(link = "log"))
  g <- glm(y ~ ., data = d, family = Gamma(link = "log"))
  expect_true(f$converged)
  expect_gte(as.numeric(logLik(f)), as.numeric(logLik(g)))
  # Also against glm's estimate scored with the ML shape: the same maximum.
  expect_gte(as.numeric(logLik(f)), gamma_profile_loglik(y, fitted(g)) - 1e-8)
  expect_lt(max_rel_diff(logLik(f), gamma_profile_loglik(y, fitted(f))), 1e-10)
})

test_that("maxit reached: converged FALSE, the warning, and the last score norm in the object", {
  res <- collect_conditions(fit(num > 0 ~ age + sex + thalach, heart, family = binomial,
                                control = mleglm_control(maxit = 2)))
  f <- res$value
  expect_identical(first_classes(res$warnings), "mleglm_warning_convergence")
  expect_false(f$converged)
  expect_identical(f$iterations, 2L)
  expect_identical(nrow(f$trace), 3L)
  last <- f$trace[nrow(f$trace), ]
  expect_gt(last$gradient_norm, 1e-6)
  expect_gt(last$decrement, f$control$tol)
  # The trace's score norm is that of the solver's columns: the heart
  # columns are of ordinary size, so they are not rescaled (only columns
  # beyond 2^64 or below 2^-64 are).
  expect_equal(last$gradient_norm, sqrt(sum(f$score^2)), tolerance = 1e-10)
  expect_match(f$warnings[[1]]$message, format(last$gradient_norm, digits = 3), fixed = TRUE)
  expect_output(print(summary(f)), "NOT converged", fixed = TRUE)
})
