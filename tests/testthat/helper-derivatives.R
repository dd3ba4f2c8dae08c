# Helpers for test-links.R, test-fit.R, test-response.R, test-derivatives.R
# and test-solvers.R: numerical derivatives, log-likelihoods written
# directly from R's density functions, and simulated data for every family
# and link.

# ---- numerical derivatives --------------------------------------------------

# Derivative of a scalar function of one variable at each point of `x`, with
# steps proportional to max(floor, |x|) (a small floor for functions with a
# pole at 0): numDeriv::grad (Richardson extrapolation, steps from 1e-4 of
# that scale) when numDeriv is installed, otherwise a five-point central
# difference extrapolated once more (Richardson), written here.
num_deriv <- function(f, x, floor = 1) {
  use_numderiv <- requireNamespace("numDeriv", quietly = TRUE)
  vapply(x, function(x0) {
    s <- max(floor, abs(x0))
    g <- function(t) f(x0 + s * t)
    d <- if (use_numderiv) {
      numDeriv::grad(g, 0, method.args = list(eps = 1e-4, d = 1e-4, r = 6))
    } else {
      central_difference(g, 0, h = 1e-3)
    }
    d / s
  }, numeric(1))
}

# Five-point stencil at steps h and h/2, combined by Richardson extrapolation
# (truncation error O(h^6)).
central_difference <- function(g, x, h) {
  five <- function(h) {
    (-g(x + 2 * h) + 8 * g(x + h) - 8 * g(x - h) + g(x - 2 * h)) / (12 * h)
  }
  (16 * five(h / 2) - five(h)) / 15
}

# |a - b| relative to |b|, with an absolute floor per element (a vector floor,
# e.g. standard errors, measures the difference on the scale of the
# uncertainty where a coefficient is near zero).
rel_diff <- function(a, b, floor = 1e-300) {
  a <- unname(as.numeric(a))
  b <- unname(as.numeric(b))
  max(abs(a - b) / pmax(abs(b), floor))
}

# ---- log-likelihoods written from R's densities -----------------------------

# log density of the inverse Gaussian with mean mu and dispersion phi
# (variance phi mu^3), written out so that no package is needed.
dinvgauss_log <- function(y, mu, phi) {
  -0.5 * log(2 * pi * phi * y^3) - (y - mu)^2 / (2 * phi * mu^2 * y)
}

# Per-row log-likelihood contributions at mean mu, with prior weights w as R's
# families read them: precision weights for the gaussian (y ~ N(mu, phi / w)),
# numbers of trials for the binomial (y a proportion), frequency weights for
# the others.
loglik_rows <- function(y, mu, w, distribution, phi = 1) {
  switch(distribution,
    gaussian = stats::dnorm(y, mu, sqrt(phi / w), log = TRUE),
    binomial = stats::dbinom(round(w * y), round(w), mu, log = TRUE),
    poisson = w * stats::dpois(y, mu, log = TRUE),
    Gamma = w * stats::dgamma(y, shape = 1 / phi, scale = mu * phi, log = TRUE),
    inverse.gaussian = w * dinvgauss_log(y, mu, phi)
  )
}

# The log-likelihood as a function of beta (model matrix `mm`, named so as not
# to clash with numDeriv's `x`) with the dispersion held at phi.
loglik_beta <- function(beta, mm, y, w, offset, distribution, link, phi = 1) {
  eta <- drop(mm %*% beta) + offset
  mu <- stats::make.link(link)$linkinv(eta)
  sum(loglik_rows(y, mu, w, distribution, phi)[w > 0])
}

# The maximum-likelihood dispersion at mean mu from R's own functions:
# RSS / n (gaussian), D / sum(w) (inverse Gaussian) and, for the Gamma, the
# root of log(nu) - digamma(nu) = D / (2 sum(w)) in nu = 1 / phi, found by
# uniroot() with R's digamma().
ml_dispersion_closed <- function(y, mu, w, distribution) {
  pos <- w > 0
  switch(distribution,
    binomial = , poisson = 1,
    gaussian = sum((w * (y - mu)^2)[pos]) / sum(pos),
    inverse.gaussian = sum((w * (y - mu)^2 / (y * mu^2))[pos]) / sum(w[pos]),
    Gamma = {
      target <- sum(stats::Gamma()$dev.resids(y, mu, w)[pos]) / (2 * sum(w[pos]))
      root <- stats::uniroot(function(l) l - digamma(exp(l)) - target, c(-30, 40),
                             tol = 1e-14)$root
      exp(-root)
    })
}

# The profile log-likelihood in beta, the dispersion at its ML value.
profile_loglik_beta <- function(beta, mm, y, w, offset, distribution, link) {
  eta <- drop(mm %*% beta) + offset
  mu <- stats::make.link(link)$linkinv(eta)
  phi <- ml_dispersion_closed(y, mu, w, distribution)
  sum(loglik_rows(y, mu, w, distribution, phi)[w > 0])
}

