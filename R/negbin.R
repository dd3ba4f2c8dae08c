#' Negative binomial family with theta estimated by maximum likelihood
#'
#' The NB2 negative binomial, \eqn{Var(y) = \mu + \mu^2 / \theta}, for
#' [fit()] and [fit_matrix()]. The shape \eqn{\theta} is estimated jointly
#' with the coefficients: Newton-Raphson (or Fisher scoring, or BFGS) runs on
#' the full parameter vector \eqn{(\beta, \log\theta)}{(beta, log(theta))} with the analytic score
#' and information of the package's C++ core, so [vcov()] includes
#' \eqn{\log\theta}{log(theta)} and its covariance with the coefficients.
#' [MASS::glm.nb()] instead alternates between IRLS for \eqn{\beta} at fixed
#' \eqn{\theta} and a separate ML step for \eqn{\theta}; the two reach the
#' same maximum, but its standard errors treat the other parameter as known.
#'
#' The fit starts from the Poisson fit with the same link (also kept for
#' [lr_test_poisson()]) and the moment estimate
#' \eqn{\sum w / \sum w (y/\mu - 1)^2}{sum(w) / sum(w (y/mu - 1)^2)} of \eqn{\theta}. The returned object
#' has class `c("mleglm_negbin", "mleglm_joint", "mleglm")`: `theta` and
#' `SE.theta` (delta method from the standard error of \eqn{\log\theta}{log(theta)}) as in
#' `glm.nb`, `par` (coefficients and \eqn{\log\theta}{log(theta)}), `logLik()` with
#' `df` counting \eqn{\theta} as `glm.nb` does, and `family` the fitted family
#' at \eqn{\hat\theta}{theta-hat}, a complete `stats` family that `glm()` also accepts.
#' The deviance is the negative binomial deviance at \eqn{\hat\theta}{theta-hat}.
#' Frequency `weights` multiply each row's log-likelihood.
#'
#' @param link `"log"` (default), `"sqrt"` or `"identity"`, quoted or not.
#' @return A family object of class
#'   `c("mleglm_negbin_family", "mleglm_joint_family", "family")`.
#' @seealso [lr_test_poisson()] for the test of overdispersion,
#'   [summary.mleglm_joint()], `vignette("custom-likelihoods")`.
#' @examples
#' d <- data.frame(x = rep(1:10, 5))
#' d$y <- c(3, 0, 6, 2, 8, 1, 12, 4, 9, 17, 1, 5, 2, 7, 3, 11, 6, 2, 14, 9,
#'          0, 4, 3, 1, 10, 5, 8, 15, 6, 21, 2, 1, 7, 5, 4, 9, 3, 12, 18, 7,
#'          1, 3, 2, 6, 9, 2, 11, 7, 13, 25)
#' f <- fit(y ~ x, d, family = negbin())
#' f
#' summary(f)
#' lr_test_poisson(f)
#' @export
negbin <- function(link = "log") {
  name <- substitute(link)
  if (!is.character(name)) name <- deparse(name)
  if (!name %in% negbin_links) name <- link
  if (!is.character(name) || length(name) != 1L || !name %in% negbin_links) {
    abort("family", sprintf("`link` of negbin() must be one of %s, not %s.",
                            paste(sprintf("\"%s\"", negbin_links), collapse = ", "),
                            deparse1(name)))
  }
  negbin_family(name, NA_real_)
}

negbin_links <- c("log", "sqrt", "identity")

