# Leverage and influence: the quantities of the diagnostic plots, computed
# as stats computes them for glm() so that they can be compared directly.

#' Leverage, standardised residuals and Cook's distances
#'
#' Hat values are the diagonal of \eqn{W^{1/2} X (X^\top W X)^{-1} X^\top W^{1/2}}{W^(1/2) X (X' W X)^-1 X' W^(1/2)}
#' with \eqn{W} the expected-information weights
#' \eqn{w \mu'(\eta)^2 / V(\mu)} at the estimate (glm's working weights, but
#' at the estimate rather than the previous iteration). Standardised
#' residuals and Cook's distances follow [stats::rstandard.glm()] and
#' [stats::cooks.distance.glm()], including their use of glm's Pearson
#' dispersion (divided by n - p): it is the less biased estimate, and the
#' point of standardising is a variance close to one.
#'
#' @param model An `"mleglm"` object.
#' @param type Deviance or Pearson residuals.
#' @param ... Unused.
#' For [negbin()] fits the weights are those at \eqn{\hat\theta}{theta-hat} and the
#' dispersion is 1, as for a `MASS::glm.nb()` fit; a [custom_family()] has
#' no variance function, and these functions give an error of class
#' `mleglm_error_unsupported`.
#'
#' @return A vector with one value per row, padded for rows dropped by
#'   `na.action = na.exclude` (with `NA`, or 0 for the leverage); rows with
#'   zero weight are left out. Both as `stats` does for `glm()`.
#' @name mleglm-influence
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' summary(hatvalues(f))
#' head(rstandard(f))
#' head(cooks.distance(f))
NULL

#' @rdname mleglm-influence
#' @export
hatvalues.mleglm <- function(model, ...) {
  h <- influence_out(model, leverage(model))
  # As lm.influence(): rows excluded from the fit have leverage 0.
  h[is.na(h)] <- 0
  h
}

#' @rdname mleglm-influence
#' @export
rstandard.mleglm <- function(model, type = c("deviance", "pearson"), ...) {
  type <- match_choice(type, c("deviance", "pearson"), "type")
  influence_out(model, standardised_residuals(model, type))
}

#' @rdname mleglm-influence
#' @export
cooks.distance.mleglm <- function(model, ...) {
  h <- leverage(model)
  r <- unpadded_residuals(model, "pearson")
  d <- (r / (1 - h))^2 * h / (influence_dispersion(model) * model$rank)
  influence_out(model, d)
}

# ---- helpers (unpadded: one value per fitted row) ---------------------------

# Padded for na.exclude, without the rows of zero weight.
influence_out <- function(model, values) {
  names(values) <- names(model$fitted.values)
  values <- stats::naresid(model$na.action, values)
  zero <- names(model$fitted.values)[model$prior.weights == 0]
  if (length(zero) > 0L) values <- values[!names(values) %in% zero]
  values
}

leverage <- function(model) {
  check_influence(model)
  x <- refit_data(model)$x
  family <- model$family
  w <- model$prior.weights * family$mu.eta(model$linear.predictors)^2 /
    family$variance(model$fitted.values)
  w[model$prior.weights == 0] <- 0
  xw <- sqrt(w) * x
  # X'WX is the expected information times the ML dispersion; for the
  # negative binomial, the coefficients' block of it (W at theta-hat, as
  # glm.nb's influence takes it).
  inv <- if (inherits(model, "mleglm_joint")) {
    invert_information(crossprod(xw))
  } else invert_information(as.matrix(model$information$expected) * model$dispersion)
  h <- rowSums((xw %*% inv) * xw)
  stats::setNames(h, rownames(x))
}

unpadded_residuals <- function(model, type) {
  r <- stats::residuals(model, type = type)
  if (inherits(model$na.action, "exclude")) r <- r[-model$na.action]
  r
}

standardised_residuals <- function(model, type) {
  check_influence(model)
  r <- unpadded_residuals(model, type) / sqrt(influence_dispersion(model) * (1 - leverage(model)))
  r[is.infinite(r)] <- NaN
  r
}

# The dispersion that standardises: glm's Pearson estimate, or 1 for the
# negative binomial, whose variance theta already accounts for (as
# summary(glm.nb)$dispersion, which rstandard() and cooks.distance() of a
# glm.nb fit use).
influence_dispersion <- function(model) {
  if (inherits(model, "mleglm_negbin")) 1 else model$dispersion_pearson
}

# Leverage needs a variance function, which a custom family lacks.
check_influence <- function(model) {
  if (inherits(model, "mleglm_custom")) {
    unsupported("Leverage, standardised residuals and Cook's distances", sprintf(
      "they need the variance function of the family, which custom family \"%s\" does not define",
      model$family$family))
  }
}
