# The response (R/response.R): what it may be (numbers, integers, a factor
# or logical for the binomial, cbind(successes, failures) or proportions
# with weights), and the checks against the family's support, whose
# failures are classed conditions naming the response and its rows. The
# error expectations are those of helper-conditions.R.
#
# Tolerances: coefficients against glm() run with epsilon = 1e-14 within
# 1e-8 relative for canonical links and 1e-6 for the probit (glm's own
# accuracy; 1e-8 against glm restarted from mleglm's estimate); 1e-12
# between response forms that hold the same numbers; integer and double
# responses give identical fits.

# A design and response from heart (303 rows), as in test-errors.R.
X <- cbind("(Intercept)" = 1, age = heart$age)
y <- heart$thalach
n <- nrow(X)
alternate <- function(a, b) rep(c(a, b), length.out = n)
# The 40 simulated rows of test-bad-inputs.R (helper-inputs.R) and their
# design, Xd (X in that file).
d <- bad_input_data()
Xd <- cbind("(Intercept)" = 1, x = d$x)

# ---- numbers, integers, factors, logicals and counts -------------------------------

test_that("character and complex responses are input errors", {
  expect_mleglm_error(fit_matrix(X, as.character(y)), "mleglm_error_input",
                      c("response", "numeric", "character"))
  expect_mleglm_error(fit_matrix(X, as.complex(y)), "mleglm_error_input",
                      c("response", "numeric", "complex"))
  d <- heart
  d$ch <- as.character(d$thalach)
  d$cx <- as.complex(d$thalach)
  expect_mleglm_error(fit(ch ~ age, d), "mleglm_error_input", c("response", "character"))
  expect_mleglm_error(fit(cx ~ age, d), "mleglm_error_input", c("response", "complex"))
})

test_that("a factor response needs the binomial family", {
  d <- heart
  d$sexf <- factor(d$sex)
  expect_mleglm_error(fit(sexf ~ age, d), "mleglm_error_input",
                      c("factor", "binomial", "gaussian"))
  expect_mleglm_error(fit(sexf ~ age, d, family = poisson), "mleglm_error_input",
                      c("factor", "poisson"))
  expect_mleglm_error(fit_matrix(X, factor(heart$sex)), "mleglm_error_input", "factor")
})

test_that("logical, list, NULL and multi-column responses are input errors", {
  expect_classed(fit(I(y > 5) ~ x, d), "mleglm_error_input", c("logical", "binomial"))
  expect_classed(fit(I(y > 5) ~ x, d, family = poisson), "mleglm_error_input",
                 c("logical", "poisson"))
  expect_classed(fit_matrix(Xd, as.list(d$y)), "mleglm_error_input", c("response", "list"))
  expect_classed(fit_matrix(Xd, NULL), "mleglm_error_input", "response")
  expect_classed(fit(~ x, d), "mleglm_error_input", c("`formula`", "response"))
  expect_classed(fit(cbind(k, 3, 2) ~ x, d, family = binomial), "mleglm_error_input",
                 c("two columns", "binomial"))
  expect_classed(fit(cbind(k, 3) ~ x, d), "mleglm_error_input", c("two columns", "binomial"))
  expect_classed(fit_matrix(Xd, cbind(put(d$k, NA), 3), family = binomial),
                 "mleglm_error_domain", c("cbind(successes, failures)", "row 3"))
})

test_that("integer responses are fitted as doubles for every family", {
  # Integer Gaussian and Gamma responses once reached C++ as integers
  # ("Wrong R type for mapped vector").
  di <- transform(d, yi = as.integer(round(y * 10)), gi = as.integer(ceiling(g * 10)))
  for (case in list(list("yi", gaussian()), list("gi", Gamma()), list("gi", inverse.gaussian()),
                    list("k", poisson()))) {
    form <- stats::reformulate("x", case[[1]])
    f <- fit(form, di, family = case[[2]])
    h <- fit(form, transform(di, yi = as.double(yi), gi = as.double(gi), k = as.double(k)),
             family = case[[2]])
    expect_identical(coef(f), coef(h), label = paste(case[[2]]$family, "integer response"))
  }
})

test_that("an integer response fits with every family (the Gaussian start is the response)", {
  expect_true(is.integer(heart$num))
  f <- fit(num ~ age + sex, heart)
  g <- glm_tight(num ~ age + sex, data = heart)
  expect_lt(max_rel_diff(coef(f), coef(g)), 1e-8)
  p <- fit(num ~ age + sex, heart, family = poisson())
  expect_true(p$converged)
})

