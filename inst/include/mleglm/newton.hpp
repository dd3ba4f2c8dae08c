#ifndef MLEGLM_NEWTON_HPP
#define MLEGLM_NEWTON_HPP

// Newton-Raphson and Fisher scoring are one method: d = C^-1 g, where C is
// the exact curvature (Newton) or its expectation (Fisher scoring). For
// canonical links the two coincide. Where the exact curvature is not positive
// definite (possible far from the maximum for non-canonical links), that one
// step uses the expected curvature, then steepest ascent.

#include <algorithm>

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
    return true;
  }
};

}  // namespace mleglm

#endif  // MLEGLM_NEWTON_HPP
