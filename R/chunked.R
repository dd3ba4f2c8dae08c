#' Fit a GLM from data that do not fit in memory: chunks, databases, clusters
#'
#' A Newton or Fisher-scoring fit needs, at each iteration, only sums over the
#' rows: the deviance, the score \eqn{X^\top \ell_\eta} and the information
#' \eqn{X^\top W X}. `fit_chunked()` computes those sums chunk by chunk with
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
#'   statement): each pass runs the query with [DBI::dbSendQuery()] and reads
#'   it with [DBI::dbFetch()] in chunks of `chunk_size` rows. Any DBI backend
#'   works (RSQLite, PostgreSQL, DuckDB, ...); give the query an `ORDER BY` if
#'   the backend does not return rows in a stable order and you want results
#'   identical to the last bit between runs.
#' * a **`parallel` cluster** whose workers hold the rows in a data frame
#'   named `shard` (set up with [shard_data()], or by loading a file into the
#'   global environment of each worker with [parallel::clusterEvalQ()]). The
#'   rows never leave the workers: each iteration sends the coefficients out
#'   and receives the \eqn{p \times p} sums back. Workers must have mleglm
#'   installed.
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
#' number of rows. Unlike `fit()`, the steps are always solved through the
#' information matrix (the in-memory fit switches to a QR decomposition of the
#' rows on ill-conditioned designs), and aliased columns are an error rather
#' than dropped.
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
#' @return An object of class `c("mleglm_chunked", "mleglm")`; `chunks`
#'   counts the chunks (or workers) of the last pass and `passes` the passes
#'   over the data.
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
                        levels = NULL, contrasts = NULL, progress = TRUE) {
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
  source <- chunk_source(data, table, query, chunk_size, shard)
  on.exit(source$close(), add = TRUE)
  spec <- list(weights = substitute(weights), offset = substitute(offset),
               contrasts = contrasts, family = family$family, link = family$link,
               threads = control$threads)

  # Set-up: the terms from the first rows, then the levels of the factors.
  first <- source$head()
  if (is.null(first) || nrow(first) == 0L) abort("input", "`data` gives no rows.")
  mt <- tryCatch(stats::terms(formula, data = first), error = function(e) model_frame_error(e))
  spec$terms <- mt
  spec$xlev <- collect_levels(source, mt, first, levels)
  evaluator <- make_evaluator(source, spec)
  on.exit(evaluator$close(), add = TRUE, after = FALSE)
  fit_sums(evaluator, family, method, control, progress, call, formula, mt, spec)
}

#' Spread a data frame over the workers of a cluster
#'
#' Splits the rows of `data` into one contiguous block per worker and keeps
#' each block on its worker under `name` (in mleglm's namespace there, not the
#' global environment), for [fit_chunked()]; a data frame of that name in a
#' worker's global environment is used when `shard_data()` stored none. This sends the rows once; with data too large for one
#' machine, have each worker read its own part instead, for example
#' `parallel::clusterApply(cl, files, function(f) { .mleglm_shard <<- read.csv(f); NULL })`.
#'
#' @param cl A cluster from [parallel::makeCluster()].
#' @param data A data frame.
#' @param name The name of the data frame on each worker.
#' @return The number of rows on each worker, invisibly.
#' @examples
#' \dontrun{
#' cl <- parallel::makeCluster(2)
#' shard_data(cl, heart)
#' f <- fit_chunked(thalach ~ age + exang, cl)
#' parallel::stopCluster(cl)
#' }
#' @export
shard_data <- function(cl, data, name = ".mleglm_shard") {
  if (!inherits(cl, "cluster")) abort("input", "`cl` must be a cluster from parallel::makeCluster().")
  if (!is.data.frame(data)) abort("input", "`data` must be a data frame.")
  if (!is.character(name) || length(name) != 1L) abort("input", "`name` must be a single string.")
  block <- sort(rep_len(seq_along(cl), nrow(data)))
  pieces <- split(data, factor(block, levels = seq_along(cl)))
  names(pieces) <- NULL
  rows <- parallel::clusterApply(cl, pieces, worker_store_shard, name)
  invisible(unlist(rows))
}

