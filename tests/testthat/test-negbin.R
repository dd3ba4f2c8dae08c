# negbin() against MASS::glm.nb(), R-written likelihoods and numDeriv.
#
# Tolerances: the issue asks for coefficients and theta within 1e-6 relative
# of glm.nb; both maximise the same likelihood, so with glm.nb run to a tight
# epsilon they agree to about 1e-10 and the tests ask for 1e-8 (1e-7 on
# simulated data, where glm.nb's theta.ml stops on a step of 1.2e-4 and its
# last Newton step leaves an error of about that squared). Log-likelihoods
# and AICs 1e-10 relative; residuals 1e-6 absolute (glm.nb's final IRLS
# weights lag one iteration); standard errors from the expected information
# against vcov(glm.nb) 1e-6; derivatives against numDeriv 1e-6 (numDeriv's
# Richardson extrapolation is itself good to about 1e-8 here).

skip_if_not_installed("MASS")

quine <- MASS::quine
quine_formula <- Days ~ Eth + Sex + Age + Lrn
tight <- stats::glm.control(epsilon = 1e-14, maxit = 200)

# glm.nb() to a tight epsilon; the call is rebuilt (as glm_tight() does) so
# that weights and offsets are evaluated in `data`.
glm_nb_tight <- function(...) {
  call <- match.call()
  call[[1L]] <- quote(MASS::glm.nb)
  call$control <- tight
  suppressWarnings(eval(call, parent.frame()))
}

# The NB2 log-likelihood written in R, over (beta, log theta).
nb_loglik <- function(par, x, y, w = rep(1, length(y)), offset = 0, linkinv = exp) {
  p <- ncol(x)
  theta <- exp(par[p + 1L])
  mu <- linkinv(drop(x %*% par[seq_len(p)]) + offset)
  sum(w * stats::dnbinom(y, size = theta, mu = mu, log = TRUE))
}

f_quine <- fit(quine_formula, quine, family = negbin())
m_quine <- glm_nb_tight(quine_formula, data = quine)

test_that("quine: coefficients and theta agree with MASS::glm.nb", {
  expect_s3_class(f_quine, c("mleglm_negbin", "mleglm_joint", "mleglm"), exact = TRUE)
  expect_true(f_quine$converged)
  expect_identical(names(coef(f_quine)), names(coef(m_quine)))
  expect_lt(max_rel_diff(coef(f_quine), coef(m_quine)), 1e-8)
  expect_lt(max_rel_diff(f_quine$theta, m_quine$theta), 1e-8)
  expect_equal(unname(f_quine$extra), f_quine$theta)
  expect_equal(unname(f_quine$par["log(theta)"]), log(f_quine$theta))
})

test_that("quine: logLik counts theta in df, as glm.nb does; AIC, BIC, deviance agree", {
  lf <- logLik(f_quine)
  lm <- logLik(m_quine)
  expect_lt(max_rel_diff(as.numeric(lf), as.numeric(lm)), 1e-10)
  expect_equal(attr(lf, "df"), attr(lm, "df"))
  expect_equal(attr(lf, "df"), 8)
  expect_equal(attr(lf, "nobs"), 146)
  expect_lt(max_rel_diff(AIC(f_quine), AIC(m_quine)), 1e-10)
  expect_lt(max_rel_diff(BIC(f_quine), BIC(m_quine)), 1e-10)
  expect_lt(max_rel_diff(deviance(f_quine), deviance(m_quine)), 1e-8)
  expect_equal(df.residual(f_quine), df.residual(m_quine))
  expect_equal(nobs(f_quine), nobs(m_quine))
})

test_that("quine: the log-likelihood is the R-written NB2 likelihood at the estimate", {
  x <- model.matrix(f_quine)
  expect_lt(max_rel_diff(f_quine$loglik, nb_loglik(f_quine$par, x, quine$Days)), 1e-12)
})

