#' Methods for fits with an extra parameter estimated jointly
#'
#' Fits with [negbin()] and [custom_family()] are estimated over the full
#' parameter vector \eqn{(\beta, \tau)}, \eqn{\tau} being the extra parameter
#' on its estimation scale (\eqn{\log\theta}{log(theta)} for the negative binomial;
#' \eqn{\log\phi}{log(phi)} or \eqn{\phi} for a custom family). These methods replace
#' the ordinary ones where the extra parameter matters:
#'
#' * `vcov()` is the inverse information over \eqn{(\beta, \tau)}, so it
#'   includes \eqn{\tau} and its covariance with the coefficients. `"expected"`
#'   exists for the negative binomial only (there \eqn{\beta} and
#'   \eqn{\theta} are orthogonal, and the coefficient block equals
#'   `vcov(MASS::glm.nb(...))`).
#' * `summary()` adds the extra parameter with its standard error on its
#'   natural scale by the delta method (\eqn{SE(\theta) = \theta\,
#'   SE(\log\theta)}{SE(theta) = theta SE(log(theta))}) and on its estimation scale.
#' * `logLik()` counts the estimated extra parameter in `df`, as
#'   `logLik(MASS::glm.nb(...))` does, so `AIC()` and `BIC()` agree.
#' * `confint()` gives profile-likelihood intervals by default, as for every
#'   fit: for the coefficients as [confint.mleglm()] finds them, the extra
#'   parameter re-estimated at each point, and for the extra parameter by
#'   profiling its estimation scale, the coefficients re-estimated, and
#'   transforming the ends. `method = "wald"` gives Wald intervals, for the
#'   extra parameter transformed from the estimation scale. For the negative
#'   binomial, `confint(MASS::glm.nb(...))` instead profiles with theta held
#'   at its estimate; the likelihood then falls faster away from the
#'   estimate, so its intervals are narrower (on `MASS::quine`, `Days ~ Eth +
#'   Sex + Age + Lrn`: intercept 2.463 to 3.358, against 2.461 to 3.361
#'   here).
#'
#' @param object,x A fit with `family = negbin()` or a [custom_family()].
#' @param type,vcov Which information to invert: `"observed"` (default) or
#'   `"expected"` (negative binomial only).
#' @param complete Whether to include aliased coefficients as `NA`.
#' @param parm Parameters for the intervals, by name or number among the
#'   coefficients followed by the extra parameter; all by default.
#' @param level Confidence level.
#' @param method `"profile"` (default) or `"wald"`.
#' @param digits Significant digits to print.
#' @param ... Unused.
#' @return `vcov()` a matrix, `logLik()` a `"logLik"` object, `confint()` a
#'   matrix of limits, `summary()` an object of class
#'   `c("summary.mleglm_joint")`, the format methods the lines that the print
#'   methods write (a character vector, one element a line), the print
#'   methods their argument, invisibly.
#' @name mleglm-joint
#' @importFrom stats confint
#' @examples
#' t4 <- custom_family("t4", function(y, mu, phi) {
#'   stats::dt((y - mu) / phi, df = 4, log = TRUE) - log(phi)
#' }, phi = 10, phi_name = "sigma")
#' f <- fit(thalach ~ age + exang + oldpeak, heart, family = t4)
#' vcov(f)
#' confint(f)
#' logLik(f)
NULL

#' @rdname mleglm-joint
#' @export
vcov.mleglm_joint <- function(object, type = c("observed", "expected"), complete = TRUE, ...) {
  type <- match_choice(type, c("observed", "expected"), "type")
  info <- object$information[[type]]
  if (is.null(info)) {
    abort("input", sprintf(
      "The expected information is not available for custom family \"%s\"; use type = \"observed\".",
      object$family$family))
  }
  v <- invert_information(info)
  if (!complete || !any(object$aliased)) return(v)
  all_names <- c(names(object$coefficients), setdiff(names(object$par), names(object$coefficients)))
  full <- matrix(NA_real_, length(all_names), length(all_names),
                 dimnames = list(all_names, all_names))
  full[rownames(v), colnames(v)] <- v
  full
}

#' @rdname mleglm-joint
#' @export
logLik.mleglm_joint <- function(object, ...) {
  structure(object$loglik, df = length(object$par), nobs = object$nobs, class = "logLik")
}

