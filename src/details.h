#ifndef MLEGLM_SRC_DETAILS_H
#define MLEGLM_SRC_DETAILS_H

// What the shims share: the solver's settings and R-side callbacks
// (interrupts, and one trace line per iteration when asked), and conversions
// from the core's result types to R lists.

#include <RcppEigen.h>

#include <mleglm/mleglm.hpp>

inline mleglm::SolverControl solver_control(double tol, int maxit, int max_halvings) {
  mleglm::SolverControl control;
  control.tol = tol;
  control.maxit = maxit;
  control.max_halvings = max_halvings;
  return control;
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
inline Rcpp::List details_list(const mleglm::FitDetails& d, const mleglm::GlmObjective& objective,
                               const Rcpp::NumericVector& eta, const Rcpp::NumericVector& mu) {
  return Rcpp::List::create(
      Rcpp::Named("ok") = d.ok, Rcpp::Named("loglik") = d.loglik,
      Rcpp::Named("deviance") = d.deviance, Rcpp::Named("dispersion") = d.dispersion,
      Rcpp::Named("pearson") = d.pearson,
      Rcpp::Named("n_positive") = objective.summary().n_positive,
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

#endif  // MLEGLM_SRC_DETAILS_H
