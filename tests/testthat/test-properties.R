# Properties that hold for every GLM, checked over seeded random problems
# (helper-random.R) of every family: row order, integer weights against
# duplicated rows, zero weights against dropped rows, rescaled columns, a
# zero score at the maximum that small perturbations do not beat,
# cbind(successes, failures) against proportions with weights, and offset()
# against the offset argument.
#
# Differences of coefficients are measured in standard errors, so one
# tolerance fits every scale: the solvers stop within 1e-10 standard errors
# of the maximum (tol = 1e-10), and 1e-7 leaves room for the conditioning of
# a small random design.

se_distance <- function(a, b) {
  max(abs(coef(a) - coef(b)) / sqrt(diag(vcov(b))))
}

fit_quiet <- function(...) suppressWarnings(fit_matrix(...))

# A problem whose fit converged, redrawn otherwise (rarely needed).
converged_problem <- function(...) {
  repeat {
    pr <- random_problem(...)
    f <- fit_quiet(pr$x, pr$y, family = pr$family)
    if (f$converged && length(f$warnings) == 0L) return(c(pr, list(fit = f)))
  }
}

test_that("row order does not matter (100 problems)", {
  set.seed(81)
  worst_coef <- worst_ll <- 0
  for (i in 1:100) {
    pr <- converged_problem()
    o <- sample(nrow(pr$x))
    g <- fit_quiet(pr$x[o, ], pr$y[o], family = pr$family)
    worst_coef <- max(worst_coef, se_distance(g, pr$fit))
    worst_ll <- max(worst_ll, max_rel_diff(logLik(g), logLik(pr$fit)))
  }
  expect_lt(worst_coef, 1e-7)
  expect_lt(worst_ll, 1e-10)
})

test_that("integer weights equal duplicated rows (100 problems)", {
  set.seed(82)
  worst_coef <- worst_ll <- 0
  for (i in 1:100) {
    pr <- converged_problem()
    w <- sample(1:3, nrow(pr$x), replace = TRUE)
    rows <- rep(seq_len(nrow(pr$x)), w)
    weighted <- fit_quiet(pr$x, pr$y, family = pr$family, weights = w)
    duplicated <- fit_quiet(pr$x[rows, ], pr$y[rows], family = pr$family)
    worst_coef <- max(worst_coef, se_distance(weighted, duplicated))
    # Gaussian weights are precision weights (R's convention): the
    # coefficients agree, the dispersion and log-likelihood do not.
    if (pr$family$family != "gaussian") {
      worst_ll <- max(worst_ll, max_rel_diff(logLik(weighted), logLik(duplicated)))
    }
  }
  expect_lt(worst_coef, 1e-7)
  expect_lt(worst_ll, 1e-10)
})

test_that("a zero weight equals a dropped row (100 problems)", {
  set.seed(83)
  worst <- 0
  for (i in 1:100) {
    pr <- converged_problem()
    drop <- sample(nrow(pr$x), 3)
    w <- replace(rep(1, nrow(pr$x)), drop, 0)
    zero <- fit_quiet(pr$x, pr$y, family = pr$family, weights = w)
    dropped <- fit_quiet(pr$x[-drop, ], pr$y[-drop], family = pr$family)
    expect_identical(nobs(zero), nobs(dropped))
    worst <- max(worst, se_distance(zero, dropped), max_rel_diff(logLik(zero), logLik(dropped)))
  }
  expect_lt(worst, 1e-7)
})

test_that("rescaling a column rescales its coefficient (100 problems)", {
  set.seed(84)
  worst <- 0
  for (i in 1:100) {
    pr <- converged_problem(p = sample(2:4, 1))
    j <- sample(2:ncol(pr$x), 1)
    s <- 10^stats::runif(1, -4, 4)
    x <- pr$x
    x[, j] <- x[, j] * s
    g <- fit_quiet(x, pr$y, family = pr$family)
    back <- coef(g) * replace(rep(1, ncol(x)), j, s)
    worst <- max(worst, max(abs(back - coef(pr$fit)) / sqrt(diag(vcov(pr$fit)))),
                 max_rel_diff(logLik(g), logLik(pr$fit)))
  }
  expect_lt(worst, 1e-7)
})

test_that("the score vanishes at the estimate and no small perturbation beats it (100 problems)", {
  set.seed(85)
  loglik_at <- function(f, pr, beta) {
    fam <- pr$family
    mleglm:::evaluate_glm_at(pr$x, as.double(pr$y), rep(1, nrow(pr$x)), rep(0, nrow(pr$x)), beta,
                          fam$family, fam$link)$loglik
  }
  worst_score <- 0
  beaten <- 0
  for (i in 1:100) {
    pr <- converged_problem()
    f <- pr$fit
    # The score in standard-error units: sqrt(U' V U) is the Newton decrement.
    u <- f$score
    worst_score <- max(worst_score, sqrt(drop(t(u) %*% vcov(f) %*% u)))
    best <- loglik_at(f, pr, coef(f))
    se <- sqrt(diag(vcov(f)))
    for (k in 1:10) {
      # 1e-4 standard errors moves the log-likelihood by about 5e-9, well
      # above its rounding (about 1e-13).
      step <- stats::rnorm(length(se)) * se * 1e-4
      if (loglik_at(f, pr, coef(f) + step) > best + 1e-12 * abs(best)) beaten <- beaten + 1
    }
  }
  expect_lt(worst_score, 1e-8)
  expect_identical(beaten, 0)
})

test_that("cbind(successes, failures) equals proportions with weights (60 problems)", {
  set.seed(86)
  worst <- 0
  for (i in 1:60) {
    n <- sample(20:80, 1)
    x <- cbind("(Intercept)" = 1, x1 = stats::rnorm(n), x2 = stats::runif(n))
    trials <- sample(1:12, n, replace = TRUE)
    link <- sample(c("logit", "probit", "cloglog"), 1)
    fam <- binomial(link = link)
    s <- stats::rbinom(n, trials, fam$linkinv(drop(x %*% c(-0.3, 0.5, 0.4))))
    counts <- fit_quiet(x, cbind(s, trials - s), family = fam)
    props <- fit_quiet(x, s / trials, family = fam, weights = trials)
    if (length(counts$separation) > 0L) next
    worst <- max(worst, se_distance(counts, props), max_rel_diff(logLik(counts), logLik(props)))
    expect_equal(fitted(counts), fitted(props), tolerance = 1e-10)
  }
  expect_lt(worst, 1e-10)
})

test_that("offset() in the formula equals the offset argument (60 problems)", {
  set.seed(87)
  worst <- 0
  for (i in 1:60) {
    pr <- converged_problem(family = sample(list(gaussian(), poisson(), binomial(), Gamma("log")), 1)[[1]],
                            p = 2)
    d <- data.frame(y = pr$y, x1 = pr$x[, 2], x2 = pr$x[, 3], o = stats::rnorm(nrow(pr$x), sd = 0.1))
    a <- suppressWarnings(fit(y ~ x1 + x2 + offset(o), d, family = pr$family))
    b <- suppressWarnings(fit(y ~ x1 + x2, d, family = pr$family, offset = o))
    expect_identical(a$converged, b$converged)
    worst <- max(worst, max_rel_diff(coef(a), coef(b)), max_rel_diff(logLik(a), logLik(b)))
  }
  expect_lt(worst, 1e-12)
})
