# The likelihood on demand, against the fit itself and numDeriv.
#
# numDeriv's Richardson extrapolation is accurate to about 1e-9 relative on
# these smooth functions, so 1e-6 relative is a safe bound for gradients
# and Hessians; evaluations at the estimate reproduce the fit to rounding.

likelihood_fits <- function() {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  list(
    gaussian = fit(thalach ~ age + exang + oldpeak, d),
    probit = fit(hd ~ age + sex + thalach, d, family = binomial(link = "probit")),
    poisson = fit(num ~ age + sex, d, family = poisson(link = "sqrt")),
    gamma = fit(chol ~ age + sex, d, family = Gamma(link = "log")),
    invgauss = fit(chol ~ age, d, family = inverse.gaussian(link = "log")))
}

test_that("at the estimate the functions reproduce the fit", {
  for (f in likelihood_fits()) {
    b <- coef(f)
    expect_equal(loglik_at(f, b), f$loglik, tolerance = 1e-12)
    expect_equal(score_at(f, b), f$score, tolerance = 1e-12)
    expect_equal(information_at(f, b), f$information$observed, tolerance = 1e-12)
    expect_equal(information_at(f, b, type = "expected"), f$information$expected, tolerance = 1e-12)
  }
})

test_that("the score is the gradient of loglik_at() and the profile Hessian its Hessian (numDeriv)", {
  skip_if_not_installed("numDeriv")
  for (f in likelihood_fits()) {
    b <- coef(f) * 1.001  # away from the estimate, where the score is not zero
    ll <- function(beta) loglik_at(f, beta)
    grad <- numDeriv::grad(ll, b)
    u <- score_at(f, b)
    scale <- sqrt(diag(information_at(f, b, "expected")))
    expect_lt(max(abs(u - grad) / pmax(abs(grad), scale)), 1e-6, label = f$family$family)
    hess <- numDeriv::jacobian(function(beta) score_at(f, beta), b)
    cd <- check_derivatives(f, beta = b)
    expect_lt(max(abs(cd$hessian - hess) / tcrossprod(scale)), 1e-6, label = f$family$family)
    expect_lt(cd$max_score_error, 1e-6)
    expect_lt(cd$max_hessian_error, 1e-6)
  }
})

test_that("check_derivatives() at the estimate reports small errors and prints them", {
  f <- likelihood_fits()$probit
  cd <- check_derivatives(f)
  expect_s3_class(cd, "mleglm_derivatives")
  expect_lt(cd$max_score_error, 1e-6)
  expect_lt(cd$max_hessian_error, 1e-6)
  expect_equal(cd$hessian, -f$information$observed, tolerance = 1e-12, ignore_attr = TRUE)
  expect_equal(unname(cd$step), unname(1e-4 / sqrt(diag(f$information$expected))))
  out <- capture.output(print(cd))
  expect_match(out[2], "score:   largest relative error")
  expect_error(check_derivatives(f, step = 0), class = "mleglm_error_input")
  expect_error(check_derivatives(f, beta = 1:2), class = "mleglm_error_input")
})

test_that("format() of check_derivatives() is the lines print() writes, digits honoured", {
  for (f in likelihood_fits()) {
    cd <- check_derivatives(f)
    lines <- expect_format_is_print(cd)
    expect_match(lines[1L], "^Analytic derivatives against central differences \\(step .* to .*\\):$")
    expect_match(lines[2L], "^  score:   largest relative error ")
    expect_match(lines[3L], "^  Hessian: largest relative error ")
    # What the errors are relative to.
    expect_match(lines[4L], "^Each error is \\|analytic - numerical\\| divided by the largest of")
    expect_match(lines[5L], "sqrt(I_jj) for the score, sqrt(I_ii I_jj) for the Hessian", fixed = TRUE)
    expect_identical(lines[7:8], c("", "Score:"))
    expect_identical(lines[-(1:8)], utils::capture.output(print(format(cd$score, digits = 3L))))
    for (digits in c(2L, 6L)) {
      lines <- expect_format_is_print(cd, digits = digits)
      expect_identical(lines[-(1:8)], utils::capture.output(print(format(cd$score, digits = digits))))
      expect_identical(lines[2L], sprintf("  score:   largest relative error %s (%s)",
                                          format(cd$max_score_error, digits = digits),
                                          rownames(cd$score)[which.max(cd$score$rel_error)]))
    }
  }
})

