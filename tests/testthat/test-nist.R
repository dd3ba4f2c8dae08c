# Accuracy against the NIST StRD linear least-squares datasets: certified
# coefficients and standard deviations, computed by NIST in extended
# precision. A Gaussian identity fit by maximum likelihood is least squares,
# so mleglm must get as many digits right as lm.fit() does, less one.

source(test_path("fixtures", "nist-strd.R"), local = TRUE)

# Log relative error: the number of correct significant digits, between 0 and
# 15; the log absolute error for a certified value of 0. A missing estimate
# has no correct digits.
nist_lre <- function(est, cert) {
  est <- unname(as.numeric(est))
  err <- ifelse(cert == 0, abs(est), abs(est - cert) / abs(cert))
  out <- pmin(pmax(-log10(err), 0), 15)
  out[is.na(out)] <- 0
  out
}

# lm.fit() coefficients and its standard errors (residual variance
# RSS / (n - rank)), NA for the columns it pivots out.
nist_lm <- function(X, y) {
  f <- stats::lm.fit(X, y)
  p <- f$rank
  piv <- f$qr$pivot[seq_len(p)]
  se <- rep(NA_real_, ncol(X))
  sigma2 <- sum(f$residuals^2) / (nrow(X) - p)
  se[piv] <- sqrt(diag(chol2inv(f$qr$qr[seq_len(p), seq_len(p), drop = FALSE])) * sigma2)
  list(coef = unname(f$coefficients), se = se)
}

# mleglm's fit, with the warnings it gave collected rather than shown.
nist_mleglm <- function(X, y) {
  fitting <- collect_conditions(mleglm::fit_matrix(X, y))
  f <- fitting$value
  se <- collect_conditions(unname(sqrt(diag(stats::vcov(f, type = "glm")))))
  warnings <- c(fitting$warnings, se$warnings)
  rank_warned <- any(vapply(warnings, inherits, logical(1), "mleglm_warning_rank_deficient"))
  list(coef = unname(stats::coef(f)), se = se$value, rank_warned = rank_warned,
       warnings = vapply(warnings, conditionMessage, character(1)))
}

nist_compare <- function(name) {
  set <- nist_strd[[name]]
  X <- nist_design(set)
  ml <- nist_mleglm(X, set$y)
  lm <- nist_lm(X, set$y)
  has_sd <- set$sd != 0
  list(
    ml = ml,
    coef_ml = nist_lre(ml$coef, set$beta),
    coef_lm = nist_lre(lm$coef, set$beta),
    se_ml = nist_lre(ml$se[has_sd], set$sd[has_sd]),
    se_lm = nist_lre(lm$se[has_sd], set$sd[has_sd])
  )
}

fmt_lre <- function(x) paste(formatC(x, format = "f", digits = 1), collapse = " ")

expect_nist_accuracy <- function(res, name) {
  info <- sprintf("%s: mleglm LRE [%s], lm LRE [%s]; mleglm warnings: %s",
                  name, fmt_lre(res$coef_ml), fmt_lre(res$coef_lm),
                  if (length(res$ml$warnings)) paste(res$ml$warnings, collapse = " | ") else "none")
  expect_false(anyNA(res$ml$coef), info = info)
  expect_true(min(res$coef_ml) >= min(res$coef_lm) - 1, info = info)
  if (length(res$se_ml)) {
    info_se <- sprintf("%s: mleglm SE LRE [%s], lm SE LRE [%s]", name,
                       fmt_lre(res$se_ml), fmt_lre(res$se_lm))
    expect_true(min(res$se_ml) >= min(res$se_lm) - 1, info = info_se)
  }
}

for (name in setdiff(names(nist_strd), "Filip")) {
  local({
    name <- name
    test_that(sprintf("NIST StRD %s: coefficients and standard errors as accurate as lm.fit()", name), {
      res <- nist_compare(name)
      expect_false(res$ml$rank_warned)
      expect_nist_accuracy(res, name)
    })
  })
}

test_that("NIST StRD Filip: accurate, or the rank deficiency declared, never a silent wrong answer", {
  res <- nist_compare("Filip")
  if (res$ml$rank_warned) {
    expect_true(anyNA(res$ml$coef))
  } else {
    # No warning: every coefficient must be there and meet the criterion.
    expect_nist_accuracy(res, "Filip")
  }
})
