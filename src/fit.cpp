// Boundary between R and the C++ core for fitting: map R's memory without
// copying, check dimensions, build the family, objective and solver, and hand
// back one list. With rank_tol > 0 the columns are first checked for linear
// dependence on the information at the start (no extra pass over X): a fit
// that finds a dependent or nearly dependent column returns status "rank"
// without solving, for R to decide with a QR and refit.

#include <RcppEigen.h>

#include <mleglm/mleglm.hpp>

#include "details.h"

// [[Rcpp::export]]
Rcpp::List cpp_fit(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                   const Eigen::Map<Eigen::VectorXd> weights,
                   const Eigen::Map<Eigen::VectorXd> offset, const Eigen::Map<Eigen::VectorXd> start,
                   const std::string& distribution,
                   const std::string& link, const std::string& method, double tol, int maxit,
                   int max_halvings, bool trace, int threads, double rank_tol) {
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

  const bool has_start = start.size() == x.cols();
  Eigen::MatrixXd information;
  const Eigen::VectorXd beta0 =
      has_start ? Eigen::VectorXd(start) : objective.start_coefficients(&information);
  if (rank_tol > 0.0) {
    const mleglm::ColumnCheck check =
        mleglm::independent_columns(has_start ? objective.gram() : information, rank_tol);
    const bool all_independent =
        std::find(check.independent.begin(), check.independent.end(), false) ==
        check.independent.end();
    if (!all_independent || check.smallest_ratio <= 1e-5) {
      return Rcpp::List::create(Rcpp::Named("status") = "rank",
                                Rcpp::Named("independent") = Rcpp::wrap(check.independent));
    }
  }
  const mleglm::SolverResult result =
      mleglm::make_solver(method)->maximize(objective, beta0, control, callbacks);

  Rcpp::List out = details_list(objective.details(result.x), objective);
  out["status"] = "fitted";
  out["coefficients"] = result.x;
  out["start"] = beta0;
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  out["message"] = result.message;
  out["trace"] = trace_frame(result.trace);
  out["threads"] = objective.threads();
  return out;
}
