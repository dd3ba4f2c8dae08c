# optim_problem(): the likelihood of a fit as a function of the full
# parameter vector, checked against the fitted object, numDeriv (1e-6
# relative) and optim(), which must not find a lower negative
# log-likelihood than the estimate (beyond 1e-9).

skip_if_not_installed("MASS")

fits <- list(
  negbin = fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin()),
  custom = fit(y ~ x, outlier_data(), family = t4_family())
)

for (nm in names(fits)) {
  f <- fits[[nm]]
  test_that(paste(nm, ": fn, gr and hessian agree with the fit and with numDeriv"), {
    op <- optim_problem(f)
    expect_identical(op$names, names(f$par))
    expect_equal(op$par, f$par)
    expect_equal(op$fn(op$par), -f$loglik, tolerance = 1e-13)
    expect_equal(op$hessian(op$par), f$information$observed, tolerance = 1e-10)
    expect_lt(max(abs(op$gr(op$par))), 1e-6)
    skip_if_not_installed("numDeriv")
    p1 <- op$par + 0.01
    expect_lt(max_rel_diff(op$gr(p1), numDeriv::grad(op$fn, p1)), 1e-6)
    h <- numDeriv::hessian(op$fn, op$par)
    expect_lt(max(abs(op$hessian(op$par) - h)) / max(abs(h)), 1e-6)
  })

  test_that(paste(nm, ": optim() started at the estimate finds nothing better"), {
    op <- optim_problem(f)
    o <- stats::optim(op$par, op$fn, op$gr, method = "BFGS")
    expect_gte(o$value, op$fn(op$par) - 1e-9)
  })
}

test_that("fn is Inf outside the domain and a wrong length is a classed error", {
  op <- optim_problem(fits$negbin)
  expect_error(op$fn(1:3), class = "mleglm_error_input")
  sq <- fit(Days ~ Eth, MASS::quine, family = negbin("identity"))
  op <- optim_problem(sq)
  expect_identical(op$fn(c(-100, 0, 0)), Inf)
})
