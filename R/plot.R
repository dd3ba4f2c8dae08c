# Base-graphics plots: the diagnostic panels of a fit, its likelihood
# profiles and its iteration trace. Each draws on the current device and
# restores any graphical parameters it changes.

#' Diagnostic plots for an mleglm fit
#'
#' The four panels of [stats::plot.lm()] for a GLM: deviance residuals
#' against the linear predictor, a normal Q-Q plot of the standardised
#' deviance residuals, the scale-location plot and standardised Pearson
#' residuals against leverage, with contours of Cook's distance. Leverage
#' comes from the expected-information weights at the estimate (see
#' [hatvalues.mleglm()]). Rows with zero weight are left out.
#'
#' @param x An `"mleglm"` object.
#' @param which Which panels, from 1 to 4.
#' @param ask Whether to ask before each new page; by default when the
#'   panels do not fit on one page of an interactive device.
#' @param id.n How many of the most extreme points to label in each panel.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' op <- par(mfrow = c(2, 2))
#' plot(f)
#' par(op)
#' @export
plot.mleglm <- function(x, which = 1:4, ask = prod(graphics::par("mfcol")) < length(which) &&
                          grDevices::dev.interactive(), id.n = 3L, ...) {
  if (!is.numeric(which) || length(which) == 0L || any(!which %in% 1:4)) {
    abort("input", "`which` must hold panel numbers from 1 to 4.")
  }
  check_influence(x)
  if (ask) {
    old <- grDevices::devAskNewPage(TRUE)
    on.exit(grDevices::devAskNewPage(old))
  }
  keep <- x$prior.weights > 0
  eta <- x$linear.predictors[keep]
  r_dev <- unpadded_residuals(x, "deviance")[keep]
  rs_dev <- standardised_residuals(x, "deviance")[keep]
  rs_pear <- standardised_residuals(x, "pearson")[keep]
  h <- leverage(x)[keep]
  labels <- names(eta)
  if (is.null(labels)) labels <- as.character(which(keep))
  label_extremes <- function(px, py, size) {
    if (id.n <= 0L) return(invisible())
    top <- utils::head(order(-abs(size)), id.n)
    graphics::text(px[top], py[top], labels[top], pos = 4, cex = 0.75, xpd = NA)
  }
  smooth <- function(px, py) {
    ok <- is.finite(px) & is.finite(py)
    if (sum(ok) > 2L) graphics::lines(stats::lowess(px[ok], py[ok]), col = 2)
  }
  title <- sprintf("%s (%s link)", x$family$family, x$family$link)
  if (1L %in% which) {
    graphics::plot(eta, r_dev, xlab = "Linear predictor", ylab = "Deviance residuals",
                   main = "Residuals vs linear predictor", sub = title, ...)
    graphics::abline(h = 0, lty = 3, col = "grey")
    smooth(eta, r_dev)
    label_extremes(eta, r_dev, r_dev)
  }
  if (2L %in% which) {
    qq <- stats::qqnorm(rs_dev, main = "Normal Q-Q", ylab = "Std. deviance residuals", sub = title, ...)
    stats::qqline(rs_dev, lty = 3, col = "grey")
    label_extremes(qq$x, qq$y, rs_dev)
  }
  if (3L %in% which) {
    root <- sqrt(abs(rs_dev))
    graphics::plot(eta, root, xlab = "Linear predictor",
                   ylab = expression(sqrt("|Std. deviance residuals|")),
                   main = "Scale-location", sub = title, ...)
    smooth(eta, root)
    label_extremes(eta, root, root)
  }
  if (4L %in% which) {
    graphics::plot(h, rs_pear, xlim = c(0, max(h, na.rm = TRUE)), xlab = "Leverage",
                   ylab = "Std. Pearson residuals", main = "Residuals vs leverage", sub = title, ...)
    graphics::abline(h = 0, lty = 3, col = "grey")
    # Cook's distance D = r^2 h / (p (1 - h)): the contours r = +-sqrt(D p (1 - h) / h).
    hh <- seq(min(h[h > 0], 0.01), max(h, na.rm = TRUE), length.out = 101)
    for (level in c(0.5, 1)) {
      r_level <- sqrt(level * x$rank * (1 - hh) / hh)
      graphics::lines(hh, r_level, lty = 2, col = "red")
      graphics::lines(hh, -r_level, lty = 2, col = "red")
    }
    label_extremes(h, rs_pear, rs_pear^2 * h / (1 - h))
  }
  invisible(x)
}

