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
