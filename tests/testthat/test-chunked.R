# fit_chunked() against fit() on the same rows: chunk function, SQLite, and a
# local two-worker cluster, over four families with a factor.

chunked_data <- function(n = 1200) {
  set.seed(42)
  d <- data.frame(x1 = rnorm(n), x2 = runif(n),
                  g = sample(c("a", "b", "c"), n, replace = TRUE), stringsAsFactors = FALSE)
  eta <- 0.3 + 0.5 * d$x1 - 0.4 * d$x2 + c(a = 0, b = 0.3, c = -0.2)[d$g]
  d$yb <- rbinom(n, 1, stats::plogis(eta))
  d$yp <- rpois(n, exp(eta))
  d$yg <- eta + rnorm(n)
  d$ygam <- rgamma(n, shape = 2, rate = 2 / exp(eta))
  d$w <- rep(c(1, 2), length.out = n)
  d
}

chunked_models <- list(
  binomial = list(yb ~ x1 + x2 + g, binomial()),
  poisson = list(yp ~ x1 + x2 + g, poisson()),
  gaussian = list(yg ~ x1 + x2 + g, gaussian()),
  Gamma = list(ygam ~ x1 + x2 + g, Gamma(link = "log"))
)

expect_same_fit <- function(chunked, memory, tol = 1e-10) {
  rel <- function(a, b) max(abs(a - b) / pmax(abs(b), 1e-300))
  expect_s3_class(chunked, c("mleglm_chunked", "mleglm"))
  expect_lt(rel(coef(chunked), coef(memory)), tol)
  expect_lt(rel(sqrt(diag(vcov(chunked))), sqrt(diag(vcov(memory)))), tol)
  expect_lt(rel(sqrt(diag(vcov(chunked, type = "glm"))), sqrt(diag(vcov(memory, type = "glm")))), tol)
  expect_lt(rel(as.numeric(logLik(chunked)), as.numeric(logLik(memory))), tol)
  expect_lt(rel(AIC(chunked), AIC(memory)), tol)
  expect_equal(attr(logLik(chunked), "df"), attr(logLik(memory), "df"))
  expect_equal(nobs(chunked), nobs(memory))
  expect_equal(chunked$converged, memory$converged)
  expect_equal(chunked$iterations, memory$iterations)
}

test_that("a chunk function gives the in-memory fit for four families", {
  d <- chunked_data()
  for (m in chunked_models) {
    memory <- fit(m[[1]], d, m[[2]])
    chunked <- fit_chunked(m[[1]], chunk_function(d, 250), m[[2]], progress = FALSE)
    expect_same_fit(chunked, memory)
  }
  # weights and Fisher scoring on a non-canonical link
  memory <- fit(yb ~ x1 + g, d, binomial("probit"), weights = w, method = "fisher")
  chunked <- fit_chunked(yb ~ x1 + g, chunk_function(d, 300), binomial("probit"), weights = w,
                         method = "fisher", progress = FALSE)
  expect_same_fit(chunked, memory)
})

test_that("an SQLite table or query gives the in-memory fit", {
  skip_if_not_installed("RSQLite")
  d <- chunked_data()
  path <- tempfile(fileext = ".sqlite")
  con <- DBI::dbConnect(RSQLite::SQLite(), path)
  on.exit({
    DBI::dbDisconnect(con)
    unlink(path)
  }, add = TRUE)
  DBI::dbWriteTable(con, "rows", d)
  for (m in chunked_models) {
    memory <- fit(m[[1]], d, m[[2]])
    chunked <- fit_chunked(m[[1]], con, m[[2]], table = "rows", chunk_size = 400, progress = FALSE)
    expect_same_fit(chunked, memory)
  }
  memory <- fit(yp ~ x1 + g, d[d$x2 > 0.2, ], poisson(), offset = log(w))
  chunked <- fit_chunked(yp ~ x1 + g, con, poisson(), offset = log(w), chunk_size = 333,
                         query = "SELECT * FROM rows WHERE x2 > 0.2", progress = FALSE)
  expect_same_fit(chunked, memory)
  # methods that need only the sums
  expect_equal(confint(chunked, method = "wald"), confint(memory, method = "wald"), tolerance = 1e-10)
  new <- d[1:5, ]
  expect_equal(predict(chunked, new, type = "response", se.fit = TRUE)$se.fit,
               predict(memory, new, type = "response", se.fit = TRUE)$se.fit, tolerance = 1e-10)
  expect_equal(summary(chunked)$coefficients, summary(memory)$coefficients, tolerance = 1e-10)
  small <- fit_chunked(yp ~ x1, con, poisson(), offset = log(w), chunk_size = 333,
                       query = "SELECT * FROM rows WHERE x2 > 0.2", progress = FALSE)
  expect_equal(anova(small, chunked)[["Deviance"]],
               anova(fit(yp ~ x1, d[d$x2 > 0.2, ], poisson(), offset = log(w)), memory)[["Deviance"]],
               tolerance = 1e-8)
})

test_that("a two-worker PSOCK cluster gives the in-memory fit", {
  skip_on_cran()
  d <- chunked_data()
  cl <- make_test_cluster(2L)
  on.exit(parallel::stopCluster(cl), add = TRUE)
  expect_equal(shard_data(cl, d), c(600L, 600L))
  for (m in chunked_models) {
    memory <- fit(m[[1]], d, m[[2]])
    chunked <- fit_chunked(m[[1]], cl, m[[2]], progress = FALSE)
    expect_same_fit(chunked, memory)
  }
  expect_match(fit_chunked(yb ~ x1, cl, binomial(), progress = FALSE)$source, "2 workers")
  expect_error(fit_chunked(yb ~ x1, cl, binomial(), shard = "nothing", progress = FALSE),
               class = "mleglm_error_input")
})

