#ifndef MLEGLM_OBJECTIVE_HPP
#define MLEGLM_OBJECTIVE_HPP

// The GLM log-likelihood as a Problem: at any beta it gives the value, the
// score U = X' l_eta and the information X' diag(weight) X, observed or
// expected. Where the family has a free dispersion, phi is profiled out at its
// maximum-likelihood value for the current beta, so the value is the profile
// log-likelihood, its gradient is the score at (beta, phi_hat(beta)) and the
// solvers maximise over beta alone. For these families beta and phi are
// orthogonal, so the beta block of the inverse information needs nothing else.

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>

#include "family.hpp"
#include "linalg.hpp"
#include "problem.hpp"

namespace mleglm {

// Everything known at one beta, for the fitted object.
struct FitDetails {
  bool ok = false;
  double loglik = 0.0;
  double deviance = 0.0;
  double dispersion = 1.0;
  Eigen::VectorXd eta, mu, score;
  Eigen::MatrixXd observed, expected;
};

class GlmObjective final : public Problem {
 public:
  GlmObjective(Eigen::Ref<const Eigen::MatrixXd> x, Eigen::Ref<const Eigen::VectorXd> y,
               Eigen::Ref<const Eigen::VectorXd> weights, Eigen::Ref<const Eigen::VectorXd> offset,
               const Family& family)
      : m_x(x), m_y(y), m_w(weights), m_offset(offset), m_family(family) {
    const Eigen::Index n = x.rows();
    if (y.size() != n || weights.size() != n || offset.size() != n)
      throw std::invalid_argument("x, y, weights and offset must have the same number of rows");
    const Distribution& dist = family.distribution();
    for (Eigen::Index i = 0; i < n; ++i) {
      const double w = m_w[i];
      if (!(w > 0.0)) continue;
      m_summary.n_positive += 1.0;
      m_summary.sum_w += w;
      m_summary.sum_log_w += std::log(w);
      if (m_y[i] > 0.0) m_summary.sum_w_log_y += w * std::log(m_y[i]);
      m_summary.constant += dist.row_constant(m_y[i], w);
    }
    m_eta.resize(n);
    m_score.resize(n);
    m_weight.resize(n);
  }

  Eigen::Index dim() const override { return m_x.cols(); }
  const DataSummary& summary() const { return m_summary; }

  void evaluate(const Eigen::VectorXd& beta, bool with_gradient, Curvature curvature,
                Evaluation& out) override {
    out.ok = false;
    m_eta.noalias() = m_x * beta;
    m_eta += m_offset;
    double deviance = 0.0;
    if (!row_pass(curvature, deviance)) return;
    const double phi = dispersion(deviance);
    out.value = value(deviance, phi);
    out.ok = std::isfinite(out.value);
    if (with_gradient) out.gradient.noalias() = m_x.transpose() * m_score / phi;
    if (curvature != Curvature::none) out.curvature = weighted_crossprod(m_x, m_weight) / phi;
  }

  // Both informations, the score and the fitted values at beta, in one call.
  FitDetails details(const Eigen::VectorXd& beta) {
    FitDetails d;
    m_eta.noalias() = m_x * beta;
    m_eta += m_offset;
    if (!row_pass(Curvature::exact, d.deviance)) return d;
    d.dispersion = dispersion(d.deviance);
    d.loglik = value(d.deviance, d.dispersion);
    d.ok = std::isfinite(d.loglik);
    d.eta = m_eta;
    d.mu = m_eta.unaryExpr([this](double e) { return m_family.link().linkinv(e); });
    d.score = m_x.transpose() * m_score / d.dispersion;
    d.observed = weighted_crossprod(m_x, m_weight) / d.dispersion;
    // The expected weights, recomputed: cheap next to the cross-product.
    for (Eigen::Index i = 0; i < m_x.rows(); ++i)
      m_weight[i] = m_w[i] > 0.0 ? m_family.terms(m_eta[i], m_y[i], m_w[i], false).expected : 0.0;
    d.expected = weighted_crossprod(m_x, m_weight) / d.dispersion;
    return d;
  }