# ---- the iteration ------------------------------------------------------------

# The same loop as the C++ solvers (ascent.hpp, newton.hpp, line_search.hpp),
# on sums over all chunks: direction C^-1 g, stop when the Newton decrement
# sqrt(g' C^-1 g) is at most tol (with up to three refinement steps), step
# halving with the Armijo rule.
fit_sums <- function(evaluator, family, method, control, progress, call, formula, mt, spec) {
  clock <- proc.time()[["elapsed"]]
  curvature <- if (method == "newton") "exact" else "expected"
  start <- start_from_sums(evaluator, family, control)
  summary <- start$summary
  columns <- colnames(start$design_names)
  evaluate <- function(beta, what = curvature, pearson = FALSE) {
    s <- evaluator$run("sums", list(beta = beta, curvature = what, pearson = pearson))
    if (!s$ok || !is.finite(s$deviance)) return(list(ok = FALSE))
    prof <- cpp_total_profile(s$deviance, summary, family$family)
    phi <- prof$dispersion
    out <- list(ok = is.finite(prof$loglik), value = prof$loglik, deviance = s$deviance,
                dispersion = phi, gradient = s$score / phi, curvature = s$information / phi)
    if (!is.null(s$expected)) out$expected <- s$expected / phi
    if (pearson) out$pearson <- s$pearson
    out
  }
  beta <- start$beta
  here <- evaluate(beta)
  if (!isTRUE(here$ok)) {
    abort("start", sprintf(
      "No valid starting values were found for the %s family with the %s link.",
      family$family, family$link))
  }
  trace <- list()
  refinements <- 0L
  refined_from <- 0
  iterations <- 0L
  converged <- FALSE
  message_text <- ""
  for (iteration in 0:control$maxit) {
    dir <- chunked_direction(here, beta, method, evaluate)
    slope <- if (dir$found) sum(here$gradient * dir$d) else 0
    decrement <- sqrt(max(slope, 0))
    small <- dir$found && decrement <= control$tol
    rounding <- dir$found && length(beta) > 0L &&
      all(abs(dir$d) <= 4 * .Machine$double.eps * abs(beta))
    shrinking <- refinements == 0L || decrement < 0.25 * refined_from
    refining <- FALSE
    if (small && !rounding && refinements < 3L &&
        (dir$refine || (decrement > 1e-3 * control$tol && shrinking))) {
      refining <- TRUE
      refined_from <- decrement
      refinements <- refinements + 1L
    }
    converged <- small || rounding
    done <- !dir$found || (converged && !refining) || iteration == control$maxit
    step <- 0
    halvings <- 0L
    if (done) {
      message_text <- if (!dir$found) "no ascent direction could be computed"
        else if (small) "Newton decrement below tol"
        else if (rounding) "step below the rounding level of the coefficients"
        else "iteration limit reached"
    } else {
      there <- NULL
      try_step <- 1
      for (h in 0:control$max_halvings) {
        candidate <- evaluate(beta + try_step * dir$d)
        noise <- 1e-12 * (1 + abs(here$value))
        if (isTRUE(candidate$ok) && candidate$value >= here$value + 1e-4 * try_step * slope - noise) {
          there <- candidate
          step <- try_step
          halvings <- h
          break
        }
        try_step <- try_step / 2
      }
      if (is.null(there)) {
        halvings <- control$max_halvings
        converged <- decrement <= 100 * control$tol
        message_text <- "step-halving could not increase the log-likelihood"
      }
    }
    trace[[length(trace) + 1L]] <- data.frame(
      iteration = iteration, loglik = here$value, gradient_norm = sqrt(sum(here$gradient^2)),
      decrement = decrement, step = step, halvings = as.integer(halvings))
    if (progress) {
      message(sprintf("fit_chunked: iteration %d, %.1f s, log-likelihood %.10g, |score| %.3g, decrement %.3g",
                      iteration, proc.time()[["elapsed"]] - clock, here$value,
                      sqrt(sum(here$gradient^2)), decrement))
    }
    if (done || step == 0) break
    beta <- beta + step * dir$d
    here <- there
    iterations <- iteration + 1L
  }

  # At the estimate: both informations and Pearson's statistic in one pass.
  final <- evaluate(beta, "both", pearson = TRUE)
  if (!isTRUE(final$ok)) abort("numerical", "The log-likelihood is not finite at the estimate.")
  pending <- start$pending
  if (!converged) {
    last <- trace[[length(trace)]]
    pending <- c(pending, list(pending_warning("convergence", sprintf(
      "The %s solver did not converge (%s) after %d iterations; final score norm %.3g, Newton decrement %.3g (tol %g).",
      method, message_text, iterations, last$gradient_norm, last$decrement, control$tol))))
  }
  name_square <- function(m) {
    m <- as.matrix(m)
    dimnames(m) <- list(columns, columns)
    m
  }
  rank <- length(columns)
  nobs <- summary[["n_positive"]]
  engine <- list(
    coefficients = stats::setNames(beta, columns),
    aliased = stats::setNames(rep(FALSE, rank), columns),
    family = family,
    method = method,
    control = control,
    loglik = final$value,
    deviance = final$deviance,
    dispersion = final$dispersion,
    dispersion_pearson = if (has_dispersion(family)) final$pearson / (nobs - rank) else 1,
    pearson_chisq = final$pearson,
    information = list(observed = name_square(final$curvature),
                       expected = name_square(final$expected)),
    canonical = is_canonical(family),
    score = stats::setNames(final$gradient, columns),
    start = stats::setNames(start$beta, columns),
    rank = rank,
    threads = control$threads,
    nobs = nobs,
    df.residual = nobs - rank,
    converged = converged,
    iterations = iterations,
    message = message_text,
    trace = do.call(rbind, trace),
    warnings = pending,
    data_summary = summary,
    source = evaluator$describe,
    chunks = evaluator$chunks(),
    passes = evaluator$passes()
  )
  xlevels <- spec$xlev[names(spec$xlev) %in% all.vars(mt)]
  if (length(xlevels) == 0L) xlevels <- NULL
  object <- new_mleglm(engine, call = call, formula = formula, terms = mt,
                       xlevels = xlevels, contrasts = start$contrasts)
  class(object) <- c("mleglm_chunked", class(object))
  object
}

