# The S3 methods of "mleglm" against those of glm() on the same data, so that
# an mleglm fit can stand wherever a glm fit would. The model formulas include
# a factor, an interaction, I(), an offset() term, prior weights, a subset and
# na.action = na.exclude (ca has 4 missing values, so residuals and fitted
# values are padded with NA exactly where glm pads them).
#
# Tolerances: residuals and fitted values 1e-6 absolute (in practice they
# agree to 1e-11); AIC, BIC, log-likelihood and deviance 1e-8 relative;
# coefficients 1e-8 relative (glm run with epsilon = 1e-14); glm's standard
# errors come from the weights of its previous iterate, hence 1e-6 relative.

# methods_data(), method_cases and method_fits() are in helper-methods.R.
both <- lapply(method_cases, method_fits)

for (nm in names(method_cases)) {
  f <- both[[nm]]$f
  g <- both[[nm]]$g

  test_that(paste(nm, ": the fit matches glm's coefficients"), {
    expect_true(f$converged)
    expect_identical(names(coef(f)), names(coef(g)))
    expect_lt(max_rel_diff(coef(f), coef(g)), 1e-8)
  })

  test_that(paste(nm, ": residuals of all four types and fitted values match glm"), {
    for (type in c("deviance", "pearson", "working", "response")) {
      rf <- residuals(f, type = type)
      rg <- residuals(g, type = type)
      # na.exclude pads with NA at the same rows, names kept.
      expect_identical(names(rf), names(rg))
      expect_identical(is.na(rf), is.na(rg))
      expect_equal(rf, rg, tolerance = 1e-6, ignore_attr = TRUE)
    }
    expect_equal(residuals(f), residuals(f, type = "deviance"))
    expect_identical(length(residuals(f)), sum(methods_data()$age > 35))
    expect_identical(names(fitted(f)), names(fitted(g)))
    expect_equal(fitted(f), fitted(g), tolerance = 1e-6)
  })

  test_that(paste(nm, ": nobs, df.residual, deviance, logLik, AIC and BIC match glm"), {
    expect_equal(nobs(f), nobs(g))
    expect_equal(df.residual(f), df.residual(g))
    expect_lt(max_rel_diff(deviance(f), deviance(g)), 1e-8)
    lf <- logLik(f)
    lg <- logLik(g)
    expect_s3_class(lf, "logLik")
    expect_lt(max_rel_diff(as.numeric(lf), as.numeric(lg)), 1e-8)
    expect_equal(attr(lf, "df"), attr(lg, "df"))
    expect_equal(attr(lf, "nobs"), attr(lg, "nobs"))
    expect_lt(max_rel_diff(AIC(f), AIC(g)), 1e-8)
    expect_lt(max_rel_diff(BIC(f), BIC(g)), 1e-8)
  })

  test_that(paste(nm, ": model.matrix, model.frame, formula, family and terms match glm"), {
    expect_equal(model.matrix(f), model.matrix(g))
    expect_equal(model.frame(f), model.frame(g))
    expect_identical(formula(f), formula(g))
    expect_equal(terms(f), terms(g))
    expect_identical(family(f)$family, family(g)$family)
    expect_identical(family(f)$link, family(g)$link)
    expect_s3_class(family(f), "family")
  })

  test_that(paste(nm, ": summary(vcov = 'glm') reproduces summary(glm)$coefficients"), {
    sf <- summary(f, vcov = "glm")$coefficients
    sg <- summary(g)$coefficients
    expect_identical(dimnames(sf), dimnames(sg))
    expect_lt(max_rel_diff(sf[, 1], sg[, 1]), 1e-8)   # estimates
    expect_lt(max_rel_diff(sf[, 2], sg[, 2]), 1e-6)   # standard errors
    expect_lt(max_rel_diff(sf[, 3], sg[, 3]), 1e-6)   # t or z values
    expect_lt(max_rel_diff(sf[, 4], sg[, 4]), 1e-5)   # p-values (tails amplify)
    expect_lt(max_rel_diff(vcov(f, type = "glm"), vcov(g)), 1e-6)
  })
}

test_that("summary(vcov = 'glm') uses t tests for the Gaussian, z tests for the binomial", {
  expect_identical(colnames(summary(both$gaussian$f, vcov = "glm")$coefficients),
                   c("Estimate", "Std. Error", "t value", "Pr(>|t|)"))
  expect_identical(colnames(summary(both$binomial$f, vcov = "glm")$coefficients),
                   c("Estimate", "Std. Error", "z value", "Pr(>|z|)"))
  # The default ML table uses z tests even for the Gaussian.
  expect_identical(colnames(summary(both$gaussian$f)$coefficients)[3:4],
                   c("z value", "Pr(>|z|)"))
})

test_that("summary.glm's t values and p-values for the heart fit are reproduced exactly", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  g <- glm_tight(thalach ~ age + exang + oldpeak, data = heart)
  sf <- summary(f, vcov = "glm")$coefficients
  sg <- summary(g)$coefficients
  expect_identical(dimnames(sf), dimnames(sg))
  expect_lt(max_rel_diff(sf, sg), 1e-6)
})

