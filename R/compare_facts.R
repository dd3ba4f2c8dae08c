# What compare() explains, computed from the fit and from the other fitters'
# results: the relation of the observed to the expected information, where
# optim() started, and what each fitter stopped on. The notes
# (compare_text.R) choose their words from these numbers, and keep them as
# the record of their claims; no claim rests on two results merely being
# close.

# Two information matrices are called the same when no entry differs by more
# than this, relative to the natural scale sqrt(I_ii I_jj) of the entry.
compare_tolerance <- 1e-8

# ---- observed against expected information ----------------------------------

# The observed information of the coefficients is the expected one minus
#   K = sum_i w_i (y_i - mu_i) h'(eta_i) x_i x_i' / phi,  h = mu'(eta) / V(mu),
# and h' = mu'' / V - mu'^2 V'(mu) / V^2 vanishes identically only for the
# canonical link (h = 1). Otherwise K vanishes where the residuals make it:
# in a design saturated in its covariate patterns (as many distinct rows of
# the model matrix, with the offset, as coefficients), the score equations
# make the residuals sum to zero within each pattern, on which eta and x are
# constant.
information_facts <- function(object, se_observed, se_expected, tolerance = compare_tolerance) {
  info <- object$information
  joint <- inherits(object, "mleglm_joint")
  if (is.null(info$expected)) return(list(claim = "no_expected", tolerance = tolerance))
  fam <- object$family
  d <- kind_data(object)
  pos <- d$weights > 0
  x <- d$x[pos, , drop = FALSE]
  y <- d$y[pos]
  w <- d$weights[pos]
  offset <- d$offset[pos]
  p <- ncol(x)
  b <- seq_len(p)
  eta <- drop(x %*% coef(object, complete = FALSE)) + offset
  mu <- fam$linkinv(eta)
  phi <- if (!joint && has_dispersion(fam)) object$dispersion else 1
  slope <- weight_slope(fam, eta, mu)
  extra <- crossprod(x, (w * (y - mu) * slope / phi) * x)
  observed <- info$observed
  expected <- info$expected
  s <- sqrt(diag(expected))
  scale <- outer(s, s)
  # The coefficients' rows: for a joint fit these include the cross terms
  # with the extra parameter, which the expected information sets to zero.
  diff <- abs(observed - expected)[b, , drop = FALSE] / scale[b, , drop = FALSE]
  worst <- which(diff == max(diff), arr.ind = TRUE)[1L, ]
  patterns <- pattern_index(cbind(x, offset))
  canonical <- !joint && isTRUE(object$canonical)
  saturated <- max(patterns) == p
  agree <- max(diff) <= tolerance
  list(
    claim = if (!agree) "differ" else if (canonical) "equal_canonical" else if (saturated) {
      "equal_saturated"
    } else "equal_residuals",
    tolerance = tolerance,
    canonical = canonical,
    max_rel_diff = max(diff),
    worst = c(rownames(observed)[worst[1L]], colnames(observed)[worst[2L]]),
    extra_term = max(abs(extra) / scale[b, b, drop = FALSE]),
    # How much of the difference in the coefficients' block K leaves unexplained.
    unexplained = max(abs(expected[b, b] - extra - observed[b, b]) / scale[b, b, drop = FALSE]),
    cross_term = if (joint) max(diff[, -b, drop = FALSE]) else 0,
    extra_diagonal = if (joint) {
      k <- length(s)
      abs(observed[k, k] - expected[k, k]) / expected[k, k]
    },
    patterns = max(patterns),
    rank = p,
    saturated = saturated,
    pattern_residual = max(abs(rowsum(w * (y - mu), patterns))),
    se_rel = max_relative(se_expected, se_observed),
    se_worst = names(se_observed)[which.max(abs(se_expected / se_observed - 1))]
  )
}

# The rows' covariate patterns: the index of each distinct row of m.
pattern_index <- function(m) {
  key <- do.call(paste, c(lapply(seq_len(ncol(m)), function(j) format(m[, j], digits = 17L)),
                          sep = "\r"))
  match(key, unique(key))
}

# h'(eta) = d/deta [mu'(eta) / V(mu)], from the link's first and second
# derivatives and the variance function's slope.
weight_slope <- function(family, eta, mu) {
  d1 <- family$mu.eta(eta)
  d2 <- link_second_derivative(family$link, eta, mu)
  v <- family$variance(mu)
  dv <- variance_slope(family, mu)
  d2 / v - d1^2 * dv / v^2
}

