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
#include <vector>

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
  double mu_min = 0.0, mu_max = 0.0;  // over all rows; NaN if a mean is NaN
  Eigen::VectorXd score;
  Eigen::MatrixXd observed, expected;
};

// phi_hat for a deviance and the data summary; a perfect fit gives 0, kept
// just above it so values stay finite. 1 for families without dispersion.
inline double profile_dispersion(const Distribution& dist, double deviance,
                                 const DataSummary& summary) {
  if (!dist.has_dispersion()) return 1.0;
  return std::max(dist.ml_dispersion(deviance, summary), std::numeric_limits<double>::min());
}

// The log-likelihood -D / (2 phi) + l_sat(phi).
inline double profile_loglik(const Distribution& dist, double deviance, double phi,
                             const DataSummary& summary) {
  return -deviance / (2.0 * phi) + dist.saturated_loglik(phi, summary);
}

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
    m_summary = summarise_in_chunks(
        n, m_threads, [&](Eigen::Index first, Eigen::Index rows, DataSummary& part) {
          family.block().summarise(m_y.data() + first, m_w.data() + first, rows, part);
        });
    m_zero_offset = (m_offset.array() == 0.0).all();
  }

  Eigen::Index dim() const override { return m_x.cols(); }
  const DataSummary& summary() const { return m_summary; }
  int threads() const { return m_threads; }
  const Eigen::Ref<const Eigen::MatrixXd>& x() const { return m_x; }
  const Eigen::Ref<const Eigen::VectorXd>& y() const { return m_y; }
  const Eigen::Ref<const Eigen::VectorXd>& weights() const { return m_w; }
  const Eigen::Ref<const Eigen::VectorXd>& offset() const { return m_offset; }
  const Family& family() const { return m_family; }

  void evaluate(const Eigen::VectorXd& beta, bool with_gradient, Curvature curvature,
                Evaluation& out) override {
    RowSums sums = sums_at(beta, curvature, with_gradient, nullptr);
    remember(beta, curvature, sums);
    out.ok = false;
    if (!sums.ok || !std::isfinite(sums.deviance)) return;
    const double phi = dispersion(sums.deviance);
    out.value = value(sums.deviance, phi);
    out.ok = std::isfinite(out.value);
    if (with_gradient) out.gradient = sums.score / phi;
    if (curvature != Curvature::none) out.curvature = sums.information / phi;
  }

  // Both informations, the score and Pearson's statistic at beta, and the
  // linear predictor and means written to eta and mu (n values each; the
  // caller's memory, such as R vectors, so they are not copied again). The
  // solver's last evaluation is usually at beta already and is reused: then
  // only the curvature it did not compute costs a pass over the rows (none
  // for a canonical link), and the fitted values one product X beta.
  FitDetails details(const Eigen::VectorXd& beta, double* eta, double* mu) const {
    FitDetails d;
    const RowSums observed = cached(beta, Curvature::exact)
                                 ? m_cache
                                 : sums_at(beta, Curvature::exact, true, nullptr);
    if (!observed.ok || !std::isfinite(observed.deviance)) {
      std::fill(eta, eta + m_x.rows(), std::numeric_limits<double>::quiet_NaN());
      std::fill(mu, mu + m_x.rows(), std::numeric_limits<double>::quiet_NaN());
      d.mu_min = d.mu_max = std::numeric_limits<double>::quiet_NaN();
      return d;
    }
    const RowSums expected = m_family.canonical()               ? observed
                             : cached(beta, Curvature::expected) ? m_cache
                                 : sums_at(beta, Curvature::expected, false, nullptr);
    d.deviance = observed.deviance;
    d.pearson = observed.pearson;
    d.dispersion = dispersion(d.deviance);
    d.loglik = value(d.deviance, d.dispersion);
    d.ok = std::isfinite(d.loglik);
    d.score = observed.score / d.dispersion;
    d.observed = observed.information / d.dispersion;
    d.expected = expected.information / d.dispersion;
    fitted_values(beta, eta, mu, &d.mu_min, &d.mu_max);
    return d;
  }

  // The linear predictor and the means at beta, over row blocks in parallel
  // (each row is written by one thread, so the result does not depend on
  // their number), and if asked the smallest and largest mean.
  void fitted_values(const Eigen::VectorXd& beta, double* eta, double* mu,
                     double* mu_min = nullptr, double* mu_max = nullptr) const {
    const Eigen::Index n = m_x.rows();
    const Eigen::Index block = block_rows(m_x.cols());
    const Eigen::Index n_blocks = (n + block - 1) / block;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> block_min(static_cast<std::size_t>(n_blocks), nan),
        block_max(static_cast<std::size_t>(n_blocks), nan);
    const int team = n * m_x.cols() >= 200000 ? m_threads : 1;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(team)
#else
    (void)team;
#endif
    for (Eigen::Index b = 0; b < n_blocks; ++b) {
      const Eigen::Index first = b * block;
      const Eigen::Index rows = std::min(block, n - first);
      block_linear_predictor(m_x, first, rows, beta, eta + first);
      if (!m_zero_offset)
        Eigen::Map<Eigen::VectorXd>(eta + first, rows) += m_offset.segment(first, rows);
      m_family.block().means(eta + first, rows, mu + first);
      const Eigen::Map<const Eigen::ArrayXd> means(mu + first, rows);
      if (!means.isNaN().any()) {
        block_min[static_cast<std::size_t>(b)] = means.minCoeff();
        block_max[static_cast<std::size_t>(b)] = means.maxCoeff();
      }
    }
    if (mu_min == nullptr || mu_max == nullptr) return;
    *mu_min = *mu_max = n > 0 ? block_min[0] : nan;
    for (std::size_t b = 0; b < block_min.size(); ++b) {
      if (std::isnan(block_min[b])) {
        *mu_min = *mu_max = nan;
        return;
      }
      *mu_min = std::min(*mu_min, block_min[b]);
      *mu_max = std::max(*mu_max, block_max[b]);
    }
  }

  // One pass over the rows at beta, with the dispersion at 1: the deviance,
  // Pearson's statistic, the score (if asked) and the curvature; rows of zero weight contribute
  // nothing and are not required to be valid. What the solvers see is these
  // sums over phi; chunked fits add them up across chunks.
  RowSums sums_at(const Eigen::VectorXd& beta, Curvature curvature, bool with_score,
                  Eigen::VectorXd* eta_out = nullptr) const {
    const bool exact = curvature == Curvature::exact;
    auto eta_of = [&](Eigen::Index first, Eigen::Index rows, Eigen::VectorXd& eta) {
      block_linear_predictor(m_x, first, rows, beta, eta.data());
      if (!m_zero_offset) eta.head(rows) += m_offset.segment(first, rows);
    };
    auto terms_of = [&](Eigen::Index first, Eigen::Index rows, const double* eta, double* score,
                        double* weight, BlockSums& sums) {
      m_family.block().evaluate(eta, m_y.data() + first, m_w.data() + first, rows, exact, score,
                                weight, sums);
    };
    return accumulate_rows(m_x, eta_of, terms_of, with_score, curvature != Curvature::none,
                           m_threads, eta_out);
  }

  // The Fisher scoring step by a QR decomposition, as glm.fit takes it:
  // least squares of the working response z = (eta - offset) + (y - mu) / mu'
  // on X with weights w mu'^2 / V, whose accuracy depends on the condition
  // number of sqrt(W) X rather than its square. Regressing z itself rather
  // than the residual y - mu keeps the digits that forming X beta loses to
  // cancellation; for the Gaussian identity model the step lands on the
  // least-squares solution of lm() in one go. Copies the weighted rows: for
  // ill-conditioned problems only.
  bool accurate_direction(const Eigen::VectorXd& beta, Eigen::VectorXd& d) override {
    const Eigen::Index n = m_x.rows();
    Eigen::MatrixXd a(static_cast<Eigen::Index>(m_summary.n_positive), m_x.cols());
    Eigen::VectorXd b(a.rows());
    const Eigen::VectorXd eta = m_x * beta + m_offset;
    Eigen::Index row = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!(m_w[i] > 0.0)) continue;
      const RowTerms t = m_family.terms(eta[i], m_y[i], m_w[i], false);
      if (!t.valid || !(t.expected > 0.0)) return false;
      const double root = std::sqrt(t.expected);
      const double z = m_family.link().identity()
                           ? m_y[i] - m_offset[i]
                           : eta[i] - m_offset[i] + (m_y[i] - t.mu) / m_family.link().mu_eta(eta[i]);
      a.row(row) = root * m_x.row(i);
      b[row] = root * z;
      ++row;
    }
    // Householder QR in the columns' own order: the columns are known to be
    // independent, and on designs such as Longley's it keeps a digit or two
    // more than Eigen's column pivoting.
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
    const Eigen::VectorXd r_diag = qr.matrixQR().diagonal().cwiseAbs();
    if (r_diag.size() > 0 && !(r_diag.minCoeff() > 1e-13 * r_diag.maxCoeff())) return false;
    d = qr.solve(b) - beta;
    return d.allFinite();
  }

  // X'X over the rows of positive weight.
  Eigen::MatrixXd gram() const {
    return weighted_crossprod(m_x, (m_w.array() > 0.0).cast<double>().matrix(), m_threads);
  }

 private:
  Eigen::Ref<const Eigen::MatrixXd> m_x;
  Eigen::Ref<const Eigen::VectorXd> m_y, m_w, m_offset;
  const Family& m_family;
  int m_threads;
  DataSummary m_summary;
  bool m_zero_offset = false;  // every offset is 0: no pass adds them
  // The sums of the last evaluation with score and curvature, for details().
  Eigen::VectorXd m_cache_beta;
  Curvature m_cache_curvature = Curvature::none;
  RowSums m_cache;

  void remember(const Eigen::VectorXd& beta, Curvature curvature, RowSums& sums) {
    if (curvature == Curvature::none || sums.score.size() == 0) return;
    m_cache_beta = beta;
    m_cache_curvature = curvature;
    m_cache = sums;
  }

  // Whether the cached sums are at exactly this beta with the wanted
  // curvature (either one, for a canonical link, where they coincide).
  bool cached(const Eigen::VectorXd& beta, Curvature curvature) const {
    if (m_cache_curvature == Curvature::none || m_cache_beta.size() != beta.size()) return false;
    if (m_cache_beta != beta) return false;
    return m_family.canonical() || m_cache_curvature == curvature;
  }

  double dispersion(double deviance) const {
    return profile_dispersion(m_family.distribution(), deviance, m_summary);
  }

  double value(double deviance, double phi) const {
    return profile_loglik(m_family.distribution(), deviance, phi, m_summary);
  }
};

}  // namespace mleglm

#endif  // MLEGLM_OBJECTIVE_HPP
