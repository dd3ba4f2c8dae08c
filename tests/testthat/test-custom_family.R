# custom_family() against poisson(), the tutorial's Gaussian heart fit,
# optim() and analytic derivatives.
#
# Tolerances: a hand-written Poisson reproduces glm(family = poisson())
# (epsilon 1e-14) to 1e-8 in the coefficients and 1e-6 in the standard
# errors, as the issue asks (in practice 1e-13 and 1e-11 with finite
# differences only). The Gaussian reproduces the tutorial's numbers to the
# digits given (1e-9 relative; standard errors 1e-8). The Student-t fit is
# compared with optim() (BFGS, reltol 1e-15, which stops within about 1e-6 of
# the maximum: 1e-5 relative) and, for the standard errors, with the
# analytic Hessian of the same likelihood (1e-7).

heart_formula <- num ~ age + sex + thalach
pois_glm <- glm_tight(heart_formula, data = heart, family = poisson())
pois_family <- function(...) {
  custom_family("my Poisson", function(y, mu, phi) stats::dpois(y, mu, log = TRUE),
                link = "log", ...)
}

test_that("a user-written Poisson (finite differences only) reproduces poisson()", {
  f <- fit(heart_formula, heart, family = pois_family())
  expect_s3_class(f, c("mleglm_custom", "mleglm_joint", "mleglm"), exact = TRUE)
  expect_true(f$converged)
  expect_lt(max_rel_diff(coef(f), coef(pois_glm)), 1e-8)
  expect_lt(max_rel_diff(sqrt(diag(vcov(f))), sqrt(diag(vcov(pois_glm)))), 1e-6)
  expect_lt(max_rel_diff(as.numeric(logLik(f)), as.numeric(logLik(pois_glm))), 1e-12)
  expect_equal(attr(logLik(f), "df"), 4)
  expect_equal(AIC(f), AIC(pois_glm), tolerance = 1e-12)
  expect_equal(deviance(f), -2 * f$loglik)
  expect_equal(fitted(f), fitted(pois_glm), tolerance = 1e-8)
})

test_that("a user-written Poisson with analytic derivatives reproduces poisson() closer still", {
  fam <- pois_family(dmu = function(y, mu, phi) y / mu - 1,
                     d2mu = function(y, mu, phi) -y / mu^2)
  f <- fit(heart_formula, heart, family = fam)
  expect_lt(max_rel_diff(coef(f), coef(pois_glm)), 1e-10)
  expect_lt(max_rel_diff(sqrt(diag(vcov(f))), sqrt(diag(vcov(pois_glm)))), 1e-8)
  f1 <- fit(heart_formula, heart, family = pois_family(dmu = function(y, mu, phi) y / mu - 1))
  expect_lt(max_rel_diff(sqrt(diag(vcov(f1))), sqrt(diag(vcov(pois_glm)))), 1e-8)
})

test_that("a user-written Gaussian with sigma^2 estimated reproduces the tutorial's heart fit", {
  gauss <- custom_family("Gaussian", function(y, mu, phi) stats::dnorm(y, mu, sqrt(phi), log = TRUE),
                         phi = 100, phi_name = "sigma^2")
  f <- fit(thalach ~ age + exang + oldpeak, heart, family = gauss)
  expect_true(f$converged)
  expect_lt(max_rel_diff(coef(f), c(203.3659561997, -0.8297580606, -14.2541606545,
                                    -3.7805194100)), 1e-9)
  expect_lt(max_rel_diff(f$extra, 362.137281707), 1e-9)
  expect_lt(max_rel_diff(sqrt(diag(vcov(f)))[1:4],
                         c(6.7011500259, 0.1238252336, 2.4357104098, 1.0024284934)), 1e-8)
  expect_lt(max_rel_diff(f$loglik, -1322.57991629), 1e-10)
  expect_equal(attr(logLik(f), "df"), 5)
  expect_identical(names(f$par), c("(Intercept)", "age", "exang", "oldpeak", "log(sigma^2)"))
  # The same as the package's own Gaussian fit.
  g <- fit(thalach ~ age + exang + oldpeak, heart)
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-10)
  expect_lt(max_rel_diff(f$extra, g$dispersion), 1e-9)
})