# The largest difference between two covariance (or information) matrices
# relative to sqrt(b_ii b_jj): the relative difference of variances, and of
# covariances on the scale of the correlation, so that an off-diagonal entry
# near zero is not judged relative to itself.
cov_rel_diff <- function(a, b, scale = b) {
  a <- unname(as.matrix(a))
  b <- unname(as.matrix(b))
  d <- sqrt(abs(diag(as.matrix(scale))))
  max(abs(a - b) / outer(d, d))
}

# ---- simulated data for every family and link --------------------------------

family_links <- list(
  gaussian = c("identity", "log", "inverse"),
  binomial = c("logit", "probit", "cauchit", "cloglog", "log"),
  poisson = c("log", "identity", "sqrt"),
  Gamma = c("inverse", "identity", "log"),
  inverse.gaussian = c("1/mu^2", "inverse", "identity", "log")
)

# True coefficients (intercept, x1, x2) for x1 in [-1, 1] and x2 in {0, 1}:
# every combination keeps eta inside the link's domain and mu inside the
# family's range for all rows.
true_beta <- function(distribution, link) {
  key <- paste(distribution, link)
  switch(key,
    "gaussian identity" = c(1, 2, -1),
    "gaussian log" = c(1, 0.5, -0.3),
    "gaussian inverse" = c(0.5, 0.2, 0.1),
    "binomial logit" = c(-0.5, 1.5, 0.8),
    "binomial probit" = c(-0.3, 0.9, 0.5),
    "binomial cauchit" = c(-0.4, 1.2, 0.7),
    "binomial cloglog" = c(-0.5, 1, 0.5),
    "binomial log" = c(-1.2, 0.5, -0.3),
    "poisson log" = c(1, 0.5, -0.4),
    "poisson identity" = c(10, 4, 3),
    "poisson sqrt" = c(2, 0.5, 0.3),
    "Gamma inverse" = c(0.5, 0.2, 0.1),
    "Gamma identity" = c(2, 1, 0.5),
    "Gamma log" = c(0.5, 0.5, -0.3),
    "inverse.gaussian 1/mu^2" = c(0.5, 0.2, 0.1),
    "inverse.gaussian inverse" = c(0.5, 0.2, 0.1),
    "inverse.gaussian identity" = c(2, 1, 0.5),
    "inverse.gaussian log" = c(0.5, 0.5, -0.3),
    stop("no design for ", key)
  )
}

# Inverse Gaussian draws (Michael, Schucany and Haas 1976), mean mu,
# dispersion phi.
rinvgauss_r <- function(n, mu, phi) {
  lambda <- 1 / phi
  v <- stats::rnorm(n)^2
  x <- mu + mu^2 * v / (2 * lambda) - mu / (2 * lambda) * sqrt(4 * mu * lambda * v + mu^2 * v^2)
  ifelse(stats::runif(n) <= mu / (mu + x), x, mu^2 / x)
}

# A seeded data frame (y, x1, x2) from the model with the true coefficients.
simulate_glm <- function(distribution, link, n = 400, seed = 1) {
  set.seed(seed)
  x1 <- stats::runif(n, -1, 1)
  x2 <- stats::rbinom(n, 1, 0.5)
  beta <- true_beta(distribution, link)
  eta <- beta[1] + beta[2] * x1 + beta[3] * x2
  mu <- stats::make.link(link)$linkinv(eta)
  y <- switch(distribution,
    # sd 0.2 keeps y positive (mu >= 1.2) for the log and inverse links.
    gaussian = stats::rnorm(n, mu, if (link == "identity") 1 else 0.2),
    binomial = stats::rbinom(n, 1, mu),
    poisson = stats::rpois(n, mu),
    Gamma = stats::rgamma(n, shape = 5, scale = mu / 5),
    inverse.gaussian = rinvgauss_r(n, mu, 0.1)
  )
  data.frame(y = y, x1 = x1, x2 = x2)
}

make_family <- function(distribution, link) {
  get(distribution, mode = "function", envir = asNamespace("stats"))(link = link)
}

# numDeriv's derivatives of a function of beta, taken in the coordinates
# t = (beta - beta0) / scale at t = 0, so that the steps (1e-4 in t) are the
# same fraction of each coefficient's scale (its standard error, say) however
# the columns of the model matrix are scaled.
num_grad_scaled <- function(f, beta0, scale, ...) {
  g <- function(t) f(beta0 + scale * t, ...)
  numDeriv::grad(g, rep(0, length(beta0)), method.args = list(eps = 1e-3)) / scale
}
num_hessian_scaled <- function(f, beta0, scale, ...) {
  g <- function(t) f(beta0 + scale * t, ...)
  numDeriv::hessian(g, rep(0, length(beta0)), method.args = list(eps = 0.1)) /
    outer(scale, scale)
}
