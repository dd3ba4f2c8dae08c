# A DBI connection to the private PostgreSQL server that .ci/run starts
# (scripts/postgres.sh start), from the MLEGLM_PG_HOST, MLEGLM_PG_PORT,
# MLEGLM_PG_USER and MLEGLM_PG_DBNAME variables (and MLEGLM_PG_PASSWORD if
# set); the caller disconnects it. Skips the test when the variables are
# unset, RPostgres is not installed or the server does not answer.
postgres_test_connection <- function() {
  hint <- paste("set MLEGLM_PG_HOST, MLEGLM_PG_PORT, MLEGLM_PG_USER and MLEGLM_PG_DBNAME",
                "(.ci/run starts one: scripts/postgres.sh start writes them to check/postgres.env)")
  vars <- c(host = "MLEGLM_PG_HOST", port = "MLEGLM_PG_PORT", user = "MLEGLM_PG_USER",
            dbname = "MLEGLM_PG_DBNAME")
  settings <- as.list(Sys.getenv(vars))
  names(settings) <- names(vars)
  if (!all(nzchar(unlist(settings)))) {
    testthat::skip(paste("no PostgreSQL server:", hint))
  }
  if (!requireNamespace("RPostgres", quietly = TRUE)) {
    testthat::skip("no PostgreSQL server: the R driver RPostgres is not installed (scripts/install-deps.sh)")
  }
  # RPostgres checks the session's time zone with lubridate, whose loading
  # asks Sys.timezone(); with TZ unset R runs timedatectl for it, which fails
  # with a warning on a machine without systemd (a container) before R reads
  # /etc/timezone. Asked once here, the answer is cached without that warning.
  if (!nzchar(Sys.getenv("TZ"))) suppressWarnings(Sys.timezone())
  password <- Sys.getenv("MLEGLM_PG_PASSWORD")
  con <- tryCatch(
    do.call(DBI::dbConnect, c(list(RPostgres::Postgres()), settings,
                              if (nzchar(password)) list(password = password),
                              list(connect_timeout = 10))),
    error = function(e) e
  )
  if (inherits(con, "error")) {
    testthat::skip(sprintf("no PostgreSQL server: cannot connect to %s@%s:%s/%s (%s); %s",
                           settings$user, settings$host, settings$port, settings$dbname,
                           gsub("\\s+", " ", trimws(conditionMessage(con))), hint))
  }
  con
}
