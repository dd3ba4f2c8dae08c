#ifndef MLEGLM_DISTRIBUTION_HPP
#define MLEGLM_DISTRIBUTION_HPP

// Distributions of the exponential-dispersion family, each given by its
// variance function V(mu), V'(mu), its unit deviance and its saturated
// log-likelihood. With dispersion phi and prior weights w, every log-likelihood
// here can be written as
//
//   l(mu, phi) = -D(mu) / (2 phi) + l_sat(phi),
//
// where D is the (weighted) deviance and l_sat depends on the data and phi
// only (McCullagh and Nelder 1989, section 2.3). The solver's hot loop then
// needs only deviance terms; data-only constants are summed once.
//
// Prior weights follow R's stats families: precision weights for the
// Gaussian (y ~ N(mu, phi / w)), numbers of trials for the binomial (y is a
// proportion), frequency weights for the other three.

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "math.hpp"

namespace mleglm {

// Sums over the rows with positive weight that the saturated log-likelihood
// needs; computed once per data set.
struct DataSummary {
  double n_positive = 0.0;   // rows with w > 0
  double sum_w = 0.0;        // sum of w
  double sum_log_w = 0.0;    // sum of log w
  double sum_w_log_y = 0.0;  // sum of w log y (y > 0 families)
  double constant = 0.0;     // sum of the per-row constants below
  double sum_y = 0.0;        // sum of y (the mean response, for starting values)

