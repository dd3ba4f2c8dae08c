# Leverage, standardised residuals and Cook's distances against stats' glm
# methods (1e-6: glm's working weights lag one iteration).

test_that("hatvalues(), rstandard() and cooks.distance() match glm's", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  d$w <- rep(c(0, 1, 2), length.out = nrow(d))
  cases <- list(list(hd ~ age + sex + thalach, binomial(link = "probit")),
                list(thalach ~ age + ca, gaussian()),
                list(num ~ age + sex, poisson()))
  for (case in cases) {
    # Zero weights (rows left out) and na.exclude (rows padded with NA),
    # separately: glm's influence() fails on the two together.
    for (setting in list(list(w = d$w, na = na.omit), list(w = NULL, na = na.exclude))) {
      d$ww <- if (is.null(setting$w)) rep(1, nrow(d)) else setting$w
      f <- fit(case[[1]], d, family = case[[2]], weights = ww, na.action = setting$na)
      g <- suppressWarnings(glm_tight(case[[1]], data = d, family = case[[2]], weights = ww,
                                      na.action = setting$na))
      expect_equal(hatvalues(f), hatvalues(g), tolerance = 1e-6)
      # (stats notes that zero-weight rows are left out of its dispersion.)
      expect_equal(rstandard(f), suppressWarnings(rstandard(g)), tolerance = 1e-6)
      expect_equal(rstandard(f, type = "pearson"), suppressWarnings(rstandard(g, type = "pearson")),
                   tolerance = 1e-6)
      expect_equal(cooks.distance(f), suppressWarnings(cooks.distance(g)), tolerance = 1e-6)
    }
  }
  expect_equal(sum(hatvalues(f), na.rm = TRUE), length(coef(f)), tolerance = 1e-10)
  expect_error(rstandard(f, type = "working"), class = "mleglm_error_input")
})
