#ifndef MLEGLM_CONTROL_HPP
#define MLEGLM_CONTROL_HPP

// What every solver shares: its settings, the record of one iteration, the
// result, and the interface itself.

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "problem.hpp"

namespace mleglm {

struct SolverControl {
  // Stop when the Newton decrement sqrt(g' C^-1 g), the distance to the
  // maximum in standard-error units, is at most tol.
  double tol = 1e-10;
  int maxit = 100;
  int max_halvings = 40;

  void check() const {
    if (!(tol > 0.0) || !std::isfinite(tol)) throw std::invalid_argument("tol must be positive");
    if (maxit < 0) throw std::invalid_argument("maxit must be non-negative");
    if (max_halvings < 0) throw std::invalid_argument("max_halvings must be non-negative");
  }
};

// One row of the iteration trace: the state at the start of an iteration and
// the step then taken (step 0 on the last row, where no step is taken).
struct TraceRow {
  int iteration = 0;
  double value = 0.0;
  double gradient_norm = 0.0;  // Euclidean norm of the gradient
  double decrement = 0.0;      // sqrt(g' C^-1 g)
  double step = 0.0;           // step length finally taken
  int halvings = 0;            // times the step was halved
};

// Hooks to the caller: interrupts and progress, so that no solver prints or
// knows about R.
struct Callbacks {
  std::function<void()> check_interrupt = [] {};
  std::function<void(const TraceRow&)> on_iteration = [](const TraceRow&) {};
};

struct SolverResult {
  Eigen::VectorXd x;
  bool converged = false;
  int iterations = 0;
  std::string message;
  std::vector<TraceRow> trace;
};

class Solver {
 public:
  virtual ~Solver() = default;
  virtual SolverResult maximize(Problem& problem, const Eigen::VectorXd& start,
                                const SolverControl& control, const Callbacks& callbacks) const = 0;
};

}  // namespace mleglm

#endif  // MLEGLM_CONTROL_HPP
