#ifndef MLEGLM_MATH_HPP
#define MLEGLM_MATH_HPP

// Scalar special functions the families need, written without R so that the
// core stays header-only and usable from any C++ program.

#include <cmath>
#include <limits>

namespace mleglm {

constexpr double pi = 3.141592653589793238462643383280;
constexpr double epsilon = std::numeric_limits<double>::epsilon();

// x * log(x / m), with the limit 0 at x = 0 (deviance terms of y = 0).
inline double x_log_x_over(double x, double m) {
  return x > 0.0 ? x * std::log(x / m) : 0.0;
}

inline double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * pi);
}

// Phi(x) through erfc keeps full relative accuracy in the lower tail.
inline double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

// log(n choose k) for real n >= k >= 0.
inline double log_choose(double n, double k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

// digamma(x) for x > 0: shift x above 10 with psi(x) = psi(x + 1) - 1 / x,
// then the asymptotic series (Abramowitz and Stegun 6.3.18). The first
// omitted term, 691 / (32760 x^12), is below 3e-14 there; a shift to only 6
// left 1e-11, which cost the Gamma dispersion, and with it the standard
// errors, about four digits.
inline double digamma(double x) {
  double shift = 0.0;
  while (x < 10.0) {
    shift -= 1.0 / x;
    x += 1.0;
  }
  const double r = 1.0 / (x * x);
  const double series =
      r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r / 132))));
  return shift + std::log(x) - 0.5 / x - series;
}

// trigamma(x) for x > 0: psi'(x) = psi'(x + 1) + 1 / x^2, then the series
// (Abramowitz and Stegun 6.4.12).
inline double trigamma(double x) {
  double shift = 0.0;
  while (x < 6.0) {
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