  // Coefficients from one weighted least-squares step at a starting linear
  // predictor, as glm.fit's first iteration: regress the working response
  // z = (eta - offset) + (y - mu) / mu' on X with weights w mu'^2 / V.
  Eigen::VectorXd start_from_eta(const Eigen::VectorXd& eta) const {
    const Eigen::Index n = m_x.rows();
    Eigen::VectorXd z = Eigen::VectorXd::Zero(n), ww = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!(m_w[i] > 0.0) || !m_family.valid(eta[i])) continue;
      const RowTerms t = m_family.terms(eta[i], m_y[i], m_w[i], false);
      const double m1 = m_family.link().mu_eta(eta[i]);
      z[i] = eta[i] - m_offset[i] + (m_y[i] - t.mu) / m1;
      ww[i] = t.expected;
    }
    const Eigen::MatrixXd xtwx = weighted_crossprod(m_x, ww);
    const Eigen::VectorXd xtwz = m_x.transpose() * ww.cwiseProduct(z);
    Eigen::VectorXd beta;
    if (solve_positive_definite(xtwx, xtwz, beta)) return beta;
    beta = xtwx.ldlt().solve(xtwz);
    return beta.allFinite() ? beta : Eigen::VectorXd::Zero(m_x.cols());
  }

  // The least-squares coefficients for a constant linear predictor eta0 on
  // the rows with positive weight: a start inside the parameter space when
  // the columns span a constant, for links whose start_from_eta() can leave
  // it (poisson identity, binomial log: glm() then asks for `start`).
  // The normal equations are accurate enough for a start, and reuse the
  // algebra above.
  Eigen::VectorXd start_at_constant(double eta0) const {
    const Eigen::Index n = m_x.rows();
    Eigen::VectorXd used = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i) used[i] = m_w[i] > 0.0 ? 1.0 : 0.0;
    const Eigen::VectorXd target = used.cwiseProduct(Eigen::VectorXd::Constant(n, eta0) - m_offset);
    const Eigen::MatrixXd xtx = weighted_crossprod(m_x, used);
    const Eigen::VectorXd xty = m_x.transpose() * target;
    Eigen::VectorXd beta;
    if (solve_positive_definite(xtx, xty, beta)) return beta;
    beta = xtx.ldlt().solve(xty);
    return beta.allFinite() ? beta : Eigen::VectorXd::Zero(m_x.cols());
  }

  // Whether beta gives a finite log-likelihood.
  bool feasible(const Eigen::VectorXd& beta) {
    Evaluation at;
    evaluate(beta, false, Curvature::none, at);
    return at.ok;
  }

 private:
  Eigen::Ref<const Eigen::MatrixXd> m_x;
  Eigen::Ref<const Eigen::VectorXd> m_y, m_w, m_offset;
  const Family& m_family;
  DataSummary m_summary;
  Eigen::VectorXd m_eta, m_score, m_weight;  // reused n-vectors

  // One pass over the rows at m_eta: deviance, l_eta and the curvature
  // weights. False if a row with positive weight leaves the parameter space.
  bool row_pass(Curvature curvature, double& deviance) {
    const Distribution& dist = m_family.distribution();
    const bool exact = curvature == Curvature::exact;
    deviance = 0.0;
    for (Eigen::Index i = 0; i < m_x.rows(); ++i) {
      const double w = m_w[i];
      if (!(w > 0.0)) {
        m_score[i] = 0.0;
        m_weight[i] = 0.0;
        continue;
      }
      if (!m_family.valid(m_eta[i])) return false;
      const RowTerms t = m_family.terms(m_eta[i], m_y[i], w, exact);
      deviance += dist.unit_deviance(m_y[i], t.mu, w);
      m_score[i] = t.score;
      m_weight[i] = exact ? t.observed : t.expected;
    }
    return std::isfinite(deviance);
  }

  // phi_hat(beta); a perfect fit gives 0, kept just above it so values stay finite.
  double dispersion(double deviance) const {
    const Distribution& dist = m_family.distribution();
    if (!dist.has_dispersion()) return 1.0;
    return std::max(dist.ml_dispersion(deviance, m_summary), std::numeric_limits<double>::min());
  }

  double value(double deviance, double phi) const {
    return -deviance / (2.0 * phi) + m_family.distribution().saturated_loglik(phi, m_summary);
  }
};

}  // namespace mleglm

#endif  // MLEGLM_OBJECTIVE_HPP
