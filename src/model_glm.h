#ifndef MLEGLM_SRC_MODEL_GLM_H
#define MLEGLM_SRC_MODEL_GLM_H

// The GLM families in memory: the objective over the rows of x, its fit and
// its evaluation at given coefficients.
//
// With rank_tol > 0 the columns are first checked for linear dependence on
// the information at the start (no extra pass over X): a fit that finds a
// dependent or nearly dependent column returns status "rank" without
// solving, for R to decide with a QR and refit.
//
// Columns of extreme size (beyond 2^64 or below 2^-64) are divided by powers
// of two (mleglm::column_scales, from each column's `largest` absolute value
// when R has it from cpp_column_check(), else from a pass over x): exact, so
// the fit is that of x itself, but X'WX cannot overflow. Coefficients, score
// and information are mapped back here; the trace's score norms stay in the
// scaled coordinates (the Newton decrement is the same in both). Ordinary
// columns are not copied.

#include <RcppEigen.h>

#include <algorithm>
#include <memory>
#include <string>

#include <mleglm/mleglm.hpp>
#include <mleglm/start.hpp>

#include "boundary.h"

using MapMatrix = Eigen::Map<Eigen::MatrixXd>;
using MapVector = Eigen::Map<Eigen::VectorXd>;

inline Rcpp::List fit_glm(const Rcpp::List& model, const FitSettings& settings) {
  const MapMatrix x = Rcpp::as<MapMatrix>(model["x"]);
  const MapVector y = Rcpp::as<MapVector>(model["y"]);
  const MapVector weights = Rcpp::as<MapVector>(model["weights"]);
  const MapVector offset = Rcpp::as<MapVector>(model["offset"]);
  const Eigen::VectorXd start = vector_or_empty(model, "start");
  const Eigen::VectorXd largest = vector_or_empty(model, "largest");
  if (start.size() != 0 && start.size() != x.cols())
    throw std::invalid_argument("start must have one value per column of x");
  if (largest.size() != 0 && largest.size() != x.cols())
    throw std::invalid_argument("largest must have one value per column of x");
  const mleglm::Family family(Rcpp::as<std::string>(model["family"]),
                              Rcpp::as<std::string>(model["link"]));
  const Eigen::VectorXd scale = largest.size() == x.cols()
                                    ? mleglm::column_scales_from_largest(largest)
                                    : mleglm::column_scales(x);
  const bool rescaled = (scale.array() != 1.0).any();
  const Eigen::MatrixXd x_scaled =
      rescaled ? Eigen::MatrixXd(x * scale.cwiseInverse().asDiagonal()) : Eigen::MatrixXd();
  const Eigen::Ref<const Eigen::MatrixXd> x_used =
      rescaled ? Eigen::Ref<const Eigen::MatrixXd>(x_scaled) : Eigen::Ref<const Eigen::MatrixXd>(x);
  mleglm::GlmObjective objective(x_used, y, weights, offset, family, settings.threads);
  const mleglm::Callbacks callbacks = solver_callbacks(settings.trace);

  // gamma = scale * beta are the coefficients of the scaled columns.
  const bool has_start = start.size() == x.cols();
  Eigen::MatrixXd information;
  Eigen::VectorXd gamma0 = has_start ? Eigen::VectorXd(start.cwiseProduct(scale))
                                     : mleglm::start_coefficients(objective, &information);
  if (settings.rank_tol > 0.0) {
    const mleglm::ColumnCheck check = mleglm::independent_columns(
        has_start ? objective.gram() : information, settings.rank_tol);
    if (columns_doubtful(check)) {
      // Held in a protected vector: a bare SEXP from wrap() could be
      // collected while create() allocates the list.
      const Rcpp::LogicalVector independent = Rcpp::wrap(check.independent);
      return Rcpp::List::create(Rcpp::Named("status") = "rank",
                                Rcpp::Named("independent") = independent);
    }
  }
  const std::unique_ptr<mleglm::Solver> solver = mleglm::make_solver(settings.method);
  mleglm::SolverResult result = solver->maximize(objective, gamma0, settings.solver, callbacks);
  if (!has_start && result.trace.empty()) {
    // The least-squares start left the parameter space, as it can where the
    // maximum is near its edge (poisson identity, binomial log); a constant
    // linear predictor is inside it whenever the columns span a constant.
    gamma0 = mleglm::start_at_constant(objective, mleglm::start_fallback(objective));
    result = solver->maximize(objective, gamma0, settings.solver, callbacks);
  }

  Rcpp::NumericVector eta(Rcpp::no_init(x.rows())), mu(Rcpp::no_init(x.rows()));
  mleglm::FitDetails details = objective.details(result.x, eta.begin(), mu.begin());
  if (details.ok && rescaled) {
    details.score = details.score.cwiseProduct(scale);
    details.observed = scale.asDiagonal() * details.observed * scale.asDiagonal();
    details.expected = scale.asDiagonal() * details.expected * scale.asDiagonal();
  }
  Rcpp::List out = details_list(details, objective.summary().n_positive, eta, mu);
  out["status"] = "fitted";
  out["coefficients"] = Eigen::VectorXd(result.x.cwiseQuotient(scale));
  out["start"] = Eigen::VectorXd(gamma0.cwiseQuotient(scale));
  add_solver_result(out, result);
  out["threads"] = objective.threads();
  return out;
}

inline Rcpp::List evaluate_glm(const Rcpp::List& model, const Eigen::VectorXd& beta) {
  const MapMatrix x = Rcpp::as<MapMatrix>(model["x"]);
  if (beta.size() != x.cols()) throw std::invalid_argument("beta must have one value per column of x");
  const mleglm::Family family(Rcpp::as<std::string>(model["family"]),
                              Rcpp::as<std::string>(model["link"]));
  mleglm::GlmObjective objective(x, Rcpp::as<MapVector>(model["y"]),
                                 Rcpp::as<MapVector>(model["weights"]),
                                 Rcpp::as<MapVector>(model["offset"]), family);
  Rcpp::NumericVector eta(Rcpp::no_init(x.rows())), mu(Rcpp::no_init(x.rows()));
  return details_list(objective.details(beta, eta.begin(), mu.begin()),
                      objective.summary().n_positive, eta, mu);
}

#endif  // MLEGLM_SRC_MODEL_GLM_H
