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

test_that("format() of a summary is the lines print() writes, digits honoured", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  for (vcov in c("observed", "expected", "sandwich", "glm")) {
    s <- summary(f, vcov = vcov)
    expect_format_is_print(s)
    expect_format_is_print(s, digits = 5)
  }
  lines <- expect_format_is_print(summary(f), digits = 3)
  expect_identical(lines[1:16], c(
    "",
    "Call:",
    "fit(formula = thalach ~ age + exang + oldpeak, data = heart)",
    "",
    "Family: gaussian (link: identity)",
    "",
    "Coefficients (standard errors from the observed information at the MLE):",
    "            Estimate Std. Error z value Pr(>|z|)    ",
    "(Intercept)  203.366      6.701   30.35  < 2e-16 ***",
    "age           -0.830      0.124   -6.70  2.1e-11 ***",
    "exang        -14.254      2.436   -5.85  4.9e-09 ***",
    "oldpeak       -3.781      1.002   -3.77  0.00016 ***",
    "---",
    lines[14],
    "",
    "Dispersion: 362.137 maximum likelihood (divided by n = 303), used for the standard errors"))
  expect_match(lines[14], "^Signif. codes:")
  expect_identical(lines[17:21], c(
    "            366.982 Pearson, as glm() (divided by n - p = 299)",
    "Log-likelihood: -1322.58 (df = 5)   AIC: 2655.16   BIC: 2673.73",
    "Residual deviance: 109728 on 299 degrees of freedom (n = 303)",
    "",
    "Convergence: converged at the starting values (for the Gaussian with identity"))
  # Why no iteration was needed, wrapped to the width.
  expect_identical(lines[22:23], c(
    "  link the starting step, one weighted least-squares fit, solves the score",
    "  equations)"))
  expect_identical(f$iterations, 0L)
  expect_match(lines[24], "^  Newton decrement .* condition number of the information 1.15e\\+05$")
  expect_length(lines, 24L)
  # A fit that steps says how many steps.
  p <- summary(fit(num ~ age + sex, heart, family = poisson()))
  expect_true(any(grepl("^Convergence: converged after [0-9]+ newton iterations \\(Newton decrement below tol\\)$",
                        format(p))))
  wide <- format(summary(f), digits = 8)
  expect_identical(wide[16:19], c(
    "Dispersion: 362.13728171 maximum likelihood (divided by n = 303), used for the standard errors",
    "            366.98192762 Pearson, as glm() (divided by n - p = 299)",
    "Log-likelihood: -1322.5799163 (df = 5)   AIC: 2655.1598326   BIC: 2673.7284966",
    "Residual deviance: 109727.5964 on 299 degrees of freedom (n = 303)"))
})

test_that("format() of the summaries of binomial, separated and rank-deficient fits", {
  b <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial)
  lines <- expect_format_is_print(summary(b))
  expect_true("Dispersion: 1 (fixed by the binomial family)" %in% lines)
  sep <- suppressWarnings(fit(y ~ x, data.frame(x = 1:6, y = c(0, 0, 0, 1, 1, 1)), family = binomial))
  lines <- expect_format_is_print(summary(sep), digits = 4)
  expect_identical(lines[grep("^Infinite estimates", lines) + 1L],
                   "  the values above are where the solver stopped.")
  expect_identical(lines[length(lines) - 1L], "Warnings raised while fitting:")
  d <- heart
  d$age_dup <- d$age
  lines <- expect_format_is_print(summary(suppressWarnings(fit(thalach ~ age + age_dup + sex, d))))
  expect_true("(1 not defined because of singularities: age_dup)" %in% lines)
})
