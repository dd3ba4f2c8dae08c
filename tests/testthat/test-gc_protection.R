# The C++ boundary under gctorture(): R collects garbage at every
# allocation, so an R object the boundary holds without protection is freed
# at once and the fit crashes or returns garbage instead of passing now and
# then. Each case covers one path where the core calls R or builds R objects
# from its results: a custom family's R callbacks, the rank-deficient
# return, and the summed start and sums callbacks of a chunked fit. A few
# seconds to half a minute each, so they run only with MLEGLM_GCTORTURE=true
# (`make gctorture`, run by .ci/run).

skip_unless_gctorture <- function() {
  skip_if_not(identical(Sys.getenv("MLEGLM_GCTORTURE"), "true"),
              "gctorture() runs are slow: set MLEGLM_GCTORTURE=true (make gctorture)")
}

# `expr` evaluated once under gctorture(), which is switched off whatever
# happens.
under_gctorture <- function(expr) {
  gctorture(TRUE)
  on.exit(gctorture(FALSE))
  force(expr)
}

gc_rows <- function() mleglm::heart[1:40, ]

test_that("a custom family's callbacks hold their arguments while R allocates", {
  skip_unless_gctorture()
  d <- gc_rows()
  tortured <- under_gctorture(fit(thalach ~ age, d, family = t4_family()))
  plain <- fit(thalach ~ age, d, family = t4_family())
  # The same arithmetic in the same order: identical to the last bit.
  expect_identical(coef(tortured), coef(plain))
  expect_identical(logLik(tortured), logLik(plain))
})

test_that("the rank-deficient return holds its column flags while R allocates", {
  skip_unless_gctorture()
  d <- gc_rows()
  d$age2 <- 2 * d$age
  tortured <- NULL
  expect_warning(tortured <- under_gctorture(fit(thalach ~ age + age2, d)),
                 class = "mleglm_warning_rank_deficient")
  g <- stats::glm(thalach ~ age + age2, data = d)
  expect_equal(coef(tortured), coef(g), tolerance = 1e-10)
})

test_that("a chunked fit's start and sums callbacks hold their arguments while R allocates", {
  skip_unless_gctorture()
  d <- gc_rows()
  tortured <- under_gctorture(fit_chunked(thalach ~ age, chunk_function(d, 20), progress = FALSE))
  expect_equal(coef(tortured), coef(stats::glm(thalach ~ age, data = d)), tolerance = 1e-10)
})
