# The methods that evaluate the likelihood away from the estimate, on fits
# with an extra parameter (negbin, custom), against MASS, optim() and the
# definitions; and step() on mleglm fits against step() on glm().

skip_if_not_installed("MASS")

nb_data <- function() {
  d <- heart
  set.seed(11)
  d$cnt <- stats::rnbinom(nrow(d), size = 2, mu = exp(0.5 + 0.02 * (d$age - 50) + 0.3 * d$sex))
  d
}

test_that("negbin anova() and drop1(): LR tests with theta re-estimated, as glm.nb's (1e-6)", {
  d <- nb_data()
  f <- fit(cnt ~ age + sex + cp, d, family = negbin())
  ll <- vapply(list(cnt ~ 1, cnt ~ age, cnt ~ age + sex, cnt ~ age + sex + cp),
               function(fm) as.numeric(logLik(MASS::glm.nb(fm, d))), 0)
  a <- anova(f)
  expect_equal(a[["LR stat"]][-1L], 2 * diff(ll), tolerance = 1e-6)
  expect_false("Deviance" %in% names(a))
  dr <- drop1(f, test = "LRT")
  full <- ll[4L]
  drop_ll <- vapply(list(cnt ~ sex + cp, cnt ~ age + cp, cnt ~ age + sex),
                    function(fm) as.numeric(logLik(MASS::glm.nb(fm, d))), 0)
  expect_equal(dr$LRT[-1L], 2 * (full - drop_ll), tolerance = 1e-6)
  expect_equal(dr$AIC[1L], AIC(f), tolerance = 1e-10)
  # Each model's log-likelihood, not deviances at different thetas (whose
  # differences are not the LRT beside them).
  expect_false("Deviance" %in% names(dr))
  expect_equal(dr$logLik, c(full, drop_ll), tolerance = 1e-6)
  expect_equal(dr$LRT[-1L], 2 * (dr$logLik[1L] - dr$logLik[-1L]), tolerance = 1e-12)
  expect_match(paste(attr(dr, "heading"), collapse = ""), "not comparable", fixed = TRUE)
  ad <- add1(fit(cnt ~ age + sex, d, family = negbin()), ~ . + cp, test = "LRT")
  expect_identical(names(ad), c("Df", "logLik", "AIC", "LRT", "Pr(>Chi)"))
  expect_equal(ad$LRT[2L], 2 * (ad$logLik[2L] - ad$logLik[1L]), tolerance = 1e-12)
  expect_error(anova(f, test = "F"), class = "mleglm_error_unsupported")
})

test_that("negbin confint(method = 'profile') solves the LR equation and is near MASS's", {
  d <- nb_data()
  f <- fit(cnt ~ age + sex + cp, d, family = negbin())
  ci <- confint(f, method = "profile")[1:4, ]
  # Oracle: at each end, the likelihood maximised over the other
  # coefficients and log(theta) by optim() lies q^2 / 2 below the maximum
  # (1e-4 on the z^2 scale: optim's tolerance).
  op <- mleglm:::optim_problem(f)
  q2 <- qnorm(0.975)^2
  for (j in c(2L, 4L)) for (b in ci[j, ]) {
    fixed <- function(rest) op$fn(append(rest, b, after = j - 1L))
    o <- optim(f$par[-j], fixed, method = "BFGS", control = list(reltol = 1e-14, maxit = 500))
    expect_equal(2 * (o$value + f$loglik), q2, tolerance = 1e-4)
  }
  # MASS holds theta at its estimate while profiling and interpolates by
  # spline; re-estimating theta moves the ends by a few thousandths of a
  # standard error here: within 2% of a standard error.
  m <- MASS::glm.nb(cnt ~ age + sex + cp, d)
  se <- sqrt(diag(vcov(f)))[1:4]
  expect_lt(max(abs(ci - suppressMessages(confint(m))) / se), 0.02)
  # With theta held at its estimate the likelihood falls at least as fast,
  # so MASS's intervals lie inside these (5e-4 allows its spline); the
  # quine figures of ?confint.mleglm_joint to their 3 printed decimals.
  f <- fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin())
  m <- MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, MASS::quine)
  ours <- confint(f)[1:7, ]
  theirs <- suppressMessages(confint(m))
  expect_true(all(ours[, 1] <= theirs[, 1] + 5e-4 & ours[, 2] >= theirs[, 2] - 5e-4))
  expect_equal(round(unname(ours[1, ]), 3), c(2.461, 3.361))
  expect_equal(round(unname(theirs[1, ]), 3), c(2.463, 3.358))
})

test_that("custom profile intervals: the LR equation holds at the ends (1e-4)", {
  f <- fit(y ~ x, outlier_data(), family = t4_family())
  ci <- confint(f, parm = "x", method = "profile")
  op <- mleglm:::optim_problem(f)
  for (b in ci[1, ]) {
    o <- optim(f$par[-2], function(r) op$fn(c(r[1], b, r[2])), method = "BFGS",
               control = list(reltol = 1e-14, maxit = 500))
    expect_equal(2 * (o$value + f$loglik), qnorm(0.975)^2, tolerance = 1e-4)
  }
  expect_error(information_at(f, coef(f), type = "expected"), class = "mleglm_error_unsupported")
  chk <- check_derivatives(f)
  expect_lt(chk$max_score_error, 1e-5)
})

test_that("step() walks the same path as on glm(), with the same AIC (1e-6)", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  specs <- list(list(thalach ~ age + sex + exang + oldpeak + chol + trestbps, gaussian()),
                list(hd ~ age + sex + thalach + chol + fbs + trestbps, binomial()),
                list(num ~ age + sex + chol + fbs + trestbps, poisson()))
  for (s in specs) {
    f <- fit(s[[1]], d, family = s[[2]])
    g <- glm(s[[1]], data = d, family = s[[2]])
    sf <- step(f, trace = 0)
    sg <- step(g, trace = 0)
    expect_identical(attr(terms(sf), "term.labels"), attr(terms(sg), "term.labels"))
    expect_equal(extractAIC(sf), extractAIC(sg), tolerance = 1e-6)
    expect_equal(sf$anova$AIC, sg$anova$AIC, tolerance = 1e-6)
  }
  # And on a negbin fit: the same path as on glm.nb(), theta counted.
  dn <- nb_data()
  fn <- fit(cnt ~ age + sex + cp + chol, dn, family = negbin())
  gn <- MASS::glm.nb(cnt ~ age + sex + cp + chol, dn)
  sfn <- step(fn, trace = 0)
  sgn <- step(gn, trace = 0)
  expect_identical(attr(terms(sfn), "term.labels"), attr(terms(sgn), "term.labels"))
  expect_equal(extractAIC(sfn), extractAIC(sgn) + c(1, 2), tolerance = 1e-6)
})
