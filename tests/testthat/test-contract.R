# The contract: every exported function that takes a fit and every S3 method
# the package registers, on every kind of fit, returns a result or signals
# an error of class mleglm_error (saying why it does not apply), never any
# other error. Where a result comes back, the identities and oracles below
# check its numbers.

skip_if_not_installed("MASS")

contract_data <- function() {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  set.seed(11)
  d$cnt <- stats::rnbinom(nrow(d), size = 2, mu = exp(0.5 + 0.02 * (d$age - 50) + 0.3 * d$sex))
  d
}
cd <- contract_data()

# The glm families, each with its glm() equivalent.
glm_specs <- list(
  gaussian = list(thalach ~ age + exang + oldpeak, gaussian()),
  logit = list(hd ~ age + sex + thalach, binomial()),
  probit = list(hd ~ age + sex + thalach, binomial(link = "probit")),
  poisson = list(num ~ age + sex, poisson()),
  Gamma = list(chol ~ age + sex, Gamma(link = "log"))
)

chunk_reader <- function(d, pieces = 3L) {
  parts <- split(d, rep(seq_len(pieces), length.out = nrow(d)))
  i <- 0L
  function(reset = FALSE) {
    if (reset) {
      i <<- 0L
      return(invisible(NULL))
    }
    i <<- i + 1L
    if (i > length(parts)) NULL else parts[[i]]
  }
}

contract_fits <- function() {
  fits <- lapply(glm_specs, function(s) fit(s[[1]], cd, family = s[[2]]))
  fits$negbin <- fit(cnt ~ age + sex + cp, cd, family = negbin())
  fits$custom <- fit(thalach ~ age + exang, cd, family = t4_family())
  fits$chunked_function <- fit_chunked(thalach ~ age + exang + oldpeak, chunk_reader(cd),
                                       progress = FALSE)
  if (requireNamespace("RSQLite", quietly = TRUE) && requireNamespace("DBI", quietly = TRUE)) {
    con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
    DBI::dbWriteTable(con, "heart", cd)
    fits$chunked_sqlite <- fit_chunked(num ~ age + sex, con, poisson(), table = "heart",
                                       chunk_size = 100, progress = FALSE)
    DBI::dbDisconnect(con)
  }
  if (!identical(Sys.getenv("NOT_CRAN"), "true")) return(fits)
  cl <- make_test_cluster(2L)
  on.exit(parallel::stopCluster(cl), add = TRUE)
  shard_data(cl, cd)
  fits$chunked_cluster <- fit_chunked(hd ~ age + sex, cl, binomial(), progress = FALSE)
  fits
}
fits <- contract_fits()

# How each function is called: extra arguments where the defaults are not
# enough to exercise it (newdata, standard errors, profile intervals).
estimate <- function(f) mleglm:::kind_estimate(f)
newdata <- utils::head(cd, 5L)
callers <- list(
  loglik_at = function(f) loglik_at(f, estimate(f)),
  score_at = function(f) score_at(f, estimate(f)),
  information_at = function(f) information_at(f, estimate(f)),
  predict = function(f) {
    list(predict(f), predict(f, newdata, se.fit = TRUE, type = "response"),
         predict(f, newdata, interval = "confidence"))
  },
  confint = function(f) list(confint(f), confint(f, method = "wald"), confint(f, method = "profile")),
  plot = function(f) {
    grDevices::pdf(NULL)
    on.exit(grDevices::dev.off())
    plot(f)
  },
  print = function(f) utils::capture.output(print(f)),
  tidy = function(f) generics::tidy(f, conf.int = TRUE),
  drop1 = function(f) drop1(f, test = "LRT"),
  simulate = function(f) simulate(f, nsim = 2, seed = 1),
  optim_problem = function(f) {
    op <- mleglm:::optim_problem(f)
    op$fn(op$par)
  }
)
# Methods of other packages' generics (registered when those load): the
# generic from its package, and a result of NULL when it is not installed.
registered_info <- getNamespaceInfo("mleglm", "S3methods")
generic_package <- stats::setNames(as.character(registered_info[, 4L]), as.character(registered_info[, 1L]))
generic_package <- generic_package[!is.na(generic_package)]
callers$add1 <- function(f) add1(f, ~ . + chol, test = "LRT")
# emmeans catches recover_data()'s errors and raises its own; the grid's
# data are given, as a chunked fit needs them.
callers$emm_basis <- function(f) summary(emmeans::ref_grid(f, data = cd))
callers$Anova <- function(f) list(car::Anova(f), car::Anova(f, test.statistic = "Wald"))
callers$effSources <- function(f) effects::Effect("age", f)
# marginaleffects' extension methods, through its functions (its
# sanitize_model_specific() is not exported); NULL where it cannot run (too
# old, or on R < 4.4 a backports without `%||%`).
marginaleffects_usable <- function() {
  requireNamespace("marginaleffects", quietly = TRUE) && utils::packageVersion("marginaleffects") >= "1.0.0" &&
    (getRversion() >= "4.4.0" || utils::packageVersion("backports") >= "1.5.0")
}
callers$sanitize_model_specific <- function(f) {
  if (marginaleffects_usable()) list(marginaleffects::avg_slopes(f), marginaleffects::avg_comparisons(f))
}
callers$get_predict <- function(f) if (marginaleffects_usable()) marginaleffects::predictions(f, newdata = newdata)
callers$get_vcov <- function(f) if (marginaleffects_usable()) marginaleffects::get_vcov(f, vcov = "HC0")
callers$get_varcov <- function(f) list(insight::get_varcov(f), insight::get_varcov(f, vcov = "HC0"))
call_function <- function(name, f) {
  if (!is.null(callers[[name]])) {
    pkg <- generic_package[name]
    if (!is.na(pkg) && !requireNamespace(pkg, quietly = TRUE)) return(NULL)
    return(callers[[name]](f))
  }
  if (!is.na(generic_package[name])) {
    if (!requireNamespace(generic_package[[name]], quietly = TRUE)) return(NULL)
    return(getExportedValue(generic_package[[name]], name)(f))
  }
  get(name, envir = asNamespace("mleglm"))(f)
}

