#ifndef MLEGLM_NEWTON_HPP
#define MLEGLM_NEWTON_HPP

// Newton-Raphson and Fisher scoring are one method: d = C^-1 g, where C is
// the exact curvature (Newton) or its expectation (Fisher scoring). For
// canonical links the two coincide. Where the exact curvature is not positive
// definite (possible far from the maximum for non-canonical links), that one
// step uses the expected curvature, then steepest ascent.

#include <algorithm>
#include <vector>

#include <Eigen/Dense>

#include "ascent.hpp"
#include "control.hpp"
#include "linalg.hpp"
#include "problem.hpp"

namespace mleglm {

class NewtonSolver final : public Solver {
 public:
  explicit NewtonSolver(Curvature curvature) : m_curvature(curvature) {}

  SolverResult maximize(Problem& problem, const Eigen::VectorXd& start,
                        const SolverControl& control, const Callbacks& callbacks) const override {
    auto direction_of = [&](const Eigen::VectorXd& x, const Evaluation& here, Eigen::VectorXd& d,
                            bool& refine) { return direction(problem, x, here, d, refine); };
    auto on_accept = [](const Eigen::VectorXd&, const Evaluation&, const Evaluation&) {};
    return ascend(problem, start, m_curvature, m_curvature, control, callbacks, direction_of,
                  on_accept);
  }

 private:
  Curvature m_curvature;

  // Where the scaled curvature is ill-conditioned (the Cholesky diagonal
  // ratio squared, which underestimates the condition number, above 1e4) its
  // solves lose digits: the problem's accurate direction is used instead, if
  // it offers one, and refinement continues down to rounding.
  bool direction(Problem& problem, const Eigen::VectorXd& x, const Evaluation& here,
                 Eigen::VectorXd& d, bool& refine) const {
    double condition = 1.0;
    if (solve_positive_definite(here.curvature, here.gradient, d, &condition)) {
      refine = condition > 1e4;
      Eigen::VectorXd precise;
      if (refine && problem.accurate_direction(x, precise)) d = precise;
      return true;
    }
    if (m_curvature == Curvature::exact) {
      Evaluation expected;
      problem.evaluate(x, true, Curvature::expected, expected);
      if (expected.ok && solve_positive_definite(expected.curvature, expected.gradient, d))
        return true;
    }
    if (!here.gradient.allFinite()) return false;
    d = here.gradient / std::max(here.gradient.norm(), 1.0);
    partial_newton(here.curvature, here.gradient, d);
    return true;
  }

  // Where the curvature is not positive definite in every coordinate, such
  // as a shape parameter running off to its boundary (its curvature vanishes
  // and rounding can make it negative), Newton's step is still taken in the
  // coordinates with a positive curvature, the gradient step in the others:
  // a sum of two ascent directions, so still one. Without this the well-
  // determined coefficients would crawl along the gradient.
  static void partial_newton(const Eigen::MatrixXd& c, const Eigen::VectorXd& g,
                             Eigen::VectorXd& d) {
    if (c.rows() != g.size() || !c.allFinite()) return;
    const double largest = c.diagonal().cwiseAbs().maxCoeff();
    std::vector<Eigen::Index> kept;
    for (Eigen::Index j = 0; j < c.rows(); ++j)
      if (c(j, j) > 1e-12 * largest) kept.push_back(j);
    if (kept.empty() || static_cast<Eigen::Index>(kept.size()) == c.rows()) return;
    const Eigen::Index k = static_cast<Eigen::Index>(kept.size());
    Eigen::MatrixXd block(k, k);
    Eigen::VectorXd g_block(k), d_block;
    for (Eigen::Index a = 0; a < k; ++a) {
      g_block[a] = g[kept[a]];
      for (Eigen::Index b = 0; b < k; ++b) block(a, b) = c(kept[a], kept[b]);
    }
    if (!solve_positive_definite(block, g_block, d_block)) return;
    for (Eigen::Index a = 0; a < k; ++a) d[kept[a]] = d_block[a];
  }
};

}  // namespace mleglm

#endif  // MLEGLM_NEWTON_HPP
