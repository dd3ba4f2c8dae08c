# The family's per-row terms as SQL, mirroring the C++ core (link.hpp,
# distribution.hpp, family.hpp) clamp for clamp, so that sums computed by a
# database agree with those of a fit in memory to rounding. Every function
# that can overflow, underflow or leave its domain is guarded: PostgreSQL
# and SQLite's math functions raise an error there instead of returning Inf
# or 0, so exp() never sees an argument beyond 709.78 or below -700.
#
# Arguments are SQL expressions (column names of the inner query); results
# are SQL text.

# A link: `valid(eta)` the domain of the inverse (SQL condition), `inverse`,
# `derivative` (dmu/deta) and `second` (d2mu/deta2) of eta, `linkfun` of mu
# and `linkfun_valid(mu)` its domain, for the starting values. `pre(eta)`,
# where present, names values computed in a layer before the others, which
# may refer to them by name (SQLite's parser limits how deeply one
# expression may nest).
sql_link <- function(link, d) {
  n <- function(x) sql_number(x, d)
  eps <- n(.Machine$double.eps)
  least <- function(a, b) sprintf("%s(%s, %s)", d$least, a, b)
  greatest <- function(a, b) sprintf("%s(%s, %s)", d$greatest, a, b)
  exp_safe <- function(x) sprintf("exp(%s)", greatest(least(x, n(709.78)), n(-700)))
  ln <- function(x) sprintf("%s(%s)", d$ln, x)
  always <- function(eta) "1 = 1"
  switch(link,
    identity = list(
      valid = always, inverse = function(eta) eta, derivative = function(eta) n(1),
      second = function(eta) n(0), linkfun = function(mu) mu, linkfun_valid = function(mu) "1 = 1"),
    log = list(
      valid = function(eta) sprintf("%s <= %s", eta, n(709.78)),
      inverse = function(eta) greatest(exp_safe(eta), eps),
      derivative = function(eta) greatest(exp_safe(eta), eps),
      second = function(eta) exp_safe(eta),
      linkfun = function(mu) ln(mu), linkfun_valid = function(mu) sprintf("%s > 0", mu)),
    inverse = list(
      valid = function(eta) sprintf("%s <> 0", eta),
      inverse = function(eta) sprintf("(%s / %s)", n(1), eta),
      derivative = function(eta) sprintf("(%s / (%s * %s))", n(-1), eta, eta),
      second = function(eta) sprintf("(%s / (%s * %s * %s))", n(2), eta, eta, eta),
      linkfun = function(mu) sprintf("(%s / %s)", n(1), mu),
      linkfun_valid = function(mu) sprintf("%s <> 0", mu)),
    "1/mu^2" = list(
      valid = function(eta) sprintf("%s > 0", eta),
      inverse = function(eta) sprintf("(%s / sqrt(%s))", n(1), eta),
      derivative = function(eta) sprintf("(%s / (%s * sqrt(%s)))", n(-0.5), eta, eta),
      second = function(eta) sprintf("(%s / (%s * %s * sqrt(%s)))", n(0.75), eta, eta, eta),
      linkfun = function(mu) sprintf("(%s / (%s * %s))", n(1), mu, mu),
      linkfun_valid = function(mu) sprintf("%s <> 0", mu)),
    sqrt = list(
      valid = function(eta) sprintf("%s > 0", eta),
      inverse = function(eta) sprintf("(%s * %s)", eta, eta),
      derivative = function(eta) sprintf("(%s * %s)", n(2), eta),
      second = function(eta) n(2),
      linkfun = function(mu) sprintf("sqrt(%s)", mu),
      linkfun_valid = function(mu) sprintf("%s >= 0", mu)),
    logit = list(
      valid = always,
      # R switches to constants beyond |eta| = 30.
      inverse = function(eta) {
        e <- sprintf("(CASE WHEN %s < -30 THEN %s WHEN %s > 30 THEN %s ELSE exp(%s) END)",
                     eta, eps, eta, n(1 / .Machine$double.eps), eta)
        sprintf("(%s / (%s + %s))", e, n(1), e)
      },
      derivative = function(eta) {
        sprintf("(CASE WHEN %s < -30 OR %s > 30 THEN %s ELSE exp(%s) / ((%s + exp(%s)) * (%s + exp(%s))) END)",
                eta, eta, eps, eta, n(1), eta, n(1), eta)
      },
      second = function(eta) {
        e <- sprintf("exp(-%s)", least(sprintf("abs(%s)", eta), n(700)))
        sprintf("(CASE WHEN %s > 0 THEN -1 ELSE 1 END * %s / ((%s + %s) * (%s + %s)) * (%s - %s) / (%s + %s))",
                eta, e, n(1), e, n(1), e, n(1), e, n(1), e)
      },
      linkfun = function(mu) ln(sprintf("(%s / (%s - %s))", mu, n(1), mu)),
      linkfun_valid = function(mu) sprintf("%s > 0 AND %s < 1", mu, mu)),
    probit = list(
      # The clamped eta, once per row (sql_normal_cdf() refers to it often).
      pre = function(eta) c(px = greatest(least(eta, n(8.125890664701906)), n(-8.125890664701906))),
      valid = always,
      inverse = function(eta) sql_normal_cdf("px", d),
      derivative = function(eta) greatest(sql_normal_density(eta, d), eps),
      second = function(eta) sprintf("(-%s * %s)", eta, sql_normal_density(eta, d)),
      linkfun = function(mu) sql_normal_quantile(mu, d),
      linkfun_valid = function(mu) sprintf("%s > 0 AND %s < 1", mu, mu)),
    cauchit = list(
      valid = always,
      inverse = function(eta) {
        e <- greatest(least(eta, n(1433540284805664.8)), n(-1433540284805664.8))
        sprintf("(CASE WHEN %s < -1 THEN -atan(%s / %s) / %s WHEN %s > 1 THEN %s - atan(%s / %s) / %s ELSE %s + atan(%s) / %s END)",
                e, n(1), e, n(pi), e, n(1), n(1), e, n(pi), n(0.5), e, n(pi))
      },
      derivative = function(eta) {
        sprintf("(CASE WHEN abs(%s) > 1e150 THEN %s ELSE %s END)", eta, eps,
                greatest(sprintf("(%s / (%s * (%s + %s * %s)))", n(1), n(pi), n(1), eta, eta), eps))
      },
      second = function(eta) {
        sprintf("(CASE WHEN abs(%s) > 1e100 THEN %s ELSE %s * %s / (%s * (%s + %s * %s) * (%s + %s * %s)) END)",
                eta, n(0), n(-2), eta, n(pi), n(1), eta, eta, n(1), eta, eta)
      },
      linkfun = function(mu) {
        sprintf("(CASE WHEN %s = 0.5 THEN %s WHEN %s < 0.5 THEN %s / tan(%s * %s) ELSE %s / tan(%s * (%s - %s)) END)",
                mu, n(0), mu, n(-1), n(pi), mu, n(1), n(pi), n(1), mu)
      },
      linkfun_valid = function(mu) sprintf("%s > 0 AND %s < 1", mu, mu)),
    cloglog = list(
      # u = exp(eta), computed once per row in a layer of its own (pre).
      pre = function(eta) c(u = exp_safe(eta)),
      valid = always,
      inverse = function(eta) {
        greatest(least(sprintf("(CASE WHEN u > 700 THEN %s ELSE %s END)", n(1), sql_one_minus_exp_minus("u", d)),
                       n(1 - .Machine$double.eps)), eps)
      },
      derivative = function(eta) {
        sprintf("(CASE WHEN u > 700 THEN %s ELSE %s END)", eps, greatest("(u * exp(-u))", eps))
      },
      second = function(eta) sprintf("(CASE WHEN u > 700 THEN %s ELSE u * exp(-u) * (%s - u) END)", n(0), n(1)),
      linkfun = function(mu) ln(sprintf("(-%s)", ln(sprintf("(%s - %s)", n(1), mu)))),
      linkfun_valid = function(mu) sprintf("%s > 0 AND %s < 1", mu, mu)),
    abort("family", sprintf("The %s link cannot be computed in a database.", link))
  )
}

