# Infinite estimates (R/separation.R): complete and quasi-complete
# separation, all-zero responses and a poisson factor level with only zero
# counts are flagged with the coefficients that diverge and their signs,
# reported as not converged, and shown by print() and summary(); fits whose
# maximum exists are never flagged. The oracle for random problems is the
# linear programme of Konis (2007), solved by lpSolve.

# The value of expr and the first classes of its warnings (helper-conditions.R).
collect <- function(expr) {
  res <- collect_conditions(expr)
  list(value = res$value, classes = first_classes(res$warnings))
}

complete_data <- data.frame(x = 1:6, y = c(0, 0, 0, 1, 1, 1))
# Quasi-complete: the two rows at x = 4 hold a 0 and a 1, the others are
# split by x = 4 (Albert and Anderson 1984, section 3).
quasi_data <- data.frame(x = c(1, 2, 3, 4, 4, 5, 6), y = c(0, 0, 0, 0, 1, 1, 1))

test_that("complete separation: both coefficients infinite, a classed warning, not converged", {
  for (method in c("newton", "fisher", "bfgs")) {
    res <- collect(fit(y ~ x, complete_data, family = binomial, method = method))
    f <- res$value
    expect_identical(res$classes, "mleglm_warning_separation")
    expect_identical(f$separation, c("(Intercept)" = -Inf, x = Inf))
    expect_false(f$converged)
    expect_match(f$message, "infinite", fixed = TRUE)
    expect_identical(vapply(f$warnings, `[[`, "", "kind"), "separation")
    expect_match(f$warnings[[1]]$message, "complete separation", fixed = TRUE)
    expect_match(f$warnings[[1]]$message, "'x' (+Inf)", fixed = TRUE)
  }
})

test_that("complete separation is shown by print() and summary(), with NA standard errors", {
  f <- suppressWarnings(fit(y ~ x, complete_data, family = binomial))
  expect_output(print(f), "Infinite estimates", fixed = TRUE)
  expect_output(print(f), "'(Intercept)' (-Inf), 'x' (+Inf)", fixed = TRUE)
  expect_output(print(f), "Did NOT converge", fixed = TRUE)
  s <- summary(f)
  expect_true(all(is.na(s$coefficients[, "Std. Error"])))
  expect_output(print(s), "Infinite estimates", fixed = TRUE)
  expect_output(print(s), "[separation]", fixed = TRUE)
})

test_that("quasi-complete separation names both coefficients, for every link and method", {
  for (link in c("logit", "probit", "cloglog", "cauchit")) {
    for (method in c("newton", "fisher", "bfgs")) {
      res <- collect(fit(y ~ x, quasi_data, family = binomial(link = link), method = method))
      label <- paste(link, method)
      expect_identical(res$classes, "mleglm_warning_separation", label = label)
      expect_identical(res$value$separation, c("(Intercept)" = -Inf, x = Inf), label = label)
      expect_match(res$value$warnings[[1]]$message, "quasi-complete", fixed = TRUE, label = label)
      # The tied rows stay at probability one half, up to where the diverging
      # fit stopped (cauchit's heavy tails stop it furthest away: 1.6e-6).
      expect_equal(unname(fitted(res$value)[4:5]), c(0.5, 0.5), tolerance = 1e-5, label = label)
    }
  }
})

test_that("the endometrial data: only NV is infinite, the others match glm's finite values", {
  skip_if_not_installed("brglm2")
  data("endometrial", package = "brglm2", envir = environment())
  res <- collect(fit(HG ~ NV + PI + EH, endometrial, family = binomial))
  expect_identical(res$classes, "mleglm_warning_separation")
  expect_identical(res$value$separation, c(NV = Inf))
  g <- suppressWarnings(glm_tight(HG ~ NV + PI + EH, data = endometrial, family = binomial))
  keep <- c("(Intercept)", "PI", "EH")
  expect_lt(max_rel_diff(coef(res$value)[keep], coef(g)[keep]), 1e-6)
  expect_true(all(is.finite(summary(res$value)$coefficients[keep, "Std. Error"])))
})

test_that("all-zero and all-one responses: the intercept is infinite", {
  set.seed(61)
  d <- data.frame(x = rnorm(25))
  cases <- list(
    list(y = 0, family = binomial(), limit = -Inf),
    list(y = 1, family = binomial(), limit = Inf),
    list(y = 0, family = poisson(), limit = -Inf),
    list(y = 0, family = binomial(link = "probit"), limit = -Inf)
  )
  for (case in cases) {
    d$y <- case$y
    res <- collect(fit(y ~ x, d, family = case$family))
    label <- paste(case$family$family, case$family$link, case$y)
    expect_identical(res$classes, "mleglm_warning_separation", label = label)
    expect_identical(res$value$separation, c("(Intercept)" = case$limit), label = label)
  }
})

