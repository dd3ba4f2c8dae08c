#' Compare an mleglm fit with glm() and optim()
#'
#' Refits the same model (same model matrix, response, weights and offset)
#' with [stats::glm.fit()] at its default settings and, where the family's
#' likelihood is defined for it, with `optim(method = "BFGS", hessian =
#' TRUE)` on the negative log-likelihood, as the package's tutorial does:
#' the coefficients and, for families with a dispersion, the logarithm of
#' the dispersion (\eqn{\log\sigma^2}{log(sigma^2)} for the Gaussian), started from
#' mleglm's starting values and, for the Gaussian, the sample variance of
#' the response, as the tutorial starts (for the other families with a
#' dispersion, the mean squared Pearson residual at the start). The print method sets the three
#' estimates and standard errors side by side with the log-likelihoods,
#' AICs and iteration counts, gives the largest differences, and explains
#' each in words, with the numbers that account for it:
#'
#' * dispersion: maximum likelihood divides by \eqn{n}, glm's Pearson
#'   estimate by \eqn{n - p}; for the Gaussian glm's standard errors are
#'   larger by exactly \eqn{\sqrt{n / (n - p)}}{sqrt(n / (n - p))};
#' * observed against expected information (equal for canonical links, and
#'   otherwise only where the residuals make the extra term vanish, as in a
#'   design saturated in its covariate patterns);
#' * glm's covariance comes from the weights of its last iteration, computed
#'   at the previous iterate, and its coefficients from a test on the change
#'   in deviance;
#' * optim's coefficients are only as good as its tolerance `reltol`, and
#'   its standard errors come from a finite-difference Hessian.
#'
#' For a [negbin()] fit the glm-side fitter is [MASS::glm.nb()] (when MASS
#' is installed), and the comparison covers \eqn{\log\theta}{log(theta)} as well; optim
#' gets the analytic gradient. A [custom_family()] has no glm equivalent:
#' the output says so and compares with optim alone. Fits from
#' [fit_chunked()] hold no rows to refit and give an error of class
#' `mleglm_error_rows_unavailable`.
#'
#' The negative log-likelihood comes from the internal generic
#' `optim_problem()`, with a method for each kind of fit; fits of other
#' classes can add methods.
#'
#' @param object An `"mleglm"` object.
#' @param optim_control A list passed to [stats::optim()] as `control`.
#' @return An object of class `"mleglm_compare"`: a list with `estimates`
#'   and `std_errors` (data frames, one column per fitter), `summary` (a data
#'   frame of dispersion, log-likelihood, AIC and iterations), `differences`
#'   (the largest differences from mleglm), `notes` (the explanations, named
#'   by topic), `claims` (for each note, the statement it makes and the
#'   numbers behind it), and
#'   the `glm` and `optim` results. Its `format()` method gives the lines
#'   that its `print()` method writes (a character vector, one element a
#'   line).
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' compare(f)
#' @export
compare <- function(object, optim_control = list()) {
  if (!inherits(object, "mleglm")) abort("input", "`object` must be an mleglm fit.")
  if (!is.list(optim_control)) abort("input", "`optim_control` must be a list.")
  if (inherits(object, "mleglm_chunked")) rows_unavailable("compare()")
  ml <- if (inherits(object, "mleglm_joint")) ml_joint_side(object) else ml_side(object)
  g <- run_glm(object)
  o <- run_optim(object, optim_control)
  nm <- names(ml$coef)
  estimates <- data.frame(mleglm = unname(ml$coef), row.names = nm)
  std_errors <- data.frame(mleglm = unname(ml$se), row.names = nm)
  rows <- list(ml)
  if (!is.null(g$coef)) {
    estimates$glm <- g$coef
    std_errors$glm <- g$se
    rows$glm <- g
  }
  if (!is.null(o$coef)) {
    estimates$optim <- o$coef
    std_errors$optim <- o$se
    rows$optim <- o
  }
  fitters <- names(estimates)
  column <- function(what) unname(vapply(rows, function(r) r[[what]], rows[[1L]][[what]]))
  summary_table <- data.frame(dispersion = column("dispersion"), loglik = column("loglik"),
                              AIC = column("aic"), iterations = column("iterations"),
                              row.names = fitters)
  differences <- do.call(rbind, lapply(fitters[-1L], function(k) data.frame(
    coef_rel = max_relative(estimates[[k]], ml$coef),
    coef_se = max(abs(estimates[[k]] - ml$coef) / ml$se),
    se_rel = max_relative(std_errors[[k]], ml$se),
    loglik_abs = abs(summary_table[k, "loglik"] - ml$loglik),
    row.names = k)))
  notes <- if (inherits(object, "mleglm_joint")) {
    compare_notes_joint(object, ml, g, o, optim_control)
  } else compare_notes(object, ml, g, o, optim_control)
  structure(list(
    call = object$call, family = object$family, nobs = object$nobs, rank = object$rank,
    estimates = estimates, std_errors = std_errors, summary = summary_table,
    differences = differences, notes = notes$text, claims = notes$claims,
    extra_name = ml$extra_name,
    glm = g$fit, optim = o$result
  ), class = "mleglm_compare")
}

