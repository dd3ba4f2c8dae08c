# The engine for negbin(): check the counts, fit the Poisson model with the
# same link (the start, and the null model of lr_test_poisson()), then
# maximise the NB2 likelihood over (beta, log theta) in C++, under the rank
# policy of every kind (core.R).

joint_engine.mleglm_negbin_family <- function(family, x, y, weights, offset, start, method,
                                              control) {
  response <- negbin_response(y, weights)
  y <- response$y
  positive <- weights > 0
  start <- check_start(start, colnames(x))
  link <- family$link
  lk <- stats::make.link(link)

  # Aliased columns start at 0; the rank policy then drops them.
  pois <- negbin_poisson_fit(x, y, weights, offset, start, link, control)
  beta0 <- if (!is.null(start)) {
    start
  } else if (is.null(pois$error)) {
    pois$coefficients
  } else {
    # One least-squares step on the link scale, as a last resort.
    eta0 <- lk$linkfun(y + 0.1)
    stats::lm.wfit(x, eta0 - offset, weights)$coefficients
  }
  beta0[is.na(beta0)] <- 0
  mu0 <- lk$linkinv(drop(x %*% beta0) + offset)
  theta0 <- negbin_moment_theta(y[positive], mu0[positive], weights[positive])

  spec <- model_spec("negbin", "negbin", link, x = x, y = y, weights = weights, offset = offset,
                     start = c(beta0, log(theta0)))
  run <- fit_with_rank_policy(spec, method, control)
  res <- run$res
  if (!res$ok || !isTRUE(res$derivatives_ok)) {
    what <- if (is.null(start)) "The starting values (from the Poisson fit)" else "`start`"
    abort("start", sprintf(
      "%s give fitted means outside (0, Inf) for the negative binomial with the %s link; supply other `start` values.",
      what, link))
  }

  out <- joint_components(run, x, "log(theta)", weights, method, control, response$pending)
  theta <- exp(res$coefficients[length(res$coefficients)])
  fam <- negbin_family(link, theta)
  mu <- stats::setNames(res$mu, rownames(x))
  eta <- stats::setNames(res$eta, rownames(x))
  # NA where the information is singular (theta drifting to infinity); the
  # boundary warning below says why, and vcov() warns when asked.
  se_log_theta <- sqrt(suppressWarnings(
    invert_information(out$information$observed))["log(theta)", "log(theta)"])
  pearson <- sum((weights * (y - mu)^2 / fam$variance(mu))[positive])
  out$warnings <- c(out$warnings, negbin_theta_warning(theta, mu[positive]))
  c(out, list(
    subclass = c("mleglm_negbin", "mleglm_joint"),
    theta = theta,
    SE.theta = theta * se_log_theta,
    extra = c(theta = theta),
    extra_scale = c(theta = "log"),
    extra_fixed = c(theta = FALSE),
    fitted.values = mu,
    linear.predictors = eta,
    residuals = (y - mu) / fam$mu.eta(eta),
    y = y,
    prior.weights = weights,
    offset = offset,
    family = fam,
    deviance = sum(fam$dev.resids(y, mu, weights)[positive]),
    dispersion = 1,
    pearson_chisq = pearson,
    dispersion_pearson = pearson / out$df.residual,
    poisson = pois[c("loglik", "converged", "error")]
  ))
}

# Counts: numeric (or logical), finite and non-negative where the weight is
# positive; non-integers are allowed (the likelihood extends through lgamma)
# with a warning.
negbin_response <- function(y, weights) {
  if (is.matrix(y) && ncol(y) == 1L) y <- drop(y)
  if (!(is.numeric(y) || is.logical(y)) || is.matrix(y) || is.factor(y)) {
    abort("input", sprintf("The response of the negbin family must be a numeric vector of counts, not %s.",
                           class(y)[1L]))
  }
  y <- as.double(y)
  positive <- weights > 0
  if (any(!is.finite(y))) {
    abort("input", sprintf("The response must be finite; %s are not.", describe_rows(!is.finite(y))))
  }
  if (any(y < 0 & positive)) {
    abort("domain", sprintf("The response of the negbin family must be non-negative counts; %s are not.",
                            describe_rows(y < 0 & positive)))
  }
  pending <- list()
  fractional <- y != round(y) & positive
  if (any(fractional)) {
    pending <- list(pending_warning("domain", sprintf(
      "The negbin response should be whole counts; %s are not (the likelihood is extended through lgamma).",
      describe_rows(fractional))))
  }
  list(y = y, pending = pending)
}

# The Poisson fit with the same link and rows, by the package's own engine,
# from glm()'s default start or, failing that, the user's. A failure (an
# identity link that cannot start, say) is kept as a message.
negbin_poisson_fit <- function(x, y, weights, offset, start, link, control) {
  control$trace <- FALSE
  attempt <- function(s) {
    tryCatch(fit_engine(x, y, stats::poisson(link = link), weights, offset, s, "newton", control),
             mleglm_error = function(e) list(error = conditionMessage(e)))
  }
  pois <- attempt(NULL)
  if (!is.null(pois$error) && !is.null(start)) pois <- attempt(start)
  if (!is.null(pois$error)) return(list(error = pois$error, loglik = NA_real_, converged = FALSE))
  pois["error"] <- list(NULL)
  pois
}

# MASS::theta.ml's starting value, sum w / sum w (y / mu - 1)^2; 1 where that
# is not a positive number.
negbin_moment_theta <- function(y, mu, w) {
  theta <- sum(w) / sum(w * (y / mu - 1)^2)
  if (!is.finite(theta) || theta <= 0) 1 else min(max(theta, 1e-4), 1e6)
}

# A theta estimate so large that the variance mu + mu^2 / theta is the
# Poisson variance to within 1e-6 at every fitted mean: no overdispersion.
negbin_theta_warning <- function(theta, mu) {
  if (theta < 1e6 * max(mu)) return(list())
  list(pending_warning("boundary", sprintf(
    "theta is estimated at %s, where the negative binomial is the Poisson distribution to 1e-6: the data show no overdispersion (see lr_test_poisson()).",
    format(signif(theta, 3)))))
}
