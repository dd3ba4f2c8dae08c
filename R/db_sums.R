# Sums computed by the database: each evaluation of the likelihood is one
# SELECT (more only where the sums outnumber the dialect's output columns)
# that returns the count, the score, the information, the deviance and
# Pearson's statistic, which the C++ solver consumes as it consumes chunk
# sums. The rows' values are computed in fenced layers, each once per row:
#   rows    the model's columns c1..cp, y, w and the offset, rows with a
#           NULL in a referenced column dropped, rows of zero weight left out
#   eta     the linear predictor at beta (our numbers, written exactly)
#   means   mu, dmu/deta, d2mu/deta2 where eta is in the link's domain
#   terms   per-row score, information weights, deviance and Pearson terms
# and the outer SELECT adds them up.

# The SQL of one layer over `inner`, fenced so that the database computes
# each row's values once.
sql_layer <- function(select, inner, d, where = NULL) {
  sprintf("SELECT %s FROM (%s %s) AS t%s", paste(select, collapse = ", "), inner, d$fence,
          if (is.null(where)) "" else paste(" WHERE", where))
}

# The rows layer: the model's columns over the source.
sql_rows <- function(model, from, d) {
  cols <- sprintf("%s AS c%d", unlist(model$columns), seq_along(model$columns))
  complete <- if (length(model$referenced)) {
    paste(sprintf("%s IS NOT NULL", model$quoted), collapse = " AND ")
  } else {
    "1 = 1"
  }
  sprintf("SELECT %s FROM %s WHERE %s",
          paste(c(cols, sprintf("%s AS y", model$y), sprintf("%s AS w", model$w),
                  sprintf("%s AS o", model$offset)), collapse = ", "),
          from, complete)
}

# Runs one query, turning the database's errors into classed ones.
# `numerical` is what an overflow or underflow error means to the caller:
# NULL to raise it, or a value to return instead.
db_query <- function(con, sql, numerical = NULL) {
  tryCatch(DBI::dbGetQuery(con, sql), error = function(e) {
    msg <- conditionMessage(e)
    if (!is.null(numerical) && grepl("out of range|overflow|underflow", msg, ignore.case = TRUE)) {
      return(numerical)
    }
    if (!DBI::dbIsValid(con)) {
      abort("database", sprintf("The database connection was lost during the fit: %s", msg))
    }
    abort("database", sprintf("The database could not compute the sums: %s", msg))
  })
}

# Runs the sums named in `exprs` (SQL aggregates) over `inner`, in as many
# queries as the dialect's column limit needs; each also counts the rows,
# and a count that differs from `expected` means the data changed.
db_aggregate <- function(con, inner, exprs, d, expected = NULL, numerical = NULL) {
  per_query <- max(1L, d$max_columns - 2L)
  groups <- split(seq_along(exprs), ceiling(seq_along(exprs) / per_query))
  out <- numeric(0)
  for (g in groups) {
    # Cast, so that counts and integer sums come back as doubles (not
    # PostgreSQL's bigint or numeric).
    sql <- sprintf("SELECT %s AS n_rows, %s FROM (%s %s) AS s", sql_cast("COUNT(*)", d),
                   paste(sprintf("%s AS v%d", sql_cast(exprs[g], d), g), collapse = ", "), inner, d$fence)
    res <- db_query(con, sql, numerical)
    if (!is.data.frame(res)) return(NULL)
    count <- as.numeric(res$n_rows)
    if (!is.null(expected) && count != expected) {
      abort("database", sprintf(
        "The data changed during the fit: a pass found %.0f rows to fit where the first found %.0f.",
        count, expected))
    }
    values <- vapply(res[-1L], function(v) if (is.null(v) || is.na(v)) 0 else as.numeric(v), 1)
    out <- c(out, values)
  }
  names(out) <- names(exprs)
  out
}

# The sum expressions of a score vector and a symmetric matrix, with
# `weight` and `score` the per-row SQL terms.
cross_sums <- function(p, weight, prefix) {
  pairs <- which(upper.tri(diag(p), diag = TRUE), arr.ind = TRUE)
  stats::setNames(sprintf("SUM(%s * c%d * c%d)", weight, pairs[, 1L], pairs[, 2L]),
                  sprintf("%s_%d_%d", prefix, pairs[, 1L], pairs[, 2L]))
}

unpack_symmetric <- function(values, p, prefix) {
  m <- matrix(0, p, p)
  pairs <- which(upper.tri(m, diag = TRUE), arr.ind = TRUE)
  m[pairs] <- values[sprintf("%s_%d_%d", prefix, pairs[, 1L], pairs[, 2L])]
  m[pairs[, 2:1, drop = FALSE]] <- m[pairs]
  m
}

