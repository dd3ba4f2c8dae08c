# car::Anova() on mleglm fits against car::Anova() on the same glm() fits,
# and against separately fitted models where glm() has no equivalent.

ecosystem_data <- function() {
  transform(heart, sick = num > 0, cp = factor(cp))
}

test_that("car::Anova() gives glm's likelihood-ratio, Wald and F tests, types II and III", {
  skip_if_not_installed("car")
  h <- ecosystem_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- glm(sick ~ age + sex + cp + thalach, family = binomial(), data = h)
  lr <- car::Anova(f)
  expect_equal(lr[["LR Chisq"]], c(5.26, 27.1, 54.3, 15.4), tolerance = 0.01)
  for (type in c("II", "III")) {
    for (test in c("LR", "Wald")) {
      expect_equal(car::Anova(f, type = type, test.statistic = test),
                   car::Anova(g, type = type, test.statistic = test),
                   tolerance = 1e-5, ignore_attr = TRUE)
    }
  }
  expect_equal(car::Anova(f, type = 3), car::Anova(g, type = 3), tolerance = 1e-6, ignore_attr = TRUE)
  # An interaction: type II tests each main effect without the interaction.
  fi <- fit(sick ~ age * sex + cp, h, family = binomial())
  gi <- glm(sick ~ age * sex + cp, family = binomial(), data = h)
  expect_equal(car::Anova(fi), car::Anova(gi), tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(car::Anova(fi, type = "III"), car::Anova(gi, type = "III"), tolerance = 1e-6,
               ignore_attr = TRUE)
  p <- fit(num ~ age + sex + cp, h, family = poisson())
  q <- glm(num ~ age + sex + cp, family = poisson(), data = h)
  expect_equal(car::Anova(p), car::Anova(q), tolerance = 1e-6, ignore_attr = TRUE)
})

test_that("car::Anova() of a Gaussian fit: LR by maximum likelihood, F and Wald as glm's", {
  skip_if_not_installed("car")
  h <- ecosystem_data()
  f <- fit(thalach ~ age + sex + cp, h)
  g <- glm(thalach ~ age + sex + cp, data = h)
  rss <- function(form) sum(stats::residuals(stats::lm(form, h))^2)
  full <- rss(thalach ~ age + sex + cp)
  expect_equal(car::Anova(f)[["LR Chisq"]],
               nrow(h) * log(c(rss(thalach ~ sex + cp), rss(thalach ~ age + cp), rss(thalach ~ age + sex)) / full),
               tolerance = 1e-7)
  for (type in c("II", "III")) {
    for (est in c("pearson", "dispersion", "deviance")) {
      expect_equal(car::Anova(f, type = type, test.statistic = "F", error.estimate = est),
                   car::Anova(g, type = type, test.statistic = "F", error.estimate = est),
                   tolerance = 1e-7, ignore_attr = TRUE)
    }
  }
  # Wald: the ML covariance by default; glm's with vcov. = vcov(f, type = "glm").
  expect_equal(car::Anova(f, test.statistic = "Wald", vcov. = vcov(f, type = "glm")),
               car::Anova(g, test.statistic = "Wald"), tolerance = 1e-7, ignore_attr = TRUE)
  ratio <- f$dispersion_pearson / f$dispersion
  expect_equal(car::Anova(f, test.statistic = "Wald")$Chisq,
               car::Anova(g, test.statistic = "Wald")$Chisq * ratio, tolerance = 1e-7)
  expect_equal(car::Anova(f, test.statistic = "Wald", vcov. = function(m) vcov(m, type = "glm")),
               car::Anova(g, test.statistic = "Wald"), tolerance = 1e-7, ignore_attr = TRUE)
})

test_that("car::Anova() of negbin() and custom-family fits re-estimates the extra parameter", {
  skip_if_not_installed("car")
  h <- ecosystem_data()
  nb <- fit(num ~ age + sex + cp, h, family = negbin())
  a <- car::Anova(nb)
  ll <- function(form) as.numeric(logLik(fit(form, h, family = negbin())))
  expect_equal(a[["LR Chisq"]],
               2 * (as.numeric(logLik(nb)) - c(ll(num ~ sex + cp), ll(num ~ age + cp), ll(num ~ age + sex))),
               tolerance = 1e-6)
  expect_identical(a$Df, c(1, 1, 3))
  wald <- car::Anova(nb, test.statistic = "Wald")
  v <- vcov(nb)[c("cp2", "cp3", "cp4"), c("cp2", "cp3", "cp4")]
  b <- coef(nb)[c("cp2", "cp3", "cp4")]
  expect_equal(wald["cp", "Chisq"], drop(b %*% solve(v, b)), tolerance = 1e-8)
  expect_error(car::Anova(nb, test.statistic = "F"), class = "mleglm_error_unsupported")
  t4 <- fit(thalach ~ age + sex, h, family = t4_family())
  t4_sex <- fit(thalach ~ sex, h, family = t4_family())
  expect_equal(car::Anova(t4)["age", "LR Chisq"],
               2 * (as.numeric(logLik(t4)) - as.numeric(logLik(t4_sex))), tolerance = 1e-6)
})

test_that("car::Anova() refuses what it cannot test, with classed errors", {
  skip_if_not_installed("car")
  h <- ecosystem_data()
  f <- fit(sick ~ age + sex, h, family = binomial())
  expect_error(car::Anova(f, test.statistic = "F"), class = "mleglm_error_input")
  expect_error(car::Anova(f, type = "IV"), class = "mleglm_error_input")
  expect_error(car::Anova(f, test.statistic = "Rao"), class = "mleglm_error_input")
  fm <- fit_matrix(cbind(1, h$age), h$sick, family = binomial())
  expect_error(car::Anova(fm), class = "mleglm_error_input")
  h$age2 <- 2 * h$age
  aliased <- suppressWarnings(fit(sick ~ age + age2 + sex, h, family = binomial()))
  expect_error(car::Anova(aliased, type = "III"), class = "mleglm_error_input")
  chunked <- fit_chunked(sick ~ age + sex, chunk_function(h, 100), binomial(), progress = FALSE)
  expect_error(car::Anova(chunked), class = "mleglm_error_rows_unavailable")
})

test_that("car's linearHypothesis(), vif() and deltaMethod() work on mleglm fits", {
  skip_if_not_installed("car")
  h <- ecosystem_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- glm(sick ~ age + sex + cp + thalach, family = binomial(), data = h)
  expect_equal(car::linearHypothesis(f, c("cp2 = 0", "cp3 = 0")),
               car::linearHypothesis(g, c("cp2 = 0", "cp3 = 0")), tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(car::vif(f), car::vif(g), tolerance = 1e-6)
  expect_equal(car::deltaMethod(f, "exp(sex)"), car::deltaMethod(g, "exp(sex)"), tolerance = 1e-6,
               ignore_attr = TRUE)
})
