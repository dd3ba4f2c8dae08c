#ifndef MLEGLM_BLOCK_TERMS_HPP
#define MLEGLM_BLOCK_TERMS_HPP

// The per-row terms of a GLM for a whole block of rows at once: the hot loop
// of every pass over the data. A Family's distribution and link are virtual
// classes; calling them row by row costs about as much as the arithmetic.
// Here the loop is written once as a template over the concrete (final)
// classes, so the compiler inlines them; block_kernels.hpp holds the hand-
// vectorised specialisations for the two models fitted most and the factory
// that instantiates the template for every pair of the family table
// (registry.hpp). The chain rule is that of family.hpp.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include <Eigen/Dense>

#include "avx2_kernels.hpp"
#include "distribution.hpp"
#include "link.hpp"

namespace mleglm {

// What a block adds to the sums of a pass. `ok` turns false at the first row
// with positive weight outside the parameter space.
struct BlockSums {
  bool ok = true;
  double deviance = 0.0;
  double pearson = 0.0;  // sum w (y - mu)^2 / V(mu)
};

class BlockTerms {
 public:
  virtual ~BlockTerms() = default;

  // For rows [0, rows): score[i] = dl/deta and weight[i] = the curvature
  // weight (observed if `exact`, else expected), both with phi = 1, and the
  // deviance and Pearson terms added to `sums`. Rows of zero weight give
  // zeros and need not be valid. After an invalid row the outputs are
  // unspecified.
  virtual void evaluate(const double* eta, const double* y, const double* w, Eigen::Index rows,
                        bool exact, double* score, double* weight, BlockSums& sums) const = 0;

  // One step of iteratively reweighted least squares at eta: weight[i] =
  // w mu'^2 / V and score[i] = weight[i] z with the working response
  // z = (eta - offset) + (y - mu) / mu'. Rows outside the parameter space
  // get zeros, as rows of zero weight do; the result says whether there were
  // any with positive weight.
  virtual bool working(const double* eta, const double* y, const double* w, const double* offset,
                       Eigen::Index rows, double* score, double* weight) const = 0;

  // The means mu = g^-1(eta).
  virtual void means(const double* eta, Eigen::Index rows, double* mu) const = 0;

  // The starting linear predictor, as glm.fit's: the link of the family's
  // starting mean, or `fallback` where the link cannot take it.
  virtual void start_eta(const double* y, const double* w, Eigen::Index rows, double fallback,
                         double* eta) const = 0;

  // working() at the linear predictor that start_eta() gave these rows.
  // Where the starting means take a few values only (binary data), so do the
  // working weights and responses, and no row needs a transcendental function.
  virtual bool start_working(const double* eta, const double* y, const double* w,
                             const double* offset, Eigen::Index rows, double* score,
                             double* weight) const {
    return working(eta, y, w, offset, rows, score, weight);
  }

  // Adds the rows' counts and constants to `summary` (see DataSummary).
  virtual void summarise(const double* y, const double* w, Eigen::Index rows,
                         DataSummary& summary) const = 0;
};

template <typename D, typename L>
class TypedBlockTerms final : public BlockTerms {
 public:
  TypedBlockTerms(const D& distribution, const L& link, bool canonical)
      : m_dist(distribution), m_link(link), m_canonical(canonical) {}

  void evaluate(const double* eta, const double* y, const double* w, Eigen::Index rows,
                bool exact, double* score, double* weight, BlockSums& sums) const override {
    evaluate_rows(eta, y, w, rows, exact, score, weight, sums);
  }