# `inner` with the link's pre-computed values of eta (sql_link()) added to
# the columns `keep`, where the link has any.
with_link_pre <- function(inner, keep, link, d) {
  if (is.null(link$pre)) return(inner)
  pre <- link$pre("eta")
  sql_layer(c(keep, sprintf("%s AS %s", pre, names(pre))), inner, d)
}

# The layers from the rows to the means at beta: c1..cp, y, w, mu, m1 (and
# m2, dv where the observed information is wanted), v and ok (1 where the
# row's eta and mu are inside the parameter space).
sql_means_at <- function(db, beta, observed) {
  d <- db$dialect
  cs <- sprintf("c%d", seq_along(beta))
  n <- function(x) sql_number(x, d)
  eta <- paste(c(sprintf("%s * %s", vapply(beta, n, ""), cs), "o"), collapse = " + ")
  rows <- sql_layer(c(cs, "y", "w", sprintf("(%s) AS eta", eta)), db$rows, d, where = "w > 0")
  link <- db$link
  rows <- with_link_pre(rows, c(cs, "y", "w", "eta"), link, d)
  dist <- db$distribution
  inside <- link$valid("eta")
  guard <- function(expr, otherwise) sprintf("(CASE WHEN %s THEN %s ELSE %s END)", inside, expr, n(otherwise))
  means <- sql_layer(c(cs, "y", "w",
                       sprintf("(CASE WHEN %s THEN 1 ELSE 0 END) AS ok_eta", inside),
                       sprintf("%s AS mu", guard(link$inverse("eta"), 0.5)),
                       sprintf("%s AS m1", guard(link$derivative("eta"), 1)),
                       if (observed) sprintf("%s AS m2", guard(link$second("eta"), 0))),
                     rows, d)
  valid <- sprintf("(CASE WHEN ok_eta = 1 AND %s THEN 1 ELSE 0 END)", dist$valid("mu"))
  sql_layer(c(cs, "y", "w", "mu", "m1", if (observed) "m2",
              sprintf("%s AS ok", valid),
              sprintf("%s AS v", dist$variance("mu")),
              if (observed) sprintf("%s AS dv", dist$dvariance("mu"))),
            means, d)
}

# The per-row terms at beta, over sql_means_at(); the columns of the
# result are c1..cp, ok (1 where the row is inside the parameter space), s
# (score weight), we and wo (expected and observed information weights),
# dev and pear.
sql_terms_at <- function(db, beta, observed) {
  d <- db$dialect
  cs <- sprintf("c%d", seq_along(beta))
  n <- function(x) sql_number(x, d)
  dist <- db$distribution
  variances <- sql_means_at(db, beta, observed)
  when_ok <- function(expr) sprintf("(CASE WHEN ok = 1 THEN %s ELSE %s END)", expr, n(0))
  terms <- c(cs, "ok", "y", "mu",
             sprintf("%s AS s", when_ok("w * (y - mu) * m1 / v")),
             sprintf("%s AS we", when_ok("w * m1 * m1 / v")),
             if (observed) sprintf("%s AS wo", when_ok("w * m1 * m1 / v - w * (y - mu) * (m2 * v - m1 * m1 * dv) / (v * v)")),
             sprintf("%s AS dev", when_ok(dist$deviance("y", "mu", "w"))),
             sprintf("%s AS pear", when_ok("w * (y - mu) * (y - mu) / v")))
  sql_layer(terms, variances, d)
}

# The sums at beta for the core, as cpp_chunk_sums() gives them for a chunk.
db_sums_at <- function(db, beta, curvature) {
  p <- length(beta)
  canonical <- db$canonical
  exact <- curvature %in% c("exact", "both") && !canonical
  inner <- sql_terms_at(db, beta, observed = exact)
  exprs <- c(invalid = "SUM(1 - ok)", deviance = "SUM(dev)", pearson = "SUM(pear)",
             stats::setNames(sprintf("SUM(s * c%d)", seq_len(p)), sprintf("score_%d", seq_len(p))))
  if (curvature != "none") exprs <- c(exprs, cross_sums(p, if (exact) "wo" else "we", "info"))
  if (curvature == "both" && exact) exprs <- c(exprs, cross_sums(p, "we", "expected"))
  # The range of the means rides along (two aggregates of some 70): at the
  # estimate it usually shows every mean inside, and spares the separation
  # search its first pass.
  edge <- db$family$family %in% c("binomial", "poisson")
  if (edge) exprs <- c(exprs, edge_min_mu = "MIN(mu)", edge_max_mu = "MAX(mu)")
  sums <- db_aggregate(db$con, inner, exprs, db$dialect, expected = db$n_positive,
                       numerical = "overflow")
  if (is.null(sums)) return(list(ok = FALSE, deviance = NaN, pearson = NaN, score = rep(NaN, p)))
  out <- list(ok = sums[["invalid"]] == 0 && is.finite(sums[["deviance"]]),
              deviance = sums[["deviance"]], pearson = sums[["pearson"]],
              score = unname(sums[sprintf("score_%d", seq_len(p))]))
  if (curvature != "none") out$information <- unpack_symmetric(sums, p, "info")
  if (curvature == "both") {
    out$expected <- if (exact) unpack_symmetric(sums, p, "expected") else out$information
  }
  if (edge) out$edge <- sums[startsWith(names(sums), "edge_")]
  if (out$ok && !all(is.finite(c(out$score, out$information, out$expected)))) {
    abort("numerical", sprintf(
      "The database returned non-finite sums at the current coefficients (an overflow in %s's arithmetic): rescale the columns or use sums = \"r\".",
      db$dialect$name))
  }
  out
}

