# fit_chunked(sums = "database"): the set-up queries (the levels of the
# factors, the data summary and the checks of the response and weights),
# then an evaluator whose passes are queries (db_sums.R), for the same
# fit_from_sums() as every chunked fit.

# The levels of the factor and character columns the formula uses (and of
# a character response), by one SELECT DISTINCT each; text is sorted as
# fit() sorts it. Levels given in `levels` must cover the data's.
db_levels <- function(con, from, mt, head, levels) {
  vars <- intersect(all.vars(attr(mt, "variables")), names(head))
  categorical <- vars[vapply(vars, function(v) is.factor(head[[v]]) || is.character(head[[v]]), TRUE)]
  out <- list()
  for (v in categorical) {
    quoted <- as.character(DBI::dbQuoteIdentifier(con, v))
    seen <- db_query(con, sprintf("SELECT DISTINCT %s AS level FROM %s WHERE %s IS NOT NULL",
                                  quoted, from, quoted))$level
    seen <- as.character(seen)
    given <- levels[[v]]
    if (is.null(given)) {
      out[[v]] <- sort(seen)
      next
    }
    given <- as.character(given)
    new <- setdiff(seen, given)
    if (length(new) > 0L) {
      abort("unseen_level", sprintf(
        "Column '%s' has %s not in `levels`: %s (given: %s). A row of an unknown level would otherwise be counted as the reference level.",
        v, if (length(new) == 1L) "a level" else "levels",
        paste(sprintf("'%s'", utils::head(new, 5L)), collapse = ", "), paste(given, collapse = ", ")))
    }
    out[[v]] <- given
  }
  if (length(out)) out
}

# Everything the passes need: the dialect and the family as SQL, the rows'
# layer, the data summary the core's log-likelihood needs, the counts of
# rows, and the response's pending warnings.
db_setup <- function(con, from, mt, head, recipe, family, weights, offset) {
  d <- dialect_of(con)
  d$prepare(con)
  model <- db_model_sql(mt, head, recipe$xlev, recipe$contrasts, weights, offset, family, con, d)
  model$quoted <- vapply(model$referenced, function(v) as.character(DBI::dbQuoteIdentifier(con, v)), "")
  db <- list(con = con, dialect = d, model = model, from = from,
             link = sql_link(family$link, d), distribution = sql_distribution(family$family, d),
             canonical = is_canonical(family), family = family)
  db$rows <- sql_rows(model, from, d)
  total <- as.numeric(db_query(con, sprintf("SELECT %s AS n FROM %s", sql_cast("COUNT(*)", d), from))$n)
  checks <- db_data_checks(db)
  if (checks[["negative_w"]] > 0) {
    abort("input", sprintf("`weights` must be non-negative; %.0f rows have negative weights.",
                           checks[["negative_w"]]))
  }
  if (checks[["outside"]] > 0) {
    abort("domain", sprintf("The response of the %s family must be %s; %.0f rows are not.",
                            family$family, family_entry(family)$support, checks[["outside"]]))
  }
  db$n_positive <- checks[["n_positive"]]
  db$rows_dropped <- total - checks[["complete"]]
  db$summary <- c(n_positive = checks[["n_positive"]], sum_w = checks[["sum_w"]],
                  sum_log_w = checks[["sum_log_w"]], sum_w_log_y = checks[["sum_w_log_y"]],
                  constant = if (checks[["constant_free"]] == checks[["n_positive"]]) 0 else db_constant(db),
                  sum_y = checks[["sum_y"]])
  db$pending <- list()
  if (checks[["noninteger"]] > 0) {
    what <- if (family$family == "poisson") {
      "The poisson response should be whole counts"
    } else {
      "The binomial response times `weights` should be whole numbers of successes"
    }
    db$pending <- list(pending_warning("domain", sprintf(
      "%s; %.0f rows are not (the likelihood is extended through lgamma).", what, checks[["noninteger"]])))
  }
  db
}

# One query over the rows for the checks and the data summary.
db_data_checks <- function(db) {
  d <- db$dialect
  name <- db$family$family
  ln <- function(x) sprintf("%s(%s)", d$ln, x)
  positive <- function(expr) sprintf("SUM(CASE WHEN w > 0 THEN %s ELSE 0 END)", expr)
  count <- switch(name, poisson = "y", binomial = "w * y", NULL)
  exprs <- c(
    complete = "COUNT(*)",
    negative_w = "SUM(CASE WHEN w < 0 THEN 1 ELSE 0 END)",
    n_positive = positive("1"),
    sum_w = positive("w"),
    sum_log_w = positive(sprintf("(CASE WHEN w <> 1 THEN %s ELSE 0 END)", ln("w"))),
    sum_w_log_y = if (name %in% c("Gamma", "inverse.gaussian")) {
      positive(sprintf("(CASE WHEN y > 0 THEN w * %s ELSE 0 END)", ln("y")))
    } else {
      "SUM(0)"
    },
    sum_y = positive("y"),
    outside = positive(sprintf("(CASE WHEN %s THEN 0 ELSE 1 END)", db$distribution$support("y"))),
    # Rows whose log-likelihood constant is 0 without lgamma: a single 0/1
    # trial, and every row of the families with no such constant.
    constant_free = if (name == "binomial") {
      positive("(CASE WHEN w = 1 AND (y = 0 OR y = 1) THEN 1 ELSE 0 END)")
    } else if (name == "poisson") {
      "SUM(0)"
    } else {
      positive("1")
    },
    noninteger = if (is.null(count)) "SUM(0)" else {
      positive(sprintf("(CASE WHEN %s <> round(%s) THEN 1 ELSE 0 END)", count, count))
    })
  sql <- sprintf("SELECT %s FROM (%s %s) AS r",
                 paste(sprintf("%s AS %s", sql_cast(exprs, d), names(exprs)), collapse = ", "),
                 db$rows, d$fence)
  res <- db_query(db$con, sql)
  vapply(res, function(v) if (is.na(v)) 0 else as.numeric(v), 1)
}

