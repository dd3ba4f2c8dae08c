# The C++ links and distributions, row by row, against R's own stats families
# (make.link() and the family objects), over grids of eta that reach far into
# the tails where R clamps.

terms_of <- function(eta, y, distribution, link) {
  mleglm:::cpp_family_terms(as.double(eta), as.double(rep_len(y, length(eta))),
                            distribution, link)
}

binomial_links <- c("logit", "probit", "cauchit", "cloglog", "log")

# Grids of eta per link: the binomial links from -40 to 40 (R switches to
# constants beyond |eta| = 30 for the logit, beyond 8.13 for the probit, at
# DBL_EPSILON for the cloglog and log) plus a few values far beyond, and the
# clamp thresholds themselves with points just either side.
probit_thresh <- -stats::qnorm(.Machine$double.eps)
wide_grid <- sort(unique(c(-1e300, -1e16, -1e10, -1e3, seq(-40, 40, by = 0.25),
                           1e3, 1e10, 1e16, 1e300,
                           c(-30, 30) + rep(c(-1e-9, 0, 1e-9), each = 2),
                           c(-1, 1) * probit_thresh + rep(c(-1e-9, 0, 1e-9), each = 2))))
eta_grid <- function(link) {
  switch(link,
    logit = , probit = , cloglog = wide_grid,
    # The cauchit's clamp is at |eta| = 1.43e15; its tail between 40 and the
    # clamp has a test of its own below.
    cauchit = c(-1e300, -1e16, seq(-40, 40, by = 0.25), 1e16, 1e300),
    # exp() overflows beyond 709; R's log link clamps at DBL_EPSILON below.
    log = c(-1e300, -1e3, -745, seq(-40, 40, by = 0.25), 700),
    identity = c(-1e10, seq(-40, 40, by = 0.25), 1e10),
    inverse = c(-1e10, -1e3, seq(-40, -0.25, by = 0.25), -1e-3, 1e-3,
                seq(0.25, 40, by = 0.25), 1e3, 1e10),
    "1/mu^2" = , sqrt = 10^seq(-8, 8, by = 0.125)
  )
}

# A distribution the link is used with (every link is a separate C++ class, so
# the distribution does not change mu, mu_eta or d2mu_eta2).
distribution_for <- function(link) {
  switch(link, logit = , probit = , cauchit = , cloglog = "binomial", log = "poisson",
         identity = "gaussian", inverse = "Gamma", "1/mu^2" = "inverse.gaussian",
         sqrt = "poisson")
}

all_links <- c(binomial_links, "identity", "inverse", "1/mu^2", "sqrt")

test_that("linkinv and mu.eta agree with make.link() on wide grids, clamps included", {
  for (link in all_links) {
    eta <- eta_grid(link)
    t <- terms_of(eta, 0.5, distribution_for(link), link)
    lk <- stats::make.link(link)
    # Relative tolerance 1e-13: the same formulas (erfc against pnorm for the
    # probit, agreeing to about 1e-14 in its tails) evaluated in C++ and in R.
    expect_lt(rel_diff(t$mu, lk$linkinv(eta)), 1e-13, label = paste(link, "linkinv"))
    expect_lt(rel_diff(t$mu_eta, lk$mu.eta(eta)), 1e-13, label = paste(link, "mu.eta"))
  }
})

