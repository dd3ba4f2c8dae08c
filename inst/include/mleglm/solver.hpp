#ifndef MLEGLM_SOLVER_HPP
#define MLEGLM_SOLVER_HPP

// The one place that turns a method's name into a Solver.

#include <memory>
#include <stdexcept>
#include <string>

#include "bfgs.hpp"
#include "control.hpp"
#include "newton.hpp"

namespace mleglm {

inline std::unique_ptr<Solver> make_solver(const std::string& method) {
  if (method == "newton") return std::make_unique<NewtonSolver>(Curvature::exact);
  if (method == "fisher") return std::make_unique<NewtonSolver>(Curvature::expected);
  if (method == "bfgs") return std::make_unique<BfgsSolver>();
  throw std::invalid_argument("unknown method '" + method + "'");
}

}  // namespace mleglm

#endif  // MLEGLM_SOLVER_HPP
