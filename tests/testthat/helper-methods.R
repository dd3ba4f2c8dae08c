# The data and models of test-methods.R, also fitted by test-vcov.R: heart
# with cp as a factor, prior weights w and a 0/1 response hd; one model per
# canonical family whose formula has a factor, an interaction, I() and an
# offset() term, fitted with weights, a subset and na.action = na.exclude
# (ca has 4 missing values).

methods_data <- function() {
  d <- heart
  d$cp <- factor(d$cp)
  d$w <- rep(c(1, 2, 3), length.out = nrow(d))
  d$hd <- as.numeric(d$num > 0)
  d
}

method_cases <- list(
  gaussian = list(
    formula = thalach ~ age * sex + cp + I(oldpeak^2) + ca + offset(0.1 * chol),
    family = gaussian()),
  binomial = list(
    formula = hd ~ age + sex + cp + I(oldpeak^2) + thalach:exang + ca + offset(0.01 * trestbps),
    family = binomial()),
  poisson = list(
    formula = num ~ age + sex + cp + I(oldpeak^2) + ca + exang:sex + offset(log(age)),
    family = poisson())
)

# The same call to fit() and glm(): weights, subset and na.exclude.
method_fits <- function(case, d = methods_data()) {
  list(
    f = fit(case$formula, d, family = case$family, weights = w, subset = age > 35,
            na.action = na.exclude),
    g = glm(case$formula, data = d, family = case$family, weights = w, subset = age > 35,
            na.action = na.exclude, control = glm.control(epsilon = 1e-14, maxit = 200))
  )
}
