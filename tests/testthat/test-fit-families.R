# Every family and link fitted on simulated data and on the heart data,
# against glm() run to its tightest tolerance and against likelihoods written
# here from R's density functions.

# The true maximised Gamma log-likelihood at means mu: the shape maximised
# numerically with dgamma(). (logLik(glm) evaluates the Gamma density at the
# dispersion deviance / n, which is not the ML value.)
gamma_max_loglik <- function(y, mu, w) {
  f <- function(log_nu) {
    nu <- exp(log_nu)
    sum(w * stats::dgamma(y, shape = nu, scale = mu / nu, log = TRUE))
  }
  stats::optimize(f, c(-15, 20), maximum = TRUE, tol = 1e-12)$objective
}

# All the checks of one fit against glm(): `g` is the tight glm() fit from
# glm's own start, `g_restart` glm() restarted from mleglm's estimate.
check_against_glm <- function(f, g, g_restart, distribution, link, what) {
  expect_true(f$converged, label = paste(what, "converged"))
  expect_true(g$converged && g_restart$converged, label = paste(what, "glm converged"))
  expect_length(f$warnings, 0)

  # (a) Coefficients within 1e-6 relative of glm(): glm's estimate is itself
  # only accurate to about 1e-7 standard errors for non-canonical links.
  expect_lt(rel_diff(coef(f), coef(g)), 1e-6, label = paste(what, "coef vs glm"))
  # (b) Within 1e-8 relative of glm() restarted from mleglm's estimate: glm's
  # fixed-point check, it does not move away from the maximum.
  expect_lt(rel_diff(coef(f), coef(g_restart)), 1e-8, label = paste(what, "coef vs glm restart"))

  # Log-likelihood: logLik(glm) is the maximum for every family but the Gamma,
  # relative tolerance 1e-8.
  y <- f$y
  w <- f$prior.weights
  if (distribution == "Gamma") {
    best <- gamma_max_loglik(y, fitted(g_restart), w)
    expect_lt(abs(f$loglik - best) / abs(best), 1e-8, label = paste(what, "Gamma ML loglik"))
    expect_gte(f$loglik, as.numeric(logLik(g)))
  } else {
    expect_lt(abs(f$loglik - as.numeric(logLik(g_restart))) / abs(as.numeric(logLik(g_restart))),
              1e-8, label = paste(what, "loglik vs logLik(glm)"))
  }
  expect_equal(attr(logLik(f), "df"), attr(logLik(g), "df"))
  # The log-likelihood written here from dnorm/dbinom/dpois/dgamma/the inverse
  # Gaussian density at mleglm's estimate and dispersion: relative 1e-10.
  x <- model.matrix(f)
  ll_r <- loglik_beta(coef(f), x, y, w, f$offset, distribution, link, f$dispersion)
  expect_lt(abs(f$loglik - ll_r) / abs(ll_r), 1e-10, label = paste(what, "loglik vs R densities"))

  # Dispersion: the ML value from R's own functions at glm's means (relative
  # 1e-10) and glm's Pearson estimate (relative 1e-6, glm's weights lag).
  phi_r <- ml_dispersion_closed(y, fitted(g_restart), w, distribution)
  expect_lt(abs(f$dispersion - phi_r) / phi_r, 1e-10, label = paste(what, "ML dispersion"))
  expect_lt(abs(f$dispersion_pearson - summary(g)$dispersion) / summary(g)$dispersion, 1e-6,
            label = paste(what, "Pearson dispersion"))

  # Standard errors as glm() reports them (expected information, Pearson
  # dispersion): relative 1e-6, as glm's come from the previous iteration.
  se_glm_type <- sqrt(diag(vcov(f, "expected"))) * sqrt(f$dispersion_pearson / f$dispersion)
  expect_lt(rel_diff(se_glm_type, sqrt(diag(vcov(g)))), 1e-6, label = paste(what, "SE vs glm"))
  expect_lt(rel_diff(sqrt(diag(vcov(f, "glm"))), sqrt(diag(vcov(g)))), 1e-6,
            label = paste(what, "vcov(type = 'glm')"))

  # vcov(f) (observed) against the inverse of minus numDeriv's Hessian of the
  # R-written log-likelihood at the estimate, dispersion held at f$dispersion:
  # 1e-6 relative to sqrt(v_ii v_jj) (variances relative, covariances on the
  # correlation scale). Steps are taken in standard-error units.
  if (requireNamespace("numDeriv", quietly = TRUE)) {
    se <- sqrt(diag(vcov(f)))
    h <- num_hessian_scaled(loglik_beta, coef(f), se, mm = x, y = y, w = w, offset = f$offset,
                            distribution = distribution, link = link, phi = f$dispersion)
    expect_lt(cov_rel_diff(vcov(f), solve(-h)), 1e-6, label = paste(what, "vcov vs numDeriv"))
    expect_lt(cov_rel_diff(f$information$observed, -h), 1e-6,
              label = paste(what, "observed information vs numDeriv"))
  }
}

