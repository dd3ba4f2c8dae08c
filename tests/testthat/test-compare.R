# compare(): the three fits side by side and the explanations.

test_that("the heart example reproduces the tutorial's table", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  cmp <- compare(f)
  expect_s3_class(cmp, "mleglm_compare")
  expect_identical(names(cmp$estimates), c("mleglm", "glm", "optim"))
  # The tutorial prints four decimals; every fitter gives its numbers.
  tutorial_coef <- c(203.3660, -0.8298, -14.2542, -3.7805)
  tutorial_se <- c(6.7011, 0.1238, 2.4357, 1.0024)
  for (k in c("mleglm", "glm", "optim")) {
    expect_equal(round(cmp$estimates[[k]], 4), tutorial_coef)
  }
  # optim()'s numbers depend on the floating-point path of its iterations
  # (valgrind's emulation changes the fourth decimal): 1e-4 relative.
  expect_equal(cmp$std_errors$optim, tutorial_se, tolerance = 1e-4)
  expect_equal(round(cmp$std_errors$mleglm, 4), c(6.7012, 0.1238, 2.4357, 1.0024))
  expect_equal(round(cmp$std_errors$glm, 4), c(6.7458, 0.1247, 2.4519, 1.0091))
  expect_equal(cmp$summary["optim", "dispersion"], 362.1373, tolerance = 1e-5)
  expect_equal(round(cmp$summary$loglik, 2), rep(-1322.58, 3))
  expect_equal(cmp$summary$AIC, rep(2655.16, 3), tolerance = 1e-6)
  # glm's standard errors are larger by exactly sqrt(n / (n - p)).
  expect_equal(cmp$std_errors$glm / cmp$std_errors$mleglm, rep(sqrt(303 / 299), 4), tolerance = 1e-10)
  expect_lt(cmp$differences["optim", "se_rel"], 1e-4)
  out <- capture.output(print(cmp))
  expect_true(any(grepl("sqrt(303 / 299)", out, fixed = TRUE)))
  expect_true(any(grepl("203.3660", out, fixed = TRUE)))
  expect_true(any(grepl("Why they differ", out, fixed = TRUE)))
  notes <- paste(cmp$notes, collapse = " ")
  expect_match(notes, "glm's standard errors are therefore larger by sqrt(366.9819 / 362.1373) = 1.006667",
               fixed = TRUE)
  expect_match(notes, "the working weights w mu'(eta)^2 / V(mu) are w whatever the coefficients", fixed = TRUE)
  expect_match(notes, "finite differences of the objective", fixed = TRUE)
  # The tables (four decimals) are stable; the differences, the notes and
  # optim's evaluation counts depend on the platform's arithmetic, and under
  # valgrind's emulation optim's fourth decimal too.
  skip_if(identical(Sys.getenv("MLEGLM_VALGRIND"), "true"), "optim's digits differ under valgrind")
  expect_snapshot(print(cmp), transform = function(lines) {
    lines <- lines[seq_len(grep("Largest differences", lines)[1L] - 1L)]
    gsub("[0-9]+ fn, [0-9]+ gr", "<n> fn, <n> gr", lines)
  })
})

test_that("format() of compare() is the lines print() writes, digits and width honoured", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  cmp <- compare(f)
  lines <- expect_format_is_print(cmp)
  expect_identical(lines[1:4], c(
    "",
    "The same model fitted three ways: gaussian family, identity link, n = 303, p = 4",
    "  fit(formula = thalach ~ age + exang + oldpeak, data = heart)",
    ""))
  two <- expect_format_is_print(cmp, digits = 2)
  expect_identical(two[5:7], c("Estimates:", "            mleglm    glm  optim", "(Intercept) 203.37 203.37 203.37"))
  expect_identical(two[-(5:17)], lines[-(5:17)])
  # Each explanation is a bullet wrapped to the width, one element a line.
  why <- lines[(match("Why they differ:", lines) + 1L):length(lines)]
  expect_identical(sum(startsWith(why, "* ")), length(cmp$notes))
  expect_true(all(startsWith(why, "* ") | startsWith(why, "  ")))
  expect_true(all(nchar(why) <= getOption("width")))
  old <- options(width = 50)
  narrow <- format(cmp)
  narrow_printed <- utils::capture.output(print(cmp))
  options(old)
  expect_identical(narrow, narrow_printed)
  expect_gt(length(narrow), length(lines))
  # A joint fit names its extra parameter; a fit without glm() says so.
  t4 <- fit(y ~ x, outlier_data(), family = t4_family())
  lines <- expect_format_is_print(compare(t4))
  expect_match(lines[2L], "fitted two ways", fixed = TRUE)
  expect_true(any(grepl("^          sigma ", lines)))
})