# Analytic Hessian of the Student-t(4) negative log-likelihood in
# (beta, log sigma): with z = (y - x'beta) / sigma and
# f(z) = 5/2 log(1 + z^2 / 4), f' = 5/4 z / (1 + z^2/4),
# f'' = 5/4 (1 - z^2/4) / (1 + z^2/4)^2.
t4_hessian <- function(par, x, y) {
  p <- ncol(x)
  s <- exp(par[p + 1L])
  z <- drop(y - x %*% par[seq_len(p)]) / s
  f1 <- 1.25 * z / (1 + z^2 / 4)
  f2 <- 1.25 * (1 - z^2 / 4) / (1 + z^2 / 4)^2
  hbb <- crossprod(x, x * f2) / s^2
  hbt <- colSums(x * (f2 * z + f1)) / s
  rbind(cbind(hbb, hbt), c(hbt, sum(f2 * z^2 + f1 * z)))
}

test_that("Student-t regression with 4 df on data with outliers agrees with optim()", {
  d <- outlier_data()
  f <- fit(y ~ x, d, family = t4_family())
  expect_true(f$converged)
  x <- cbind(1, d$x)
  nll <- function(p) -sum(stats::dt((d$y - x %*% p[1:2]) / exp(p[3]), df = 4, log = TRUE) - p[3])
  o <- stats::optim(c(0, 1, 0), nll, method = "BFGS",
                    control = list(reltol = 1e-15, maxit = 1000))
  expect_identical(o$convergence, 0L)
  expect_lt(max_rel_diff(f$par, o$par), 1e-5)
  # mleglm's maximum is at least as high as optim's.
  expect_lte(-f$loglik, o$value + 1e-10)
  expect_equal(-f$loglik, nll(f$par), tolerance = 1e-12)
  # Standard errors: finite differences against the analytic Hessian.
  h <- t4_hessian(f$par, x, d$y)
  expect_lt(max_rel_diff(sqrt(diag(vcov(f))), sqrt(diag(solve(h)))), 1e-7)
  # and against numDeriv on the same likelihood.
  skip_if_not_installed("numDeriv")
  expect_lt(max_rel_diff(sqrt(diag(vcov(f))), sqrt(diag(solve(numDeriv::hessian(nll, f$par))))),
            1e-5)
})

test_that("the t fit resists the outliers that pull the Gaussian fit", {
  d <- outlier_data()
  f_t <- fit(y ~ x, d, family = t4_family())
  f_g <- fit(y ~ x, d)
  expect_lt(abs(coef(f_t)[["x"]] - 2), abs(coef(f_g)[["x"]] - 2))
  expect_lt(abs(coef(f_t)[["(Intercept)"]] - 1), 0.5)
  expect_gt(coef(f_g)[["(Intercept)"]] - 1, 0.5)
})

test_that("given dphi, identity scale, and BFGS reach the same estimate", {
  d <- outlier_data()
  f <- fit(y ~ x, d, family = t4_family())
  # d/dsigma of log dt((y - mu) / sigma, 4) - log(sigma)
  dphi <- function(y, mu, phi) {
    z <- (y - mu) / phi
    (2.5 * z^2 / (1 + z^2 / 4) / 2 - 1) / phi
  }
  g <- fit(y ~ x, d, family = t4_family(dphi = dphi))
  expect_lt(max_rel_diff(g$par, f$par), 1e-9)
  expect_lt(max_rel_diff(sqrt(diag(vcov(g))), sqrt(diag(vcov(f)))), 1e-7)
  h <- fit(y ~ x, d, family = t4_family(phi_scale = "identity"))
  expect_identical(names(h$par), c("(Intercept)", "x", "sigma"))
  expect_lt(max_rel_diff(h$extra, f$extra), 1e-9)
  expect_lt(max_rel_diff(coef(h), coef(f)), 1e-9)
  # SE(sigma) = sigma SE(log sigma), the delta method summary() reports.
  expect_lt(max_rel_diff(sqrt(vcov(h)["sigma", "sigma"]),
                         f$extra * sqrt(vcov(f)["log(sigma)", "log(sigma)"])), 1e-7)
  b <- fit(y ~ x, d, family = t4_family(), method = "bfgs")
  expect_true(b$converged)
  expect_lt(max_rel_diff(b$par, f$par), 1e-8)
})

