# Seeded random GLM problems for the property and fuzz tests: a model
# matrix with an intercept, a response drawn from the family at moderate
# coefficients, and positive weights.

random_families <- list(
  gaussian(), binomial(), binomial(link = "probit"), binomial(link = "cloglog"),
  poisson(), poisson(link = "sqrt"), Gamma(link = "log"), Gamma(),
  inverse.gaussian(link = "log")
)

# Inverse Gaussian draws (Michael, Schucany and Haas 1976), as stats has none.
rinvgauss <- function(n, mu, lambda) {
  v <- stats::rnorm(n)^2
  x <- mu + mu^2 * v / (2 * lambda) - mu / (2 * lambda) * sqrt(4 * mu * lambda * v + mu^2 * v^2)
  ifelse(stats::runif(n) <= mu / (mu + x), x, mu^2 / x)
}

draw_response <- function(family, mu) {
  n <- length(mu)
  switch(family$family,
    gaussian = stats::rnorm(n, mu, 1),
    binomial = stats::rbinom(n, 1, mu),
    poisson = stats::rpois(n, mu),
    Gamma = stats::rgamma(n, shape = 3, rate = 3 / mu),
    inverse.gaussian = rinvgauss(n, mu, 5)
  )
}

# Coefficients keep the means inside the family's range: the intercept
# sets a central mean and the slopes are small; draws whose means leave the
# range (possible for the inverse link) are redrawn.
random_problem <- function(family = random_families[[sample(length(random_families), 1)]],
                           n = sample(30:150, 1), p = sample(1:4, 1)) {
  centre <- switch(family$family, binomial = 0.4, poisson = 3, 2)
  eta0 <- family$linkfun(centre)
  repeat {
    x <- cbind("(Intercept)" = 1,
               matrix(stats::rnorm(n * p), n, dimnames = list(NULL, paste0("x", seq_len(p)))))
    beta <- c(eta0, stats::rnorm(p, sd = 0.1 * abs(eta0) + 0.05))
    eta <- drop(x %*% beta)
    if (all(family$valideta(eta)) && all(family$validmu(family$linkinv(eta))) &&
        (family$link != "inverse" || all(eta > 0.1 * eta0))) break
  }
  y <- draw_response(family, family$linkinv(eta))
  list(x = x, y = y, family = family, beta = beta)
}
