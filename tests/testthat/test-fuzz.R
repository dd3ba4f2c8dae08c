# Fuzzing: seeded random data sets, valid ones mixed with the hazards of
# test-bad-inputs.R and test-separation.R, each fitted inside tryCatch().
# Every outcome must be a valid fit (finite estimates, NA exactly for
# aliased columns, `converged` truthful, every warning mleglm's own and
# recorded in the object, print() and summary() working) or a classed
# mleglm error; anything else, and any crash, fails.
#
# Case i always uses seed 6000 + i, so the runs nest: 25 cases on CRAN, 100
# with NOT_CRAN=true (as `make check` sets it), all 1,000 with
# MLEGLM_FUZZ=full (as `make fuzz` and CI set it).

fuzz_cases <- function() {
  if (identical(Sys.getenv("MLEGLM_FUZZ"), "full")) return(1000L)
  if (identical(Sys.getenv("NOT_CRAN"), "true")) return(100L)
  25L
}

hazards <- c(
  "na_response", "inf_response", "nan_predictor", "inf_predictor", "na_weight",
  "negative_weight", "some_zero_weights", "all_zero_weights", "bad_offset", "huge_offset",
  "bad_start", "huge_start", "outside_support", "aliased_column", "constant_column",
  "scaled_column", "separation", "all_zero_response", "tiny_n", "more_columns_than_rows",
  "small_maxit", "non_integer_counts", "huge_response", "extreme_tol", "formula_factor"
)

# Applies one hazard to a problem (a list of fit_matrix() arguments).
apply_hazard <- function(args, hazard) {
  n <- nrow(args$x)
  at <- sample(n, 1)
  col <- sample(ncol(args$x), 1)
  switch(hazard,
    na_response = args$y[at] <- NA,
    inf_response = args$y[at] <- sample(c(Inf, -Inf), 1),
    nan_predictor = args$x[at, col] <- NaN,
    inf_predictor = args$x[at, col] <- sample(c(Inf, -Inf), 1),
    na_weight = args$weights <- replace(rep(1, n), at, NA),
    negative_weight = args$weights <- replace(rep(1, n), at, -1),
    some_zero_weights = args$weights <- replace(rep(1, n), sample(n, max(1, n %/% 3)), 0),
    all_zero_weights = args$weights <- rep(0, n),
    bad_offset = args$offset <- replace(rep(0, n), at, sample(c(NA, NaN, Inf, -Inf), 1)),
    huge_offset = args$offset <- rep(sample(c(-1, 1), 1) * 10^stats::runif(1, 2, 8), n),
    bad_start = args$start <- sample(list(rep(NA_real_, ncol(args$x)), 1, rep(0, ncol(args$x) + 1),
                                          "a"), 1)[[1]],
    huge_start = args$start <- rep(10^stats::runif(1, 1, 300), ncol(args$x)),
    outside_support = args$y[at] <- switch(args$family$family,
      binomial = 2, poisson = -1, Gamma = , inverse.gaussian = 0, gaussian = args$y[at]),
    aliased_column = args$x <- cbind(args$x, copy = args$x[, col] * 3),
    constant_column = args$x <- cbind(args$x, const = 7),
    scaled_column = args$x[, col] <- args$x[, col] * 10^stats::runif(1, -150, 150),
    separation = if (args$family$family == "binomial" && ncol(args$x) > 1) {
      args$y <- as.numeric(args$x[, 2] > stats::median(args$x[, 2]))
    },
    all_zero_response = if (args$family$family %in% c("binomial", "poisson")) args$y[] <- 0,
    tiny_n = {
      keep <- seq_len(sample(1:3, 1))
      args$x <- args$x[keep, , drop = FALSE]
      args$y <- args$y[keep]
    },
    more_columns_than_rows = {
      extra <- matrix(stats::rnorm(n * (n + 1)), n, dimnames = list(NULL, paste0("z", 0:n)))
      args$x <- cbind(args$x, extra)
    },
    small_maxit = args$control <- mleglm_control(maxit = sample(0:3, 1)),
    non_integer_counts = if (args$family$family == "poisson") args$y <- args$y + 0.5,
    huge_response = if (args$family$family %in% c("gaussian", "Gamma")) args$y <- args$y * 1e200,
    extreme_tol = args$control <- mleglm_control(tol = 10^-stats::runif(1, 1, 15)),
    formula_factor = args$formula <- TRUE
  )
  args
}