test_that("a fixed extra parameter is held, not estimated", {
  d <- outlier_data()
  fam <- custom_family("t, df fixed", function(y, mu, phi) stats::dt(y - mu, df = phi, log = TRUE),
                       phi = 4, phi_fixed = TRUE, phi_name = "df")
  f <- fit(y ~ x, d, family = fam)
  expect_identical(names(f$par), c("(Intercept)", "x"))
  expect_equal(attr(logLik(f), "df"), 2)
  expect_equal(f$extra, c(df = 4))
  expect_identical(dim(vcov(f)), c(2L, 2L))
  expect_output(print(summary(f)), "df: 4 (held fixed)", fixed = TRUE)
  # Degrees of freedom as the estimated extra parameter instead of the scale.
  fam_df <- custom_family("t, df estimated", function(y, mu, phi) stats::dt(y - mu, df = phi, log = TRUE),
                          phi = 4, phi_name = "df")
  g <- fit(y ~ x, d, family = fam_df)
  expect_true(g$converged)
  nll <- function(p) -sum(stats::dt(d$y - p[1] - p[2] * d$x, df = exp(p[3]), log = TRUE))
  o <- stats::optim(g$par, nll, method = "BFGS", control = list(reltol = 1e-15))
  expect_lte(-g$loglik, o$value + 1e-10)
})

test_that("the user's functions are called over all rows at once, a bounded number of times", {
  d <- outlier_data()
  lengths <- integer(0)
  fam <- custom_family("t4 counted", function(y, mu, phi) {
    lengths[length(lengths) + 1L] <<- length(mu)
    stats::dt((y - mu) / phi, df = 4, log = TRUE) - log(phi)
  }, phi = 1, phi_name = "sigma")
  f <- fit(y ~ x, d, family = fam)
  expect_true(all(lengths == nrow(d)))
  # 25 calls per evaluation with derivatives, one evaluation per trial step.
  steps <- f$iterations + sum(f$trace$halvings) + 1L
  expect_lte(length(lengths), 25L * (steps + 2L))
})

test_that("rows of zero weight are not passed to the user's functions", {
  d <- outlier_data()
  d$w <- rep(c(1, 0), length.out = nrow(d))
  seen <- integer(0)
  fam <- custom_family("t4", function(y, mu, phi) {
    seen[length(seen) + 1L] <<- length(y)
    stats::dt((y - mu) / phi, df = 4, log = TRUE) - log(phi)
  }, phi = 1, phi_name = "sigma")
  f0 <- fit(y ~ x, d, family = fam, weights = w)
  expect_true(all(seen == sum(d$w > 0)))
  f1 <- fit(y ~ x, d[d$w > 0, ], family = t4_family())
  expect_lt(max_rel_diff(f0$par, f1$par), 1e-10)
  expect_length(fitted(f0), nrow(d))
})

test_that("a log-density that is NaN outside its support makes the solver step back", {
  # Poisson with the identity link: trial steps may give negative means.
  d <- data.frame(x = 1:20, y = c(2, 3, 1, 5, 4, 6, 8, 7, 9, 12, 10, 11, 14, 13, 15, 18, 16, 17, 20, 19))
  fam <- custom_family("Poisson, identity link",
                       function(y, mu, phi) stats::dpois(y, mu, log = TRUE))
  f <- expect_silent(fit(y ~ x, d, family = fam))
  # glm() stops on the deviance, 2e-8 short of the maximum here; the
  # package's own poisson(link = "identity") fit is the closer reference.
  g <- glm_tight(y ~ x, data = d, family = poisson(link = "identity"), start = c(1, 1))
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-6)
  expect_lt(max_rel_diff(coef(f), coef(fit(y ~ x, d, family = poisson(link = "identity")))), 1e-9)
})

# ---- misbehaving functions --------------------------------------------------

d_small <- data.frame(x = 1:20, y = sin(1:20) + (1:20) / 4)

expect_user_error <- function(family, what, regexp) {
  cnd <- expect_error(fit(y ~ x, d_small, family = family), class = "mleglm_error_user_function")
  msg <- conditionMessage(cnd)
  expect_match(msg, sprintf("`%s` of custom family \"bad\"", what), fixed = TRUE)
  expect_match(msg, "at the parameter values (Intercept) = ", fixed = TRUE)
  expect_match(msg, regexp)
  expect_null(conditionCall(cnd))
  invisible(cnd)
}

