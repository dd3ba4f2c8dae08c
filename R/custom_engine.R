# The engine for custom_family(): starting values, the R closures that the
# C++ core calls back (each calls one of the user's functions once over all
# rows and checks what it returns), and the diagnosis when the likelihood
# cannot be evaluated.

joint_engine.mleglm_custom_family <- function(family, x, y, weights, offset, start, method,
                                              control) {
  if (method == "fisher") {
    abort("input", sprintf(
      "`method = \"fisher\"` needs the expected information, which custom family \"%s\" does not have; use \"newton\" or \"bfgs\".",
      family$family))
  }
  y <- custom_response(y)
  positive <- weights > 0
  if (!any(positive)) abort("input", "There are no rows with positive weight to fit.")
  start <- check_start(start, colnames(x))
  # The likelihood sees only the rows with positive weight.
  rows <- which(positive)
  data <- list(x = x[rows, , drop = FALSE], y = y[rows], weights = weights[rows],
               offset = offset[rows], rows = rows, n = length(y))

  extra <- custom_extra(family)
  beta0 <- if (is.null(start)) custom_start(family, data) else start
  # The callbacks name the parameters in their messages: those of the
  # columns kept by the rank policy, once it has chosen.
  labels <- new.env(parent = emptyenv())
  labels$names <- c(colnames(x), extra$name)
  spec <- model_spec("custom", family$family, family$link, x = data$x, weights = data$weights,
                     offset = data$offset, start = c(beta0, extra$tau),
                     functions = custom_callbacks(family, data, labels), phi = extra$spec,
                     on_columns = function(columns) {
                       labels$names <- c(colnames(x)[columns], extra$name)
                     })
  run <- fit_with_rank_policy(spec, method, control)
  res <- run$res
  if (!res$ok || !isTRUE(res$derivatives_ok)) {
    data$x <- run$spec$x
    custom_failure(family, data, res, labels$names, extra)
  }

  out <- joint_components(run, x, extra$name, weights, method, control, list())
  x_fit <- x[, run$columns, drop = FALSE]
  eta <- stats::setNames(drop(x_fit %*% out$par[colnames(x_fit)]) + offset, rownames(x))
  mu <- stats::setNames(family$linkinv(eta), rownames(x))
  phi_hat <- if (!extra$spec$present) NULL else if (extra$spec$estimated) {
    from_scale(out$par[[length(out$par)]], family$phi_scale)
  } else family$phi
  c(out, list(
    subclass = c("mleglm_custom", "mleglm_joint"),
    extra = if (!is.null(phi_hat)) stats::setNames(phi_hat, family$phi_name),
    extra_scale = if (!is.null(phi_hat)) stats::setNames(family$phi_scale, family$phi_name),
    extra_fixed = if (!is.null(phi_hat)) stats::setNames(family$phi_fixed, family$phi_name),
    fitted.values = mu,
    linear.predictors = eta,
    residuals = (y - mu) / family$mu.eta(eta),
    y = y,
    prior.weights = weights,
    offset = offset,
    family = family,
    deviance = -2 * res$loglik,
    dispersion = 1
  ))
}

custom_response <- function(y) {
  if (is.matrix(y) && ncol(y) == 1L) y <- drop(y)
  if (!(is.numeric(y) || is.logical(y)) || is.matrix(y) || is.factor(y)) {
    abort("input", sprintf("The response of a custom family must be a numeric vector, not %s.",
                           class(y)[1L]))
  }
  y <- as.double(y)
  if (any(!is.finite(y))) {
    abort("input", sprintf("The response must be finite; %s are not.", describe_rows(!is.finite(y))))
  }
  y
}

# The extra parameter as the C++ core wants it, with its estimation-scale
# name and start.
custom_extra <- function(family) {
  present <- !is.null(family$phi)
  estimated <- present && !family$phi_fixed
  list(
    spec = list(present = present, estimated = estimated, log_scale = family$phi_scale == "log",
                value = if (present) family$phi else NA_real_),
    name = if (estimated) scaled_name(family$phi_name, family$phi_scale),
    tau = if (estimated) to_scale(family$phi, family$phi_scale)
  )
}

to_scale <- function(phi, scale) if (scale == "log") log(phi) else phi
from_scale <- function(tau, scale) if (scale == "log") exp(tau) else tau