test_that("a probit fit explains observed against expected information", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  f <- fit(hd ~ age + sex + thalach, d, family = binomial(link = "probit"))
  cmp <- compare(f)
  notes <- paste(cmp$notes, collapse = " ")
  expect_identical(cmp$claims$information$claim, "differ")
  expect_match(notes, "The probit link is not the binomial family's canonical link", fixed = TRUE)
  expect_match(notes, "fixes it at 1")
  g <- glm(hd ~ age + sex + thalach, data = d, family = binomial(link = "probit"))
  expect_equal(cmp$std_errors$glm, unname(sqrt(diag(vcov(g)))), tolerance = 1e-10)
  expect_equal(cmp$summary["glm", "loglik"], as.numeric(logLik(g)), tolerance = 1e-10)
  # optim maximises the same likelihood: never above mleglm's maximum.
  expect_lte(cmp$summary["optim", "loglik"], f$loglik + 1e-10)
})

test_that("Gamma: glm's log-likelihood is not the maximum, and the note says so", {
  f <- fit(chol ~ age + sex, heart, family = Gamma(link = "log"))
  cmp <- compare(f)
  expect_gt(f$loglik, cmp$summary["glm", "loglik"])
  expect_match(paste(cmp$notes, collapse = " "), "dispersion D / n")
  # optim's objective at mleglm's estimate and dispersion is minus its
  # log-likelihood: the same likelihood as the C++ core.
  problem <- mleglm:::optim_problem(f)
  expect_equal(problem$fn(c(coef(f), log(f$dispersion))), -f$loglik, tolerance = 1e-12)
})

test_that("optim_problem's objectives equal the C++ log-likelihood for every family", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  d$w <- rep(1:3, length.out = nrow(d))
  fits <- list(
    fit(thalach ~ age + sex, d, weights = w),
    fit(hd ~ age + sex, d, family = binomial(link = "cloglog"), weights = w),
    fit(num ~ age + sex, d, family = poisson(), weights = w),
    fit(chol ~ age, d, family = Gamma(), weights = w),
    fit(chol ~ age, d, family = inverse.gaussian(link = "log"), weights = w))
  for (f in fits) {
    problem <- mleglm:::optim_problem(f)
    par <- coef(f)
    if (length(problem$par) > length(par)) par <- c(par, log(f$dispersion))
    expect_equal(problem$fn(par), -f$loglik, tolerance = 1e-12, label = f$family$family)
    expect_identical(problem$fn(replace(par, 1, 1e6)) > -f$loglik, TRUE)
  }
})

test_that("compare() without optim_problem, and with a failing optim, still explains", {
  f <- fit(num ~ age + sex, heart, family = poisson())
  class(f) <- c("unknown_fit", class(f))
  optim_problem.unknown_fit <- function(object, ...) NULL
  registerS3method("optim_problem", "unknown_fit", optim_problem.unknown_fit,
                   envir = asNamespace("mleglm"))
  cmp <- compare(f)
  expect_identical(names(cmp$estimates), c("mleglm", "glm"))
  expect_match(paste(cmp$notes, collapse = " "), "No negative log-likelihood")
  expect_error(compare(glm(num ~ age, data = heart)), class = "mleglm_error_input")
  expect_error(compare(f, optim_control = 1), class = "mleglm_error_input")
  cmp <- compare(fit(num ~ age + sex, heart, family = poisson()), optim_control = list(ndeps = 1:2))
  expect_match(paste(cmp$notes, collapse = " "), "BFGS failed")
})

# ---- the claims of the explanations, checked against the numbers ------------------

# The largest difference of observed and expected information, relative to
# sqrt(I_ii I_jj), from the information evaluated afresh at the estimate.
information_gap <- function(f) {
  b <- coef(f, complete = FALSE)
  o <- information_at(f, b, type = "observed")
  e <- information_at(f, b, type = "expected")
  k <- seq_along(b)
  s <- sqrt(diag(e))
  max(abs(o - e)[k, , drop = FALSE] / outer(s, s)[k, , drop = FALSE])
}

