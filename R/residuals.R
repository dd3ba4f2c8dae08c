#' Residuals of an mleglm fit
#'
#' The four residuals of [stats::residuals.glm()], computed the same way:
#' deviance residuals (signed square roots of the unit deviances), Pearson
#' residuals \eqn{(y - \mu)\sqrt{w / V(\mu)}}{(y - mu) sqrt(w / V(mu))}, working residuals
#' \eqn{(y - \mu) / \mu'(\eta)} and response residuals \eqn{y - \mu}.
#'
#' @param object An `"mleglm"` object.
#' @param type Which residuals.
#' @param ... Unused.
#' @return A numeric vector, padded with `NA` for rows dropped by
#'   `na.action = na.exclude`.
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' head(residuals(f, type = "pearson"))
#' @export
residuals.mleglm <- function(object, type = c("deviance", "pearson", "working", "response"), ...) {
  type <- match_choice(type, c("deviance", "pearson", "working", "response"), "type")
  mu <- object$fitted.values
  eta <- object$linear.predictors
  family <- object$family
  w <- object$prior.weights
  y <- response_of(object)
  r <- switch(type,
    deviance = sign(y - mu) * sqrt(pmax(family$dev.resids(y, mu, w), 0)),
    pearson = (y - mu) * sqrt(w) / sqrt(family$variance(mu)),
    working = if (is.null(object[["y"]])) object$residuals else (y - mu) / family$mu.eta(eta),
    response = y - mu
  )
  names(r) <- names(mu)
  stats::naresid(object$na.action, r)
}
