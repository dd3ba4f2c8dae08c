#ifndef MLEGLM_ASCENT_HPP
#define MLEGLM_ASCENT_HPP

// The loop every solver shares: at x, ask the method for an ascent direction
// d (a step that would land on the maximum of a local quadratic model), stop
// when the Newton decrement sqrt(g' d) is at most tol, else take the step with
// step-halving and record a trace row. Methods differ only in how they find d
// and what they learn from an accepted step.

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "control.hpp"
#include "line_search.hpp"
#include "problem.hpp"

namespace mleglm {

// `direction_of(x, here, d)` fills d and returns false if it cannot;
// `on_accept(step, here, there)` sees the old and new evaluations.
template <typename DirectionOf, typename OnAccept>
SolverResult ascend(Problem& problem, const Eigen::VectorXd& start, Curvature at_start,
                    Curvature at_steps, const SolverControl& control, const Callbacks& callbacks,
                    DirectionOf direction_of, OnAccept on_accept) {
  control.check();
  SolverResult result;
  result.x = start;
  Evaluation here, there;
  problem.evaluate(result.x, true, at_start, here);
  if (!here.ok) {
    result.message = "the starting values give no finite log-likelihood";
    return result;
  }
  Eigen::VectorXd direction, x_new;
  for (int iteration = 0;; ++iteration) {
    callbacks.check_interrupt();
    TraceRow row;
    row.iteration = iteration;
    row.value = here.value;
    row.gradient_norm = here.gradient.norm();
    const bool found = direction_of(result.x, here, direction);
    const double slope = found ? here.gradient.dot(direction) : 0.0;
    row.decrement = std::sqrt(std::max(slope, 0.0));
    const bool done = !found || row.decrement <= control.tol || iteration == control.maxit;
    if (done) {
      result.converged = found && row.decrement <= control.tol;
      result.message = !found ? "no ascent direction could be computed"
                       : result.converged ? "Newton decrement below tol"
                                          : "iteration limit reached";
    } else {
      const LineSearchResult search =
          halve_until_better(problem, result.x, direction, here.value, slope, true, at_steps,
                             control.max_halvings, 1e-4, x_new, there);
      row.step = search.step;
      row.halvings = search.halvings;
      if (!search.accepted) {
        // Rounding alone can stop a step that is already tiny.
        result.converged = row.decrement <= 100.0 * control.tol;
        result.message = "step-halving could not increase the log-likelihood";
      }
    }
    result.trace.push_back(row);
    callbacks.on_iteration(row);
    if (done || row.step == 0.0) return result;
    on_accept(x_new - result.x, here, there);
    result.x = x_new;
    std::swap(here, there);
    result.iterations = iteration + 1;
  }
}

}  // namespace mleglm

#endif  // MLEGLM_ASCENT_HPP
