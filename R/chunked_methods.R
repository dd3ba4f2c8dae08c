# What a chunked fit cannot do: it holds no rows, so every method that needs
# them refuses with one classed error, through one guard. The methods that
# need no rows (coef, vcov, logLik, confint by Wald, predict on new data,
# anova between fits, ...) are those of every fit.

rows_unavailable <- function(what) {
  abort("rows_unavailable", sprintf(
    "%s needs the rows of the data, which a fit from fit_chunked() does not hold; refit with fit() on data that fit in memory.",
    what))
}

# The generics whose every use needs the rows; registered for
# "mleglm_chunked" when the package loads (.onLoad in mleglm-package.R).
rows_needed <- c("residuals", "fitted", "model.frame", "model.matrix", "weights", "plot",
                 "hatvalues", "cooks.distance", "rstandard", "profile", "simulate")

register_rows_guard <- function(ns) {
  for (generic in rows_needed) {
    refusal <- local({
      what <- sprintf("%s()", generic)
      function(...) rows_unavailable(what)
    })
    registerS3method(generic, "mleglm_chunked", refusal, envir = ns)
  }
}

# The methods that need the rows for some of their arguments only.

#' @export
vcov.mleglm_chunked <- function(object, type = c("observed", "expected", "sandwich", "glm"), ...) {
  type <- match_choice(type, vcov_types, "type")
  if (type == "sandwich") rows_unavailable("The sandwich covariance")
  NextMethod()
}

#' @export
confint.mleglm_chunked <- function(object, parm = NULL, level = 0.95, method = c("profile", "wald"), ...) {
  method <- match_choice(method, c("profile", "wald"), "method")
  if (method == "profile") rows_unavailable("A profile-likelihood interval (use method = \"wald\")")
  NextMethod()
}

#' @export
predict.mleglm_chunked <- function(object, newdata = NULL, ...) {
  if (is.null(newdata)) rows_unavailable("predict() without `newdata`")
  NextMethod()
}

#' @export
anova.mleglm_chunked <- function(object, ..., test = c("LRT", "Chisq", "F", "none")) {
  if (length(list(...)) == 0L) rows_unavailable("A sequential analysis of deviance of one fit")
  NextMethod()
}

#' @export
summary.mleglm_chunked <- function(object, vcov = c("observed", "expected", "sandwich", "glm"), ...) {
  vcov <- match_choice(vcov, vcov_types, "vcov")
  if (vcov == "sandwich") rows_unavailable("The sandwich covariance")
  NextMethod()
}
