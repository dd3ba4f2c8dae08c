# mleglm speed benchmark: mleglm against glm(), fastglm, speedglm, parglm
# (and lm.fit / RcppEigen for the Gaussian model) on the same prebuilt data,
# in one R process. Run from the package root with `make bench` (installs
# mleglm first). Writes bench/results.md and bench/results.png.
#
# Every contender runs with the same iteration limit (25, glm()'s default) and
# its own default convergence tolerance, which the table reports: glm.fit,
# fastglm, speedglm and parglm stop on the relative change of the deviance
# (1e-8); mleglm stops on the Newton decrement (1e-10 standard errors). The
# accuracy column shows what each delivers: the largest relative difference
# of the coefficients from glm(epsilon = 1e-14).
#
# Set MLEGLM_BENCH_QUICK=1 for a smoke run on small sizes only. Peers that
# are missing are installed into bench/lib (once; fastglm compiles for
# several minutes) from the repositories R is configured with
# (getOption("repos")); a peer that cannot be installed is skipped and the
# report says so.

local({
  lib <- file.path("bench", "lib")
  dir.create(lib, showWarnings = FALSE)
  .libPaths(c(lib, .libPaths()))
  repos <- getOption("repos")
  need <- c("bench", "speedglm", "parglm", "fastglm")
  missing <- need[!vapply(need, requireNamespace, TRUE, quietly = TRUE)]
  if (length(missing) > 0L &&
      (length(repos) == 0L || any(is.na(repos) | repos == "" | repos == "@CRAN@"))) {
    message("bench: no package repository configured (getOption(\"repos\")); not installing ",
            paste(missing, collapse = ", "), ". Set options(repos = ...) to install them.")
    missing <- character(0)
  }
  for (pkg in missing) {
    message("bench: installing ", pkg, " into ", lib)
    if (pkg == "fastglm") {
      # The current fastglm needs a newer Rcpp than Debian's; a newer Rcpp in
      # the benchmark's own library serves it (and mleglm, which it also runs).
      try(utils::install.packages("Rcpp", lib = lib, repos = repos, quiet = TRUE))
    }
    try(utils::install.packages(pkg, lib = lib, repos = repos, quiet = TRUE))
  }
})

suppressPackageStartupMessages(library(mleglm))
have <- function(pkg) requireNamespace(pkg, quietly = TRUE)
if (!have("bench")) stop("the bench package is needed for the benchmark")
quick <- nzchar(Sys.getenv("MLEGLM_BENCH_QUICK"))
maxit <- 25L
skipped <- character(0)
for (pkg in c("fastglm", "speedglm", "parglm", "RcppEigen")) {
  if (!have(pkg)) skipped <- c(skipped, sprintf("%s: not installed, skipped", pkg))
}

# ---- data --------------------------------------------------------------------

make_data <- function(n, p, family, seed = 1) {
  set.seed(seed)
  x <- cbind(1, matrix(stats::rnorm(n * (p - 1)), n, p - 1))
  colnames(x) <- c("(Intercept)", paste0("x", seq_len(p - 1)))
  beta <- c(0.3, stats::rnorm(p - 1, 0, 0.5 / sqrt(p)))
  eta <- drop(x %*% beta)
  y <- switch(family,
    binomial = stats::rbinom(n, 1, stats::plogis(eta)),
    poisson = stats::rpois(n, exp(eta)),
    gaussian = eta + stats::rnorm(n)
  )
  list(x = x, y = as.double(y), n = n, p = p)
}

family_object <- function(name) {
  switch(name, binomial = stats::binomial(), poisson = stats::poisson(), gaussian = stats::gaussian())
}

# ---- contenders: each returns list(coef, iter) --------------------------------