  // evaluate() row by row: for every family, and for the blocks that the
  // vectorised specialisations below leave to it.
  void evaluate_rows(const double* eta, const double* y, const double* w, Eigen::Index rows,
                     bool exact, double* score, double* weight, BlockSums& sums) const {
    const bool observed = exact && !m_canonical;
    double deviance = 0.0, pearson = 0.0;
    for (Eigen::Index i = 0; i < rows; ++i) {
      const double wi = w[i];
      if (!(wi > 0.0)) {
        score[i] = weight[i] = 0.0;
        continue;
      }
      double mu, m1;
      m_link.inverse_and_derivative(eta[i], mu, m1);
      if (!m_link.valid_eta(eta[i]) || !m_dist.valid_mu(mu)) {
        sums.ok = false;
        return;
      }
      const double v = m_dist.variance(mu);
      const double r = y[i] - mu;
      const double wv = wi / v;
      score[i] = wv * r * m1;
      double curvature = wv * m1 * m1;
      if (observed) {
        // Minus the derivative of the score term in eta, beyond Fisher's part.
        curvature -= wv * r * (m_link.d2mu_eta2(eta[i]) - m1 * m1 * m_dist.dvariance(mu) / v);
      }
      weight[i] = curvature;
      deviance += m_dist.unit_deviance(y[i], mu, wi);
      pearson += wv * r * r;
    }
    sums.deviance += deviance;
    sums.pearson += pearson;
  }

  bool working(const double* eta, const double* y, const double* w, const double* offset,
               Eigen::Index rows, double* score, double* weight) const override {
    return working_rows(eta, y, w, offset, rows, score, weight);
  }

  void means(const double* eta, Eigen::Index rows, double* mu) const override {
    for (Eigen::Index i = 0; i < rows; ++i) mu[i] = m_link.linkinv(eta[i]);
  }

  void start_eta(const double* y, const double* w, Eigen::Index rows, double fallback,
                 double* eta) const override {
    start_eta_rows(y, w, rows, fallback, eta);
  }

  bool start_working(const double* eta, const double* y, const double* w, const double* offset,
                     Eigen::Index rows, double* score, double* weight) const override {
    return working(eta, y, w, offset, rows, score, weight);
  }

  void summarise(const double* y, const double* w, Eigen::Index rows,
                 DataSummary& summary) const override {
    summarise_rows(y, w, rows, summary);
  }

  void summarise_rows(const double* y, const double* w, Eigen::Index rows,
                      DataSummary& summary) const {
    const bool log_y = m_dist.uses_log_y();
    for (Eigen::Index i = 0; i < rows; ++i) {
      const double wi = w[i];
      if (!(wi > 0.0)) continue;
      summary.n_positive += 1.0;
      summary.sum_w += wi;
      summary.sum_y += y[i];
      if (wi != 1.0) summary.sum_log_w += log_count(wi);
      if (log_y && y[i] > 0.0) summary.sum_w_log_y += wi * log_count(y[i]);
      summary.constant += m_dist.row_constant(y[i], wi);
    }
  }

  // The three above row by row: for every family, and for the blocks that
  // the vectorised specialisations below leave to them.
  bool working_rows(const double* eta, const double* y, const double* w, const double* offset,
                    Eigen::Index rows, double* score, double* weight) const {
    bool all_valid = true;
    for (Eigen::Index i = 0; i < rows; ++i) {
      score[i] = weight[i] = 0.0;
      if (!(w[i] > 0.0)) continue;
      double mu, m1;
      m_link.inverse_and_derivative(eta[i], mu, m1);
      if (!m_link.valid_eta(eta[i]) || !m_dist.valid_mu(mu)) {
        all_valid = false;
        continue;
      }
      const double expected = w[i] * m1 * m1 / m_dist.variance(mu);
      const double z = eta[i] - offset[i] + (y[i] - mu) / m1;
      weight[i] = expected;
      score[i] = expected * z;
    }
    return all_valid;
  }

  void start_eta_rows(const double* y, const double* w, Eigen::Index rows, double fallback,
                      double* eta) const {
    for (Eigen::Index i = 0; i < rows; ++i) {
      const double e = m_link.linkfun(m_dist.start_mean(y[i], w[i]));
      const bool valid = m_link.valid_eta(e) && m_dist.valid_mu(m_link.linkinv(e));
      eta[i] = valid ? e : fallback;
    }
  }

 private:
  const D& m_dist;
  const L& m_link;
  bool m_canonical;
};

}  // namespace mleglm

#endif  // MLEGLM_BLOCK_TERMS_HPP
