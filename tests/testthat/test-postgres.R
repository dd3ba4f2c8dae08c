# The PostgreSQL server that the in-database fits will compute their sums on
# (tests skip without one; .ci/run starts one): a table written from R comes
# back as sums and as ln()/exp() expressions in double precision, to
# rounding.

test_that("PostgreSQL sums a table and takes ln() and exp() in double precision", {
  con <- postgres_test_connection()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  set.seed(20240601)
  n <- 1000L
  d <- data.frame(id = seq_len(n), x = runif(n, 0.1, 5), y = rpois(n, 2),
                  w = sample(c(0.5, 1, 2), n, replace = TRUE))
  name <- paste0("mleglm_smoke_", Sys.getpid())
  DBI::dbWriteTable(con, name, d, temporary = TRUE)
  on.exit(if (DBI::dbIsValid(con) && DBI::dbExistsTable(con, name)) DBI::dbRemoveTable(con, name),
          add = TRUE, after = FALSE)
  table <- DBI::dbQuoteIdentifier(con, name)

  # y is an integer column: its sums are cast to double precision, as the
  # fits' SQL will do, so that they come back as R doubles, not integer64.
  got <- DBI::dbGetQuery(con, paste(
    "SELECT CAST(COUNT(*) AS DOUBLE PRECISION) AS n,",
    "CAST(SUM(y) AS DOUBLE PRECISION) AS sum_y,",
    "SUM(w * x) AS sum_wx,",
    "SUM(w * CAST(y AS DOUBLE PRECISION) * LN(x)) AS sum_wy_log_x,",
    "SUM(EXP(CAST(0.3 AS DOUBLE PRECISION) + 0.2 * x)) AS sum_exp_eta,",
    "SUM(CAST(y AS DOUBLE PRECISION) * (0.3 + 0.2 * x) - EXP(0.3 + 0.2 * x)) AS poisson_kernel",
    "FROM", table))
  eta <- 0.3 + 0.2 * d$x
  expect_identical(got$n, as.double(n))
  expect_identical(got$sum_y, as.double(sum(d$y)))
  for (column in names(got)) expect_type(got[[column]], "double")
  # Summed in another order than R's: equal to rounding, not bit for bit.
  expect_equal(got$sum_wx, sum(d$w * d$x), tolerance = 1e-13)
  expect_equal(got$sum_wy_log_x, sum(d$w * d$y * log(d$x)), tolerance = 1e-13)
  expect_equal(got$sum_exp_eta, sum(exp(eta)), tolerance = 1e-13)
  expect_equal(got$poisson_kernel, sum(d$y * eta - exp(eta)), tolerance = 1e-12)

  # Row by row, ln() and exp() are those of R to a few ulps.
  rows <- DBI::dbGetQuery(con, paste("SELECT id, LN(x) AS log_x, EXP(x) AS exp_x FROM", table,
                                     "ORDER BY id"))
  expect_identical(rows$id, d$id)
  expect_equal(rows$log_x, log(d$x), tolerance = 1e-15)
  expect_equal(rows$exp_x, exp(d$x), tolerance = 1e-15)

  DBI::dbRemoveTable(con, name)
  expect_false(DBI::dbExistsTable(con, name))
})

# A temporary table of `d` on the server, removed when the calling test ends.
postgres_table <- function(con, d, env = parent.frame()) {
  name <- paste0("mleglm_", basename(tempfile("t")))
  DBI::dbWriteTable(con, name, d, temporary = TRUE)
  withr_defer <- function() {
    if (DBI::dbIsValid(con) && DBI::dbExistsTable(con, name)) DBI::dbRemoveTable(con, name)
  }
  do.call(on.exit, list(substitute(f(), list(f = withr_defer)), add = TRUE), envir = env)
  name
}

test_that("every family and link fits in PostgreSQL as in memory, to 1e-10", {
  con <- postgres_test_connection()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  d <- db_test_data()
  table <- postgres_table(con, d)
  expect_db_matches_memory(con, table, d)
  f <- fit_chunked(yb ~ x1 + g, con, binomial(), table = table, progress = FALSE)
  expect_match(f$source, "PostgreSQL")
})

