# Sums computed by SQLite (R/db_*.R): every family and link against fit() in
# memory to 1e-10, the SQL terms against R's own families, missing values,
# levels, hostile names, terms SQL cannot express, and the faults of a
# database that changes or goes away during a fit.

sqlite_with <- function(...) {
  skip_if_not_installed("RSQLite")
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  tables <- list(...)
  for (name in names(tables)) DBI::dbWriteTable(con, name, tables[[name]])
  con
}

test_that("every family and link fits in SQLite as in memory, to 1e-10", {
  d <- db_test_data()
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  expect_db_matches_memory(con, "d", d)
})

test_that("the SQL inverse links and their derivatives are R's, to rounding, at any eta", {
  con <- sqlite_with()
  on.exit(DBI::dbDisconnect(con))
  d <- mleglm:::dialect_of(con)
  d$prepare(con)
  eta <- c(-1000, -745, -50, -31, -30, -8.2, -5, -1, -1e-8, 0, 1e-8, 0.5, 3, 8.2, 29, 31, 40, 700, 1000)
  DBI::dbWriteTable(con, "e", data.frame(eta = eta))
  for (link in c("logit", "probit", "cloglog", "cauchit", "log", "identity")) {
    l <- mleglm:::sql_link(link, d)
    inner <- if (is.null(l$pre)) "SELECT eta FROM e" else {
      pre <- l$pre("eta")
      sprintf("SELECT eta, %s FROM e", paste(sprintf("%s AS %s", pre, names(pre)), collapse = ", "))
    }
    sql <- sprintf("SELECT eta, (CASE WHEN %s THEN %s ELSE NULL END) AS mu, (CASE WHEN %s THEN %s ELSE NULL END) AS m1 FROM (%s) AS t ORDER BY eta",
                   l$valid("eta"), l$inverse("eta"), l$valid("eta"), l$derivative("eta"), inner)
    got <- DBI::dbGetQuery(con, sql)
    r <- stats::make.link(link)
    keep <- !is.na(got$mu)
    # R's log link overflows to Inf beyond 709.78, where the SQL marks eta invalid.
    expect_true(all(keep | (link == "log" & got$eta > 709)), label = link)
    # Phi is R's own algorithm; the normal density and cloglog's series
    # differ from R's in the last bits.
    expect_lt(rel_diff(got$mu[keep], r$linkinv(got$eta[keep])), 4 * .Machine$double.eps,
              label = paste(link, "mu"))
    expect_lt(rel_diff(got$m1[keep], r$mu.eta(got$eta[keep])), 1e-14, label = paste(link, "mu.eta"))
  }
})

test_that("a query source is a subquery, and sums = 'r' gives the same fit by fetching rows", {
  d <- db_test_data(300)
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  q <- "SELECT * FROM d WHERE x2 > 0.1"
  database <- fit_chunked(yb ~ x1 + g, con, binomial(), query = q, progress = FALSE)
  fetched <- fit_chunked(yb ~ x1 + g, con, binomial(), query = q, sums = "r", chunk_size = 64,
                         progress = FALSE)
  memory <- fit(yb ~ x1 + g, d[d$x2 > 0.1, ], binomial())
  expect_match(fetched$source, "^database$")
  expect_lt(rel_diff(coef(database), coef(memory)), 1e-10)
  expect_lt(rel_diff(coef(fetched), coef(memory)), 1e-10)
  expect_error(fit_chunked(yb ~ x1, function(reset = FALSE) NULL, binomial(), sums = "database"),
               class = "mleglm_error_input")
  expect_error(fit_chunked(yb ~ x1, con, binomial(), table = "d", sums = "sql"),
               class = "mleglm_error_input")
})

test_that("the first rows are one fetch from the top of the table, not a pass over it", {
  d <- data.frame(i = seq_len(5000), y = stats::rnorm(5000))
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  # chunk_size 200: head() takes min(chunk_size, 1000) rows, the first ones.
  first <- dbi_source(con, "d", NULL, 200L)$head()
  expect_identical(first$i, seq_len(200))
  first <- dbi_source(con, NULL, "SELECT * FROM d WHERE i > 10", 1e5)$head()
  expect_identical(first$i, 10L + seq_len(1000))
})

test_that("rows with a NULL in a model column are dropped once and counted", {
  d <- db_test_data(300)
  d$x1[c(3, 50)] <- NA
  d$g[7] <- NA
  d$w[9] <- NA
  d$t[100] <- NA  # not in the model: kept
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  f <- fit_chunked(yp ~ x1 + g, con, poisson(), table = "d", weights = w, progress = FALSE)
  memory <- fit(yp ~ x1 + g, d, poisson(), weights = w)
  expect_identical(f$rows_dropped, 4)
  expect_equal(nobs(f), nrow(d) - 4)
  expect_lt(rel_diff(coef(f), coef(memory)), 1e-10)
  expect_lt(rel_diff(as.numeric(logLik(f)), as.numeric(logLik(memory))), 1e-10)
})

