#ifndef MLEGLM_CUSTOM_HPP
#define MLEGLM_CUSTOM_HPP

// Rows of a JointObjective whose log-density comes from a caller: functions
// of the whole mean vector mu and an extra parameter phi (a scale, a degrees
// of freedom), each called once per request over all rows, never row by row.
// The caller may also give dl/dmu, d2l/dmu2 and dl/dphi; what it does not give
// is found by fourth-order central finite differences on the scales the
// solver works on, eta for the mean and tau for phi (phi = exp(tau) or tau),
// with steps h relative to max(|x|, 1) at each point x:
//
//   first derivatives    h = eps^(1/5) ~ 7.4e-4, 4 calls, error ~ 1e-12
//   second derivatives   h = eps^(1/6) ~ 2.5e-3, 4 calls, error ~ 1e-10
//   mixed (eta, tau)     the same h and k, 8 calls (Richardson), ~ 1e-10
//
// (relative errors, for a log-density computed to full precision that
// changes on the scale of max(|x|, 1); where it changes on a scale sigma much
// smaller, the truncation error grows like (h / sigma)^4). Given first
// derivatives are differenced once more with the first-derivative step.
// Steps on eta keep mu inside the link's range (a log link steps mu
// relatively), and a step that leaves the domain makes the point infeasible.
//
// "Expected" curvature: a user's density has no known expectation, so the
// solvers' fallback curvature is the outer product of the row scores
// (Berndt, Hall, Hall and Hausman 1974), which is positive semi-definite.
// The core never calls R: the functions are std::function, filled by the
// caller's boundary.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <utility>

#include <Eigen/Dense>

#include "joint.hpp"
#include "link.hpp"

namespace mleglm {

// out = f(mu, phi) for all rows; must leave out with one value per row.
using RowFunction =
    std::function<void(const Eigen::VectorXd& mu, double phi, Eigen::VectorXd& out)>;

struct RowCallbacks {
  RowFunction loglik;  // required
  RowFunction d_mu;    // optional: dl/dmu
  RowFunction d2_mu;   // optional, with d_mu: d2l/dmu2
  RowFunction d_phi;   // optional: dl/dphi
};

// The extra parameter: absent, held fixed at `value`, or estimated on the
// scale tau (log_scale: phi = exp(tau), else phi = tau).
struct ExtraParameter {
  bool present = false;
  bool estimated = false;
  bool log_scale = true;
  double value = std::numeric_limits<double>::quiet_NaN();
};

class CallbackRows final : public RowModel {
 public:
  CallbackRows(Eigen::Index n, const Link& link, RowCallbacks callbacks, ExtraParameter extra)
      : m_n(n), m_link(link), m_f(std::move(callbacks)), m_extra(extra) {
    if (!m_f.loglik) throw std::invalid_argument("a log-density function is required");
    if (m_f.d2_mu && !m_f.d_mu) throw std::invalid_argument("d2_mu needs d_mu");
  }

  Eigen::Index rows() const override { return m_n; }
  bool has_extra() const override { return m_extra.present && m_extra.estimated; }

  bool values(const Eigen::VectorXd& eta, double tau, RowValues& out) override {
    if (!means(eta, out.mu)) return false;
    call(m_f.loglik, out.mu, phi(tau), out.value);
    return true;
  }

  bool derivatives(const Eigen::VectorXd& eta, double tau, Curvature curvature,
                   RowValues& out) override {
    const bool extra = has_extra();
    set_point(eta, tau);
    if (!eta_score(out.d_eta)) return false;
    if (extra && !tau_score(out.d_tau)) return false;
    if (curvature == Curvature::expected) {
      out.c_eta = out.d_eta.cwiseAbs2();
      if (extra) {
        out.c_eta_tau = out.d_eta.cwiseProduct(out.d_tau);
        out.c_tau = out.d_tau.cwiseAbs2();
      }
    } else if (curvature == Curvature::exact) {
      if (!eta_curvature(out)) return false;
      if (extra && !(tau_curvature(out) && cross_curvature(out))) return false;
    }
    return true;
  }

 private:
  Eigen::Index m_n;
  const Link& m_link;
  RowCallbacks m_f;
  ExtraParameter m_extra;
  // The point being differentiated and the steps there (vectors on eta,
  // scalars on tau): `first` for first derivatives, `second` for second.
  Eigen::VectorXd m_eta, m_h_first, m_h_second;
  double m_tau = 0.0, m_k_first = 0.0, m_k_second = 0.0;
  Eigen::VectorXd m_mu, m_g[4];  // scratch

