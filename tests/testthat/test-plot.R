# Every plot draws on a temporary pdf device without error.

with_pdf <- function(code) {
  path <- tempfile(fileext = ".pdf")
  grDevices::pdf(path)
  device <- grDevices::dev.cur()
  on.exit({
    if (device %in% grDevices::dev.list()) grDevices::dev.off(device)
    unlink(path)
  })
  force(code)
  grDevices::dev.off(device)
  expect_gt(file.size(path), 0)
}

test_that("plot(fit) draws the four diagnostic panels, or a chosen one", {
  d <- heart
  d$hd <- as.numeric(d$num > 0)
  f <- fit(hd ~ age + sex + thalach, d, family = binomial())
  with_pdf({
    op <- par(mfrow = c(2, 2))
    expect_identical(plot(f), f)
    par(op)
    plot(f, which = 3, id.n = 0)
  })
  g <- fit(thalach ~ age + ca, heart, weights = rep(c(0, 1), length.out = 303), na.action = na.exclude)
  with_pdf(plot(g, which = 1:4, ask = FALSE))
  expect_error(plot(f, which = 5), class = "mleglm_error_input")
})

test_that("plot(profile(fit)) draws the signed root and the log-likelihood scale", {
  f <- fit(num > 0 ~ age + sex, heart, family = binomial())
  pr <- profile(f)
  with_pdf({
    expect_identical(plot(pr), pr)
    plot(pr, which = "age", scale = "loglik", level = 0.9)
  })
  expect_error(with_pdf(plot(pr, which = "nope")), class = "mleglm_error_input")
  expect_error(with_pdf(plot(pr, scale = "deviance")), class = "mleglm_error_input")
})

test_that("plot(fit_trace(fit)) draws the log-likelihood and the score norm", {
  for (method in c("newton", "fisher", "bfgs")) {
    f <- fit(num > 0 ~ age + sex, heart, family = binomial(link = "probit"), method = method)
    with_pdf(expect_s3_class(plot(fit_trace(f)), "mleglm_trace"))
  }
})
