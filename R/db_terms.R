# A model's columns as SQL, for sums computed in the database: each column
# of the model matrix, the response, the weights and the offset become SQL
# expressions over the source's columns. Names are quoted by the
# connection (DBI::dbQuoteIdentifier, dbQuoteString); formula text is never
# pasted into SQL: it is parsed, and only columns, our own numbers and a few
# operators and functions are translated. Factors become CASE WHEN
# dummies under treatment contrasts, in model.matrix()'s column order, which
# is checked against model.matrix() on a prototype of the rows.

# list(columns = named SQL expressions in model-matrix order, y, w, offset,
# referenced = the source columns used (rows with a NULL in any are
# dropped), contrasts = as model.matrix() records them).
db_model_sql <- function(mt, head, xlev, contrasts, weights, offset, family, con, d) {
  vars <- as.list(attr(mt, "variables"))[-1L]
  response <- attr(mt, "response")
  translate <- function(expr) sql_expression(expr, head, con, d)

  # The prototype: head's first rows, with the levels of the whole source.
  proto <- tryCatch({
    mf <- stats::model.frame(mt, head, xlev = xlev, na.action = stats::na.pass)
    stats::model.matrix(mt, mf, contrasts)
  }, error = function(e) model_frame_error(e))
  check_treatment_contrasts(attr(proto, "contrasts"))

  columns <- if (attr(mt, "intercept") == 1L) list("(Intercept)" = sql_number(1, d)) else list()
  factors <- attr(mt, "factors")
  for (term in colnames(factors)) {
    block <- list()
    # The rows of `factors` are the variables, in their order.
    for (i in which(factors[, term] > 0)) {
      coded <- variable_columns(vars[[i]], rownames(factors)[i], factors[i, term], head, xlev,
                                con, d, translate)
      block <- if (length(block) == 0L) coded else interact(block, coded)
    }
    columns <- c(columns, block)
  }
  if (!identical(names(columns), colnames(proto))) {
    abort("input", sprintf(
      "The model matrix of this formula cannot be written in SQL (its columns are %s); use sums = \"r\".",
      paste(colnames(proto), collapse = ", ")))
  }

  y <- response_sql(vars[[response]], head, xlev, family, con, d, translate)
  w <- if (is.null(weights)) sql_number(1, d) else translate(weights)
  if (!is.null(y$trials)) w <- sprintf("(%s * %s)", w, y$trials)
  offsets <- lapply(vars[attr(mt, "offset")], function(call) translate(call[[2L]]))
  if (!is.null(offset)) offsets <- c(offsets, list(translate(offset)))
  offset_sql <- if (length(offsets) == 0L) sql_number(0, d) else paste0("(", paste(unlist(offsets), collapse = " + "), ")")

  used <- c(all.vars(attr(mt, "variables")), if (!is.null(weights)) all.vars(weights),
            if (!is.null(offset)) all.vars(offset))
  list(columns = columns, y = y$y, w = w, offset = offset_sql,
       referenced = intersect(unique(used), names(head)), contrasts = attr(proto, "contrasts"),
       design_names = proto[0L, , drop = FALSE])
}

check_treatment_contrasts <- function(contrasts) {
  for (name in names(contrasts)) {
    if (!identical(contrasts[[name]], "contr.treatment")) {
      abort("input", sprintf(
        "Only treatment contrasts can be computed in the database; '%s' has other contrasts. Use sums = \"r\".",
        name))
    }
  }
}

# The columns one variable gives in a term: its expression, or for a factor
# its dummies (coding 1: all levels but the first; 2: every level).
variable_columns <- function(expr, label, coding, head, xlev, con, d, translate) {
  if (is.name(expr) && as.character(expr) %in% names(head)) {
    column <- as.character(expr)
    quoted <- as.character(DBI::dbQuoteIdentifier(con, column))
    if (!is.null(xlev[[column]])) {
      lv <- xlev[[column]]
      if (coding == 1L) lv <- lv[-1L]
      out <- lapply(lv, function(l) {
        sprintf("(CASE WHEN %s = %s THEN %s ELSE %s END)", quoted,
                as.character(DBI::dbQuoteString(con, l)), sql_number(1, d), sql_number(0, d))
      })
      return(stats::setNames(out, paste0(label, lv)))
    }
    if (is.logical(head[[column]])) {
      lv <- c("FALSE", "TRUE")
      if (coding == 1L) lv <- "TRUE"
      out <- lapply(lv, function(l) {
        sprintf("(CASE WHEN %s%s THEN %s ELSE %s END)", if (l == "TRUE") "" else "NOT ", quoted,
                sql_number(1, d), sql_number(0, d))
      })
      return(stats::setNames(out, paste0(label, lv)))
    }
  }
  stats::setNames(list(translate(expr)), label)
}

# The columns of an interaction, the first variable's varying fastest, as
# model.matrix() orders them.
interact <- function(left, right) {
  out <- list()
  for (r in names(right)) {
    for (l in names(left)) {
      out[[paste(l, r, sep = ":")]] <- sprintf("(%s * %s)", left[[l]], right[[r]])
    }
  }
  out
}

