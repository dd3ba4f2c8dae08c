# vcov(), logLik(), confint(), summary() and print() of fits with an extra
# parameter, on a negative binomial and a Student-t fit. Wald intervals are
# checked against estimate +/- z * SE computed here; the extra parameter's
# interval is the transformed interval of its estimation scale.

skip_if_not_installed("MASS")

f_nb <- fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin())
f_t <- fit(y ~ x, outlier_data(), family = t4_family())

test_that("vcov() covers the coefficients and the extra parameter on its estimation scale", {
  v <- vcov(f_nb)
  expect_identical(rownames(v), c(names(coef(f_nb)), "log(theta)"))
  expect_equal(v, solve(f_nb$information$observed), tolerance = 1e-10)
  expect_true(isSymmetric(v))
  expect_identical(rownames(vcov(f_t)), c("(Intercept)", "x", "log(sigma)"))
  expect_error(vcov(f_nb, type = "glm"), class = "mleglm_error_input")
})

test_that("logLik() counts the estimated extra parameter", {
  expect_equal(attr(logLik(f_nb), "df"), length(coef(f_nb)) + 1)
  expect_equal(attr(logLik(f_t), "df"), 3)
  expect_equal(AIC(f_t), -2 * f_t$loglik + 2 * 3)
  expect_equal(BIC(f_t), -2 * f_t$loglik + log(200) * 3)
})

test_that("confint(method = \"wald\") includes the extra parameter on its natural scale", {
  ci <- confint(f_nb, method = "wald")
  z <- stats::qnorm(0.975)
  se <- sqrt(diag(vcov(f_nb)))
  expect_identical(rownames(ci), c(names(coef(f_nb)), "theta"))
  expect_identical(colnames(ci), c("2.5 %", "97.5 %"))
  expect_equal(ci[1:7, 1], coef(f_nb) - z * se[1:7])
  expect_equal(ci[1:7, 2], coef(f_nb) + z * se[1:7])
  expect_equal(unname(ci["theta", ]),
               exp(unname(f_nb$par["log(theta)"]) + c(-1, 1) * z * se[["log(theta)"]]))
  expect_equal(confint(f_nb, "EthN", level = 0.9, method = "wald"),
               ci["EthN", , drop = FALSE] * 0 + (coef(f_nb)["EthN"] + c(-1, 1) * stats::qnorm(0.95) * se[["EthN"]]),
               ignore_attr = TRUE)
  expect_identical(rownames(confint(f_t, c(2, 3))), c("x", "sigma"))
  expect_error(confint(f_t, "nope"), class = "mleglm_error_input")
  expect_error(confint(f_t, level = 2), class = "mleglm_error_input")
})