test_that("InsectSprays, sqrt link: observed = expected by the saturated design, not by the link", {
  f <- fit(count ~ spray, InsectSprays, family = poisson(link = "sqrt"))
  cmp <- compare(f)
  info <- cmp$claims$information
  expect_identical(info$claim, "equal_saturated")
  expect_false(info$canonical)
  expect_identical(c(info$patterns, info$rank), c(6L, 6L))
  expect_lte(information_gap(f), info$tolerance)
  # glm's standard errors (expected information) equal mleglm's observed
  # ones: the equality the note explains (1e-8).
  g <- glm_tight(count ~ spray, data = InsectSprays, family = poisson(link = "sqrt"))
  expect_equal(unname(sqrt(diag(vcov(f)))), unname(sqrt(diag(vcov(g)))), tolerance = 1e-8)
  # The residuals sum to zero within each spray (the score equations).
  r <- rowsum(InsectSprays$count - fitted(f), InsectSprays$spray)
  expect_lt(max(abs(r)), 1e-8)
  expect_lte(info$pattern_residual, max(abs(r)) + 1e-8)
  text <- cmp$notes[["information"]]
  expect_match(text, "saturated", fixed = TRUE)
  expect_match(text, "not the poisson family's canonical link", fixed = TRUE)
  expect_false(grepl("does not involve the response", text, fixed = TRUE))
  # optim started where mleglm's start is, which is not the estimate.
  start <- cmp$claims$optim_start
  expect_identical(start$claim, "tolerance")
  se <- sqrt(diag(vcov(f)))
  expect_equal(start$start_se, max(abs(f$start - coef(f)) / se), tolerance = 1e-10)
  expect_gt(start$start_se, 0.1)
  expect_false(any(grepl("dispersion had to move", cmp$notes, fixed = TRUE)))
  expect_false(any(grepl("already solve", cmp$notes, fixed = TRUE)))
  # The iterations are those of the trace and of glm().
  stop_note <- cmp$notes[["stopping"]]
  expect_identical(cmp$claims$stopping$iterations, nrow(f$trace) - 1L)
  expect_match(stop_note, sprintf("mleglm took %d newton iterations", nrow(f$trace) - 1L), fixed = TRUE)
  expect_match(stop_note, sprintf("glm() took %d IRLS iterations", cmp$glm$iter), fixed = TRUE)
  expect_match(stop_note, sprintf("objective %d times", cmp$optim$counts[["function"]]), fixed = TRUE)
  expect_identical(names(cmp$claims), names(cmp$notes))
})

test_that("warpbreaks, sqrt link: observed and expected differ, and the note says by how much", {
  f <- fit(breaks ~ wool + tension, warpbreaks, family = poisson(link = "sqrt"))
  cmp <- compare(f)
  info <- cmp$claims$information
  expect_identical(info$claim, "differ")
  expect_false(info$saturated)
  gap <- information_gap(f)
  expect_gt(gap, info$tolerance)
  expect_equal(info$max_rel_diff, gap, tolerance = 1e-8)
  # glm's standard errors are the expected information's: 0.016 apart (1e-3).
  g <- glm_tight(breaks ~ wool + tension, data = warpbreaks, family = poisson(link = "sqrt"))
  se_gap <- max(abs(sqrt(diag(vcov(g))) / sqrt(diag(vcov(f))) - 1))
  expect_equal(info$se_rel, se_gap, tolerance = 1e-3)
  expect_equal(round(info$se_rel, 3), 0.016)
  text <- cmp$notes[["information"]]
  expect_false(grepl("agree", text, fixed = TRUE))
  expect_match(text, format(info$se_rel, digits = 2), fixed = TRUE)
  # The extra term accounts for the whole difference: the numerical Hessian
  # of the log-likelihood (numDeriv, 1e-6 of the entries' scale) is minus
  # (expected information - K).
  skip_if_not_installed("numDeriv")
  h <- numDeriv::hessian(function(b) loglik_at(f, b), coef(f))
  e <- f$information$expected
  s <- sqrt(diag(e))
  expect_lt(max(abs(-h - f$information$observed) / outer(s, s)), 1e-6)
  expect_lt(info$unexplained, 1e-12)
  expect_equal(info$extra_term, gap, tolerance = 1e-6)
})

