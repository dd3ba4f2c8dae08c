#' Simulate responses from an mleglm fit
#'
#' Draws `nsim` new responses for the fitted rows from the fitted
#' distribution: the fitted means and the maximum-likelihood dispersion.
#' Gaussian: \eqn{N(\mu, \phi / w)}; binomial: successes out of the `w`
#' trials of each row, divided by `w` (proportions, as the model sees the
#' response); Poisson: \eqn{\mathrm{Poisson}(\mu)}{Poisson(mu)}; Gamma: shape
#' \eqn{1/\phi} and mean \eqn{\mu}; inverse Gaussian: mean \eqn{\mu} and
#' shape \eqn{1/\phi} (by the transformation method of Michael, Schucany and
#' Haas, 1976); negative binomial ([negbin()]): size \eqn{\hat\theta}{theta-hat} and
#' mean \eqn{\mu}. A [custom_family()] defines no way to draw and gives an
#' error of class `mleglm_error_unsupported`. For the Poisson, Gamma,
#' inverse Gaussian and negative binomial families prior weights are frequency
#' weights of the likelihood and cannot be simulated; weights other than 1
#' give a warning of class `mleglm_warning_simulate`. Rows with zero weight
#' get `NA`.
#'
#' With `seed`, the random generator is set by [set.seed()] first (and is not
#' restored afterwards); the result carries the seed or the generator's
#' state as attribute `"seed"`, as [stats::simulate()] results do.
#'
#' @param object An `"mleglm"` object.
#' @param nsim Number of simulated responses.
#' @param seed Optional seed for [set.seed()].
#' @param ... Unused.
#' @return A data frame with columns `sim_1`, ..., one row per fitted row.
#' @references Michael, J. R., Schucany, W. R. and Haas, R. W. (1976).
#'   Generating random variates using transformations with multiple roots.
#'   *The American Statistician* 30, 88-90.
#' @examples
#' f <- fit(num ~ age + sex, heart, family = poisson())
#' sims <- simulate(f, nsim = 2, seed = 1)
#' head(sims)
#' @export
simulate.mleglm <- function(object, nsim = 1, seed = NULL, ...) {
  check_count(nsim, "nsim", upper = 1e6, kind = "input")
  if (inherits(object, "mleglm_custom")) {
    unsupported("simulate()", sprintf(
      "custom family \"%s\" gives a log-density, not a way to draw from it", object$family$family))
  }
  if (!is.null(seed)) {
    set.seed(seed)
    state <- structure(seed, kind = as.list(RNGkind()))
  } else {
    if (!exists(".Random.seed", envir = globalenv(), inherits = FALSE)) stats::runif(1)
    state <- get(".Random.seed", envir = globalenv())
  }
  mu <- object$fitted.values
  w <- object$prior.weights
  n <- length(mu)
  family <- object$family$family
  phi <- object$dispersion
  if (family %in% c("poisson", "Gamma", "inverse.gaussian", "negbin") && any(w > 0 & w != 1)) {
    warn("simulate", sprintf("The %s family's prior weights are frequency weights, which cannot be simulated; they are ignored.", family))
  }
  if (family == "binomial" && any(w %% 1 != 0)) {
    abort("input", "Binomial responses can be simulated only for whole numbers of trials (`weights`).")
  }
  mu_all <- rep(mu, nsim)
  w_all <- rep(w, nsim)
  draws <- switch(family,
    gaussian = mu_all + stats::rnorm(n * nsim) * sqrt(phi / w_all),
    binomial = stats::rbinom(n * nsim, size = w_all, prob = mu_all) / w_all,
    poisson = stats::rpois(n * nsim, mu_all),
    negbin = stats::rnbinom(n * nsim, size = object$theta, mu = mu_all),
    Gamma = stats::rgamma(n * nsim, shape = 1 / phi, rate = 1 / (phi * mu_all)),
    inverse.gaussian = rinverse_gaussian(mu_all, 1 / phi)
  )
  draws[w_all == 0] <- NA
  out <- as.data.frame(matrix(draws, n, nsim, dimnames = list(names(mu), paste0("sim_", seq_len(nsim)))))
  attr(out, "seed") <- state
  out
}

# Michael, Schucany and Haas (1976): the root of a chi-square(1) draw,
# chosen between the two roots with the right probabilities.
rinverse_gaussian <- function(mu, lambda) {
  n <- length(mu)
  y <- stats::rnorm(n)^2
  x <- mu + mu^2 * y / (2 * lambda) - mu / (2 * lambda) * sqrt(4 * mu * lambda * y + mu^2 * y^2)
  u <- stats::runif(n)
  ifelse(u <= mu / (mu + x), x, mu^2 / x)
}
