# Infinite estimates in chunked fits (R/chunk_separation.R), against fit()
# on the same rows as the oracle: the same coefficients flagged with the
# same signs, the same classed warning, and no flag or extra warning where
# the maximum exists.

# The value of expr and the first classes of its warnings (helper-conditions.R).
with_warning_classes <- function(expr) {
  res <- collect_conditions(expr)
  list(value = res$value, classes = first_classes(res$warnings))
}

# Both fits of one model, chunked in pieces of `size` rows.
both_fits <- function(formula, d, family, size) {
  list(memory = with_warning_classes(fit(formula, d, family)),
       chunked = with_warning_classes(fit_chunked(formula, chunk_function(d, size), family,
                                                  progress = FALSE)))
}

expect_same_flags <- function(fits, expected) {
  expect_identical(fits$memory$value$separation, expected)
  expect_identical(fits$chunked$value$separation, expected)
  expect_identical(fits$chunked$classes, fits$memory$classes)
  expect_false(fits$chunked$value$converged)
  expect_identical(fits$chunked$value$message, fits$memory$value$message)
}

test_that("complete separation is flagged in a chunked fit as in memory", {
  d <- data.frame(x = 1:30, y = rep(0:1, each = 15))
  fits <- both_fits(y ~ x, d, binomial(), size = 7)
  expect_same_flags(fits, c("(Intercept)" = -Inf, x = Inf))
  expect_identical(fits$chunked$classes, "mleglm_warning_separation")
  expect_match(fits$chunked$value$warnings[[1]]$message, "complete separation", fixed = TRUE)
  expect_output(print(fits$chunked$value), "Infinite estimates", fixed = TRUE)
})

test_that("quasi-complete separation by a factor level is flagged, with the rows counted", {
  set.seed(7)
  n <- 400
  d <- data.frame(x = rnorm(n), g = rep(c("a", "b", "c", "d"), length.out = n))
  d$y <- rbinom(n, 1, plogis(0.5 * d$x))
  d$y[d$g == "d"] <- 1  # every response of level d is 1
  for (link in c("logit", "probit", "cloglog")) {
    fits <- both_fits(y ~ x + g, d, binomial(link), size = 90)
    expect_same_flags(fits, c(gd = Inf))
    expect_match(fits$chunked$value$warnings[[1]]$message,
                 "quasi-complete separation: the fitted probabilities of 100 rows", fixed = TRUE)
  }
})

test_that("a poisson factor level with only zero counts is flagged, with weights and an offset", {
  set.seed(3)
  n <- 300
  d <- data.frame(x = runif(n), g = rep(c("a", "b", "c"), length.out = n),
                  w = rep(c(1, 2, 3), each = 100), t = runif(n, 1, 2))
  d$y <- rpois(n, exp(0.2 + d$x) * d$t)
  d$y[d$g == "c"] <- 0
  # weights and offset are evaluated in the data, so not passed through `...`.
  fits <- list(
    memory = with_warning_classes(fit(y ~ x + g, d, poisson(), weights = w, offset = log(t))),
    chunked = with_warning_classes(fit_chunked(y ~ x + g, chunk_function(d, 64), poisson(),
                                               weights = w, offset = log(t), progress = FALSE)))
  expect_same_flags(fits, c(gc = -Inf))
  expect_match(fits$chunked$value$warnings[[1]]$message, "zero counts", fixed = TRUE)
})

test_that("aliased columns are left out of the search", {
  d <- data.frame(x = 1:30, y = rep(0:1, each = 15))
  d$x2 <- 2 * d$x
  fits <- both_fits(y ~ x + x2, d, binomial(), size = 8)
  expect_identical(fits$chunked$value$separation, c("(Intercept)" = -Inf, x = Inf))
  expect_identical(sort(fits$chunked$classes),
                   c("mleglm_warning_rank_deficient", "mleglm_warning_separation"))
})

test_that("a fit whose maximum exists is neither flagged nor warned about", {
  set.seed(11)
  n <- 500
  d <- data.frame(x = rnorm(n))
  d$y <- rbinom(n, 1, plogis(0.3 + 0.8 * d$x))
  fits <- both_fits(y ~ x, d, binomial(), size = 120)
  f <- fits$chunked$value
  expect_identical(f$separation, numeric(0))
  expect_identical(fits$chunked$classes, character(0))
  expect_true(f$converged)
  expect_equal(coef(f), coef(fits$memory$value), tolerance = 1e-10)
  # The gaussian fit of the same rows is not searched at all.
  g <- fit_chunked(y ~ x, chunk_function(d, 120), gaussian(), progress = FALSE)
  expect_identical(g$separation, numeric(0))
})

test_that("the search runs on the workers of a cluster", {
  skip_on_cran()
  d <- data.frame(x = 1:30, y = rep(0:1, each = 15))
  cl <- make_test_cluster(2L)
  on.exit(parallel::stopCluster(cl), add = TRUE)
  shard_data(cl, d)
  res <- with_warning_classes(fit_chunked(y ~ x, cl, binomial(), progress = FALSE))
  expect_identical(res$value$separation, c("(Intercept)" = -Inf, x = Inf))
  expect_identical(res$classes, "mleglm_warning_separation")
})