# d^2 mu / d eta^2 for each supported link.
link_second_derivative <- function(link, eta, mu) {
  switch(link,
    identity = 0 * eta,
    log = mu,
    inverse = 2 / eta^3,
    logit = mu * (1 - mu) * (1 - 2 * mu),
    probit = -eta * stats::dnorm(eta),
    cauchit = -2 * eta / (pi * (1 + eta^2)^2),
    cloglog = {
      e <- exp(eta)
      exp(eta - e) * (1 - e)
    },
    sqrt = 0 * eta + 2,
    "1/mu^2" = 0.75 * eta^-2.5,
    abort("input", sprintf("No second derivative is known for the %s link.", link)))
}

# V'(mu) for each family.
variance_slope <- function(family, mu) {
  switch(family$family,
    gaussian = 0 * mu,
    binomial = 1 - 2 * mu,
    poisson = 0 * mu + 1,
    Gamma = 2 * mu,
    inverse.gaussian = 3 * mu^2,
    negbin = 1 + 2 * mu / family$theta,
    abort("input", sprintf("No variance slope is known for the %s family.", family$family)))
}

# Family and link pairs whose working weights w mu'(eta)^2 / V(mu) are the
# same whatever the coefficients: 1 for the Gaussian with identity link and
# the Gamma with log link, 4 for the Poisson with square-root link.
constant_working_weights <- function(family) {
  paste(family$family, family$link) %in% c("gaussian identity", "Gamma log", "poisson sqrt")
}

# ---- where optim() started and where it stopped -------------------------------

# Distances in standard errors (of the observed information) from the
# estimate: of optim's start and of its result; and what its tolerance
# allows: BFGS stops when the objective f changes by less than
# reltol (|f| + reltol), and near the maximum a change c in the value is a
# distance of sqrt(2 c) standard errors.
optim_facts <- function(object, ml, o, control) {
  problem <- o$problem
  shown <- if (inherits(object, "mleglm_joint")) seq_along(problem$par) else problem$coef
  start_se <- abs(problem$start[shown] - problem$par[shown]) / ml$se
  end_se <- abs(o$coef - ml$coef) / ml$se
  reltol <- if (is.null(control$reltol)) sqrt(.Machine$double.eps) else control$reltol
  allowed <- reltol * (abs(o$result$value) + reltol)
  extra <- setdiff(seq_along(problem$par), shown)
  list(
    start_se = max(start_se),
    start_worst = problem$names[shown][which.max(start_se)],
    start_at_estimate = max(start_se) <= compare_tolerance,
    end_se = max(end_se),
    end_rel = max_relative(o$coef, ml$coef),
    dispersion_start = if (length(extra) > 0L) problem$dispersion(problem$start),
    dispersion_end = if (length(extra) > 0L) problem$dispersion(problem$par),
    user_start = !is.null(object$call$start),
    reltol = reltol,
    allowed_change = allowed,
    allowed_se = sqrt(2 * allowed),
    fn = o$result$counts[["function"]],
    gr = o$result$counts[["gradient"]],
    convergence = o$result$convergence,
    maxit = if (is.null(control$maxit)) 100L else control$maxit,
    analytic_gradient = !is.null(problem$gr),
    score_kind = score_kind(object, problem),
    hessian_kind = hessian_kind(object),
    condition = condition_number(object$information$observed)
  )
}

# What mleglm's solver stopped on, from its trace and control.
mleglm_stop_facts <- function(object) {
  last <- object$trace[nrow(object$trace), ]
  list(iterations = object$iterations, method = object$method, converged = object$converged,
       decrement = last$decrement, gradient_norm = last$gradient_norm,
       tol = object$control$tol, message = object$message)
}

# How the score handed to optim() is computed: "analytic", "numerical" (a
# custom family without `dmu`, or without `dphi` for an estimated phi: the
# package differences its log-density), or NULL where optim differences the
# objective itself.
score_kind <- function(object, problem) {
  if (is.null(problem$gr)) return(NULL)
  if (!inherits(object, "mleglm_custom")) return("analytic")
  fam <- object$family
  phi_estimated <- !is.null(fam$phi) && !isTRUE(fam$phi_fixed)
  if (!is.null(fam$dmu) && (!phi_estimated || !is.null(fam$dphi))) "analytic" else "numerical"
}

# The same for mleglm's observed information: a custom family's is analytic
# only with `d2mu` and no estimated phi (there is no second derivative in
# phi to give).
hessian_kind <- function(object) {
  if (!inherits(object, "mleglm_custom")) return("analytic")
  fam <- object$family
  phi_estimated <- !is.null(fam$phi) && !isTRUE(fam$phi_fixed)
  if (!is.null(fam$d2mu) && !phi_estimated) "analytic" else "numerical"
}
