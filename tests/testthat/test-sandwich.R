# The robust covariance against the sandwich package.
#
# For canonical links sandwich's glm methods (expected information in the
# bread) and mleglm's (observed) are the same matrix; glm's working weights
# lag one iteration, which glm_tight() makes negligible: 1e-8 relative.
# Through mleglm's own estfun() and bread() the sandwich package must give
# vcov(type = "sandwich") to rounding (1e-10).

sandwich_cases <- list(
  binomial = list(hd ~ age + sex + thalach + factor(cp), binomial()),
  poisson = list(num ~ age + sex + thalach + factor(cp), poisson()),
  gaussian = list(thalach ~ age + exang + oldpeak, gaussian())
)

for (nm in names(sandwich_cases)) {
  test_that(paste(nm, ": vcov(type = 'sandwich') matches sandwich::vcovHC on glm, HC0 and HC1"), {
    skip_if_not_installed("sandwich")
    d <- heart
    d$hd <- as.numeric(d$num > 0)
    case <- sandwich_cases[[nm]]
    f <- fit(case[[1]], d, family = case[[2]])
    g <- glm_tight(case[[1]], data = d, family = case[[2]])
    for (hc in c("HC0", "HC1")) {
      expect_lt(max_rel_diff(vcov(f, type = "sandwich", hc = hc),
                             sandwich::vcovHC(g, type = hc)), 1e-8)
      expect_lt(max_rel_diff(sandwich::vcovHC(f, type = hc),
                             vcov(f, type = "sandwich", hc = hc)), 1e-10)
    }
    expect_lt(max_rel_diff(sandwich::sandwich(f), vcov(f, type = "sandwich")), 1e-10)
    expect_lt(max_rel_diff(sandwich::estfun(f), sandwich::estfun(g)), 1e-6)
    # HC1 is HC0 times n / (n - p).
    expect_equal(vcov(f, type = "sandwich", hc = "HC1"),
                 vcov(f, type = "sandwich") * nobs(f) / (nobs(f) - length(coef(f))),
                 tolerance = 1e-12)
  })
}

test_that("for a probit model the bread is the observed information, not sandwich's expected", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  f <- fit(hd ~ age + sex + thalach, d, family = binomial(link = "probit"))
  u <- sandwich::estfun(f)
  v <- vcov(f)
  expect_lt(max_rel_diff(vcov(f, type = "sandwich"), v %*% crossprod(u) %*% v), 1e-10)
  # estfun's columns sum to the score, zero at the estimate.
  expect_lt(max(abs(colSums(u))), 1e-6)
  expect_identical(dim(u), c(303L, 4L))
  expect_equal(sandwich::bread(f), 303 * v, tolerance = 1e-12)
})

test_that("the sandwich does not depend on the dispersion and handles aliasing", {
  d <- heart
  d$age2 <- d$age
  f <- suppressWarnings(fit(thalach ~ age + age2 + exang, d))
  v <- vcov(f, type = "sandwich")
  expect_true(all(is.na(v["age2", ])))
  expect_identical(dim(vcov(f, type = "sandwich", complete = FALSE)), c(3L, 3L))
  expect_error(vcov(f, type = "sandwich", hc = "HC3"), class = "mleglm_error_input")
  expect_error(vcov(f, type = "robust"), class = "mleglm_error_input")
})