  static constexpr double first_step = 7.4009597974140505e-04;   // eps^(1/5)
  static constexpr double second_step = 2.4607833005759251e-03;  // eps^(1/6)

  // A step of relative size c at x, exactly representable so that (x + h) - x == h.
  static double step(double x, double c) {
    const double h = c * std::max(std::fabs(x), 1.0);
    const double t = x + h;
    return t - x;
  }

  double phi(double tau) const {
    if (!m_extra.present) return std::numeric_limits<double>::quiet_NaN();
    if (!m_extra.estimated) return m_extra.value;
    return m_extra.log_scale ? std::exp(tau) : tau;
  }
  double dphi_dtau(double tau) const { return m_extra.log_scale ? std::exp(tau) : 1.0; }

  void call(const RowFunction& f, const Eigen::VectorXd& mu, double phi_value,
            Eigen::VectorXd& out) const {
    f(mu, phi_value, out);
    if (out.size() != m_n) throw std::length_error("a row function returned the wrong length");
  }

  bool means(const Eigen::VectorXd& eta, Eigen::VectorXd& mu) const {
    mu.resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      if (!m_link.valid_eta(eta[i])) return false;
      mu[i] = m_link.linkinv(eta[i]);
    }
    return true;
  }

  void set_point(const Eigen::VectorXd& eta, double tau) {
    m_eta = eta;
    m_tau = tau;
    m_h_first = eta.unaryExpr([](double e) { return step(e, first_step); });
    m_h_second = eta.unaryExpr([](double e) { return step(e, second_step); });
    m_k_first = step(tau, first_step);
    m_k_second = step(tau, second_step);
  }

  // The three row functions at the shifted point (eta + a h, tau + b k);
  // false where the point leaves the link's domain or a value is not finite.
  bool loglik_at(double a, const Eigen::VectorXd& h, double b, double k, Eigen::VectorXd& out) {
    if (!means(m_eta + a * h, m_mu)) return false;
    call(m_f.loglik, m_mu, phi(m_tau + b * k), out);
    return out.allFinite();
  }
  bool eta_score_at(double a, const Eigen::VectorXd& h, double b, double k, Eigen::VectorXd& out) {
    const Eigen::VectorXd eta = m_eta + a * h;
    if (!means(eta, m_mu)) return false;
    call(m_f.d_mu, m_mu, phi(m_tau + b * k), out);
    for (Eigen::Index i = 0; i < m_n; ++i) out[i] *= m_link.mu_eta(eta[i]);
    return out.allFinite();
  }
  bool tau_score_at(double a, const Eigen::VectorXd& h, double b, double k, Eigen::VectorXd& out) {
    if (!means(m_eta + a * h, m_mu)) return false;
    call(m_f.d_phi, m_mu, phi(m_tau + b * k), out);
    out *= dphi_dtau(m_tau + b * k);
    return out.allFinite();
  }

  // Fourth-order central differences of g(s) = g at offset s steps:
  //   g'  h  ~ (8 [g(1) - g(-1)] - [g(2) - g(-2)]) / 12           error O(h^4)
  //   g'' h^2 ~ (16 [g(1) + g(-1)] - [g(2) + g(-2)] - 30 g(0)) / 12  error O(h^4)
  // Rounding errors are about 1.5 eps |g| / h and 5.3 eps |g| / h^2, so the
  // steps eps^(1/5) and eps^(1/6) (relative) balance the two.
  template <typename G>
  bool first_difference(G g, Eigen::VectorXd& out) {
    if (!g(1.0, m_g[0]) || !g(-1.0, m_g[1]) || !g(2.0, m_g[2]) || !g(-2.0, m_g[3])) return false;
    out = (8.0 * (m_g[0] - m_g[1]) - (m_g[2] - m_g[3])) / 12.0;
    return true;
  }
  template <typename G>
  bool second_difference(G g, const Eigen::VectorXd& center, Eigen::VectorXd& out) {
    if (!g(1.0, m_g[0]) || !g(-1.0, m_g[1]) || !g(2.0, m_g[2]) || !g(-2.0, m_g[3])) return false;
    out = (16.0 * (m_g[0] + m_g[1]) - (m_g[2] + m_g[3]) - 30.0 * center) / 12.0;
    return true;
  }

  // dl/deta at the point.
  bool eta_score(Eigen::VectorXd& out) {
    const Eigen::VectorXd& h = m_h_first;
    if (m_f.d_mu) return eta_score_at(0.0, h, 0.0, 0.0, out);
    auto g = [&](double a, Eigen::VectorXd& v) { return loglik_at(a, h, 0.0, 0.0, v); };
    if (!first_difference(g, out)) return false;
    out = out.cwiseQuotient(h);
    return true;
  }

