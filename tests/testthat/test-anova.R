# Likelihood-ratio tests, analysis of deviance and drop1() against
# anova.glm() and drop1.glm(); AIC() and BIC() across fits.
#
# Tolerances: deviances and statistics 1e-8 relative (glm run with
# epsilon = 1e-14), p-values 1e-6 relative.

anova_data <- function() {
  d <- heart
  d$cp <- factor(d$cp)
  d$hd <- as.numeric(d$num > 0)
  d
}

test_that("anova(f0, f1) equals anova(glm0, glm1, test = 'Chisq') for binomial and Poisson", {
  d <- anova_data()
  for (case in list(list(hd ~ age + sex, hd ~ age + sex + thalach + cp, binomial()),
                    list(num ~ age + sex, num ~ age + sex + thalach + cp, poisson()))) {
    f0 <- fit(case[[1]], d, family = case[[3]])
    f1 <- fit(case[[2]], d, family = case[[3]])
    g0 <- glm_tight(case[[1]], data = d, family = case[[3]])
    g1 <- glm_tight(case[[2]], data = d, family = case[[3]])
    a <- anova(f0, f1)
    b <- anova(g0, g1, test = "Chisq")
    expect_s3_class(a, "anova")
    expect_identical(a$`Resid. Df`, b$`Resid. Df`)
    expect_equal(a$Df, b$Df)
    expect_lt(max_rel_diff(a$`Resid. Dev`, b$`Resid. Dev`), 1e-8)
    expect_lt(max_rel_diff(a$Deviance[2], b$Deviance[2]), 1e-8)
    # Without a dispersion the LR statistic is the change in deviance: one
    # column, named as in anova.glm(), holding 2 (logLik1 - logLik0).
    expect_false("LR stat" %in% names(a))
    expect_lt(max_rel_diff(a$Deviance[2], 2 * (as.numeric(logLik(g1)) - as.numeric(logLik(g0)))), 1e-8)
    expect_true(any(grepl("is\nthe likelihood-ratio statistic", attr(a, "heading"), fixed = TRUE)))
    expect_lt(max_rel_diff(a$`Pr(>Chi)`[2], b$`Pr(>Chi)`[2]), 1e-6)
    expect_equal(anova(f0, f1, test = "Chisq"), a)
    # Given the other way round, the signs flip and the test is the same,
    # as in anova.glm.
    expect_equal(anova(f1, f0)$`Pr(>Chi)`[2], a$`Pr(>Chi)`[2])
    expect_equal(anova(f1, f0)$Df[2], -a$Df[2])
  }
})

test_that("Gaussian: test = 'F' equals anova.glm's F; the LRT is n log(RSS0 / RSS1)", {
  f0 <- fit(thalach ~ age, heart)
  f1 <- fit(thalach ~ age + exang + oldpeak, heart)
  g0 <- glm(thalach ~ age, data = heart)
  g1 <- glm(thalach ~ age + exang + oldpeak, data = heart)
  a <- anova(f0, f1, test = "F")
  b <- anova(g0, g1, test = "F")
  expect_lt(max_rel_diff(a$F[2], b$F[2]), 1e-8)
  expect_lt(max_rel_diff(a$`Pr(>F)`[2], b$`Pr(>F)`[2]), 1e-6)
  lr <- anova(f0, f1)
  expect_equal(lr$`LR stat`[2], 303 * log(deviance(g0) / deviance(g1)), tolerance = 1e-10)
  expect_equal(lr$`LR stat`[2], 2 * (as.numeric(logLik(g1)) - as.numeric(logLik(g0))), tolerance = 1e-10)
  expect_equal(lr$`Pr(>Chi)`[2], pchisq(lr$`LR stat`[2], 2, lower.tail = FALSE), tolerance = 1e-12)
  # anova.glm's "Chisq" for the Gaussian scales the deviance by the Pearson
  # dispersion instead: a different (larger) statistic, hence a smaller p.
  chisq_glm <- anova(g0, g1, test = "Chisq")
  expect_lt(chisq_glm$`Pr(>Chi)`[2], lr$`Pr(>Chi)`[2])
  expect_error(anova(fit(num ~ age, heart, family = poisson()),
                     fit(num ~ age + sex, heart, family = poisson()), test = "F"),
               class = "mleglm_error_input")
})