# Starting coefficients: least squares of the linked starting means.
custom_start <- function(family, data) {
  y <- data$y
  mu <- if (is.null(family$mustart)) y else family$mustart(y)
  if (!is.numeric(mu) || length(mu) != length(y)) {
    abort("family", sprintf("`mustart` of custom family \"%s\" must return one number per observation.",
                            family$family))
  }
  eta <- suppressWarnings(family$linkfun(mu))
  bad <- !is.finite(eta) | !vapply(eta, function(e) isTRUE(family$valideta(e)), TRUE)
  if (any(bad)) eta[bad] <- suppressWarnings(family$linkfun(mean(y)))
  if (any(!is.finite(eta))) eta[!is.finite(eta)] <- 0
  beta <- stats::lm.wfit(data$x, eta - data$offset, data$weights)$coefficients
  beta[is.na(beta)] <- 0
  beta
}

# The R functions the C++ core calls: function(mu, phi, par), `par` being the
# parameter vector under evaluation, for messages, named by `labels$names`
# (an environment, so that the names can follow the columns kept).
custom_callbacks <- function(family, data, labels) {
  if (is.character(labels)) labels <- list2env(list(names = labels), parent = emptyenv())
  make <- function(what, check_finite) {
    fun <- family[[what]]
    if (is.null(fun)) return(NULL)
    user_caller(fun, what, family, data, labels, check_finite)
  }
  list(loglik = make("loglik", FALSE), dmu = make("dmu", TRUE), d2mu = make("d2mu", TRUE),
       dphi = make("dphi", TRUE))
}

# Calls fun(y, mu, phi) once over all rows, muffling its warnings, and checks
# the result: numeric, one value per row, and finite for derivatives (a
# log-density may be -Inf or NaN outside its support: the solver then steps
# back).
user_caller <- function(fun, what, family, data, labels, check_finite) {
  y <- data$y
  n <- length(y)
  has_phi <- !is.null(family$phi)
  function(mu, phi, par) {
    failed <- NULL
    value <- withCallingHandlers(
      tryCatch(fun(y, mu, if (has_phi) phi), error = function(e) {
        failed <<- conditionMessage(e)
        NULL
      }),
      warning = function(w) invokeRestart("muffleWarning"))
    problem <- if (!is.null(failed)) {
      list(sprintf("raised an error (%s)", failed), NULL)
    } else if (!is.numeric(value) && !is.logical(value)) {
      list(sprintf("returned %s, not a numeric vector,", class(value)[1L]),
           "It must return the log-density (or derivative) of each observation.")
    } else if (length(value) != n) {
      list(sprintf("returned %d values for %d observations", length(value), n),
           "It must be vectorised over `y` and `mu` and return one value per observation.")
    } else if (check_finite && any(!is.finite(value))) {
      list(sprintf("returned non-finite values in %s", describe_data_rows(!is.finite(value), data)),
           "A derivative must be finite wherever the log-density is.")
    }
    if (!is.null(problem)) user_function_error(what, family, problem[[1L]], par, labels$names, problem[[2L]])
    as.double(value)
  }
}

user_function_error <- function(what, family, problem, par, par_names, hint = NULL) {
  abort("user_function", c(
    sprintf("`%s` of custom family \"%s\" %s at the parameter values %s.", what, family$family,
            problem, format_parameters(par, par_names)),
    hint))
}

# describe_rows() in the numbering of the data the user passed.
describe_data_rows <- function(bad, data) {
  full <- logical(data$n)
  full[data$rows[bad]] <- TRUE
  describe_rows(full)
}

# Why the likelihood or its derivatives could not be evaluated at the point
# the solver stopped (the start, if it failed there).
custom_failure <- function(family, data, res, par_names, extra) {
  par <- res$coefficients
  p <- ncol(data$x)
  eta <- drop(data$x %*% par[seq_len(p)]) + data$offset
  if (any(!vapply(eta, function(e) isTRUE(family$valideta(e)) && is.finite(e), TRUE))) {
    abort("start", sprintf(
      "The linear predictor leaves the domain of the %s link at the parameter values %s; supply `start`.",
      family$link, format_parameters(par, par_names)))
  }
  phi <- if (!extra$spec$present) NULL else if (extra$spec$estimated) {
    from_scale(par[[p + 1L]], family$phi_scale)
  } else family$phi
  value <- suppressWarnings(family$loglik(data$y, family$linkinv(eta), phi))
  at <- if (identical(unname(par), unname(res$start))) "the starting values" else "the last iterate"
  if (any(!is.finite(value))) {
    user_function_error("loglik", family, sprintf(
      "returned non-finite values in %s", describe_data_rows(!is.finite(value), data)),
      par, par_names, sprintf(
        "The log-likelihood must be finite at %s: correct the function, or supply `start` (and `phi`) inside its domain.", at))
  }
  abort("numerical", sprintf(
    "The derivatives of custom family \"%s\" could not be computed at the parameter values %s (finite-difference steps leave the domain of `loglik`); supply `dmu` and `dphi`.",
    family$family, format_parameters(par, par_names)))
}