test_that("levels come from the whole table; a level outside `levels` is a classed error", {
  d <- db_test_data(300)
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  # The level 'mid' first appears after the rows used for the terms.
  d2 <- d[order(d$g == "mid"), ]
  DBI::dbWriteTable(con, "sorted", d2)
  f <- fit_chunked(yg ~ x1 + g, con, table = "sorted", progress = FALSE)
  expect_identical(names(coef(f)), c("(Intercept)", "x1", "glo", "gmid"))
  expect_error(fit_chunked(yg ~ x1 + g, con, table = "d", levels = list(g = c("lo", "hi")),
                           progress = FALSE),
               class = "mleglm_error_unseen_level", regexp = "'mid'")
  # Given levels set the order, as factor() would.
  f <- fit_chunked(yg ~ x1 + g, con, table = "d", levels = list(g = c("mid", "lo", "hi")),
                   progress = FALSE)
  expect_identical(names(coef(f)), c("(Intercept)", "x1", "glo", "ghi"))
  memory <- fit(yg ~ x1 + g, transform(d, g = factor(g, c("mid", "lo", "hi"))))
  expect_lt(rel_diff(coef(f), coef(memory)), 1e-10)
})

test_that("interactions, I(), log() and a two-column binomial response translate", {
  d <- db_test_data(300)
  d$succ <- rbinom(nrow(d), 5, 0.4)
  d$fail <- 5 - d$succ
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  cases <- list(
    list(yg ~ x1 * g + I(x2^2) + log(x2) + sqrt(t), gaussian()),
    list(yg ~ g:x1 + exp(-x2) + I(x1 / t) + abs(x1), gaussian()),
    list(cbind(succ, fail) ~ x1 + g, binomial())
  )
  for (m in cases) {
    f <- fit_chunked(m[[1]], con, m[[2]], table = "d", progress = FALSE)
    memory <- fit(m[[1]], d, m[[2]])
    expect_identical(names(coef(f)), names(coef(memory)))
    expect_lt(rel_diff(coef(f), coef(memory)), 1e-10, label = deparse1(m[[1]]))
  }
})

test_that("a term SQL cannot express is a classed error naming it", {
  d <- db_test_data(100)
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  my_transform <- function(x) x + 1
  expect_mleglm_error(fit_chunked(yg ~ poly(x1, 3), con, table = "d", progress = FALSE),
                      "mleglm_error_input", "'poly(x1, 3)'")
  expect_mleglm_error(fit_chunked(yg ~ my_transform(x1), con, table = "d", progress = FALSE),
                      "mleglm_error_input", "'my_transform(x1)'")
  expect_mleglm_error(fit_chunked(yg ~ x1 + g, con, table = "d", contrasts = list(g = "contr.sum"),
                                  progress = FALSE), "mleglm_error_input", "treatment contrasts")
})

test_that("hostile column names, levels and table names fit correctly and change nothing", {
  d <- db_test_data(200)
  hostile <- data.frame(`a"b; DROP TABLE d; --` = d$x1, `it's` = d$g, y = d$yg, check.names = FALSE,
                        stringsAsFactors = FALSE)
  hostile$`it's` <- ifelse(hostile$`it's` == "lo", "o'; DELETE FROM d; --", hostile$`it's`)
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  DBI::dbWriteTable(con, "x\"; DROP TABLE d; --", hostile)
  before <- sort(DBI::dbListTables(con))
  f <- fit_chunked(y ~ `a"b; DROP TABLE d; --` + `it's`, con, table = "x\"; DROP TABLE d; --",
                   progress = FALSE)
  memory <- fit(y ~ `a"b; DROP TABLE d; --` + `it's`, hostile)
  expect_identical(names(coef(f)), names(coef(memory)))
  expect_lt(rel_diff(coef(f), coef(memory)), 1e-10)
  expect_identical(sort(DBI::dbListTables(con)), before)
  expect_identical(DBI::dbGetQuery(con, "SELECT COUNT(*) AS n FROM d")$n, nrow(d))
})

