#' Fit a GLM from data that do not fit in memory: chunks, databases, clusters
#'
#' A Newton or Fisher-scoring fit needs, at each iteration, only sums over the
#' rows: the deviance, the score \eqn{X^\top \ell_\eta}{X' l_eta} and the information
#' \eqn{X^\top W X}{X' W X}. `fit_chunked()` computes those sums chunk by chunk with
#' the same C++ accumulator that [fit()] uses in memory, adds them in a fixed
#' order and takes the same steps with the same stopping rule (the Newton
#' decrement, see [mleglm_control()]), with the dispersion profiled at its
#' maximum-likelihood value. The estimates, standard errors, log-likelihood
#' and AIC are those of `fit()` on the same rows, to rounding.
#'
#' Three sources are supported:
#'
#' * a **chunk function** `data(reset = FALSE)` returning the next chunk as a
#'   data frame and `NULL` after the last; `data(reset = TRUE)` rewinds it (the
#'   convention of `biglm::bigglm()`). Every pass over the data rewinds it.
#' * a **DBI connection** with `table` (a table name) or `query` (a `SELECT`
#'   statement). With `sums = "database"` (the default where mleglm knows
#'   the connection's SQL dialect: SQLite through RSQLite, PostgreSQL
#'   through RPostgres or RPostgreSQL; DuckDB and Spark SQL are written from
#'   their documentation and untested) the rows never leave the database:
#'   each evaluation of the likelihood is one generated `SELECT` that
#'   returns the count, the score, the information, the deviance and
#'   Pearson's statistic (see Details). With `sums = "r"`, and for any other
#'   DBI backend, each pass runs the query with [DBI::dbSendQuery()] and
#'   reads it with [DBI::dbFetch()] in chunks of `chunk_size` rows; give the
#'   query an `ORDER BY` if the backend does not return rows in a stable
#'   order and you want results identical to the last bit between runs.
#' * a **`parallel` cluster** whose workers hold the rows in a data frame
#'   named `shard` (set up with [shard_data()], or by loading a file into the
#'   global environment of each worker with [parallel::clusterEvalQ()]). The
#'   rows never leave the workers: each iteration sends the coefficients out
#'   and receives the \eqn{p \times p}{p x p} sums back. Workers must have mleglm
#'   installed.
#'
#' **Sums in the database.** The model's columns are written in SQL: numeric
#' columns, numbers, `+ - * / ^`, `log()`, `log2()`, `log10()`, `exp()`,
#' `sqrt()`, `abs()` and `I()`, interactions, factor and character columns
#' as `CASE WHEN` dummies under treatment contrasts, a two-column binomial
#' response, and weights and offsets given as such expressions. Any other
#' term (a spline basis, a function of your own) is an error of class
#' `mleglm_error_input` that names it; `sums = "r"` fits it by fetching the
#' rows. Table and column names are quoted by the connection and levels
#' written with [DBI::dbQuoteString()]; a `query` is only ever a subquery,
#' and no SQL is made from formula text or data values. The family's terms
#' are written with the clamps of the C++ core (and R's algorithm for the
#' normal distribution function), so fits agree with `fit()` to about
#' 1e-12 (the database adds the rows in its own order). Rows with a `NULL`
#' in any column the model uses are dropped once, for every sum alike, and
#' counted in `rows_dropped`. A pass that finds a different number of rows
#' (the table changed during the fit), a lost connection and sums that
#' overflow the database's arithmetic are errors of classes
#' `mleglm_error_database` and `mleglm_error_numerical`.
#'
#' Factor levels are fixed before fitting: a first pass collects the levels
#' of the factor and character columns of the model (skipped when `levels`
#' names them all); a chunk with a level not known then is an error of class
#' `mleglm_error_unseen_level`. Rows with missing values are dropped.
#'
#' The result is an `"mleglm"` object (with the extra class
#' `"mleglm_chunked"`): `print`, `summary`, `coef`, `vcov` (observed,
#' expected, glm), `confint(method = "wald")`, `logLik`, `AIC`, `BIC`,
#' `anova` between chunked fits and `predict(newdata = )` work; what needs the
#' rows (residuals, fitted values, profile intervals, the sandwich, plots,
#' influence, the model frame) signals `mleglm_error_rows_unavailable`.
#'
#' Memory depends on `chunk_size` and the number of columns, not on the
#' number of rows. The fit is the one C++ solver of [fit()] (same starting
#' values, iterations, step-halving and stopping rule), whose evaluations ask
#' for the sums over the chunks. Unlike `fit()`, the steps are always solved
#' through the information matrix (the in-memory fit switches to a QR
#' decomposition of the rows on ill-conditioned designs). Aliased columns
#' are found from the summed \eqn{X^\top W X}{X' W X} at the start: their
#' coefficients are `NA`, with a warning of class
#' `mleglm_warning_rank_deficient` naming them, as in `fit()`; with no rows
#' to decompose, nearly dependent columns are judged by the pivoted Cholesky
#' factor alone. Binomial and poisson fits are searched for infinite
#' estimates (separation, all-zero counts) as in `fit()`, from sums over the
#' chunks in up to three more passes; a converged fit whose fitted means are
#' all well inside their range costs one. The search tries fewer candidate
#' directions than `fit()` does; a miss leaves the convergence or boundary
#' warning in place.
#'
#' @param formula A model formula.
#' @param data A chunk function, a DBI connection or a `parallel` cluster; see
#'   Details.
#' @param family A family, as for [fit()].
#' @param weights,offset Optional prior weights and offset: expressions
#'   evaluated in each chunk (such as a column name).
#' @param chunk_size Rows per chunk read from a DBI connection.
#' @param table,query For a DBI connection: a table name or a query.
#' @param shard For a cluster: the name of the data frame on each worker.
#' @param method `"newton"` (default) or `"fisher"`.
#' @param control Settings from [mleglm_control()].
#' @param levels Optional named list of the levels of factor and character
#'   columns, as [stats::.getXlevels()] returns them; columns not named here
#'   are collected by a first pass.
#' @param contrasts Optional list of contrasts, as in [stats::model.matrix()].
#' @param progress Whether to report one line per iteration (elapsed time,
#'   log-likelihood, score norm, Newton decrement) through [message()].
#' @param sums For a DBI connection: `"database"` to have the database
#'   compute each evaluation's sums (the default where its dialect is
#'   known), or `"r"` to fetch the rows in chunks and sum them in R.
#' @return An object of class `c("mleglm_chunked", "mleglm")`; `chunks`
#'   counts the chunks (or workers) of the last pass, `passes` the passes
#'   over the data (queries, with sums in the database) and, with sums in
#'   the database, `rows_dropped` the rows left out for missing values.
#' @seealso [fit()], [shard_data()], `vignette("big-data", package = "mleglm")`.
#' @examples
#' # A chunk function over a data frame in three pieces
#' pieces <- split(heart, rep(1:3, length.out = nrow(heart)))
#' i <- 0
#' next_chunk <- function(reset = FALSE) {
#'   if (reset) { i <<- 0; return(invisible(NULL)) }
#'   i <<- i + 1
#'   if (i > length(pieces)) NULL else pieces[[i]]
#' }
#' f <- fit_chunked(thalach ~ age + exang + oldpeak, next_chunk, progress = FALSE)
#' summary(f)
#' @export
fit_chunked <- function(formula, data, family = gaussian(), weights = NULL, offset = NULL,
                        chunk_size = 1e5, table = NULL, query = NULL, shard = ".mleglm_shard",
                        method = c("newton", "fisher"), control = mleglm_control(),
                        levels = NULL, contrasts = NULL, progress = TRUE,
                        sums = c("database", "r")) {
  call <- match.call()
  family <- resolve_family(family)
  method <- match_choice(method, c("newton", "fisher"), "method")
  control <- as_control(control)
  if (missing(formula) || !inherits(formula, "formula")) {
    abort("input", "`formula` must be a model formula such as thalach ~ age + exang.")
  }
  check_count(chunk_size, "chunk_size", upper = 1e9, kind = "input")
  if (chunk_size < 1) abort("input", "`chunk_size` must be at least 1.")
  if (!is.null(levels) && (!is.list(levels) || is.null(names(levels)))) {
    abort("input", "`levels` must be a named list of character vectors, one per factor column.")
  }
  if (!is.logical(progress) || length(progress) != 1L || is.na(progress)) {
    abort("input", "`progress` must be TRUE or FALSE.")
  }
  in_database <- sums_in_database(sums, missing(sums), data)
  source <- chunk_source(data, table, query, chunk_size, shard)
  on.exit(source$close(), add = TRUE)
  recipe <- list(weights = substitute(weights), offset = substitute(offset),
               contrasts = contrasts, family = family$family, link = family$link,
               threads = control$threads)

  # Set-up: the terms from the first rows, then the levels of the factors.
  first <- source$head()
  if (is.null(first) || nrow(first) == 0L) abort("input", "`data` gives no rows.")
  mt <- tryCatch(stats::terms(formula, data = first), error = function(e) model_frame_error(e))
  recipe$terms <- mt
  if (in_database) {
    from <- source$from
    recipe$xlev <- db_levels(data, from, mt, first, levels)
    db <- db_setup(data, from, mt, first, recipe, family, recipe$weights, recipe$offset)
    evaluator <- make_db_evaluator(db, make_evaluator(source, recipe))
  } else {
    recipe$xlev <- collect_levels(source, mt, first, levels)
    evaluator <- make_evaluator(source, recipe)
  }
  on.exit(evaluator$close(), add = TRUE, after = FALSE)
  fit_from_sums(evaluator, family, method, control, progress, call, formula, mt, recipe, first)
}