#' @rdname mleglm-joint
#' @export
confint.mleglm_joint <- function(object, parm, level = 0.95, method = c("profile", "wald"), ...) {
  method <- match_choice(method, c("profile", "wald"), "method")
  if (!is.numeric(level) || length(level) != 1L || !(level > 0 && level < 1)) {
    abort("input", "`level` must be a single number between 0 and 1.")
  }
  z <- stats::qnorm((1 + level) / 2)
  coefs <- names(object$coefficients)
  extra <- extra_rows(object)
  all_names <- c(coefs, rownames(extra))
  if (missing(parm)) parm <- all_names
  if (is.numeric(parm)) parm <- all_names[parm]
  if (!is.character(parm) || anyNA(parm) || !all(parm %in% all_names)) {
    abort("input", sprintf("`parm` must name parameters among %s.", paste(all_names, collapse = ", ")))
  }
  ci <- matrix(NA_real_, length(parm), 2L,
               dimnames = list(parm, sprintf("%s %%", format(100 * c(1 - level, 1 + level) / 2,
                                                             trim = TRUE, digits = 3L))))
  extra_parm <- intersect(parm, rownames(extra))
  extra_parm <- extra_parm[!is.na(extra[extra_parm, "scaled_name"])]  # not those held fixed
  coef_parm <- intersect(parm, coefs)
  if (method == "profile") {
    if (length(coef_parm) > 0L) ci[coef_parm, ] <- confint.mleglm(object, parm = coef_parm, level = level)
    if (length(extra_parm) > 0L) ci[extra_parm, ] <- profile_extra_intervals(object, extra, extra_parm, z, level)
    return(ci)
  }
  v <- vcov.mleglm_joint(object, complete = FALSE)
  se <- sqrt(diag(v))
  kept <- intersect(coef_parm, coefs[!object$aliased])
  ci[kept, ] <- object$par[kept] + outer(se[kept], c(-z, z))
  for (nm in extra_parm) {
    scaled <- extra[nm, "scaled_name"]
    ends <- object$par[[scaled]] + c(-z, z) * se[[scaled]]
    ci[nm, ] <- from_scale(ends, extra[nm, "scale"])
  }
  ci
}

# Profile-likelihood intervals for extra parameters: profiled on their
# estimation scale (log(theta)), the coefficients re-estimated at each
# value, and the ends carried to the natural scale. An end the likelihood
# does not reach (theta = Inf, the Poisson limit, say) is Inf, with a warning.
profile_extra_intervals <- function(object, extra, names, z, level) {
  run <- with_profile_refits(object, function(object) {
    state <- profile_state(object)
    lapply(names, function(nm) profile_interval(state, extra[nm, "scaled_name"], z))
  })
  ends <- t(vapply(seq_along(names), function(i) {
    from_scale(run$result[[i]], extra[names[i], "scale"])
  }, c(0, 0)))
  rownames(ends) <- names
  unbounded <- is.infinite(ends) & !is.na(ends)
  if (any(unbounded)) {
    rows <- rowSums(unbounded) > 0
    warn("interval_unbounded", sprintf(paste(
      "The profile likelihood does not fall to the %g%% cutoff on one side for %s: the interval is",
      "unbounded there (for the negative binomial's theta, the Poisson model is the limit theta = Inf)."),
      100 * level, paste(sprintf("'%s'", names[rows]), collapse = ", ")))
  }
  ends
}

# One row per extra parameter: natural name, scale, estimation-scale name (NA
# when held fixed).
extra_rows <- function(object) {
  nm <- names(object$extra)
  if (length(nm) == 0L) {
    return(matrix(character(0), 0L, 2L, dimnames = list(NULL, c("scale", "scaled_name"))))
  }
  scale <- unname(object$extra_scale[nm])
  scaled <- ifelse(object$extra_fixed[nm], NA_character_, mapply(scaled_name, nm, scale))
  matrix(c(scale, scaled), length(nm), 2L, dimnames = list(nm, c("scale", "scaled_name")))
}

#' @rdname mleglm-joint
#' @export
summary.mleglm_joint <- function(object, vcov = c("observed", "expected"), ...) {
  vcov <- match_choice(vcov, c("observed", "expected"), "vcov")
  v <- vcov.mleglm_joint(object, type = vcov, complete = FALSE)
  se_all <- sqrt(diag(v))
  est <- coef(object, complete = FALSE)
  se <- se_all[names(est)]
  stat <- est / se
  table <- cbind(est, se, stat, 2 * stats::pnorm(-abs(stat)))
  dimnames(table) <- list(names(est), c("Estimate", "Std. Error", "z value", "Pr(>|z|)"))
  extra <- extra_rows(object)
  extra_table <- lapply(rownames(extra), function(nm) {
    scaled <- extra[nm, "scaled_name"]
    if (is.na(scaled)) return(list(name = nm, estimate = object$extra[[nm]], fixed = TRUE))
    tau_se <- se_all[[scaled]]
    list(name = nm, estimate = object$extra[[nm]], fixed = FALSE,
         se = if (extra[nm, "scale"] == "log") object$extra[[nm]] * tau_se else tau_se,
         scaled_name = scaled, scaled_estimate = object$par[[scaled]], scaled_se = tau_se)
  })
  ll <- stats::logLik(object)
  structure(c(list(
    call = object$call,
    family = object$family,
    coefficients = table,
    extra = extra_table,
    vcov_type = vcov,
    aliased = object$aliased,
    loglik = ll,
    aic = stats::AIC(ll),
    bic = stats::BIC(ll),
    deviance = object$deviance,
    df.residual = object$df.residual,
    nobs = object$nobs,
    lr_poisson = if (inherits(object, "mleglm_negbin") && is.null(object$poisson$error)) {
      suppressWarnings(lr_test_poisson(object))
    }
  ), convergence_report(object, object$information[[vcov]])), class = "summary.mleglm_joint")
}

