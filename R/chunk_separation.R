# Infinite estimates in a chunked fit: the search of separation.R with the
# rows' part done chunk by chunk, in at most three passes after the fit.
#  1. "edge": the range of the fitted means and how many rows sit near the
#     boundary. A converged fit with every mean well inside stops here, as
#     a fit in memory does on its range of means.
#  2. "crossprod": for each threshold of boundary_thresholds, X_N'X_N over
#     the rows inside and X_B'X_B, X_B's over the rows at the boundary (in
#     columns scaled to largest absolute value 1). These give the null space
#     of X_N and the least-squares candidate for s_i x_i'd = 1 on B.
#  3. "margins": each candidate's margins on B and largest |x_i'd| on N,
#     which verify it exactly as certify_direction() does.
# The candidates are the fitted coefficients and the least-squares
# direction, projected on the null space of X_N; the Ho-Kashyap iterations
# of a fit in memory need a vector over the rows and are not made, so this
# search may miss a direction that fit() finds: the boundary or convergence
# warning then stays.

# `fit` is the chunked fit's result list; returns it with `separation`,
# `converged`, `message` and the warnings set as flag_infinite_estimates()
# sets them. `summary` is the core's data summary (for the mean count).
flag_infinite_chunked <- function(evaluator, fit, summary) {
  fit$separation <- numeric(0)
  name <- fit$family$family
  if (!name %in% c("binomial", "poisson")) return(fit)
  beta <- fit$coefficients[!fit$aliased]
  args <- list(beta = beta, columns = !fit$aliased, converged = fit$converged,
               near = 1e-6 * edge_scale(name, summary[["sum_y"]] / summary[["n_positive"]]))
  edge <- evaluator$run("edge", args)
  if (fit$converged && all_means_inside(c(edge$min_mu, edge$max_mu), fit$family)) return(fit)
  searched <- !is.null(boundary_side(0, fit$family)) && (!fit$converged || edge$n_suspect > 0)
  found <- if (searched) chunked_direction(evaluator, args, edge, length(beta))
  if (is.null(found)) {
    counted <- function(k) sprintf("%d %s", k, if (k == 1) "row" else "rows")
    if (edge$n_numerically > 0) {
      fit$warnings <- c(fit$warnings, edge_warning(name, counted(edge$n_numerically), TRUE))
    } else if (!fit$converged && edge$n_near > 0) {
      fit$warnings <- c(fit$warnings, edge_warning(name, counted(edge$n_near), FALSE))
    }
    return(fit)
  }
  names(found$direction) <- names(beta)
  where <- sprintf("%d %s", found$n_boundary, if (found$n_boundary == 1) "row" else "rows")
  mark_infinite(fit, found$direction, describe_cause(
    where, found$n_inside == 0, edge$n_zero == edge$n_rows, edge$n_one == edge$n_rows,
    fit$family))
}

# Passes 2 and 3: the first threshold whose candidates include a verified
# direction, as list(direction, n_boundary, n_inside), or NULL.
chunked_direction <- function(evaluator, args, edge, p) {
  args$scale <- ifelse(edge$max_scale > 0, edge$max_scale, 1)
  sums <- evaluator$run("crossprod", args)
  beta_scaled <- args$beta * args$scale
  candidates <- lapply(seq_along(boundary_thresholds), function(k) {
    if (sums$n_boundary[k] == 0) return(matrix(0, p, 0L))
    basis <- if (sums$n_inside[k] == 0) diag(p) else null_space_of_crossprod(sums$inside[, , k])
    if (ncol(basis) == 0L) return(matrix(0, p, 0L))
    gram <- crossprod(basis, sums$boundary[, , k] %*% basis)
    least_squares <- basis %*% pseudo_solve(gram, crossprod(basis, sums$rhs[, k]))
    d <- cbind(basis %*% crossprod(basis, beta_scaled), least_squares)
    size <- sqrt(colSums(d^2))
    d <- d[, size > 0 & is.finite(size), drop = FALSE]
    sweep(d, 2L, sqrt(colSums(d^2)), "/")
  })
  if (all(vapply(candidates, ncol, 1L) == 0L)) return(NULL)
  args$directions <- candidates
  margins <- evaluator$run("margins", args)
  at <- 0L
  for (k in seq_along(candidates)) {
    for (j in seq_len(ncol(candidates[[k]]))) {
      at <- at + 1L
      inside <- max(margins$max_inside[at], 0)
      if (certifies(c(margins$min_margin[at], margins$max_margin[at]), inside)) {
        return(list(direction = candidates[[k]][, j] / args$scale,
                    n_boundary = sums$n_boundary[k], n_inside = sums$n_inside[k]))
      }
    }
  }
  NULL
}