  // Summaries of disjoint sets of rows add up (chunked and distributed fits).
  void add(const DataSummary& other) {
    n_positive += other.n_positive;
    sum_w += other.sum_w;
    sum_log_w += other.sum_log_w;
    sum_w_log_y += other.sum_w_log_y;
    constant += other.constant;
    sum_y += other.sum_y;
  }
};

class Distribution {
 public:
  virtual ~Distribution() = default;
  virtual double variance(double mu) const = 0;
  virtual double dvariance(double mu) const = 0;
  // Contribution of one row to the deviance, 2 w [l(y; y) - l(y; mu)] / phi * phi.
  virtual double unit_deviance(double y, double mu, double w) const = 0;
  virtual bool valid_mu(double mu) const { return std::isfinite(mu); }
  virtual bool valid_y(double y) const { return std::isfinite(y); }
  // valid_y() in words, for the error that names the rows outside it.
  virtual const char* support() const { return "finite"; }
  // For responses that count events (poisson: y) or successes out of w
  // trials (binomial: w y), that count, which should be a whole number; NaN
  // for continuous responses.
  virtual double count(double, double) const { return std::nan(""); }
  // Starting mean for a row, as the stats families' `initialize` sets mustart.
  virtual double start_mean(double y, double) const { return y; }
  // Whether l_sat needs sum w log y (the data summary skips it otherwise).
  virtual bool uses_log_y() const { return false; }
  // Whether phi is a free parameter (estimated by maximum likelihood).
  virtual bool has_dispersion() const = 0;
  // Data-only part of one row's saturated log-likelihood that does not involve phi.
  virtual double row_constant(double, double) const { return 0.0; }
  // l_sat(phi) from the data summary.
  virtual double saturated_loglik(double phi, const DataSummary& s) const = 0;
  // Maximum-likelihood dispersion given the deviance at the current mu.
  virtual double ml_dispersion(double deviance, const DataSummary& s) const = 0;
};

class Gaussian final : public Distribution {
 public:
  static const char* name() { return "gaussian"; }
  double variance(double) const override { return 1.0; }
  double dvariance(double) const override { return 0.0; }
  double unit_deviance(double y, double mu, double w) const override {
    return w * (y - mu) * (y - mu);
  }
  bool has_dispersion() const override { return true; }
  // -1/2 sum log(2 pi phi / w)
  double saturated_loglik(double phi, const DataSummary& s) const override {
    return -0.5 * (s.n_positive * std::log(2.0 * pi * phi) - s.sum_log_w);
  }
  // RSS / n: the tutorial's sigma^2.
  double ml_dispersion(double deviance, const DataSummary& s) const override {
    return deviance / s.n_positive;
  }
};

class Binomial final : public Distribution {
 public:
  static const char* name() { return "binomial"; }
  double variance(double mu) const override { return mu * (1.0 - mu); }
  double dvariance(double mu) const override { return 1.0 - 2.0 * mu; }
  double unit_deviance(double y, double mu, double w) const override {
    return 2.0 * w * (x_log_x_over(y, mu) + x_log_x_over(1.0 - y, 1.0 - mu));
  }
  bool valid_mu(double mu) const override { return std::isfinite(mu) && mu > 0.0 && mu < 1.0; }
  bool valid_y(double y) const override { return y >= 0.0 && y <= 1.0; }
  const char* support() const override {
    return "between 0 and 1 (proportions; use cbind(successes, failures) for counts)";
  }
  double count(double y, double w) const override { return w * y; }
  double start_mean(double y, double w) const override { return (w * y + 0.5) / (w + 1.0); }
  bool has_dispersion() const override { return false; }
  // log choose(w, w y) + w [y log y + (1 - y) log(1 - y)], as R's binomial()$aic
  // rounds the counts.
  double row_constant(double y, double w) const override {
    if (w == 1.0 && y * (1.0 - y) == 0.0) return 0.0;  // one 0/1 trial: the common case
    const double trials = std::round(w);
    const double successes = std::round(w * y);
    // y log y + (1 - y) log(1 - y) is 0 for the 0/1 responses of binary data.
    // (Tested as y (1 - y) > 0: one branch that 0/1 data always take the same way.)
    const double entropy = y * (1.0 - y) > 0.0 ? y * std::log(y) + (1.0 - y) * std::log1p(-y) : 0.0;
    return log_choose(trials, successes) + w * entropy;
  }
  double saturated_loglik(double, const DataSummary& s) const override { return s.constant; }
  double ml_dispersion(double, const DataSummary&) const override { return 1.0; }
};

class Poisson final : public Distribution {
 public:
  static const char* name() { return "poisson"; }
  double variance(double mu) const override { return mu; }
  double dvariance(double) const override { return 1.0; }
  double unit_deviance(double y, double mu, double w) const override {
    return 2.0 * w * (x_log_x_over(y, mu) - (y - mu));
  }
  bool valid_mu(double mu) const override { return std::isfinite(mu) && mu > 0.0; }
  bool valid_y(double y) const override { return y >= 0.0 && std::isfinite(y); }
  const char* support() const override { return "non-negative counts"; }
  double count(double y, double) const override { return y; }
  double start_mean(double y, double) const override { return y + 0.1; }
  bool has_dispersion() const override { return false; }
  // w [y log y - y - log y!]
  double row_constant(double y, double w) const override {
    return w * (x_log_x(y) - y - log_factorial(y));
  }
  double saturated_loglik(double, const DataSummary& s) const override { return s.constant; }
  double ml_dispersion(double, const DataSummary&) const override { return 1.0; }
};

// Gamma with shape nu = 1 / phi and mean mu.
class GammaDist final : public Distribution {
 public:
  static const char* name() { return "Gamma"; }
  double variance(double mu) const override { return mu * mu; }
  double dvariance(double mu) const override { return 2.0 * mu; }
  double unit_deviance(double y, double mu, double w) const override {
    return -2.0 * w * (std::log(y / mu) - (y - mu) / mu);
  }
  bool valid_mu(double mu) const override { return std::isfinite(mu) && mu > 0.0; }
  bool valid_y(double y) const override { return y > 0.0 && std::isfinite(y); }
  const char* support() const override { return "positive"; }
  bool uses_log_y() const override { return true; }
  bool has_dispersion() const override { return true; }
  // sum w [nu log nu - nu - lgamma(nu)] - sum w log y
  double saturated_loglik(double phi, const DataSummary& s) const override {
    const double nu = 1.0 / phi;
    return s.sum_w * (nu * std::log(nu) - nu - std::lgamma(nu)) - s.sum_w_log_y;
  }
  // Solves log(nu) - digamma(nu) = D / (2 sum w) by Newton's method on log(nu);
  // the left side falls monotonically from +Inf to 0, so the root is unique.
  double ml_dispersion(double deviance, const DataSummary& s) const override {
    const double target = deviance / (2.0 * s.sum_w);
    if (!(target > 0.0)) return 0.0;
    double log_nu = -std::log(2.0 * target);  // log nu - digamma(nu) ~ 1 / (2 nu)
    for (int it = 0; it < 100; ++it) {
      const double nu = std::exp(log_nu);
      const double f = std::log(nu) - digamma(nu) - target;
      const double df = (1.0 / nu - trigamma(nu)) * nu;  // d f / d log nu
      const double step = f / df;
      log_nu -= step;
      if (std::fabs(step) < 1e-14 * (1.0 + std::fabs(log_nu))) break;
    }
    return std::exp(-log_nu);
  }
};

class InverseGaussian final : public Distribution {
 public:
  static const char* name() { return "inverse.gaussian"; }
  double variance(double mu) const override { return mu * mu * mu; }
  double dvariance(double mu) const override { return 3.0 * mu * mu; }
  double unit_deviance(double y, double mu, double w) const override {
    return w * (y - mu) * (y - mu) / (y * mu * mu);
  }
  bool valid_mu(double mu) const override { return std::isfinite(mu) && mu > 0.0; }
  bool valid_y(double y) const override { return y > 0.0 && std::isfinite(y); }
  const char* support() const override { return "positive"; }
  bool uses_log_y() const override { return true; }
  bool has_dispersion() const override { return true; }
  // -1/2 sum w log(2 pi phi y^3)
  double saturated_loglik(double phi, const DataSummary& s) const override {
    return -0.5 * (s.sum_w * std::log(2.0 * pi * phi) + 3.0 * s.sum_w_log_y);
  }
  double ml_dispersion(double deviance, const DataSummary& s) const override {
    return deviance / s.sum_w;
  }
};

}  // namespace mleglm

#endif  // MLEGLM_DISTRIBUTION_HPP