test_that("confint() of a negbin fit is by profile likelihood, theta included, as MASS's", {
  ci <- confint(f_nb)
  expect_identical(ci, confint(f_nb, method = "profile"))
  expect_identical(rownames(ci), c(names(coef(f_nb)), "theta"))
  q2 <- qnorm(0.975)^2
  # Oracle for theta: at each end, glm() with negative.binomial(theta) held
  # there, the coefficients re-estimated, lies q^2 / 2 below the maximum
  # (1e-6 on the chi-square scale).
  for (theta in ci["theta", ]) {
    g <- glm(Days ~ Eth + Sex + Age + Lrn, data = MASS::quine, family = MASS::negative.binomial(theta),
             control = glm.control(epsilon = 1e-12, maxit = 100))
    expect_equal(2 * (f_nb$loglik - as.numeric(logLik(g))), q2, tolerance = 1e-6)
  }
  # Oracle for a coefficient: glm.nb() with the coefficient in the offset,
  # theta re-estimated (1e-5: glm.nb's alternation tolerance).
  x <- model.matrix(f_nb)
  d <- data.frame(Days = MASS::quine$Days)
  d$x <- x[, -1L]
  for (b in ci["(Intercept)", ]) {
    d$off <- rep(b, nrow(d))
    m <- MASS::glm.nb(Days ~ 0 + x + offset(off), d, control = glm.control(epsilon = 1e-12, maxit = 100))
    expect_equal(2 * (f_nb$loglik - as.numeric(logLik(m))), q2, tolerance = 1e-5)
  }
  # MASS's confint(glm.nb) profiles with theta held at its estimate and
  # interpolates on a grid (Intercept 2.463 to 3.358). Held there too, the
  # profile's ends (solved here by uniroot on mleglm's likelihood) are
  # MASS's to 1e-3 relative.
  m <- MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, MASS::quine)
  mass <- suppressMessages(confint(m))
  expect_equal(round(unname(mass[1, ]), 3), c(2.463, 3.358))
  se <- sqrt(diag(vcov(f_nb)))
  held_theta <- t(vapply(1:7, function(j) {
    free <- replace(rep(TRUE, 8), c(j, 8), FALSE)
    gap <- function(b) {
      res <- mleglm:::likelihood_at(f_nb, replace(f_nb$par, j, b), free = free)
      2 * (f_nb$loglik - res$loglik) - q2
    }
    c(uniroot(gap, f_nb$par[[j]] - c(4, 0.5) * se[[j]], tol = 1e-12)$root,
      uniroot(gap, f_nb$par[[j]] + c(0.5, 4) * se[[j]], tol = 1e-12)$root)
  }, c(0, 0)))
  expect_equal(unname(held_theta), unname(mass), tolerance = 1e-3)
  # Re-estimating theta can only flatten the profile: mleglm's intervals
  # contain those with theta held (1e-10), and are within 2% of a standard
  # error of them on this fit.
  expect_true(all(ci[1:7, 1] <= held_theta[, 1] + 1e-10) && all(ci[1:7, 2] >= held_theta[, 2] - 1e-10))
  expect_lt(max(abs(ci[1:7, ] - mass) / se[1:7]), 0.02)
  # Wald, as before, when asked.
  wald <- confint(f_nb, method = "wald")
  expect_false(isTRUE(all.equal(wald, ci, tolerance = 1e-4)))
  expect_identical(confint(f_nb, "theta"), ci["theta", , drop = FALSE])
})

test_that("a custom fit's profile intervals: the extra parameter on its natural scale", {
  ci <- confint(f_t, c("x", "sigma"))
  expect_identical(rownames(ci), c("x", "sigma"))
  wald <- confint(f_t, c("x", "sigma"), method = "wald")
  # Near the Wald interval (200 rows): within a tenth of a standard error.
  se <- sqrt(diag(vcov(f_t)))
  expect_lt(abs(ci["x", 1] - wald["x", 1]) / se[["x"]], 0.1)
  # At the ends of sigma's interval the profile is q^2 / 2 below the
  # maximum: optim() over the coefficients with log(sigma) held (1e-4).
  op <- mleglm:::optim_problem(f_t)
  for (s in ci["sigma", ]) {
    o <- optim(f_t$par[1:2], function(b) op$fn(c(b, log(s))), method = "BFGS",
               control = list(reltol = 1e-14, maxit = 500))
    expect_equal(2 * (o$value + f_t$loglik), qnorm(0.975)^2, tolerance = 1e-4)
  }
})

test_that("summary() of a custom fit reports the extra parameter by the delta method", {
  s <- summary(f_t)
  e <- s$extra[[1]]
  expect_identical(e$name, "sigma")
  expect_equal(e$se, f_t$extra[["sigma"]] * sqrt(vcov(f_t)["log(sigma)", "log(sigma)"]))
  expect_output(print(s), "Extra parameter, estimated jointly with the coefficients")
  expect_output(print(s), "custom \"t4\" (link: identity)", fixed = TRUE)
  expect_output(print(f_t), "sigma: ")
  expect_error(summary(f_t, vcov = "expected"), class = "mleglm_error_input")
  out1 <- capture.output(print(f_t), summary(f_t))
  out2 <- capture.output(print(f_t), summary(f_t))
  expect_identical(out1[!grepl("decrement", out1)], out2[!grepl("decrement", out2)])
})