# One weighted least-squares step from the family's starting means, summed
# over the chunks; rows whose starting mean the link cannot take use the
# fallback of all the rows, which needs a second pass only when there are any.
start_from_sums <- function(evaluator, family, control) {
  s <- evaluator$run("start", list(fallback = NA_real_))
  if (s$n_fallback > 0) {
    fallback <- cpp_start_fallback(s$sum_y, s$summary[["n_positive"]], family$family, family$link)
    pending <- s$pending
    s <- evaluator$run("start", list(fallback = fallback))
    s$pending <- pending
  }
  if (s$summary[["n_positive"]] == 0) {
    abort("input", "There are no rows with positive weight to fit.")
  }
  total <- cpp_total_start(s$information, s$score, control$rank_tol)
  if (!all(total$independent)) {
    abort("rank_deficient", sprintf(
      "The model matrix is rank deficient: %s %s linearly dependent on earlier columns; fit_chunked() needs independent columns (drop them from the formula).",
      paste(sprintf("'%s'", colnames(s$design_names)[!total$independent]), collapse = ", "),
      if (sum(!total$independent) == 1L) "is" else "are"))
  }
  pending <- s$pending
  kinds <- vapply(pending, `[[`, "", "kind")
  pending <- pending[!duplicated(kinds)]
  list(beta = total$beta, summary = s$summary, design_names = s$design_names,
       contrasts = s$contrasts, pending = pending)
}

