# tidy(), glance() and augment() against broom's methods for glm().
# Tolerances: estimates 1e-8, standard errors 1e-7 (glm's lag), profile
# intervals 1e-4 (MASS's interpolation; see test-confint.R).

broom_data <- function() {
  d <- heart
  d$cp <- factor(d$cp)
  d$hd <- as.numeric(d$num > 0)
  d
}

test_that("tidy() has broom's columns and values", {
  skip_if_not_installed("broom")
  d <- broom_data()
  f <- fit(hd ~ age + sex + thalach + cp, d, family = binomial())
  g <- glm_tight(hd ~ age + sex + thalach + cp, data = d, family = binomial())
  tf <- generics::tidy(f, conf.int = TRUE)
  tg <- suppressMessages(broom::tidy(g, conf.int = TRUE))
  expect_identical(names(tf), c("term", "estimate", "std.error", "statistic", "p.value",
                                "conf.low", "conf.high"))
  expect_identical(names(tf), names(tg))
  expect_s3_class(tf, "tbl_df")
  expect_identical(tf$term, tg$term)
  expect_lt(max_rel_diff(tf$estimate, tg$estimate), 1e-8)
  expect_lt(max_rel_diff(tf$std.error, tg$std.error), 1e-7)
  expect_lt(max_rel_diff(tf$p.value, tg$p.value), 1e-6)
  expect_lt(max_rel_diff(cbind(tf$conf.low, tf$conf.high), cbind(tg$conf.low, tg$conf.high)), 1e-4)
  te <- generics::tidy(f, conf.int = TRUE, exponentiate = TRUE, conf.method = "wald")
  expect_equal(te$estimate, exp(tf$estimate))
  expect_equal(te$conf.high, exp(confint(f, method = "wald")[, 2]), ignore_attr = TRUE)
  expect_identical(names(generics::tidy(f)), names(tg)[1:5])
  expect_equal(generics::tidy(f, vcov = "sandwich")$std.error,
               unname(sqrt(diag(vcov(f, type = "sandwich")))))
})

test_that("glance() has glance(glm)'s columns and values", {
  skip_if_not_installed("broom")
  d <- broom_data()
  for (case in list(list(hd ~ age + sex, binomial()), list(thalach ~ age + cp, gaussian()),
                    list(num ~ 0 + age + sex, poisson()))) {
    f <- fit(case[[1]], d, family = case[[2]])
    g <- glm_tight(case[[1]], data = d, family = case[[2]])
    gf <- generics::glance(f)
    gg <- broom::glance(g)
    expect_identical(names(gf)[seq_along(gg)], names(gg))
    expect_equal(as.numeric(gf[names(gg)]), as.numeric(gg), tolerance = 1e-8)
    expect_identical(gf$converged, TRUE)
  }
})

test_that("augment() has broom's columns and values, for the data and for newdata", {
  skip_if_not_installed("broom")
  d <- broom_data()
  f <- fit(hd ~ age + sex + thalach + ca, d, family = binomial())
  g <- glm_tight(hd ~ age + sex + thalach + ca, data = d, family = binomial())
  af <- generics::augment(f, type.predict = "response", se_fit = TRUE)
  ag <- broom::augment(g, type.predict = "response", se_fit = TRUE)
  expect_identical(nrow(af), 299L)
  expect_true(all(c(".fitted", ".se.fit", ".resid", ".std.resid", ".hat", ".cooksd") %in% names(af)))
  expect_identical(setdiff(names(ag), names(af)), ".sigma")
  for (col in c(".fitted", ".resid", ".std.resid", ".hat", ".cooksd")) {
    expect_lt(max_rel_diff(af[[col]], ag[[col]]), 1e-6)
  }
  # Observed and expected information coincide for the logit link.
  expect_lt(max_rel_diff(af$.se.fit, ag$.se.fit), 1e-6)
  an <- generics::augment(f, newdata = d[1:5, ], se_fit = TRUE)
  expect_identical(nrow(an), 5L)
  expect_equal(an$.fitted, unname(predict(f, d[1:5, ])))
  expect_error(generics::augment(f, data = d), class = "mleglm_error_input")
})