# ---- the three fits -----------------------------------------------------------

ml_side <- function(object) {
  list(
    coef = coef(object, complete = FALSE),
    se = sqrt(diag(vcov.mleglm(object, type = "observed", complete = FALSE))),
    se_expected = sqrt(diag(vcov.mleglm(object, type = "expected", complete = FALSE))),
    se_glm_type = sqrt(diag(vcov.mleglm(object, type = "glm", complete = FALSE))),
    dispersion = object$dispersion, loglik = object$loglik, aic = stats::AIC(object),
    iterations = sprintf("%d %s", object$iterations, object$method)
  )
}

# A joint fit compares over all its parameters, the extra one on its
# estimation scale; its "dispersion" column holds the extra parameter.
ml_joint_side <- function(object) {
  v <- vcov.mleglm_joint(object, type = "observed", complete = FALSE)
  expected <- if (!is.null(object$information$expected)) {
    sqrt(diag(vcov.mleglm_joint(object, type = "expected", complete = FALSE)))
  }
  list(coef = object$par, se = sqrt(diag(v)), se_expected = expected,
       dispersion = if (length(object$extra) > 0L) unname(object$extra[[1L]]) else 1,
       extra_name = if (length(object$extra) > 0L) names(object$extra)[1L],
       loglik = object$loglik, aic = stats::AIC(object),
       iterations = sprintf("%d %s", object$iterations, object$method))
}

# The glm-side fitter: glm.fit() for glm families, MASS::glm.nb() for the
# negative binomial, none for a custom family (`absent` says why).
run_glm <- function(object) {
  if (inherits(object, "mleglm_custom")) {
    return(list(absent = sprintf(
      "custom family \"%s\" is its own log-density, which glm() cannot fit: there is no glm equivalent",
      object$family$family)))
  }
  d <- kind_data(object)
  if (inherits(object, "mleglm_negbin")) return(run_glm_nb(d, object$family$link))
  warnings <- character(0)
  g <- withCallingHandlers(
    stats::glm.fit(d$x, d$y, weights = d$weights, offset = d$offset, family = object$family),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  g$call <- quote(glm.fit(x, y, weights, offset = offset, family = family))
  g$offset <- d$offset
  g$control <- stats::glm.control()
  g$method <- "glm.fit"
  class(g) <- c("glm", "lm")
  s <- summary(g)
  ll <- stats::logLik(g)
  list(fit = g, coef = unname(coef(g)), se = unname(sqrt(diag(s$cov.scaled))),
       dispersion = s$dispersion, loglik = as.numeric(ll), aic = stats::AIC(g),
       iterations = sprintf("%d IRLS", g$iter), warnings = warnings)
}

# MASS::glm.nb() on the same matrix, weights and offset; log(theta) last,
# with glm.nb's SE.theta carried to that scale.
run_glm_nb <- function(d, link) {
  if (!requireNamespace("MASS", quietly = TRUE)) {
    return(list(absent = "the MASS package, whose glm.nb() is the negative binomial's glm, is not installed"))
  }
  dat <- data.frame(y = d$y, off = d$offset, w = d$weights)
  dat$x <- d$x
  warnings <- character(0)
  # glm.nb() keeps only its last IRLS count; with trace = 1 it reports each
  # alternation ("Theta(k) = ..."), which are counted here.
  alternations <- 0L
  m <- tryCatch(withCallingHandlers(
    do.call(MASS::glm.nb, list(y ~ x - 1 + offset(off), data = dat, weights = quote(w), link = link,
                               control = stats::glm.control(trace = 1))),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    },
    message = function(m) {
      if (startsWith(conditionMessage(m), "Theta(")) alternations <<- alternations + 1L
      invokeRestart("muffleMessage")
    }), error = function(e) e)
  if (inherits(m, "error")) return(list(absent = sprintf("MASS::glm.nb() failed: %s", conditionMessage(m))))
  list(fit = m, coef = unname(c(coef(m), log(m$theta))),
       se = unname(c(sqrt(diag(stats::vcov(m))), m$SE.theta / m$theta)),
       dispersion = m$theta, loglik = as.numeric(stats::logLik(m)), aic = stats::AIC(m),
       iterations = sprintf("%d IRLS/theta", alternations), alternations = alternations,
       warnings = warnings)
}

