# predict() against predict.glm(). Tolerances: fits 1e-8 relative, standard
# errors 1e-7 (glm's covariance lags one iteration; glm_tight() shrinks it).

predict_data <- function() {
  d <- heart
  d$cp <- factor(d$cp)
  d$hd <- as.numeric(d$num > 0)
  d
}

new_rows <- data.frame(age = c(40, 55, 70, NA), sex = c(0, 1, 1, 0), thalach = c(170, 150, 120, 140),
                       cp = c("1", "4", "2", "3"), chol = c(200, 250, 300, 220))

test_that("link and response predictions with standard errors match predict.glm", {
  d <- predict_data()
  cases <- list(
    list(hd ~ age + sex + thalach + cp, binomial()),
    list(hd ~ age + sex + thalach, binomial(link = "probit")),
    list(num ~ age + sex + cp + offset(log(chol)), poisson()),
    list(chol ~ age + sex + thalach, Gamma(link = "log")),
    list(thalach ~ age + sex + cp, gaussian()))
  for (case in cases) {
    f <- fit(case[[1]], d, family = case[[2]])
    g <- glm_tight(case[[1]], data = d, family = case[[2]])
    label <- paste(case[[2]]$family, case[[2]]$link)
    for (type in c("link", "response")) {
      expect_equal(predict(f, type = type), predict(g, type = type), tolerance = 1e-8)
      pf <- predict(f, new_rows, type = type, se.fit = TRUE, vcov = "glm")
      pg <- predict(g, new_rows, type = type, se.fit = TRUE)
      expect_identical(is.na(pf$fit), is.na(pg$fit), label = label)
      expect_lt(max_rel_diff(pf$fit[1:3], pg$fit[1:3]), 1e-8)
      expect_lt(max_rel_diff(pf$se.fit[1:3], pg$se.fit[1:3]), 1e-7)
      expect_equal(pf$residual.scale, pg$residual.scale, tolerance = 1e-7)
      expect_lt(max_rel_diff(predict(f, se.fit = TRUE, type = type, vcov = "glm")$se.fit,
                             predict(g, se.fit = TRUE, type = type)$se.fit), 1e-7)
    }
    # The default standard errors use the observed information at ML dispersion.
    x <- model.matrix(f)
    expect_equal(predict(f, se.fit = TRUE)$se.fit, sqrt(rowSums((x %*% vcov(f)) * x)),
                 tolerance = 1e-10, ignore_attr = TRUE)
  }
})

test_that("confidence intervals are computed on the link scale and transformed", {
  d <- predict_data()
  f <- fit(hd ~ age + sex + thalach + cp, d, family = binomial())
  link <- predict(f, new_rows, interval = "confidence", level = 0.9)
  expect_identical(colnames(link), c("fit", "lwr", "upr"))
  se <- predict(f, new_rows, se.fit = TRUE)$se.fit
  expect_equal(link[, "upr"], link[, "fit"] + qnorm(0.95) * se, tolerance = 1e-12, ignore_attr = TRUE)
  resp <- predict(f, new_rows, type = "response", interval = "confidence", level = 0.9)
  expect_equal(resp, plogis(link), tolerance = 1e-12)
  expect_true(all(resp[1:3, "lwr"] > 0 & resp[1:3, "upr"] < 1))
  # A decreasing link keeps lwr <= upr.
  g <- fit(chol ~ age + sex, d, family = Gamma(link = "inverse"))
  r <- predict(g, new_rows, type = "response", interval = "confidence")
  expect_true(all(r[1:3, "lwr"] < r[1:3, "fit"] & r[1:3, "fit"] < r[1:3, "upr"]))
  # vcov = "glm" with an estimated dispersion uses t quantiles.
  h <- fit(thalach ~ age + sex, d)
  p <- predict(h, new_rows, interval = "confidence", se.fit = TRUE, vcov = "glm")
  expect_equal(unname(p$fit[1, "upr"] - p$fit[1, "fit"]), unname(qt(0.975, 300) * p$se.fit[1]),
               tolerance = 1e-12)
})

test_that("predictions for the fitted rows are padded like glm's with na.exclude", {
  d <- predict_data()
  f <- fit(thalach ~ age + ca, d, na.action = na.exclude)
  g <- glm(thalach ~ age + ca, data = d, na.action = na.exclude)
  expect_equal(predict(f), predict(g), tolerance = 1e-8)
  expect_equal(predict(f, se.fit = TRUE, vcov = "glm")$se.fit, predict(g, se.fit = TRUE)$se.fit,
               tolerance = 1e-7)
  expect_equal(predict(f, interval = "confidence")[, "fit"], predict(g), tolerance = 1e-8)
})

