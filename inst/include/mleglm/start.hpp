#ifndef MLEGLM_START_HPP
#define MLEGLM_START_HPP

// Starting coefficients of a GLM fit, as glm.fit finds them: the family's
// starting means (`initialize` in R's families), then one weighted
// least-squares step, regressing z = (eta - offset) + (y - mu) / mu' on X
// with weights w mu'^2 / V. A mean the link cannot take (the log of a zero
// Gaussian response, say) is replaced by the link of the mean response. The
// step's sums add up over chunks of rows, so chunked fits start from the
// same point as fits in memory.

#include <algorithm>

#include <Eigen/Dense>

#include "linalg.hpp"
#include "objective.hpp"
#include "row_sums.hpp"

namespace mleglm {

// The starting coefficients from the sums of one weighted least-squares step
// (X' W X and X' W z); zero when they cannot be solved.
inline Eigen::VectorXd solve_start(const RowSums& sums, Eigen::Index p) {
  Eigen::VectorXd beta;
  if (!sums.ok) return Eigen::VectorXd::Zero(p);
  if (solve_positive_definite(sums.information, sums.score, beta)) return beta;
  beta = sums.information.ldlt().solve(sums.score);
  return beta.allFinite() ? beta : Eigen::VectorXd::Zero(p);
}

// The linear predictor used for rows whose starting mean the link cannot
// take, from the sum of the responses and the number of rows.
inline double start_fallback(const Link& link, double sum_y, double n_positive) {
  return link.linkfun(sum_y / std::max(n_positive, 1.0));
}

inline double start_fallback(const GlmObjective& objective) {
  return start_fallback(objective.family().link(), objective.summary().sum_y,
                        objective.summary().n_positive);
}

// The sums X' W X (information) and X' W z (score) of the starting
// least-squares step, with `fallback` as the linear predictor of rows whose
// starting mean the link cannot take; `n_fallback`, if given, counts them
// (rows of positive weight only). Sums over chunks add up, given the
// fallback of all the rows.
inline RowSums start_sums(const GlmObjective& objective, double fallback,
                          double* n_fallback = nullptr) {
  const Family& family = objective.family();
  const auto& x = objective.x();
  const double* y = objective.y().data();
  const double* w = objective.weights().data();
  const double* offset = objective.offset().data();
  if (n_fallback != nullptr) {
    *n_fallback = 0.0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      if (w[i] > 0.0 &&
          !family.valid(family.link().linkfun(family.distribution().start_mean(y[i], w[i]))))
        *n_fallback += 1.0;
    }
  }
  auto eta_of = [&](Eigen::Index first, Eigen::Index rows, Eigen::VectorXd& eta) {
    family.block().start_eta(y + first, w + first, rows, fallback, eta.data());
  };
  auto terms_of = [&](Eigen::Index first, Eigen::Index rows, const double* eta, double* score,
                      double* weight, BlockSums&) {
    family.block().start_working(eta, y + first, w + first, offset + first, rows, score, weight);
  };
  return accumulate_rows(x, eta_of, terms_of, true, true, objective.threads());
}

// The starting coefficients; `information`, if given, receives X' W X at
// the start weights (for the check of the columns).
inline Eigen::VectorXd start_coefficients(const GlmObjective& objective,
                                          Eigen::MatrixXd* information = nullptr) {
  const RowSums sums = start_sums(objective, start_fallback(objective));
  if (information != nullptr) *information = sums.information;
  return solve_start(sums, objective.dim());
}

// The least-squares coefficients for a constant linear predictor eta0 on
// the rows with positive weight: a start inside the parameter space when
// the columns span a constant, for links whose least-squares start can leave
// it (poisson identity, binomial log: glm() then asks for `start`). The
// normal equations are accurate enough for a start.
inline Eigen::VectorXd start_at_constant(const GlmObjective& objective, double eta0) {
  const auto& x = objective.x();
  const Eigen::Index n = x.rows();
  Eigen::VectorXd used = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) used[i] = objective.weights()[i] > 0.0 ? 1.0 : 0.0;
  const Eigen::VectorXd target =
      used.cwiseProduct(Eigen::VectorXd::Constant(n, eta0) - objective.offset());
  const Eigen::MatrixXd xtx = weighted_crossprod(x, used);
  const Eigen::VectorXd xty = x.transpose() * target;
  Eigen::VectorXd beta;
  if (solve_positive_definite(xtx, xty, beta)) return beta;
  beta = xtx.ldlt().solve(xty);
  return beta.allFinite() ? beta : Eigen::VectorXd::Zero(x.cols());
}

}  // namespace mleglm

#endif  // MLEGLM_START_HPP