test_that("the binomial links reproduce R's clamps exactly in the far tails", {
  eps <- .Machine$double.eps
  far <- c(-1e300, -1e16, -1e3, -45, 45, 1e3, 1e16, 1e300)
  for (link in c("logit", "probit", "cauchit", "cloglog")) {
    t <- terms_of(far, 0.5, "binomial", link)
    lk <- stats::make.link(link)
    if (link == "probit") {
      # pnorm() and 0.5 * erfc() at the clamp +-8.1259 are different
      # algorithms: relative tolerance 1e-13, as on the grids above (R's
      # clamped value is DBL_EPSILON).
      expect_lt(rel_diff(t$mu, lk$linkinv(far)), 1e-13, label = "probit clamped linkinv")
    } else if (link != "cauchit") {
      # Exactly equal (tolerance 0): the clamped values are the same constants.
      expect_identical(t$mu, lk$linkinv(far), label = paste(link, "clamped linkinv"))
    }
    expect_identical(t$mu_eta, lk$mu.eta(far), label = paste(link, "clamped mu.eta"))
    expect_true(all(t$mu > 0 & t$mu < 1), label = paste(link, "mu inside (0, 1)"))
  }
  t <- terms_of(c(-1e300, -1e3), 0.5, "poisson", "log")
  expect_identical(t$mu, c(eps, eps))
  expect_identical(t$mu_eta, c(eps, eps))
})

test_that("the cauchit inverse link keeps R's relative accuracy far in the lower tail", {
  # R's pcauchy() computes the lower tail as atan(1 / -eta) / pi, accurate to
  # a few ulps, and clamps at -qcauchy(DBL_EPSILON) = -1.43e15. 0.5 + atan(eta) / pi
  # cancels there and keeps only absolute accuracy (about 5e-17).
  eta <- -10^seq(2, 16, by = 0.5)
  t <- terms_of(eta, 0.5, "binomial", "cauchit")
  r_mu <- stats::make.link("cauchit")$linkinv(eta)
  worst <- which.max(abs(t$mu - r_mu) / r_mu)
  # Relative tolerance 1e-12 on probabilities from 3e-3 down to 2.2e-16.
  expect_lt(rel_diff(t$mu, r_mu), 1e-12,
            label = sprintf("cauchit linkinv, worst at eta = %g (C++ %.17g, R %.17g): relative error",
                            eta[worst], t$mu[worst], r_mu[worst]))
  # The upper tail, mu near 1, needs only absolute accuracy: 1e-15 relative.
  t_up <- terms_of(-eta, 0.5, "binomial", "cauchit")
  expect_lt(rel_diff(t_up$mu, stats::make.link("cauchit")$linkinv(-eta)), 1e-15)
})

# Where R's mu.eta is smooth and unclamped, so that its numerical derivative
# is the true second derivative (steps up to 1e-4 * max(1, |eta|) stay inside).
smooth_grid <- function(link) {
  g <- switch(link,
    logit = seq(-29, 29, by = 0.5),
    probit = seq(-8, 8, by = 0.125),
    cauchit = c(-1e5, -1e3, seq(-40, 40, by = 0.5), 1e3, 1e5),
    cloglog = seq(-35, 3.5, by = 0.25),
    log = seq(-35, 40, by = 0.5),
    identity = seq(-40, 40, by = 2),
    inverse = c(-100, -10, seq(-2, -0.02, by = 0.06), seq(0.02, 2, by = 0.06), 10, 100),
    "1/mu^2" = , sqrt = 10^seq(-2, 2, by = 0.125)
  )
  # Off the zeros of d2mu/deta2 (eta = 0 for the symmetric links and the cloglog).
  g + 0.0123
}

test_that("d2mu_eta2 is the derivative of R's mu.eta (numerical, unclamped region)", {
  for (link in all_links) {
    eta <- smooth_grid(link)
    if (link %in% c("1/mu^2", "sqrt")) eta <- eta[eta > 0]
    t <- terms_of(eta, 0.5, distribution_for(link), link)
    # Steps relative to |eta| for the links with a pole or a boundary at 0.
    floor <- if (link %in% c("inverse", "1/mu^2", "sqrt")) 1e-3 else 1
    numeric_d2 <- num_deriv(stats::make.link(link)$mu.eta, eta, floor = floor)
    if (link == "identity") {
      # mu'' = 0 exactly; the numerical derivative of a constant is 0 as well.
      expect_equal(t$d2mu_eta2, rep(0, length(eta)), tolerance = 0)
      expect_lt(max(abs(numeric_d2)), 1e-12)
    } else {
      # Relative tolerance 1e-8: Richardson-extrapolated differences are good
      # to about 1e-10 relative on these smooth functions.
      expect_lt(rel_diff(t$d2mu_eta2, numeric_d2), 1e-8, label = paste(link, "d2mu_eta2"))
    }
  }
})