norm_ll <- function(y, mu, phi) stats::dnorm(y, mu, log = TRUE)

test_that("bad user functions give classed errors naming the function and the parameters", {
  expect_user_error(custom_family("bad", function(y, mu, phi) norm_ll(y, mu)[-1]), "loglik",
                    "returned 19 values for 20 observations")
  expect_user_error(custom_family("bad", function(y, mu, phi) stop("no such thing")), "loglik",
                    "raised an error \\(no such thing\\)")
  expect_user_error(custom_family("bad", function(y, mu, phi) rep("a", length(y))), "loglik",
                    "returned character, not a numeric vector")
  cnd <- expect_user_error(custom_family("bad", function(y, mu, phi) ifelse(y > 3, NaN, norm_ll(y, mu))),
                           "loglik", "non-finite values in 8 rows")
  expect_match(conditionMessage(cnd), "starting values")
  expect_user_error(custom_family("bad", norm_ll, dmu = function(y, mu, phi) rep(NA_real_, length(y))),
                    "dmu", "non-finite values")
  expect_user_error(custom_family("bad", norm_ll, dmu = function(y, mu, phi) (y - mu)[1:3]),
                    "dmu", "returned 3 values")
  cnd <- expect_user_error(
    custom_family("bad", function(y, mu, phi) stats::dnorm(y, mu, phi, log = TRUE), phi = 2,
                  dphi = function(y, mu, phi) stop("not written yet")),
    "dphi", "not written yet")
  expect_match(conditionMessage(cnd), "log(phi) = 0.6931472", fixed = TRUE)
  # Warnings inside the user's function are muffled, not passed on.
  fam <- custom_family("noisy", function(y, mu, phi) {
    warning("a probe outside the support")
    norm_ll(y, mu)
  })
  expect_silent(fit(y ~ x, d_small, family = fam))
})

test_that("invalid custom_family() arguments and unsupported requests give classed errors", {
  expect_error(custom_family(1, norm_ll), class = "mleglm_error_family")
  expect_error(custom_family("x", "dnorm"), class = "mleglm_error_family")
  expect_error(custom_family("x", function(y, mu) 1), class = "mleglm_error_family")
  expect_error(custom_family("x", norm_ll, link = "foo"), class = "mleglm_error_family")
  expect_error(custom_family("x", norm_ll, phi = -1), class = "mleglm_error_family")
  expect_error(custom_family("x", norm_ll, phi = c(1, 2)), class = "mleglm_error_family")
  expect_error(custom_family("x", norm_ll, d2mu = norm_ll), class = "mleglm_error_family")
  expect_error(custom_family("x", norm_ll, dphi = norm_ll), class = "mleglm_error_family")
  expect_error(custom_family("x", norm_ll, phi_scale = "sqrt"), class = "mleglm_error_input")
  f <- fit(y ~ x, d_small, family = custom_family("x", norm_ll))
  expect_error(fit(y ~ x, d_small, family = custom_family("x", norm_ll), method = "fisher"),
               class = "mleglm_error_input")
  expect_error(vcov(f, type = "expected"), class = "mleglm_error_input")
  expect_error(residuals(f, type = "deviance"), class = "mleglm_error_input")
  expect_equal(residuals(f), d_small$y - fitted(f), ignore_attr = TRUE)
  expect_equal(residuals(f, type = "working"), residuals(f), ignore_attr = TRUE)
  expect_error(fit(cbind(y, y) ~ x, d_small, family = custom_family("x", norm_ll)),
               class = "mleglm_error_input")
  above_one <- function(y, mu, phi) ifelse(mu > 1, norm_ll(y, mu), NaN)
  expect_error(fit(y ~ x, d_small, family = custom_family("x", above_one, link = "log"),
                   start = c(-1, -1)), class = "mleglm_error_user_function")
  expect_error(fit(y ~ x, d_small, family = custom_family("x", norm_ll, link = "sqrt"),
                   start = c(-10, 0)), class = "mleglm_error_start")
})
