# vcov() (R/vcov.R): the inverse of the observed or the expected
# information at the estimate, or glm's covariance (expected information,
# Pearson dispersion). The sandwich type is tested in test-sandwich.R, the
# tutorial's standard errors in test-heart.R and summary(vcov = ...) in
# test-summary.R.
#
# Tolerances: observed and expected information agree to 1e-8 relative for
# canonical links and differ by more than 1e-3 for the probit; "glm" and
# "expected" coincide for a family without dispersion (1e-12); against
# vcov(glm) 1e-6 relative (glm's covariance comes from the weights of its
# previous iterate), coefficients 1e-8 (glm run with epsilon = 1e-14).

# The fits of test-methods.R (helper-methods.R): a factor, an interaction,
# I(), an offset() term, weights, a subset and na.exclude.
both <- lapply(method_cases, method_fits)

for (nm in names(method_cases)) {
  f <- both[[nm]]$f

  test_that(paste(nm, ": expected and observed information agree for the canonical link"), {
    expect_lt(max_rel_diff(vcov(f, type = "expected"), vcov(f, type = "observed")), 1e-8)
  })
}

test_that("observed and expected information differ for the probit link", {
  f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial(link = "probit"))
  g <- glm_tight(num > 0 ~ age + sex + thalach, data = heart, family = binomial(link = "probit"))
  expect_gt(max_rel_diff(vcov(f, type = "expected"), vcov(f, type = "observed")), 1e-3)
  # glm uses the expected information: "glm" and "expected" coincide for a
  # family with fixed dispersion and match vcov(glm) to 1e-6.
  expect_lt(max_rel_diff(vcov(f, type = "glm"), vcov(f, type = "expected")), 1e-12)
  expect_lt(max_rel_diff(vcov(f, type = "expected"), vcov(g)), 1e-6)
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-8)
})
