# Newton-Raphson, Fisher scoring and BFGS: the same maximum, a well-formed
# trace, `start`, `maxit` and `trace = TRUE`.

methods <- c("newton", "fisher", "bfgs")

solver_cases <- list(
  c("gaussian", "log"), c("binomial", "logit"), c("binomial", "probit"),
  c("binomial", "cloglog"), c("poisson", "sqrt"), c("Gamma", "log"),
  c("Gamma", "identity"), c("inverse.gaussian", "identity")
)

fit_method <- function(data, distribution, link, method, ...) {
  fit(y ~ x1 + x2, data, family = make_family(distribution, link), method = method, ...)
}

check_trace <- function(f, what) {
  tr <- f$trace
  expect_s3_class(tr, "data.frame")
  expect_named(tr, c("iteration", "loglik", "gradient_norm", "decrement", "step", "halvings"))
  expect_equal(nrow(tr), f$iterations + 1L, label = paste(what, "trace rows"))
  expect_equal(tr$iteration, seq_len(nrow(tr)) - 1L, label = paste(what, "iteration numbers"))
  # Non-decreasing log-likelihood. The line search accepts a step that loses
  # no more than rounding noise, 1e-12 (1 + |loglik|), and no more is allowed.
  expect_true(all(diff(tr$loglik) >= -1e-12 * (1 + abs(tr$loglik[-1]))),
              label = paste(what, "loglik non-decreasing"))
  # The last row is the returned estimate: no step is taken from it.
  last <- tr[nrow(tr), ]
  expect_equal(last$step, 0)
  expect_lt(abs(last$loglik - f$loglik) / abs(f$loglik), 1e-13, label = paste(what, "last loglik"))
  # Accepted steps are 1 halved `halvings` times.
  steps <- tr$step[-nrow(tr)]
  expect_equal(steps, 0.5^tr$halvings[-nrow(tr)], tolerance = 0, label = paste(what, "steps"))
  expect_true(all(tr$gradient_norm >= 0 & tr$decrement >= 0))
  if (f$converged) {
    expect_lte(last$decrement, f$control$tol, label = paste(what, "last decrement"))
  }
}

test_that("newton, fisher and bfgs reach the same maximum", {
  for (case in solver_cases) {
    distribution <- case[1]
    link <- case[2]
    dat <- simulate_glm(distribution, link, n = 400, seed = 21)
    fits <- lapply(methods, function(m) fit_method(dat, distribution, link, m))
    names(fits) <- methods
    for (m in methods) {
      what <- paste(distribution, link, m)
      expect_true(fits[[m]]$converged, label = paste(what, "converged"))
      expect_identical(fits[[m]]$method, m)
      check_trace(fits[[m]], what)
    }
    # Coefficients within 1e-8 relative of each other (all are within about
    # 1e-10 standard errors of the maximum); log-likelihoods within 1e-13.
    for (pair in list(c("newton", "fisher"), c("newton", "bfgs"), c("fisher", "bfgs"))) {
      what <- paste(distribution, link, pair[1], "vs", pair[2])
      expect_lt(rel_diff(coef(fits[[pair[1]]]), coef(fits[[pair[2]]])), 1e-8, label = what)
      expect_lt(abs(fits[[pair[1]]]$loglik - fits[[pair[2]]]$loglik) /
                  abs(fits[[pair[2]]]$loglik), 1e-13, label = paste(what, "loglik"))
    }
  }
})

test_that("the decrement is sqrt(U' C^-1 U) with the method's curvature", {
  dat <- simulate_glm("binomial", "probit", n = 400, seed = 21)
  for (m in c("newton", "fisher")) {
    # maxit = 1 stops with a decrement well above rounding; suppress the
    # convergence warning, tested below.
    f <- suppressWarnings(fit_method(dat, "binomial", "probit", m,
                                     control = mleglm_control(maxit = 1)))
    info <- if (m == "newton") f$information$observed else f$information$expected
    decrement <- sqrt(drop(crossprod(f$score, solve(info, f$score))))
    last <- f$trace[nrow(f$trace), ]
    # Relative 1e-8: the same quantities at the same beta.
    expect_lt(abs(last$decrement - decrement) / decrement, 1e-8, label = m)
    expect_lt(abs(last$gradient_norm - sqrt(sum(f$score^2))) / sqrt(sum(f$score^2)), 1e-8,
              label = m)
  }
})

