# Profile-likelihood and Wald intervals against R as the oracle.
#
# Oracles and tolerances:
# * exact endpoints: uniroot() on the deviance of glm.fit() refits with
#   x_j b in the offset (epsilon = 1e-14), solved to 1e-12: 1e-8 relative;
# * confint(glm), the MASS profile method of R 4.2.2: it interpolates a
#   spline through about ten profile points per side (steps of zmax / 5
#   standard errors), which is itself off the exact endpoints by up to
#   1.6e-4 relative on the Poisson model below (6e-5 on the binomial one);
#   so 1e-4 for the binomial, 3e-4 for the Poisson, and 1e-5 against MASS's
#   own profile on a grid five times finer;
# * the Gaussian: MASS holds the dispersion at glm's Pearson value and
#   compares Delta deviance / dispersion with normal quantiles, which for a
#   linear model is exactly the Wald interval with glm's standard errors, a
#   different interval. mleglm profiles the dispersion out by maximum
#   likelihood, and the profile has the closed form
#   2 (l_hat - l_p(b)) = n log(1 + (b - b_hat)^2 / (v_jj RSS)), v = (X'X)^-1,
#   whose endpoints b_hat +- sqrt(v_jj RSS (exp(q^2 / n) - 1)) are the oracle
#   (1e-10 relative).

confint_data <- function() {
  d <- heart
  d$cp <- factor(d$cp)
  d$hd <- as.numeric(d$num > 0)
  d
}

exact_profile_ci <- function(g, level = 0.95) {
  X <- model.matrix(g)
  y <- g$y
  q <- qnorm((1 + level) / 2)
  d0 <- deviance(g)
  se <- sqrt(diag(vcov(g)))
  t(vapply(seq_len(ncol(X)), function(j) {
    z <- function(b) {
      r <- glm.fit(X[, -j, drop = FALSE], y, weights = g$prior.weights, offset = X[, j] * b,
                   family = family(g), control = glm.control(epsilon = 1e-14, maxit = 100))
      sqrt(max(r$deviance - d0, 0)) - q
    }
    b0 <- coef(g)[[j]]
    c(uniroot(z, c(b0 - 5 * se[j], b0), tol = 1e-12)$root,
      uniroot(z, c(b0, b0 + 5 * se[j]), tol = 1e-12)$root)
  }, numeric(2)))
}

test_that("binomial profile intervals match the exact endpoints and confint(glm)", {
  d <- confint_data()
  f <- fit(hd ~ age + sex + thalach + cp, d, family = binomial())
  g <- glm_tight(hd ~ age + sex + thalach + cp, data = d, family = binomial())
  ci <- confint(f)
  expect_identical(dimnames(ci), list(names(coef(f)), c("2.5 %", "97.5 %")))
  expect_lt(max_rel_diff(ci, exact_profile_ci(g)), 1e-8)
  expect_lt(max_rel_diff(ci, suppressMessages(confint(g))), 1e-4)
})

test_that("Poisson profile intervals match the exact endpoints and MASS's profile", {
  d <- confint_data()
  f <- fit(num ~ age + sex + thalach + cp, d, family = poisson())
  g <- glm_tight(num ~ age + sex + thalach + cp, data = d, family = poisson())
  ci <- confint(f)
  expect_lt(max_rel_diff(ci, exact_profile_ci(g)), 1e-8)
  expect_lt(max_rel_diff(ci, suppressMessages(confint(g))), 3e-4)
  # MASS's own profile on a finer grid interpolates better and comes closer.
  fine <- MASS:::confint.profile.glm(profile(g, del = 0.1, maxsteps = 50, alpha = 0.0125))
  expect_lt(max_rel_diff(ci, fine), 1e-5)
})

test_that("Gaussian profile intervals have the closed form, and MASS's are Wald with glm's SEs", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  g <- glm(thalach ~ age + exang + oldpeak, data = heart)
  X <- model.matrix(f)
  n <- nobs(f)
  for (level in c(0.9, 0.95, 0.99)) {
    half <- sqrt(diag(solve(crossprod(X))) * deviance(f) * (exp(qnorm((1 + level) / 2)^2 / n) - 1))
    expect_lt(max_rel_diff(confint(f, level = level), cbind(coef(f) - half, coef(f) + half)), 1e-10)
  }
  # Why confint(glm) differs for the Gaussian: it is the Wald interval with
  # the Pearson dispersion (to rounding), not a likelihood interval.
  expect_lt(max_rel_diff(suppressMessages(confint(g)), confint.default(g)), 1e-10)
})

