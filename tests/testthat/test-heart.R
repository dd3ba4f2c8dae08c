# The tutorial "Going Further: Log-Likelihood & Maximum Likelihood Estimation"
# reproduced on the shipped Cleveland heart data, with reference values
# computed with R 4.2.2.

heart_names <- c("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
                 "thalach", "exang", "oldpeak", "slope", "ca", "thal", "num")

# The tutorial's negative log-likelihood, verbatim: beta and log(sigma^2).
tutorial_neg_loglik <- function(params, X, y) {
  p <- ncol(X)
  beta <- params[1:p]
  sigma2 <- exp(params[p + 1])
  mu <- X %*% beta
  resid <- y - mu
  n <- length(y)
  (n / 2) * log(2 * pi * sigma2) + sum(resid^2) / (2 * sigma2)
}

heart_fit <- function() fit(thalach ~ age + exang + oldpeak, heart)

# ---- the data ---------------------------------------------------------------

test_that("heart has 303 rows, the 14 named columns and the documented NAs", {
  expect_s3_class(heart, "data.frame")
  expect_identical(dim(heart), c(303L, 14L))
  expect_identical(names(heart), heart_names)
  na_counts <- colSums(is.na(heart))
  expect_identical(unname(na_counts[c("ca", "thal")]), c(4, 2))
  expect_identical(sum(na_counts), 6)
  expect_true(all(vapply(heart, is.numeric, TRUE)))
})

test_that("heart is exactly the shipped raw file read with '?' as NA", {
  path <- system.file("extdata", "heart.csv", package = "mleglm")
  expect_true(nzchar(path))
  raw <- utils::read.csv(path, header = FALSE, na.strings = "?")
  names(raw) <- heart_names
  expect_identical(heart, raw)
})

# ---- the tutorial's numbers -----------------------------------------------

test_that("the tutorial's coefficients, sigma^2 and log-likelihood are reproduced", {
  f <- heart_fit()
  expect_s3_class(f, "mleglm")
  expect_true(f$converged)
  expect_identical(names(coef(f)), c("(Intercept)", "age", "exang", "oldpeak"))
  expect_identical(nobs(f), 303L)

  # Coefficients to 1e-9 relative (the reference has 10-11 significant digits).
  expect_lt(max_rel_diff(coef(f), c(203.3659561997, -0.8297580606, -14.2541606545,
                                    -3.7805194100)), 1e-9)
  # sigma^2 by maximum likelihood, RSS / n (not glm's RSS / (n - p)).
  expect_lt(max_rel_diff(f$dispersion, 362.137281707), 1e-9)
  expect_lt(max_rel_diff(f$dispersion, sum(residuals(f, type = "response")^2) / 303), 1e-12)
  # Log-likelihood at the MLE, to 1e-10 relative (12 digits given).
  ll <- logLik(f)
  expect_lt(max_rel_diff(as.numeric(ll), -1322.57991629), 1e-10)
  expect_equal(attr(ll, "df"), 5)        # 4 coefficients + sigma^2
  expect_equal(attr(ll, "nobs"), 303)
  # AIC = -2 logLik + 2 (p + 1), glm's convention (sigma counted).
  expect_equal(AIC(f), 2655.16, tolerance = 1e-6)
  expect_equal(AIC(f), -2 * as.numeric(ll) + 2 * 5, tolerance = 1e-12)
})

test_that("standard errors come from the observed information at the MLE", {
  f <- heart_fit()
  se <- sqrt(diag(vcov(f)))
  # 1e-8 relative: the reference values have 10-11 significant digits.
  expect_lt(max_rel_diff(se, c(6.7011500259, 0.1238252336, 2.4357104098, 1.0024284934)), 1e-8)
  # For the Gaussian identity model the observed information is X'X / sigma^2.
  X <- model.matrix(f)
  expect_lt(max_rel_diff(vcov(f), solve(crossprod(X)) * f$dispersion), 1e-9)
  expect_identical(dimnames(vcov(f)), list(names(coef(f)), names(coef(f))))
})

test_that("vcov(type = 'glm') gives glm's standard errors, larger by exactly sqrt(n / (n - p))", {
  f <- heart_fit()
  se_ml <- sqrt(diag(vcov(f)))
  se_glm <- sqrt(diag(vcov(f, type = "glm")))
  # The README's values, to the 4 decimals it gives.
  expect_equal(round(unname(se_glm), 4), c(6.7458, 0.1247, 2.4519, 1.0091))
  # glm() estimates the dispersion as RSS / (n - p) = 366.9819 (the unbiased
  # estimator, dividing by the residual degrees of freedom), whereas the ML
  # estimate is RSS / n. Both covariance matrices are (X'X)^-1 times the
  # dispersion, so the SEs differ by exactly sqrt(n / (n - p)) = sqrt(303 / 299)
  # (about 1.00667), in every coefficient; 1e-12 relative (rounding only).
  ratio <- se_glm / se_ml
  expect_lt(max_rel_diff(ratio, rep(sqrt(303 / 299), 4)), 1e-12)
  expect_lt(max_rel_diff(f$dispersion_pearson, 366.9819), 1e-7)
  expect_lt(max_rel_diff(f$dispersion_pearson / f$dispersion, 303 / 299), 1e-12)
})