test_that("anova(f) is glm's sequential analysis of deviance", {
  d <- anova_data()
  f <- fit(hd ~ age + sex + thalach + cp, d, family = binomial())
  g <- glm_tight(hd ~ age + sex + thalach + cp, data = d, family = binomial())
  a <- anova(f)
  b <- anova(g, test = "Chisq")
  expect_identical(rownames(a), rownames(b))
  expect_equal(a$Df, b$Df)
  expect_equal(a$`Resid. Df`, b$`Resid. Df`)
  expect_lt(max_rel_diff(a$`Resid. Dev`, b$`Resid. Dev`), 1e-8)
  expect_lt(max_rel_diff(a$Deviance[-1], b$Deviance[-1]), 1e-8)
  expect_lt(max_rel_diff(a$`Pr(>Chi)`[-1], b$`Pr(>Chi)`[-1]), 1e-6)
  # Gaussian with F tests, with an offset and weights.
  d$w <- rep(1:3, length.out = nrow(d))
  f <- fit(thalach ~ age + exang + cp + offset(0.1 * chol), d, weights = w)
  g <- glm(thalach ~ age + exang + cp + offset(0.1 * chol), data = d, weights = w)
  a <- anova(f, test = "F")
  b <- anova(g, test = "F")
  expect_lt(max_rel_diff(a$F[-1], b$F[-1]), 1e-8)
  expect_lt(max_rel_diff(a$`Resid. Dev`, b$`Resid. Dev`), 1e-8)
  # A model without intercept starts from the empty model.
  f <- fit(num ~ 0 + age + sex, d, family = poisson())
  g <- glm_tight(num ~ 0 + age + sex, data = d, family = poisson())
  expect_lt(max_rel_diff(anova(f)$`Resid. Dev`, anova(g)$`Resid. Dev`), 1e-8)
  expect_error(anova(fit_matrix(cbind("(Intercept)" = 1, age = heart$age), heart$thalach)),
               class = "mleglm_error_input")
})

test_that("drop1(test = 'LRT') equals drop1.glm for binomial and Gaussian", {
  d <- anova_data()
  f <- fit(hd ~ age + sex + thalach + cp, d, family = binomial())
  g <- glm_tight(hd ~ age + sex + thalach + cp, data = d, family = binomial())
  a <- drop1(f, test = "LRT")
  b <- drop1(g, test = "LRT")
  expect_identical(rownames(a), rownames(b))
  expect_equal(a$Df, b$Df)
  expect_lt(max_rel_diff(a$Deviance, b$Deviance), 1e-8)
  expect_lt(max_rel_diff(a$AIC, b$AIC), 1e-8)
  expect_lt(max_rel_diff(a$LRT[-1], b$LRT[-1]), 1e-8)
  expect_lt(max_rel_diff(a$`Pr(>Chi)`[-1], b$`Pr(>Chi)`[-1]), 1e-6)
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  g <- glm(thalach ~ age + exang + oldpeak, data = heart)
  a <- drop1(f, test = "LRT")
  b <- drop1(g, test = "LRT")
  expect_lt(max_rel_diff(a$LRT[-1], b$`scaled dev.`[-1]), 1e-8)
  expect_lt(max_rel_diff(a$AIC, b$AIC), 1e-8)
  expect_lt(max_rel_diff(drop1(f, test = "F")$`F value`[-1], drop1(g, test = "F")$`F value`[-1]), 1e-8)
  expect_identical(rownames(drop1(f, ~ age)), c("<none>", "age"))
  expect_error(drop1(f, "sex"), class = "mleglm_error_input")
})