# A distribution: `variance` and `dvariance` of mu, `deviance(y, mu, w)` the
# unit deviance, `valid(mu)` its parameter space and `support(y)` the
# response's (SQL conditions), `start(y, w)` the starting mean.
sql_distribution <- function(name, d) {
  n <- function(x) sql_number(x, d)
  ln <- function(x) sprintf("%s(%s)", d$ln, x)
  # y log(y / mu), 0 at y = 0
  x_log_x_over <- function(y, mu) sprintf("(CASE WHEN %s > 0 THEN %s * %s ELSE %s END)",
                                          y, y, ln(sprintf("(%s / %s)", y, mu)), n(0))
  switch(name,
    gaussian = list(
      variance = function(mu) n(1), dvariance = function(mu) n(0),
      deviance = function(y, mu, w) sprintf("(%s * (%s - %s) * (%s - %s))", w, y, mu, y, mu),
      valid = function(mu) "1 = 1", support = function(y) "1 = 1",
      start = function(y, w) y),
    binomial = list(
      variance = function(mu) sprintf("(%s * (%s - %s))", mu, n(1), mu),
      dvariance = function(mu) sprintf("(%s - %s * %s)", n(1), n(2), mu),
      deviance = function(y, mu, w) {
        sprintf("(%s * %s * (%s + %s))", n(2), w, x_log_x_over(y, mu),
                x_log_x_over(sprintf("(%s - %s)", n(1), y), sprintf("(%s - %s)", n(1), mu)))
      },
      valid = function(mu) sprintf("%s > 0 AND %s < 1", mu, mu),
      support = function(y) sprintf("%s >= 0 AND %s <= 1", y, y),
      start = function(y, w) sprintf("((%s * %s + %s) / (%s + %s))", w, y, n(0.5), w, n(1))),
    poisson = list(
      variance = function(mu) mu, dvariance = function(mu) n(1),
      deviance = function(y, mu, w) {
        sprintf("(%s * %s * (%s - (%s - %s)))", n(2), w, x_log_x_over(y, mu), y, mu)
      },
      valid = function(mu) sprintf("%s > 0", mu),
      support = function(y) sprintf("%s >= 0", y),
      start = function(y, w) sprintf("(%s + %s)", y, n(0.1))),
    Gamma = list(
      variance = function(mu) sprintf("(%s * %s)", mu, mu),
      dvariance = function(mu) sprintf("(%s * %s)", n(2), mu),
      deviance = function(y, mu, w) {
        sprintf("(%s * %s * (%s - (%s - %s) / %s))", n(-2), w, ln(sprintf("(%s / %s)", y, mu)), y, mu, mu)
      },
      valid = function(mu) sprintf("%s > 0", mu),
      support = function(y) sprintf("%s > 0", y),
      start = function(y, w) y),
    inverse.gaussian = list(
      variance = function(mu) sprintf("(%s * %s * %s)", mu, mu, mu),
      dvariance = function(mu) sprintf("(%s * %s * %s)", n(3), mu, mu),
      deviance = function(y, mu, w) {
        sprintf("(%s * (%s - %s) * (%s - %s) / (%s * %s * %s))", w, y, mu, y, mu, y, mu, mu)
      },
      valid = function(mu) sprintf("%s > 0", mu),
      support = function(y) sprintf("%s > 0", y),
      start = function(y, w) y),
    abort("family", sprintf("The %s family cannot be computed in a database.", name))
  )
}