exact_sqrt_data <- function() {
  d <- expand.grid(r = 0:1, c = 0:2)
  d$y <- (2 + d$r + d$c)^2
  d$c <- factor(d$c)
  rbind(d, d)
}

test_that("every information claim matches the matrices: canonical, saturated, neither, joint", {
  skip_if_not_installed("MASS")
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  d$cpf <- factor(d$cp)
  cases <- list(
    list(fit(num ~ age + sex, d, family = poisson()), "equal_canonical"),
    list(fit(hd ~ age + thalach, d, family = binomial()), "equal_canonical"),
    list(fit(chol ~ age, d, family = Gamma()), "equal_canonical"),
    list(fit(hd ~ cpf, d, family = binomial(link = "probit")), "equal_saturated"),
    list(fit(chol ~ cpf * sex, d, family = Gamma(link = "log")), "equal_saturated"),
    list(fit(chol ~ age + sex, d, family = Gamma(link = "log")), "differ"),
    list(fit(thalach ~ age, d, family = gaussian(link = "log")), "differ"),
    list(fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin()), "differ"),
    list(fit(Days ~ Eth * Sex, MASS::quine, family = negbin()), "equal_saturated"),
    # Counts the additive model on the sqrt scale fits exactly: 6 patterns,
    # 4 coefficients, and residuals of zero.
    list(fit(y ~ r + c, exact_sqrt_data(), family = poisson(link = "sqrt")), "equal_residuals"))
  for (case in cases) {
    f <- case[[1]]
    label <- paste(f$family$family, f$family$link, deparse(formula(f)))
    info <- compare(f)$claims$information
    expect_identical(info$claim, case[[2]], label = label)
    gap <- information_gap(f)
    if (startsWith(info$claim, "equal")) {
      expect_lte(gap, info$tolerance)
    } else {
      expect_gt(gap, info$tolerance)
    }
    # The canonical links of stats' families.
    canonical <- paste(f$family$family, f$family$link) %in%
      c("gaussian identity", "binomial logit", "poisson log", "Gamma inverse", "inverse.gaussian 1/mu^2")
    expect_identical(info$canonical, canonical, label = label)
    x <- unique(cbind(model.matrix(f), f$offset))
    expect_identical(info$saturated, nrow(x) == f$rank, label = label)
  }
})

test_that("a custom family has no expected information, and the note says so", {
  f <- fit(y ~ x, outlier_data(), family = t4_family())
  cmp <- compare(f)
  expect_identical(cmp$claims$information$claim, "no_expected")
  expect_identical(cmp$claims$glm$claim, "absent")
  expect_error(information_at(f, coef(f), type = "expected"), class = "mleglm_error_unsupported")
  expect_identical(cmp$claims$optim_start$claim, "tolerance")
  expect_equal(cmp$claims$optim_start$start_se,
               max(abs(f$start - f$par) / sqrt(diag(vcov(f)))), tolerance = 1e-10)
})

test_that("negbin: glm.nb's alternations, the same maximum, optim from the Poisson start", {
  skip_if_not_installed("MASS")
  f <- fit(Days ~ Eth + Sex + Age + Lrn, MASS::quine, family = negbin())
  cmp <- compare(f)
  m <- MASS::glm.nb(Days ~ Eth + Sex + Age + Lrn, MASS::quine)
  expect_identical(cmp$claims$estimation$claim, "same_maximum")
  expect_lt(abs(as.numeric(logLik(m)) - f$loglik), 1e-6)
  # glm.nb's standard errors are those of the expected information (1e-6).
  se_expected <- sqrt(diag(vcov(f, type = "expected")))[1:7]
  expect_equal(unname(sqrt(diag(vcov(m)))), unname(se_expected), tolerance = 1e-6)
  expect_lt(cmp$claims$std_errors$se_rel, 1e-6)
  expect_gte(cmp$claims$stopping$iterations, 1L)
  start <- cmp$claims$optim_start
  expect_equal(start$start_se, max(abs(f$start - f$par) / sqrt(diag(vcov(f)))), tolerance = 1e-10)
  expect_true(start$analytic_gradient)
  expect_match(cmp$notes[["stopping"]], "alternation", fixed = TRUE)
  expect_match(cmp$notes[["optim_start"]], "the Poisson fit", fixed = TRUE)
})

