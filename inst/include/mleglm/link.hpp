#ifndef MLEGLM_LINK_HPP
#define MLEGLM_LINK_HPP

// Links g (linkfun, used for starting values), with their inverses
// mu = g^-1(eta) and the first and second derivatives dmu/deta and d2mu/deta2. The second derivative is what the
// observed information needs beyond Fisher scoring.
//
// linkinv and mu_eta reproduce the clamps of R's stats::make.link() so that
// the C++ core and R's families agree to the last bit on extreme eta; the
// second derivative is the unclamped analytic one.

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "math.hpp"

namespace mleglm {

class Link {
 public:
  virtual ~Link() = default;
  virtual double linkfun(double mu) const = 0;
  virtual double linkinv(double eta) const = 0;
  virtual double mu_eta(double eta) const = 0;
  virtual double d2mu_eta2(double eta) const = 0;
  // mu and dmu/deta together, for links that share work between them.
  virtual void inverse_and_derivative(double eta, double& mu, double& mu_eta_value) const {
    mu = linkinv(eta);
    mu_eta_value = mu_eta(eta);
  }
  // Whether eta lies in the domain of the inverse link.
  virtual bool valid_eta(double eta) const { return std::isfinite(eta); }
  // mu = eta: the working response is then y itself.
  virtual bool identity() const { return false; }
};

class IdentityLink final : public Link {
 public:
  static const char* name() { return "identity"; }
  double linkfun(double mu) const override { return mu; }
  double linkinv(double eta) const override { return eta; }
  double mu_eta(double) const override { return 1.0; }
  double d2mu_eta2(double) const override { return 0.0; }
  bool identity() const override { return true; }
};

class LogLink final : public Link {
 public:
  static const char* name() { return "log"; }
  double linkfun(double mu) const override { return std::log(mu); }
  double linkinv(double eta) const override { return std::max(std::exp(eta), epsilon); }
  double mu_eta(double eta) const override { return std::max(std::exp(eta), epsilon); }
  void inverse_and_derivative(double eta, double& mu, double& mu_eta_value) const override {
    mu = mu_eta_value = std::max(std::exp(eta), epsilon);
  }
  double d2mu_eta2(double eta) const override { return std::exp(eta); }
};

// mu = 1 / eta
class InverseLink final : public Link {
 public:
  static const char* name() { return "inverse"; }
  double linkfun(double mu) const override { return 1.0 / mu; }
  double linkinv(double eta) const override { return 1.0 / eta; }
  double mu_eta(double eta) const override { return -1.0 / (eta * eta); }
  double d2mu_eta2(double eta) const override { return 2.0 / (eta * eta * eta); }
  bool valid_eta(double eta) const override { return std::isfinite(eta) && eta != 0.0; }
};

// mu = eta^(-1/2), the canonical link of the inverse Gaussian.
class InverseSquareLink final : public Link {
 public:
  static const char* name() { return "1/mu^2"; }
  double linkfun(double mu) const override { return 1.0 / (mu * mu); }
  double linkinv(double eta) const override { return 1.0 / std::sqrt(eta); }
  double mu_eta(double eta) const override { return -1.0 / (2.0 * std::pow(eta, 1.5)); }
  double d2mu_eta2(double eta) const override { return 0.75 / std::pow(eta, 2.5); }
  bool valid_eta(double eta) const override { return std::isfinite(eta) && eta > 0.0; }
};

// mu = eta^2
class SqrtLink final : public Link {
 public:
  static const char* name() { return "sqrt"; }
  double linkfun(double mu) const override { return std::sqrt(mu); }
  double linkinv(double eta) const override { return eta * eta; }
  double mu_eta(double eta) const override { return 2.0 * eta; }
  double d2mu_eta2(double) const override { return 2.0; }
  bool valid_eta(double eta) const override { return std::isfinite(eta) && eta > 0.0; }
};

// mu = 1 / (1 + exp(-eta)); R switches to constants beyond |eta| = 30.
class LogitLink final : public Link {
 public:
  static const char* name() { return "logit"; }
  double linkfun(double mu) const override { return std::log(mu / (1.0 - mu)); }
  double linkinv(double eta) const override {
    const double e = eta < -30.0 ? epsilon : (eta > 30.0 ? 1.0 / epsilon : std::exp(eta));
    return e / (1.0 + e);
  }
  double mu_eta(double eta) const override {
    if (eta > 30.0 || eta < -30.0) return epsilon;
    const double e = std::exp(eta);
    return e / ((1.0 + e) * (1.0 + e));
  }
  // One exp for both, with the same clamps as the two functions above.
  void inverse_and_derivative(double eta, double& mu, double& mu_eta_value) const override {
    if (eta < -30.0 || eta > 30.0) {
      mu = linkinv(eta);
      mu_eta_value = epsilon;
      return;
    }
    const double e = std::exp(eta);
    const double one_plus = 1.0 + e;
    mu = e / one_plus;
    mu_eta_value = e / (one_plus * one_plus);
  }
  double d2mu_eta2(double eta) const override {
    // mu (1 - mu) (1 - 2 mu), written with exp(-|eta|) to avoid overflow.
    const double e = std::exp(-std::fabs(eta));
    const double m1 = e / ((1.0 + e) * (1.0 + e));
    const double sign = eta > 0.0 ? -1.0 : 1.0;
    return sign * m1 * (1.0 - e) / (1.0 + e);
  }
};

// mu = Phi(eta), clamped at -qnorm(DBL_EPSILON) as R does.
class ProbitLink final : public Link {
 public:
  static const char* name() { return "probit"; }
  double linkfun(double mu) const override { return normal_quantile(mu); }
  double linkinv(double eta) const override {
    const double thresh = 8.125890664701906;  // -qnorm(.Machine$double.eps)
    return normal_cdf(std::min(std::max(eta, -thresh), thresh));
  }
  double mu_eta(double eta) const override { return std::max(normal_pdf(eta), epsilon); }
  double d2mu_eta2(double eta) const override { return -eta * normal_pdf(eta); }
};

// mu = 1/2 + atan(eta) / pi, clamped at -qcauchy(DBL_EPSILON) as R does.
class CauchitLink final : public Link {
 public:
  static const char* name() { return "cauchit"; }
  // As R's qcauchy(): -1 / tan(pi mu) keeps a small tail probability exact.
  double linkfun(double mu) const override {
    if (mu == 0.5) return 0.0;
    return mu < 0.5 ? -1.0 / std::tan(pi * mu) : 1.0 / std::tan(pi * (1.0 - mu));
  }
  double linkinv(double eta) const override {
    const double thresh = 1433540284805664.8;  // -qcauchy(.Machine$double.eps)
    const double e = std::min(std::max(eta, -thresh), thresh);
    // As R's pcauchy(): beyond |eta| = 1, atan(1 / eta) keeps the small tail
    // probability accurate relative to its size.
    if (e < -1.0) return -std::atan(1.0 / e) / pi;
    if (e > 1.0) return 1.0 - std::atan(1.0 / e) / pi;
    return 0.5 + std::atan(e) / pi;
  }
  double mu_eta(double eta) const override {
    return std::max(1.0 / (pi * (1.0 + eta * eta)), epsilon);
  }
  double d2mu_eta2(double eta) const override {
    const double d = 1.0 + eta * eta;
    return -2.0 * eta / (pi * d * d);
  }
};

// mu = 1 - exp(-exp(eta))
class CloglogLink final : public Link {
 public:
  static const char* name() { return "cloglog"; }
  double linkfun(double mu) const override { return std::log(-std::log1p(-mu)); }
  double linkinv(double eta) const override {
    return std::max(std::min(-std::expm1(-std::exp(eta)), 1.0 - epsilon), epsilon);
  }
  double mu_eta(double eta) const override {
    const double e = std::min(eta, 700.0);
    return std::max(std::exp(e) * std::exp(-std::exp(e)), epsilon);
  }
  double d2mu_eta2(double eta) const override {
    const double e = std::exp(std::min(eta, 700.0));
    return e * std::exp(-e) * (1.0 - e);
  }
};

}  // namespace mleglm

#endif  // MLEGLM_LINK_HPP
