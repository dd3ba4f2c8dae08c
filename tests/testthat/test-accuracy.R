# Accuracy of coefficients and standard errors at the default control,
# against references computed here in R by a code path that shares nothing
# with the C++ core: Newton-Raphson on the exact observed information built
# from the stats family functions, iterated until the step is rounding
# (with the Gamma shape from uniroot() on R's digamma()), and glm() refitted
# from the estimate with epsilon = 1e-14. Agreement is counted in
# significant digits, -log10 of the largest relative difference over the
# coefficients; at least 10 are required. Measured with R 4.2.2 on the
# build machines, against the Newton reference: coefficients 10.8-14.7
# digits (the solver stops within tol = 1e-10 standard errors of the
# maximum, so coefficients small next to their standard error keep fewest),
# standard errors 11.4-15.0, Gamma dispersion 14.1-14.9; against glm():
# coefficients 10.8-15.3, expected-information standard errors 13.2-15.4.

# d mu^2 / d eta^2 of the links used here, and V'(mu).
link_d2 <- function(link, eta) {
  switch(link,
    logit = { mu <- stats::plogis(eta); mu * (1 - mu) * (1 - 2 * mu) },
    probit = -eta * stats::dnorm(eta),
    log = exp(eta),
    inverse = 2 / eta^3)
}
variance_d1 <- function(family, mu) {
  switch(family, binomial = 1 - 2 * mu, poisson = 1 + 0 * mu, Gamma = 2 * mu)
}

newton_reference <- function(x, y, family) {
  at <- function(beta) {
    eta <- drop(x %*% beta)
    mu <- family$linkinv(eta)
    m1 <- family$mu.eta(eta)
    m2 <- link_d2(family$link, eta)
    v <- family$variance(mu)
    dv <- variance_d1(family$family, mu)
    list(mu = mu, score = drop(crossprod(x, (y - mu) * m1 / v)),
         info = crossprod(x, (m1^2 / v - (y - mu) * (m2 * v - m1^2 * dv) / v^2) * x))
  }
  beta <- stats::glm.fit(x, y, family = family)$coefficients
  for (i in 1:60) {
    here <- at(beta)
    step <- qr.solve(here$info, here$score, tol = 1e-20)
    beta <- beta + step
    if (all(abs(step) <= 4 * .Machine$double.eps * abs(beta))) break
  }
  here <- at(beta)
  phi <- 1
  if (family$family == "Gamma") {
    # ML shape nu: log(nu) - digamma(nu) = mean unit deviance / 2.
    target <- sum(family$dev.resids(y, here$mu, 1)) / (2 * length(y))
    log_nu <- stats::uniroot(function(l) l - digamma(exp(l)) - target, c(-30, 30),
                             tol = 1e-15)$root
    phi <- exp(-log_nu)
  }
  list(beta = beta, se = sqrt(diag(qr.solve(here$info / phi, tol = 1e-20))), phi = phi)
}

digits <- function(a, b) -log10(max(abs(unname(a) - unname(b)) / abs(unname(b))))

set.seed(606)
sim_x <- cbind("(Intercept)" = 1, matrix(rnorm(1500), 500, dimnames = list(NULL, c("a", "b", "c"))))
sim_eta <- drop(sim_x %*% c(0.3, 0.4, -0.5, 0.2))
heart_hd <- as.numeric(heart$num > 0)

accuracy_cases <- list(
  "binomial logit, heart" = list(x = model.matrix(~ age + sex + thalach + oldpeak, heart),
                                 y = heart_hd, family = binomial()),
  "binomial probit, heart" = list(x = model.matrix(~ age + sex + thalach + oldpeak, heart),
                                  y = heart_hd, family = binomial(link = "probit")),
  "poisson log, heart" = list(x = model.matrix(~ age + sex + factor(cp), heart), y = heart$num,
                              family = poisson()),
  "Gamma log, heart" = list(x = model.matrix(~ age + sex + oldpeak, heart), y = heart$thalach,
                            family = Gamma(link = "log")),
  "Gamma inverse, heart" = list(x = model.matrix(~ age + sex + oldpeak, heart), y = heart$thalach,
                                family = Gamma()),
  "binomial logit, simulated" = list(x = sim_x, y = rbinom(500, 1, plogis(sim_eta)),
                                     family = binomial()),
  "poisson log, simulated" = list(x = sim_x, y = rpois(500, exp(sim_eta)), family = poisson()),
  "Gamma log, simulated" = list(x = sim_x, y = rgamma(500, 2, 2 / exp(sim_eta)),
                                family = Gamma(link = "log"))
)

for (label in names(accuracy_cases)) {
  case <- accuracy_cases[[label]]
  test_that(paste(label, ": coefficients and standard errors to 10 significant digits"), {
    f <- fit_matrix(case$x, case$y, family = case$family)
    ref <- newton_reference(case$x, case$y, case$family)
    expect_true(f$converged)
    expect_gte(digits(coef(f), ref$beta), 10)
    expect_gte(digits(sqrt(diag(vcov(f))), ref$se), 10)  # observed information
    if (case$family$family == "Gamma") expect_gte(digits(f$dispersion, ref$phi), 10)
    # glm() refitted from the estimate: its coefficients, and its
    # expected-information standard errors at the ML dispersion.
    g <- stats::glm(case$y ~ case$x - 1, family = case$family, start = coef(f),
                    control = stats::glm.control(epsilon = 1e-14, maxit = 100))
    expect_gte(digits(coef(f), coef(g)), 10)
    se_glm <- summary(g, dispersion = f$dispersion)$coefficients[, "Std. Error"]
    expect_gte(digits(sqrt(diag(vcov(f, type = "expected"))), se_glm), 10)
  })
}