test_that("the Gaussian with identity link: no step needed, optim moves the dispersion only", {
  f <- fit(thalach ~ age + exang + oldpeak, heart)
  cmp <- compare(f)
  expect_identical(f$iterations, 0L)
  expect_identical(cmp$claims$stopping$claim, "start_solves")
  expect_lte(cmp$claims$stopping$decrement, f$control$tol)
  expect_identical(cmp$claims$information$claim, "equal_canonical")
  expect_identical(cmp$claims$glm$claim, "constant_weights")
  start <- cmp$claims$optim_start
  expect_identical(start$claim, "start_at_estimate")
  expect_lt(max(abs(f$start - coef(f)) / sqrt(diag(vcov(f)))), 1e-8)
  expect_equal(start$dispersion_start, var(heart$thalach), tolerance = 1e-12)
  expect_match(cmp$notes[["optim_start"]], "only the dispersion", fixed = TRUE)
  # A Poisson fit never says a dispersion moved; a Gamma fit's glm note
  # speaks of the dispersion glm's logLik() uses (D / n).
  g <- fit(chol ~ age + sex, heart, family = Gamma(link = "log"))
  cg <- compare(g)
  expect_identical(cg$claims$loglik$claim, "gamma_dispersion")
  expect_equal(cg$claims$loglik$dispersion_glm, deviance(g) / 303, tolerance = 1e-8)
  expect_identical(cg$claims$glm$claim, "constant_weights")
  expect_identical(cg$claims$stopping$claim, "converged")
  expect_false(grepl("start, one weighted least-squares fit", cg$notes[["stopping"]], fixed = TRUE))
})

test_that("the tables behind the claims: h' and the constant working weights", {
  # h'(eta) = d/deta [mu'(eta) / V(mu)] against central differences (1e-6),
  # and constant working weights exactly where the table says, for every
  # supported family and link.
  links <- mleglm:::supported_links()
  for (fam_name in names(links)) for (link in links[[fam_name]]) {
    fam <- get(fam_name, envir = asNamespace("stats"))(link = link)
    mu <- switch(fam_name, binomial = c(0.2, 0.5, 0.7), c(0.5, 2, 5))
    eta <- fam$linkfun(mu)
    h <- function(e) fam$mu.eta(e) / fam$variance(fam$linkinv(e))
    step <- 1e-5 * pmax(abs(eta), 1)
    numeric <- (h(eta + step) - h(eta - step)) / (2 * step)
    analytic <- mleglm:::weight_slope(fam, eta, mu)
    expect_equal(analytic, numeric, tolerance = 1e-6, label = paste(fam_name, link))
    wt <- function(e) fam$mu.eta(e)^2 / fam$variance(fam$linkinv(e))
    constant <- max(abs(wt(eta) / wt(eta[1]) - 1)) < 1e-12
    expect_identical(mleglm:::constant_working_weights(fam), constant, label = paste(fam_name, link))
  }
  nb <- mleglm:::negbin_family("log", 2)
  mu <- c(0.5, 3)
  h <- function(e) nb$mu.eta(e) / nb$variance(exp(e))
  expect_equal(mleglm:::weight_slope(nb, log(mu), mu),
               (h(log(mu) + 1e-5) - h(log(mu) - 1e-5)) / 2e-5, tolerance = 1e-6)
})

