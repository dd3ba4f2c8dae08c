# Fits where the data live: a logistic regression on 1e7 rows x 10 columns
# fitted with fit_chunked() from PostgreSQL and from an SQLite file, with the
# sums computed by the database (sums = "database": one query per
# evaluation) and by fetching the rows in chunks of 1e5 (sums = "r"), next
# to fit() on the same rows read into memory. Each fit runs in its own R
# process under /usr/bin/time -v (elapsed time, R's peak resident set
# size); the PostgreSQL server's peak is the VmHWM of the session's backend
# process. Run from the package root with `make bench-chunked` (installs
# mleglm first); writes bench/chunked.md. A private PostgreSQL server is
# started by scripts/postgres.sh unless MLEGLM_PG_* name one; without one,
# the PostgreSQL rows are left out.
#
# MLEGLM_BENCH_ROWS sets the number of rows (default 1e7),
# MLEGLM_BENCH_CHUNK the chunk size (default 1e5).

args <- commandArgs(trailingOnly = TRUE)
rows <- as.numeric(Sys.getenv("MLEGLM_BENCH_ROWS", "1e7"))
chunk <- as.numeric(Sys.getenv("MLEGLM_BENCH_CHUNK", "1e5"))
formula <- y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9
beta <- c(-0.5, seq(-0.4, 0.4, length.out = 9))

connect <- function(target) {
  if (target == "postgres") {
    return(DBI::dbConnect(RPostgres::Postgres(), host = Sys.getenv("MLEGLM_PG_HOST"),
                          port = Sys.getenv("MLEGLM_PG_PORT"), user = Sys.getenv("MLEGLM_PG_USER"),
                          dbname = Sys.getenv("MLEGLM_PG_DBNAME")))
  }
  DBI::dbConnect(RSQLite::SQLite(), target)
}

# The peak resident memory of this session's PostgreSQL backend, in MB.
backend_peak_mb <- function(con) {
  pid <- DBI::dbGetQuery(con, "SELECT pg_backend_pid() AS pid")$pid
  status <- readLines(sprintf("/proc/%d/status", as.integer(pid)))
  as.numeric(gsub("[^0-9]", "", grep("^VmHWM", status, value = TRUE))) / 1024
}

# ---- child modes --------------------------------------------------------------

if (length(args) >= 2L && args[1L] == "write") {
  # Written in pieces, so that writing needs no more memory than fitting.
  con <- connect(args[2L])
  done <- 0
  while (done < rows) {
    n <- min(1e6, rows - done)
    # A seed per piece: a driver that draws random numbers while writing
    # (RPostgres does) must not change the rows.
    set.seed(1 + done / 1e6)
    x <- matrix(stats::rnorm(n * 9), n, 9, dimnames = list(NULL, paste0("x", 1:9)))
    y <- stats::rbinom(n, 1, stats::plogis(beta[1] + x %*% beta[-1]))
    DBI::dbWriteTable(con, "rows", data.frame(y = y, x), append = done > 0, overwrite = done == 0)
    done <- done + n
  }
  if (args[2L] == "postgres") DBI::dbExecute(con, "VACUUM ANALYZE rows")
  DBI::dbDisconnect(con)
  quit(save = "no")
}

if (length(args) >= 4L && args[1L] == "fit") {
  suppressPackageStartupMessages(library(mleglm))
  con <- connect(args[2L])
  mode <- args[3L]
  started <- proc.time()[["elapsed"]]
  f <- if (mode == "memory") {
    d <- DBI::dbReadTable(con, "rows")
    fit(formula, d, binomial(), model = FALSE)
  } else {
    fit_chunked(formula, con, binomial(), table = "rows", chunk_size = chunk, sums = mode,
                progress = TRUE)
  }
  elapsed <- proc.time()[["elapsed"]] - started
  server <- if (args[2L] == "postgres") backend_peak_mb(con) else NA_real_
  DBI::dbDisconnect(con)
  saveRDS(list(coef = coef(f), se = sqrt(diag(vcov(f))), loglik = as.numeric(logLik(f)),
               iterations = f$iterations, passes = if (mode == "memory") 1L else f$passes,
               elapsed = elapsed, server_mb = server),
          args[4L])
  quit(save = "no")
}

