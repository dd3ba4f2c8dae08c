#' Fit a generalized linear model by maximum likelihood
#'
#' `fit()` builds the model frame from a formula exactly as [stats::glm()]
#' does (factors, interactions, `offset()` terms, `I()`, `subset`,
#' `na.action`) and maximises the log-likelihood with the package's C++
#' solvers. Unlike `glm()`:
#'
#' * the dispersion of the Gaussian, Gamma and inverse Gaussian families is
#'   estimated by maximum likelihood (RSS / n for the Gaussian), and `glm()`'s
#'   Pearson estimate (divided by n - p) is kept beside it;
#' * standard errors come from the information evaluated at the returned
#'   estimate (the observed information by default), not from the weights of
#'   the previous iteration;
#' * convergence is judged on the score, through the Newton decrement (see
#'   [mleglm_control()]), and a fit that does not converge says so with a
#'   classed warning.
#'
#' @param formula A model formula, as for [stats::glm()].
#' @param data A data frame holding the variables of `formula`.
#' @inheritParams fit_matrix
#' @param weights Optional non-negative prior weights, evaluated in `data`.
#' @param subset Optional expression selecting the rows to use.
#' @param na.action How to treat missing values; by default
#'   `getOption("na.action")`, which drops incomplete rows.
#' @param offset Optional offset, evaluated in `data`; adds to any
#'   `offset()` terms of the formula.
#' @param model,x,y Whether to keep the model frame, the model matrix and the
#'   response in the result.
#' @param contrasts Optional list of contrasts for factors, as in
#'   [stats::model.matrix()].
#' @return An object of class `"mleglm"`, a list with, among others,
#'   `coefficients`, `fitted.values`, `linear.predictors`, `loglik`,
#'   `deviance`, `dispersion` (maximum likelihood), `dispersion_pearson`
#'   (as `glm()`), `information` (observed and expected, at the estimate),
#'   `score`, `converged`, `iterations`, `trace` (one row per iteration:
#'   log-likelihood, score norm, Newton decrement, step length, halvings; the
#'   solver divides each column of the model matrix whose largest absolute
#'   value lies beyond 2^64 or below 2^-64 by the power of two at or just
#'   below that value, which is exact and makes columns of size 1e150 or
#'   1e-150 safe, and the score norms are those of the scaled columns, the
#'   score itself for columns of ordinary size), `separation` (for coefficients whose maximum-likelihood
#'   estimate is infinite, as under separation or with all-zero counts, their
#'   limits `-Inf` or `Inf`; empty otherwise) and
#'   `warnings` (every warning raised while fitting). Methods: `print`,
#'   `summary`, `coef`, `vcov`, `logLik`, `AIC`/`BIC` (through `logLik`),
#'   `nobs`, `fitted`, `residuals`, `deviance`, `df.residual`,
#'   `model.matrix`, `model.frame`, `formula`, `family`, `terms`, `update`.
#' @seealso [fit_matrix()] for a model matrix, [mleglm_control()].
#' @examples
#' f <- fit(thalach ~ age + exang + oldpeak, heart)
#' f
#' summary(f)
#' fit(num > 0 ~ age + sex + thalach, heart,
#'     family = binomial(link = "probit"), method = "bfgs")
#' @export
fit <- function(formula, data, family = gaussian(), weights, subset, na.action, offset,
                start = NULL, method = c("newton", "fisher", "bfgs"),
                control = mleglm_control(), model = TRUE, x = FALSE, y = TRUE,
                contrasts = NULL) {
  call <- match.call()
  family <- resolve_family(family)
  method <- check_method(method)
  control <- as_control(control)
  if (missing(formula) || !inherits(formula, "formula")) {
    abort("input", "`formula` must be a model formula such as thalach ~ age + exang.")
  }
  if (!missing(data) && !is.data.frame(data) && !is.list(data) && !is.environment(data)) {
    abort("input", sprintf("`data` must be a data frame, not %s.", class(data)[1L]))
  }

  mf <- match.call(expand.dots = FALSE)
  mf <- mf[c(1L, match(c("formula", "data", "subset", "weights", "na.action", "offset"),
                       names(mf), 0L))]
  mf$drop.unused.levels <- TRUE
  mf[[1L]] <- quote(stats::model.frame)
  mf <- build_model_frame(mf, if (missing(na.action)) getOption("na.action") else na.action,
                          parent.frame())
  if (nrow(mf) == 0L) {
    abort("input", "The model frame has no rows (all rows were removed as missing or by `subset`).")
  }
  mt <- attr(mf, "terms")
  if (attr(mt, "response") == 0L) {
    abort("input", "`formula` must have a response on its left-hand side, such as thalach ~ age.")
  }
  x_mat <- tryCatch(stats::model.matrix(mt, mf, contrasts),
                    error = function(e) model_matrix_error(e, mf))
  if (ncol(x_mat) == 0L) {
    abort("input", "`formula` has no terms and no intercept: there is no coefficient to estimate.")
  }
  weights <- stats::model.weights(mf)
  if (!is.null(weights) && !is.numeric(weights)) {
    abort("input", "`weights` must be numeric.")
  }
  weights <- check_weights(weights, nrow(mf))
  offset <- check_offset(as.vector(stats::model.offset(mf)), nrow(mf))
  x_mat <- check_model_matrix(x_mat)
  largest <- check_finite_columns(x_mat, control$threads)
  engine <- fit_engine(x_mat, model_response(mf), family, weights, offset, start, method,
                       control, largest)
  new_mleglm(engine, call = call, formula = formula, terms = mt,
             model = if (model) mf, x = if (x) x_mat,
             keep_y = y, xlevels = stats::.getXlevels(mt, mf),
             contrasts = attr(x_mat, "contrasts"), na.action = attr(mf, "na.action"))
}

