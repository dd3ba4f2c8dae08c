#ifndef MLEGLM_PROBLEM_HPP
#define MLEGLM_PROBLEM_HPP

// What a solver sees of a model: a smooth function to maximise, its gradient
// and, on request, a curvature (the negative Hessian, or its expectation).
// Solvers include this file and nothing about GLMs.

#include <Eigen/Dense>

namespace mleglm {

enum class Curvature { none, expected, exact };

struct Evaluation {
  bool ok = false;                 // feasible point with a finite value
  double value = 0.0;              // the objective, to be maximised
  Eigen::VectorXd gradient;        // d value / dx
  Eigen::MatrixXd curvature;       // -d2 value / dx2, or its expectation
};

class Problem {
 public:
  virtual ~Problem() = default;
  virtual Eigen::Index dim() const = 0;
  virtual void evaluate(const Eigen::VectorXd& x, bool with_gradient, Curvature curvature,
                        Evaluation& out) = 0;
  // Optionally, an ascent direction solved more accurately than through the
  // curvature matrix (which squares the condition number), for solvers to
  // use when that matrix is ill-conditioned. False when not offered.
  virtual bool accurate_direction(const Eigen::VectorXd&, Eigen::VectorXd&) { return false; }
};

}  // namespace mleglm

#endif  // MLEGLM_PROBLEM_HPP