test_that("AIC() and BIC() work across several fits", {
  d <- anova_data()
  f0 <- fit(hd ~ age + sex, d, family = binomial())
  f1 <- fit(hd ~ age + sex + thalach + cp, d, family = binomial())
  g0 <- glm(hd ~ age + sex, data = d, family = binomial())
  g1 <- glm(hd ~ age + sex + thalach + cp, data = d, family = binomial())
  expect_equal(AIC(f0, f1), AIC(g0, g1), tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(BIC(f0, f1), BIC(g0, g1), tolerance = 1e-8, ignore_attr = TRUE)
  expect_identical(rownames(AIC(f0, f1)), c("f0", "f1"))
})

test_that("fits of different data, responses or families are refused", {
  d <- anova_data()
  f <- fit(thalach ~ age, heart)
  expect_error(anova(f, fit(thalach ~ age + sex, heart[-1, ])), class = "mleglm_error_incompatible")
  expect_error(anova(f, fit(chol ~ age + sex, heart)), class = "mleglm_error_incompatible")
  expect_error(anova(f, fit(thalach ~ age + sex, heart, weights = rep(2, 303))),
               class = "mleglm_error_incompatible")
  expect_error(anova(fit(num ~ age, d, family = poisson()),
                     fit(num ~ age + sex, d, family = gaussian())),
               class = "mleglm_error_incompatible")
  expect_error(anova(f, glm(thalach ~ age, data = heart)), class = "mleglm_error_input")
  expect_warning(anova(fit(thalach ~ age, heart), fit(thalach ~ sex + exang, heart)),
                 class = "mleglm_warning_not_nested")
  expect_error(anova(f, test = "Wald"), class = "mleglm_error_input")
})

test_that("no anova table shows one number under two names", {
  skip_if_not_installed("MASS")
  d <- anova_data()
  pairs <- list(
    list(fit(num ~ age, d, family = poisson()), fit(num ~ age + sex, d, family = poisson())),
    list(fit(thalach ~ age, d), fit(thalach ~ age + sex, d)),
    list(fit(chol ~ age, d, family = Gamma(link = "log")), fit(chol ~ age + sex, d, family = Gamma(link = "log"))),
    list(fit(Days ~ Eth + Sex + Age, MASS::quine, family = negbin()),
         fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin())),
    list(fit(y ~ 1, outlier_data(), family = t4_family()), fit(y ~ x, outlier_data(), family = t4_family())))
  for (p in pairs) {
    for (a in list(anova(p[[1]], p[[2]]), anova(p[[2]]))) {
      cols <- a[vapply(a, function(v) any(!is.na(v[-1L])), TRUE)]
      for (i in seq_along(cols)) for (j in seq_along(cols)[-seq_len(i)]) {
        u <- cols[[i]][-1L]
        v <- cols[[j]][-1L]
        expect_false(isTRUE(all.equal(u, v, tolerance = 1e-8)),
                     label = paste(p[[2]]$family$family, names(cols)[i], "and", names(cols)[j]))
      }
    }
  }
})

test_that("negbin anova(f0, f): the LR statistic of glm.nb's, no deviance at two thetas", {
  skip_if_not_installed("MASS")
  f0 <- fit(Days ~ Eth + Sex + Age, MASS::quine, family = negbin())
  f <- fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin())
  a <- anova(f0, f)
  expect_identical(names(a), c("Resid. Df", "logLik", "Df", "LR stat", "Pr(>Chi)"))
  m0 <- MASS::glm.nb(Days ~ Eth + Sex + Age, MASS::quine)
  m <- MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, MASS::quine)
  b <- anova(m0, m)
  # MASS prints the statistic with its own rounding of the log-likelihoods (1e-6).
  expect_equal(a[["LR stat"]][2], b[["LR stat."]][2], tolerance = 1e-6)
  expect_equal(a$logLik, c(as.numeric(logLik(m0)), as.numeric(logLik(m))), tolerance = 1e-8)
  expect_equal(a[["LR stat"]][2], 2 * diff(a$logLik), tolerance = 1e-12)
  expect_equal(round(a[["LR stat"]][2], 4), 2.5017)
  heading <- paste(attr(a, "heading"), collapse = "\n")
  expect_match(heading, "deviances are not comparable", fixed = TRUE)
  out <- capture.output(print(a))
  expect_false(any(grepl("-0.088959", out, fixed = TRUE)))
})

