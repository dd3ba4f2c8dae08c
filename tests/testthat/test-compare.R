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
  expect_match(notes, "the weights do not depend on the coefficients", fixed = TRUE)
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
  expect_match(notes, "For the probit link they differ")
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
