# parameters, performance and insight on mleglm fits against the same
# functions on the equivalent glm() (or MASS::glm.nb()) fits.

easystats_data <- function() {
  transform(heart, sick = num > 0, cp = factor(cp))
}

# glm() converged further than its default (relative change in deviance
# 1e-8), so that its covariance, from the weights of its last iteration,
# agrees with mleglm's to about 1e-10 rather than 1e-7.
tight_glm <- function(formula, family, data) {
  glm(formula, family = family, data = data, control = glm.control(epsilon = 1e-14, maxit = 100))
}

as_plain <- function(x) as.data.frame(x)

# Whether the installed performance checks negative binomial fits by
# simulated residuals (its `residual_type` argument, from 0.11 on).
performance_simulates_negbin <- function() {
  method <- getS3method("check_overdispersion", "negbin", optional = TRUE, envir = asNamespace("performance"))
  "residual_type" %in% names(formals(method))
}

test_that("model_parameters() of binomial and Poisson fits equals glm's", {
  skip_if_not_installed("parameters")
  h <- easystats_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- tight_glm(sick ~ age + sex + cp + thalach, binomial(), h)
  for (args in list(list(ci_method = "wald"), list(ci_method = "wald", exponentiate = TRUE),
                    list(ci = 0.9, ci_method = "wald"))) {
    expect_equal(as_plain(do.call(parameters::model_parameters, c(list(f), args))),
                 as_plain(do.call(parameters::model_parameters, c(list(g), args))),
                 tolerance = 1e-8, ignore_attr = TRUE)
  }
  # Profile intervals: mleglm's own confint(); glm's through MASS interpolate
  # a spline through the profile, which agrees to about 1e-5.
  mp <- parameters::model_parameters(f)
  ci <- confint(f)
  expect_equal(mp$CI_low, unname(ci[, 1L]), tolerance = 1e-10)
  expect_equal(mp$CI_high, unname(ci[, 2L]), tolerance = 1e-10)
  # `ci =` is the level (not taken for `ci_method` by partial matching).
  ci90 <- confint(f, level = 0.9)
  expect_equal(parameters::model_parameters(f, ci = 0.9)$CI_low, unname(ci90[, 1L]), tolerance = 1e-10)
  mg <- parameters::model_parameters(g)
  expect_equal(mp$CI_low, mg$CI_low, tolerance = 1e-4)
  expect_equal(mp[c("Coefficient", "SE", "z", "df_error", "p")], mg[c("Coefficient", "SE", "z", "df_error", "p")],
               tolerance = 1e-8, ignore_attr = TRUE)
  # The footer (a message) names the z distribution, as for glm's binomial fits.
  footer <- utils::capture.output(invisible(utils::capture.output(print(mp))), type = "message")
  expect_match(paste(footer, collapse = " "), "z-distribution")
  expect_equal(as_plain(parameters::standard_error(f)), as_plain(parameters::standard_error(g)), tolerance = 1e-8)
  expect_equal(as_plain(parameters::p_value(f)), as_plain(parameters::p_value(g)), tolerance = 1e-8)
  # parameters 0.20's default is the tests' (z: Inf), later versions' the
  # residual degrees of freedom; glm's fit gets the same from either.
  expect_equal(parameters::degrees_of_freedom(f), parameters::degrees_of_freedom(g))
  expect_identical(parameters::degrees_of_freedom(f, method = "wald"), Inf)
  expect_identical(parameters::degrees_of_freedom(f, method = "residual"), f$df.residual)
  expect_error(parameters::degrees_of_freedom(f, method = 1), class = "mleglm_error_input")
  p <- fit(num ~ age + sex + cp, h, family = poisson())
  q <- tight_glm(num ~ age + sex + cp, poisson(), h)
  expect_equal(as_plain(parameters::model_parameters(p, ci_method = "wald")),
               as_plain(parameters::model_parameters(q, ci_method = "wald")), tolerance = 1e-8, ignore_attr = TRUE)
})

test_that("insight's accessors give glm's answers", {
  skip_if_not_installed("insight")
  h <- easystats_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- tight_glm(sick ~ age + sex + cp + thalach, binomial(), h)
  expect_equal(insight::get_varcov(f), insight::get_varcov(g), tolerance = 1e-8)
  expect_equal(insight::get_statistic(f), insight::get_statistic(g), tolerance = 1e-8, ignore_attr = TRUE)
  expect_identical(attr(insight::get_statistic(f), "statistic"), "z-statistic")
  expect_equal(insight::get_loglikelihood(f), insight::get_loglikelihood(g), tolerance = 1e-10, ignore_attr = TRUE)
  expect_identical(insight::get_df(f), insight::get_df(g))
  expect_identical(insight::get_df(f, type = "wald"), Inf)
  expect_identical(insight::get_df(f, type = "model"), 7L)
  expect_identical(insight::model_info(f), insight::model_info(g))
  expect_equal(insight::get_parameters(f), insight::get_parameters(g), tolerance = 1e-8)
  expect_equal(insight::find_formula(f), insight::find_formula(g))
  # Both warn that the data are not in the workspace (they are local here)
  # and take them from the model frame.
  expect_equal(suppressWarnings(insight::get_data(f)), suppressWarnings(insight::get_data(g)),
               ignore_attr = TRUE)
  expect_error(insight::get_df(f, type = "kenward"), class = "mleglm_error_input")
})