fit_classes <- c("mleglm", "mleglm_joint", "mleglm_negbin", "mleglm_custom", "mleglm_chunked")
takes_fit <- function(name) {
  f <- getExportedValue("mleglm", name)
  is.function(f) && identical(names(formals(f))[1L], "object")
}
exported <- Filter(takes_fit, sort(getNamespaceExports("mleglm")))
# Columns as text: a test that registers a method (test-compare.R) leaves a
# function in the table.
registered <- getNamespaceInfo("mleglm", "S3methods")
generic_of <- vapply(registered[, 1L], as.character, "")
class_of <- vapply(registered[, 2L], as.character, "")
methods <- sort(unique(generic_of[class_of %in% fit_classes]))
functions <- unique(c(exported, methods))

test_that("the contract covers the exported functions and registered methods it should", {
  expect_setequal(exported, c("check_derivatives", "compare", "fit_trace", "information_at",
                              "loglik_at", "lr_test_poisson", "score_at"))
  for (m in c("anova", "confint", "predict", "tidy", "glance", "augment", "estfun", "bread",
              "extractAIC", "profile", "hatvalues", "optim_problem")) {
    expect_true(m %in% methods, label = m)
  }
})

results <- list()
test_that("every function gives a result or a classed mleglm_error on every kind of fit", {
  if (requireNamespace("broom", quietly = TRUE)) loadNamespace("broom")
  loadNamespace("sandwich")
  for (kind in names(fits)) {
    for (name in functions) {
      got <- tryCatch(suppressWarnings(suppressMessages(call_function(name, fits[[kind]]))),
                      error = function(e) e)
      refused <- inherits(got, "error")
      classed <- !refused || inherits(got, "mleglm_error")
      expect(classed, sprintf("%s() on the %s fit raised an unclassed error: %s", name, kind,
                              if (refused) conditionMessage(got) else ""))
      if (refused && classed) {
        # The refusal says why: it names the thing that does not apply.
        expect(nchar(conditionMessage(got)) > 20L,
               sprintf("%s() on the %s fit refused without a reason", name, kind))
      }
      results[[kind]][[name]] <<- if (refused) got else got
    }
  }
  # What is refused is refused for a reason of the kind's own.
  expect_s3_class(results$chunked_function$loglik_at, "mleglm_error_rows_unavailable")
  expect_s3_class(results$custom$hatvalues, "mleglm_error_unsupported")
  expect_s3_class(results$custom$estfun, "mleglm_error_unsupported")
  expect_false(inherits(results$negbin$hatvalues, "error"))
  expect_false(inherits(results$negbin$compare, "error"))
})

ok <- function(kind, name) !is.null(results[[kind]][[name]]) && !inherits(results[[kind]][[name]], "error")

