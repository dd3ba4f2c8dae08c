# evaluate_glm_at() (the core's evaluation) at beta values away from the optimum: its log-likelihood,
# score and information against numerical derivatives (numDeriv) of a
# log-likelihood written here from R's density functions.

canonical_link <- c(gaussian = "identity", binomial = "logit", poisson = "log",
                    Gamma = "inverse", inverse.gaussian = "1/mu^2")

# Data from the simulation design with prior weights (numbers of trials for
# the binomial), three rows of weight zero and an offset, and a beta drawn at
# random around the truth: the log-likelihood is not at its maximum there.
derivative_case <- function(distribution, link, n = 150, seed = 3) {
  dat <- simulate_glm(distribution, link, n = n, seed = seed)
  x <- cbind("(Intercept)" = 1, x1 = dat$x1, x2 = dat$x2)
  set.seed(seed + 100)
  offset <- stats::runif(n, -0.05, 0.05)
  beta_true <- true_beta(distribution, link)
  mu_true <- stats::make.link(link)$linkinv(drop(x %*% beta_true) + offset)
  if (distribution == "binomial") {
    w <- as.double(sample(1:6, n, replace = TRUE))
    y <- stats::rbinom(n, w, mu_true) / w
  } else {
    w <- stats::runif(n, 0.5, 2)
    y <- dat$y
  }
  w[1:3] <- 0
  beta <- beta_true * (1 + stats::runif(3, -0.15, 0.15))
  list(x = x, y = as.double(y), w = w, offset = offset, beta = beta)
}

evaluate_case <- function(case, distribution, link, beta = case$beta) {
  mleglm:::evaluate_glm_at(case$x, case$y, case$w, case$offset, as.double(beta), distribution, link)
}

test_that("evaluate_glm_at()'s log-likelihood, means and dispersion agree with R at any beta", {
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      what <- paste(distribution, link)
      case <- derivative_case(distribution, link)
      ev <- evaluate_case(case, distribution, link)
      expect_true(ev$ok, label = paste(what, "ok"))
      eta <- drop(case$x %*% case$beta) + case$offset
      mu <- stats::make.link(link)$linkinv(eta)
      # Relative 1e-13: the same arithmetic.
      expect_lt(rel_diff(ev$eta, eta), 1e-13, label = paste(what, "eta"))
      expect_lt(rel_diff(ev$mu, mu), 1e-13, label = paste(what, "mu"))
      # The profiled dispersion, from R's own functions: relative 1e-10.
      phi <- ml_dispersion_closed(case$y, mu, case$w, distribution)
      expect_lt(abs(ev$dispersion - phi) / phi, 1e-10, label = paste(what, "dispersion"))
      # The log-likelihood from dnorm/dbinom/dpois/dgamma/the inverse Gaussian
      # density at that dispersion: relative 1e-10.
      ll <- loglik_beta(case$beta, case$x, case$y, case$w, case$offset, distribution, link,
                        ev$dispersion)
      expect_lt(abs(ev$loglik - ll) / abs(ll), 1e-10, label = paste(what, "loglik"))
      # The deviance from dev.resids(): relative 1e-10.
      dev <- sum(make_family(distribution, link)$dev.resids(case$y, mu, case$w)[case$w > 0])
      expect_lt(abs(ev$deviance - dev) / dev, 1e-10, label = paste(what, "deviance"))
      # The reported dispersion maximises the log-likelihood over phi.
      if (distribution %in% c("gaussian", "Gamma", "inverse.gaussian")) {
        for (factor in c(0.999, 1.001)) {
          expect_lt(loglik_beta(case$beta, case$x, case$y, case$w, case$offset, distribution,
                                link, ev$dispersion * factor), ev$loglik)
        }
      }
    }
  }
})

test_that("the score is the gradient of the log-likelihood at any beta", {
  skip_if_not_installed("numDeriv")
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      what <- paste(distribution, link)
      case <- derivative_case(distribution, link)
      ev <- evaluate_case(case, distribution, link)
      scale <- 1 / sqrt(diag(ev$expected))
      # Gradient with the dispersion held at the reported value: relative 1e-6.
      g_fixed <- num_grad_scaled(loglik_beta, case$beta, scale, mm = case$x, y = case$y,
                                 w = case$w, offset = case$offset, distribution = distribution,
                                 link = link, phi = ev$dispersion)
      expect_lt(rel_diff(ev$score, g_fixed), 1e-6, label = paste(what, "score vs numDeriv"))
      # Gradient of the profile log-likelihood (dispersion re-maximised at each
      # beta): by the envelope theorem it equals the score at phi-hat(beta).
      # Relative 1e-6.
      if (distribution %in% c("gaussian", "Gamma", "inverse.gaussian")) {
        g_profile <- num_grad_scaled(profile_loglik_beta, case$beta, scale, mm = case$x,
                                     y = case$y, w = case$w, offset = case$offset,
                                     distribution = distribution, link = link)
        expect_lt(rel_diff(ev$score, g_profile), 1e-6, label = paste(what, "profile gradient"))
      }
    }
  }
})