test_that("optim's finite-difference steps outside the domain: no leaked warning, a note that says why", {
  # The inverse Gaussian's coefficients on heart are of order 1e-5, and
  # optim's default steps of 0.001 take eta below zero, where the 1/mu^2
  # link's mean is not defined.
  f <- fit(chol ~ age + sex, heart, family = inverse.gaussian())
  expect_no_warning(cmp <- compare(f))
  claim <- cmp$claims$optim
  expect_identical(claim$claim, "failed")
  problem <- mleglm:::optim_problem(f)
  nll <- function(p) suppressWarnings(problem$fn(p))
  # The claim, checked: a step of 0.001 in each named parameter is non-finite.
  expect_true(length(claim$off) > 0L)
  for (name in claim$off) {
    up <- problem$start
    up[[name]] <- up[[name]] + 1e-3
    down <- problem$start
    down[[name]] <- down[[name]] - 1e-3
    expect_false(is.finite(nll(up)) && is.finite(nll(down)), label = name)
  }
  expect_equal(claim$scale, max(abs(coef(f, complete = FALSE))), tolerance = 0.2)
  expect_match(cmp$notes[["optim"]], "non-finite (there the 1/mu^2 link gives no valid mean", fixed = TRUE)
  # The claim: at the start minus 0.001 in the intercept, eta <= 0 on some rows.
  up <- problem$start
  up[[1]] <- up[[1]] - 1e-3
  eta <- drop(model.matrix(f) %*% up[1:3])
  expect_true(any(eta <= 0))
  # The remedy the note gives works, and optim then agrees with mleglm (5e-4 relative).
  cmp <- compare(f, optim_control = list(ndeps = 1e-3 * abs(problem$start)))
  expect_true("optim" %in% names(cmp$estimates))
  expect_lt(max(abs(cmp$estimates$optim / cmp$estimates$mleglm - 1)), 5e-4)
  expect_match(cmp$notes[["optim_hessian"]], "one per parameter", fixed = TRUE)
  # The printed estimates show the small coefficients, not 0.0000.
  out <- format(cmp)
  expect_false(any(grepl("0.0000", out, fixed = TRUE)))
  expect_true(any(grepl(formatC(coef(f)[["age"]], digits = 4, format = "g", flag = "#"), out, fixed = TRUE)))
})

test_that("distances in standard errors read in the singular at 1", {
  cmp <- compare(fit(breaks ~ wool + tension, warpbreaks, family = poisson(link = "sqrt")))
  text <- paste(cmp$notes, collapse = " ")
  expect_false(grepl("\\b1 standard errors", text))
  start_se <- cmp$claims$optim_start$start_se
  expect_identical(format(start_se, digits = 2), "1")
  expect_match(cmp$notes[["optim_start"]], "1 standard error from the estimate", fixed = TRUE)
})

test_that("a custom family's gradient is called analytic only where dmu (and dphi) are given", {
  t4 <- custom_family("t4", function(y, mu, phi) stats::dt((y - mu) / phi, df = 4, log = TRUE) - log(phi),
                      phi = 10, phi_name = "sigma")
  cmp <- compare(fit(thalach ~ age + exang + oldpeak, heart, family = t4))
  text <- paste(cmp$notes, collapse = " ")
  expect_false(grepl("analytic", text, fixed = TRUE))
  expect_match(cmp$notes[["stopping"]], "by central differences of the log-density", fixed = TRUE)
  expect_identical(cmp$claims$optim_start$score_kind, "numerical")
  pois <- custom_family("my Poisson", function(y, mu, phi) stats::dpois(y, mu, log = TRUE),
                        link = "log", dmu = function(y, mu, phi) y / mu - 1,
                        d2mu = function(y, mu, phi) -y / mu^2)
  cmp <- compare(fit(num ~ age + sex, heart, family = pois))
  expect_match(cmp$notes[["stopping"]], "its analytic gradient", fixed = TRUE)
  expect_match(cmp$notes[["optim_hessian"]], "the analytic observed information's", fixed = TRUE)
  # The gradient handed to optim() is the objective's, by numDeriv (1e-7).
  skip_if_not_installed("numDeriv")
  problem <- mleglm:::optim_problem(fit(num ~ age + sex, heart, family = pois))
  b <- problem$par * 1.01
  expect_equal(unname(problem$gr(b)), numDeriv::grad(problem$fn, b), tolerance = 1e-7)
})

test_that("a custom fit's optim start is described as what it is", {
  t4 <- custom_family("t4", function(y, mu, phi) stats::dt((y - mu) / phi, df = 4, log = TRUE) - log(phi),
                      phi = 10, phi_name = "sigma")
  f <- fit(thalach ~ age + exang + oldpeak, heart, family = t4)
  cmp <- compare(f)
  expect_match(cmp$notes[["optim_start"]],
               "a least-squares fit of the linked starting means, and sigma = 10 as given", fixed = TRUE)
  # The claim: identity link, starting means y, so least squares of y; log(10).
  start <- mleglm:::optim_problem(f)$start
  expect_equal(unname(start[1:4]), unname(coef(lm.fit(model.matrix(f), heart$thalach))), tolerance = 1e-10)
  expect_equal(unname(start[[5]]), log(10), tolerance = 1e-14)
})