# The model frame of `call` (a call to stats::model.frame). The standard
# na.actions copy the whole frame even when nothing is missing; for those
# the frame is built with na.pass and rebuilt with the user's action only if
# a column has missing values, which gives the same frame.
build_model_frame <- function(call, na_action, env) {
  standard <- list(stats::na.omit, stats::na.exclude, stats::na.fail, stats::na.pass)
  is_standard <- (is.character(na_action) && length(na_action) == 1L &&
                    na_action %in% c("na.omit", "na.exclude", "na.fail", "na.pass")) ||
    (is.function(na_action) && any(vapply(standard, identical, TRUE, na_action)))
  build <- function(call) tryCatch(eval(call, env), error = function(e) model_frame_error(e, call, env))
  if (!is_standard) return(build(call))
  passing <- call
  passing$na.action <- quote(stats::na.pass)
  mf <- build(passing)
  has_na <- vapply(mf, function(v) is.atomic(v) && anyNA(v), TRUE)
  if (any(has_na)) build(call) else mf
}

# The response column of a model frame, as model.response() gives it but
# without naming it by the row names (a string per row the fit does not
# keep); I() is dropped as there.
model_response <- function(mf) {
  y <- mf[[1L]]
  if (inherits(y, "AsIs")) class(y) <- setdiff(oldClass(y), "AsIs")
  y
}

# Turn model.frame()'s errors into classed ones that name the argument or the
# column: R's own messages ("missing values in object", "variable lengths
# differ") say neither.
model_frame_error <- function(e, call, env) {
  msg <- conditionMessage(e)
  for (arg in c("weights", "offset", "subset")) {
    if (grepl(sprintf("(%s)", arg), msg, fixed = TRUE)) {
      abort("input", sprintf("`%s` must have one value per row of `data`: %s", arg, msg))
    }
  }
  if (grepl("missing values in object", msg, fixed = TRUE)) {
    # na.fail() (or an na.action like it) refused missing values: find them
    # by building the frame again with na.pass.
    call$na.action <- quote(stats::na.pass)
    mf <- tryCatch(eval(call, env), error = function(e2) NULL)
    if (!is.null(mf)) {
      has_na <- vapply(mf, anyNA, TRUE)
      if (any(has_na)) {
        columns <- paste(sprintf("'%s'", names(mf)[has_na]), collapse = ", ")
        abort("input", sprintf("`na.action` refused missing values in %s %s: %s. Drop those rows or use na.action = na.omit.",
                               if (sum(has_na) == 1L) "column" else "columns", columns,
                               describe_rows(Reduce(`|`, lapply(mf[has_na], is_na_row)))))
      }
    }
  }
  abort("input", sprintf("The model frame could not be built from `formula` and `data`: %s", msg))
}

# Rows with a missing value, for vector and matrix columns alike.
is_na_row <- function(column) {
  if (is.matrix(column)) rowSums(is.na(column)) > 0 else is.na(column)
}

# Turn model.matrix()'s errors into classed ones naming the factor or argument.
model_matrix_error <- function(e, mf) {
  msg <- conditionMessage(e)
  if (grepl("contrasts can be applied only to factors with 2 or more levels", msg, fixed = TRUE)) {
    # model.matrix() treats factors, characters and logicals alike.
    one_level <- vapply(mf[-1L], function(v) {
      (is.factor(v) || is.character(v) || is.logical(v)) && length(unique(v[!is.na(v)])) < 2L
    }, TRUE)
    columns <- names(mf)[-1L][one_level]
    abort("input", sprintf(
      "%s %s in the formula %s fewer than two levels in the rows used, so %s no contrasts; remove %s or use more rows.",
      if (length(columns) == 1L) "Factor" else "Factors",
      paste(sprintf("'%s'", columns), collapse = ", "),
      if (length(columns) == 1L) "has" else "have",
      if (length(columns) == 1L) "it has" else "they have",
      if (length(columns) == 1L) "it" else "them"))
  }
  if (grepl("contrasts", msg, fixed = TRUE)) {
    abort("input", sprintf("`contrasts` could not be applied: %s", msg))
  }
  abort("input", sprintf("The model matrix could not be built from `formula` and `data`: %s", msg))
}