# The family at a given theta: the link functions of stats::make.link() and
# the NB2 variance, deviance residuals and AIC, so that residuals() and glm()
# work with the fitted family.
negbin_family <- function(link, theta) {
  lk <- stats::make.link(link)
  structure(list(
    family = "negbin",
    link = link,
    linkfun = lk$linkfun,
    linkinv = lk$linkinv,
    mu.eta = lk$mu.eta,
    valideta = lk$valideta,
    variance = function(mu) mu + mu^2 / theta,
    dev.resids = function(y, mu, wt) {
      2 * wt * (ifelse(y > 0, y * log(y / mu), 0) - (y + theta) * log((y + theta) / (mu + theta)))
    },
    aic = function(y, n, mu, wt, dev) -2 * sum(wt * negbin_loglik_rows(y, mu, theta)),
    validmu = function(mu) all(is.finite(mu)) && all(mu > 0),
    initialize = expression({
      if (any(y < 0)) stop("negative values not allowed for the negative binomial family")
      n <- rep(1, nobs)
      mustart <- y + 0.1
    }),
    theta = theta
  ), class = c("mleglm_negbin_family", "mleglm_joint_family", "family"))
}

# Per-row NB2 log-density, as the C++ core computes it.
negbin_loglik_rows <- function(y, mu, theta) {
  lgamma(y + theta) - lgamma(theta) - lgamma(y + 1) +
    ifelse(y > 0, y * log(mu / (mu + theta)), 0) - theta * log1p(mu / theta)
}

#' Likelihood-ratio test of the Poisson model against the negative binomial
#'
#' Tests whether the overdispersion of a [negbin()] fit is real: the Poisson
#' model is the negative binomial with \eqn{1/\theta = 0}, a value on the
#' boundary of the parameter space, so under the Poisson model the
#' likelihood-ratio statistic \eqn{2(\ell_{NB} - \ell_{P})}{2 (logLik_NB - logLik_P)} follows not a
#' \eqn{\chi^2_1}{chi-square(1)} but the even mixture of a point mass at 0 and a
#' \eqn{\chi^2_1}{chi-square(1)} (Self and Liang 1987). The p-value is therefore half the
#' \eqn{\chi^2_1}{chi-square(1)} upper tail. The Poisson fit is the one the negative
#' binomial fit started from: same rows, weights, offset and link.
#'
#' @param object A fit with `family = negbin()`.
#' @return An object of class `"htest"` with the statistic, `parameter`
#'   (df = 1), the boundary-corrected `p.value`, `p.value_naive` (the
#'   uncorrected chi-square(1) tail), `estimate` (theta) and the two
#'   log-likelihoods in `loglik`.
#' @examples
#' d <- data.frame(x = rep(1:10, 5))
#' d$y <- c(3, 0, 6, 2, 8, 1, 12, 4, 9, 17, 1, 5, 2, 7, 3, 11, 6, 2, 14, 9,
#'          0, 4, 3, 1, 10, 5, 8, 15, 6, 21, 2, 1, 7, 5, 4, 9, 3, 12, 18, 7,
#'          1, 3, 2, 6, 9, 2, 11, 7, 13, 25)
#' lr_test_poisson(fit(y ~ x, d, family = negbin()))
#' @export
lr_test_poisson <- function(object) {
  if (!inherits(object, "mleglm_negbin")) {
    abort("input", "`object` must be a fit with family = negbin().")
  }
  pois <- object$poisson
  if (!is.null(pois$error)) {
    abort("numerical", sprintf("The Poisson fit with the %s link failed, so there is nothing to test against: %s",
                               object$family$link, pois$error))
  }
  if (!pois$converged) {
    warn("convergence", "The Poisson fit did not converge; the test statistic may be too large.")
  }
  stat <- max(2 * (object$loglik - pois$loglik), 0)
  structure(list(
    statistic = c(LR = stat),
    parameter = c(df = 1),
    p.value = 0.5 * stats::pchisq(stat, df = 1, lower.tail = FALSE),
    p.value_naive = stats::pchisq(stat, df = 1, lower.tail = FALSE),
    estimate = c(theta = object$theta),
    null.value = c("1/theta" = 0),
    alternative = "greater",
    loglik = c(poisson = pois$loglik, negbin = object$loglik),
    method = paste("Likelihood-ratio test of Poisson against negative binomial",
                   "(p-value half the chi-square(1) tail: 1/theta = 0 is on the boundary)"),
    data.name = paste(deparse(object$call), collapse = " ")
  ), class = "htest")
}