test_that("anova() of custom fits counts an extra parameter where it is estimated, not where fixed", {
  normal <- function(fixed) {
    custom_family("normal", function(y, mu, phi) stats::dnorm(y, mu, phi, log = TRUE),
                  phi = 20, phi_fixed = fixed, phi_name = "sigma")
  }
  f0 <- fit(thalach ~ age + exang, heart, family = normal(TRUE))
  f1 <- fit(thalach ~ age + exang, heart, family = normal(FALSE))
  f2 <- fit(thalach ~ age + exang + oldpeak, heart, family = normal(FALSE))
  # The oracle: with sigma fixed at 20 the coefficients are least squares'
  # and the log-likelihood is dnorm's at sd 20; estimated, it is lm's.
  m1 <- lm(thalach ~ age + exang, heart)
  m2 <- lm(thalach ~ age + exang + oldpeak, heart)
  ll0 <- sum(dnorm(heart$thalach, fitted(m1), 20, log = TRUE))
  lr <- c(NA, 2 * (as.numeric(logLik(m1)) - ll0), 2 * (as.numeric(logLik(m2)) - as.numeric(logLik(m1))))
  a <- anova(f0, f1, f2)
  expect_identical(a$Df, c(NA, 1, 1))
  expect_identical(a$`Resid. Df`, c(300, 300, 299))
  expect_equal(a$`LR stat`, lr, tolerance = 1e-8)
  expect_equal(a$`Pr(>Chi)`, pchisq(lr, 1, lower.tail = FALSE), tolerance = 1e-8)
  expect_identical(anova(f1, f0)$Df, c(NA, -1))
  expect_equal(anova(f1, f0)$`Pr(>Chi)`[2], a$`Pr(>Chi)`[2])
  heading <- paste(attr(a, "heading"), collapse = "\n")
  expect_match(heading, "Model 1: thalach ~ age + exang (sigma fixed at 20)", fixed = TRUE)
  expect_match(heading, "in each model not fixing it", fixed = TRUE)
  # Both fixed: the parameter is counted in neither, Df is the change in rank.
  g2 <- fit(thalach ~ age + exang + oldpeak, heart, family = normal(TRUE))
  expect_identical(anova(f0, g2)$Df, c(NA, 1))
  # With nothing estimated beyond the coefficients every deviance is -2
  # logLik at the same sigma: the heading does not call them incomparable.
  for (a in list(anova(f0, g2), anova(g2))) {
    heading <- paste(attr(a, "heading"), collapse = "\n")
    expect_false(grepl("not comparable", heading, fixed = TRUE))
    expect_false(grepl("re-estimated", heading, fixed = TRUE))
    expect_match(heading, "its deviance is -2 logLik", fixed = TRUE)
  }
  seq_table <- anova(g2)
  expect_equal(seq_table$`LR stat`[-1], 2 * diff(seq_table$logLik), tolerance = 1e-12)
  expect_equal(deviance(g2), -2 * as.numeric(logLik(g2)), tolerance = 1e-12)
})