test_that("quine: residuals of all four types and fitted values match glm.nb", {
  for (type in c("deviance", "pearson", "working", "response")) {
    expect_equal(residuals(f_quine, type = type), residuals(m_quine, type = type),
                 tolerance = 1e-6)
  }
  expect_equal(fitted(f_quine), fitted(m_quine), tolerance = 1e-6)
})

test_that("quine: expected-information SEs of the coefficients equal vcov(glm.nb)", {
  # beta and theta are orthogonal in the expected information, so its beta
  # block is glm.nb's X'WX inverse.
  v <- vcov(f_quine, type = "expected")
  expect_identical(rownames(v), c(names(coef(m_quine)), "log(theta)"))
  expect_lt(max_rel_diff(v[1:7, 1:7], vcov(m_quine)), 1e-6)
  expect_equal(unname(f_quine$information$expected[1:7, 8]), rep(0, 7))
})

test_that("quine: observed information and score agree with numDeriv on the R likelihood", {
  skip_if_not_installed("numDeriv")
  x <- model.matrix(f_quine)
  ll <- function(par) nb_loglik(par, x, quine$Days)
  h <- -numDeriv::hessian(ll, f_quine$par)
  info <- f_quine$information$observed
  expect_lt(max(abs(info - h)) / max(abs(h)), 1e-6)
  g <- numDeriv::grad(ll, f_quine$par)
  expect_lt(max(abs(g)), 1e-6)
  expect_lt(max(abs(f_quine$score)), 1e-8)
  # theta's SE is the delta method from log(theta), with the covariance with
  # beta included; glm.nb's ignores it and is slightly smaller.
  se_log_theta <- sqrt(solve(h)[8, 8])
  expect_lt(max_rel_diff(f_quine$SE.theta, f_quine$theta * se_log_theta), 1e-6)
  expect_lt(max_rel_diff(f_quine$SE.theta, m_quine$SE.theta), 1e-3)
})

test_that("the expected information for log(theta) is the sum over the NB distribution", {
  th <- f_quine$theta
  brute <- sum(vapply(fitted(f_quine), function(m) {
    y <- 0:5000
    p <- stats::dnbinom(y, size = th, mu = m)
    sum(p * -(trigamma(y + th) - trigamma(th) + 1 / th - 2 / (m + th) + (y + th) / (m + th)^2))
  }, 0))
  expect_lt(max_rel_diff(f_quine$information$expected["log(theta)", "log(theta)"], th^2 * brute),
            1e-8)
})

test_that("large counts: the expected information stays finite and Fisher scoring converges", {
  # Means near 1e3 with theta below 1 need more terms of the series than the
  # core sums (5e4); those rows use the observed information instead.
  set.seed(104)
  d <- data.frame(x = rnorm(200))
  d$y <- stats::rnbinom(200, size = 0.8, mu = exp(7 + d$x))
  f <- fit(y ~ x, d, family = negbin())
  g <- fit(y ~ x, d, family = negbin(), method = "fisher")
  expect_true(g$converged)
  expect_lt(max_rel_diff(g$par, f$par), 1e-8)
  expect_true(all(is.finite(vcov(f, type = "expected"))))
  m <- glm_nb_tight(y ~ x, data = d)
  expect_lt(max_rel_diff(coef(f), coef(m)), 1e-7)
  expect_lt(max_rel_diff(f$theta, m$theta), 1e-7)
})

test_that("Fisher scoring and BFGS reach the Newton estimate", {
  for (method in c("fisher", "bfgs")) {
    g <- fit(quine_formula, quine, family = negbin(), method = method)
    expect_true(g$converged)
    expect_lt(max_rel_diff(coef(g), coef(f_quine)), 1e-8)
    expect_lt(max_rel_diff(g$theta, f_quine$theta), 1e-8)
  }
})