test_that("workers that cannot load mleglm are named in a classed error", {
  skip_on_cran()
  cl <- parallel::makeCluster(1L)
  on.exit(parallel::stopCluster(cl), add = TRUE)
  empty <- tempfile("lib")
  dir.create(empty)
  on.exit(unlink(empty, recursive = TRUE), add = TRUE)
  # R_LIBS is dropped so that the worker searches only the empty library
  # and R's own; where mleglm is installed there too, there is nothing to test.
  parallel::clusterCall(cl, Sys.unsetenv, "R_LIBS")
  parallel::clusterCall(cl, eval, call(".libPaths", c(empty, .Library)))
  loads <- parallel::clusterCall(cl, requireNamespace, "mleglm", quietly = TRUE)[[1]]
  skip_if(loads, "mleglm is installed in R's own library")
  expect_error(shard_data(cl, heart), class = "mleglm_error_input",
               regexp = "Worker 1 of the cluster cannot load mleglm")
  expect_error(fit_chunked(thalach ~ age, cl, progress = FALSE), class = "mleglm_error_input",
               regexp = "Worker 1 of the cluster cannot load mleglm")
})

test_that("progress gives one line per iteration", {
  d <- chunked_data(300)
  res <- collect_conditions(fit_chunked(yp ~ x1 + g, chunk_function(d, 100), poisson()))
  f <- res$value
  lines <- vapply(res$messages, conditionMessage, "")
  expect_length(lines, nrow(f$trace))
  expect_match(lines[1], "iteration 0, .* s, log-likelihood .*, |score|")
})

test_that("levels are fixed at set-up; an unseen level is a classed error", {
  d <- chunked_data(600)
  d$g[401:600] <- ifelse(d$g[401:600] == "a", "d", d$g[401:600])
  # a first pass sees every level
  memory <- fit(yb ~ x1 + g, d, binomial())
  expect_same_fit(fit_chunked(yb ~ x1 + g, chunk_function(d, 200), binomial(), progress = FALSE),
                  memory)
  # levels given by the user, missing one
  expect_error(fit_chunked(yb ~ x1 + g, chunk_function(d, 200), binomial(),
                           levels = list(g = c("a", "b", "c")), progress = FALSE),
               class = "mleglm_error_unseen_level")
  # a factor keeps its level order and drops unused levels, as fit() does
  d$g <- factor(d$g, levels = c("z", "d", "c", "b", "a"))
  chunked <- fit_chunked(yb ~ x1 + g, chunk_function(d, 200), binomial(), progress = FALSE)
  expect_equal(chunked$xlevels$g, c("d", "c", "b", "a"))
  expect_same_fit(chunked, fit(yb ~ x1 + g, d, binomial()))
  expect_error(predict(chunked, data.frame(x1 = 0, g = "q")), class = "mleglm_error_newdata")
})

test_that("what needs the rows says so", {
  d <- chunked_data(300)
  f <- fit_chunked(yp ~ x1 + g, chunk_function(d, 100), poisson(), progress = FALSE)
  rows <- "mleglm_error_rows_unavailable"
  expect_error(residuals(f), class = rows)
  expect_error(fitted(f), class = rows)
  expect_error(model.frame(f), class = rows)
  expect_error(model.matrix(f), class = rows)
  expect_error(confint(f), class = rows)
  expect_error(vcov(f, type = "sandwich"), class = rows)
  expect_error(summary(f, vcov = "sandwich"), class = rows)
  expect_error(predict(f), class = rows)
  expect_error(anova(f), class = rows)
  expect_error(plot(f), class = rows)
  expect_error(hatvalues(f), class = rows)
  expect_error(profile(f), class = rows)
  expect_error(simulate(f), class = rows)
  expect_s3_class(confint(f, method = "wald"), NA)
  expect_output(print(f), "Maximum-likelihood GLM")
})

test_that("bad sources and settings are classed errors", {
  d <- chunked_data(100)
  expect_error(fit_chunked(yb ~ x1, d, binomial()), class = "mleglm_error_input")
  expect_error(fit_chunked(yb ~ x1, function() NULL, binomial()), class = "mleglm_error_input")
  expect_error(fit_chunked(yb ~ x1, function(reset = FALSE) NULL, binomial()),
               class = "mleglm_error_input")
  expect_error(fit_chunked(yb ~ x1, chunk_function(d, 50), binomial(), chunk_size = 0),
               class = "mleglm_error_input")
})

test_that("an aliased column is NA with the warning fit() gives, the rest as fit()", {
  d <- chunked_data(300)
  d$x3 <- 2 * d$x1
  expect_warning(chunked <- fit_chunked(yb ~ x1 + x3 + x2, chunk_function(d, 50), binomial(),
                                        progress = FALSE),
                 "'x3' is linearly dependent", class = "mleglm_warning_rank_deficient")
  expect_warning(memory <- fit(yb ~ x1 + x3 + x2, d, binomial()),
                 class = "mleglm_warning_rank_deficient")
  expect_identical(is.na(coef(chunked)), is.na(coef(memory)))
  # Same solver, same start: the estimates agree to rounding (1e-10).
  expect_equal(coef(chunked), coef(memory), tolerance = 1e-10)
  expect_equal(vcov(chunked), vcov(memory), tolerance = 1e-8)
  expect_equal(chunked$iterations, memory$iterations)
})
