# Sums over all the chunks of a chunked fit, for the core's evaluations:
# each chunk becomes a model matrix, response, weights and offset (with the
# terms and factor levels fixed at set-up), the core sums it, and the sums
# are added in a fixed order.

# run(op, args) gives the sums of operation `op` over all the rows, added in a
# fixed order: chunk by chunk for a local source, worker by worker for a
# cluster (each worker sums its shard in one pass of the accumulator).
make_evaluator <- function(source, recipe) {
  passes <- 0L
  chunks <- 0L
  if (identical(source$kind, "cluster")) {
    cl <- source$cl
    key <- basename(tempfile("fit"))  # no draw from the user's random stream
    recipe_remote <- recipe
    environment(recipe_remote$terms) <- globalenv()
    parallel::clusterCall(cl, worker_prepare, source$shard, key, recipe_remote)
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
        design <- chunk_design(raw, recipe)
        if (nrow(design$x) == 0L) return(NULL)
        count <<- count + 1L
        total <<- add_sums(total, chunk_op(design, op, args, recipe))
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

# The sums of one chunk for the core: of the starting step ("start") or at
# beta ("sums"), computed by the same objective as a fit in memory; of a
# start at a constant linear predictor ("constant"); or for
# the search for infinite estimates ("edge", "crossprod", "margins";
# chunk_separation.R).
chunk_op <- function(design, op, args, recipe) {
  chunk <- list(x = design$x, y = design$y, weights = design$weights, offset = design$offset,
                family = recipe$family, link = recipe$link)
  if (op == "start") {
    out <- call_core(cpp_chunk_start(chunk, args$fallback, recipe$threads))
    out$pending <- design$pending
    # Names travel as a 0-row matrix: add_sums keeps the first.
    out$design_names <- design$x[0L, , drop = FALSE]
    out$contrasts <- attr(design$x, "contrasts")
    return(out)
  }
  if (op == "sums") return(call_core(cpp_chunk_sums(chunk, args$beta, args$curvature, recipe$threads)))
  if (op == "constant") {
    # X'X and X'(eta0 - offset) over the rows of positive weight.
    positive <- design$weights > 0
    x <- design$x[positive, , drop = FALSE]
    return(list(xtx = crossprod(x), xty = drop(crossprod(x, args$eta0 - design$offset[positive]))))
  }
  boundary_op(design, op, args, recipe)
}

# Adds two chunks' sums: numbers add (those named min_ or max_ take the
# smaller or larger), validity needs both, pending warnings are kept, anything else (names, contrasts) comes from the first chunk.
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
    } else if (startsWith(name, "min_") && !is.null(a[[name]])) {
      a[[name]] <- pmin(a[[name]], b[[name]])
    } else if (startsWith(name, "max_") && !is.null(a[[name]])) {
      a[[name]] <- pmax(a[[name]], b[[name]])
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
chunk_design <- function(raw, recipe) {
  raw <- as.data.frame(raw, stringsAsFactors = FALSE)
  check_chunk_levels(raw, recipe$xlev)
  env <- environment(recipe$terms)
  args <- list(formula = recipe$terms, data = raw, xlev = recipe$xlev, na.action = stats::na.omit)
  if (!is.null(recipe$weights)) args$weights <- eval(recipe$weights, raw, env)
  if (!is.null(recipe$offset)) args$offset <- eval(recipe$offset, raw, env)
  mf <- tryCatch(do.call(stats::model.frame, args), error = function(e) model_frame_error(e))
  x <- tryCatch(stats::model.matrix(recipe$terms, mf, recipe$contrasts),
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
  response <- prepare_response(stats::model.response(mf, "any"), weights, recipe_family(recipe))
  list(x = x, y = as.double(response$y), weights = response$weights, offset = offset,
       pending = response$pending)
}

recipe_family <- function(recipe) list(family = recipe$family, link = recipe$link)

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