# The null space of X from X'X: eigenvectors whose eigenvalue is below
# 1e-10 of the largest (singular values of X below 1e-5 of the largest). The
# loose cut costs nothing in soundness, as each candidate is verified on
# the rows.
null_space_of_crossprod <- function(xtx) {
  e <- eigen(xtx, symmetric = TRUE)
  e$vectors[, e$values <= 1e-10 * max(e$values, 0), drop = FALSE]
}

# The minimum-norm solution of a symmetric positive semi-definite system.
pseudo_solve <- function(a, b) {
  e <- eigen(a, symmetric = TRUE)
  keep <- e$values > 1e-10 * max(e$values, 0)
  v <- e$vectors[, keep, drop = FALSE]
  v %*% (crossprod(v, b) / e$values[keep])
}

# One chunk's part of the three passes, on its rows of positive weight, for
# chunk_op(); minima and maxima are named min_ and max_ so that add_sums()
# combines them as such.
boundary_op <- function(design, op, args, recipe) {
  positive <- design$weights > 0
  x <- design$x[positive, args$columns, drop = FALSE]
  y <- design$y[positive]
  mu <- stats::make.link(recipe$link)$linkinv(drop(x %*% args$beta) + design$offset[positive])
  family <- recipe_family(recipe)
  side <- boundary_side(y, family)
  if (is.null(side)) side <- rep(0, length(y))
  if (op == "edge") {
    return(list(
      min_mu = min(mu, Inf), max_mu = max(mu, -Inf),
      n_numerically = sum(at_edge(mu, family$family, 10 * .Machine$double.eps)),
      n_near = sum(at_edge(mu, family$family, args$near)),
      n_suspect = sum((side < 0 & mu < 1e-4) | (side > 0 & mu > 1 - 1e-4)),
      n_rows = length(y), n_zero = sum(y == 0), n_one = sum(y == 1),
      max_scale = if (nrow(x) > 0L) apply(abs(x), 2L, max) else rep(-Inf, ncol(x))))
  }
  xs <- sweep(x, 2L, args$scale, "/")
  p <- ncol(xs)
  bounds <- lapply(boundary_thresholds, function(t) boundary_rows(side, mu, t))
  if (op == "crossprod") {
    k <- length(bounds)
    out <- list(inside = array(0, c(p, p, k)), boundary = array(0, c(p, p, k)),
                rhs = matrix(0, p, k), n_boundary = numeric(k), n_inside = numeric(k))
    for (i in seq_len(k)) {
      b <- bounds[[i]]
      out$inside[, , i] <- crossprod(xs[!b, , drop = FALSE])
      out$boundary[, , i] <- crossprod(xs[b, , drop = FALSE])
      out$rhs[, i] <- crossprod(xs[b, , drop = FALSE], side[b])
      out$n_boundary[i] <- sum(b)
      out$n_inside[i] <- sum(!b)
    }
    return(out)
  }
  column_extreme <- function(m, f, empty) {
    vapply(seq_len(ncol(m)), function(j) f(m[, j], empty), 1)
  }
  parts <- Map(function(b, d) {
    on_boundary <- side[b] * (xs[b, , drop = FALSE] %*% d)
    list(min = column_extreme(on_boundary, min, Inf),
         max = column_extreme(on_boundary, max, -Inf),
         inside = column_extreme(abs(xs[!b, , drop = FALSE] %*% d), max, -Inf))
  }, bounds, args$directions)
  list(min_margin = unlist(lapply(parts, `[[`, "min")),
       max_margin = unlist(lapply(parts, `[[`, "max")),
       max_inside = unlist(lapply(parts, `[[`, "inside")))
}