chunked_direction <- function(here, beta, method, evaluate) {
  dir <- cpp_direction(here$curvature, here$gradient)
  if (dir$ok) return(list(found = TRUE, d = dir$direction, refine = dir$condition > 1e4))
  if (method == "newton") {
    expected <- evaluate(beta, "expected")
    if (isTRUE(expected$ok)) {
      dir <- cpp_direction(expected$curvature, expected$gradient)
      if (dir$ok) return(list(found = TRUE, d = dir$direction, refine = FALSE))
    }
  }
  g <- here$gradient
  if (!all(is.finite(g))) return(list(found = FALSE, d = g, refine = FALSE))
  list(found = TRUE, d = g / max(sqrt(sum(g^2)), 1), refine = FALSE)
}

# ---- sources -------------------------------------------------------------------

# A source reads raw chunks: head() gives the first rows (for the terms),
# each(f) calls f on every chunk in order, close() releases what it holds.
chunk_source <- function(data, table, query, chunk_size, shard) {
  chunk_size <- as.integer(chunk_size)
  if (inherits(data, "cluster")) return(cluster_source(data, shard))
  if (inherits(data, "DBIConnection")) return(dbi_source(data, table, query, chunk_size))
  if (is.function(data)) return(function_source(data))
  abort("input", sprintf(
    "`data` must be a chunk function, a DBI connection or a parallel cluster, not %s; use fit() for a data frame.",
    class(data)[1L]))
}

function_source <- function(reader) {
  if (!"reset" %in% names(formals(reader))) {
    abort("input", "A chunk function must take a `reset` argument, as biglm::bigglm()'s data functions do.")
  }
  next_chunk <- function() {
    chunk <- reader(reset = FALSE)
    if (!is.null(chunk) && !is.data.frame(chunk)) {
      abort("input", sprintf("The chunk function must return a data frame or NULL, not %s.",
                             class(chunk)[1L]))
    }
    chunk
  }
  list(
    kind = "chunk function",
    head = function() {
      reader(reset = TRUE)
      next_chunk()
    },
    each = function(f) {
      reader(reset = TRUE)
      while (!is.null(chunk <- next_chunk())) f(chunk)
    },
    close = function() invisible(NULL)
  )
}

dbi_source <- function(con, table, query, chunk_size) {
  if (!requireNamespace("DBI", quietly = TRUE)) {
    abort("input", "Reading from a database needs the DBI package.")
  }
  if (is.null(table) == is.null(query)) {
    abort("input", "With a DBI connection give exactly one of `table` (a table name) or `query` (a SELECT statement).")
  }
  if (!is.null(table)) {
    if (!is.character(table) || length(table) != 1L) abort("input", "`table` must be a single table name.")
    query <- paste("SELECT * FROM", DBI::dbQuoteIdentifier(con, table))
  } else if (!is.character(query) || length(query) != 1L) {
    abort("input", "`query` must be a single SQL statement.")
  }
  run <- function(f, n) {
    res <- tryCatch(DBI::dbSendQuery(con, query), error = function(e) {
      abort("input", sprintf("The database query failed: %s", conditionMessage(e)))
    })
    on.exit(DBI::dbClearResult(res))
    repeat {
      chunk <- DBI::dbFetch(res, n = n)
      if (nrow(chunk) == 0L) break
      f(chunk)
      if (DBI::dbHasCompleted(res)) break
    }
  }
  list(
    kind = "database",
    head = function() {
      out <- NULL
      run(function(chunk) out <<- chunk, min(chunk_size, 1000L))
      out
    },
    each = function(f) run(f, chunk_size),
    close = function() invisible(NULL)
  )
}

cluster_source <- function(cl, shard) {
  if (!is.character(shard) || length(shard) != 1L) abort("input", "`shard` must be a single name.")
  present <- unlist(parallel::clusterCall(cl, worker_has_shard, shard))
  if (!all(present)) {
    abort("input", sprintf(
      "Workers %s of the cluster hold no data frame '%s'; use shard_data() or load one on each worker.",
      paste(which(!present), collapse = ", "), shard))
  }
  list(
    kind = "cluster",
    cl = cl,
    shard = shard,
    head = function() parallel::clusterCall(cl[1L], worker_head, shard)[[1L]],
    each = function(f) abort("internal", "a cluster's rows stay on its workers"),
    close = function() invisible(NULL)
  )
}

