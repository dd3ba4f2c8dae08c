# Resolving `family` (R/family.R): a name, a family function or a family
# object becomes a validated stats family, checked against the family and
# link table of the C++ core; everything else is an mleglm_error_family
# whose message names `family` and, where it helps, the supported families
# and links. The error expectations are those of helper-conditions.R.

# A design and response from heart (303 rows), as in test-errors.R.
X <- cbind("(Intercept)" = 1, age = heart$age)
y <- heart$thalach
# The 40 simulated rows of test-bad-inputs.R (helper-inputs.R).
d <- bad_input_data()

# ---- names, functions and objects -------------------------------------------------

test_that("an unknown family name is a family error listing the supported ones", {
  cnd <- expect_mleglm_error(fit(thalach ~ age, heart, family = "gaussianx"),
                             "mleglm_error_family", c("`family`", "gaussianx"))
  expect_match(conditionMessage(cnd), "Supported families and links", fixed = TRUE)
  expect_mleglm_error(fit_matrix(X, y, family = c("poisson", "binomial")),
                      "mleglm_error_family", "`family`")
  expect_mleglm_error(fit_matrix(X, y, family = NA_character_),
                      "mleglm_error_family", "`family`")
})

test_that("a family name is matched like the stats function", {
  m <- fit_matrix(X, heart$num, family = "poisson")
  expect_identical(m$family$family, "poisson")
  expect_identical(m$family$link, "log")
})

test_that("an object that is not a family is a family error", {
  expect_mleglm_error(fit(thalach ~ age, heart, family = list(family = "gaussian")),
                      "mleglm_error_family", "`family`")
  expect_mleglm_error(fit(thalach ~ age, heart, family = 3),
                      "mleglm_error_family", "`family`")
  expect_mleglm_error(fit_matrix(X, y, family = lm),
                      "mleglm_error_family", "`family`")
})

# ---- links ------------------------------------------------------------------------

test_that("unsupported links are family errors naming the family and the link", {
  expect_mleglm_error(fit(num > 0 ~ age, heart, family = binomial(link = "identity")),
                      "mleglm_error_family", c("`family`", "binomial", "\"identity\""))
  # stats accepts binomial(link = "inverse") and glm() only fails much later.
  expect_mleglm_error(fit(num > 0 ~ age, heart, family = binomial(link = "inverse")),
                      "mleglm_error_family", c("binomial", "\"inverse\""))
  # stats::poisson() accepts any make.link() name, inverse included.
  pois_inverse <- tryCatch(poisson(link = "inverse"), error = function(e) NULL)
  skip_if(is.null(pois_inverse), "stats does not allow poisson(link = \"inverse\")")
  expect_mleglm_error(fit(num ~ age, heart, family = pois_inverse),
                      "mleglm_error_family", c("poisson", "\"inverse\""))
})

test_that("a link stats itself rejects, or a broken family, is a family error", {
  expect_classed(fit(k ~ x, d, family = poisson(link = "foo")), "mleglm_error_family",
                 c("`family`", "foo"))
  expect_classed(fit(y ~ x, d, family = function() stop("no family here")),
                 "mleglm_error_family", c("`family`", "no family here"))
  fam <- binomial()
  fam$link <- "foo"
  expect_classed(fit(b ~ x, d, family = fam), "mleglm_error_family", c("`family`", "\"foo\""))
  expect_classed(fit(y ~ x, d, family = gaussian(link = "sqrt")), "mleglm_error_family",
                 c("`family`", "\"sqrt\""))
  expect_classed(fit(y ~ x, d, family = NULL), "mleglm_error_family", "`family`")
})

# ---- quasi-likelihood -------------------------------------------------------------

test_that("quasi families are family errors explaining there is no likelihood", {
  for (fam in list(quasipoisson(), quasibinomial(), quasi())) {
    expect_mleglm_error(fit(num ~ age, heart, family = fam), "mleglm_error_family",
                        c("`family`", fam$family, "Quasi-likelihood"))
  }
  expect_mleglm_error(fit(num ~ age, heart, family = quasipoisson),
                      "mleglm_error_family", "quasipoisson")
})
