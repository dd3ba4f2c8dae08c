#ifndef MLEGLM_MATH_HPP
#define MLEGLM_MATH_HPP

// Scalar special functions the families need, written without R so that the
// core stays header-only and usable from any C++ program.

#include <array>
#include <cmath>
#include <math.h>
#include <limits>

namespace mleglm {

constexpr double pi = 3.141592653589793238462643383280;
constexpr double epsilon = std::numeric_limits<double>::epsilon();

// x * log(x / m), with the limit 0 at x = 0 (deviance terms of y = 0).
inline double x_log_x_over(double x, double m) {
  return x > 0.0 ? x * std::log(x / m) : 0.0;
}

// log(1 + x) for x in [0, 1], written without library calls or branches so
// that loops over it vectorise: log1p(x) = 2 atanh(s) with s = x / (2 + x) in
// [0, 1/3], by its series 2 s sum_k s^2k / (2k + 1), whose terms after k = 16
// are below 2e-17 of the sum. Accurate to about one unit in the last place.
inline double log1p_unit(double x) {
  const double s = x / (2.0 + x);
  const double z = s * s;
  double series = 1.0 / 33.0;
  series = series * z + 1.0 / 31.0;
  series = series * z + 1.0 / 29.0;
  series = series * z + 1.0 / 27.0;
  series = series * z + 1.0 / 25.0;
  series = series * z + 1.0 / 23.0;
  series = series * z + 1.0 / 21.0;
  series = series * z + 1.0 / 19.0;
  series = series * z + 1.0 / 17.0;
  series = series * z + 1.0 / 15.0;
  series = series * z + 1.0 / 13.0;
  series = series * z + 1.0 / 11.0;
  series = series * z + 1.0 / 9.0;
  series = series * z + 1.0 / 7.0;
  series = series * z + 1.0 / 5.0;
  series = series * z + 1.0 / 3.0;
  return 2.0 * s * (series * z + 1.0);
}

inline double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * pi);
}

// Phi(x) through erfc keeps full relative accuracy in the lower tail.
inline double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

// The standard normal quantile, Wichura's algorithm AS 241 (PPND16), accurate
// to about 1e-16 relative: the probit link's starting values.
inline double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) {
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
                45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
             133.14166789178437745) * r + 3.387132872796366608) /
           (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
                21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
             42.313330701600911252) * r + 1.0);
  }
  double r = q < 0.0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double value;
  if (r <= 5.0) {
    r -= 1.6;
    value = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
                 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
              4.6303378461565452959) * r + 1.42343711074968357734) /
            (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
                 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
              2.05319162663775882187) * r + 1.0);
  } else {
    r -= 5.0;
    value = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
                 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
              5.4637849111641143699) * r + 6.6579046435011037772) /
            (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
                 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
              0.59983220655588793769) * r + 1.0);
  }
  return q < 0.0 ? -value : value;
}

// log(k) and log(k!) for the whole numbers k < 256 that counts and trials
// mostly are, from tables built once: the data-only constants of a
// likelihood are summed over every row, and a logarithm and a log-gamma per
// row cost more than a whole pass of the solver. Other arguments go to the
// library.
struct SmallIntegerLogs {
  static constexpr int size = 256;
  std::array<double, size> log, x_log_x, log_factorial, log_tenth_above;
  SmallIntegerLogs() {
    log[0] = -std::numeric_limits<double>::infinity();
    x_log_x[0] = 0.0;
    log_factorial[0] = 0.0;
    // log(k + 0.1): the Poisson family's starting linear predictor.
    for (int k = 0; k < size; ++k) log_tenth_above[k] = std::log(k + 0.1);
    for (int k = 1; k < size; ++k) {
      log[k] = std::log(static_cast<double>(k));
      x_log_x[k] = k * log[k];
      log_factorial[k] = std::lgamma(k + 1.0);
    }
  }
  static const SmallIntegerLogs& get() {
    static const SmallIntegerLogs tables;
    return tables;
  }
  static bool covers(double x) {
    return x >= 0.0 && x < size && x == static_cast<double>(static_cast<int>(x));
  }
};

// log(x) for x > 0.
inline double log_count(double x) {
  return SmallIntegerLogs::covers(x) ? SmallIntegerLogs::get().log[static_cast<int>(x)]
                                     : std::log(x);
}

// x log x for x >= 0, 0 at x = 0.
inline double x_log_x(double x) {
  if (SmallIntegerLogs::covers(x)) return SmallIntegerLogs::get().x_log_x[static_cast<int>(x)];
  return x > 0.0 ? x * std::log(x) : 0.0;
}

// log |Gamma(x)|. std::lgamma writes the global signgam, which threads
// summing rows would race on; glibc's lgamma_r returns the sign instead.
inline double log_gamma(double x) {
#if defined(__GLIBC__)
  int sign = 0;
  return ::lgamma_r(x, &sign);
#else
  return std::lgamma(x);
#endif
}

// lgamma(x + 1) for x >= 0.
inline double log_factorial(double x) {
  return SmallIntegerLogs::covers(x)
             ? SmallIntegerLogs::get().log_factorial[static_cast<int>(x)]
             : log_gamma(x + 1.0);
}

// log(n choose k) for real n >= k >= 0.
inline double log_choose(double n, double k) {
  if (k * (n - k) == 0.0) return 0.0;  // one branch, predictable for 0/1 data
  return log_factorial(n) - log_factorial(k) - log_factorial(n - k);
}

// digamma(x) for x > 0: shift x above 15 with psi(x) = psi(x + 1) - 1 / x,
// then the asymptotic series (Abramowitz and Stegun 6.3.18). The first term
// left out, 691 / (32760 x^12), is below 2e-16 from x = 15 on (at 6 it was
// 1e-11, which the negative binomial's score for theta could see).
inline double digamma(double x) {
  double shift = 0.0;
  while (x < 15.0) {
    shift -= 1.0 / x;
    x += 1.0;
  }
  const double r = 1.0 / (x * x);
  const double series =
      r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r / 132))));
  return shift + std::log(x) - 0.5 / x - series;
}

// trigamma(x) for x > 0: psi'(x) = psi'(x + 1) + 1 / x^2 up to x >= 15, then
// the series (Abramowitz and Stegun 6.4.12), whose first omitted term is
// below 2e-16 there.
inline double trigamma(double x) {
  double shift = 0.0;
  while (x < 15.0) {
    shift += 1.0 / (x * x);
    x += 1.0;
  }
  const double r = 1.0 / (x * x);
  const double series =
      1.0 / x + r / 2 +
      r / x * (1.0 / 6 - r * (1.0 / 30 - r * (1.0 / 42 - r * (1.0 / 30 - r * 5.0 / 66))));
  return shift + series;
}

}  // namespace mleglm

#endif  // MLEGLM_MATH_HPP
