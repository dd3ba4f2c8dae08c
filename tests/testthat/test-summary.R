# vcov() types and summary(vcov = ...): the statement of which is used.

test_that("summary(vcov = 'sandwich') uses the sandwich standard errors and says so", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  f <- fit(hd ~ age + sex + thalach, d, family = binomial())
  for (hc in c("HC0", "HC1")) {
    s <- summary(f, vcov = "sandwich", hc = hc)
    expect_equal(s$coefficients[, "Std. Error"], sqrt(diag(vcov(f, type = "sandwich", hc = hc))),
                 tolerance = 1e-12)
    expect_identical(colnames(s$coefficients)[3:4], c("z value", "Pr(>|z|)"))
    out <- capture.output(print(s))
    expect_true(any(grepl(sprintf("robust sandwich \\(%s\\)", hc), out)))
  }
  expect_true(any(grepl("expected \\(Fisher\\) information", capture.output(summary(f, vcov = "expected")))))
  expect_error(summary(f, vcov = "HC0"), class = "mleglm_error_input")
})

test_that("with a dispersion, the summary says which estimate the standard errors use", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  out <- capture.output(summary(f, vcov = "sandwich"))
  expect_true(any(grepl("do not depend on the dispersion", out)))
  expect_false(any(grepl("used for the standard errors", out)))
  expect_true(any(grepl("n = 303\\), used for the standard errors", capture.output(summary(f)))))
  expect_true(any(grepl("n - p = 299\\), used for the standard errors",
                        capture.output(summary(f, vcov = "glm")))))
})
