# The simulated data of the bad-input battery (test-bad-inputs.R), whose
# cases now also live in the files of the checks they exercise
# (test-family.R, test-control.R, test-response.R, test-fit.R): 40 seeded
# rows with a Gaussian response y, counts k, a 0/1 response b, a positive
# response g and predictors x and z. Sets the seed (606) as it draws.
bad_input_data <- function() {
  set.seed(606)
  n <- 40
  data.frame(x = rnorm(n), z = runif(n), y = rnorm(n, 5), k = rpois(n, 3),
             b = rbinom(n, 1, 0.4), g = rgamma(n, 2, 1))
}

# `v` with the entry at `at` (row 3 by default) replaced by `value`.
put <- function(v, value, at = 3L) replace(v, at, value)