# ---- evaluators: sums over all chunks -------------------------------------------

# run(op, args) gives the sums of operation `op` over all the rows, added in a
# fixed order: chunk by chunk for a local source, worker by worker for a
# cluster (each worker sums its shard in one pass of the accumulator).
make_evaluator <- function(source, spec) {
  passes <- 0L
  chunks <- 0L
  if (identical(source$kind, "cluster")) {
    cl <- source$cl
    key <- basename(tempfile("fit"))  # no draw from the user's random stream
    spec_remote <- spec
    environment(spec_remote$terms) <- globalenv()
    parallel::clusterCall(cl, worker_prepare, source$shard, key, spec_remote)
    return(list(
      run = function(op, args) {
        passes <<- passes + 1L
        parts <- parallel::clusterCall(cl, worker_op, key, op, args)
        chunks <<- length(parts)
        Reduce(add_sums, parts)
      },
      close = function() try(parallel::clusterCall(cl, worker_release, key), silent = TRUE),
      describe = sprintf("a cluster of %d workers", length(cl)),
      passes = function() passes,
      chunks = function() chunks
    ))
  }
  list(
    run = function(op, args) {
      passes <<- passes + 1L
      total <- NULL
      count <- 0L
      source$each(function(raw) {
        design <- chunk_design(raw, spec)
        if (nrow(design$x) == 0L) return(NULL)
        count <<- count + 1L
        total <<- add_sums(total, chunk_op(design, op, args, spec))
        NULL
      })
      chunks <<- count
      if (is.null(total)) abort("input", "`data` gives no complete rows.")
      total
    },
    close = function() invisible(NULL),
    describe = source$kind,
    passes = function() passes,
    chunks = function() chunks
  )
}

chunk_op <- function(design, op, args, spec) {
  if (op == "start") {
    out <- cpp_chunk_start(design$x, design$y, design$weights, design$offset, spec$family,
                           spec$link, args$fallback, spec$threads)
    out$pending <- design$pending
    # Names travel as a 0-row matrix: add_sums keeps the first.
    out$design_names <- design$x[0L, , drop = FALSE]
    out$contrasts <- attr(design$x, "contrasts")
    return(out)
  }
  cpp_chunk_sums(design$x, design$y, design$weights, design$offset, args$beta, spec$family,
                 spec$link, args$curvature, isTRUE(args$pearson), spec$threads)
}

# Adds two chunks' sums: numbers add, validity needs both, pending warnings
# are kept, anything else (names, contrasts) comes from the first chunk.
add_sums <- function(a, b) {
  if (is.null(a)) return(b)
  for (name in names(b)) {
    if (name == "pending") {
      a$pending <- c(a$pending, b$pending)
    } else if (name == "ok") {
      a$ok <- isTRUE(a$ok) && isTRUE(b$ok)
    } else if (name == "design_names") {
      if (!identical(colnames(a$design_names), colnames(b$design_names))) {
        abort("internal", "chunks gave model matrices with different columns")
      }
    } else if (is.numeric(b[[name]]) && !is.null(a[[name]])) {
      a[[name]] <- a[[name]] + b[[name]]
    } else if (is.null(a[[name]])) {
      a[[name]] <- b[[name]]
    }
  }
  a
}

