#ifndef MLEGLM_NEGBIN_HPP
#define MLEGLM_NEGBIN_HPP

// The NB2 negative binomial as rows of a JointObjective: the shape theta is
// estimated with the coefficients, on the scale alpha = log(theta) so that
// Newton's steps cannot leave theta > 0. Per unit prior weight, with
// mu = g^-1(eta), r = mu + theta and V = mu + mu^2 / theta = mu r / theta
// (Hilbe 2011, Negative Binomial Regression, ch. 8; Lawless 1987):
//
//   l = lgamma(y + theta) - lgamma(theta) - lgamma(y + 1)
//       + y log(mu / r) + theta log(theta / r)
//
// Derivatives in mu and theta:
//
//   l_mu        = y / mu - (y + theta) / r = (y - mu) / V
//   l_mu,mu     = -y / mu^2 + (y + theta) / r^2
//   l_theta     = psi(y + theta) - psi(theta) + log(theta / r) + (mu - y) / r
//   l_theta,theta = psi'(y + theta) - psi'(theta) + 1 / theta - 2 / r + (y + theta) / r^2
//   l_mu,theta  = (y - mu) / r^2
//
// and through the link (mu' = dmu/deta, mu'') and alpha (dtheta/dalpha = theta):
//
//   l_eta       = l_mu mu'
//   -l_eta,eta  = -(l_mu,mu mu'^2 + l_mu mu'')                 (observed)
//   l_alpha     = theta l_theta
//   -l_alpha,alpha = -(theta^2 l_theta,theta + theta l_theta)
//   -l_eta,alpha = -theta mu' l_mu,theta
//
// Expectations (E y = mu, E l_theta = 0): E[-l_eta,eta] = mu'^2 / V, as for
// any GLM; E[-l_eta,alpha] = 0, so beta and theta are orthogonal in the
// expected information; and, since psi'(theta) - psi'(y + theta) =
// sum_{k < y} 1 / (theta + k)^2,
//
//   E[-l_theta,theta] = sum_j P(Y = j) A_j - mu / (theta r),
//   A_j = sum_{k < j} 1 / (theta + k)^2 = psi'(theta) - psi'(theta + j),
//
// a series of positive terms summed until its tail is below rounding.
//
// Near the Poisson limit (theta >> y) the differences lgamma(y + theta) -
// lgamma(theta), psi(y + theta) - psi(theta) and psi'(y + theta) - psi'(theta)
// are small differences of large numbers; for whole y below 64 they are
// summed term by term instead (sum_{k < y} log(theta + k), 1 / (theta + k),
// -1 / (theta + k)^2), which keeps the score for theta accurate enough for
// Newton's decrement to reach its tolerance.

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include "joint.hpp"
#include "link.hpp"
#include "math.hpp"

namespace mleglm {

// f(y + theta) - f(theta) for f = lgamma, digamma and trigamma.
struct GammaDifferences {
  double lgamma = 0.0, digamma = 0.0, trigamma = 0.0;
};

inline GammaDifferences gamma_differences(double y, double theta, bool with_derivatives) {
  GammaDifferences d;
  if (y >= 0.0 && y < 64.0 && y == std::floor(y)) {
    for (double k = 0.0; k < y; k += 1.0) {
      const double t = theta + k;
      d.lgamma += std::log(t);
      if (with_derivatives) {
        d.digamma += 1.0 / t;
        d.trigamma -= 1.0 / (t * t);
      }
    }
    return d;
  }
  d.lgamma = log_gamma(y + theta) - log_gamma(theta);
  if (with_derivatives) {
    d.digamma = digamma(y + theta) - digamma(theta);
    d.trigamma = trigamma(y + theta) - trigamma(theta);
  }
  return d;
}

class NegbinRows final : public RowModel {
 public:
  NegbinRows(Eigen::Ref<const Eigen::VectorXd> y, const Link& link) : m_y(y), m_link(link) {}

  Eigen::Index rows() const override { return m_y.size(); }
  bool has_extra() const override { return true; }

  bool values(const Eigen::VectorXd& eta, double alpha, RowValues& out) override {
    const Eigen::Index n = m_y.size();
    const double theta = std::exp(alpha);
    out.mu.resize(n);
    out.value.resize(n);
    if (!(theta > 0.0) || !std::isfinite(theta)) return false;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double mu = m_link.valid_eta(eta[i]) ? m_link.linkinv(eta[i]) : nan();
      out.mu[i] = mu;
      if (!(mu > 0.0) || !std::isfinite(mu)) {
        out.value[i] = nan();
        continue;
      }
      const double y = m_y[i];
      // log(theta / r) = -log1p(mu / theta) keeps digits when theta >> mu.
      const double log_theta_r = -std::log1p(mu / theta);
      const double log_mu_r = y > 0.0 ? y * std::log(mu / (mu + theta)) : 0.0;
      out.value[i] = gamma_differences(y, theta, false).lgamma - log_gamma(y + 1.0) + log_mu_r +
                     theta * log_theta_r;
    }
    return true;
  }

