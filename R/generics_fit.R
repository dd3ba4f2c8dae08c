# The `generics` package (attached by broom and tidymodels) exports a generic
# fit(object, ...) that masks mleglm's fit() when it is attached later. Its
# method for formulas, registered when generics is loaded (NAMESPACE:
# S3method(generics::fit, formula)), hands the call on to mleglm's fit(), so
# that fit(y ~ x, data) works whichever package was attached first.

#' Fit through the generics package's fit() generic
#'
#' When the `generics` package is attached after mleglm (as `library(broom)`
#' and the tidymodels packages do), its generic `fit(object, ...)` masks
#' [fit()]. This method for formulas makes `fit(formula, data, ...)` reach
#' mleglm's [fit()] all the same: the formula (given first, or by name as
#' `formula =`) and every other argument are passed on unchanged and
#' evaluated where the call was made.
#'
#' @usage \method{fit}{formula}(object, ...)
#' @param object A model formula.
#' @param ... The other arguments of [fit()]: `data`, `family`, ...
#' @return The fit, as from [fit()].
#' @keywords internal
#' @exportS3Method generics::fit
fit.formula <- function(object, ...) {
  call <- match.call()
  given <- names(call)
  if ("formula" %in% given && "object" %in% given) {
    abort("input", "Give the model formula once, as `formula` or first.")
  }
  given[given == "object"] <- "formula"
  names(call) <- given
  call[[1L]] <- quote(mleglm::fit)
  eval(call, parent.frame())
}