# Phi(x) by Cody's algorithm with the coefficients and the order of
# operations of R's pnorm() (nmath/pnorm.c), so that a database that
# computes in IEEE doubles gives R's values; x is a column, already clamped
# to |x| <= 8.13 by the probit link.
sql_normal_cdf <- function(x, d) {
  n <- function(v) sql_number(v, d)
  y <- sprintf("abs(%s)", x)
  a <- c(2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582,
         18154.981253343561249, 0.065682337918207449113)
  b <- c(47.20258190468824187, 976.09855173777669322, 10260.932208618978205,
         45507.789335026729956)
  cc <- c(0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979,
          597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326,
          11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8)
  dd <- c(22.266688044328115691, 235.38790178262499861, 1519.377599407554805,
          6485.558298266760755, 18615.571640885098091, 34900.952721145977266,
          38912.003286093271411, 19685.429676859990727)
  p <- c(0.21589853405795699, 0.1274011611602473639, 0.022235277870649807,
         0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303)
  q <- c(1.28426009614491121, 0.468238212480865118, 0.0659881378689285515,
         0.00378239633202758244, 7.29751555083966205e-5)
  # pnorm.c's loops: num = top * t; den = t; then (num + c_i) * t, (den + d_i) * t.
  loops <- function(top, num_coef, den_coef, t) {
    num <- sprintf("%s * %s", n(top), t)
    den <- t
    for (i in seq_along(num_coef)) {
      num <- sprintf("((%s + %s) * %s)", num, n(num_coef[i]), t)
      den <- sprintf("((%s + %s) * %s)", den, n(den_coef[i]), t)
    }
    list(num = num, den = den)
  }
  xsq <- sprintf("(%s * %s)", x, x)
  centre <- loops(a[5], a[1:3], b[1:3], xsq)
  centre <- sprintf("(%s + %s * (%s + %s) / (%s + %s))", n(0.5), x, centre$num, n(a[4]), centre$den, n(b[4]))
  middle <- loops(cc[9], cc[1:7], dd[1:7], y)
  middle <- sprintf("((%s + %s) / (%s + %s))", middle$num, n(cc[8]), middle$den, n(dd[8]))
  inv <- sprintf("(%s / %s)", n(1), xsq)
  far <- loops(p[6], p[1:4], q[1:4], inv)
  far <- sprintf("((%s - %s * (%s + %s) / (%s + %s)) / %s)", n(1 / sqrt(2 * pi)), inv, far$num, n(p[5]),
                 far$den, n(q[5]), y)
  temp <- sprintf("(CASE WHEN %s <= %s THEN %s ELSE %s END)", y, n(sqrt(32)), middle, far)
  lead <- sprintf("(floor(%s * %s) / %s)", y, n(16), n(16))
  cum <- sprintf("(exp(-%s * %s * %s) * exp(-((%s - %s) * (%s + %s)) * %s) * %s)",
                 lead, lead, n(0.5), y, lead, y, lead, n(0.5), temp)
  sprintf("(CASE WHEN %s <= %s THEN %s WHEN %s > 0 THEN %s - %s ELSE %s END)",
          y, n(0.67448975), centre, x, n(1), cum, cum)
}

