#ifndef MLEGLM_SUMMED_HPP
#define MLEGLM_SUMMED_HPP

// A GLM whose rows live elsewhere (chunks read one at a time, shards held by
// other processes, a database computing the sums itself) as a Problem. An
// evaluation needs only sums over the rows at beta (deviance, Pearson's
// statistic, score, information: row_sums.hpp), so it asks a callback for
// their totals and turns them into the profile log-likelihood exactly as
// GlmObjective does; the solvers then take the same steps, with the same
// step-halving and stopping rule, as for rows in memory.
//
// Columns found dependent at the start are held at zero: the callback always
// receives all p coefficients (zero for the aliased ones, so X beta is that
// of the kept columns) and returns sums over all of them, of which the
// problem keeps the block of the independent columns.

#include <cmath>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "distribution.hpp"
#include "linalg.hpp"
#include "link.hpp"
#include "objective.hpp"
#include "problem.hpp"
#include "row_sums.hpp"
#include "start.hpp"

namespace mleglm {

// What an evaluation asks for: the curvature, and whether the expected
// information is wanted beside the exact one (at the estimate).
struct SumsRequest {
  Curvature curvature = Curvature::none;
  bool also_expected = false;
};

// Totals over all rows, at dispersion 1. `expected` is filled only when
// asked for beside the exact information.
struct SummedRows {
  RowSums sums;
  Eigen::MatrixXd expected;
};

// The totals of the starting least-squares step (start.hpp), with the data
// summary and the count of rows that needed the fallback linear predictor.
struct SummedStart {
  RowSums sums;
  DataSummary summary;
  double n_fallback = 0.0;
};

using SumsAt = std::function<SummedRows(const Eigen::VectorXd& beta, const SumsRequest&)>;
// `fallback` NaN: count the rows that need it, using 0 for them meanwhile.
using StartAt = std::function<SummedStart(double fallback)>;

class SummedObjective final : public Problem {
 public:
  SummedObjective(const Distribution& distribution, const DataSummary& summary,
                  std::vector<bool> kept, SumsAt sums_at)
      : m_dist(distribution), m_summary(summary), m_kept(std::move(kept)),
        m_sums_at(std::move(sums_at)) {
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(m_kept.size()); ++j)
      if (m_kept[static_cast<std::size_t>(j)]) m_index.push_back(j);
  }

  Eigen::Index dim() const override { return static_cast<Eigen::Index>(m_index.size()); }
  const DataSummary& summary() const { return m_summary; }

  void evaluate(const Eigen::VectorXd& beta, bool with_gradient, Curvature curvature,
                Evaluation& out) override {
    SumsRequest request;
    request.curvature = curvature;
    const SummedRows rows = m_sums_at(expand(beta), request);
    if (curvature == Curvature::exact) {
      m_cache_beta = beta;
      m_cache = rows;
    }
    out.ok = false;
    if (!rows.sums.ok || !std::isfinite(rows.sums.deviance)) return;
    const double phi = dispersion(rows.sums.deviance);
    out.value = profile_loglik(m_dist, rows.sums.deviance, phi, m_summary);
    out.ok = std::isfinite(out.value);
    if (with_gradient) out.gradient = shrink(rows.sums.score) / phi;
    if (curvature != Curvature::none) out.curvature = shrink(rows.sums.information) / phi;
  }

  // Everything known at beta for the fitted object: both informations, the
  // score and Pearson's statistic. The solver's last evaluation is usually
  // at beta with the exact curvature: then a canonical link needs no more
  // passes over the data (the two informations coincide) and another link
  // one for the expected information; otherwise one pass gives both.
  FitDetails details(const Eigen::VectorXd& beta, bool canonical) const {
    SummedRows rows;
    SumsRequest request;
    if (m_cache_beta.size() == beta.size() && m_cache_beta == beta) {
      rows = m_cache;
      if (canonical) {
        rows.expected = rows.sums.information;
      } else {
        request.curvature = Curvature::expected;
        rows.expected = m_sums_at(expand(beta), request).sums.information;
      }
    } else {
      request.curvature = Curvature::exact;
      request.also_expected = true;
      rows = m_sums_at(expand(beta), request);
    }
    FitDetails d;
    if (!rows.sums.ok || !std::isfinite(rows.sums.deviance)) return d;
    d.deviance = rows.sums.deviance;
    d.pearson = rows.sums.pearson;
    d.dispersion = dispersion(d.deviance);
    d.loglik = profile_loglik(m_dist, d.deviance, d.dispersion, m_summary);
    d.ok = std::isfinite(d.loglik);
    d.score = shrink(rows.sums.score) / d.dispersion;
    d.observed = shrink(rows.sums.information) / d.dispersion;
    d.expected = shrink(rows.expected) / d.dispersion;
    return d;
  }

