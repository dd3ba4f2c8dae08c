# lmtest, sandwich, effects, ggeffects and broom on mleglm fits against the
# same calls on the equivalent glm() fits.

ecosystem_fits <- function() {
  h <- transform(heart, sick = as.numeric(num > 0), cp = factor(cp))
  # glm() converged further than its default, so that its covariance (from
  # the weights of its last iteration) agrees with mleglm's to about 1e-10.
  tight <- glm.control(epsilon = 1e-14, maxit = 100)
  list(h = h,
       f = fit(sick ~ age + sex + cp + thalach, h, family = binomial()),
       g = glm(sick ~ age + sex + cp + thalach, family = binomial(), data = h, control = tight),
       ff = fit(thalach ~ age + sex + cp, h),
       gg = glm(thalach ~ age + sex + cp, data = h, control = tight))
}

test_that("lmtest's coeftest() gives z tests as for glm fits, and lrtest() glm's test", {
  skip_if_not_installed("lmtest")
  m <- ecosystem_fits()
  expect_equal(unclass(lmtest::coeftest(m$f)), unclass(lmtest::coeftest(m$g)), tolerance = 1e-8,
               ignore_attr = TRUE)
  f0 <- fit(sick ~ age + sex, m$h, family = binomial())
  g0 <- glm(sick ~ age + sex, family = binomial(), data = m$h)
  expect_equal(as.data.frame(lmtest::lrtest(f0, m$f)), as.data.frame(lmtest::lrtest(g0, m$g)),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(as.data.frame(lmtest::waldtest(f0, m$f, test = "Chisq")),
               as.data.frame(lmtest::waldtest(g0, m$g, test = "Chisq")), tolerance = 1e-7, ignore_attr = TRUE)
  # Gaussian: ML standard errors (coeftest() of a glm fit gives z tests too);
  # glm's with its covariance, summary(glm)'s t tests with its df as well.
  ct <- lmtest::coeftest(m$ff)
  expect_equal(unclass(ct)[, 2L], unclass(lmtest::coeftest(m$gg))[, 2L] * sqrt((303 - 6) / 303),
               tolerance = 1e-8)
  expect_equal(unclass(ct)[, 4L], 2 * stats::pnorm(-abs(unclass(ct)[, 3L])), tolerance = 1e-10)
  expect_equal(unclass(lmtest::coeftest(m$ff, vcov. = vcov(m$ff, type = "glm"))),
               unclass(lmtest::coeftest(m$gg)), tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(unclass(lmtest::coeftest(m$ff, vcov. = vcov(m$ff, type = "glm"), df = df.residual(m$ff))),
               unclass(summary(m$gg)$coefficients), tolerance = 1e-8, ignore_attr = TRUE)
  nb <- fit(num ~ age + sex, m$h, family = negbin())
  cn <- lmtest::coeftest(nb)
  expect_identical(rownames(cn), names(coef(nb)))
  expect_equal(unclass(cn)[, 2L], sqrt(diag(vcov(nb)))[names(coef(nb))], tolerance = 1e-10)
})

test_that("sandwich's covariances equal glm's for canonical links", {
  skip_if_not_installed("sandwich")
  m <- ecosystem_fits()
  for (type in c("HC0", "HC1", "HC2", "HC3")) {
    expect_equal(sandwich::vcovHC(m$f, type = type), sandwich::vcovHC(m$g, type = type), tolerance = 1e-7)
  }
  expect_equal(sandwich::vcovCL(m$f, cluster = ~ cp, type = "HC0"), sandwich::vcovCL(m$g, cluster = ~ cp, type = "HC0"),
               tolerance = 1e-7)
  skip_if_not_installed("lmtest")
  expect_equal(unclass(lmtest::coeftest(m$f, vcov. = sandwich::vcovHC(m$f, type = "HC1"))),
               unclass(lmtest::coeftest(m$g, vcov. = sandwich::vcovHC(m$g, type = "HC1"))),
               tolerance = 1e-7, ignore_attr = TRUE)
})

test_that("sandwich::vcovHC() of a negbin fit: HC0 and HC1 over all parameters, others refused", {
  skip_if_not_installed("sandwich")
  h <- transform(heart, cp = factor(cp))
  nb <- fit(num ~ age + sex + cp, h, family = negbin())
  v <- sandwich::vcovHC(nb, type = "HC0")
  u <- sandwich::estfun(nb)
  info_inv <- vcov(nb)
  expect_equal(v, info_inv %*% crossprod(u) %*% info_inv, tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(sandwich::vcovHC(nb, type = "HC1"), v * 303 / (303 - 7), tolerance = 1e-12)
  expect_identical(dimnames(v), dimnames(vcov(nb)))
  expect_error(sandwich::vcovHC(nb, type = "HC3"), class = "mleglm_error_unsupported")
})

test_that("effects' Effect() and allEffects() equal glm's; negbin and custom fits use the coefficients' block", {
  skip_if_not_installed("effects")
  m <- ecosystem_fits()
  expect_equal(as.data.frame(effects::Effect("cp", m$f)), as.data.frame(effects::Effect("cp", m$g)),
               tolerance = 1e-7)
  expect_equal(as.data.frame(effects::Effect(c("age", "sex"), m$f, xlevels = list(age = c(40, 60)))),
               as.data.frame(effects::Effect(c("age", "sex"), m$g, xlevels = list(age = c(40, 60)))),
               tolerance = 1e-7)
  all_f <- effects::allEffects(m$f)
  all_g <- effects::allEffects(m$g)
  expect_identical(names(all_f), names(all_g))
  expect_equal(as.data.frame(all_f[["thalach"]]), as.data.frame(all_g[["thalach"]]), tolerance = 1e-7)
  # Gaussian: the same fit, the standard errors scaled by the dispersions.
  ef <- as.data.frame(effects::Effect("cp", m$ff))
  eg <- as.data.frame(effects::Effect("cp", m$gg))
  expect_equal(ef$fit, eg$fit, tolerance = 1e-10)
  expect_equal(ef$se, eg$se * sqrt((303 - 6) / 303), tolerance = 1e-8)
  nb <- fit(num ~ age + cp, m$h, family = negbin())
  en <- as.data.frame(effects::Effect("cp", nb))
  grid <- data.frame(cp = factor(1:4), age = mean(m$h$age))
  # as.data.frame() of an effect gives the response scale (delta-method se).
  pred <- predict(nb, grid, type = "response", se.fit = TRUE)
  expect_equal(en$fit, unname(pred$fit), tolerance = 1e-8)
  expect_equal(en$se, unname(pred$se.fit), tolerance = 1e-8)
  t4 <- fit(thalach ~ age + cp, m$h, family = t4_family())
  et <- as.data.frame(effects::Effect("cp", t4))
  pt <- predict(t4, grid, se.fit = TRUE)
  expect_equal(et$fit, unname(pt$fit), tolerance = 1e-8)
  expect_equal(et$se, unname(pt$se.fit), tolerance = 1e-8)
  chunked <- fit_chunked(sick ~ age + cp, chunk_function(m$h, 100), binomial(), progress = FALSE)
  expect_error(effects::Effect("cp", chunked), class = "mleglm_error_rows_unavailable")
})

test_that("ggeffects' ggpredict() gives glm's predictions and ggemmeans() its intervals", {
  skip_if_not_installed("ggeffects")
  skip_if_not_installed("emmeans")
  m <- ecosystem_fits()
  pf <- as.data.frame(ggeffects::ggpredict(m$f, "cp"))
  pg <- as.data.frame(ggeffects::ggpredict(m$g, "cp"))
  expect_equal(pf$predicted, pg$predicted, tolerance = 1e-8)
  ef <- as.data.frame(ggeffects::ggemmeans(m$f, "cp"))
  eg <- as.data.frame(ggeffects::ggemmeans(m$g, "cp"))
  expect_equal(ef[c("predicted", "std.error", "conf.low", "conf.high")],
               eg[c("predicted", "std.error", "conf.low", "conf.high")], tolerance = 1e-7)
})

test_that("broom's tidy() and glance() columns equal glm's", {
  skip_if_not_installed("broom")
  m <- ecosystem_fits()
  expect_equal(as.data.frame(broom::tidy(m$f)), as.data.frame(broom::tidy(m$g)), tolerance = 1e-8)
  gf <- as.data.frame(broom::glance(m$f))
  gg <- as.data.frame(broom::glance(m$g))
  expect_equal(gf[names(gg)], gg, tolerance = 1e-8)
})
