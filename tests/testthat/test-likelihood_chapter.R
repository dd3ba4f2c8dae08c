# The claims of vignette("likelihood"), recomputed here by other routes so
# that the chapter stays true: the score and information from their
# formulas written out with the model matrix, the Hessian by numDeriv, the
# Newton and Fisher steps against the solvers' traces, the likelihood-ratio
# statistic from lm()'s residual sums of squares, and the dispersion's
# information against numerical second derivatives and optim()'s Hessian.

probit_fit <- function() {
  fit(num > 0 ~ age + sex + thalach, heart, family = binomial(link = "probit"))
}

# Score and observed and expected information of a 0/1 probit model at
# beta, from the formulas of the chapter (mu' = dnorm, mu'' = -eta dnorm,
# V = mu (1 - mu), V' = 1 - 2 mu).
probit_by_formula <- function(X, y, w, beta) {
  eta <- drop(X %*% beta)
  mu <- pnorm(eta)
  d1 <- dnorm(eta)
  d2 <- -eta * dnorm(eta)
  v <- mu * (1 - mu)
  dv <- 1 - 2 * mu
  expected <- crossprod(X, X * (w * d1^2 / v))
  extra <- crossprod(X, X * (w * (y - mu) * (d2 * v - d1^2 * dv) / v^2))
  list(loglik = sum(w * dbinom(y, 1, mu, log = TRUE)),
       score = unname(drop(crossprod(X, w * (y - mu) * d1 / v))),
       expected = expected, extra = extra, observed = expected - extra,
       eta = eta, mu = mu, d1 = d1, v = v)
}

rel_diff <- function(a, b) max(abs(a - b)) / max(abs(b))

test_that("(a) one Newton step from the start reproduces the first row of the trace", {
  p <- probit_fit()
  X <- model.matrix(p)
  tr <- fit_trace(p)
  b0 <- p$start
  # The full step was taken: the second row is the point it reached.
  expect_equal(tr$step[1], 1)
  expect_identical(tr$halvings[1], 0L)
  # By hand from the formulas, without the package's evaluators.
  at0 <- probit_by_formula(X, p$y, p$prior.weights, b0)
  delta <- solve(at0$observed, at0$score)
  at1 <- probit_by_formula(X, p$y, p$prior.weights, b0 + delta)
  expect_equal(at0$loglik, tr$loglik[1], tolerance = 1e-12)
  expect_equal(sqrt(sum(at0$score^2)), tr$gradient_norm[1], tolerance = 1e-10)
  expect_equal(sqrt(sum(at0$score * delta)), tr$decrement[1], tolerance = 1e-10)
  expect_equal(at1$loglik, tr$loglik[2], tolerance = 1e-12)
  expect_equal(sqrt(sum(at1$score^2)), tr$gradient_norm[2], tolerance = 1e-8)
  # The chapter's route, through score_at() and information_at().
  u0 <- score_at(p, b0)
  i0 <- information_at(p, b0, type = "observed")
  expect_equal(unname(u0), at0$score, tolerance = 1e-10)
  expect_equal(unname(i0), unname(at0$observed), tolerance = 1e-10)
  b1 <- b0 + solve(i0, u0)
  expect_equal(loglik_at(p, b1), tr$loglik[2], tolerance = 1e-12)
  expect_equal(sqrt(sum(u0 * solve(i0, u0))), tr$decrement[1], tolerance = 1e-10)
})

test_that("(a) Fisher scoring's first step is one weighted least-squares fit, as in its trace", {
  p <- probit_fit()
  pf <- update(p, method = "fisher")
  X <- model.matrix(p)
  w <- p$prior.weights
  expect_equal(pf$start, p$start, tolerance = 0)
  at0 <- probit_by_formula(X, p$y, w, pf$start)
  z <- at0$eta + (p$y - at0$mu) / at0$d1
  wls <- lm.wfit(X, z, w * at0$d1^2 / at0$v)$coefficients
  fisher <- pf$start + solve(information_at(pf, pf$start, type = "expected"), score_at(pf, pf$start))
  expect_equal(unname(fisher), unname(wls), tolerance = 1e-10)
  tr <- fit_trace(pf)
  expect_equal(tr$step[1], 1)
  expect_equal(probit_by_formula(X, p$y, w, wls)$loglik, tr$loglik[2], tolerance = 1e-12)
})

test_that("(b) the probit fit's observed and expected information differ by the extra term", {
  skip_if_not_installed("numDeriv")
  p <- probit_fit()
  X <- model.matrix(p)
  b <- coef(p)
  i_obs <- information_at(p, b, type = "observed")
  i_exp <- information_at(p, b, type = "expected")
  by_hand <- probit_by_formula(X, p$y, p$prior.weights, b)
  # The difference is the extra term, which is far from rounding.
  expect_equal(unname(i_exp - i_obs), unname(by_hand$extra), tolerance = 1e-9)
  expect_gt(max(abs(by_hand$extra)) / max(abs(i_obs)), 1e-4)
  expect_equal(unname(i_exp), unname(by_hand$expected), tolerance = 1e-10)
  # The observed information is minus the Hessian, by numerical differences.
  hess <- numDeriv::hessian(function(beta) loglik_at(p, beta), b)
  expect_equal(unname(i_obs), -hess, tolerance = 1e-6)
  # So the standard errors differ, by well over rounding but under 1%.
  ratio <- sqrt(diag(solve(i_obs))) / sqrt(diag(solve(i_exp)))
  expect_gt(max(abs(ratio - 1)), 1e-3)
  expect_lt(max(abs(ratio - 1)), 1e-2)
})