test_that("fit_matrix fits predict from a matrix, with an optional offset", {
  x <- cbind("(Intercept)" = 1, age = heart$age)
  f <- fit_matrix(x, heart$num, family = poisson(), offset = log(heart$chol))
  new <- x[1:3, ]
  expect_equal(predict(f, new, newoffset = log(heart$chol[1:3])), predict(f)[1:3],
               tolerance = 1e-12, ignore_attr = TRUE)
  expect_equal(predict(f, new[, c("age", "(Intercept)")]), predict(f, new), tolerance = 1e-12)
  expect_error(predict(f, data.frame(age = 1)), class = "mleglm_error_newdata")
  expect_error(predict(f, cbind(1, 2, 3)), class = "mleglm_error_newdata")
  expect_error(predict(f, cbind(a = 1, age = 2)), class = "mleglm_error_newdata")
  expect_error(predict(f, new, newoffset = 1), class = "mleglm_error_newdata")
})

test_that("bad newdata gets classed errors that name the column", {
  d <- predict_data()
  f <- fit(hd ~ age + sex + thalach + cp, d, family = binomial())
  bad_level <- transform(new_rows, cp = c("1", "9", "2", "3"))
  expect_error(predict(f, bad_level), class = "mleglm_error_newdata", regexp = "'cp'.*'9'")
  expect_error(predict(f, new_rows[, c("age", "sex", "cp")]), class = "mleglm_error_newdata",
               regexp = "'thalach'")
  expect_error(predict(f, transform(new_rows, age = as.character(age))),
               class = "mleglm_error_newdata", regexp = "'age'")
  expect_error(predict(f, transform(new_rows, cp = as.numeric(cp))),
               class = "mleglm_error_newdata", regexp = "'cp'")
  expect_error(predict(f, 1:3), class = "mleglm_error_newdata")
  # A factor built in the formula fails inside model.frame(): still classed.
  f2 <- fit(hd ~ age + factor(cp), transform(heart, hd = num > 0),
            family = binomial())
  expect_error(predict(f2, data.frame(age = 50, cp = 7)), class = "mleglm_error_newdata")
  expect_error(predict(f, new_rows, type = "terms"), class = "mleglm_error_input")
  expect_error(predict(f, new_rows, interval = "prediction"), class = "mleglm_error_input")
  expect_error(predict(f, new_rows, level = 2), class = "mleglm_error_input")
  expect_error(predict(f, new_rows, se.fit = NA), class = "mleglm_error_input")
  # Text for a factor is fine, as in predict.glm.
  expect_equal(predict(f, new_rows), predict(f, transform(new_rows, cp = factor(cp, levels = 1:4))))
})

test_that("a rank-deficient fit predicts with a classed warning", {
  d <- heart
  d$age2 <- d$age
  f <- suppressWarnings(fit(thalach ~ age + age2, d))
  expect_warning(p <- predict(f, data.frame(age = 50, age2 = 50)), class = "mleglm_warning_rank_deficient")
  expect_equal(unname(p), unname(coef(f)[1] + 50 * coef(f)[2]))
})

test_that("what the help says of predict.glm's standard errors holds for logit and probit", {
  d <- predict_data()
  rel <- function(a, b) max(abs(a - b) / abs(b))
  # Canonical logit: observed = expected information, so the default
  # standard errors are glm's (1e-7, glm run to convergence).
  f <- fit(hd ~ age + sex + thalach, d, family = binomial())
  g <- glm_tight(hd ~ age + sex + thalach, data = d, family = binomial())
  expect_lt(rel(predict(f, new_rows[1:3, ], se.fit = TRUE)$se.fit,
                predict(g, new_rows[1:3, ], se.fit = TRUE)$se.fit), 1e-7)
  # Probit: vcov = "glm" agrees with glm run to convergence to 1e-7; at
  # glm's default epsilon its estimate stops 1e-6 to 1e-4 (relative) from
  # the maximum and its standard errors differ by less than 1e-4.
  f <- fit(hd ~ age + sex + thalach, d, family = binomial("probit"))
  g <- glm_tight(hd ~ age + sex + thalach, data = d, family = binomial("probit"))
  g0 <- glm(hd ~ age + sex + thalach, data = d, family = binomial("probit"))
  se_glm <- predict(f, new_rows[1:3, ], se.fit = TRUE, vcov = "glm")$se.fit
  expect_lt(rel(se_glm, predict(g, new_rows[1:3, ], se.fit = TRUE)$se.fit), 1e-7)
  gap <- rel(coef(g0), coef(f))
  expect_gt(gap, 1e-6)
  expect_lt(gap, 1e-4)
  expect_lt(rel(se_glm, predict(g0, new_rows[1:3, ], se.fit = TRUE)$se.fit), 1e-4)
  # The default (observed information) differs from glm's by 1 to 3 percent.
  gap <- rel(predict(f, new_rows[1:3, ], se.fit = TRUE)$se.fit,
             predict(g, new_rows[1:3, ], se.fit = TRUE)$se.fit)
  expect_gt(gap, 0.01)
  expect_lt(gap, 0.03)
})
