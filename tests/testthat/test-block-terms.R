# The vectorised logistic and Poisson log kernels (block_terms.hpp) run on
# blocks whose rows all have positive weight and a linear predictor inside
# R's clamps; other blocks take the generic loop. Every kind of block is
# checked here against R's own family functions at a beta away from the
# maximum, so that score and information are large.

# Four columns give blocks of 4,096 rows: rows 1-4096 plain, 4097-8192 with
# zero weights, 8193-12288 with extreme linear predictors, the rest plain.
block_case <- function(family) {
  set.seed(11)
  n <- 16000
  x <- cbind(1, matrix(stats::rnorm(n * 3), n, 3))
  beta <- c(0.2, 0.5, -0.4, 0.3)
  offset <- stats::rnorm(n, sd = 0.1)
  extreme <- 8193:8300
  offset[extreme] <- if (family$family == "binomial") rep(c(-45, 45, 31, -31), length.out = length(extreme))
                     else rep(c(-40, -37), length.out = length(extreme))
  eta <- drop(x %*% beta) + offset
  mu <- family$linkinv(eta)
  w <- rep(1, n)
  w[4097:4200] <- 0
  if (family$family == "binomial") {
    w[12289:n] <- 3
    y <- stats::rbinom(n, w, mu) / pmax(w, 1)  # proportions, some fractional
  } else {
    y <- stats::rpois(n, mu)
  }
  list(x = x, y = as.double(y), w = w, offset = offset, beta = beta + 0.1, family = family)
}

r_terms <- function(case) {
  f <- case$family
  eta <- drop(case$x %*% case$beta) + case$offset
  mu <- f$linkinv(eta)
  used <- case$w > 0
  v <- f$variance(mu)
  m1 <- f$mu.eta(eta)
  list(deviance = sum(f$dev.resids(case$y, mu, case$w)[used]),
       pearson = sum((case$w * (case$y - mu)^2 / v)[used]),
       score = drop(crossprod(case$x[used, ], (case$w * (case$y - mu) * m1 / v)[used])),
       information = crossprod(case$x[used, ] * (case$w * m1^2 / v)[used], case$x[used, ]))
}

test_that("vectorised and row-by-row blocks agree with R's family functions (binomial logit, poisson log)", {
  for (family in list(stats::binomial(), stats::poisson())) {
    case <- block_case(family)
    got <- mleglm:::evaluate_glm_at(case$x, case$y, case$w, case$offset, case$beta,
                                 family$family, family$link)
    want <- r_terms(case)
    expect_true(got$ok)
    # Tolerances: sums of 16,000 terms computed in different orders and, for
    # the deviance, by a series log1p rather than log(y / mu).
    expect_lt(abs(got$deviance - want$deviance) / want$deviance, 1e-12, label = family$family)
    expect_lt(abs(got$pearson - want$pearson) / want$pearson, 1e-12, label = family$family)
    expect_lt(max(abs(got$score - want$score)) / max(abs(want$score)), 1e-12, label = family$family)
    expect_lt(max(abs(got$expected - want$information)) / max(abs(want$information)), 1e-12,
              label = family$family)
    expect_equal(got$mu, family$linkinv(drop(case$x %*% case$beta) + case$offset),
                 tolerance = 1e-14)
  }
})

test_that("a row outside the parameter space makes the evaluation invalid in either kind of block", {
  case <- block_case(stats::poisson())
  huge <- case$offset
  huge[20] <- 800  # exp(eta) overflows: a vectorised block
  expect_false(mleglm:::evaluate_glm_at(case$x, case$y, case$w, huge, case$beta, "poisson", "log")$ok)
  huge <- case$offset
  huge[4300] <- 800  # a block with zero weights, run row by row
  expect_false(mleglm:::evaluate_glm_at(case$x, case$y, case$w, huge, case$beta, "poisson", "log")$ok)
  # The same value in a row of zero weight is ignored.
  huge <- case$offset
  huge[4100] <- 800
  expect_true(mleglm:::evaluate_glm_at(case$x, case$y, case$w, huge, case$beta, "poisson", "log")$ok)
})

test_that("the data constants from the tables of log k! match lgamma", {
  set.seed(3)
  y <- c(0, 1, 2, 255, 256, 1000, 3.5, stats::rpois(200, 4))
  x <- matrix(1, length(y), 1)
  got <- mleglm:::evaluate_glm_at(x, as.double(y), rep(1, length(y)), rep(0, length(y)), log(mean(y)),
                               "poisson", "log")
  mu <- mean(y)
  expect_equal(got$loglik, sum(y * log(mu) - mu - lgamma(y + 1)), tolerance = 1e-13)
})

test_that("the starting step is glm.fit's first iteration, for binary rows and for the others", {
  # glm.fit's coefficients after one iteration are the weighted least-squares
  # step from the family's starting means: mleglm's `start`. Rows 1-5000 are
  # 0/1 with one trial (the blended constants of start_working()); the rest
  # have two trials and so take the row-by-row step.
  set.seed(12)
  n <- 9000
  x <- cbind(1, matrix(stats::rnorm(n * 3), n, 3))
  offset <- stats::rnorm(n, sd = 0.2)
  w <- c(rep(1, 5000), rep(2, n - 5000))
  y <- stats::rbinom(n, w, stats::plogis(drop(x %*% c(0.3, -0.5, 0.2, 0.1)) + offset)) / w
  for (rows in list(1:5000, 1:n)) {
    f <- fit_matrix(x[rows, ], y[rows], family = stats::binomial(), weights = w[rows],
                    offset = offset[rows])
    g <- suppressWarnings(stats::glm.fit(x[rows, ], y[rows], weights = w[rows],
                                         offset = offset[rows], family = stats::binomial(),
                                         control = stats::glm.control(maxit = 1)))
    # Relative 1e-12: the same least-squares step, solved by Cholesky here
    # and by QR in glm.fit.
    expect_lt(max(abs(unname(f$start) - g$coefficients) / abs(g$coefficients)), 1e-12,
              label = length(rows))
  }
})