test_that("PostgreSQL: NULLs dropped and counted, hostile names, eta near +-1000", {
  con <- postgres_test_connection()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  d <- db_test_data(300)
  d$x1[c(3, 50)] <- NA
  d$g[7] <- NA
  d$off <- 0
  d$off[1:20] <- ifelse(d$yb[1:20] == 1, 1000, -1000)
  table <- postgres_table(con, d)
  f <- fit_chunked(yp ~ x1 + g, con, poisson(), table = table, weights = w, progress = FALSE)
  memory <- fit(yp ~ x1 + g, d, poisson(), weights = w)
  expect_identical(f$rows_dropped, 3)
  expect_lt(rel_diff(coef(f), coef(memory)), 1e-10)
  # logit only, as in test-db.R (the probit fit of these rows is fragile).
  for (link in "logit") {
    memory <- suppressWarnings(fit(yb ~ x1 + g, d, binomial(link), offset = off))
    res <- collect_conditions(fit_chunked(yb ~ x1 + g, con, binomial(link), table = table,
                                          offset = off, progress = FALSE))
    expect_true(memory$converged, label = link)
    expect_true(res$value$converged, label = link)
    expect_lt(rel_diff(coef(res$value), coef(memory)), 1e-10, label = link)
  }

  hostile <- data.frame(`a"b; DROP TABLE x; --` = d$x2, `it's` = ifelse(is.na(d$g), "lo", d$g),
                        y = d$yg, check.names = FALSE, stringsAsFactors = FALSE)
  hostile$`it's`[hostile$`it's` == "lo"] <- "o'; DELETE FROM x; --"
  name <- postgres_table(con, hostile)
  before <- DBI::dbGetQuery(con, "SELECT COUNT(*)::float8 AS n FROM pg_class")$n
  f <- fit_chunked(y ~ `a"b; DROP TABLE x; --` + `it's`, con, table = name, progress = FALSE)
  memory <- fit(y ~ `a"b; DROP TABLE x; --` + `it's`, hostile)
  expect_lt(rel_diff(coef(f), coef(memory)), 1e-10)
  expect_identical(DBI::dbGetQuery(con, "SELECT COUNT(*)::float8 AS n FROM pg_class")$n, before)
  expect_identical(nrow(DBI::dbReadTable(con, name)), nrow(hostile))
})

test_that("PostgreSQL: a changing table, a lost connection and an overflow are classed errors", {
  con <- postgres_test_connection()
  on.exit(if (DBI::dbIsValid(con)) DBI::dbDisconnect(con), add = TRUE)
  d <- db_test_data(300)
  table <- postgres_table(con, d)
  quoted <- DBI::dbQuoteIdentifier(con, table)
  grow <- function(m) {
    DBI::dbExecute(con, paste("INSERT INTO", quoted, "SELECT * FROM", quoted, "LIMIT 5"))
    invokeRestart("muffleMessage")
  }
  expect_mleglm_error(withCallingHandlers(fit_chunked(yb ~ x1 + g, con, binomial(), table = table),
                                          message = grow),
                      "mleglm_error_database", "The data changed during the fit")
  big <- postgres_table(con, data.frame(x = c(1e200, 2e200, 3e200, 1, 2), y = c(1, 2, 3, 4, 5)))
  expect_error(fit_chunked(y ~ x, con, table = big, progress = FALSE), class = "mleglm_error")
  # A second connection ends this one's session in the middle of the fit.
  other <- postgres_test_connection()
  on.exit(DBI::dbDisconnect(other), add = TRUE)
  pid <- DBI::dbGetQuery(con, "SELECT pg_backend_pid() AS pid")$pid
  lose <- function(m) {
    DBI::dbGetQuery(other, sprintf("SELECT pg_terminate_backend(%d)", as.integer(pid)))
    invokeRestart("muffleMessage")
  }
  expect_mleglm_error(withCallingHandlers(fit_chunked(yb ~ x1 + g, con, binomial(), table = table),
                                          message = lose),
                      "mleglm_error_database", "database")
})