test_that("d2mu_eta2 is the unclamped analytic derivative over the whole grid", {
  analytic <- list(
    logit = function(eta) {
      p <- stats::plogis(eta)
      q <- stats::plogis(-eta)
      p * q * (q - p)
    },
    probit = function(eta) -eta * stats::dnorm(eta),
    cauchit = function(eta) -2 * eta / (pi * (1 + eta^2)^2),
    cloglog = function(eta) {
      e <- exp(eta)
      ifelse(e > 800, 0, exp(eta - e) * (1 - e))
    },
    log = function(eta) exp(eta),
    inverse = function(eta) 2 / eta^3,
    "1/mu^2" = function(eta) 0.75 * eta^(-2.5),
    sqrt = function(eta) rep(2, length(eta))
  )
  for (link in names(analytic)) {
    eta <- eta_grid(link)
    if (link == "log") eta <- eta[eta < 700]
    t <- terms_of(eta, 0.5, distribution_for(link), link)
    # Relative tolerance 1e-12 (absolute below 1e-300): closed forms.
    expect_lt(rel_diff(t$d2mu_eta2, analytic[[link]](eta)), 1e-12, label = paste(link, "d2mu_eta2"))
  }
})

# Means spanning each distribution's range, reached through a link.
mu_cases <- list(
  gaussian = list(link = "identity", eta = seq(-20, 20, by = 0.5), y = c(-3, 0, 2.5)),
  binomial = list(link = "logit", eta = c(-40, -31, seq(-29, 29, by = 0.5), 31, 40),
                  y = c(0, 0.3, 1)),
  poisson = list(link = "log", eta = seq(-30, 30, by = 0.5), y = c(0, 1, 2.5, 7)),
  Gamma = list(link = "log", eta = seq(-20, 20, by = 0.5), y = c(0.01, 1, 30)),
  inverse.gaussian = list(link = "log", eta = seq(-20, 20, by = 0.5), y = c(0.01, 1, 30))
)

test_that("variance and unit deviances agree with the stats families", {
  for (distribution in names(mu_cases)) {
    case <- mu_cases[[distribution]]
    fam <- make_family(distribution, case$link)
    for (y in case$y) {
      t <- terms_of(case$eta, y, distribution, case$link)
      what <- sprintf("%s (y = %g)", distribution, y)
      # Relative tolerance 1e-14: identical formulas.
      expect_lt(rel_diff(t$variance, fam$variance(t$mu)), 1e-14, label = paste(what, "variance"))
      # Unit deviance with weight 1 against dev.resids(); relative 1e-12, with
      # an absolute floor of 1e-14 where y is (nearly) the fitted mean.
      expect_lt(rel_diff(t$deviance, fam$dev.resids(rep(y, length(t$mu)), t$mu, 1), floor = 1e-14),
                1e-12, label = paste(what, "deviance"))
    }
  }
})

