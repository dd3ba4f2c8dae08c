# The likelihood of a fit as a function of its full parameter vector, for
# code that needs to evaluate it away from the estimate (profile likelihoods,
# likelihood-ratio tests, comparisons with optim()).
#
# optim_problem(object) returns a list:
#   fn(par)      the negative log-likelihood (Inf where it is not defined),
#                ready for optim();
#   gr(par)      its gradient (minus the score);
#   hessian(par) its Hessian (the observed information);
#   par          the estimate, named; names its names;
#   loglik       the maximised log-likelihood.
# `par` holds the coefficients that are not aliased and then the extra
# parameter on its estimation scale (log(theta), log(sigma), ...), in the
# order of vcov(object). Every value comes from the same C++ code the solver
# used.
optim_problem <- function(object, ...) UseMethod("optim_problem")

# The methods are registered so that code outside the namespace (tests,
# mleglm:::optim_problem(f)) dispatches to them too.

#' @exportS3Method optim_problem mleglm_negbin
optim_problem.mleglm_negbin <- function(object, ...) {
  d <- joint_data(object, positive_only = FALSE)
  link <- object$family$link
  joint_problem(object, function(par, derivatives) {
    evaluate_core(model_spec("negbin", "negbin", link, x = d$x, y = d$y, weights = d$weights,
                             offset = d$offset), par, derivatives)
  })
}

#' @exportS3Method optim_problem mleglm_custom
optim_problem.mleglm_custom <- function(object, ...) {
  d <- joint_data(object, positive_only = TRUE)
  family <- object$family
  # Evaluate with the fixed or starting phi as the family holds it; only its
  # estimation scale enters par.
  extra <- custom_extra(family)
  functions <- custom_callbacks(family, d, names(object$par))
  joint_problem(object, function(par, derivatives) {
    evaluate_core(model_spec("custom", family$family, family$link, x = d$x,
                             weights = d$weights, offset = d$offset, functions = functions,
                             phi = extra$spec), par, derivatives)
  })
}

joint_problem <- function(object, evaluate) {
  check <- function(par) {
    if (!is.numeric(par) || length(par) != length(object$par)) {
      abort("input", sprintf("`par` must have %d values (%s).", length(object$par),
                             paste(names(object$par), collapse = ", ")))
    }
  }
  derivative <- function(par, what) {
    check(par)
    e <- evaluate(par, TRUE)
    if (!e$ok || !isTRUE(e$derivatives_ok)) {
      abort("numerical", sprintf("The log-likelihood has no derivatives at %s.",
                                 format_parameters(par, names(object$par))))
    }
    e[[what]]
  }
  list(
    fn = function(par) {
      check(par)
      e <- evaluate(par, FALSE)
      if (e$ok) -e$loglik else Inf
    },
    gr = function(par) -stats::setNames(derivative(par, "score"), names(object$par)),
    hessian = function(par) {
      h <- as.matrix(derivative(par, "observed"))
      dimnames(h) <- list(names(object$par), names(object$par))
      h
    },
    par = object$par,
    names = names(object$par),
    loglik = object$loglik
  )
}

# The data of a joint fit: model matrix without aliased columns, response,
# weights and offset (rows of positive weight only, if asked).
joint_data <- function(object, positive_only) {
  y <- object[["y"]]
  if (is.null(y)) {
    abort("input", "This fit was made with y = FALSE; refit with y = TRUE to evaluate its likelihood.")
  }
  x <- stats::model.matrix(object)[, !object$aliased, drop = FALSE]
  if (storage.mode(x) != "double") storage.mode(x) <- "double"
  rows <- if (positive_only) which(object$prior.weights > 0) else seq_along(y)
  list(x = x[rows, , drop = FALSE], y = y[rows], weights = object$prior.weights[rows],
       offset = object$offset[rows], rows = rows, n = length(y))
}