# The model matrix, response, weights and offset of one raw chunk, with the
# terms and factor levels fixed at set-up.
chunk_design <- function(raw, spec) {
  raw <- as.data.frame(raw, stringsAsFactors = FALSE)
  check_chunk_levels(raw, spec$xlev)
  env <- environment(spec$terms)
  args <- list(formula = spec$terms, data = raw, xlev = spec$xlev, na.action = stats::na.omit)
  if (!is.null(spec$weights)) args$weights <- eval(spec$weights, raw, env)
  if (!is.null(spec$offset)) args$offset <- eval(spec$offset, raw, env)
  mf <- tryCatch(do.call(stats::model.frame, args), error = function(e) model_frame_error(e))
  x <- tryCatch(stats::model.matrix(spec$terms, mf, spec$contrasts),
                error = function(e) model_frame_error(e))
  if (storage.mode(x) != "double") storage.mode(x) <- "double"
  n <- nrow(x)
  weights <- stats::model.weights(mf)
  if (!is.null(weights) && !is.numeric(weights)) abort("input", "`weights` must be numeric.")
  weights <- check_weights(weights, n)
  offset <- check_offset(as.vector(stats::model.offset(mf)), n)
  if (n == 0L) return(list(x = x))
  x <- check_model_matrix(x)
  check_finite_columns(x)
  response <- prepare_response(stats::model.response(mf, "any"), weights, spec_family(spec))
  list(x = x, y = as.double(response$y), weights = response$weights, offset = offset,
       pending = response$pending)
}

spec_family <- function(spec) list(family = spec$family, link = spec$link)

check_chunk_levels <- function(raw, xlev) {
  for (name in intersect(names(xlev), names(raw))) {
    values <- raw[[name]]
    new <- setdiff(unique(as.character(values[!is.na(values)])), xlev[[name]])
    if (length(new) > 0L) {
      abort("unseen_level", sprintf(
        "Column '%s' has %s not seen when the levels were fixed: %s (known: %s). Give all levels through `levels`.",
        name, if (length(new) == 1L) "a level" else "levels",
        paste(sprintf("'%s'", utils::head(new, 5L)), collapse = ", "),
        paste(xlev[[name]], collapse = ", ")))
    }
  }
}

# The levels of the factor and character predictors: those given in
# `levels`, the rest from a first pass (factors keep their levels' order and
# drop the unused ones, text is sorted, as model.frame() and fit() do).
collect_levels <- function(source, mt, first, levels) {
  vars <- intersect(all.vars(stats::delete.response(mt)), names(first))
  categorical <- vars[vapply(vars, function(v) {
    is.factor(first[[v]]) || is.character(first[[v]])
  }, TRUE)]
  given <- levels[names(levels) %in% categorical]
  given <- lapply(given, as.character)
  todo <- setdiff(categorical, names(given))
  if (length(todo) == 0L) return(if (length(given)) given)
  acc <- NULL
  if (identical(source$kind, "cluster")) {
    parts <- parallel::clusterCall(source$cl, worker_levels, source$shard, todo)
    for (part in parts) acc <- merge_levels(acc, part)
  } else {
    source$each(function(raw) acc <<- merge_levels(acc, chunk_levels(raw, todo)))
  }
  found <- lapply(acc, function(a) {
    if (a$text) sort(a$seen) else a$all[a$all %in% a$seen]
  })
  c(given, found)
}

chunk_levels <- function(raw, vars) {
  stats::setNames(lapply(vars, function(v) {
    x <- raw[[v]]
    seen <- unique(as.character(x[!is.na(x)]))
    list(all = if (is.factor(x)) levels(x) else character(0), seen = seen, text = !is.factor(x))
  }), vars)
}

merge_levels <- function(acc, part) {
  if (is.null(acc)) return(part)
  for (v in names(part)) {
    acc[[v]]$all <- union(acc[[v]]$all, part[[v]]$all)
    acc[[v]]$seen <- union(acc[[v]]$seen, part[[v]]$seen)
    acc[[v]]$text <- acc[[v]]$text && part[[v]]$text
  }
  acc
}

# ---- on the workers of a cluster -------------------------------------------------

# Top-level functions, so that clusterCall() sends a reference to the mleglm
# namespace rather than a closure with its environment.
worker_env <- new.env(parent = emptyenv())

