# Helpers for the tests of negbin() and custom_family().

# Straight-line data with 10% gross outliers, for robust regression.
outlier_data <- function(n = 200, seed = 3) {
  set.seed(seed)
  d <- data.frame(x = stats::runif(n, 0, 10))
  d$y <- 1 + 2 * d$x + stats::rnorm(n)
  out <- sample(n, n %/% 10)
  d$y[out] <- d$y[out] + stats::rnorm(length(out), 15, 5)
  d
}

# Student-t with 4 degrees of freedom and scale sigma, as a user writes it.
t4_family <- function(...) {
  custom_family("t4", function(y, mu, phi) stats::dt((y - mu) / phi, df = 4, log = TRUE) - log(phi),
                phi = 1, phi_name = "sigma", ...)
}
