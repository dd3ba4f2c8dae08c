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
  run <- function(enable) with_simd(enable, mleglm:::cpp_evaluate(
    d$x, d$y, rep(1, nrow(d$x)), rep(0, nrow(d$x)), beta, "binomial", "probit"))
  on <- run(TRUE)
  off <- run(FALSE)
  expect_equal(on$observed, off$observed, tolerance = 1e-12)
  expect_equal(on$score, off$score, tolerance = 1e-12)
  expect_equal(on$eta, off$eta, tolerance = 1e-14)
})