test_that("format() of joint fits and their summaries is the lines print() writes, digits honoured", {
  for (x in list(f_nb, f_t, summary(f_nb), summary(f_nb, vcov = "expected"), summary(f_t))) {
    expect_format_is_print(x)
    expect_format_is_print(x, digits = 2)
    expect_format_is_print(x, digits = 7)
  }
  lines <- format(f_nb)
  expect_identical(lines[2L], "Maximum-likelihood GLM: negative binomial (NB2) family, log link")
  at <- grep("^theta: ", lines)
  expect_identical(lines[at + (-1:1)], c("", "theta: 1.2749, Std. Error 0.16105", "Log-likelihood: -546.5755 (df = 8)"))
  expect_identical(lines[at + 2L], "Converged after 4 newton iterations.")
  expect_length(lines, at + 2L)
  expect_true("theta: 1.27, Std. Error 0.161" %in% format(f_nb, digits = 2))
  lines <- format(summary(f_nb), digits = 2)
  at <- grep("^Extra parameter", lines)
  expect_identical(lines[at + 0:2], c(
    "Extra parameter, estimated jointly with the coefficients:",
    "  theta: 1.27, Std. Error 0.161 (delta method from log(theta) = 0.243, Std. Error 0.126)",
    ""))
  expect_match(lines[at + 3L], "^Log-likelihood: -546.58 \\(df = 8\\)   AIC: 1109.2   BIC: 1133$")
  expect_match(lines[at + 4L], "^Residual deviance \\(at theta\\): 168 on 139 degrees of freedom \\(n = 146\\)$")
  expect_match(lines[at + 5L], "^Against the Poisson model: LR = ")
  expect_identical(lines[at + 6L], "")
  expect_match(lines[at + 7L], "^Convergence: converged after 4 newton iterations")
})

test_that("a joint fit's lines are laid out as an mleglm fit's, the extra parameter for the dispersion", {
  # The log link: a Gaussian fit that takes Newton steps, as the t4 fit does.
  g <- fit(y ~ x, outlier_data(), family = gaussian(link = "log"))
  expect_gt(g$iterations, 0L)
  lines_t <- format(f_t)
  lines_g <- format(g)
  expect_length(lines_t, length(lines_g))
  expect_identical(lines_t[c(1L, 3L, 5L, 6L, 9L)], lines_g[c(1L, 3L, 5L, 6L, 9L)])
  expect_identical(lines_t[2L], "Maximum-likelihood GLM: custom \"t4\" family, identity link")
  expect_identical(lines_t[4L], paste0("Call:  ", deparse(f_t$call)))
  expect_identical(lines_t[10L], sprintf("sigma: %s, Std. Error %s", format(f_t$extra[["sigma"]], digits = 5L),
                                         format(summary(f_t)$extra[[1L]]$se, digits = 5L)))
  expect_identical(lines_t[11L], sprintf("Log-likelihood: %s (df = 3)", format(f_t$loglik, digits = 7L)))
  expect_identical(lines_t[12L], sprintf("Converged after %d %s iterations.", f_t$iterations, f_t$method))
  # A fixed extra parameter, and one with warnings raised while fitting.
  held <- custom_family("t, df fixed", function(y, mu, phi) stats::dt(y - mu, df = phi, log = TRUE),
                        phi = 4, phi_fixed = TRUE, phi_name = "df")
  h <- fit(y ~ x, outlier_data(), family = held)
  expect_true("df: 4 (held fixed)" %in% expect_format_is_print(h))
  expect_true("Extra parameter:" %in% expect_format_is_print(summary(h)))
  w <- f_t
  w$warnings <- list(list(kind = "a", message = "first\nsecond"))
  lines <- expect_format_is_print(w)
  expect_identical(tail(lines, 4L), c("", "Warnings raised while fitting:", "* [a] first", "second"))
  expect_identical(tail(expect_format_is_print(summary(w)), 4L), tail(lines, 4L))
})

test_that("ordinary accessors work on joint fits", {
  expect_length(fitted(f_t), 200)
  expect_identical(family(f_t)$family, "t4")
  expect_identical(nobs(f_t), 200L)
  expect_equal(df.residual(f_t), 198)
  expect_s3_class(update(f_nb, . ~ . - Lrn), "mleglm_negbin")
  expect_identical(colnames(model.matrix(f_nb)), names(coef(f_nb)))
})