test_that("update() refits and equals a direct fit", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  u <- update(f, . ~ . - oldpeak)
  direct <- fit(thalach ~ age + exang, heart)
  expect_s3_class(u, "mleglm")
  expect_identical(names(coef(u)), c("(Intercept)", "age", "exang"))
  expect_equal(coef(u), coef(direct), tolerance = 1e-12)
  expect_equal(vcov(u), vcov(direct), tolerance = 1e-12)
  expect_equal(as.numeric(logLik(u)), as.numeric(logLik(direct)), tolerance = 1e-12)
  expect_identical(formula(u), formula(direct))
  # update() of other arguments.
  ub <- update(f, method = "bfgs")
  expect_identical(ub$method, "bfgs")
  expect_lt(max_rel_diff(coef(ub), coef(f)), 1e-8)
})

test_that("model = FALSE still gives model.frame() and model.matrix(), rebuilt like glm's", {
  d <- methods_data()
  f <- fit(thalach ~ age + cp + ca, d, weights = w, subset = age > 35,
           na.action = na.exclude, model = FALSE)
  g <- glm(thalach ~ age + cp + ca, data = d, weights = w, subset = age > 35,
           na.action = na.exclude, model = FALSE)
  expect_null(f[["model"]])
  expect_equal(model.frame(f), model.frame(g))
  expect_equal(model.matrix(f), model.matrix(g))
})

test_that("y = FALSE still gives the residuals of every type", {
  for (case in list(list(thalach ~ age + exang + oldpeak, gaussian()),
                    list(num ~ age + sex, poisson()),
                    list(num > 0 ~ age + sex, binomial()))) {
    full <- fit(case[[1]], heart, family = case[[2]])
    no_y <- fit(case[[1]], heart, family = case[[2]], y = FALSE)
    expect_null(no_y[["y"]])
    for (type in c("deviance", "pearson", "working", "response")) {
      r <- residuals(no_y, type = type)
      expect_false(anyNA(r), label = paste(case[[2]]$family, type, "residuals without NA"))
      expect_equal(r, residuals(full, type = type), tolerance = 1e-8,
                   label = paste(case[[2]]$family, type, "residuals with y = FALSE"))
    }
  }
})

test_that("coef(complete = FALSE) drops aliased coefficients, as for glm", {
  d <- heart
  d$age_dup <- d$age
  f <- suppressWarnings(fit(thalach ~ age + age_dup + sex, d))
  g <- glm(thalach ~ age + age_dup + sex, data = d)
  expect_identical(names(coef(f)), c("(Intercept)", "age", "age_dup", "sex"))
  expect_identical(names(coef(f, complete = FALSE)), names(coef(g, complete = FALSE)))
  expect_false(anyNA(coef(f, complete = FALSE)))
  expect_lt(max_rel_diff(coef(f, complete = FALSE), coef(g, complete = FALSE)), 1e-10)
  # vcov(): NA row and column when complete, dropped otherwise.
  expect_true(all(is.na(vcov(f)["age_dup", ])))
  expect_identical(dim(vcov(f, complete = FALSE)), c(3L, 3L))
  expect_lt(max_rel_diff(vcov(f, type = "glm", complete = FALSE), vcov(g, complete = FALSE)), 1e-8)
  expect_identical(rownames(summary(f)$coefficients), c("(Intercept)", "age", "sex"))
  # Without aliasing both are the same.
  h <- fit(thalach ~ age + sex, heart)
  expect_identical(coef(h, complete = FALSE), coef(h))
})

test_that("zero weights: nobs and df.residual count only positive-weight rows, as glm", {
  w <- rep(c(0, 1), length.out = nrow(heart))
  f <- fit(thalach ~ age, heart, weights = w)
  g <- glm(thalach ~ age, data = heart, weights = w)
  expect_equal(nobs(f), nobs(g))
  expect_equal(df.residual(f), df.residual(g))
  expect_equal(attr(logLik(f), "nobs"), 151)
  for (type in c("deviance", "pearson", "working", "response")) {
    expect_equal(residuals(f, type = type), residuals(g, type = type), tolerance = 1e-6)
  }
  # glm's Gaussian logLik is -Inf here (log of a zero weight); mleglm's is
  # the log-likelihood of the 151 rows with weight one.
  expect_true(is.finite(logLik(f)))
  h <- fit(thalach ~ age, heart[w > 0, ])
  expect_equal(as.numeric(logLik(f)), as.numeric(logLik(h)), tolerance = 1e-10)
})

test_that("methods that need a formula fail cleanly for fit_matrix() fits", {
  m <- fit_matrix(cbind("(Intercept)" = 1, age = heart$age), heart$thalach)
  expect_error(formula(m), class = "mleglm_error_input")
  expect_error(terms(m), class = "mleglm_error_input")
  expect_error(model.frame(m), class = "mleglm_error_input")
  expect_identical(colnames(model.matrix(m)), c("(Intercept)", "age"))
  expect_equal(nobs(m), 303)
  expect_equal(residuals(m, type = "response"), heart$thalach - fitted(m), ignore_attr = TRUE)
})