# The data-only constant of the log-likelihood (lgamma and lchoose terms,
# which SQL lacks), from the distinct (y, w) pairs and their counts.
db_constant <- function(db) {
  name <- db$family$family
  if (!name %in% c("binomial", "poisson")) return(0)
  res <- db_query(db$con, sprintf(
    "SELECT y, w, %s AS k FROM (%s %s) AS r WHERE w > 0 GROUP BY y, w", sql_cast("COUNT(*)", db$dialect),
    db$rows, db$dialect$fence))
  y <- as.numeric(res$y)
  w <- as.numeric(res$w)
  k <- as.numeric(res$k)
  xlogx <- function(x) ifelse(x > 0, x * log(x), 0)
  per_row <- if (name == "poisson") {
    w * (xlogx(y) - y - lgamma(y + 1))
  } else {
    entropy <- ifelse(y * (1 - y) > 0, y * log(y) + (1 - y) * log1p(-y), 0)
    ifelse(w == 1 & y * (1 - y) == 0, 0, lchoose(round(w), round(w * y)) + w * entropy)
  }
  sum(k * per_row)
}

# The first pass of the search for infinite estimates (chunk_separation.R)
# as one query; the other two passes fetch the rows.
db_edge <- function(db, args) {
  beta <- numeric(length(args$columns))
  beta[args$columns] <- args$beta  # aliased columns have coefficient 0
  inner <- sql_means_at(db, beta, observed = FALSE)
  sums <- db_aggregate(db$con, inner, edge_exprs(db, args$near), db$dialect, expected = db$n_positive)
  edge_result(sums, db, args$columns)
}

# The aggregates of the first pass over a layer with columns c1..cp, y and mu.
edge_exprs <- function(db, near) {
  d <- db$dialect
  name <- db$family$family
  edge <- function(tol) {
    switch(name,
      binomial = sprintf("(mu < %s OR mu > %s)", sql_number(tol, d), sql_number(1 - tol, d)),
      poisson = sprintf("mu < %s", sql_number(tol, d)),
      "1 = 0")
  }
  upper <- name == "binomial" && db$family$link != "log"
  lower <- name == "binomial" || (name == "poisson" && db$family$link == "log")
  suspect <- c(if (lower) "(y = 0 AND mu < 1e-4)", if (upper) "(y = 1 AND mu > 1 - 1e-4)")
  if (length(suspect) == 0L) suspect <- "1 = 0"
  count <- function(cond) sprintf("SUM(CASE WHEN %s THEN 1 ELSE 0 END)", cond)
  p <- length(db$model$columns)
  c(edge_min_mu = "MIN(mu)", edge_max_mu = "MAX(mu)",
    edge_n_numerically = count(edge(10 * .Machine$double.eps)),
    edge_n_near = count(edge(near)),
    edge_n_suspect = count(paste(suspect, collapse = " OR ")),
    edge_n_zero = count("y = 0"), edge_n_one = count("y = 1"),
    stats::setNames(sprintf("MAX(abs(c%d))", seq_len(p)), sprintf("edge_scale_%d", seq_len(p))))
}

edge_result <- function(sums, db, columns) {
  list(min_mu = sums[["edge_min_mu"]], max_mu = sums[["edge_max_mu"]],
       n_numerically = sums[["edge_n_numerically"]], n_near = sums[["edge_n_near"]],
       n_suspect = sums[["edge_n_suspect"]], n_rows = db$n_positive,
       n_zero = sums[["edge_n_zero"]], n_one = sums[["edge_n_one"]],
       max_scale = unname(sums[sprintf("edge_scale_%d", which(columns))]))
}

# The evaluator of fit_from_sums() for sums by the database; the passes of
# the separation search that need the rows go to `rows_evaluator`.
make_db_evaluator <- function(db, rows_evaluator) {
  passes <- 0L
  # The range of the means at the last evaluation, and where it was.
  last <- list(beta = NULL, sums = NULL)
  list(
    run = function(op, args) {
      if (op == "edge" && isTRUE(args$converged)) {
        # A converged fit whose last evaluation, at the estimate, had every
        # mean inside needs no pass: the search stops on the range alone.
        beta <- numeric(length(args$columns))
        beta[args$columns] <- args$beta
        range <- c(last$sums[["edge_min_mu"]], last$sums[["edge_max_mu"]])
        if (identical(beta, last$beta) && all_means_inside(range, db$family)) {
          return(list(min_mu = range[1L], max_mu = range[2L]))
        }
      }
      passes <<- passes + 1L
      switch(op,
        start = db_start_sums(db, args$fallback),
        sums = {
          out <- db_sums_at(db, args$beta, args$curvature)
          if (!is.null(out$edge)) last <<- list(beta = as.double(args$beta), sums = out$edge)
          out$edge <- NULL
          out
        },
        constant = db_constant_sums(db, args$eta0),
        edge = db_edge(db, args),
        rows_evaluator$run(op, args))
    },
    close = function() invisible(NULL),
    describe = sprintf("%s (sums by the database)", db$dialect$name),
    passes = function() passes + rows_evaluator$passes(),
    chunks = function() 1L,
    rows_dropped = db$rows_dropped
  )
}