test_that("simulated data with weights, an offset and a factor: log link agrees with glm.nb", {
  set.seed(101)
  n <- 400
  d <- data.frame(x1 = rnorm(n), x2 = runif(n), g = factor(sample(c("a", "b", "c"), n, TRUE)),
                  w = sample(1:3, n, TRUE), off = log(runif(n, 0.5, 2)))
  d$y <- stats::rnbinom(n, size = 2.5, mu = exp(1 + 0.5 * d$x1 - d$x2 + 0.3 * (d$g == "b") + d$off))
  f <- fit(y ~ x1 + x2 + g + offset(off), d, family = negbin(), weights = w)
  m <- glm_nb_tight(y ~ x1 + x2 + g + offset(off), data = d, weights = w)
  expect_lt(max_rel_diff(coef(f), coef(m)), 1e-7)
  expect_lt(max_rel_diff(f$theta, m$theta), 1e-7)
  expect_lt(max_rel_diff(as.numeric(logLik(f)), as.numeric(logLik(m))), 1e-10)
  expect_lt(abs(f$theta - 2.5) / 2.5, 0.3)
})

test_that("simulated data: sqrt and identity links agree with glm.nb", {
  set.seed(102)
  n <- 400
  d <- data.frame(x = runif(n), g = factor(sample(c("a", "b", "c"), n, TRUE)))
  d$y_sqrt <- stats::rnbinom(n, size = 4, mu = (2 + d$x + 0.5 * (d$g == "c"))^2)
  d$y_id <- stats::rnbinom(n, size = 3, mu = 5 + 3 * d$x + 2 * (d$g == "c"))
  f <- fit(y_sqrt ~ x + g, d, family = negbin("sqrt"))
  m <- glm_nb_tight(y_sqrt ~ x + g, data = d, link = sqrt)
  expect_lt(max_rel_diff(coef(f), coef(m)), 1e-7)
  expect_lt(max_rel_diff(f$theta, m$theta), 1e-7)
  f <- fit(y_id ~ x + g, d, family = negbin(link = identity))
  m <- glm_nb_tight(y_id ~ x + g, data = d, link = identity)
  expect_lt(max_rel_diff(coef(f), coef(m)), 1e-7)
  expect_lt(max_rel_diff(f$theta, m$theta), 1e-7)
  expect_identical(family(f)$link, "identity")
})

test_that("quine with the identity link agrees with glm.nb started nearby", {
  f <- fit(quine_formula, quine, family = negbin("identity"))
  m <- glm_nb_tight(quine_formula, data = quine, link = identity, start = coef(f) * 1.01,
                    init.theta = 1)
  expect_lt(max_rel_diff(coef(f), coef(m)), 1e-8)
  expect_lt(max_rel_diff(f$theta, m$theta), 1e-8)
})

test_that("lr_test_poisson() is the boundary-corrected likelihood-ratio test", {
  lr <- lr_test_poisson(f_quine)
  expect_s3_class(lr, "htest")
  pois <- glm_tight(quine_formula, data = quine, family = poisson())
  stat <- 2 * (as.numeric(logLik(m_quine)) - as.numeric(logLik(pois)))
  expect_lt(max_rel_diff(lr$statistic, stat), 1e-9)
  expect_equal(unname(lr$parameter), 1)
  expect_equal(lr$p.value, 0.5 * stats::pchisq(unname(lr$statistic), 1, lower.tail = FALSE))
  expect_equal(lr$p.value_naive, 2 * lr$p.value)
  expect_equal(unname(lr$loglik["poisson"]), as.numeric(logLik(pois)), tolerance = 1e-10)
  expect_output(print(lr), "boundary")
  expect_error(lr_test_poisson(fit(Days ~ Eth, quine, family = poisson())),
               class = "mleglm_error_input")
})

