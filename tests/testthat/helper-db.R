# Fits whose sums a database computes (fit_chunked(sums = "database")),
# checked against fit() on the same rows in memory; shared by the SQLite
# tests (test-db.R) and the PostgreSQL tests (test-postgres.R).

# Rows with a factor, weights, an offset and responses for each family.
db_test_data <- function(n = 400) {
  set.seed(20261203)
  d <- data.frame(x1 = rnorm(n), x2 = runif(n), g = sample(c("lo", "mid", "hi"), n, replace = TRUE),
                  w = sample(1:3, n, replace = TRUE), t = runif(n, 1, 3), stringsAsFactors = FALSE)
  eta <- 0.2 + 0.6 * d$x1 - 0.5 * d$x2 + c(lo = 0, mid = 0.4, hi = -0.3)[d$g]
  d$yb <- rbinom(n, 1, plogis(eta))
  d$yp <- rpois(n, exp(eta) * d$t)
  d$yg <- 1 + eta + rnorm(n, sd = 0.5)
  d$ygam <- rgamma(n, shape = 3, rate = 3 / exp(eta))
  d$yig <- 1 / sqrt(exp(-eta) + 0.5)  # positive, smooth in the predictors
  d$yig <- d$yig * exp(rnorm(n, sd = 0.1))
  d
}

# The models: formula, family, whether the offset log(t) applies.
db_test_models <- list(
  gaussian = list(yg ~ x1 + x2 + g, gaussian()),
  gaussian_log = list(yg ~ x1 + g, gaussian("log")),
  binomial_logit = list(yb ~ x1 + x2 + g, binomial()),
  binomial_probit = list(yb ~ x1 + x2 + g, binomial("probit")),
  binomial_cloglog = list(yb ~ x1 + g, binomial("cloglog")),
  binomial_cauchit = list(yb ~ x1 + g, binomial("cauchit")),
  poisson = list(yp ~ x1 + x2 + g, poisson(), offset = TRUE),
  poisson_sqrt = list(yp ~ x2 + g, poisson("sqrt")),
  poisson_identity = list(yp ~ x2 + g, poisson("identity")),
  binomial_log = list(yb ~ x2, binomial("log")),
  Gamma_log = list(ygam ~ x1 + x2 + g, Gamma("log")),
  Gamma_inverse = list(ygam ~ x1 + g, Gamma()),
  inverse_gaussian = list(yig ~ x1 + g, inverse.gaussian("log"))
)

rel_diff <- function(a, b) max(abs(a - b) / pmax(abs(b), 1e-300))

# Checks the database fit of every model against fit() to `tol` (relative):
# coefficients, standard errors, log-likelihood, and the same iterations.
expect_db_matches_memory <- function(con, table, d, tol = 1e-10) {
  for (name in names(db_test_models)) {
    m <- db_test_models[[name]]
    offset_used <- isTRUE(m$offset)
    memory <- if (offset_used) fit(m[[1]], d, m[[2]], weights = w, offset = log(t)) else fit(m[[1]], d, m[[2]], weights = w)
    database <- if (offset_used) {
      fit_chunked(m[[1]], con, m[[2]], table = table, weights = w, offset = log(t), progress = FALSE)
    } else {
      fit_chunked(m[[1]], con, m[[2]], table = table, weights = w, progress = FALSE)
    }
    expect_true(memory$converged, label = paste(name, "in memory converged"))
    expect_match(database$source, "sums by the database", label = name)
    expect_lt(rel_diff(coef(database), coef(memory)), tol, label = paste(name, "coefficients"))
    expect_lt(rel_diff(sqrt(diag(vcov(database))), sqrt(diag(vcov(memory)))), tol,
              label = paste(name, "standard errors"))
    expect_lt(rel_diff(as.numeric(logLik(database)), as.numeric(logLik(memory))), tol,
              label = paste(name, "log-likelihood"))
    expect_equal(database$iterations, memory$iterations, label = paste(name, "iterations"))
    expect_equal(nobs(database), nobs(memory), label = paste(name, "nobs"))
  }
}