test_that("a wrong derivative would be caught: the check sees a perturbed Hessian", {
  f <- likelihood_fits()$probit
  cd <- check_derivatives(f)
  wrong <- cd$hessian * 1.01
  scale <- sqrt(diag(f$information$expected))
  expect_gt(max(abs(wrong - cd$hessian_numerical) / tcrossprod(scale)), 1e-3)
})

test_that("beta may include aliased coefficients; invalid beta is handled", {
  d <- heart
  d$age2 <- d$age
  f <- suppressWarnings(fit(thalach ~ age + age2 + exang, d))
  expect_equal(loglik_at(f, coef(f)), f$loglik, tolerance = 1e-12)
  expect_equal(loglik_at(f, coef(f, complete = FALSE)), f$loglik, tolerance = 1e-12)
  expect_identical(names(score_at(f, coef(f))), c("(Intercept)", "age", "exang"))
  expect_error(loglik_at(f, 1:2), class = "mleglm_error_input")
  expect_error(loglik_at(f, c(1, NA, 2)), class = "mleglm_error_input")
  expect_error(loglik_at(f, "a"), class = "mleglm_error_input")
  p <- fit(num ~ age, heart, family = poisson(link = "identity"), start = c(0.1, 0.01))
  expect_identical(loglik_at(p, c(-100, 0)), -Inf)
  expect_error(score_at(p, c(-100, 0)), class = "mleglm_error_domain")
  expect_error(information_at(p, c(-100, 0)), class = "mleglm_error_domain")
  expect_error(information_at(p, coef(p), type = "hessian"), class = "mleglm_error_input")
})

test_that("fit_trace() returns the classed trace, one row per iteration", {
  f <- likelihood_fits()$probit
  tr <- fit_trace(f)
  expect_s3_class(tr, c("mleglm_trace", "data.frame"))
  expect_identical(names(tr), c("iteration", "loglik", "gradient_norm", "decrement", "step", "halvings"))
  expect_identical(nrow(tr), f$iterations + 1L)
  expect_identical(attr(tr, "method"), "newton")
  expect_equal(tr$loglik[nrow(tr)], f$loglik, tolerance = 1e-12)
  expect_false(is.unsorted(tr$loglik))
  expect_error(fit_trace(list()), class = "mleglm_error_input")
})

test_that("mleglm_control(trace = TRUE) prints one line per iteration", {
  out <- capture.output(f <- fit(num > 0 ~ age + sex, heart, family = binomial(),
                                 control = mleglm_control(trace = TRUE)))
  expect_length(out, f$iterations + 1L)
  expect_match(out[1], "^iteration 0: log-likelihood")
})

test_that("the trace's gradient_norm is what its legend says: the score's norm, huge columns divided by a power of two", {
  d <- heart
  d$big <- d$age * 1e30
  f <- fit(num > 0 ~ big + sex, d, family = binomial())
  tr <- fit_trace(f)
  u <- score_at(f, f$start)
  s <- 2^floor(log2(max(abs(d$big))))
  expect_equal(tr$gradient_norm[1], sqrt(u[[1]]^2 + (u[[2]] / s)^2 + u[[3]]^2), tolerance = 1e-10)
  expect_match(paste(format(tr), collapse = " "), "above 2^64", fixed = TRUE)
  # Ordinary columns are left alone.
  g <- fit(num > 0 ~ age + sex, heart, family = binomial())
  expect_equal(fit_trace(g)$gradient_norm[1], sqrt(sum(score_at(g, g$start)^2)), tolerance = 1e-10)
})
