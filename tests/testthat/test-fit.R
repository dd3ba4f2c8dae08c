# fit() (R/fit.R), the formula interface: every family and link fitted on
# simulated data and on the heart data, against glm() run to its tightest
# tolerance and against likelihoods written here from R's density
# functions; the model frame built as glm() builds it (formula, data,
# na.action, factors and contrasts, weights, offset() terms and `offset`),
# its failures classed and named by argument or column (the expectations of
# helper-conditions.R); and the model matrix kept with x = TRUE. The
# tolerances are stated where they are used: coefficients within 1e-6
# relative of glm() for every link (glm's own accuracy), 1e-8 of glm()
# restarted from mleglm's estimate or of glm() on a canonical link; fits of
# the same model written two ways agree to 1e-12 (covariances 1e-10).

# A design and response from heart (303 rows), as in test-errors.R.
X <- cbind("(Intercept)" = 1, age = heart$age)
y <- heart$thalach
n <- nrow(X)
alternate <- function(a, b) rep(c(a, b), length.out = n)
# The 40 simulated rows of test-bad-inputs.R (helper-inputs.R), their
# design, Xd (X in that file), and unit weights.
d <- bad_input_data()
Xd <- cbind("(Intercept)" = 1, x = d$x)
ones <- rep(1, nrow(d))

# ---- every family and link against glm() -------------------------------------------

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

# ---- formula and data ---------------------------------------------------------------

test_that("an unknown column, a non-formula and bad data are input errors", {
  cnd <- expect_mleglm_error(fit(thalach ~ nosuchcol, heart), "mleglm_error_input",
                             c("`formula`", "nosuchcol"))
  expect_mleglm_error(fit("thalach ~ age", heart), "mleglm_error_input", "`formula`")
  expect_mleglm_error(fit(thalach ~ age, data = 1:3), "mleglm_error_input", "`data`")
  expect_mleglm_error(fit_matrix(as.data.frame(X), y), "mleglm_error_input", "`x`")
})

test_that("no coefficient at all is an input error", {
  expect_classed(fit(y ~ 0, d), "mleglm_error_input", "`formula`")
  expect_classed(fit_matrix(Xd[, 0], d$y), "mleglm_error_input", c("`x`", "no columns"))
})

test_that("missing values refused by na.fail name the response or predictor column", {
  expect_classed(fit(y ~ x, transform(d, y = put(y, NA)), na.action = na.fail),
                 "mleglm_error_input", c("`na.action`", "'y'", "row 3"))
  expect_classed(fit(y ~ x, transform(d, y = put(y, NaN)), na.action = na.fail),
                 "mleglm_error_input", c("`na.action`", "'y'"))
  expect_classed(fit(y ~ x, transform(d, x = put(x, NA)), na.action = na.fail),
                 "mleglm_error_input", c("`na.action`", "'x'"))
  expect_classed(fit(y ~ x, transform(d, x = put(x, NaN)), na.action = na.fail),
                 "mleglm_error_input", c("`na.action`", "'x'"))
  expect_classed(fit(y ~ x, d, weights = put(ones, NA), na.action = na.fail),
                 "mleglm_error_input", c("`na.action`", "weights"))
  expect_classed(fit(y ~ x, d, offset = put(ones, NA), na.action = na.fail),
                 "mleglm_error_input", c("`na.action`", "offset"))
})

test_that("a factor with one level is an input error naming the factor", {
  expect_classed(fit(y ~ x + f, transform(d, f = factor("a"))), "mleglm_error_input", "'f'")
  d2 <- transform(d, f = factor(rep(c("a", "b"), length.out = nrow(d))))
  expect_classed(fit(y ~ x + f, d2, subset = f == "a"), "mleglm_error_input", "'f'")
  expect_classed(fit(y ~ x + s, transform(d, s = "same")), "mleglm_error_input", "'s'")
})

test_that("a factor with empty levels is fitted like glm, the empty levels dropped", {
  d2 <- transform(d, f = factor(rep(c("a", "b"), length.out = nrow(d)),
                                levels = c("a", "b", "c")))
  f <- fit(y ~ x + f, d2)
  g <- glm_tight(y ~ x + f, data = d2)
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-8)
})

test_that("contrasts for a non-factor name `contrasts`", {
  expect_classed(fit(y ~ x, d, contrasts = list(x = "contr.sum")), "mleglm_error_input",
                 "`contrasts`")
})

# ---- weights and offsets ------------------------------------------------------------

test_that("bad weights in fit() are input errors naming `weights`", {
  expect_mleglm_error(fit(thalach ~ age, heart, weights = alternate(1, -1)),
                      "mleglm_error_input", c("`weights`", "non-negative"))
  expect_mleglm_error(fit(thalach ~ age, heart, weights = 1:3),
                      "mleglm_error_input", "`weights`")
  expect_mleglm_error(fit(thalach ~ age, heart, weights = rep("a", n)),
                      "mleglm_error_input", "`weights`")
})

test_that("bad offsets in fit() are input errors naming `offset`", {
  expect_mleglm_error(fit(thalach ~ age, heart, offset = 1:3), "mleglm_error_input",
                      "`offset`")
  expect_mleglm_error(fit(thalach ~ age, heart, offset = alternate(0, Inf)),
                      "mleglm_error_input", c("`offset`", "finite"))
})

test_that("offset() in the formula equals the offset argument", {
  a <- fit(num ~ age + sex + offset(log(age)), heart, family = poisson)
  b <- fit(num ~ age + sex, heart, family = poisson, offset = log(age))
  expect_equal(coef(a), coef(b), tolerance = 1e-12)
  expect_equal(fitted(a), fitted(b), tolerance = 1e-12)
  expect_equal(vcov(a), vcov(b), tolerance = 1e-10)
  expect_equal(as.numeric(logLik(a)), as.numeric(logLik(b)), tolerance = 1e-12)
  expect_equal(a$offset, b$offset)
  # Both at once add up, as in glm().
  ab <- fit(num ~ age + sex + offset(log(age)), heart, family = poisson, offset = log(age))
  # (glm() directly: glm_tight() passes `offset` through `...`, which
  # model.frame() cannot evaluate.)
  gab <- glm(num ~ age + sex + offset(log(age)), data = heart, family = poisson,
             offset = log(age), control = glm.control(epsilon = 1e-14, maxit = 200))
  expect_lt(max_rel_diff(coef(ab), coef(gab)), 1e-8)
  expect_equal(ab$offset, 2 * log(heart$age))
  # And fit_matrix()'s offset is the same thing.
  m <- fit_matrix(model.matrix(b), heart$num, family = poisson, offset = log(heart$age))
  expect_equal(unname(coef(m)), unname(coef(b)), tolerance = 1e-12)
})

# ---- what the fit keeps ---------------------------------------------------------------

test_that("x = TRUE stores the model matrix and model.matrix() returns it", {
  f <- fit(thalach ~ age + exang + oldpeak, heart, x = TRUE)
  expect_true(is.matrix(f[["x"]]))
  expect_identical(dim(f[["x"]]), c(303L, 4L))
  expect_identical(model.matrix(f), f[["x"]])
  expect_equal(model.matrix(f), model.matrix(lm(thalach ~ age + exang + oldpeak, heart)))
  expect_null(fit(thalach ~ age + exang + oldpeak, heart)[["x"]])  # $x would match xlevels
})
