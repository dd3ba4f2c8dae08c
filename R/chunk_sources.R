# Where the rows of a chunked fit come from. A source reads raw chunks:
# head() gives the first rows (for the terms), each(f) calls f on every chunk
# in order, close() releases what it holds. Also the first pass that fixes
# the levels of the factors before fitting.

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
    from <- as.character(DBI::dbQuoteIdentifier(con, table))
    query <- paste("SELECT * FROM", from)
  } else if (!is.character(query) || length(query) != 1L) {
    abort("input", "`query` must be a single SQL statement.")
  } else {
    # A user's query is only ever a subquery of ours.
    from <- sprintf("(%s) AS mleglm_source", query)
  }
  # `first_only`: stop after the first chunk; clearing the result then
  # discards the rest without reading it.
  run <- function(f, n, first_only = FALSE) {
    res <- tryCatch(DBI::dbSendQuery(con, query), error = function(e) {
      abort("input", sprintf("The database query failed: %s", conditionMessage(e)))
    })
    on.exit(DBI::dbClearResult(res))
    repeat {
      chunk <- DBI::dbFetch(res, n = n)
      if (nrow(chunk) == 0L) break
      f(chunk)
      if (first_only || DBI::dbHasCompleted(res)) break
    }
  }
  list(
    kind = "database",
    from = from,
    # The first rows, for the terms and the columns' types: one fetch, not a
    # pass over the table.
    head = function() {
      out <- NULL
      run(function(chunk) out <<- chunk, min(chunk_size, 1000L), first_only = TRUE)
      out
    },
    each = function(f) run(f, chunk_size),
    close = function() invisible(NULL)
  )
}

cluster_source <- function(cl, shard) {
  if (!is.character(shard) || length(shard) != 1L) abort("input", "`shard` must be a single name.")
  check_workers_load(cl)
  present <- unlist(parallel::clusterCall(cl, worker_has_shard, shard))
  if (!all(present)) {
    abort("input", sprintf(
      "%s of the cluster hold%s no data frame '%s'; use shard_data() or load one on each worker.",
      describe_workers(!present), if (sum(!present) == 1L) "s" else "", shard))
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