# The standard normal density, 0 beyond |x| = 37 (where it is below 1e-297).
sql_normal_density <- function(x, d) {
  sprintf("(CASE WHEN abs(%s) > 37 THEN %s ELSE exp(-%s * %s / %s) / %s END)",
          x, sql_number(0, d), x, x, sql_number(2, d), sql_number(sqrt(2 * pi), d))
}

# The normal quantile by Acklam's rational approximation (relative error
# below 1.2e-9): used only for starting values, which need no more.
sql_normal_quantile <- function(p, d) {
  n <- function(v) sql_number(v, d)
  poly <- function(coef, x) {
    out <- n(coef[1L])
    for (k in coef[-1L]) out <- sprintf("(%s * %s + %s)", out, x, n(k))
    out
  }
  a <- c(-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
  b <- c(-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
         6.680131188771972e+01, -1.328068155288572e+01, 1)
  c <- c(-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
         -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
  dd <- c(7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
          3.754408661907416e+00, 1)
  lower_q <- sprintf("sqrt(%s * %s(%s))", n(-2), d$ln, p)
  upper_q <- sprintf("sqrt(%s * %s(%s - %s))", n(-2), d$ln, n(1), p)
  q <- sprintf("(%s - %s)", p, n(0.5))
  r <- sprintf("(%s * %s)", q, q)
  sprintf("(CASE WHEN %s < 0.02425 THEN %s / %s WHEN %s > 0.97575 THEN -%s / %s ELSE %s * %s / %s END)",
          p, poly(c, lower_q), poly(dd, lower_q), p, poly(c, upper_q), poly(dd, upper_q),
          poly(a, r), q, poly(b, r))
}

# 1 - exp(-u) for u >= 0 without cancellation: a Taylor series below 0.1
# (14 terms, truncation below 1e-17 relative), the difference above. The
# series is written flat, a sum of products, as a parser needs no stack for
# a chain of + or * (SQLite's nesting limit is easily reached otherwise).
sql_one_minus_exp_minus <- function(u, d) {
  terms <- vapply(1:14, function(k) {
    sprintf("%s * %s", sql_number((-1)^(k + 1) / factorial(k), d), paste(rep(u, k), collapse = " * "))
  }, "")
  sprintf("(CASE WHEN %s < 0.1 THEN %s ELSE %s - exp(-%s) END)", u, paste(terms, collapse = " + "),
          sql_number(1, d), u)
}