test_that("eta near +-1000 on some rows does not break a fit that converges in memory", {
  d <- db_test_data(300)
  d$off <- 0
  d$off[1:20] <- ifelse(d$yb[1:20] == 1, 1000, -1000)
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  # The logit fit only: the probit fit of these rows needs 46 iterations in
  # memory, and under valgrind (whose arithmetic changes SQLite's long
  # double sums in the last bits) it does not converge in 100; the cloglog
  # fit does not converge in memory either. The SQL links' values at eta
  # of +-1000 are checked above for every link.
  for (link in "logit") {
    # Both warn that these rows' fitted probabilities are numerically 0 or 1.
    res_memory <- collect_conditions(fit(yb ~ x1 + g, d, binomial(link), offset = off))
    res <- collect_conditions(fit_chunked(yb ~ x1 + g, con, binomial(link), table = "d", offset = off,
                                          progress = FALSE))
    memory <- res_memory$value
    f <- res$value
    expect_identical(first_classes(res$warnings), first_classes(res_memory$warnings))
    expect_true(memory$converged)
    expect_true(f$converged, label = link)
    expect_lt(rel_diff(coef(f), coef(memory)), 1e-10, label = link)
  }
})

test_that("more sums than SQLite's 2000 output columns are split over several queries", {
  set.seed(5)
  n <- 300
  x <- matrix(rnorm(n * 64), n, dimnames = list(NULL, sprintf("v%02d", 1:64)))
  d <- data.frame(x, y = rnorm(n))
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  f <- fit_chunked(y ~ ., con, table = "d", progress = FALSE)  # 65 columns: 2145 information sums
  memory <- fit(y ~ ., d)
  expect_lt(rel_diff(coef(f), coef(memory)), 1e-10)
})

test_that("separation is found by the database's first pass and the rows' other two", {
  d <- data.frame(x = 1:30, y = rep(0:1, each = 15))
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  res <- collect_conditions(fit_chunked(y ~ x, con, binomial(), table = "d", progress = FALSE))
  expect_identical(res$value$separation, c("(Intercept)" = -Inf, x = Inf))
  expect_identical(first_classes(res$warnings), "mleglm_warning_separation")
})

test_that("a response outside the family's support and negative weights are classed errors", {
  d <- db_test_data(100)
  d$neg <- d$w
  d$neg[4] <- -1
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  expect_mleglm_error(fit_chunked(yg ~ x1, con, poisson(), table = "d", progress = FALSE),
                      "mleglm_error_domain", "non-negative counts")
  expect_mleglm_error(fit_chunked(yg ~ x1, con, table = "d", weights = neg, progress = FALSE),
                      "mleglm_error_input", "negative")
  res <- collect_conditions(fit_chunked(I(yp + 0.5) ~ x1, con, poisson(), table = "d", progress = FALSE))
  expect_identical(first_classes(res$warnings), "mleglm_warning_domain")
})

test_that("a table that changes, or a connection lost, during a fit is a classed error", {
  d <- db_test_data(300)
  con <- sqlite_with(d = d)
  on.exit(if (DBI::dbIsValid(con)) DBI::dbDisconnect(con))
  # progress reports each iteration; the handler changes the data between passes.
  grow <- function(m) {
    DBI::dbExecute(con, "INSERT INTO d SELECT * FROM d LIMIT 5")
    invokeRestart("muffleMessage")
  }
  expect_mleglm_error(withCallingHandlers(fit_chunked(yb ~ x1 + g, con, binomial(), table = "d"),
                                          message = grow),
                      "mleglm_error_database", "The data changed during the fit")
  lose <- function(m) {
    DBI::dbDisconnect(con)
    invokeRestart("muffleMessage")
  }
  expect_mleglm_error(withCallingHandlers(fit_chunked(yb ~ x1 + g, con, binomial(), table = "d"),
                                          message = lose),
                      "mleglm_error_database", "connection")
})

test_that("an overflow in the database's sums is a classed error naming the cause", {
  d <- data.frame(x = c(1e200, 2e200, 3e200, 1, 2), y = c(1, 2, 3, 4, 5))
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  expect_mleglm_error(fit_chunked(y ~ x, con, table = "d", progress = FALSE),
                      "mleglm_error_numerical", "overflow")
})

test_that("a least-squares start outside the parameter space restarts at a constant, as in memory", {
  # Poisson identity: the least-squares start has negative means for some
  # rows, and fit() starts again from the mean count (slope 0).
  set.seed(1)
  d <- data.frame(x = runif(100))
  d$y <- rpois(100, 0.3 + 3 * d$x)
  con <- sqlite_with(d = d)
  on.exit(DBI::dbDisconnect(con))
  memory <- fit(y ~ x, d, family = poisson(link = "identity"))
  expect_equal(unname(memory$start), c(mean(d$y), 0), tolerance = 1e-12)
  for (sums in c("database", "r")) {
    f <- fit_chunked(y ~ x, con, poisson(link = "identity"), table = "d", sums = sums, chunk_size = 30,
                     progress = FALSE)
    expect_true(f$converged, label = sums)
    expect_lt(rel_diff(coef(f), coef(memory)), 1e-10, label = sums)
    expect_equal(f$iterations, memory$iterations, label = sums)
    expect_lt(max(abs(f$start - memory$start)), 1e-10, label = sums)
  }
})
