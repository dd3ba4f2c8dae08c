#ifndef MLEGLM_ASCENT_HPP
#define MLEGLM_ASCENT_HPP

// The loop every solver shares: at x, ask the method for an ascent direction
// d (a step that would land on the maximum of a local quadratic model), stop
// when the Newton decrement sqrt(g' d) is at most tol, else take the step with
// step-halving and record a trace row. Methods differ only in how they find d
// and what they learn from an accepted step.
//
// One refinement of the stopping rule: once the
// decrement is below tol, up to three more steps are taken while each shrinks
// it fourfold, unless it is already below tol / 1000: these cost a pass each
// but bring the coefficients to the accuracy the score itself allows, which a
// decrement of tol standard errors need not reach for a coefficient whose
// standard error is large next to it. Where the method reports an
// ill-conditioned curvature (solves accurate to only condition x epsilon),
// refinement continues until a step no longer changes any coefficient beyond
// its rounding level.

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include "control.hpp"
#include "line_search.hpp"
#include "problem.hpp"

namespace mleglm {

// Whether every coordinate of the step is within a few units in the last
// place of the coefficient it would change.
inline bool below_rounding(const Eigen::VectorXd& step, const Eigen::VectorXd& x) {
  for (Eigen::Index j = 0; j < step.size(); ++j) {
    if (std::fabs(step[j]) > 4.0 * std::numeric_limits<double>::epsilon() * std::fabs(x[j]))
      return false;
  }
  return step.size() > 0;
}

// `direction_of(x, here, d, refine)` fills d, sets refine when extra steps
// would sharpen the answer, and returns false if it cannot find d;
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
  double refined_from = 0.0;  // decrement before the last refinement step
  int refinements = 0;
  for (int iteration = 0;; ++iteration) {
    callbacks.check_interrupt();
    TraceRow row;
    row.iteration = iteration;
    row.value = here.value;
    row.gradient_norm = here.gradient.norm();
    bool refine = false;
    const bool found = direction_of(result.x, here, direction, refine);
    const double slope = found ? here.gradient.dot(direction) : 0.0;
    row.decrement = std::sqrt(std::max(slope, 0.0));
    const bool small = found && row.decrement <= control.tol;
    const bool rounding = found && below_rounding(direction, result.x);
    bool refining = false;
    const bool shrinking = refinements == 0 || row.decrement < 0.25 * refined_from;
    if (small && !rounding && refinements < 3 &&
        (refine || (row.decrement > 1e-3 * control.tol && shrinking))) {
      refining = true;
      refined_from = row.decrement;
      ++refinements;
    }
    const bool done = !found || (small && !refining) || iteration == control.maxit;
    if (done) {
      result.converged = small;
      result.message = !found  ? "no ascent direction could be computed"
                       : small ? "Newton decrement below tol"
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
