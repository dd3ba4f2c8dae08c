// Boundary between R and the C++ core for fitting: map R's memory, check
// dimensions, build the family, objective and solver, and hand back one list.
//
// The solver works on the columns of x divided by powers of two
// (mleglm::column_scales): exact, so the fit is that of x itself, but safe for
// columns of size 1e150 or 1e-150. Coefficients, score and information are
// mapped back here; the trace's score norms stay in the scaled coordinates
// (the Newton decrement is the same in both).

#include <RcppEigen.h>

#include <mleglm/mleglm.hpp>

#include "details.h"

// Mean of the starting linear predictor over the rows with positive weight
// where it is valid for the family.
static double mean_valid_eta(const mleglm::Family& family, const Eigen::VectorXd& eta,
                             const Eigen::VectorXd& weights) {
  double sum = 0.0, count = 0.0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    if (weights[i] > 0.0 && family.valid(eta[i])) {
      sum += eta[i];
      count += 1.0;
    }
  }
  return count > 0.0 ? sum / count : 0.0;
}

// [[Rcpp::export]]
Rcpp::List cpp_fit(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                   const Eigen::Map<Eigen::VectorXd> weights,
                   const Eigen::Map<Eigen::VectorXd> offset, const Eigen::Map<Eigen::VectorXd> start,
                   const Eigen::Map<Eigen::VectorXd> eta_start, const std::string& distribution,
                   const std::string& link, const std::string& method, double tol, int maxit,
                   int max_halvings, bool trace) {
  if (eta_start.size() != x.rows()) Rcpp::stop("eta_start must have one value per row of x");
  if (start.size() != 0 && start.size() != x.cols()) Rcpp::stop("start must have one value per column of x");
  const mleglm::Family family(distribution, link);
  const Eigen::VectorXd scale = mleglm::column_scales(x);
  const Eigen::MatrixXd x_scaled = x * scale.cwiseInverse().asDiagonal();
  mleglm::GlmObjective objective(x_scaled, y, weights, offset, family);

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

  // gamma = scale * beta are the coefficients of the scaled columns.
  Eigen::VectorXd gamma0 = start.size() == x.cols() ? Eigen::VectorXd(start.cwiseProduct(scale))
                                                    : objective.start_from_eta(eta_start);
  if (start.size() == 0 && !objective.feasible(gamma0)) {
    gamma0 = objective.start_at_constant(mean_valid_eta(family, eta_start, weights));
  }
  const mleglm::SolverResult result =
      mleglm::make_solver(method)->maximize(objective, gamma0, control, callbacks);

  mleglm::FitDetails details = objective.details(result.x);
  if (details.ok) {
    details.score = details.score.cwiseProduct(scale);
    details.observed = scale.asDiagonal() * details.observed * scale.asDiagonal();
    details.expected = scale.asDiagonal() * details.expected * scale.asDiagonal();
  }
  Rcpp::List out = details_list(details, objective);
  out["coefficients"] = Eigen::VectorXd(result.x.cwiseQuotient(scale));
  out["start"] = Eigen::VectorXd(gamma0.cwiseQuotient(scale));
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  out["message"] = result.message;
  out["trace"] = trace_frame(result.trace);
  return out;
}
