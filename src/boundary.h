#ifndef MLEGLM_SRC_BOUNDARY_H
#define MLEGLM_SRC_BOUNDARY_H

// What the fitting shims share: the solver's settings from the named list R
// passes (mleglm_control() and the method), the R-side callbacks (interrupts,
// and one trace line per iteration when asked), and conversions from the
// core's result types to R lists.

#include <RcppEigen.h>

#include <algorithm>
#include <string>
#include <vector>

#include <mleglm/mleglm.hpp>

// The settings R passes: mleglm_control()'s list with the method added.
struct FitSettings {
  std::string method;
  mleglm::SolverControl solver;
  bool trace = false;
  int threads = 1;
  double rank_tol = 0.0;
};

inline FitSettings fit_settings(const Rcpp::List& control) {
  FitSettings s;
  s.method = Rcpp::as<std::string>(control["method"]);
  s.solver.tol = Rcpp::as<double>(control["tol"]);
  s.solver.maxit = Rcpp::as<int>(control["maxit"]);
  s.solver.max_halvings = Rcpp::as<int>(control["max_halvings"]);
  s.trace = Rcpp::as<bool>(control["trace"]);
  s.threads = Rcpp::as<int>(control["threads"]);
  s.rank_tol = Rcpp::as<double>(control["rank_tol"]);
  return s;
}

// A numeric vector element of the model list, empty when absent or NULL.
inline Eigen::VectorXd vector_or_empty(const Rcpp::List& model, const char* name) {
  if (!model.containsElementNamed(name) || Rf_isNull(model[name])) return Eigen::VectorXd();
  return Rcpp::as<Eigen::VectorXd>(model[name]);
}


inline mleglm::Callbacks solver_callbacks(bool trace) {
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

// `eta` and `mu` are the vectors details() filled.
inline Rcpp::List details_list(const mleglm::FitDetails& d, double n_positive,
                               const Rcpp::NumericVector& eta, const Rcpp::NumericVector& mu) {
  return Rcpp::List::create(
      Rcpp::Named("ok") = d.ok, Rcpp::Named("loglik") = d.loglik,
      Rcpp::Named("deviance") = d.deviance, Rcpp::Named("dispersion") = d.dispersion,
      Rcpp::Named("pearson") = d.pearson,
      Rcpp::Named("n_positive") = n_positive,
      Rcpp::Named("eta") = eta, Rcpp::Named("mu") = mu,
      Rcpp::Named("mu_range") = Rcpp::NumericVector::create(d.mu_min, d.mu_max),
      Rcpp::Named("score") = d.score,
      Rcpp::Named("observed") = d.observed, Rcpp::Named("expected") = d.expected);
}

inline Rcpp::DataFrame trace_frame(const std::vector<mleglm::TraceRow>& rows) {
  const std::size_t n = rows.size();
  Rcpp::IntegerVector iteration(n), halvings(n);
  Rcpp::NumericVector value(n), gradient_norm(n), decrement(n), step(n);
  for (std::size_t i = 0; i < n; ++i) {
    iteration[i] = rows[i].iteration;
    value[i] = rows[i].value;
    gradient_norm[i] = rows[i].gradient_norm;
    decrement[i] = rows[i].decrement;
    step[i] = rows[i].step;
    halvings[i] = rows[i].halvings;
  }
  return Rcpp::DataFrame::create(
      Rcpp::Named("iteration") = iteration, Rcpp::Named("loglik") = value,
      Rcpp::Named("gradient_norm") = gradient_norm, Rcpp::Named("decrement") = decrement,
      Rcpp::Named("step") = step, Rcpp::Named("halvings") = halvings);
}

// Whether the columns' check on a Gram matrix leaves any doubt (a dependent
// column, or one nearly so), which R then settles with a QR.
inline bool columns_doubtful(const mleglm::ColumnCheck& check) {
  return std::find(check.independent.begin(), check.independent.end(), false) !=
             check.independent.end() ||
         check.smallest_ratio <= 1e-5;
}

// What the solver reports, common to every kind of model.
inline void add_solver_result(Rcpp::List& out, const mleglm::SolverResult& result) {
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  out["message"] = result.message;
  out["trace"] = trace_frame(result.trace);
}

#endif  // MLEGLM_SRC_BOUNDARY_H
