#ifndef MLEGLM_LINE_SEARCH_HPP
#define MLEGLM_LINE_SEARCH_HPP

// Step-halving along an ascent direction, shared by every solver: try the
// full step, halve it while the point is infeasible, the value is not finite,
// or the value does not rise by the Armijo fraction of the predicted gain.

#include <cmath>

#include <Eigen/Dense>

#include "problem.hpp"

namespace mleglm {

struct LineSearchResult {
  bool accepted = false;
  double step = 0.0;
  int halvings = 0;
};

// Values are sums over many rows: changes below this size are rounding, and
// a step that loses no more than that is not a loss.
inline double rounding_noise(double value) { return 1e-12 * (1.0 + std::fabs(value)); }

// `slope` is the directional derivative g' d at the current point (> 0).
// On success `x_new` and `at_new` hold the accepted point and its evaluation.
inline LineSearchResult halve_until_better(Problem& problem, const Eigen::VectorXd& x,
                                           const Eigen::VectorXd& direction, double value,
                                           double slope, bool with_gradient, Curvature curvature,
                                           int max_halvings, double armijo,
                                           Eigen::VectorXd& x_new, Evaluation& at_new) {
  LineSearchResult result;
  double step = 1.0;
  for (int h = 0; h <= max_halvings; ++h) {
    x_new = x + step * direction;
    problem.evaluate(x_new, with_gradient, curvature, at_new);
    const bool better = at_new.ok && std::isfinite(at_new.value) &&
                        at_new.value >= value + armijo * step * slope - rounding_noise(value);
    if (better) {
      result.accepted = true;
      result.step = step;
      result.halvings = h;
      return result;
    }
    step *= 0.5;
  }
  result.halvings = max_halvings;
  return result;
}

}  // namespace mleglm

#endif  // MLEGLM_LINE_SEARCH_HPP