fit_both <- function(formula, data, distribution, link, start = NULL) {
  fam <- make_family(distribution, link)
  f <- NULL
  expect_warning(f <- fit(formula, data, family = fam, start = start), NA)
  # glm's own warnings (step size truncated while it searches) are not
  # mleglm's; its convergence is checked in check_against_glm().
  g <- suppressWarnings(glm_tight(formula, data = data, family = fam, start = start))
  g_restart <- suppressWarnings(glm_tight(formula, data = data, family = fam, start = coef(f)))
  list(f = f, g = g, g_restart = g_restart)
}

test_that("every family and link matches glm() on simulated data", {
  skip_if_not_installed("numDeriv")
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      dat <- simulate_glm(distribution, link, n = 400, seed = 11)
      fits <- fit_both(y ~ x1 + x2, dat, distribution, link)
      check_against_glm(fits$f, fits$g, fits$g_restart, distribution, link,
                        paste("simulated", distribution, link))
    }
  }
})

heart_cases <- list(
  list("gaussian", "identity", thalach ~ age + exang + oldpeak),
  list("gaussian", "log", thalach ~ age + exang + oldpeak),
  list("gaussian", "inverse", thalach ~ age + exang + oldpeak),
  list("binomial", "logit", disease ~ age + sex + thalach),
  list("binomial", "probit", disease ~ age + sex + thalach),
  list("binomial", "cauchit", disease ~ age + sex + thalach),
  list("binomial", "cloglog", disease ~ age + sex + thalach),
  # The log link needs fitted probabilities below 1: binary covariates only,
  # and a start inside the parameter space (glm() needs one as well).
  list("binomial", "log", disease ~ sex + exang, c(log(0.3), 0.1, 0.1)),
  list("poisson", "log", num ~ age + sex + exang),
  list("poisson", "identity", num ~ sex + exang, c(1, 0, 0)),
  list("poisson", "sqrt", num ~ age + sex + exang),
  list("Gamma", "inverse", chol ~ age + sex),
  list("Gamma", "identity", chol ~ age + sex),
  list("Gamma", "log", chol ~ age + sex),
  list("inverse.gaussian", "1/mu^2", chol ~ age + sex),
  list("inverse.gaussian", "inverse", chol ~ age + sex),
  list("inverse.gaussian", "identity", chol ~ age + sex),
  list("inverse.gaussian", "log", chol ~ age + sex)
)

test_that("every family and link matches glm() on the heart data", {
  skip_if_not_installed("numDeriv")
  h <- heart
  h$disease <- as.numeric(h$num > 0)
  for (case in heart_cases) {
    distribution <- case[[1]]
    link <- case[[2]]
    start <- if (length(case) > 3) case[[4]]
    fits <- fit_both(case[[3]], h, distribution, link, start = start)
    check_against_glm(fits$f, fits$g, fits$g_restart, distribution, link,
                      paste("heart", distribution, link))
  }
})

test_that("fit_matrix() with weights and an offset matches glm()", {
  skip_if_not_installed("numDeriv")
  cases <- list(c("gaussian", "log"), c("poisson", "log"), c("Gamma", "log"),
                c("inverse.gaussian", "log"), c("binomial", "cloglog"))
  for (case in cases) {
    distribution <- case[1]
    link <- case[2]
    dat <- simulate_glm(distribution, link, n = 300, seed = 5)
    set.seed(6)
    off <- stats::runif(300, -0.2, 0.2)
    w <- if (distribution == "binomial") rep(1, 300) else stats::runif(300, 0.5, 2)
    x <- cbind("(Intercept)" = 1, x1 = dat$x1, x2 = dat$x2)
    fam <- make_family(distribution, link)
    f <- fit_matrix(x, dat$y, family = fam, weights = w, offset = off)
    g <- glm_tight(dat$y ~ x - 1, family = fam, weights = w, offset = off)
    g_restart <- glm_tight(dat$y ~ x - 1, family = fam, weights = w, offset = off,
                           start = unname(coef(f)))
    what <- paste("fit_matrix", distribution, link)
    expect_lt(rel_diff(coef(f), coef(g)), 1e-6, label = paste(what, "coef vs glm"))
    expect_lt(rel_diff(coef(f), coef(g_restart)), 1e-8, label = paste(what, "coef vs glm restart"))
    ll_r <- loglik_beta(coef(f), x, dat$y, w, off, distribution, link, f$dispersion)
    expect_lt(abs(f$loglik - ll_r) / abs(ll_r), 1e-10, label = paste(what, "loglik vs R densities"))
    if (distribution != "Gamma") {
      expect_lt(abs(f$loglik - as.numeric(logLik(g))) / abs(as.numeric(logLik(g))), 1e-8,
                label = paste(what, "loglik vs glm"))
    }
  }
})