test_that("add1() equals add1(glm) and step() walks glm's path, adding and dropping", {
  d <- anova_data()
  scope <- ~ . + oldpeak + exang + thalach
  for (family in list(binomial(), poisson())) {
    response <- if (family$family == "binomial") "hd" else "num"
    form <- stats::as.formula(paste(response, "~ age + sex + cp"))
    f <- fit(form, d, family = family)
    g <- glm(form, family = family, data = d)
    for (test in c("none", "LRT")) {
      expect_equal(add1(f, scope, test = test), add1(g, scope, test = test),
                   tolerance = 1e-6, ignore_attr = TRUE)
    }
  }
  # Gaussian: glm's LRT is n log(RSS0/RSS1) too; its F test divides by each larger model's deviance.
  f <- fit(thalach ~ age + sex, d)
  g <- glm(thalach ~ age + sex, data = d)
  expect_equal(add1(f, ~ . + cp + exang, test = "LRT"), add1(g, ~ . + cp + exang, test = "LRT"),
               tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(add1(f, ~ . + cp + exang, test = "F"), add1(g, ~ . + cp + exang, test = "F"),
               tolerance = 1e-6, ignore_attr = TRUE)
  both <- ~ age + sex + cp + thalach + oldpeak + exang
  s_f <- stats::step(fit(hd ~ age, d, family = binomial()), scope = both, trace = 0)
  s_g <- stats::step(glm(hd ~ age, family = binomial(), data = d), scope = both, trace = 0)
  expect_identical(attr(terms(s_f), "term.labels"), attr(terms(s_g), "term.labels"))
  expect_equal(s_f$anova, s_g$anova, tolerance = 1e-6, ignore_attr = TRUE)
  expect_s3_class(s_f, "mleglm")
})

test_that("add1() refits on the rows the larger formula keeps, and refuses what it cannot do", {
  d <- anova_data()
  d$extra <- d$oldpeak
  d$extra[1:5] <- NA
  f <- fit(hd ~ age + sex, d, family = binomial())
  g <- glm(hd ~ age + sex, family = binomial(), data = d)
  res <- collect_conditions(add1(f, ~ . + extra, test = "LRT"))
  expect_true(any(vapply(res$warnings, inherits, TRUE, "mleglm_warning_rows_dropped")))
  expected <- suppressWarnings(add1(g, ~ . + extra, test = "LRT"))
  cols <- c("Df", "Deviance", "LRT", "Pr(>Chi)")
  expect_equal(res$value[cols], expected[cols], tolerance = 1e-6, ignore_attr = TRUE)
  # add1.glm shifts its AIC column to the full data's AIC; this one is each
  # model's own on the rows used.
  kept <- fit(hd ~ age + sex, d[!is.na(d$extra), ], family = binomial())
  expect_equal(res$value[["AIC"]][1L], AIC(kept), tolerance = 1e-8)
  expect_error(add1(f), class = "mleglm_error_input")
  expect_error(add1(f, ~ . + age), class = "mleglm_error_input")
  expect_error(add1(f, ~ . + oldpeak, test = "F"), class = "mleglm_error_input")
  expect_error(add1(f, ~ . + oldpeak, test = "Rao"), class = "mleglm_error_input")
  expect_error(add1(f, ~ . + oldpeak, scale = 2), class = "mleglm_error_input")
  chunked <- fit_chunked(hd ~ age + sex, chunk_function(d, 100), binomial(), progress = FALSE)
  expect_error(add1(chunked, ~ . + oldpeak), class = "mleglm_error_rows_unavailable")
  fm <- fit_matrix(cbind(1, d$age), d$hd, family = binomial())
  expect_error(add1(fm, ~ . + sex), class = "mleglm_error_input")
  nb <- fit(num ~ age + sex, d, family = negbin())
  expect_error(add1(nb, ~ . + cp, test = "F"), class = "mleglm_error_unsupported")
})

test_that("add1() and step() on negbin() and custom-family fits re-estimate the extra parameter", {
  d <- anova_data()
  nb <- fit(num ~ age + sex, d, family = negbin())
  a <- add1(nb, ~ . + cp + oldpeak, test = "LRT")
  for (term in c("cp", "oldpeak")) {
    larger <- fit(stats::as.formula(paste("num ~ age + sex +", term)), d, family = negbin())
    expect_equal(a[term, "AIC"], AIC(larger), tolerance = 1e-6)
    expect_equal(a[term, "LRT"], 2 * (as.numeric(logLik(larger)) - as.numeric(logLik(nb))),
                 tolerance = 1e-6)
  }
  expect_equal(a["<none>", "AIC"], AIC(nb), tolerance = 1e-8)
  t4 <- fit(thalach ~ age, d, family = t4_family())
  s <- stats::step(t4, scope = ~ age + sex + exang + oldpeak, trace = 0)
  best <- fit(formula(s), d, family = t4_family())
  expect_equal(AIC(s), AIC(best), tolerance = 1e-6)
  expect_lt(AIC(s), AIC(t4))
})
