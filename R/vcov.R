#' Covariance matrix of the estimated coefficients
#'
#' The inverse information at the returned estimate, with the dispersion at
#' its maximum-likelihood value:
#'
#' * `"observed"` (default): minus the Hessian of the log-likelihood;
#' * `"expected"`: the Fisher information. For canonical links (logit
#'   binomial, log Poisson, identity Gaussian, inverse Gamma, 1/mu^2 inverse
#'   Gaussian) observed and expected information are equal;
#' * `"sandwich"`: the robust (Huber-White) covariance
#'   \eqn{I^{-1} (\sum_i U_i U_i^\top) I^{-1}}{I^-1 (sum_i U_i U_i') I^-1} with \eqn{I} the observed
#'   information and \eqn{U_i} the score contribution of row \eqn{i}
#'   (see [estfun.mleglm()]); valid when the variance function is wrong but
#'   the mean model is right. `hc = "HC0"` is that matrix, `hc = "HC1"`
#'   multiplies it by \eqn{n / (n - p)}. For canonical links it equals
#'   `sandwich::vcovHC(glm(...), type = hc)`; otherwise `sandwich` uses the
#'   expected information in the bread. The dispersion cancels;
#' * `"glm"`: what `vcov(glm(...))` reports: expected information with
#'   glm's Pearson dispersion (divided by n - p) for the Gaussian, Gamma and
#'   inverse Gaussian families. It differs from `"expected"` by the factor
#'   `dispersion_pearson / dispersion`.
#'
#' Rows and columns of aliased coefficients are `NA` when `complete = TRUE`.
#'
#' @param object An `"mleglm"` object.
#' @param type Which covariance.
#' @param hc For `type = "sandwich"`: `"HC0"` (no small-sample factor) or
#'   `"HC1"` (times \eqn{n / (n - p)}, \eqn{n} the rows with positive weight).
#' @param complete Whether to include aliased coefficients as `NA`.
#' @param ... Unused.
#' @return A square matrix named by coefficient.
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' sqrt(diag(vcov(f)))               # ML standard errors
#' sqrt(diag(vcov(f, type = "glm"))) # as summary(glm(...)) reports them
#' sqrt(diag(vcov(f, type = "sandwich", hc = "HC1")))
#' @export
vcov.mleglm <- function(object, type = c("observed", "expected", "sandwich", "glm"),
                        complete = TRUE, hc = c("HC0", "HC1"), ...) {
  type <- match_choice(type, vcov_types, "type")
  hc <- match_choice(hc, c("HC0", "HC1"), "hc")
  precise <- object[["expected_inverse"]]
  v <- if (type == "sandwich") {
    sandwich_vcov(object, hc)
  } else if (!is.null(precise) && (type != "observed" || isTRUE(object$canonical))) {
    precise
  } else {
    invert_information(if (type == "observed") object$information$observed else object$information$expected)
  }
  if (type == "glm") v <- v * object$dispersion_pearson / object$dispersion
  if (!complete) return(v)
  all_names <- names(object$coefficients)
  full <- matrix(NA_real_, length(all_names), length(all_names),
                 dimnames = list(all_names, all_names))
  full[rownames(v), colnames(v)] <- v
  full
}

vcov_types <- c("observed", "expected", "sandwich", "glm")

# The inverse of a positive-definite information matrix, through the
# Cholesky factor of the scaled matrix S I S (S = diag(I)^-1/2) so that
# coefficients on very different scales cost no digits; NA with a classed
# warning when it is not positive definite (a maximum that is not strict).
invert_information <- function(info) {
  if (length(info) == 0L) return(info)
  s <- 1 / sqrt(diag(info))
  chol_info <- if (all(is.finite(s))) {
    tryCatch(chol(info * outer(s, s)), error = function(e) NULL)
  }
  if (is.null(chol_info)) {
    warn("numerical", "The information matrix is not positive definite at the estimate; standard errors are NA.")
    info[] <- NA_real_
    return(info)
  }
  v <- chol2inv(chol_info) * outer(s, s)
  dimnames(v) <- dimnames(info)
  v
}

# The covariance of the non-aliased coefficients for every kind of fit (with
# `all = TRUE`, of a joint fit's extra parameter too): what predictions,
# profiles and influence measures need. A joint fit has the observed and,
# for the negative binomial, the expected information; "glm" is there the
# expected one (vcov(glm.nb) is its coefficients' block: beta and theta
# are orthogonal in expectation).
coef_vcov <- function(object, type, all = FALSE) {
  if (!inherits(object, "mleglm_joint")) return(vcov.mleglm(object, type = type, complete = FALSE))
  if (type == "glm" && !is.null(object$information$expected)) type <- "expected"
  if (!type %in% c("observed", "expected") || is.null(object$information[[type]])) {
    unsupported(sprintf("The covariance type \"%s\"", type), sprintf(
      "a fit with %s has the observed information%s only", family_label(object$family),
      if (is.null(object$information$expected)) "" else " and the expected information"))
  }
  v <- vcov.mleglm_joint(object, type = type, complete = FALSE)
  if (all) return(v)
  kept <- names(object$coefficients)[!object$aliased]
  v[kept, kept, drop = FALSE]
}