test_that("the likelihood functions reproduce the fit at its estimate (1e-10)", {
  for (kind in names(fits)) {
    f <- fits[[kind]]
    if (!ok(kind, "loglik_at")) next
    expect_equal(results[[kind]]$loglik_at, as.numeric(logLik(f)), tolerance = 1e-10, label = kind)
    expect_equal(unname(results[[kind]]$information_at), unname(as.matrix(f$information$observed)),
                 tolerance = 1e-10, label = kind)
    expect_lt(max(abs(results[[kind]]$score_at)), 1e-4)
  }
  expect_true(ok("negbin", "loglik_at") && ok("custom", "loglik_at") && ok("Gamma", "loglik_at"))
})

test_that("glm families: influence, predictions, AIC and tidiers equal glm()'s (1e-6)", {
  for (kind in names(glm_specs)) {
    s <- glm_specs[[kind]]
    g <- glm_tight(s[[1]], data = cd, family = s[[2]])
    f <- fits[[kind]]
    expect_equal(unname(results[[kind]]$hatvalues), unname(hatvalues(g)), tolerance = 1e-6, label = kind)
    expect_equal(unname(results[[kind]]$cooks.distance), unname(cooks.distance(g)), tolerance = 1e-6)
    expect_equal(unname(results[[kind]]$rstandard), unname(rstandard(g)), tolerance = 1e-6)
    expect_equal(unname(predict(f, newdata, se.fit = TRUE, vcov = "glm")$se.fit),
                 unname(predict(g, newdata, se.fit = TRUE)$se.fit), tolerance = 1e-6)
    expect_equal(results[[kind]]$glance$null.deviance, g$null.deviance, tolerance = 1e-6)
    # glm's AIC is at the ML dispersion except for the Gamma family, where it
    # uses D / n: mleglm's, at the maximum, is lower.
    if (kind == "Gamma") {
      expect_lt(results[[kind]]$extractAIC[2], extractAIC(g)[2])
      expect_equal(results[[kind]]$extractAIC[2], -2 * f$loglik + 2 * 3 + 2, tolerance = 1e-12)
    } else {
      expect_equal(results[[kind]]$extractAIC, extractAIC(g), tolerance = 1e-6, label = kind)
    }
  }
  g <- glm_tight(hd ~ age + sex + thalach, data = cd, family = binomial())
  expect_equal(unname(sandwich::sandwich(fits$logit)), unname(sandwich::sandwich(g)), tolerance = 1e-6)
})

test_that("negbin: influence, predictions, glance and AIC equal MASS::glm.nb's (1e-6)", {
  m <- MASS::glm.nb(cnt ~ age + sex + cp, cd)
  m <- MASS::glm.nb(cnt ~ age + sex + cp, cd, init.theta = m$theta,
                    control = glm.control(epsilon = 1e-14, maxit = 100))
  f <- fits$negbin
  expect_equal(unname(results$negbin$hatvalues), unname(hatvalues(m)), tolerance = 1e-6)
  expect_equal(unname(results$negbin$cooks.distance), unname(cooks.distance(m)), tolerance = 1e-6)
  expect_equal(unname(results$negbin$rstandard), unname(rstandard(m)), tolerance = 1e-6)
  expect_equal(unname(predict(f, newdata, se.fit = TRUE, vcov = "glm")$se.fit),
               unname(predict(m, newdata, se.fit = TRUE)$se.fit), tolerance = 1e-6)
  expect_equal(results$negbin$glance$null.deviance, m$null.deviance, tolerance = 1e-6)
  expect_equal(results$negbin$glance$AIC, AIC(m), tolerance = 1e-8)
  # theta counts: one more parameter than glm.nb's extractAIC() counts.
  expect_equal(results$negbin$extractAIC, extractAIC(m) + c(1, 2), tolerance = 1e-8)
  expect_equal(results$negbin$compare$estimates$glm, results$negbin$compare$estimates$mleglm,
               tolerance = 1e-6)
  # estfun: the per-row scores sum to the score, zero at the estimate.
  expect_lt(max(abs(colSums(results$negbin$estfun))), 1e-6)
})

test_that("custom: compare() says there is no glm equivalent and optim agrees (1e-4)", {
  cmp <- results$custom$compare
  expect_identical(names(cmp$estimates), c("mleglm", "optim"))
  expect_match(paste(cmp$notes, collapse = " "), "no glm equivalent")
  expect_lte(cmp$summary["optim", "loglik"], fits$custom$loglik + 1e-9)
  expect_lt(cmp$differences["optim", "coef_se"], 0.5)
})