test_that("a covariance asked for by name is the one asked for, as for glm() fits", {
  skip_if_not_installed("insight")
  skip_if_not_installed("sandwich")
  h <- easystats_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- tight_glm(sick ~ age + sex + cp + thalach, binomial(), h)
  for (type in c("HC0", "HC1", "HC3")) {
    expect_equal(insight::get_varcov(f, vcov = type), insight::get_varcov(g, vcov = type), tolerance = 1e-8)
  }
  expect_equal(insight::get_varcov(f, vcov = "vcovHC", vcov_args = list(type = "HC1")),
               sandwich::vcovHC(g, type = "HC1"), tolerance = 1e-8)
  expect_equal(insight::get_varcov(f, vcov = sandwich::vcovHC), sandwich::vcovHC(g), tolerance = 1e-8)
  gauss <- fit(thalach ~ age + sex + cp, h)
  expect_equal(insight::get_varcov(gauss, vcov = "glm"), vcov(glm(thalach ~ age + sex + cp, data = h)),
               tolerance = 1e-8)
  skip_if_not_installed("parameters")
  expect_equal(parameters::model_parameters(f, vcov = "HC1", ci_method = "wald")$SE,
               parameters::model_parameters(g, vcov = "HC1", ci_method = "wald")$SE, tolerance = 1e-8)
  # A negbin fit's sandwich: the coefficients' block of the one over all parameters.
  nb <- fit(num ~ age + sex + cp, h, family = negbin())
  kept <- names(coef(nb))
  expect_equal(insight::get_varcov(nb, vcov = "HC0"), sandwich::vcovHC(nb, type = "HC0")[kept, kept],
               tolerance = 1e-12)
  expect_error(insight::get_varcov(nb, vcov = "HC3"), class = "mleglm_error_unsupported")
})