contenders <- function(family) {
  fam <- family_object(family)
  out <- list(
    "mleglm::fit_matrix" = function(d) {
      f <- fit_matrix(d$x, d$y, family = fam, control = mleglm_control(maxit = maxit))
      list(coef = coef(f), iter = f$iterations)
    },
    "stats::glm.fit" = function(d) {
      g <- stats::glm.fit(d$x, d$y, family = fam, control = stats::glm.control(maxit = maxit))
      list(coef = g$coefficients, iter = g$iter)
    }
  )
  if (have("fastglm")) {
    out[["fastglm (QR, default)"]] <- function(d) {
      g <- fastglm::fastglm(d$x, d$y, family = fam, method = 0L, maxit = maxit)
      list(coef = g$coefficients, iter = g$iter)
    }
    out[["fastglm (Cholesky LLT)"]] <- function(d) {
      g <- fastglm::fastglm(d$x, d$y, family = fam, method = 2L, maxit = maxit)
      list(coef = g$coefficients, iter = g$iter)
    }
  }
  if (have("speedglm")) {
    out[["speedglm::speedglm.wfit"]] <- function(d) {
      g <- speedglm::speedglm.wfit(d$y, d$x, family = fam, maxit = maxit)
      list(coef = g$coefficients, iter = g$iter)
    }
  }
  if (have("parglm")) {
    out[["parglm::parglm.fit (2 threads)"]] <- function(d) {
      g <- parglm::parglm.fit(d$x, d$y, family = fam,
                              control = parglm::parglm.control(nthreads = 2L, maxit = maxit))
      list(coef = g$coefficients, iter = g$iter)
    }
  }
  if (family == "gaussian") {
    out[["stats::lm.fit"]] <- function(d) list(coef = stats::lm.fit(d$x, d$y)$coefficients, iter = 1L)
    if (have("RcppEigen")) {
      out[["RcppEigen::fastLmPure"]] <- function(d) {
        list(coef = RcppEigen::fastLmPure(d$x, d$y)$coefficients, iter = 1L)
      }
    }
  }
  out
}

# The formula interfaces, on a data frame holding the same columns.
formula_contenders <- function(family) {
  fam <- family_object(family)
  list(
    "mleglm::fit (formula)" = function(d) {
      f <- fit(y ~ ., d$frame, family = fam, control = mleglm_control(maxit = maxit))
      list(coef = coef(f), iter = f$iterations)
    },
    "stats::glm (formula)" = function(d) {
      g <- stats::glm(y ~ ., data = d$frame, family = fam, control = stats::glm.control(maxit = maxit))
      list(coef = g$coefficients, iter = g$iter)
    }
  )
}

# ---- measuring ----------------------------------------------------------------

rel_diff <- function(a, b) max(abs(unname(a) - unname(b)) / pmax(abs(unname(b)), 1e-300))

run_cell <- function(family, n, p, rounds, with_formula = FALSE, only_mleglm = FALSE) {
  d <- make_data(n, p, family)
  cat(sprintf("\n== %s, n = %g, p = %d ==\n", family, n, p))
  floor_time <- stats::median(bench::mark(colSums(d$x), iterations = max(rounds, 5),
                                          check = FALSE, filter_gc = FALSE)$time[[1]])
  reference <- if (only_mleglm) NULL else stats::glm.fit(
    d$x, d$y, family = family_object(family),
    control = stats::glm.control(epsilon = 1e-14, maxit = 100))$coefficients
  fns <- contenders(family)
  if (only_mleglm) fns <- fns[1]
  if (with_formula) {
    d$frame <- data.frame(y = d$y, d$x[, -1, drop = FALSE])
    fns <- c(fns, formula_contenders(family))
  }
  rows <- lapply(names(fns), function(name) {
    result <- tryCatch(suppressWarnings(fns[[name]](d)), error = function(e) e)
    if (inherits(result, "error")) {
      cat(sprintf("  %-32s failed: %s\n", name, conditionMessage(result)))
      return(NULL)
    }
    m <- bench::mark(suppressWarnings(fns[[name]](d)), iterations = rounds, check = FALSE,
                     filter_gc = FALSE, memory = TRUE)
    time <- as.numeric(stats::median(m$time[[1]]))
    row <- data.frame(
      family = family, n = n, p = p, contender = name,
      median_s = time, iterations = result$iter, per_iter_s = time / max(result$iter, 1),
      mem_mb = as.numeric(m$mem_alloc) / 2^20,
      max_rel_diff = if (is.null(reference)) NA_real_ else rel_diff(result$coef, reference),
      floor_s = as.numeric(floor_time), stringsAsFactors = FALSE)
    cat(sprintf("  %-32s %9.4f s  %2d it  %8.1f MB  diff %.1e\n", name, time, result$iter,
                row$mem_mb, row$max_rel_diff))
    row
  })
  rows <- do.call(rbind, rows)
  base <- rows$median_s[rows$contender == "mleglm::fit_matrix"]
  rows$ratio_to_mleglm <- rows$median_s / base
  formula_base <- rows$median_s[rows$contender == "mleglm::fit (formula)"]
  if (length(formula_base) == 1L) {
    is_formula <- grepl("formula", rows$contender)
    rows$ratio_to_mleglm[is_formula] <- rows$median_s[is_formula] / formula_base
  }
  rows
}

