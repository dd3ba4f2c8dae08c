#ifndef MLEGLM_BFGS_HPP
#define MLEGLM_BFGS_HPP

// BFGS on the analytic gradient (Nocedal and Wright 2006, algorithm 6.1),
// maximising. The inverse curvature H starts from the problem's expected
// curvature at the start (identity if that fails) and is then built from
// gradient differences alone: no curvature is evaluated after the start.

#include <algorithm>

#include <Eigen/Dense>

#include "ascent.hpp"
#include "control.hpp"
#include "problem.hpp"

namespace mleglm {

class BfgsSolver final : public Solver {
 public:
  SolverResult maximize(Problem& problem, const Eigen::VectorXd& start,
                        const SolverControl& control, const Callbacks& callbacks) const override {
    Eigen::MatrixXd h_inv;
    auto direction_of = [&](const Eigen::VectorXd&, const Evaluation& here, Eigen::VectorXd& d,
                            bool&) {
      if (h_inv.size() == 0) h_inv = initial_inverse(here.curvature, problem.dim());
      d = h_inv * here.gradient;
      if (!(here.gradient.dot(d) > 0.0)) {
        // H lost positive definiteness to rounding: restart from a scaled identity.
        h_inv = Eigen::MatrixXd::Identity(problem.dim(), problem.dim()) /
                std::max(here.gradient.norm(), 1.0);
        d = h_inv * here.gradient;
      }
      return d.allFinite();
    };
    auto on_accept = [&](const Eigen::VectorXd& s, const Evaluation& here, const Evaluation& there) {
      update(h_inv, s, here.gradient - there.gradient);
    };
    return ascend(problem, start, Curvature::expected, Curvature::none, control, callbacks,
                  direction_of, on_accept);
  }

 private:
  static Eigen::MatrixXd initial_inverse(const Eigen::MatrixXd& curvature, Eigen::Index p) {
    const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(p, p);
    if (curvature.rows() != p || !curvature.allFinite()) return identity;
    Eigen::LLT<Eigen::MatrixXd> llt(curvature);
    if (llt.info() != Eigen::Success) return identity;
    Eigen::MatrixXd inverse = llt.solve(identity);
    return inverse.allFinite() ? inverse : identity;
  }

  // Inverse update for minimising -value: s is the step, y the change in the
  // gradient of -value. Skipped unless s'y > 0, which keeps H positive definite.
  static void update(Eigen::MatrixXd& h_inv, const Eigen::VectorXd& s, const Eigen::VectorXd& y) {
    const double sy = s.dot(y);
    if (!(sy > 1e-14 * s.norm() * y.norm())) return;
    const double rho = 1.0 / sy;
    const Eigen::VectorXd hy = h_inv * y;
    const double yhy = y.dot(hy);
    h_inv.noalias() -= rho * (hy * s.transpose() + s * hy.transpose());
    h_inv.noalias() += (rho * rho * yhy + rho) * (s * s.transpose());
  }
};

}  // namespace mleglm

#endif  // MLEGLM_BFGS_HPP