# One fuzz case: "fit" or "error" when the outcome is acceptable, otherwise
# a description of what went wrong.
run_case <- function(i) {
  set.seed(6000 + i)
  family <- random_families[[sample(length(random_families), 1)]]
  pr <- random_problem(family, n = sample(5:80, 1), p = sample(1:3, 1))
  args <- list(x = pr$x, y = pr$y, family = family,
               method = sample(c("newton", "fisher", "bfgs"), 1))
  chosen <- if (stats::runif(1) < 0.2) character(0) else sample(hazards, sample(1:2, 1))
  for (h in chosen) args <- apply_hazard(args, h)
  label <- sprintf("case %d (%s %s, %s; hazards: %s)", i, family$family, family$link, args$method,
                   paste(chosen, collapse = ", "))

  raised <- list()
  outcome <- tryCatch(
    withCallingHandlers({
      if (isTRUE(args$formula)) {
        d <- data.frame(y = args$y, g = factor(sample(c("a", "b", "c"), length(args$y), TRUE)),
                        args$x[, -1, drop = FALSE])
        fit(stats::reformulate(c("g", colnames(args$x)[-1]), "y"), d, family = args$family,
            method = args$method)
      } else {
        args$formula <- NULL
        do.call(fit_matrix, args)
      }
    }, warning = function(w) {
      raised[[length(raised) + 1L]] <<- w
      invokeRestart("muffleWarning")
    }),
    error = function(e) e
  )
  foreign <- Filter(function(w) !inherits(w, "mleglm_warning"), raised)
  if (length(foreign) > 0L) {
    return(paste(label, "raised a foreign warning:", conditionMessage(foreign[[1L]])))
  }
  if (inherits(outcome, "error")) {
    if (inherits(outcome, "mleglm_error") && nzchar(conditionMessage(outcome)) &&
        is.null(conditionCall(outcome))) return("error")
    return(paste(label, "gave an unclassed error:", conditionMessage(outcome)))
  }
  problem <- check_fit(outcome, raised)
  if (is.null(problem)) "fit" else paste(label, problem)
}

# NULL for a valid fit, else what is wrong with it.
check_fit <- function(f, raised) {
  if (!inherits(f, "mleglm")) return("returned something that is not an mleglm fit")
  b <- coef(f)
  if (!identical(is.na(b), f$aliased)) return("has NA coefficients that are not aliased")
  if (!all(is.finite(b[!f$aliased]))) return("has non-finite estimates")
  if (!is.finite(f$loglik)) return("has a non-finite log-likelihood")
  kinds <- vapply(f$warnings, `[[`, "", "kind")
  if (!identical(sort(kinds), sort(sub("^mleglm_warning_", "", vapply(raised, function(w) class(w)[1L], ""))))) {
    return("raised warnings that are not recorded in the object")
  }
  last <- f$trace[nrow(f$trace), ]
  if (f$converged) {
    if (length(f$separation) > 0L) return("is converged with infinite estimates")
    if (!(last$decrement <= 100 * f$control$tol)) return("is converged with a large Newton decrement")
  } else if (!any(kinds %in% c("convergence", "separation", "boundary"))) {
    return("did not converge and did not say so")
  }
  printed <- tryCatch({
    suppressWarnings(utils::capture.output(print(f), print(summary(f))))
    NULL
  }, error = function(e) conditionMessage(e))
  if (!is.null(printed)) return(paste("print() or summary() failed:", printed))
  NULL
}

test_that(sprintf("fuzzing: %d seeded data sets give valid fits or classed errors", fuzz_cases()), {
  results <- vapply(seq_len(fuzz_cases()), run_case, "")
  bad <- results[!results %in% c("fit", "error")]
  expect(length(bad) == 0L, paste(c(sprintf("%d bad outcomes:", length(bad)), utils::head(bad, 10)),
                                  collapse = "\n"))
  # The mix exercises both outcomes.
  expect_gt(sum(results == "fit"), length(results) / 5)
  expect_gt(sum(results == "error"), length(results) / 10)
})
