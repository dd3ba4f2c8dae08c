#' A distribution of your own, fitted by maximum likelihood
#'
#' Describes a regression model by its per-observation log-density, for
#' [fit()] and [fit_matrix()]: \eqn{y_i} has log-density
#' `loglik(y, mu, phi)` with mean (or location) \eqn{\mu_i = g^{-1}(x_i^\top
#' \beta + \mathrm{offset}_i)}{mu_i = g^-1(x_i' beta + offset_i)} and an optional extra parameter \eqn{\phi}
#' shared by all rows (a scale, a dispersion, degrees of freedom), which is
#' estimated jointly with \eqn{\beta} by maximum likelihood or held fixed.
#' Prior `weights` multiply each row's log-density (frequency weights).
#'
#' **Vectorised calls.** Every function receives the whole response vector
#' `y`, the whole vector `mu` and the scalar `phi` (`NULL` when the family
#' has no extra parameter) and must return one value per observation. It is
#' called a fixed number of times per evaluation, never row by row: with no
#' derivatives given, evaluating the log-likelihood, score and Hessian with an
#' estimated \eqn{\phi} calls `loglik` 25 times (once for the value, 8 times
#' for the score, 16 times for the Hessian); a Newton iteration does this once
#' per trial step of its line search (usually once).
#' Warnings raised inside the functions are muffled: the solvers probe points
#' outside the domain on purpose, where a density of `NaN` or `-Inf` makes the
#' step shorter.
#'
#' **Derivatives.** Where `dmu`, `d2mu` or `dphi` are not given, the
#' derivatives come from fourth-order central finite differences on the
#' scales the solver works on (the linear predictor \eqn{\eta} and \eqn{\tau
#' = \log\phi}{tau = log(phi)} or \eqn{\phi}), with a step relative to \eqn{\max(|x|, 1)}{max(|x|, 1)} at
#' each point \eqn{x}: \eqn{\epsilon^{1/5}}{epsilon^(1/5)} (7.4e-4) for first derivatives,
#' accurate to about 1e-12 relative, and \eqn{\epsilon^{1/6}}{epsilon^(1/6)} (2.5e-3) for
#' second and mixed derivatives (the mixed ones by Richardson extrapolation),
#' accurate to about 1e-10 (\eqn{\epsilon} = 2.2e-16 is the machine epsilon).
#' Given first derivatives are differenced once more with the first step. The
#' figures assume a log-density computed to full precision that changes on the
#' scale of \eqn{\max(|\eta|, 1)}{max(|eta|, 1)}; where it changes much faster (a location
#' model whose scale is small next to \eqn{|\eta|}) the truncation error grows
#' like the fourth power of the ratio, and giving `dmu` (and `d2mu`) restores
#' full accuracy. In the package's tests, a hand-written Poisson family
#' reproduces `glm()`'s standard errors to 1e-11 and a Student-t regression
#' its analytic Hessian's to 1e-8.
#'
#' **Information.** Standard errors come from the observed information (minus
#' the Hessian) at the estimate, over \eqn{\beta} and \eqn{\phi}'s estimation
#' scale together. A custom family has no expected information:
#' `method = "fisher"` and `vcov(type = "expected")` are refused. Newton's
#' fallback where the Hessian is not negative definite, and BFGS's starting
#' curvature, use the outer product of the per-row scores.
#'
#' The fitted object has class `c("mleglm_custom", "mleglm_joint",
#' "mleglm")`: `coef()` gives \eqn{\beta}, `extra` the extra parameter on its
#' natural scale and `par` the full estimate on the estimation scale;
#' [vcov()], [summary()], [confint()] (profile likelihood, or Wald), [logLik()] (so `AIC()` and
#' `BIC()`) work; `deviance()` is \eqn{-2\ell}{-2 logLik} (there is no saturated model).
#'
#' @param name A short name for the distribution, used in printed output and
#'   messages.
#' @param loglik `function(y, mu, phi)` returning the log-density of each
#'   observation.
#' @param link The link, as `stats::make.link()` names it: `"identity"`,
#'   `"log"`, `"inverse"`, `"1/mu^2"`, `"sqrt"`, `"logit"`, `"probit"`,
#'   `"cauchit"` or `"cloglog"`.
#' @param phi `NULL` for a family without an extra parameter; otherwise its
#'   starting value, or its value when `phi_fixed = TRUE`.
#' @param phi_fixed Whether to hold \eqn{\phi} at `phi` rather than estimate it.
#' @param phi_name The extra parameter's name in printed output, such as
#'   `"sigma"` or `"df"`.
#' @param phi_scale `"log"` (default; \eqn{\phi > 0}, estimated as
#'   \eqn{\log\phi}{log(phi)}) or `"identity"` (any real \eqn{\phi}).
#' @param dmu,d2mu Optional `function(y, mu, phi)` giving the first and second
#'   derivatives of each row's log-density with respect to `mu` (`d2mu` only
#'   together with `dmu`).
#' @param dphi Optional `function(y, mu, phi)` giving the derivative of each
#'   row's log-density with respect to `phi`.
#' @param mustart Optional `function(y)` giving starting means; by default
#'   `y` itself, with values the link cannot take replaced by `mean(y)`. The
#'   starting coefficients are a least-squares fit of the linked means (or
#'   `start` of [fit()]).
#' @return A family object of class
#'   `c("mleglm_custom_family", "mleglm_joint_family", "family")`.
#' @seealso `vignette("custom-likelihoods")` for worked examples,
#'   [negbin()].
#' @examples
#' # Robust regression: Student-t errors with 4 degrees of freedom and a
#' # scale sigma estimated by maximum likelihood.
#' t4 <- custom_family("t4", function(y, mu, phi) {
#'   stats::dt((y - mu) / phi, df = 4, log = TRUE) - log(phi)
#' }, phi = 10, phi_name = "sigma")
#' f <- fit(thalach ~ age + exang + oldpeak, heart, family = t4)
#' summary(f)
#'
#' # Poisson regression written by hand, with its derivative in mu.
#' pois <- custom_family("my Poisson", function(y, mu, phi) stats::dpois(y, mu, log = TRUE),
#'                       link = "log", dmu = function(y, mu, phi) y / mu - 1)
#' coef(fit(num ~ age + sex, heart, family = pois))
#' @export
custom_family <- function(name, loglik, link = "identity", phi = NULL, phi_fixed = FALSE,
                          phi_name = "phi", phi_scale = c("log", "identity"),
                          dmu = NULL, d2mu = NULL, dphi = NULL, mustart = NULL) {
  if (!is.character(name) || length(name) != 1L || is.na(name) || !nzchar(name)) {
    abort("family", "`name` must be a single non-empty string.")
  }
  check_user_function(loglik, "loglik", required = TRUE)
  for (arg in c("dmu", "d2mu", "dphi")) check_user_function(get(arg), arg)
  if (!is.null(mustart) && !is.function(mustart)) {
    abort("family", "`mustart` must be NULL or a function of `y`.")
  }
  links <- c("identity", "log", "inverse", "1/mu^2", "sqrt", "logit", "probit", "cauchit", "cloglog")
  if (!is.character(link) || length(link) != 1L || !link %in% links) {
    abort("family", sprintf("`link` must be one of %s, not %s.",
                            paste(sprintf("\"%s\"", links), collapse = ", "), deparse1(link)))
  }
  phi_scale <- match_choice(phi_scale, c("log", "identity"), "phi_scale")
  if (!is.logical(phi_fixed) || length(phi_fixed) != 1L || is.na(phi_fixed)) {
    abort("family", "`phi_fixed` must be TRUE or FALSE.")
  }
  if (!is.character(phi_name) || length(phi_name) != 1L || is.na(phi_name) || !nzchar(phi_name)) {
    abort("family", "`phi_name` must be a single non-empty string.")
  }
  if (!is.null(phi)) {
    if (!is.numeric(phi) || length(phi) != 1L || !is.finite(phi)) {
      abort("family", "`phi` must be NULL or a single finite number (the start or fixed value of the extra parameter).")
    }
    if (phi_scale == "log" && phi <= 0) {
      abort("family", sprintf("`phi` must be positive with phi_scale = \"log\", not %g.", phi))
    }
  }
  if (!is.null(d2mu) && is.null(dmu)) {
    abort("family", "`d2mu` needs `dmu`: the second derivative is used together with the first.")
  }
  if (!is.null(dphi) && is.null(phi)) {
    abort("family", "`dphi` was given but the family has no extra parameter; set `phi` to its starting value.")
  }
  lk <- stats::make.link(link)
  structure(list(
    family = name,
    link = link,
    linkfun = lk$linkfun,
    linkinv = lk$linkinv,
    mu.eta = lk$mu.eta,
    valideta = lk$valideta,
    loglik = loglik,
    dmu = dmu,
    d2mu = d2mu,
    dphi = dphi,
    mustart = mustart,
    phi = if (is.null(phi)) NULL else as.double(phi),
    phi_fixed = phi_fixed,
    phi_name = phi_name,
    phi_scale = phi_scale
  ), class = c("mleglm_custom_family", "mleglm_joint_family", "family"))
}

check_user_function <- function(f, arg, required = FALSE) {
  if (is.null(f) && !required) return(invisible(NULL))
  if (!is.function(f)) {
    abort("family", sprintf("`%s` must be a function(y, mu, phi)%s.", arg,
                            if (required) "" else " or NULL"))
  }
  args <- names(formals(f))
  if (!is.primitive(f) && length(args) < 3L && !"..." %in% args) {
    abort("family", sprintf("`%s` must accept three arguments (y, mu, phi); it has %d.",
                            arg, length(args)))
  }
  invisible(NULL)
}
