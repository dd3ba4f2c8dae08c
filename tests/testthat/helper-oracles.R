# Shared helpers for the tests: R itself is the oracle.

# Largest relative difference, with an absolute floor for values near zero.
max_rel_diff <- function(a, b, floor = 1e-12) {
  a <- unname(as.numeric(a))
  b <- unname(as.numeric(b))
  max(abs(a - b) / pmax(abs(b), floor))
}

# glm() run to its tightest tolerance, the reference for coefficients.
glm_tight <- function(...) {
  stats::glm(..., control = stats::glm.control(epsilon = 1e-14, maxit = 200))
}