# shard_data() keeps a worker's rows in the package's own environment there;
# rows a user loads on the worker live in its global environment.
shard_env <- new.env(parent = emptyenv())

worker_store_shard <- function(piece, name) {
  assign(name, piece, envir = shard_env)
  nrow(piece)
}

worker_shard <- function(shard) {
  if (exists(shard, envir = shard_env, inherits = FALSE)) return(get(shard, envir = shard_env))
  if (exists(shard, envir = globalenv())) return(get(shard, envir = globalenv()))
  NULL
}

worker_has_shard <- function(shard) is.data.frame(worker_shard(shard))

worker_head <- function(shard) utils::head(worker_shard(shard), 1000L)

worker_levels <- function(shard, vars) chunk_levels(worker_shard(shard), vars)

worker_prepare <- function(shard, key, spec) {
  design <- chunk_design(worker_shard(shard), spec)
  assign(key, list(design = design, spec = spec), envir = worker_env)
  nrow(design$x)
}

worker_op <- function(key, op, args) {
  held <- get(key, envir = worker_env)
  chunk_op(held$design, op, args, held$spec)
}

worker_release <- function(key) {
  if (exists(key, envir = worker_env)) rm(list = key, envir = worker_env)
  invisible(TRUE)
}

# ---- methods that need the rows -------------------------------------------------

rows_unavailable <- function(what) {
  abort("rows_unavailable", sprintf(
    "%s needs the rows of the data, which a fit from fit_chunked() does not hold; refit with fit() on data that fit in memory.",
    what))
}

#' @export
residuals.mleglm_chunked <- function(object, ...) rows_unavailable("residuals()")

#' @export
fitted.mleglm_chunked <- function(object, ...) rows_unavailable("fitted()")

#' @export
model.frame.mleglm_chunked <- function(formula, ...) rows_unavailable("model.frame()")

#' @export
model.matrix.mleglm_chunked <- function(object, ...) rows_unavailable("model.matrix()")

#' @export
weights.mleglm_chunked <- function(object, ...) rows_unavailable("weights()")

#' @export
plot.mleglm_chunked <- function(x, ...) rows_unavailable("plot()")

#' @export
hatvalues.mleglm_chunked <- function(model, ...) rows_unavailable("hatvalues()")

#' @export
cooks.distance.mleglm_chunked <- function(model, ...) rows_unavailable("cooks.distance()")

#' @export
rstandard.mleglm_chunked <- function(model, ...) rows_unavailable("rstandard()")

#' @export
profile.mleglm_chunked <- function(fitted, ...) rows_unavailable("profile()")

#' @export
simulate.mleglm_chunked <- function(object, ...) rows_unavailable("simulate()")

#' @export
vcov.mleglm_chunked <- function(object, type = c("observed", "expected", "sandwich", "glm"), ...) {
  type <- match_choice(type, vcov_types, "type")
  if (type == "sandwich") rows_unavailable("The sandwich covariance")
  NextMethod()
}

#' @export
confint.mleglm_chunked <- function(object, parm = NULL, level = 0.95, method = c("profile", "wald"), ...) {
  method <- match_choice(method, c("profile", "wald"), "method")
  if (method == "profile") rows_unavailable("A profile-likelihood interval (use method = \"wald\")")
  NextMethod()
}

#' @export
predict.mleglm_chunked <- function(object, newdata = NULL, ...) {
  if (is.null(newdata)) rows_unavailable("predict() without `newdata`")
  NextMethod()
}

#' @export
anova.mleglm_chunked <- function(object, ..., test = c("LRT", "Chisq", "F", "none")) {
  if (length(list(...)) == 0L) rows_unavailable("A sequential analysis of deviance of one fit")
  NextMethod()
}

#' @export
summary.mleglm_chunked <- function(object, vcov = c("observed", "expected", "sandwich", "glm"), ...) {
  vcov <- match_choice(vcov, vcov_types, "vcov")
  if (vcov == "sandwich") rows_unavailable("The sandwich covariance")
  NextMethod()
}