cells <- if (quick) {
  list(list("binomial", 1e4, 10, 5, TRUE), list("gaussian", 1e4, 10, 5))
} else {
  list(
    list("binomial", 1e6, 10, 5, TRUE), list("binomial", 1e5, 100, 5), list("binomial", 1e4, 30, 10),
    list("binomial", 1e3, 10, 20),
    list("poisson", 1e6, 10, 5), list("poisson", 1e5, 100, 5), list("poisson", 1e4, 30, 10),
    list("poisson", 1e3, 10, 20),
    list("gaussian", 1e6, 10, 5), list("gaussian", 1e5, 100, 5)
  )
}
started <- Sys.time()
results <- do.call(rbind, lapply(cells, function(cell) {
  run_cell(cell[[1]], cell[[2]], cell[[3]], cell[[4]], with_formula = length(cell) > 4 && cell[[5]])
}))
if (!quick) results <- rbind(results, run_cell("binomial", 1e7, 5, 3, only_mleglm = TRUE))

# Threads: the same fit with one and with two threads.
thread_data <- make_data(if (quick) 1e4 else 1e6, 10, "binomial")
thread_time <- vapply(1:2, function(k) {
  as.numeric(stats::median(bench::mark(
    fit_matrix(thread_data$x, thread_data$y, family = stats::binomial(),
               control = mleglm_control(threads = k)),
    iterations = 5, check = FALSE, filter_gc = FALSE)$time[[1]]))
}, 0)

# ---- report -------------------------------------------------------------------

cpu <- tryCatch({
  info <- readLines("/proc/cpuinfo")
  sub(".*: ", "", grep("^model name", info, value = TRUE)[1])
}, error = function(e) "unknown")
machine <- sprintf("%s; %d cores; %s; BLAS %s; %s", cpu, parallel::detectCores(),
                   R.version.string, basename(extSoftVersion()[["BLAS"]]),
                   format(Sys.time(), "%Y-%m-%d"))

fmt <- function(x, digits = 3) formatC(x, digits = digits, format = "g")
table_lines <- c(
  "| family | n | p | contender | median (s) | iterations | s / iteration | R memory (MB) | time / mleglm | max rel. diff from glm(eps = 1e-14) | mleglm s / iteration / colSums(X) |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  sprintf("| %s | %s | %d | %s | %s | %d | %s | %s | %s | %s | %s |",
          results$family, format(results$n, scientific = TRUE), results$p, results$contender,
          fmt(results$median_s), as.integer(results$iterations), fmt(results$per_iter_s),
          fmt(results$mem_mb), fmt(results$ratio_to_mleglm), fmt(results$max_rel_diff, 2),
          ifelse(results$contender == "mleglm::fit_matrix",
                 fmt(results$per_iter_s / results$floor_s), ""))
)
out_md <- file.path("bench", "results.md")
writeLines(c(
  "# mleglm benchmark results", "",
  sprintf("Machine: %s.", machine), "",
  sprintf("Command: `make bench` (bench/run.R), %.1f minutes. Iteration limit %d for every contender; tolerances are each package's default (deviance change 1e-8 for the IRLS peers, Newton decrement 1e-10 for mleglm).",
          as.numeric(difftime(Sys.time(), started, units = "mins")), maxit), "",
  "Times are medians over 5 rounds (10 at n = 1e4, 20 at n = 1e3, 3 at n = 1e7); `time / mleglm` is each contender's time divided by mleglm's in the same cell (the formula rows by `mleglm::fit (formula)`); the last column is mleglm's time per iteration as a multiple of one plain pass over X (`colSums(X)`) measured in the same run.", "",
  table_lines, "",
  sprintf("Threads (binomial, n = %g, p = 10): 1 thread %.3f s, 2 threads %.3f s, speed-up %.2fx.",
          nrow(thread_data$x), thread_time[1], thread_time[2], thread_time[1] / thread_time[2]),
  "", if (length(skipped)) paste("Skipped:", paste(skipped, collapse = "; ")) else "All contenders ran."
), out_md)

out_png <- file.path("bench", "results.png")
grDevices::png(out_png, width = 1100, height = 650)
peers <- results[results$contender != "mleglm::fit_matrix" & !grepl("formula", results$contender) &
                   is.finite(results$ratio_to_mleglm), ]
cell_label <- sprintf("%s\nn=%g p=%d", peers$family, peers$n, peers$p)
ratio <- tapply(peers$ratio_to_mleglm, list(peers$contender, cell_label), identity)
graphics::par(mar = c(7, 5, 4, 1))
graphics::barplot(ratio, beside = TRUE, log = "y", col = grDevices::hcl.colors(nrow(ratio), "Dark 3"),
                  ylab = "time relative to mleglm (log scale)", las = 2, cex.names = 0.8,
                  legend.text = rownames(ratio), args.legend = list(x = "topright", cex = 0.8, bg = "white"),
                  main = paste("How many times longer than mleglm::fit_matrix each peer takes\n", machine))
graphics::abline(h = 1, lty = 2)
invisible(grDevices::dev.off())
cat("\nWrote", out_md, "and", out_png, "\n")
