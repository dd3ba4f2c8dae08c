# profile(): the MASS-style grid of signed roots.

test_that("profile() returns MASS's layout and the signed root of the LR statistic", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  f <- fit(hd ~ age + sex + thalach, d, family = binomial())
  g <- glm_tight(hd ~ age + sex + thalach, data = d, family = binomial())
  pr <- profile(f)
  expect_s3_class(pr, "mleglm_profile")
  expect_identical(names(pr), names(coef(f)))
  for (name in names(pr)) {
    p <- pr[[name]]
    expect_identical(names(p), c("z", "par.vals"))
    expect_false(is.unsorted(p$z))
    expect_true(any(p$z == 0))
    expect_gte(max(abs(p$z)), qnorm(0.995) - 1e-8)
    # Each point: z^2 is the LR statistic of glm.fit() refitted at that value
    # (1e-6 absolute: glm.fit's own tolerance).
    j <- match(name, names(coef(f)))
    X <- model.matrix(g)
    for (k in c(1, nrow(p))) {
      b <- p$par.vals[k, name]
      r <- glm.fit(X[, -j], g$y, offset = X[, j] * b, family = binomial(),
                   control = glm.control(epsilon = 1e-14))
      expect_equal(p$z[k]^2, r$deviance - deviance(g), tolerance = 1e-6)
      expect_equal(unname(p$par.vals[k, -j]), unname(r$coefficients), tolerance = 1e-6)
    }
  }
  expect_identical(attr(pr, "original.fit"), f)
  expect_equal(attr(pr, "std.err"), sqrt(diag(vcov(f))))
})

test_that("profile() takes `which` and checks its arguments", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  pr <- profile(f, which = c("age", "exang"), maxsteps = 3, alpha = 0.05)
  expect_identical(names(pr), c("age", "exang"))
  expect_lte(nrow(pr$age), 7)
  expect_error(profile(f, which = "nope"), class = "mleglm_error_input")
  expect_error(profile(f, alpha = 0), class = "mleglm_error_input")
  expect_error(profile(f, maxsteps = -1), class = "mleglm_error_input")
  expect_error(profile(f, del = -1), class = "mleglm_error_input")
})