# Whether the sums are computed by the database: the default for a DBI
# connection whose dialect is known (db_dialects.R), asked for by
# sums = "database", refused where it cannot be done.
sums_in_database <- function(sums, defaulted, data) {
  sums <- match_choice(sums, c("database", "r"), "sums")
  if (sums == "r") return(FALSE)
  if (!inherits(data, "DBIConnection")) {
    if (defaulted) return(FALSE)
    abort("input", "sums = \"database\" needs a DBI connection as `data`.")
  }
  if (is.null(dialect_of(data))) {
    if (defaulted) return(FALSE)
    abort("input", sprintf(
      "mleglm cannot write SQL for a %s connection (it can for %s); use sums = \"r\".",
      class(data)[1L], paste(vapply(sql_dialects, `[[`, "", "name"), collapse = ", ")))
  }
  TRUE
}

# The fit: the core's solver, whose evaluations are passes of `evaluator`
# over the data, under the rank policy of every kind (core.R).
fit_from_sums <- function(evaluator, family, method, control, progress, call, formula, mt,
                          recipe, first) {
  clock <- proc.time()[["elapsed"]]
  columns <- colnames(chunk_design(first, recipe)$x)
  started <- NULL
  start_sums <- function(fallback) {
    s <- evaluator$run("start", list(fallback = fallback))
    # The first pass's warnings, names and contrasts; a second pass repeats them.
    if (is.null(started)) started <<- s
    s
  }
  sums <- function(beta, curvature) evaluator$run("sums", list(beta = beta, curvature = curvature))
  report <- if (progress) function(iteration, loglik, gradient_norm, decrement) {
    message(sprintf("fit_chunked: iteration %d, %.1f s, log-likelihood %.10g, |score| %.3g, decrement %.3g",
                    iteration, proc.time()[["elapsed"]] - clock, loglik, gradient_norm, decrement))
  }
  constant_sums <- function(eta0) evaluator$run("constant", list(eta0 = eta0))
  spec <- model_spec("chunked", family$family, family$link, p = length(columns), sums = sums,
                     start_sums = start_sums, constant_sums = constant_sums, progress = report)
  run <- fit_with_rank_policy(spec, method, control)
  res <- run$res
  if (identical(res$status, "no_rows")) abort("input", "There are no rows with positive weight to fit.")
  if (!isTRUE(res$ok)) {
    abort("start", sprintf(
      "No valid starting values were found for the %s family with the %s link.",
      family$family, family$link))
  }
  pending <- started$pending
  pending <- pending[!duplicated(vapply(pending, `[[`, "", "kind"))]
  out <- shared_components(run, columns, columns[run$columns], method, control, pending)
  nobs <- res$n_positive
  engine <- c(out, list(
    subclass = "mleglm_chunked",
    family = family,
    deviance = res$deviance,
    dispersion = res$dispersion,
    dispersion_pearson = if (has_dispersion(family)) res$pearson / (nobs - out$rank) else 1,
    pearson_chisq = res$pearson,
    canonical = is_canonical(family),
    threads = control$threads,
    nobs = nobs,
    df.residual = nobs - out$rank,
    data_summary = res$summary,
    source = evaluator$describe,
    chunks = evaluator$chunks()
  ))
  engine$rows_dropped <- evaluator$rows_dropped
  engine <- flag_infinite_chunked(evaluator, engine, res$summary)
  engine$passes <- evaluator$passes()
  xlevels <- recipe$xlev[names(recipe$xlev) %in% all.vars(mt)]
  if (length(xlevels) == 0L) xlevels <- NULL
  new_mleglm(engine, call = call, formula = formula, terms = mt, xlevels = xlevels,
             contrasts = started$contrasts)
}