# The response as a proportion or value `y`, and for cbind(successes,
# failures) the `trials` that multiply the weights.
response_sql <- function(expr, head, xlev, family, con, d, translate) {
  n <- function(x) sql_number(x, d)
  if (is.call(expr) && identical(expr[[1L]], as.name("cbind"))) {
    if (family$family != "binomial" || length(expr) != 3L) {
      abort("input", "A matrix response must have two columns (successes, failures) and the binomial family.")
    }
    s <- translate(expr[[2L]])
    f <- translate(expr[[3L]])
    trials <- sprintf("(%s + %s)", s, f)
    return(list(y = sprintf("(CASE WHEN %s > 0 THEN %s / %s ELSE %s END)", trials, s, trials, n(0)),
                trials = trials))
  }
  if (is.name(expr) && as.character(expr) %in% names(head)) {
    column <- as.character(expr)
    value <- head[[column]]
    quoted <- as.character(DBI::dbQuoteIdentifier(con, column))
    if (is.character(value) || is.factor(value) || is.logical(value)) {
      if (family$family != "binomial") {
        abort("input", sprintf("A %s response needs the binomial family; the family is %s.",
                               class(value)[1L], family$family))
      }
      if (is.logical(value)) return(list(y = sprintf("(CASE WHEN %s THEN %s ELSE %s END)", quoted, n(1), n(0))))
      first <- xlev[[column]][1L]
      return(list(y = sprintf("(CASE WHEN %s = %s THEN %s ELSE %s END)", quoted,
                              as.character(DBI::dbQuoteString(con, first)), n(0), n(1))))
    }
  }
  list(y = translate(expr))
}

# An R expression over the source's numeric columns as SQL: columns, numbers,
# + - * / ^, log() (natural, or with a base), log2(), log10(), exp(),
# sqrt(), abs() and I(). Anything else is a classed error naming the term.
sql_expression <- function(expr, head, con, d) {
  whole <- expr
  refuse <- function(why) {
    abort("input", sprintf(
      "The term '%s' cannot be computed in the database (%s); only columns, numbers, + - * / ^, log(), exp(), sqrt(), abs() and I() can. Use sums = \"r\" to fetch the rows instead.",
      deparse1(whole), why))
  }
  walk <- function(e) {
    if (is.numeric(e) && length(e) == 1L && is.finite(e)) return(sql_number(e, d))
    if (is.name(e)) {
      name <- as.character(e)
      if (!name %in% names(head)) refuse(sprintf("'%s' is not a column of the data", name))
      value <- head[[name]]
      if (!(is.numeric(value) || is.logical(value))) {
        refuse(sprintf("column '%s' is %s, not numeric", name, class(value)[1L]))
      }
      return(sql_cast(as.character(DBI::dbQuoteIdentifier(con, name)), d))
    }
    if (!is.call(e) || !is.name(e[[1L]])) refuse("it is not a column, a number or a known function")
    f <- as.character(e[[1L]])
    args <- as.list(e)[-1L]
    if (!is.null(names(args)) && any(nzchar(names(args)) & names(args) != "base")) {
      refuse("named arguments are not translated")
    }
    one <- function() {
      if (length(args) != 1L) refuse(sprintf("%s() takes one argument here", f))
      walk(args[[1L]])
    }
    switch(f,
      "(" = , "I" = sprintf("(%s)", one()),
      "+" = if (length(args) == 1L) walk(args[[1L]]) else sprintf("(%s + %s)", walk(args[[1L]]), walk(args[[2L]])),
      "-" = if (length(args) == 1L) sprintf("(-%s)", walk(args[[1L]])) else sprintf("(%s - %s)", walk(args[[1L]]), walk(args[[2L]])),
      "*" = sprintf("(%s * %s)", walk(args[[1L]]), walk(args[[2L]])),
      "/" = sprintf("(%s / %s)", walk(args[[1L]]), walk(args[[2L]])),
      "^" = {
        power <- args[[2L]]
        if (!is.numeric(power) || length(power) != 1L || !is.finite(power)) refuse("a power must be a number")
        base <- walk(args[[1L]])
        if (power == 2) sprintf("(%s * %s)", base, base) else sprintf("power(%s, %s)", base, sql_number(power, d))
      },
      log = {
        if (length(args) == 1L) {
          sprintf("%s(%s)", d$ln, walk(args[[1L]]))
        } else if (length(args) == 2L) {
          sprintf("(%s(%s) / %s(%s))", d$ln, walk(args[[1L]]), d$ln, walk(args[[2L]]))
        } else {
          refuse("log() takes one or two arguments")
        }
      },
      log2 = sprintf("(%s(%s) / %s)", d$ln, one(), sql_number(log(2), d)),
      log10 = sprintf("(%s(%s) / %s)", d$ln, one(), sql_number(log(10), d)),
      exp = sprintf("exp(%s)", one()),
      sqrt = sprintf("sqrt(%s)", one()),
      abs = sprintf("abs(%s)", one()),
      refuse(sprintf("%s() has no SQL translation", f))
    )
  }
  walk(expr)
}
