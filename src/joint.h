#ifndef MLEGLM_SRC_JOINT_H
#define MLEGLM_SRC_JOINT_H

// What the negative binomial and custom-family shims share: solver settings
// from R's control list, the trace printer, and the result lists for a fit
// and for one evaluation of a JointObjective.

#include <RcppEigen.h>

#include <string>

#include <mleglm/joint.hpp>
#include <mleglm/solver.hpp>

#include "details.h"

inline mleglm::SolverControl joint_control(double tol, int maxit, int max_halvings) {
  mleglm::SolverControl control;
  control.tol = tol;
  control.maxit = maxit;
  control.max_halvings = max_halvings;
  return control;
}

inline mleglm::Callbacks joint_callbacks(bool trace) {
  mleglm::Callbacks callbacks;
  callbacks.check_interrupt = [] { Rcpp::checkUserInterrupt(); };
  if (trace) {
    callbacks.on_iteration = [](const mleglm::TraceRow& row) {
      Rcpp::Rcout << "iteration " << row.iteration << ": log-likelihood " << row.value
                  << ", |score| " << row.gradient_norm << ", decrement " << row.decrement
                  << ", step " << row.step << ", halvings " << row.halvings << "\n";
    };
  }
  return callbacks;
}

// The value at par and, on request, the score and information there
// (observed; expected too on request), with the linear predictor and means.
// `ok` says the value is finite, `derivatives_ok` that so are the rest.
inline Rcpp::List joint_evaluation(mleglm::JointObjective& objective, const Eigen::VectorXd& par,
                                   bool with_derivatives, bool with_expected) {
  mleglm::Evaluation at;
  objective.evaluate(par, false, mleglm::Curvature::none, at);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("ok") = at.ok, Rcpp::Named("loglik") = at.value,
      Rcpp::Named("eta") = objective.eta(), Rcpp::Named("mu") = objective.row_values().mu);
  if (!at.ok) return out;
  if (with_derivatives) {
    mleglm::Evaluation d;
    objective.evaluate(par, true, mleglm::Curvature::exact, d);
    out["derivatives_ok"] = d.ok;
    out["score"] = d.gradient;
    out["observed"] = d.curvature;
  }
  if (with_expected) {
    mleglm::Evaluation e;
    objective.evaluate(par, true, mleglm::Curvature::expected, e);
    out["expected"] = e.curvature;
  }
  return out;
}

inline Rcpp::List joint_fit(mleglm::JointObjective& objective, const Eigen::VectorXd& start,
                            const std::string& method, double tol, int maxit, int max_halvings,
                            bool trace, bool with_expected) {
  const mleglm::SolverResult result =
      mleglm::make_solver(method)->maximize(objective, start, joint_control(tol, maxit, max_halvings),
                                            joint_callbacks(trace));
  Rcpp::List out = joint_evaluation(objective, result.x, true, with_expected);
  out["coefficients"] = result.x;
  out["start"] = start;
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  out["message"] = result.message;
  out["trace"] = trace_frame(result.trace);
  return out;
}

#endif  // MLEGLM_SRC_JOINT_H