test_that("(b) canonical links have no extra term, at any coefficients; others do", {
  check <- function(formula, family) {
    f <- fit(formula, heart, family = family)
    b <- coef(f) * 1.01
    rel_diff(information_at(f, b, type = "observed"), information_at(f, b, type = "expected"))
  }
  expect_lt(check(num > 0 ~ age + sex + thalach, binomial()), 1e-12)
  expect_lt(check(ca ~ age + sex, poisson()), 1e-12)
  expect_lt(check(thalach ~ age + sex, gaussian()), 1e-12)
  expect_lt(check(thalach ~ age + sex, Gamma()), 1e-12)
  expect_lt(check(thalach ~ age + sex, inverse.gaussian()), 1e-12)
  expect_gt(check(num > 0 ~ age + sex + thalach, binomial(link = "probit")), 1e-4)
  expect_gt(check(thalach ~ age + sex, Gamma(link = "log")), 1e-4)
  # The logit's extra term by the chapter's formula, mu' = V, mu'' = V' V.
  l <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
  X <- model.matrix(l)
  mu <- plogis(l$linear.predictors)
  d1 <- dlogis(l$linear.predictors)
  v <- mu * (1 - mu)
  extra <- crossprod(X, X * ((l$y - mu) * (d1 * (1 - 2 * mu) * v - d1^2 * (1 - 2 * mu)) / v^2))
  expect_lt(max(abs(extra)) / max(abs(information_at(l, coef(l)))), 1e-12)
})

test_that("(c) the likelihood-ratio test by hand is anova()'s, and not glm's", {
  f0 <- fit(thalach ~ age, heart)
  f1 <- fit(thalach ~ age + exang + oldpeak, heart)
  n <- nrow(heart)
  # Residual sums of squares from lm(), the maximised log-likelihood from them.
  rss0 <- sum(residuals(lm(thalach ~ age, heart))^2)
  rss1 <- sum(residuals(lm(thalach ~ age + exang + oldpeak, heart))^2)
  max_loglik <- function(rss) -n / 2 * (log(2 * pi * rss / n) + 1)
  expect_equal(as.numeric(logLik(f1)), max_loglik(rss1), tolerance = 1e-12)
  expect_equal(as.numeric(logLik(f0)), max_loglik(rss0), tolerance = 1e-12)
  lr <- 2 * (max_loglik(rss1) - max_loglik(rss0))
  expect_equal(lr, n * log(rss0 / rss1), tolerance = 1e-12)
  a <- anova(f0, f1)
  expect_equal(a[2, "LR stat"], lr, tolerance = 1e-10)
  expect_equal(a[2, "Pr(>Chi)"], pchisq(lr, df = 2, lower.tail = FALSE), tolerance = 1e-8)
  expect_equal(a[2, "Df"], 2)
  # glm's Chisq test divides the drop in deviance by the Pearson dispersion.
  g0 <- glm(thalach ~ age, data = heart)
  g1 <- glm(thalach ~ age + exang + oldpeak, data = heart)
  ga <- anova(g0, g1, test = "Chisq")
  glm_stat <- (rss0 - rss1) / (rss1 / (n - 4))
  expect_equal(ga[2, "Pr(>Chi)"], pchisq(glm_stat, df = 2, lower.tail = FALSE), tolerance = 1e-8)
  expect_equal(a[2, "Deviance"], ga[2, "Deviance"], tolerance = 1e-10)
  expect_gt(glm_stat - lr, 1)
})

test_that("(d) the Gaussian dispersion's score is zero at RSS / n and its information n / (2 sigma^4)", {
  skip_if_not_installed("numDeriv")
  f1 <- fit(thalach ~ age + exang + oldpeak, heart)
  n <- nrow(heart)
  r <- residuals(lm(thalach ~ age + exang + oldpeak, heart))
  s2 <- sum(r^2) / n
  expect_equal(f1$dispersion, s2, tolerance = 1e-12)
  loglik_sigma2 <- function(v) -n / 2 * log(2 * pi * v) - sum(r^2) / (2 * v)
  # The analytic score, and Richardson-extrapolated derivatives.
  expect_lt(abs(-n / (2 * s2) + sum(r^2) / (2 * s2^2)), 1e-12 * n / s2)
  expect_lt(abs(numDeriv::grad(loglik_sigma2, s2)) * sqrt(2 * s2^2 / n), 1e-8)
  expect_equal(-numDeriv::hessian(loglik_sigma2, s2)[1, 1], n / (2 * s2^2), tolerance = 1e-7)
  expect_equal(-numDeriv::hessian(function(tau) loglik_sigma2(exp(tau)), log(s2))[1, 1], n / 2,
               tolerance = 1e-7)
  # The chapter's second differences: within the truncation error it states.
  h <- 1e-3 * s2
  second <- -(loglik_sigma2(s2 + h) - 2 * loglik_sigma2(s2) + loglik_sigma2(s2 - h)) / h^2
  expect_equal(second, n / (2 * s2^2), tolerance = 1e-5)
  expect_equal((loglik_sigma2(s2 + h) - loglik_sigma2(s2 - h)) / (2 * h), h^2 / 6 * 2 * n / s2^3,
               tolerance = 1e-3)
  # The last diagonal element of optim()'s Hessian in vignette("mleglm").
  X <- cbind(1, heart$age, heart$exang, heart$oldpeak)
  y <- heart$thalach
  neg_loglik <- function(params) {
    n / 2 * log(2 * pi * exp(params[5])) + sum((y - X %*% params[1:4])^2) / (2 * exp(params[5]))
  }
  start <- c(coef(lm(y ~ X[, -1])), log(var(y)))
  opt <- optim(start, neg_loglik, method = "BFGS", hessian = TRUE)
  expect_equal(opt$hessian[5, 5], n / 2, tolerance = 1e-4)
})