# ---- driver -------------------------------------------------------------------
# In a function, so that on.exit() stops the server and removes the files
# (at the top level of a script it does nothing).
main <- function() {

  time_bin <- "/usr/bin/time"
  if (!file.exists(time_bin)) stop("/usr/bin/time is missing: run `bash scripts/install-deps.sh` (Debian package `time`).")
  dir <- tempfile("mleglm-chunked-")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE), add = TRUE)
  sqlite_file <- file.path(dir, "rows.sqlite")
  script <- normalizePath(file.path("bench", "chunked.R"))
  rscript <- file.path(R.home("bin"), "Rscript")

  # A private server unless one is named; stopped at the end.
  if (!nzchar(Sys.getenv("MLEGLM_PG_HOST"))) {
    system2("bash", c("scripts/postgres.sh", "start"))
    if (file.exists("check/postgres.env")) {
      settings <- readLines("check/postgres.env")
      for (line in settings) do.call(Sys.setenv, as.list(stats::setNames(sub("^[^=]*=", "", line), sub("=.*", "", line))))
      on.exit(system2("bash", c("scripts/postgres.sh", "stop")), add = TRUE)
    }
  }
  have_postgres <- nzchar(Sys.getenv("MLEGLM_PG_HOST")) && requireNamespace("RPostgres", quietly = TRUE)

  measure <- function(target, mode) {
    out <- file.path(dir, paste0(basename(target), "-", mode, ".rds"))
    log <- sub("rds$", "time", out)
    message(sprintf("bench/chunked: %s, %s", target, mode))
    status <- system2(time_bin, c("-v", "-o", log, rscript, "--vanilla", script, "fit", target, mode, out),
                      stdout = "", stderr = "")
    if (status != 0) stop(target, " ", mode, " fit failed")
    report <- readLines(log)
    field <- function(label) sub(".*: ", "", grep(label, report, value = TRUE, fixed = TRUE)[1L])
    c(readRDS(out), list(rss_mb = as.numeric(field("Maximum resident set size")) / 1024,
                         wall = field("Elapsed (wall clock) time")))
  }

  message(sprintf("bench/chunked: writing %g rows x 10 columns", rows))
  written <- system.time(system2(rscript, c("--vanilla", script, "write", sqlite_file)))[["elapsed"]]
  size_mb <- file.size(sqlite_file) / 2^20
  results <- list()
  if (have_postgres) {
    system2(rscript, c("--vanilla", script, "write", "postgres"))
    results$postgres_database <- measure("postgres", "database")
    results$postgres_r <- measure("postgres", "r")
  }
  results$sqlite_database <- measure(sqlite_file, "database")
  results$sqlite_r <- measure(sqlite_file, "r")
  results$memory <- measure(sqlite_file, "memory")
  rel <- function(a, b) max(abs(a - b) / abs(b))
  memory <- results$memory

  labels <- c(postgres_database = "`fit_chunked()`, PostgreSQL, `sums = \"database\"`",
              postgres_r = "`fit_chunked()`, PostgreSQL, `sums = \"r\"`",
              sqlite_database = "`fit_chunked()`, SQLite, `sums = \"database\"`",
              sqlite_r = "`fit_chunked()`, SQLite, `sums = \"r\"`",
              memory = "`fit()` after `dbReadTable()` from SQLite")
  row_of <- function(name) {
    r <- results[[name]]
    sprintf("| %s | %s | %.1f | %.0f MB | %s | %d | %d | %.1e | %.1e | %.1e |", labels[[name]], r$wall,
            r$elapsed / memory$elapsed, r$rss_mb,
            if (is.na(r$server_mb)) "" else sprintf("%.0f MB", r$server_mb), r$iterations, r$passes,
            rel(r$coef, memory$coef), rel(r$se, memory$se), rel(r$loglik, memory$loglik))
  }
  ratio <- function(a, b) results[[b]]$elapsed / results[[a]]$elapsed
  lines <- c(
    "# Fitting where the data live",
    "",
    sprintf("Logistic regression, %s rows x 10 columns (y and 9 normal covariates), in PostgreSQL %s and in an SQLite file of %.0f MB (written in %.0f s). With `sums = \"database\"` each evaluation is one aggregate query; with `sums = \"r\"` the rows are fetched in chunks of %s. Each fit runs in its own R process under `/usr/bin/time -v`; the server's peak is the VmHWM of its backend process. R %s, %d cores, server on the same machine. Generated by `make bench-chunked` on %s.",
            format(rows, big.mark = ",", scientific = FALSE),
            if (have_postgres) "(private server on loopback)" else "(not available: left out)",
            size_mb, written, format(chunk, big.mark = ",", scientific = FALSE),
            getRversion(), parallel::detectCores(), format(Sys.Date())),
    "",
    "| fit | wall time | time / in memory | peak RSS of R | peak RSS of the server | iterations | passes | coefficients | standard errors | log-likelihood |",
    "|---|---|---|---|---|---|---|---|---|---|",
    vapply(names(results), row_of, ""),
    "",
    "The last three columns are the largest relative differences from the fit in memory.",
    if (have_postgres) sprintf("On PostgreSQL, `sums = \"database\"` took %.1fx less time than `sums = \"r\"`; on SQLite %.1fx.",
                               ratio("postgres_database", "postgres_r"), ratio("sqlite_database", "sqlite_r"))
    else sprintf("On SQLite, `sums = \"database\"` took %.1fx less time than `sums = \"r\"`.",
                 ratio("sqlite_database", "sqlite_r"))
  )
  writeLines(lines, file.path("bench", "chunked.md"))
  writeLines(lines)
}

if (length(args) == 0L) {
  if (!nzchar(Sys.getenv("TZ"))) Sys.setenv(TZ = "UTC")  # RPostgres asks; spares timedatectl
  main()
}