 private:
  const Distribution& m_dist;
  DataSummary m_summary;
  std::vector<bool> m_kept;
  std::vector<Eigen::Index> m_index;  // the kept columns
  SumsAt m_sums_at;
  // The last evaluation with the exact curvature, for details().
  Eigen::VectorXd m_cache_beta;
  SummedRows m_cache;

  double dispersion(double deviance) const {
    return profile_dispersion(m_dist, deviance, m_summary);
  }

  Eigen::VectorXd expand(const Eigen::VectorXd& beta) const {
    Eigen::VectorXd full = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m_kept.size()));
    for (std::size_t a = 0; a < m_index.size(); ++a) full[m_index[a]] = beta[static_cast<Eigen::Index>(a)];
    return full;
  }

  Eigen::VectorXd shrink(const Eigen::VectorXd& v) const {
    Eigen::VectorXd out(dim());
    for (std::size_t a = 0; a < m_index.size(); ++a) out[static_cast<Eigen::Index>(a)] = v[m_index[a]];
    return out;
  }

  Eigen::MatrixXd shrink(const Eigen::MatrixXd& m) const {
    Eigen::MatrixXd out(dim(), dim());
    for (std::size_t a = 0; a < m_index.size(); ++a)
      for (std::size_t b = 0; b < m_index.size(); ++b)
        out(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = m(m_index[a], m_index[b]);
    return out;
  }
};

// The start of a summed fit: one pass for the starting step's sums (and a
// second only where some rows' starting mean needs the fallback), the check
// of the columns on X' W X at the start weights, and the least-squares
// coefficients of the independent ones.
struct SummedStartResult {
  DataSummary summary;
  ColumnCheck columns;
  Eigen::VectorXd beta;  // the kept columns' starting coefficients
};

inline SummedStartResult summed_start(const StartAt& start_at, const Link& link, double rank_tol) {
  SummedStart s = start_at(std::nan(""));
  if (s.n_fallback > 0.0)
    s = start_at(start_fallback(link, s.summary.sum_y, s.summary.n_positive));
  SummedStartResult out;
  out.summary = s.summary;
  out.columns = independent_columns(s.sums.information, rank_tol);
  std::vector<Eigen::Index> index;
  for (std::size_t j = 0; j < out.columns.independent.size(); ++j)
    if (out.columns.independent[j]) index.push_back(static_cast<Eigen::Index>(j));
  const Eigen::Index k = static_cast<Eigen::Index>(index.size());
  RowSums kept(k, true, true);
  kept.ok = s.sums.ok;
  for (Eigen::Index a = 0; a < k; ++a) {
    kept.score[a] = s.sums.score[index[static_cast<std::size_t>(a)]];
    for (Eigen::Index b = 0; b < k; ++b)
      kept.information(a, b) =
          s.sums.information(index[static_cast<std::size_t>(a)], index[static_cast<std::size_t>(b)]);
  }
  out.beta = solve_start(kept, k);
  return out;
}

// start_at_constant() from summed X'X and X'(eta0 - offset) over the rows
// of positive weight (all columns), for the kept columns: the start of a
// summed fit whose least-squares start left the parameter space.
inline Eigen::VectorXd summed_constant_start(const Eigen::MatrixXd& xtx, const Eigen::VectorXd& xty,
                                             const std::vector<bool>& kept) {
  std::vector<Eigen::Index> index;
  for (std::size_t j = 0; j < kept.size(); ++j)
    if (kept[j]) index.push_back(static_cast<Eigen::Index>(j));
  const Eigen::Index k = static_cast<Eigen::Index>(index.size());
  Eigen::MatrixXd a(k, k);
  Eigen::VectorXd b(k);
  for (Eigen::Index i = 0; i < k; ++i) {
    b[i] = xty[index[static_cast<std::size_t>(i)]];
    for (Eigen::Index j = 0; j < k; ++j)
      a(i, j) = xtx(index[static_cast<std::size_t>(i)], index[static_cast<std::size_t>(j)]);
  }
  Eigen::VectorXd beta;
  if (solve_positive_definite(a, b, beta)) return beta;
  beta = a.ldlt().solve(b);
  return beta.allFinite() ? beta : Eigen::VectorXd::Zero(k);
}

}  // namespace mleglm

#endif  // MLEGLM_SUMMED_HPP
