# The likelihood of a fit as optim() wants it: one internal generic with one
# return shape, a method per kind, for compare() and for anyone who wants to
# check the fit with a general-purpose optimiser.
#
# optim_problem(object) returns NULL where no objective is defined (a fit
# class that adds no method may do so), or a list:
#   par          the estimate, named, in the layout below;
#   start        where compare() starts optim(): the fit's starting values
#                (with a moment estimate of a glm family's dispersion);
#   names        names(par);
#   fn(par)      the negative log-likelihood, Inf where it is not defined;
#   gr(par)      its gradient (minus the score), or NULL where no analytic
#                gradient exists in this layout (glm families, whose
#                objective is written out in R, independently of the core);
#   hessian(par) its Hessian (the observed information), or NULL likewise;
#   coef         positions of the regression coefficients in par;
#   dispersion   function(par) giving the dispersion (1 where fixed);
#   parameters   a description of par, for the explanations;
#   loglik       the maximised log-likelihood.
# The layout: the non-aliased coefficients, then the log of a glm family's
# dispersion (log(sigma^2) for the Gaussian) or a joint fit's extra
# parameter on its estimation scale (log(theta), log(sigma), ...), in the
# order of vcov(object).
optim_problem <- function(object, ...) UseMethod("optim_problem")

# Registered so that code outside the namespace (tests,
# mleglm:::optim_problem(f)) dispatches to the methods too.

#' @exportS3Method optim_problem mleglm
optim_problem.mleglm <- function(object, ...) {
  family <- object$family
  if (!family$family %in% names(supported_links())) return(NULL)
  d <- refit_data(object)
  pos <- d$weights > 0
  x <- d$x[pos, , drop = FALSE]
  y <- d$y[pos]
  w <- d$weights[pos]
  offset <- d$offset[pos]
  p <- ncol(x)
  mean_of <- function(par) {
    mu <- family$linkinv(drop(x %*% par[seq_len(p)]) + offset)
    if (!all(valid_mean(mu, family))) return(NULL)
    mu
  }
  # Each log-density as the C++ Distribution writes it (see distribution.hpp).
  family_nll <- switch(family$family,
    gaussian = function(mu, phi) 0.5 * sum(log(2 * pi * phi / w) + w * (y - mu)^2 / phi),
    binomial = function(mu, phi) {
      -sum(lchoose(round(w), round(w * y)) + w * (ifelse(y > 0, y * log(mu), 0) +
                                                  ifelse(y < 1, (1 - y) * log(1 - mu), 0)))
    },
    poisson = function(mu, phi) -sum(w * (ifelse(y > 0, y * log(mu), 0) - mu - lgamma(y + 1))),
    Gamma = function(mu, phi) {
      nu <- 1 / phi
      -sum(w * (nu * log(nu * y / mu) - nu * y / mu - log(y) - lgamma(nu)))
    },
    inverse.gaussian = function(mu, phi) {
      0.5 * sum(w * (log(2 * pi * phi * y^3) + (y - mu)^2 / (phi * mu^2 * y)))
    })
  free_dispersion <- has_dispersion(family)
  dispersion_of <- function(par) if (free_dispersion) exp(par[[p + 1L]]) else 1
  start <- object$start
  par <- coef(object, complete = FALSE)
  if (free_dispersion) {
    name <- if (family$family == "gaussian") "log(sigma^2)" else "log(dispersion)"
    mu0 <- family$linkinv(drop(x %*% start) + offset)
    phi0 <- if (family$family == "gaussian") {
      stats::var(y)  # the tutorial's start
    } else {
      sum(w * (y - mu0)^2 / family$variance(mu0)) / sum(w)
    }
    start <- c(start, stats::setNames(log(phi0), name))
    par <- c(par, stats::setNames(log(object$dispersion), name))
  }
  list(
    par = par, start = start, names = names(par),
    fn = function(par) {
      mu <- mean_of(par)
      if (is.null(mu)) return(Inf)  # outside the parameter space
      family_nll(mu, dispersion_of(par))
    },
    gr = NULL, hessian = NULL,
    coef = seq_len(p),
    dispersion = dispersion_of,
    parameters = if (!free_dispersion) "the coefficients" else if (family$family == "gaussian") {
      "the coefficients and log(sigma^2)"
    } else "the coefficients and the log of the dispersion",
    loglik = object$loglik
  )
}

#' @exportS3Method optim_problem mleglm_joint
optim_problem.mleglm_joint <- function(object, ...) {
  lik <- kind_prepare(object)
  nm <- names(object$par)
  check <- function(par) {
    if (!is.numeric(par) || length(par) != length(nm)) {
      abort("input", sprintf("`par` must have %d values (%s).", length(nm), paste(nm, collapse = ", ")))
    }
  }
  at <- function(par) {
    check(par)
    tryCatch(likelihood_at(lik, par), mleglm_error_input = function(e) kind_failure(par))
  }
  derivative <- function(par, what) {
    e <- at(par)
    if (!e$derivatives_ok) {
      abort("numerical", sprintf("The log-likelihood has no derivatives at %s.",
                                 format_parameters(par, nm)))
    }
    e[[what]]
  }
  p <- object$rank
  extra <- extra_rows(object)
  estimated <- rownames(extra)[!is.na(extra[, "scaled_name"])]
  list(
    par = object$par, start = object$start, names = nm,
    fn = function(par) {
      e <- at(par)
      if (e$ok) -e$loglik else Inf
    },
    gr = function(par) -derivative(par, "score"),
    hessian = function(par) derivative(par, "observed"),
    coef = seq_len(p),
    dispersion = function(par) 1,
    parameters = if (length(estimated) == 0L) "the coefficients" else {
      sprintf("the coefficients and %s", paste(extra[estimated, "scaled_name"], collapse = ", "))
    },
    loglik = object$loglik
  )
}

#' @exportS3Method optim_problem mleglm_chunked
optim_problem.mleglm_chunked <- function(object, ...) rows_unavailable("optim_problem()")