test_that("the binomial response forms give glm's coefficients", {
  h <- heart
  h$disease <- as.numeric(h$num > 0)
  h$disease_lgl <- h$num > 0
  h$disease_fac <- factor(h$disease, levels = 0:1, labels = c("no", "yes"))
  rhs <- ~ sex + factor(cp) + exang

  forms <- list(disease = h$disease, disease_lgl = h$disease_lgl, disease_fac = h$disease_fac)
  reference <- glm_tight(update(rhs, disease ~ .), data = h, family = binomial)
  for (response in names(forms)) {
    formula <- update(rhs, paste(response, "~ ."))
    f <- fit(formula, h, family = binomial)
    g <- glm_tight(formula, data = h, family = binomial)
    # Logit link, canonical: glm's estimate is accurate, relative 1e-8.
    expect_lt(rel_diff(coef(f), coef(g)), 1e-8, label = paste(response, "vs glm"))
    expect_lt(rel_diff(coef(f), coef(reference)), 1e-8, label = paste(response, "vs 0/1 glm"))
    expect_lt(abs(f$loglik - as.numeric(logLik(g))) / abs(as.numeric(logLik(g))), 1e-8)
  }

  # The same data grouped by covariate pattern: proportions with the numbers
  # of trials as weights, and cbind(successes, failures).
  grouped <- stats::aggregate(cbind(s = disease, n = 1) ~ sex + cp + exang, data = h, FUN = sum)
  grouped$prop <- grouped$s / grouped$n
  grouped$fail <- grouped$n - grouped$s
  f_prop <- fit(prop ~ sex + factor(cp) + exang, grouped, family = binomial, weights = n)
  g_prop <- glm_tight(prop ~ sex + factor(cp) + exang, data = grouped, family = binomial,
                      weights = n)
  f_cbind <- fit(cbind(s, fail) ~ sex + factor(cp) + exang, grouped, family = binomial)
  g_cbind <- glm_tight(cbind(s, fail) ~ sex + factor(cp) + exang, data = grouped,
                       family = binomial)
  # Relative 1e-8 against glm and against the ungrouped fit (same likelihood
  # up to a constant); 1e-12 between the two grouped forms (the same numbers).
  expect_lt(rel_diff(coef(f_prop), coef(g_prop)), 1e-8)
  expect_lt(rel_diff(coef(f_cbind), coef(g_cbind)), 1e-8)
  expect_lt(rel_diff(coef(f_prop), coef(reference)), 1e-8)
  expect_lt(rel_diff(coef(f_cbind), coef(f_prop)), 1e-12)
  expect_lt(abs(f_prop$loglik - as.numeric(logLik(g_prop))) / abs(as.numeric(logLik(g_prop))), 1e-8)
  expect_lt(abs(f_cbind$loglik - as.numeric(logLik(g_cbind))) / abs(as.numeric(logLik(g_cbind))), 1e-8)
  expect_lt(abs(f_cbind$loglik - f_prop$loglik) / abs(f_prop$loglik), 1e-12)
  # SEs as glm() reports them (binomial: dispersion 1, so vcov = expected).
  expect_lt(rel_diff(sqrt(diag(vcov(f_cbind, "expected"))), sqrt(diag(vcov(g_cbind)))), 1e-6)

  # A non-canonical link with the cbind form as well: relative 1e-6 against glm
  # (its own accuracy), 1e-8 against glm restarted from mleglm's estimate.
  f_probit <- fit(cbind(s, fail) ~ sex + factor(cp) + exang, grouped,
                  family = binomial(link = "probit"))
  g_probit <- glm_tight(cbind(s, fail) ~ sex + factor(cp) + exang, data = grouped,
                        family = binomial(link = "probit"))
  g_probit_restart <- glm_tight(cbind(s, fail) ~ sex + factor(cp) + exang, data = grouped,
                                family = binomial(link = "probit"), start = coef(f_probit))
  expect_lt(rel_diff(coef(f_probit), coef(g_probit)), 1e-6)
  expect_lt(rel_diff(coef(f_probit), coef(g_probit_restart)), 1e-8)
})

# ---- finite values inside the family's support -----------------------------------------

test_that("a missing response value in fit_matrix() is an input error", {
  expect_mleglm_error(fit_matrix(X, replace(y, 7, NA)), "mleglm_error_input",
                      c("response", "finite", "row 7"))
  expect_mleglm_error(fit_matrix(X, y[-1]), "mleglm_error_input",
                      c("response", "302", "303"))
})