test_that("the fit agrees with glm(): coefficients, SEs, logLik and AIC", {
  f <- heart_fit()
  g <- glm_tight(thalach ~ age + exang + oldpeak, data = heart, family = gaussian())
  # Coefficients: both solve the same normal equations; 1e-10 relative.
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-10)
  # glm's SEs use the expected information at the previous iterate; for the
  # Gaussian identity model weights do not change, so they agree to 1e-8.
  expect_lt(max_rel_diff(sqrt(diag(vcov(f, type = "glm"))), sqrt(diag(vcov(g)))), 1e-8)
  # logLik(glm) for the Gaussian is evaluated at sigma^2 = RSS / n: the same maximum.
  expect_lt(max_rel_diff(unclass(logLik(f)), unclass(logLik(g))), 1e-10)
  expect_equal(attr(logLik(f), "df"), attr(logLik(g), "df"))
  expect_equal(attr(logLik(f), "nobs"), attr(logLik(g), "nobs"))
  expect_equal(AIC(f), AIC(g), tolerance = 1e-10)
  expect_equal(BIC(f), BIC(g), tolerance = 1e-10)
  expect_lt(max_rel_diff(f$dispersion_pearson, summary(g)$dispersion), 1e-10)
})

test_that("the fit agrees with the tutorial's optim(method = 'BFGS', hessian = TRUE)", {
  f <- heart_fit()
  X <- cbind(1, heart$age, heart$exang, heart$oldpeak)
  y <- heart$thalach
  beta_init <- coef(lm(y ~ X[, 2:4]))
  params_init <- c(beta_init, log(var(y)))
  result <- optim(par = params_init, fn = tutorial_neg_loglik, X = X, y = y,
                  method = "BFGS", hessian = TRUE)
  expect_identical(result$convergence, 0L)
  # optim's BFGS stops on its relative tolerance reltol = 1e-8 on the
  # objective, so its coefficients are good to about 1e-4 relative at best
  # in general (here it starts at the OLS solution and does better); we ask
  # for 1e-4 relative, as the optimiser's tolerance allows.
  expect_lt(max_rel_diff(result$par[1:4], coef(f)), 1e-4)
  expect_lt(max_rel_diff(exp(result$par[5]), f$dispersion), 1e-4)
  # vignette("mleglm"): started at the estimate (1e-12), it still ends six
  # or seven significant digits from it (between 1e-8 and 1e-6 relative).
  expect_lt(max_rel_diff(params_init[1:4], coef(f)), 1e-12)
  gap <- max_rel_diff(result$par[1:4], coef(f))
  expect_gt(gap, 1e-8)
  expect_lt(gap, 1e-6)
  # Its SEs come from a finite-difference Hessian (step 1e-3): also 1e-4.
  se_optim <- sqrt(diag(solve(result$hessian)))[1:4]
  expect_lt(max_rel_diff(se_optim, sqrt(diag(vcov(f)))), 1e-4)
  # The maximised log-likelihood is flat at the maximum: agreement to 1e-8.
  expect_lt(max_rel_diff(-result$value, unclass(logLik(f))), 1e-8)
  # mleglm's maximum is at least as high as optim's (up to rounding).
  expect_gte(unclass(logLik(f)), -result$value - 1e-9)
  # The rounded values the tutorial prints. (Its intercept SE, 6.7011, comes
  # from optim's finite-difference Hessian; the exact value 6.70115003
  # rounds to 6.7012, so SEs are compared to 3 decimals here.)
  expect_equal(round(unname(coef(f)), 4), c(203.3660, -0.8298, -14.2542, -3.7805))
  expect_equal(unname(sqrt(diag(vcov(f)))), c(6.7011, 0.1238, 2.4357, 1.0024),
               tolerance = 1e-4)
  expect_equal(round(f$dispersion, 4), 362.1373)
  expect_equal(round(as.numeric(logLik(f)), 2), -1322.58)
})

test_that("fit_matrix() on the tutorial's design matrix gives the same fit", {
  f <- heart_fit()
  X <- cbind("(Intercept)" = 1, age = heart$age, exang = heart$exang, oldpeak = heart$oldpeak)
  m <- fit_matrix(X, heart$thalach)
  expect_lt(max_rel_diff(coef(m), coef(f)), 1e-12)
  expect_lt(max_rel_diff(vcov(m), vcov(f)), 1e-10)
  expect_equal(unclass(logLik(m)), unclass(logLik(f)), tolerance = 1e-12)
})

# ---- printed output ---------------------------------------------------------

# summary() prints the final Newton decrement and score norm, which at
# convergence are rounding noise (about 1e-13) and differ between machines
# and BLAS builds; they are replaced by a placeholder in the snapshots.
# Everything else printed is rounded well above the noise.
scrub_noise <- function(lines) {
  lines <- gsub("Newton decrement [-+0-9.e]+", "Newton decrement <noise>", lines)
  gsub("score norm [-+0-9.e]+", "score norm <noise>", lines)
}

test_that("print() and summary() of the tutorial fit", {
  f <- heart_fit()
  expect_snapshot(print(f))
  expect_snapshot(summary(f), transform = scrub_noise)
  expect_snapshot(summary(f, vcov = "glm"), transform = scrub_noise)
})

test_that("print() and summary() of a binomial probit fit by BFGS", {
  f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial(link = "probit"),
           method = "bfgs")
  expect_true(f$converged)
  expect_snapshot(print(f))
  expect_snapshot(summary(f), transform = scrub_noise)
})

test_that("printed output is the same on a second fit (no unstable digits)", {
  out1 <- scrub_noise(capture.output(print(heart_fit()), summary(heart_fit())))
  out2 <- scrub_noise(capture.output(print(heart_fit()), summary(heart_fit())))
  expect_identical(out1, out2)
  p <- function() fit(num > 0 ~ age + sex + thalach, heart,
                      family = binomial(link = "probit"), method = "bfgs")
  expect_identical(scrub_noise(capture.output(print(p()), summary(p()))),
                   scrub_noise(capture.output(print(p()), summary(p()))))
})
