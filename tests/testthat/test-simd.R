# The AVX2 kernels (avx2_kernels.hpp) and the portable Eigen code compute the
# same sums in different orders: fits and evaluations must agree to rounding.
# On a processor without AVX2 both runs take the portable path.

with_simd <- function(enable, code) {
  old <- mleglm:::cpp_simd(enable)
  on.exit(mleglm:::cpp_simd(old[["was_active"]]))
  force(code)
}

simd_case <- function(n, p, seed) {
  set.seed(seed)
  x <- cbind(1, matrix(stats::rnorm(n * (p - 1)), n, p - 1))
  colnames(x) <- paste0("x", seq_len(p))
  eta <- drop(x %*% c(0.2, stats::rnorm(p - 1, sd = 0.3 / sqrt(p))))
  list(x = x, y = as.double(stats::rbinom(n, 1, stats::plogis(eta))),
       count = as.double(stats::rpois(n, exp(eta))))
}

test_that("fits agree with and without the AVX2 kernels (small, odd and large column counts)", {
  # n * p above the threading threshold in the last case; row counts not a
  # multiple of four leave remainders for the kernels' scalar tails.
  for (shape in list(c(1003, 1), c(2001, 3), c(5003, 7), c(20001, 33))) {
    d <- simd_case(shape[1], shape[2], seed = shape[1])
    for (family in list(stats::binomial(), stats::poisson(), stats::Gamma(link = "log"))) {
      y <- switch(family$family, binomial = d$y, poisson = d$count, Gamma = d$count + 0.5)
      on <- with_simd(TRUE, fit_matrix(d$x, y, family = family))
      off <- with_simd(FALSE, fit_matrix(d$x, y, family = family))
      label <- sprintf("%s, n = %d, p = %d", family$family, shape[1], shape[2])
      # Tolerance: two summation orders of n terms, and a Newton step apart at most.
      expect_lt(max_rel_diff(coef(on), coef(off)), 1e-10, label = label)
      expect_lt(abs(logLik(on) - logLik(off)) / abs(logLik(off)), 1e-12, label = label)
      expect_lt(max_rel_diff(vcov(on), vcov(off), floor = 1e-12 * max(abs(vcov(off)))), 1e-9,
                label = label)
    }
  }
})

test_that("observed information with negative weights agrees with and without the kernels", {
  # Away from the maximum a non-canonical link has negative observed weights.
  d <- simd_case(3001, 5, seed = 9)
  beta <- c(1, 1, -1, 0.5, 2)
  run <- function(enable) with_simd(enable, mleglm:::evaluate_glm_at(
    d$x, d$y, rep(1, nrow(d$x)), rep(0, nrow(d$x)), beta, "binomial", "probit"))
  on <- run(TRUE)
  off <- run(FALSE)
  expect_equal(on$observed, off$observed, tolerance = 1e-12)
  expect_equal(on$score, off$score, tolerance = 1e-12)
  expect_equal(on$eta, off$eta, tolerance = 1e-14)
})

test_that("the logistic kernel's short blocks and invalid rows match the portable code and R", {
  # Blocks of one to five rows are all or mostly the kernel's scalar tail;
  # a non-finite linear predictor on a row of positive weight makes the
  # evaluation invalid on both paths, a large finite one is clamped as R does.
  set.seed(31)
  for (n in c(1, 2, 3, 5, 9)) {
    x <- cbind(1, stats::rnorm(n))
    y <- c(0.25, stats::rbinom(n - 1, 1, 0.5))
    w <- c(4, rep(1, n - 1))
    beta <- c(0.4, -0.7)
    f <- stats::binomial()
    eta <- drop(x %*% beta)
    mu <- f$linkinv(eta)
    for (enable in c(TRUE, FALSE)) {
      got <- with_simd(enable, mleglm:::evaluate_glm_at(x, y, w, rep(0, n), beta, "binomial", "logit"))
      # Relative 1e-13: sums of at most nine terms.
      expect_lt(abs(got$deviance / sum(f$dev.resids(y, mu, w)) - 1), 1e-13)
      expect_lt(max(abs(got$score - drop(crossprod(x, w * (y - mu))))), 1e-13)
      expect_equal(got$mu, mu, tolerance = 1e-14)
    }
  }
  x <- cbind(1, stats::rnorm(12))
  y <- as.double(stats::rbinom(12, 1, 0.5))
  for (bad in c(Inf, -Inf, NaN, 40)) {
    offset <- replace(rep(0, 12), 6, bad)
    ok <- vapply(c(TRUE, FALSE), function(enable) {
      with_simd(enable, mleglm:::evaluate_glm_at(x, y, rep(1, 12), offset, c(0.1, 0.2),
                                              "binomial", "logit")$ok)
    }, logical(1))
    expect_identical(ok[1], ok[2], label = format(bad))
    expect_identical(ok[1], is.finite(bad), label = format(bad))
  }
})

test_that("fits do not depend on the number of threads where the data constants need lgamma", {
  # Counts of 256 and more, and binomial trials, take lgamma rather than the
  # tables, in the threaded data summary.
  set.seed(32)
  n <- 120000
  x <- cbind(1, stats::rnorm(n))
  counts <- as.double(stats::rpois(n, exp(5.5 + 0.2 * x[, 2])))
  trials <- sample(2:6, n, replace = TRUE)
  success <- stats::rbinom(n, trials, stats::plogis(0.3 * x[, 2])) / trials
  for (case in list(list(y = counts, w = NULL, family = stats::poisson()),
                    list(y = success, w = trials, family = stats::binomial()))) {
    fits <- lapply(1:2, function(threads) {
      fit_matrix(x, case$y, family = case$family, weights = case$w,
                 control = mleglm_control(threads = threads))
    })
    expect_identical(coef(fits[[1]]), coef(fits[[2]]), label = case$family$family)
    expect_identical(fits[[1]]$loglik, fits[[2]]$loglik, label = case$family$family)
  }
})