test_that("all three methods climb from a poor start to the same maximum", {
  dat <- simulate_glm("binomial", "logit", n = 400, seed = 21)
  poor <- c(2, -3, 3)
  fits <- lapply(methods, function(m) fit_method(dat, "binomial", "logit", m, start = poor))
  names(fits) <- methods
  for (m in methods) {
    expect_true(fits[[m]]$converged, label = m)
    check_trace(fits[[m]], paste("poor start", m))
    expect_equal(unname(fits[[m]]$start), poor)
  }
  # Relative 1e-8 between methods, and against glm() (canonical link).
  g <- glm_tight(y ~ x1 + x2, data = dat, family = binomial)
  for (m in methods) {
    expect_lt(rel_diff(coef(fits[[m]]), coef(fits$newton)), 1e-8, label = m)
    expect_lt(rel_diff(coef(fits[[m]]), coef(g)), 1e-8, label = paste(m, "vs glm"))
  }
})

test_that("start = is honoured: the trace begins at the log-likelihood there", {
  for (case in list(c("binomial", "probit"), c("Gamma", "log"), c("poisson", "sqrt"))) {
    distribution <- case[1]
    link <- case[2]
    dat <- simulate_glm(distribution, link, n = 400, seed = 21)
    start <- true_beta(distribution, link) * c(0.8, 0.5, 1.3)
    x <- cbind(1, dat$x1, dat$x2)
    n <- nrow(dat)
    at_start <- mleglm:::evaluate_glm_at(x, as.double(dat$y), rep(1, n), rep(0, n), start,
                                      distribution, link)
    ll_r <- profile_loglik_beta(start, x, dat$y, rep(1, n), rep(0, n), distribution, link)
    default_first <- fit_method(dat, distribution, link, "newton")$trace$loglik[1]
    for (m in methods) {
      f <- fit_method(dat, distribution, link, m, start = start)
      what <- paste(distribution, link, m)
      expect_equal(unname(f$start), start, tolerance = 0)
      # Relative 1e-13 against evaluate_glm_at() at the start (the same
      # computation), 1e-10 against the R-written profile log-likelihood.
      expect_lt(abs(f$trace$loglik[1] - at_start$loglik) / abs(at_start$loglik), 1e-13,
                label = paste(what, "first loglik vs evaluate_glm_at"))
      expect_lt(abs(f$trace$loglik[1] - ll_r) / abs(ll_r), 1e-10,
                label = paste(what, "first loglik vs R"))
      # ... and not the default start's.
      expect_gt(abs(f$trace$loglik[1] - default_first), 1e-6 * abs(default_first))
      expect_true(f$converged)
    }
  }
})

test_that("maxit = 1 on a problem needing more iterations warns and reports it", {
  dat <- simulate_glm("binomial", "probit", n = 400, seed = 21)
  expect_gt(fit_method(dat, "binomial", "probit", "newton")$iterations, 1)
  for (m in methods) {
    expect_warning(fit_method(dat, "binomial", "probit", m, control = mleglm_control(maxit = 1)),
                   class = "mleglm_warning_convergence")
    f <- suppressWarnings(fit_method(dat, "binomial", "probit", m,
                                     control = mleglm_control(maxit = 1)))
    expect_false(f$converged, label = m)
    expect_equal(f$iterations, 1L)
    expect_equal(nrow(f$trace), 2L)
    expect_gt(f$trace$decrement[2], f$control$tol)
    kinds <- vapply(f$warnings, function(w) w$kind, "")
    expect_true("convergence" %in% kinds, label = paste(m, "recorded warning"))
    check_trace(f, paste("maxit = 1", m))
  }
  # maxit = 0: the start itself, no step.
  f0 <- suppressWarnings(fit_method(dat, "binomial", "probit", "newton",
                                    control = mleglm_control(maxit = 0)))
  expect_false(f0$converged)
  expect_equal(f0$iterations, 0L)
  expect_equal(unname(coef(f0)), unname(f0$start))
})

test_that("mleglm_control(trace = TRUE) prints one line per iteration", {
  dat <- simulate_glm("Gamma", "log", n = 400, seed = 21)
  for (m in methods) {
    expect_output(fit_method(dat, "Gamma", "log", m, control = mleglm_control(trace = TRUE)),
                  "iteration 0: log-likelihood")
    f <- NULL
    lines <- capture.output(f <- fit_method(dat, "Gamma", "log", m,
                                            control = mleglm_control(trace = TRUE)))
    expect_length(lines, nrow(f$trace))
    expect_true(all(grepl("^iteration [0-9]+: log-likelihood ", lines)), label = m)
    expect_equal(as.integer(sub("^iteration ([0-9]+):.*", "\\1", lines)), f$trace$iteration)
    # No output without trace.
    expect_silent(fit_method(dat, "Gamma", "log", m))
  }
})
