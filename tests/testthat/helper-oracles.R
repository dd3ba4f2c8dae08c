# Shared helpers for the tests: R itself is the oracle.

# Largest relative difference, with an absolute floor for values near zero.
max_rel_diff <- function(a, b, floor = 1e-12) {
  a <- unname(as.numeric(a))
  b <- unname(as.numeric(b))
  max(abs(a - b) / pmax(abs(b), floor))
}

# glm() run to its tightest tolerance, the reference for coefficients. The
# call is rebuilt rather than forwarded through `...`, so that weights,
# subset and offset are evaluated in `data` as glm() expects.
glm_tight <- function(...) {
  call <- match.call()
  call[[1L]] <- quote(stats::glm)
  call$control <- quote(stats::glm.control(epsilon = 1e-14, maxit = 200))
  eval(call, parent.frame())
}