test_that("Wald intervals use the requested covariance and normal quantiles", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  g <- glm(thalach ~ age + exang + oldpeak, data = heart)
  expect_lt(max_rel_diff(confint(f, method = "wald", vcov = "glm"), confint.default(g)), 1e-10)
  se <- sqrt(diag(vcov(f)))
  expect_equal(confint(f, method = "wald")[, 2], coef(f) + qnorm(0.975) * se, tolerance = 1e-12)
  ci <- confint(f, parm = "age", level = 0.9, method = "wald")
  expect_identical(dimnames(ci), list("age", c("5 %", "95 %")))
})

test_that("parm selects by name or position; aliased coefficients give NA", {
  d <- heart
  d$age2 <- d$age
  f <- suppressWarnings(fit(thalach ~ age + age2 + exang, d))
  ci <- confint(f)
  expect_true(all(is.na(ci["age2", ])))
  expect_false(anyNA(ci[c("(Intercept)", "age", "exang"), ]))
  expect_equal(confint(f, parm = 2), confint(f, parm = "age"))
  expect_error(confint(f, parm = "nope"), class = "mleglm_error_input")
  expect_error(confint(f, parm = 9), class = "mleglm_error_input")
  expect_error(confint(f, level = 1), class = "mleglm_error_input")
  expect_error(confint(f, level = "a"), class = "mleglm_error_input")
  expect_error(confint(f, method = "exact"), class = "mleglm_error_input")
})

test_that("separation: the unbounded side is Inf with a classed warning", {
  sep <- data.frame(x = 1:6, y = c(0, 0, 0, 1, 1, 1))
  f <- suppressWarnings(fit(y ~ x, sep, family = binomial()))
  expect_warning(ci <- confint(f, parm = "x"), class = "mleglm_warning_interval_unbounded")
  expect_identical(ci[1, 2], Inf)
  # The finite end is the exact profile endpoint: there the profile
  # log-likelihood of the slope (intercept refitted by glm.fit) is the
  # cutoff below the supremum 0.
  r <- suppressWarnings(glm.fit(cbind(rep(1, 6)), sep$y, offset = sep$x * ci[1, 1],
                                family = binomial(), control = glm.control(epsilon = 1e-14)))
  expect_equal(-r$deviance / 2, -qchisq(0.95, 1) / 2, tolerance = 1e-6)
})

test_that("a fit short of its maximum is refitted with a classed warning", {
  d <- confint_data()
  good <- fit(hd ~ age + sex + thalach, d, family = binomial())
  short <- suppressWarnings(fit(hd ~ age + sex + thalach, d, family = binomial(),
                                control = mleglm_control(maxit = 1)))
  expect_false(short$converged)
  expect_warning(ci <- confint(short), class = "mleglm_warning_profile")
  expect_lt(max_rel_diff(ci, confint(good)), 1e-8)
  # A profile point above the fit's log-likelihood triggers a refit from
  # that point: simulated by recording a maximum 3 below the true one, as
  # if the solver had stopped on a lower local maximum with a zero score
  # (the endpoints, 1.92 below the maximum, are then above it).
  low <- good
  low$loglik <- low$loglik - 3
  expect_warning(ci_low <- confint(low), class = "mleglm_warning_profile")
  expect_lt(max_rel_diff(ci_low, confint(good)), 1e-8)
})

test_that("profiling 20 coefficients at n = 10,000 is exact", {
  skip_on_cran()
  set.seed(3)
  n <- 10000
  x <- matrix(rnorm(n * 19), n, 19, dimnames = list(NULL, paste0("x", 1:19)))
  y <- rbinom(n, 1, plogis(-0.5 + x %*% rnorm(19, sd = 0.3)))
  f <- fit_matrix(cbind("(Intercept)" = 1, x), y, family = binomial())
  # Its speed (about 0.5 s on the 2-core machine) is a benchmark figure, not a
  # test: timings here would fail under valgrind or a loaded machine.
  ci <- confint(f)
  expect_false(anyNA(ci))
  # Spot-check two coefficients against the exact oracle.
  g <- glm.fit(cbind(1, x), y, family = binomial(), control = glm.control(epsilon = 1e-14))
  for (j in c(1, 12)) {
    z <- function(b) {
      r <- glm.fit(cbind(1, x)[, -j], y, offset = cbind(1, x)[, j] * b, family = binomial(),
                   control = glm.control(epsilon = 1e-14))
      sqrt(max(r$deviance - g$deviance, 0)) - qnorm(0.975)
    }
    expect_equal(ci[j, 2], uniroot(z, c(g$coefficients[j], ci[j, 2] + 0.05), tol = 1e-12)$root,
                 tolerance = 1e-8)
  }
})