test_that("non-finite responses are input errors naming the response and the row", {
  expect_classed(fit_matrix(Xd, put(d$y, NaN)), "mleglm_error_input", c("response", "row 3"))
  expect_classed(fit_matrix(Xd, put(d$y, Inf)), "mleglm_error_input", c("response", "row 3"))
  expect_classed(fit_matrix(Xd, put(d$y, -Inf)), "mleglm_error_input", c("response", "row 3"))
  expect_classed(fit(y ~ x, transform(d, y = put(y, Inf))), "mleglm_error_input",
                 c("response", "row 3"))
  expect_classed(fit(k ~ x, transform(d, k = put(k, -Inf)), family = poisson),
                 "mleglm_error_input", c("response", "row 3"))
})

test_that("a response outside the family's support is a domain error", {
  expect_mleglm_error(fit_matrix(X, alternate(0, 2), family = binomial()),
                      "mleglm_error_domain", c("response", "binomial", "between 0 and 1", "rows 2, 4"))
  expect_mleglm_error(fit_matrix(X, alternate(0, -1), family = binomial()),
                      "mleglm_error_domain", c("response", "binomial"))
  expect_mleglm_error(fit_matrix(X, alternate(0, -1), family = poisson()),
                      "mleglm_error_domain", c("response", "poisson", "non-negative"))
  expect_mleglm_error(fit_matrix(X, alternate(0, 1), family = Gamma()),
                      "mleglm_error_domain", c("response", "Gamma", "positive", "rows 1, 3"))
  expect_mleglm_error(fit_matrix(X, alternate(0, 1), family = inverse.gaussian()),
                      "mleglm_error_domain", c("response", "inverse.gaussian", "positive"))
  # Through the formula interface too.
  expect_mleglm_error(fit(num ~ age, heart, family = binomial()),
                      "mleglm_error_domain", "binomial")
  expect_mleglm_error(fit(I(num - 1) ~ age, heart, family = poisson()),
                      "mleglm_error_domain", "poisson")
})

test_that("the response check tells whole numbers of events from others, as glm() would", {
  # Rows (1-based) that are not whole: -0, 2^52 and beyond, and 4 x 0.25
  # successes are whole; 0.5, 1e6 + 0.5 and 4 x 0.3 = 1.2 successes are not
  # (the check allows 1e-7 relative, so 2^52 - 0.5 would pass).
  counts <- c(-0, 0.5, 2^52, 2^60, 1e6 + 0.5, 7)
  got <- mleglm:::cpp_response_problems(counts, rep(1, 6), "poisson")
  expect_identical(got$noninteger$rows, c(2L, 5L))
  expect_identical(got$outside$count, 0L)
  got <- mleglm:::cpp_response_problems(c(0.25, 0.3, 1, -0), c(4, 4, 1, 1), "binomial")
  expect_identical(got$noninteger$rows, 2L)
  got <- mleglm:::cpp_response_problems(c(-2.5, 1, Inf), c(1, 1, 1), "poisson")
  expect_identical(got$outside$rows, 1L)
  expect_identical(got$nonfinite$rows, 3L)
  expect_identical(got$noninteger$count, 0L)
})

test_that("a non-integer poisson response is a domain warning, stored in the fit", {
  expect_warning(m <- fit_matrix(X, alternate(0, 1.5), family = poisson()),
                 class = "mleglm_warning_domain")
  expect_true(m$converged)
  expect_identical(vapply(m$warnings, `[[`, "", "kind"), "domain")
  expect_match(m$warnings[[1]]$message, "poisson response", fixed = TRUE)
  expect_output(print(m), "[domain]", fixed = TRUE)
})

test_that("cbind(successes, failures) must hold non-negative whole counts", {
  expect_mleglm_error(fit_matrix(X, cbind(alternate(1, -1), 3), family = binomial),
                      "mleglm_error_domain", c("cbind(successes, failures)", "non-negative whole counts"))
  expect_mleglm_error(fit_matrix(X, cbind(alternate(1, 1.5), 3), family = binomial),
                      "mleglm_error_domain", "cbind(successes, failures)")
  expect_mleglm_error(fit(cbind(num, num - 4) ~ age, heart, family = binomial),
                      "mleglm_error_domain", "cbind(successes, failures)")
})