test_that("underdispersed counts: theta runs off to infinity with a boundary warning, p = 1/2", {
  set.seed(103)
  d <- data.frame(x = rnorm(300))
  d$y <- stats::rbinom(300, 10, stats::plogis(0.3 * d$x))
  w <- collect_conditions(fit(y ~ x, d, family = negbin()))
  expect_true(any(vapply(w$warnings, inherits, TRUE, "mleglm_warning_boundary")))
  f <- w$value
  expect_gt(f$theta, 1e6)
  expect_equal(lr_test_poisson(f)$p.value, 0.5, tolerance = 1e-4)
  # The coefficients are those of the Poisson fit.
  expect_lt(max_rel_diff(coef(f), coef(glm_tight(y ~ x, data = d, family = poisson()))), 1e-6)
})

test_that("zero weights drop rows, and fit_matrix() takes the family too", {
  d <- quine
  d$w <- rep(c(1, 0), length.out = nrow(d))
  f0 <- fit(quine_formula, d, family = negbin(), weights = w)
  f1 <- fit(quine_formula, d[d$w > 0, ], family = negbin())
  expect_lt(max_rel_diff(coef(f0), coef(f1)), 1e-10)
  expect_lt(max_rel_diff(f0$theta, f1$theta), 1e-10)
  expect_equal(nobs(f0), nobs(f1))
  fm <- fit_matrix(model.matrix(f_quine), quine$Days, family = negbin)
  expect_lt(max_rel_diff(coef(fm), coef(f_quine)), 1e-12)
})

test_that("aliased columns are NA with a warning, as for other families", {
  d <- quine
  d$Eth2 <- as.numeric(d$Eth == "N")
  expect_warning(f <- fit(Days ~ Eth + Eth2 + Age, d, family = negbin()),
                 class = "mleglm_warning_rank_deficient")
  expect_true(is.na(coef(f)["Eth2"]))
  expect_true(all(is.na(vcov(f)["Eth2", ])))
  expect_identical(dim(vcov(f, complete = FALSE)), c(6L, 6L))  # 5 coefficients, log(theta)
})

test_that("the fitted family is a complete stats family: glm() at fixed theta agrees", {
  fam <- family(f_quine)
  expect_s3_class(fam, "family")
  expect_equal(fam$theta, f_quine$theta)
  # glm() stops on the relative change of the deviance, about 3e-8 short of
  # the maximum here (as with MASS::negative.binomial(theta)).
  g <- glm_tight(quine_formula, data = quine, family = fam)
  expect_lt(max_rel_diff(coef(g), coef(f_quine)), 1e-6)
})

test_that("bad input to negbin gives classed errors", {
  expect_error(negbin("logit"), class = "mleglm_error_family")
  expect_error(fit(quine_formula, quine, family = negbin(link = "probit")),
               class = "mleglm_error_family")
  d <- quine
  d$Days[3] <- -1
  expect_error(fit(quine_formula, d, family = negbin()), class = "mleglm_error_domain")
  d$Days[3] <- 2.5
  expect_warning(fit(quine_formula, d, family = negbin()), class = "mleglm_warning_domain")
  expect_error(fit(Eth ~ Sex, quine, family = negbin()), class = "mleglm_error_input")
  expect_error(fit(quine_formula, quine, family = negbin(), start = 1:3),
               class = "mleglm_error_start")
})

test_that("summary() and print() show theta with its standard error", {
  s <- summary(f_quine)
  expect_s3_class(s, "summary.mleglm_joint")
  expect_identical(rownames(s$coefficients), names(coef(f_quine)))
  expect_equal(unname(s$coefficients[, "Std. Error"]), unname(sqrt(diag(vcov(f_quine)))[1:7]))
  expect_output(print(s), "theta: 1.2749, Std. Error 0.16105", fixed = TRUE)
  expect_output(print(s), "delta method from log(theta)", fixed = TRUE)
  expect_output(print(s), "Against the Poisson model")
  expect_output(print(f_quine), "negative binomial (NB2) family, log link", fixed = TRUE)
  expect_output(print(f_quine), "theta: 1.2749, Std. Error 0.16105", fixed = TRUE)
  expect_output(print(summary(f_quine, vcov = "expected")), "expected information")
})