#' Plot likelihood profiles
#'
#' One panel per coefficient: the signed root \eqn{z(b)} of the likelihood
#' ratio statistic (or, with `scale = "loglik"`, the profile log-likelihood
#' relative to its maximum, \eqn{-z^2/2}) against the coefficient's value,
#' with the Wald approximation \eqn{(b - \hat\beta)/\mathrm{se}}{(b - beta-hat) / se} (a straight
#' line, or a parabola) dashed, and the cutoffs of a `level` confidence
#' interval dotted. Where the solid curve bends away from the dashed one,
#' the Wald interval is not the likelihood interval.
#'
#' @param x An `"mleglm_profile"` object from [profile.mleglm()].
#' @param which Coefficients to draw; by default all.
#' @param scale `"z"` (signed root) or `"loglik"`.
#' @param level Confidence level of the cutoff lines.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial())
#' plot(profile(f, which = c("age", "sex")))
#' @export
plot.mleglm_profile <- function(x, which = names(x), scale = c("z", "loglik"), level = 0.95, ...) {
  scale <- match_choice(scale, c("z", "loglik"), "scale")
  which <- intersect(which, names(x)[!vapply(x, is.null, TRUE)])
  if (length(which) == 0L) abort("input", "`which` names no profiled coefficient.")
  if (length(which) > 1L) {
    # Columns first: devices are usually wider than tall.
    cols <- ceiling(sqrt(length(which)))
    old <- graphics::par(mfrow = c(ceiling(length(which) / cols), cols))
    on.exit(graphics::par(old))
  }
  fit_object <- attr(x, "original.fit")
  se <- attr(x, "std.err")
  q <- stats::qnorm((1 + level) / 2)
  for (name in which) {
    pr <- x[[name]]
    b <- pr$par.vals[, name]
    z <- pr$z
    b_hat <- fit_object$coefficients[[name]]
    grid <- if (length(b) > 3L) stats::spline(b, z, n = 101) else list(x = b, y = z)
    wald <- function(v) (v - b_hat) / se[[name]]
    shape <- if (scale == "z") identity else function(v) -v^2 / 2
    yr <- range(shape(z), shape(c(-q, q)), finite = TRUE)
    graphics::plot(b, shape(z), ylim = yr, xlab = name,
                   ylab = if (scale == "z") "Signed root z" else "Profile log-likelihood - maximum",
                   main = sprintf("Profile of %s", name), ...)
    graphics::lines(grid$x, shape(grid$y))
    graphics::lines(grid$x, shape(wald(grid$x)), lty = 2, col = "blue")
    graphics::abline(h = if (scale == "z") c(-q, q) else -q^2 / 2, lty = 3, col = "grey40")
    graphics::abline(v = b_hat, lty = 3, col = "grey70")
    graphics::legend("topleft", c("likelihood", "Wald"), lty = c(1, 2), col = c("black", "blue"),
                     bty = "n", cex = 0.8)
  }
  invisible(x)
}

#' Plot the iteration trace of a fit
#'
#' Two panels: the log-likelihood and the Euclidean norm of the score (on a
#' log scale) at the start of each iteration of the solver. Newton's method
#' shows the norm falling quadratically (the exponent doubling), Fisher
#' scoring linearly for non-canonical links. BFGS starts from the expected
#' information and converges superlinearly in the limit, but on a model with
#' few coefficients it may gain no more per step than Fisher scoring (see
#' `vignette("inference")`).
#'
#' @param x An `"mleglm_trace"` object from [fit_trace()].
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @examples
#' f <- fit(num > 0 ~ age + sex + thalach, heart, family = binomial(), method = "bfgs")
#' plot(fit_trace(f))
#' @export
plot.mleglm_trace <- function(x, ...) {
  old <- graphics::par(mfrow = c(1, 2))
  on.exit(graphics::par(old))
  method <- attr(x, "method")
  if (is.null(method)) method <- "solver"
  graphics::plot(x$iteration, x$loglik, type = "b", xlab = "Iteration", ylab = "Log-likelihood",
                 main = sprintf("Log-likelihood (%s)", method), ...)
  # A score of exactly zero would not show on a log scale.
  norm <- pmax(x$gradient_norm, .Machine$double.xmin)
  graphics::plot(x$iteration, norm, type = "b", log = "y", xlab = "Iteration",
                 ylab = "Score norm (log scale)", main = sprintf("Score norm (%s)", method), ...)
  invisible(x)
}