# The sums of the starting least-squares step, as cpp_chunk_start() gives
# them: the family's starting means, their link (or `fallback` where the
# link cannot take them), and X'WX and X'Wz at those.
db_start_sums <- function(db, fallback) {
  d <- db$dialect
  n <- function(x) sql_number(x, d)
  p <- length(db$model$columns)
  cs <- sprintf("c%d", seq_len(p))
  link <- db$link
  dist <- db$distribution
  means <- sql_layer(c(cs, "y", "w", "o", sprintf("%s AS m", dist$start("y", "w"))), db$rows, d,
                     where = "w > 0")
  linked <- sql_layer(c(cs, "y", "w", "o", "m",
                        sprintf("(CASE WHEN %s THEN 1 ELSE 0 END) AS lv", link$linkfun_valid("m")),
                        sprintf("(CASE WHEN %s THEN %s ELSE %s END) AS e", link$linkfun_valid("m"),
                                link$linkfun("m"), n(0))),
                      means, d)
  usable <- sprintf("lv = 1 AND %s AND %s", link$valid("e"), dist$valid("m"))
  chosen <- sql_layer(c(cs, "y", "w", "o",
                        sprintf("(CASE WHEN %s THEN 0 ELSE 1 END) AS fb", usable),
                        sprintf("(CASE WHEN %s THEN e ELSE %s END) AS eta", usable,
                                n(if (is.nan(fallback)) 0 else fallback))),
                      linked, d)
  inside <- link$valid("eta")
  chosen <- with_link_pre(chosen, c(cs, "y", "w", "o", "fb", "eta"), link, d)
  at <- sql_layer(c(cs, "y", "w", "o", "fb", "eta",
                    sprintf("(CASE WHEN %s THEN 1 ELSE 0 END) AS ok_eta", inside),
                    sprintf("(CASE WHEN %s THEN %s ELSE %s END) AS mu", inside, link$inverse("eta"), n(0.5)),
                    sprintf("(CASE WHEN %s THEN %s ELSE %s END) AS m1", inside, link$derivative("eta"), n(1))),
                  chosen, d)
  working <- sql_layer(c(cs, "fb",
                         sprintf("(CASE WHEN ok_eta = 1 AND %s THEN 1 ELSE 0 END) AS ok", dist$valid("mu")),
                         sprintf("(CASE WHEN ok_eta = 1 AND %s THEN w * m1 * m1 / %s ELSE %s END) AS wt",
                                 dist$valid("mu"), dist$variance("mu"), n(0)),
                         "(eta - o) + (y - mu) / m1 AS z"),
                       at, d)
  exprs <- c(invalid = "SUM(1 - ok)", n_fallback = "SUM(fb)",
             stats::setNames(sprintf("SUM(wt * z * c%d)", seq_len(p)), sprintf("score_%d", seq_len(p))),
             cross_sums(p, "wt", "info"))
  sums <- db_aggregate(db$con, working, exprs, d, expected = db$n_positive)
  list(ok = sums[["invalid"]] == 0 && all(is.finite(sums)),
       score = unname(sums[sprintf("score_%d", seq_len(p))]),
       information = unpack_symmetric(sums, p, "info"),
       n_fallback = sums[["n_fallback"]],
       summary = db$summary,
       pending = db$pending,
       design_names = db$model$design_names,
       contrasts = db$model$contrasts)
}

# The sums of a start at the constant linear predictor eta0, as the chunks'
# "constant" operation gives them: X'X and X'(eta0 - offset), rows of
# positive weight.
db_constant_sums <- function(db, eta0) {
  p <- length(db$model$columns)
  exprs <- c(stats::setNames(sprintf("SUM((%s - o) * c%d)", sql_number(eta0, db$dialect), seq_len(p)),
                             sprintf("xty_%d", seq_len(p))),
             cross_sums(p, sql_number(1, db$dialect), "xtx"))
  inner <- sql_layer(c(sprintf("c%d", seq_len(p)), "o"), db$rows, db$dialect, where = "w > 0")
  sums <- db_aggregate(db$con, inner, exprs, db$dialect, expected = db$n_positive)
  list(xtx = unpack_symmetric(sums, p, "xtx"), xty = unname(sums[sprintf("xty_%d", seq_len(p))]))
}