run_optim <- function(object, control) {
  problem <- optim_problem(object)
  if (is.null(problem)) return(list(problem = NULL))
  # Warnings from the objective where optim steps outside the link's domain
  # (NaNs from the inverse link) are muffled, as glm's are: the notes say
  # what happened.
  result <- tryCatch(withCallingHandlers(
    stats::optim(problem$start, problem$fn, problem$gr, method = "BFGS", hessian = TRUE,
                 control = control),
    warning = function(w) invokeRestart("muffleWarning")),
    error = function(e) e)
  if (inherits(result, "error")) {
    return(list(problem = problem, error = conditionMessage(result),
                failure = optim_failure_facts(problem, control)))
  }
  cov <- tryCatch(solve(result$hessian), error = function(e) NULL)
  # A joint fit's extra parameter is compared too; a glm family's dispersion
  # has its own column.
  shown <- if (inherits(object, "mleglm_joint")) seq_along(result$par) else problem$coef
  se <- if (is.null(cov)) rep(NA_real_, length(shown)) else sqrt(pmax(diag(cov), 0))[shown]
  list(problem = problem, result = result,
       coef = unname(result$par[shown]), se = unname(se),
       dispersion = if (inherits(object, "mleglm_joint")) joint_extra_value(object, result$par)
         else problem$dispersion(result$par),
       loglik = -result$value,
       aic = 2 * result$value + 2 * length(result$par),
       iterations = sprintf("%d fn, %d gr", result$counts[["function"]], result$counts[["gradient"]]))
}

# The extra parameter on its natural scale at `par` (its fixed value, or 1
# where there is none).
joint_extra_value <- function(object, par) {
  if (length(object$extra) == 0L) return(1)
  if (isTRUE(object$extra_fixed[[1L]])) return(unname(object$extra[[1L]]))
  from_scale(par[[length(par)]], object$extra_scale[[1L]])
}

# Where optim's finite-difference steps leave the region where the
# objective is finite: at the start, each parameter moved by ndeps (optim's
# default 0.001) either way.
optim_failure_facts <- function(problem, control) {
  if (!is.null(problem$gr)) return(NULL)
  par <- problem$start
  ndeps <- rep_len(if (is.null(control$ndeps)) 1e-3 else control$ndeps, length(par))
  parscale <- rep_len(if (is.null(control$parscale)) 1 else control$parscale, length(par))
  value <- function(p) suppressWarnings(problem$fn(p))
  off <- vapply(seq_along(par), function(j) {
    step <- replace(numeric(length(par)), j, ndeps[j] * parscale[j])
    !is.finite(value(par + step)) || !is.finite(value(par - step))
  }, TRUE)
  list(names = names(par), start = unname(par), off = off, ndeps = ndeps * parscale,
       scale = max(abs(par[problem$coef])), start_finite = is.finite(value(par)))
}

max_relative <- function(a, b) max(abs(a - b) / pmax(abs(b), .Machine$double.xmin))