  bool derivatives(const Eigen::VectorXd& eta, double alpha, Curvature curvature,
                   RowValues& out) override {
    const Eigen::Index n = m_y.size();
    const double theta = std::exp(alpha);
    const double psi1_theta = trigamma(theta);
    out.d_eta.resize(n);
    out.d_tau.resize(n);
    if (curvature != Curvature::none) {
      out.c_eta.resize(n);
      out.c_eta_tau.resize(n);
      out.c_tau.resize(n);
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      const double mu = out.mu[i];
      if (!(mu > 0.0) || !std::isfinite(mu)) {  // a zero-weight row outside the domain
        out.d_eta[i] = out.d_tau[i] = nan();
        if (curvature != Curvature::none) out.c_eta[i] = out.c_eta_tau[i] = out.c_tau[i] = nan();
        continue;
      }
      const double y = m_y[i];
      const double r = mu + theta;
      const double m1 = m_link.mu_eta(eta[i]);
      const double l_mu = theta * (y - mu) / (mu * r);
      const GammaDifferences g = gamma_differences(y, theta, true);
      const double l_theta = g.digamma - std::log1p(mu / theta) + (mu - y) / r;
      out.d_eta[i] = l_mu * m1;
      out.d_tau[i] = theta * l_theta;
      if (curvature == Curvature::exact) {
        const double m2 = m_link.d2mu_eta2(eta[i]);
        const double l_mu_mu = -y / (mu * mu) + (y + theta) / (r * r);
        out.c_eta[i] = -(l_mu_mu * m1 * m1 + l_mu * m2);
        out.c_eta_tau[i] = -theta * m1 * (y - mu) / (r * r);
        out.c_tau[i] = observed_alpha_information(mu, theta, y, g.trigamma, l_theta);
      } else if (curvature == Curvature::expected) {
        out.c_eta[i] = m1 * m1 * theta / (mu * r);
        out.c_eta_tau[i] = 0.0;
        const double e = expected_theta_information(mu, theta, psi1_theta);
        out.c_tau[i] = std::isfinite(e) ? theta * theta * e
                                        : observed_alpha_information(mu, theta, y, g.trigamma, l_theta);
      }
    }
    return true;
  }

  // E[-l_theta,theta] at one row; see the header. Terms run from 12
  // standard deviations below the mean (the lower tail there is below 1e-30)
  // upwards until, past the mean, the remaining mass (bounded by a geometric
  // series) times psi'(theta) is below 1e-17 of the sum. Rows that would need
  // more than max_terms terms (counts of order 1e3 and more with a small
  // theta) return NaN and the caller uses the observed information there.
  static double expected_theta_information(double mu, double theta, double psi1_theta) {
    const long max_terms = 50000;
    const double r = mu + theta;
    const double q = mu / r;
    const double sd = std::sqrt(mu * r / theta);
    const double lo = std::floor(std::max(0.0, mu - 12.0 * sd));
    if ((mu - lo) + 12.0 * sd + 40.0 * r / theta > static_cast<double>(max_terms)) return nan();
    // log P(Y = lo) and A_lo = psi'(theta) - psi'(theta + lo).
    double log_p = log_gamma(lo + theta) - log_gamma(theta) - log_gamma(lo + 1.0) -
                   theta * std::log1p(mu / theta) + lo * std::log(q);
    double a = lo > 0.0 ? psi1_theta - trigamma(theta + lo) : 0.0;
    double sum = 0.0;
    for (long t = 0; t < max_terms; ++t) {
      const double j = lo + static_cast<double>(t);
      const double p = std::exp(log_p);
      sum += p * a;
      // P(Y = j + 1) / P(Y = j) = q (j + theta) / (j + 1), which tends to q.
      const double ratio = q * (j + theta) / (j + 1.0);
      if (j > mu && ratio < 1.0) {
        const double bound = std::max(ratio, q);
        if (p * bound / (1.0 - bound) * psi1_theta <= 1e-17 * sum) return sum - mu / (theta * r);
      }
      a += 1.0 / ((theta + j) * (theta + j));
      log_p += std::log(ratio);
    }
    return nan();
  }

 private:
  Eigen::Ref<const Eigen::VectorXd> m_y;
  const Link& m_link;

  // -l_alpha,alpha at one row, from psi'(y + theta) - psi'(theta) and l_theta.
  static double observed_alpha_information(double mu, double theta, double y,
                                           double trigamma_difference, double l_theta) {
    const double r = mu + theta;
    const double l_theta_theta = trigamma_difference + 1.0 / theta - 2.0 / r + (y + theta) / (r * r);
    return -(theta * theta * l_theta_theta + theta * l_theta);
  }

  static double nan() { return std::numeric_limits<double>::quiet_NaN(); }
};

}  // namespace mleglm

#endif  // MLEGLM_NEGBIN_HPP
