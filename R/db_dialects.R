# The SQL dialects that fit_chunked(sums = "database") writes, in one table.
# Each entry says how to name the natural logarithm, cast to double, take
# the smaller or larger of two values, keep each row's intermediate values
# from being inlined into every sum (a "fence": without it PostgreSQL
# recomputed eta in every one of the p(p+1)/2 information sums), how many
# output columns one SELECT may have, and what the connection needs first.
sql_dialects <- list(
  sqlite = list(
    name = "SQLite",
    classes = "SQLiteConnection",
    ln = "log",  # natural in RSQLite's math extension
    double = "REAL",
    least = "min", greatest = "max",
    fence = "LIMIT -1 OFFSET 0",
    max_columns = 2000L,
    tested = TRUE,
    prepare = function(con) {
      if (!requireNamespace("RSQLite", quietly = TRUE)) {
        abort("input", "Sums in SQLite need the RSQLite package for its math functions.")
      }
      RSQLite::initExtension(con, "math")
    }
  ),
  postgres = list(
    name = "PostgreSQL",
    classes = c("PqConnection", "PostgreSQLConnection"),
    ln = "ln",  # log() is base 10 in PostgreSQL
    double = "DOUBLE PRECISION",
    least = "LEAST", greatest = "GREATEST",
    fence = "OFFSET 0",
    max_columns = 1664L,
    tested = TRUE,
    prepare = function(con) invisible(NULL)
  ),
  duckdb = list(
    name = "DuckDB",
    classes = "duckdb_connection",
    ln = "ln",
    double = "DOUBLE",
    least = "LEAST", greatest = "GREATEST",
    fence = "OFFSET 0",
    max_columns = 10000L,
    tested = FALSE,
    prepare = function(con) invisible(NULL)
  ),
  spark = list(
    name = "Spark SQL",
    classes = c("spark_connection", "DBISparkConnection"),
    ln = "ln",
    double = "DOUBLE",
    least = "LEAST", greatest = "GREATEST",
    fence = "",  # Spark's optimiser does not inline a projection's expressions
    max_columns = 10000L,
    tested = FALSE,
    prepare = function(con) invisible(NULL)
  )
)

# The dialect of a connection, or NULL where none is known.
dialect_of <- function(con) {
  for (name in names(sql_dialects)) {
    d <- sql_dialects[[name]]
    if (inherits(con, d$classes)) return(c(d, list(id = name)))
  }
  NULL
}

# SQL text of a number of ours (a coefficient, a constant), as a double in
# every dialect: 17 significant digits round-trip exactly, and the decimal
# point keeps SQLite from integer arithmetic.
sql_number <- function(x, dialect) {
  if (!is.finite(x)) abort("internal", "a non-finite number cannot be written in SQL")
  text <- sprintf("%.17g", x)
  if (!grepl("[.eE]", text)) text <- paste0(text, ".0")
  sprintf("CAST(%s AS %s)", text, dialect$double)
}

sql_cast <- function(expr, dialect) sprintf("CAST(%s AS %s)", expr, dialect$double)