test_that("the observed information is minus the Hessian at any beta", {
  skip_if_not_installed("numDeriv")
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      what <- paste(distribution, link)
      case <- derivative_case(distribution, link)
      ev <- evaluate_case(case, distribution, link)
      scale <- 1 / sqrt(diag(ev$expected))
      # Hessian with the dispersion held at the reported value (for the
      # gaussian, Gamma and inverse Gaussian that is the beta block of the
      # two-parameter Hessian, not the Hessian of the profile). Tolerance 1e-6
      # relative to sqrt(E_ii E_jj), E the expected information (the observed
      # one need not be positive definite away from the optimum).
      h <- num_hessian_scaled(loglik_beta, case$beta, scale, mm = case$x, y = case$y,
                              w = case$w, offset = case$offset, distribution = distribution,
                              link = link, phi = ev$dispersion)
      expect_lt(cov_rel_diff(ev$observed, -h, scale = ev$expected), 1e-6,
                label = paste(what, "observed vs numDeriv::hessian"))
      expect_equal(ev$observed, t(ev$observed), tolerance = 1e-14)
      # Fixed dispersion: the score's own Jacobian is minus the observed
      # information (numDeriv::jacobian of evaluate_glm_at()'s score), 1e-6.
      if (distribution %in% c("binomial", "poisson")) {
        score_at <- function(b) evaluate_case(case, distribution, link, beta = b)$score
        jac <- numDeriv::jacobian(score_at, case$beta)
        expect_lt(cov_rel_diff(ev$observed, -jac, scale = ev$expected), 1e-6,
                  label = paste(what, "observed vs jacobian of score"))
      }
    }
  }
})

test_that("the expected information is X' diag(w mu'^2 / V) X / phi", {
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      what <- paste(distribution, link)
      case <- derivative_case(distribution, link)
      ev <- evaluate_case(case, distribution, link)
      fam <- make_family(distribution, link)
      eta <- drop(case$x %*% case$beta) + case$offset
      mu <- fam$linkinv(eta)
      weight <- case$w * fam$mu.eta(eta)^2 / fam$variance(mu)
      expected <- crossprod(case$x, weight * case$x) / ev$dispersion
      # Relative 1e-12 (to sqrt(E_ii E_jj)): the same sums in another order.
      expect_lt(cov_rel_diff(ev$expected, expected), 1e-12, label = paste(what, "expected"))
    }
  }
})

test_that("observed and expected information coincide for canonical links at any beta", {
  for (distribution in names(canonical_link)) {
    link <- canonical_link[[distribution]]
    case <- derivative_case(distribution, link)
    for (k in 1:3) {
      set.seed(k)
      beta <- case$beta * (1 + stats::runif(3, -0.1, 0.1))
      ev <- evaluate_case(case, distribution, link, beta = beta)
      # Relative 1e-10: the observed-minus-expected term
      # (y - mu) (mu'' V - mu'^2 V') / V^2 vanishes identically.
      expect_lt(rel_diff(ev$observed, ev$expected), 1e-10, label = paste(distribution, link))
    }
  }
})

test_that("per-row score and observed weight are derivatives of minus half the unit deviance", {
  skip_if_not_installed("numDeriv")
  for (distribution in names(family_links)) {
    for (link in family_links[[distribution]]) {
      fam <- make_family(distribution, link)
      beta <- true_beta(distribution, link)
      eta <- beta[1] + beta[2] * seq(-0.95, 0.95, by = 0.1) + beta[3] * rep(0:1, length.out = 20)
      mu <- fam$linkinv(eta)
      y <- switch(distribution, binomial = rep(c(0, 1, 0.4, 0.9), length.out = 20),
                  gaussian = mu + seq(-1, 1, length.out = 20),
                  mu * exp(seq(-1, 1, length.out = 20)))
      t <- mleglm:::cpp_family_terms(eta, y, distribution, link)
      # l(eta) = -D(y, mu(eta)) / 2 is the log-likelihood up to a term free of
      # eta (phi = 1, weight 1).
      score <- hess <- numeric(length(eta))
      for (i in seq_along(eta)) {
        l_i <- function(e) -0.5 * fam$dev.resids(y[i], fam$linkinv(e), 1)
        s <- max(abs(eta[i]), 0.4) / 4
        score[i] <- numDeriv::grad(function(u) l_i(eta[i] + s * u), 0) / s
        hess[i] <- numDeriv::hessian(function(u) l_i(eta[i] + s * u), 0,
                                     method.args = list(eps = 0.1))[1, 1] / s^2
      }
      what <- paste(distribution, link)
      # Relative 1e-7 for the score, 1e-6 for the observed weight; where the
      # true value is 0 (a zero residual; y = 1 under the log binomial), the
      # floor 1e-4 times the largest value makes that an absolute 1e-11 and
      # 1e-10 times the largest value.
      expect_lt(rel_diff(t$score, score, floor = 1e-4 * max(abs(score))), 1e-7,
                label = paste(what, "row score"))
      expect_lt(rel_diff(t$observed, -hess, floor = 1e-4 * max(abs(hess))), 1e-6,
                label = paste(what, "row observed"))
    }
  }
})