  // dl/dtau at the point.
  bool tau_score(Eigen::VectorXd& out) {
    const Eigen::VectorXd& h = m_h_first;
    const double k = m_k_first;
    if (m_f.d_phi) return tau_score_at(0.0, h, 0.0, k, out);
    auto g = [&](double b, Eigen::VectorXd& v) { return loglik_at(0.0, h, b, k, v); };
    if (!first_difference(g, out)) return false;
    out /= k;
    return true;
  }

  // c_eta = -d2l/deta2.
  bool eta_curvature(RowValues& out) {
    if (m_f.d2_mu) {
      Eigen::VectorXd d2, d1;
      call(m_f.d2_mu, out.mu, phi(m_tau), d2);
      call(m_f.d_mu, out.mu, phi(m_tau), d1);
      out.c_eta.resize(m_n);
      for (Eigen::Index i = 0; i < m_n; ++i) {
        const double m1 = m_link.mu_eta(m_eta[i]);
        out.c_eta[i] = -(d2[i] * m1 * m1 + d1[i] * m_link.d2mu_eta2(m_eta[i]));
      }
      return true;
    }
    if (m_f.d_mu) {
      const Eigen::VectorXd& h = m_h_first;
      auto g = [&](double a, Eigen::VectorXd& v) { return eta_score_at(a, h, 0.0, 0.0, v); };
      if (!first_difference(g, out.c_eta)) return false;
      out.c_eta = -out.c_eta.cwiseQuotient(h);
      return true;
    }
    const Eigen::VectorXd& h = m_h_second;
    auto g = [&](double a, Eigen::VectorXd& v) { return loglik_at(a, h, 0.0, 0.0, v); };
    if (!second_difference(g, out.value, out.c_eta)) return false;
    out.c_eta = -out.c_eta.cwiseQuotient(h.cwiseAbs2());
    return true;
  }

  // c_tau = -d2l/dtau2.
  bool tau_curvature(RowValues& out) {
    if (m_f.d_phi) {
      const double k = m_k_first;
      auto g = [&](double b, Eigen::VectorXd& v) { return tau_score_at(0.0, m_h_first, b, k, v); };
      if (!first_difference(g, out.c_tau)) return false;
      out.c_tau /= -k;
      return true;
    }
    const double k = m_k_second;
    auto g = [&](double b, Eigen::VectorXd& v) { return loglik_at(0.0, m_h_second, b, k, v); };
    if (!second_difference(g, out.value, out.c_tau)) return false;
    out.c_tau /= -(k * k);
    return true;
  }

  // c_eta_tau = -d2l/(deta dtau): a difference of whichever first derivative
  // is given, else Richardson's extrapolation of the four-point cross
  //   D(s) = [l(+s, +s) - l(+s, -s) - l(-s, +s) + l(-s, -s)] / (4 s^2 h k),
  // (4 D(1) - D(2)) / 3, whose error is O(h^4) as for the other stencils.
  bool cross_curvature(RowValues& out) {
    if (m_f.d_mu) {
      const double k = m_k_first;
      auto g = [&](double b, Eigen::VectorXd& v) { return eta_score_at(0.0, m_h_first, b, k, v); };
      if (!first_difference(g, out.c_eta_tau)) return false;
      out.c_eta_tau /= -k;
      return true;
    }
    if (m_f.d_phi) {
      const Eigen::VectorXd& h = m_h_first;
      auto g = [&](double a, Eigen::VectorXd& v) { return tau_score_at(a, h, 0.0, m_k_first, v); };
      if (!first_difference(g, out.c_eta_tau)) return false;
      out.c_eta_tau = -out.c_eta_tau.cwiseQuotient(h);
      return true;
    }
    const Eigen::VectorXd& h = m_h_second;
    const double k = m_k_second;
    Eigen::VectorXd cross[2];
    for (int j = 0; j < 2; ++j) {
      const double s = j == 0 ? 1.0 : 2.0;
      Eigen::VectorXd pp, pm, mp, mm;
      if (!loglik_at(s, h, s, k, pp) || !loglik_at(s, h, -s, k, pm) ||
          !loglik_at(-s, h, s, k, mp) || !loglik_at(-s, h, -s, k, mm))
        return false;
      cross[j] = (pp - pm - mp + mm) / (4.0 * s * s * k);
    }
    out.c_eta_tau = -((4.0 * cross[0] - cross[1]) / 3.0).cwiseQuotient(h);
    return true;
  }
};

}  // namespace mleglm

#endif  // MLEGLM_CUSTOM_HPP