#' @rdname mleglm-joint
#' @export
format.summary.mleglm_joint <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  estimated <- length(x$extra) > 0L && !all(vapply(x$extra, `[[`, TRUE, "fixed"))
  extra <- if (length(x$extra) > 0L) {
    c(if (estimated) "Extra parameter, estimated jointly with the coefficients:" else "Extra parameter:",
      paste0("  ", vapply(x$extra, format_extra, "", digits = digits)),
      "")
  }
  split_lines(c(
    format_summary_head(x, family_label(x$family),
                        paste0("the ", x$vcov_type, " information at the MLE",
                               if (estimated) ", over all parameters"),
                        digits),
    format_aliased(x$aliased),
    "",
    extra,
    format_information_criteria(x, digits),
    if (inherits(x$family, "mleglm_negbin_family")) {
      paste0("Residual deviance (at theta): ", format(x$deviance, digits = digits + 2L), " on ",
             format(x$df.residual), " degrees of freedom (n = ", format(x$nobs), ")")
    },
    if (!is.null(x$lr_poisson)) {
      paste0("Against the Poisson model: LR = ", format(x$lr_poisson$statistic, digits = digits + 2L),
             ", ", format_p_value(x$lr_poisson$p.value, digits = digits),
             " (half the chi-square(1) tail: theta = Inf is on the boundary)")
    },
    "",
    format_convergence_report(x),
    format_warnings(x$warnings)))
}

#' @rdname mleglm-joint
#' @export
print.summary.mleglm_joint <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  writeLines(format(x, digits = digits, ...))
  invisible(x)
}

#' @rdname mleglm-joint
#' @export
format.mleglm_joint <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  s <- summary.mleglm_joint(x)
  split_lines(c(format_fit_head(x, family_label(x$family), digits),
                "", vapply(s$extra, format_extra, "", digits = digits, short = TRUE),
                format_fit_tail(x, digits)))
}

#' @rdname mleglm-joint
#' @export
print.mleglm_joint <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  writeLines(format(x, digits = digits, ...))
  invisible(x)
}

family_label <- function(family) {
  if (inherits(family, "mleglm_negbin_family")) return("negative binomial (NB2)")
  sprintf("custom \"%s\"", family$family)
}

# "theta: 1.275, Std. Error 0.161 (delta method from log(theta) = 0.243, Std. Error 0.126)";
# the short form for print().
format_extra <- function(e, digits, short = FALSE) {
  f <- function(v) format(v, digits = digits + 1L)
  if (e$fixed) return(sprintf("%s: %s (held fixed)", e$name, f(e$estimate)))
  out <- sprintf("%s: %s, Std. Error %s", e$name, f(e$estimate), f(e$se))
  if (short || identical(e$scaled_name, e$name)) return(out)
  sprintf("%s (delta method from %s = %s, Std. Error %s)", out, e$scaled_name,
          f(e$scaled_estimate), f(e$scaled_se))
}

#' Residuals of a custom-family fit
#'
#' A custom family defines a log-density but no variance function or
#' deviance, so only response residuals \eqn{y - \mu} and working residuals
#' \eqn{(y - \mu) / \mu'(\eta)} are defined.
#'
#' @param object A fit with a [custom_family()].
#' @param type `"response"` or `"working"`.
#' @param ... Unused.
#' @return A numeric vector, padded with `NA` for rows dropped by
#'   `na.action = na.exclude`.
#' @export
residuals.mleglm_custom <- function(object, type = c("response", "working"), ...) {
  if (!identical(type, c("response", "working")) && length(type) == 1L &&
      type %in% c("deviance", "pearson")) {
    abort("input", sprintf(
      "%s residuals need a variance function, which custom family \"%s\" does not have; use type = \"response\" or \"working\".",
      type, object$family$family))
  }
  type <- match_choice(type, c("response", "working"), "type")
  y <- object[["y"]]
  if (is.null(y)) {
    y <- object$fitted.values + object$residuals * object$family$mu.eta(object$linear.predictors)
  }
  r <- if (type == "response") y - object$fitted.values else object$residuals
  names(r) <- names(object$fitted.values)
  stats::naresid(object$na.action, r)
}