test_that("a poisson factor level with only zero counts: that level's coefficient is -Inf", {
  set.seed(62)
  d <- data.frame(f = factor(rep(c("a", "b", "c"), each = 10)),
                  y = c(rpois(10, 3), rep(0, 10), rpois(10, 5)))
  res <- collect(fit(y ~ f, d, family = poisson))
  expect_identical(res$classes, "mleglm_warning_separation")
  expect_identical(res$value$separation, c(fb = -Inf))
  expect_match(res$value$warnings[[1]]$message, "rows 11, 12", fixed = TRUE)
  # The other coefficients are the log means of their levels.
  expect_equal(unname(coef(res$value)[c(1, 3)]),
               c(log(mean(d$y[1:10])), log(mean(d$y[21:30]) / mean(d$y[1:10]))), tolerance = 1e-8)
  # As the reference level, the intercept goes to -Inf and the other levels to +Inf.
  d$f <- relevel(d$f, "b")
  res <- collect(fit(y ~ f, d, family = poisson))
  expect_identical(res$value$separation, c("(Intercept)" = -Inf, fa = Inf, fc = Inf))
})

test_that("grouped binomial data: rows with both outcomes stay finite", {
  d <- data.frame(x = c(1, 2, 2.5, 3, 4), s = c(0, 0, 2, 3, 5), f = c(5, 4, 2, 0, 0))
  res <- collect(fit(cbind(s, f) ~ x, d, family = binomial))
  expect_identical(res$value$separation, c("(Intercept)" = -Inf, x = Inf))
  expect_match(res$value$warnings[[1]]$message, "quasi-complete", fixed = TRUE)
  expect_equal(unname(fitted(res$value)[3]), 0.5, tolerance = 1e-6)
})

test_that("fits whose maximum exists are not flagged", {
  fits <- list(
    fit(num > 0 ~ age + sex + thalach + oldpeak, heart, family = binomial),
    fit(num > 0 ~ age + sex, heart, family = binomial(link = "cloglog")),
    fit(num ~ age + sex + cp, heart, family = poisson),
    # A zero count with the identity link: its mean can reach 0 at finite
    # coefficients, so nothing diverges.
    fit(y ~ x, data.frame(x = 1:8, y = c(0, 4, 1, 3, 5, 4, 6, 5)), family = poisson(link = "identity"))
  )
  for (f in fits) {
    expect_length(f$separation, 0L)
    expect_false(any(vapply(f$warnings, `[[`, "", "kind") == "separation"))
  }
})

# Konis (2007): maximise sum_i s_i x_i'd over |d_j| <= 1 subject to
# s_i x_i'd >= 0 where the response is at a boundary and x_i'd = 0 elsewhere;
# the estimates are infinite exactly when the maximum is positive.
lp_separated <- function(x, y, family) {
  p <- ncol(x)
  s <- if (family$family == "poisson") ifelse(y == 0, -1, 0) else ifelse(y == 0, -1, ifelse(y == 1, 1, 0))
  a <- x * ifelse(s == 0, 1, s)
  m <- cbind(a, -a)
  r <- lpSolve::lp("max", colSums(m[s != 0, , drop = FALSE]), rbind(m, diag(2 * p)),
                   c(ifelse(s != 0, ">=", "="), rep("<=", 2 * p)),
                   c(rep(0, nrow(m)), rep(1, 2 * p)))
  r$objval > 1e-7
}

test_that("on random problems the flag agrees with the linear programme (seeded, 300 cases)", {
  skip_if_not_installed("lpSolve")
  set.seed(63)
  families <- list(binomial(), binomial("probit"), binomial("cloglog"), binomial("cauchit"),
                   poisson())
  agree <- logical(300)
  separated <- logical(300)
  for (i in seq_along(agree)) {
    n <- sample(c(8, 12, 20, 50, 200), 1)
    p <- sample(1:4, 1)
    x <- cbind("(Intercept)" = 1, matrix(rnorm(n * p), n, dimnames = list(NULL, paste0("x", 1:p))))
    if (runif(1) < 0.3) x[, 2] <- round(x[, 2])  # ties give quasi-complete separation
    family <- families[[sample(length(families), 1)]]
    eta <- drop(x %*% rnorm(p + 1, sd = 2))
    y <- if (family$family == "binomial") rbinom(n, 1, family$linkinv(eta)) else rpois(n, exp(pmin(eta, 5)))
    f <- suppressWarnings(fit_matrix(x, y, family = family,
                                     method = sample(c("newton", "fisher", "bfgs"), 1)))
    separated[i] <- lp_separated(x, y, family)
    agree[i] <- (length(f$separation) > 0) == separated[i]
  }
  expect_true(all(agree), label = sprintf("disagreements in cases %s", paste(which(!agree), collapse = ", ")))
  # Both outcomes were exercised.
  expect_gt(sum(separated), 50)
  expect_gt(sum(!separated), 50)
})
