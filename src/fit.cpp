// Boundary between R and the C++ core for fitting: map R's memory without
// copying, check dimensions, build the family, objective and solver, and hand
// back one list.

#include <RcppEigen.h>

#include <mleglm/mleglm.hpp>

#include "details.h"

// [[Rcpp::export]]
Rcpp::List cpp_fit(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                   const Eigen::Map<Eigen::VectorXd> weights,
                   const Eigen::Map<Eigen::VectorXd> offset, const Eigen::Map<Eigen::VectorXd> start,
                   const Eigen::Map<Eigen::VectorXd> eta_start, const std::string& distribution,
                   const std::string& link, const std::string& method, double tol, int maxit,
                   int max_halvings, bool trace, int threads) {
  if (eta_start.size() != x.rows()) Rcpp::stop("eta_start must have one value per row of x");
  if (start.size() != 0 && start.size() != x.cols()) Rcpp::stop("start must have one value per column of x");
  const mleglm::Family family(distribution, link);
  mleglm::GlmObjective objective(x, y, weights, offset, family, threads);

  mleglm::SolverControl control;
  control.tol = tol;
  control.maxit = maxit;
  control.max_halvings = max_halvings;
  mleglm::Callbacks callbacks;
  callbacks.check_interrupt = [] { Rcpp::checkUserInterrupt(); };
  if (trace) {
    callbacks.on_iteration = [](const mleglm::TraceRow& row) {
      Rcpp::Rcout << "iteration " << row.iteration << ": log-likelihood " << row.value
                  << ", |score| " << row.gradient_norm << ", decrement " << row.decrement
                  << ", step " << row.step << ", halvings " << row.halvings << "\n";
    };
  }

  const Eigen::VectorXd beta0 =
      start.size() == x.cols() ? Eigen::VectorXd(start) : objective.start_from_eta(eta_start);
  const mleglm::SolverResult result =
      mleglm::make_solver(method)->maximize(objective, beta0, control, callbacks);

  Rcpp::List out = details_list(objective.details(result.x), objective);
  out["coefficients"] = result.x;
  out["start"] = beta0;
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  out["message"] = result.message;
  out["trace"] = trace_frame(result.trace);
  out["threads"] = objective.threads();
  return out;
}
