#ifndef MLEGLM_JOINT_HPP
#define MLEGLM_JOINT_HPP

// A regression log-likelihood whose rows depend on their linear predictor
// eta_i = x_i' beta + offset_i and on at most one extra parameter tau shared
// by all rows (the log of the negative binomial's theta, the log-scale of a
// user's Student-t, ...), maximised over the full vector (beta, tau).
//
// A RowModel supplies, per row and per unit prior weight, the log-density
// l_i and its derivatives in (eta_i, tau); JointObjective turns them into the
// value, gradient and curvature in (beta, tau). With prior weights w and
// c = minus a second derivative (or its expectation),
//
//   value         = sum w l
//   dl/dbeta      = X' (w . l_eta)          dl/dtau = sum w l_tau
//   C_beta,beta   = X' diag(w . c_eta) X
//   C_beta,tau    = X' (w . c_eta_tau)      C_tau,tau = sum w c_tau
//
// so the chain rule through X is written once for every such model. Rows
// with zero weight are skipped (their values may be anything).

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "linalg.hpp"
#include "problem.hpp"
#include "row_sums.hpp"

namespace mleglm {

// Per-row quantities, per unit prior weight, at one (eta, tau).
struct RowValues {
  Eigen::VectorXd mu, value;                 // mean and log-density
  Eigen::VectorXd d_eta, d_tau;              // first derivatives
  Eigen::VectorXd c_eta, c_eta_tau, c_tau;   // curvature weights
};

class RowModel {
 public:
  virtual ~RowModel() = default;
  virtual Eigen::Index rows() const = 0;
  // Whether the rows depend on tau, which is then the last parameter.
  virtual bool has_extra() const = 0;
  // Fills mu and value at (eta, tau); false if eta leaves the link's domain.
  virtual bool values(const Eigen::VectorXd& eta, double tau, RowValues& out) = 0;
  // Fills d_eta, d_tau and, unless curvature is none, the curvature weights,
  // after values() at the same point; false where they cannot be computed.
  virtual bool derivatives(const Eigen::VectorXd& eta, double tau, Curvature curvature,
                           RowValues& out) = 0;
};

class JointObjective final : public Problem {
 public:
  JointObjective(Eigen::Ref<const Eigen::MatrixXd> x, Eigen::Ref<const Eigen::VectorXd> weights,
                 Eigen::Ref<const Eigen::VectorXd> offset, RowModel& model)
      : m_x(x), m_w(weights), m_offset(offset), m_model(model) {
    const Eigen::Index n = x.rows();
    if (weights.size() != n || offset.size() != n || model.rows() != n)
      throw std::invalid_argument("x, weights, offset and the row model must have the same rows");
    m_eta.resize(n);
    m_scaled.resize(n);
  }

  Eigen::Index dim() const override { return m_x.cols() + (m_model.has_extra() ? 1 : 0); }

  // The parameter vector being evaluated, so that a caller's callbacks can
  // say where they failed.
  const Eigen::VectorXd& current() const { return m_current; }
  // Linear predictor and row quantities of the last evaluation.
  const Eigen::VectorXd& eta() const { return m_eta; }
  const RowValues& row_values() const { return m_rows; }

  void evaluate(const Eigen::VectorXd& par, bool with_gradient, Curvature curvature,
                Evaluation& out) override {
    out.ok = false;
    m_current = par;
    const Eigen::Index p = m_x.cols();
    m_eta.noalias() = m_x * par.head(p);
    m_eta += m_offset;
    const double tau = m_model.has_extra() ? par[p] : 0.0;
    if (!m_model.values(m_eta, tau, m_rows)) return;
    out.value = weighted_sum(m_rows.value);
    if (!std::isfinite(out.value)) return;
    if (!with_gradient && curvature == Curvature::none) {
      out.ok = true;
      return;
    }
    if (!m_model.derivatives(m_eta, tau, curvature, m_rows)) return;
    const bool extra = m_model.has_extra();
    const Eigen::Index d = dim();
    if (with_gradient) {
      out.gradient.resize(d);
      out.gradient.head(p).noalias() = m_x.transpose() * weighted(m_rows.d_eta);
      if (extra) out.gradient[p] = weighted_sum(m_rows.d_tau);
      if (!out.gradient.allFinite()) return;
    }
    if (curvature != Curvature::none) {
      out.curvature.resize(d, d);
      out.curvature.topLeftCorner(p, p) = weighted_crossprod(m_x, weighted(m_rows.c_eta));
      if (extra) {
        out.curvature.col(p).head(p).noalias() = m_x.transpose() * weighted(m_rows.c_eta_tau);
        out.curvature.row(p).head(p) = out.curvature.col(p).head(p).transpose();
        out.curvature(p, p) = weighted_sum(m_rows.c_tau);
      }
      if (!out.curvature.allFinite()) return;
    }
    out.ok = true;
  }

 private:
  Eigen::Ref<const Eigen::MatrixXd> m_x;
  Eigen::Ref<const Eigen::VectorXd> m_w, m_offset;
  RowModel& m_model;
  RowValues m_rows;
  Eigen::VectorXd m_current, m_eta, m_scaled;

  // w . v with zero-weight rows set to 0 (0 * NaN would be NaN).
  const Eigen::VectorXd& weighted(const Eigen::VectorXd& v) {
    for (Eigen::Index i = 0; i < v.size(); ++i) m_scaled[i] = m_w[i] > 0.0 ? m_w[i] * v[i] : 0.0;
    return m_scaled;
  }

  double weighted_sum(const Eigen::VectorXd& v) {
    double s = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i)
      if (m_w[i] > 0.0) s += m_w[i] * v[i];
    return s;
  }
};

}  // namespace mleglm

#endif  // MLEGLM_JOINT_HPP
