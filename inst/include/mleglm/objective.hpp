#ifndef MLEGLM_OBJECTIVE_HPP
#define MLEGLM_OBJECTIVE_HPP

// The GLM log-likelihood as a Problem: at any beta it gives the value, the
// score U = X' l_eta and the information X' diag(weight) X, observed or
// expected. Where the family has a free dispersion, phi is profiled out at its
// maximum-likelihood value for the current beta, so the value is the profile
// log-likelihood, its gradient is the score at (beta, phi_hat(beta)) and the
// solvers maximise over beta alone. For these families beta and phi are
// orthogonal, so the beta block of the inverse information needs nothing else.
// Every evaluation is one pass of the row accumulator (row_sums.hpp).

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>

#include "family.hpp"
#include "linalg.hpp"
#include "problem.hpp"
#include "row_sums.hpp"

namespace mleglm {

// Everything known at one beta, for the fitted object.
struct FitDetails {
  bool ok = false;
  double loglik = 0.0;
  double deviance = 0.0;
  double dispersion = 1.0;
  double pearson = 0.0;  // sum of w (y - mu)^2 / V(mu)
  Eigen::VectorXd eta, mu, score;
  Eigen::MatrixXd observed, expected;
};

class GlmObjective final : public Problem {
 public:
  GlmObjective(Eigen::Ref<const Eigen::MatrixXd> x, Eigen::Ref<const Eigen::VectorXd> y,
               Eigen::Ref<const Eigen::VectorXd> weights, Eigen::Ref<const Eigen::VectorXd> offset,
               const Family& family, int threads = 1)
      : m_x(x), m_y(y), m_w(weights), m_offset(offset), m_family(family),
        m_threads(available_threads(threads)) {
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
  }

  Eigen::Index dim() const override { return m_x.cols(); }
  const DataSummary& summary() const { return m_summary; }
  int threads() const { return m_threads; }

  void evaluate(const Eigen::VectorXd& beta, bool with_gradient, Curvature curvature,
                Evaluation& out) override {
    const RowSums sums = sums_at(beta, curvature, with_gradient, nullptr);
    out.ok = false;
    if (!sums.ok || !std::isfinite(sums.deviance)) return;
    const double phi = dispersion(sums.deviance);
    out.value = value(sums.deviance, phi);
    out.ok = std::isfinite(out.value);
    if (with_gradient) out.gradient = sums.score / phi;
    if (curvature != Curvature::none) out.curvature = sums.information / phi;
  }

  // Both informations, the score and the fitted values at beta.
  FitDetails details(const Eigen::VectorXd& beta) const {
    FitDetails d;
    d.eta.resize(m_x.rows());
    const RowSums observed = sums_at(beta, Curvature::exact, true, &d.eta);
    if (!observed.ok || !std::isfinite(observed.deviance)) return d;
    const RowSums expected = sums_at(beta, Curvature::expected, false, nullptr);
    d.deviance = observed.deviance;
    d.dispersion = dispersion(d.deviance);
    d.loglik = value(d.deviance, d.dispersion);
    d.ok = std::isfinite(d.loglik);
    d.score = observed.score / d.dispersion;
    d.observed = observed.information / d.dispersion;
    d.expected = expected.information / d.dispersion;
    const Link& link = m_family.link();
    const Distribution& dist = m_family.distribution();
    d.mu.resize(m_x.rows());
    for (Eigen::Index i = 0; i < m_x.rows(); ++i) {
      d.mu[i] = link.linkinv(d.eta[i]);
      if (m_w[i] > 0.0) {
        const double r = m_y[i] - d.mu[i];
        d.pearson += m_w[i] * r * r / dist.variance(d.mu[i]);
      }
    }
    return d;
  }

  // Coefficients from one weighted least-squares step at a starting linear
  // predictor, as glm.fit's first iteration: regress the working response
  // z = (eta - offset) + (y - mu) / mu' on X with weights w mu'^2 / V.
  Eigen::VectorXd start_from_eta(const Eigen::VectorXd& eta_start) const {
    auto eta_of = [&](Eigen::Index first, Eigen::Index rows, Eigen::VectorXd& eta) {
      eta.head(rows) = eta_start.segment(first, rows);
    };
    auto term_of = [&](Eigen::Index i, double eta) {
      RowTerm t;
      if (!(m_w[i] > 0.0) || !m_family.valid(eta)) return t;
      const RowTerms terms = m_family.terms(eta, m_y[i], m_w[i], false);
      const double z = eta - m_offset[i] + (m_y[i] - terms.mu) / m_family.link().mu_eta(eta);
      t.weight = terms.expected;
      t.score = terms.expected * z;
      return t;
    };
    const RowSums sums = accumulate_rows(m_x, eta_of, term_of, true, true, m_threads);
    Eigen::VectorXd beta;
    if (solve_positive_definite(sums.information, sums.score, beta)) return beta;
    beta = sums.information.ldlt().solve(sums.score);
    return beta.allFinite() ? beta : Eigen::VectorXd::Zero(m_x.cols());
  }

 private:
  Eigen::Ref<const Eigen::MatrixXd> m_x;
  Eigen::Ref<const Eigen::VectorXd> m_y, m_w, m_offset;
  const Family& m_family;
  int m_threads;
  DataSummary m_summary;

  // One pass over the rows at beta; rows of zero weight contribute nothing
  // and are not required to be valid.
  RowSums sums_at(const Eigen::VectorXd& beta, Curvature curvature, bool with_score,
                  Eigen::VectorXd* eta_out) const {
    const bool exact = curvature == Curvature::exact;
    auto eta_of = [&](Eigen::Index first, Eigen::Index rows, Eigen::VectorXd& eta) {
      eta.head(rows).noalias() = m_x.middleRows(first, rows) * beta;
      eta.head(rows) += m_offset.segment(first, rows);
    };
    auto term_of = [&](Eigen::Index i, double eta) {
      RowTerm t;
      const double w = m_w[i];
      if (!(w > 0.0)) return t;
      if (!m_family.valid(eta)) {
        t.valid = false;
        return t;
      }
      const RowTerms terms = m_family.terms(eta, m_y[i], w, exact);
      t.deviance = m_family.distribution().unit_deviance(m_y[i], terms.mu, w);
      t.score = terms.score;
      t.weight = exact ? terms.observed : terms.expected;
      return t;
    };
    return accumulate_rows(m_x, eta_of, term_of, with_score, curvature != Curvature::none,
                           m_threads, eta_out);
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
