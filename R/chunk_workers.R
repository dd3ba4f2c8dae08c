# A cluster's rows stay on its workers: shard_data() spreads a data frame
# over them, and the functions below run there, each worker summing its
# shard in one pass of the core's accumulator.

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
  check_workers_load(cl)
  block <- sort(rep_len(seq_along(cl), nrow(data)))
  pieces <- split(data, factor(block, levels = seq_along(cl)))
  names(pieces) <- NULL
  rows <- parallel::clusterApply(cl, pieces, worker_store_shard, name)
  invisible(unlist(rows))
}

# mleglm's functions reach a worker as references into its namespace, which
# the worker resolves by loading mleglm; where it cannot, R would run them
# in the worker's global environment, with errors that say nothing of why.
check_workers_load <- function(cl) {
  loads <- unlist(parallel::clusterCall(cl, requireNamespace, "mleglm", quietly = TRUE))
  if (!all(loads)) {
    abort("input", sprintf(
      "%s of the cluster cannot load mleglm: install it where the workers look (their .libPaths()), or start them with the library paths of this session.",
      describe_workers(!loads)))
  }
  versions <- vapply(parallel::clusterCall(cl, getNamespaceVersion, "mleglm"), as.character, "")
  own <- as.character(getNamespaceVersion("mleglm"))
  if (any(versions != own)) {
    abort("input", sprintf("%s of the cluster load mleglm %s, not this session's %s.",
                           describe_workers(versions != own), versions[versions != own][1L], own))
  }
  invisible(TRUE)
}

describe_workers <- function(bad) {
  sprintf("%s %s", if (sum(bad) == 1L) "Worker" else "Workers", paste(which(bad), collapse = ", "))
}

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

worker_prepare <- function(shard, key, recipe) {
  design <- chunk_design(worker_shard(shard), recipe)
  assign(key, list(design = design, recipe = recipe), envir = worker_env)
  nrow(design$x)
}

worker_op <- function(key, op, args) {
  held <- get(key, envir = worker_env)
  chunk_op(held$design, op, args, held$recipe)
}

worker_release <- function(key) {
  if (exists(key, envir = worker_env)) rm(list = key, envir = worker_env)
  invisible(TRUE)
}