test_that("dvariance is the derivative of the family's variance function", {
  grids <- list(
    gaussian = seq(-10, 10, by = 0.5) + 0.0123,
    binomial = c(1e-6, seq(0.01, 0.99, by = 0.02), 1 - 1e-6),
    poisson = 10^seq(-4, 4, by = 0.25),
    Gamma = 10^seq(-4, 4, by = 0.25),
    inverse.gaussian = 10^seq(-4, 4, by = 0.25)
  )
  links <- c(gaussian = "identity", binomial = "identity", poisson = "identity",
             Gamma = "identity", inverse.gaussian = "identity")
  for (distribution in names(grids)) {
    mu <- grids[[distribution]]
    fam <- make_family(distribution, if (distribution == "binomial") "logit" else "log")
    # Identity link so that mu = eta: the variance is evaluated at mu itself.
    t <- terms_of(mu, 0.5, distribution, links[[distribution]])
    expect_equal(t$mu, mu, tolerance = 0)
    numeric_dv <- num_deriv(function(m) fam$variance(m), mu)
    if (distribution == "gaussian") {
      expect_equal(t$dvariance, rep(0, length(mu)), tolerance = 0)
    } else {
      # Relative tolerance 1e-8: numerical derivative of a polynomial (the
      # binomial grid steps over mu = 0.5, where V'(mu) = 1 - 2 mu is 0).
      expect_lt(rel_diff(t$dvariance, numeric_dv), 1e-8,
                label = paste(distribution, "dvariance"))
    }
  }
})

test_that("per-row score and expected weight follow from R's family functions", {
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      fam <- make_family(distribution, link)
      beta <- true_beta(distribution, link)
      # Linear predictors inside the link's domain: those of the simulation design.
      eta <- beta[1] + beta[2] * seq(-1, 1, by = 0.1) + beta[3] * rep(0:1, length.out = 21)
      mu <- fam$linkinv(eta)
      y <- switch(distribution, binomial = rep(c(0, 1, 0.4), length.out = 21),
                  gaussian = mu + seq(-1, 1, by = 0.1), mu * exp(seq(-1, 1, by = 0.1)))
      t <- terms_of(eta, y, distribution, link)
      what <- paste(distribution, link)
      # Relative tolerance 1e-12 (absolute 1e-14 for a zero residual).
      expect_lt(rel_diff(t$score, (y - mu) * fam$mu.eta(eta) / fam$variance(mu), floor = 1e-14),
                1e-12, label = paste(what, "score"))
      expect_lt(rel_diff(t$expected, fam$mu.eta(eta)^2 / fam$variance(mu)), 1e-12,
                label = paste(what, "expected"))
    }
  }
})

test_that("valid marks eta inside the link's domain with mu inside the family's range", {
  eta <- c(-1e10, -5, -1, -1e-8, 0, 1e-8, 0.5, 1, 5, 1e10)
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      t <- terms_of(eta, 1, distribution, link)
      fam <- make_family(distribution, link)
      mu <- suppressWarnings(fam$linkinv(eta))
      domain <- switch(link, inverse = eta != 0, "1/mu^2" = , sqrt = eta > 0, TRUE)
      range_ok <- is.finite(mu) &
        switch(distribution, gaussian = TRUE, binomial = mu > 0 & mu < 1, mu > 0)
      expect_identical(t$valid, domain & range_ok, label = paste(distribution, link, "valid"))
    }
  }
})

test_that("the C++ link functions (for starting values) agree with make.link()", {
  # Means from the far tails to the middle; R's linkfun is the oracle, to
  # 1e-13 relative (the same formulas, rounding only).
  mu <- c(1e-300, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7,
          0.97575, 0.999, 1 - 1e-10)
  for (link in c("logit", "probit", "cauchit", "cloglog", "log", "identity", "inverse", "sqrt")) {
    eta <- make.link(link)$linkfun(mu)
    ok <- is.finite(eta) & (link != "sqrt" | eta > 0) & (link != "inverse" | eta != 0)
    terms <- mleglm:::cpp_family_terms(eta[ok], rep(0.5, sum(ok)), "binomial", link)
    expect_lt(max_rel_diff(terms$linkfun, make.link(link)$linkfun(terms$mu), floor = 1e-300),
              1e-13, label = link)
  }
  terms <- mleglm:::cpp_family_terms(c(0.5, 2, 9), rep(1, 3), "inverse.gaussian", "1/mu^2")
  expect_lt(max_rel_diff(terms$linkfun, make.link("1/mu^2")$linkfun(terms$mu)), 1e-13)
})