test_that("model_performance(), r2() and the checks of binomial and Poisson fits equal glm's", {
  skip_if_not_installed("performance")
  h <- easystats_data()
  f <- fit(sick ~ age + sex + cp + thalach, h, family = binomial())
  g <- tight_glm(sick ~ age + sex + cp + thalach, binomial(), h)
  mf <- as_plain(performance::model_performance(f))
  mg <- as_plain(performance::model_performance(g))
  # Sigma: sigma(f) is 1 for the binomial; glm's is sqrt(deviance / df).
  expect_equal(mf[names(mf) != "Sigma"], mg[names(mg) != "Sigma"], tolerance = 1e-8)
  expect_identical(mf$Sigma, 1)
  for (r2 in c("r2", "r2_tjur", "r2_coxsnell", "r2_nagelkerke")) {
    measure <- getExportedValue("performance", r2)
    expect_equal(measure(f), measure(g), tolerance = 1e-8, ignore_attr = TRUE)
  }
  # McFadden's refits the null model by update(), which for glm() would need
  # the data under their name where performance evaluates it: the definition.
  null <- glm(sick ~ 1, family = binomial(), data = h)
  expect_equal(performance::r2_mcfadden(f)$R2,
               1 - as.numeric(logLik(f)) / as.numeric(logLik(null)), tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(as_plain(performance::check_collinearity(f)), as_plain(performance::check_collinearity(g)),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(unclass(performance::check_outliers(f)), unclass(performance::check_outliers(g)),
               tolerance = 1e-6, ignore_attr = TRUE)
  p <- fit(num ~ age + sex + cp, h, family = poisson())
  q <- tight_glm(num ~ age + sex + cp, poisson(), h)
  expect_equal(unclass(performance::check_overdispersion(p)), unclass(performance::check_overdispersion(q)),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(unclass(performance::check_zeroinflation(p)), unclass(performance::check_zeroinflation(q)),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(performance::r2_nagelkerke(p), performance::r2_nagelkerke(q), tolerance = 1e-8, ignore_attr = TRUE)
})

test_that("a Gaussian fit's standard errors differ from glm's by the dispersion, its tests are z tests", {
  skip_if_not_installed("parameters")
  skip_if_not_installed("performance")
  h <- easystats_data()
  f <- fit(thalach ~ age + sex + cp, h)
  g <- glm(thalach ~ age + sex + cp, data = h)
  mf <- parameters::model_parameters(f, ci_method = "wald")
  mg <- parameters::model_parameters(g, ci_method = "wald")
  expect_equal(mf$Coefficient, mg$Coefficient, tolerance = 1e-10)
  expect_equal(mf$SE, mg$SE * sqrt(f$dispersion / f$dispersion_pearson), tolerance = 1e-8)
  expect_equal(mf$p, 2 * stats::pnorm(-abs(mf$z)), tolerance = 1e-10)
  expect_true(all(is.infinite(mf$df_error)))
  pf <- as_plain(performance::model_performance(f))
  pg <- as_plain(performance::model_performance(g))
  expect_equal(pf[c("AIC", "AICc", "BIC", "R2", "RMSE")], pg[c("AIC", "AICc", "BIC", "R2", "RMSE")], tolerance = 1e-8)
  expect_equal(pf$Sigma, sqrt(f$dispersion), tolerance = 1e-10)
  expect_equal(unclass(performance::check_heteroscedasticity(f)), unclass(performance::check_heteroscedasticity(g)),
               tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(unclass(performance::check_normality(f)), unclass(performance::check_normality(g)),
               tolerance = 1e-6, ignore_attr = TRUE)
})

test_that("negbin() and custom-family fits: the coefficients' block of the covariance", {
  skip_if_not_installed("parameters")
  skip_if_not_installed("performance")
  skip_if_not_installed("MASS")
  h <- easystats_data()
  nb <- fit(num ~ age + sex + cp, h, family = negbin())
  mass <- MASS::glm.nb(num ~ age + sex + cp, data = h)
  mp <- parameters::model_parameters(nb, ci_method = "wald")
  kept <- names(coef(nb))
  expect_equal(mp$SE, unname(sqrt(diag(vcov(nb))[kept])), tolerance = 1e-10)
  expect_equal(mp$Coefficient, unname(coef(mass)), tolerance = 1e-6)
  # performance >= 0.11 checks negative binomial fits by simulated residuals
  # unless asked for Pearson's test; 0.10 has Pearson's only.
  pearson <- if (performance_simulates_negbin()) list(residual_type = "normal") else list()
  expect_equal(unclass(do.call(performance::check_overdispersion, c(list(nb), pearson))),
               unclass(do.call(performance::check_overdispersion, c(list(mass), pearson))),
               tolerance = 1e-6, ignore_attr = TRUE)
  pn <- as_plain(performance::model_performance(nb))
  pm <- as_plain(performance::model_performance(mass))
  expect_equal(pn[c("AIC", "BIC", "RMSE")], pm[c("AIC", "BIC", "RMSE")], tolerance = 1e-6)
  t4 <- fit(thalach ~ age + sex, h, family = t4_family())
  mt <- parameters::model_parameters(t4, ci_method = "wald")
  expect_equal(mt$SE, unname(sqrt(diag(vcov(t4))[names(coef(t4))])), tolerance = 1e-10)
  expect_equal(mt$CI_low, unname(confint(t4, method = "wald")[names(coef(t4)), 1L]), tolerance = 1e-8)
})

test_that("a negbin() fit's simulated-residual check without DHARMa is a classed error", {
  skip_if_not_installed("performance")
  skip_if_not(performance_simulates_negbin(), "this performance checks negbin fits by Pearson's test only")
  skip_if(nzchar(system.file(package = "DHARMa")), "DHARMa is installed")
  nb <- fit(num ~ age + sex + cp, easystats_data(), family = negbin())
  expect_error(performance::check_overdispersion(nb), class = "mleglm_error_unsupported")
  expect_error(performance::check_overdispersion(nb, residual_type = "simulated"),
               class = "mleglm_error_unsupported")
})

test_that("a chunked fit gets Wald intervals, and what needs rows is refused", {
  skip_if_not_installed("parameters")
  skip_if_not_installed("performance")
  h <- easystats_data()
  chunked <- fit_chunked(sick ~ age + sex + cp, chunk_function(h, 100), binomial(), progress = FALSE)
  in_memory <- fit(sick ~ age + sex + cp, h, family = binomial())
  mc <- parameters::model_parameters(chunked)
  mm <- parameters::model_parameters(in_memory, ci_method = "wald")
  expect_equal(mc[c("Coefficient", "SE", "CI_low", "CI_high", "p")], mm[c("Coefficient", "SE", "CI_low", "CI_high", "p")],
               tolerance = 1e-6, ignore_attr = TRUE)
  expect_error(performance::model_performance(chunked), class = "mleglm_error_rows_unavailable")
  expect_error(insight::get_varcov(chunked, vcov = "HC1"), class = "mleglm_error_rows_unavailable")
  expect_equal(insight::get_varcov(chunked, vcov = "glm"), vcov(chunked, type = "glm"), tolerance = 1e-12)
  expect_error(performance::check_outliers(chunked), class = "mleglm_error_rows_unavailable")
})
