#ifndef MLEGLM_SRC_MODEL_SUMMED_H
#define MLEGLM_SRC_MODEL_SUMMED_H

// GLMs whose rows live elsewhere (chunks read from a function or a database,
// shards held by cluster workers). The C++ solver runs the fit; each of its
// evaluations asks R, through the model's `sums` function, for the totals
// over all rows at the coefficients, and R adds up the sums of the chunks,
// each computed here by chunk_sums() with the same objective and row
// accumulator as a fit in memory. Everything R sums is at dispersion 1.

#include <RcppEigen.h>

#include <cmath>
#include <memory>
#include <string>

#include <mleglm/mleglm.hpp>
#include <mleglm/start.hpp>
#include <mleglm/summed.hpp>

#include "boundary.h"

inline Rcpp::NumericVector summary_vector(const mleglm::DataSummary& s) {
  return Rcpp::NumericVector::create(
      Rcpp::Named("n_positive") = s.n_positive, Rcpp::Named("sum_w") = s.sum_w,
      Rcpp::Named("sum_log_w") = s.sum_log_w, Rcpp::Named("sum_w_log_y") = s.sum_w_log_y,
      Rcpp::Named("constant") = s.constant, Rcpp::Named("sum_y") = s.sum_y);
}

inline mleglm::DataSummary summary_of(const Rcpp::NumericVector& v) {
  if (v.size() != 6) throw std::invalid_argument("a data summary has 6 values");
  mleglm::DataSummary s;
  s.n_positive = v[0];
  s.sum_w = v[1];
  s.sum_log_w = v[2];
  s.sum_w_log_y = v[3];
  s.constant = v[4];
  s.sum_y = v[5];
  return s;
}

inline const char* curvature_name(const mleglm::SumsRequest& request) {
  if (request.also_expected) return "both";
  switch (request.curvature) {
    case mleglm::Curvature::exact: return "exact";
    case mleglm::Curvature::expected: return "expected";
    case mleglm::Curvature::none: return "none";
  }
  return "none";
}

// The sums R returns (a list as chunk_sums() makes them, added over chunks).
inline mleglm::SummedRows summed_rows(const Rcpp::List& s, Eigen::Index p) {
  mleglm::SummedRows rows;
  rows.sums.ok = Rcpp::as<bool>(s["ok"]);
  if (!rows.sums.ok) return rows;
  rows.sums.deviance = Rcpp::as<double>(s["deviance"]);
  rows.sums.pearson = Rcpp::as<double>(s["pearson"]);
  rows.sums.score = Rcpp::as<Eigen::VectorXd>(s["score"]);
  if (s.containsElementNamed("information") && !Rf_isNull(s["information"]))
    rows.sums.information = Rcpp::as<Eigen::MatrixXd>(s["information"]);
  if (s.containsElementNamed("expected") && !Rf_isNull(s["expected"]))
    rows.expected = Rcpp::as<Eigen::MatrixXd>(s["expected"]);
  if (rows.sums.score.size() != p) throw std::invalid_argument("the summed score has the wrong length");
  return rows;
}

inline Rcpp::List fit_summed(const Rcpp::List& model, const FitSettings& settings) {
  const std::string distribution = Rcpp::as<std::string>(model["family"]);
  const mleglm::Family family(distribution, Rcpp::as<std::string>(model["link"]));
  const Eigen::Index p = Rcpp::as<int>(model["p"]);
  const Rcpp::Function sums_function = model["sums"];
  const Rcpp::Function start_function = model["start_sums"];

  const mleglm::StartAt start_at = [&](double fallback) {
    const Rcpp::List s = start_function(fallback);
    mleglm::SummedStart out;
    out.sums = mleglm::RowSums(p, true, true);
    out.sums.ok = Rcpp::as<bool>(s["ok"]);
    out.sums.score = Rcpp::as<Eigen::VectorXd>(s["score"]);
    out.sums.information = Rcpp::as<Eigen::MatrixXd>(s["information"]);
    out.summary = summary_of(s["summary"]);
    out.n_fallback = Rcpp::as<double>(s["n_fallback"]);
    return out;
  };
  const mleglm::SummedStartResult start = mleglm::summed_start(start_at, family.link(), settings.rank_tol);
  const Rcpp::LogicalVector independent = Rcpp::wrap(start.columns.independent);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("independent") = independent,
      Rcpp::Named("summary") = summary_vector(start.summary),
      Rcpp::Named("n_positive") = start.summary.n_positive);
  if (!(start.summary.n_positive > 0.0)) {
    out["status"] = "no_rows";
    return out;
  }
  const mleglm::SumsAt sums_at = [&](const Eigen::VectorXd& beta, const mleglm::SumsRequest& request) {
    // A protected vector: a bare SEXP argument is unprotected while Rcpp
    // allocates the call's other arguments.
    const Rcpp::NumericVector at = Rcpp::wrap(beta);
    return summed_rows(sums_function(at, curvature_name(request)), p);
  };
  mleglm::SummedObjective objective(family.distribution(), start.summary,
                                    start.columns.independent, sums_at);
  // `progress`, if given, is an R function that reports each iteration.
  mleglm::Callbacks callbacks = solver_callbacks(settings.trace);
  if (model.containsElementNamed("progress") && !Rf_isNull(model["progress"])) {
    const Rcpp::Function progress = model["progress"];
    callbacks.on_iteration = [progress](const mleglm::TraceRow& row) {
      progress(row.iteration, row.value, row.gradient_norm, row.decrement);
    };
  }
  const std::unique_ptr<mleglm::Solver> solver = mleglm::make_solver(settings.method);
  Eigen::VectorXd start_beta = start.beta;
  mleglm::SolverResult result = solver->maximize(objective, start_beta, settings.solver, callbacks);
  if (result.trace.empty() && model.containsElementNamed("constant_sums") &&
      !Rf_isNull(model["constant_sums"])) {
    // As fit_glm(): the least-squares start left the parameter space, and a
    // constant linear predictor is inside it when the columns span one.
    const Rcpp::Function constant_sums = model["constant_sums"];
    const double eta0 = mleglm::start_fallback(family.link(), start.summary.sum_y,
                                               start.summary.n_positive);
    const Rcpp::List c = constant_sums(eta0);
    start_beta = mleglm::summed_constant_start(Rcpp::as<Eigen::MatrixXd>(c["xtx"]),
                                               Rcpp::as<Eigen::VectorXd>(c["xty"]),
                                               start.columns.independent);
    result = solver->maximize(objective, start_beta, settings.solver, callbacks);
  }
  const mleglm::FitDetails d = result.trace.empty() ? mleglm::FitDetails()
                                                    : objective.details(result.x, family.canonical());
  out["status"] = "fitted";
  out["ok"] = d.ok;
  out["loglik"] = d.loglik;
  out["deviance"] = d.deviance;
  out["dispersion"] = d.dispersion;
  out["pearson"] = d.pearson;
  out["score"] = d.score;
  out["observed"] = d.observed;
  out["expected"] = d.expected;
  out["coefficients"] = result.x;
  out["start"] = start_beta;
  add_solver_result(out, result);
  out["threads"] = settings.threads;
  return out;
}

// The GLM objective over one chunk's rows, from the chunk's list.
struct ChunkModel {
  Eigen::Map<Eigen::MatrixXd> x;
  Eigen::Map<Eigen::VectorXd> y, weights, offset;
  mleglm::Family family;
  mleglm::GlmObjective objective;

  ChunkModel(const Rcpp::List& chunk, int threads)
      : x(Rcpp::as<Eigen::Map<Eigen::MatrixXd>>(chunk["x"])),
        y(Rcpp::as<Eigen::Map<Eigen::VectorXd>>(chunk["y"])),
        weights(Rcpp::as<Eigen::Map<Eigen::VectorXd>>(chunk["weights"])),
        offset(Rcpp::as<Eigen::Map<Eigen::VectorXd>>(chunk["offset"])),
        family(Rcpp::as<std::string>(chunk["family"]), Rcpp::as<std::string>(chunk["link"])),
        objective(x, y, weights, offset, family, threads) {}
};

// The sums of one chunk at beta. `curvature` is "none", "expected", "exact"
// or "both" (exact as `information`, expected as `expected`; one pass for a
// canonical link, where they coincide).
inline Rcpp::List chunk_sums(const Rcpp::List& chunk, const Eigen::VectorXd& beta,
                             const std::string& curvature, int threads) {
  const ChunkModel model(chunk, threads);
  const mleglm::Family& family = model.family;
  const mleglm::GlmObjective& objective = model.objective;
  if (beta.size() != model.x.cols()) throw std::invalid_argument("beta must have one value per column of x");
  const bool both = curvature == "both";
  const mleglm::Curvature first = both || curvature == "exact" ? mleglm::Curvature::exact
                                  : curvature == "expected"    ? mleglm::Curvature::expected
                                                               : mleglm::Curvature::none;
  const mleglm::RowSums sums = objective.sums_at(beta, first, true);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("ok") = sums.ok && std::isfinite(sums.deviance),
      Rcpp::Named("deviance") = sums.deviance, Rcpp::Named("pearson") = sums.pearson,
      Rcpp::Named("score") = sums.score);
  if (first != mleglm::Curvature::none) out["information"] = sums.information;
  if (both) {
    out["expected"] = family.canonical()
                          ? sums.information
                          : objective.sums_at(beta, mleglm::Curvature::expected, false).information;
  }
  return out;
}

// The sums of one chunk for the starting least-squares step. With `fallback`
// NaN, rows whose starting mean the link cannot take are only counted
// (n_fallback); the solver then asks for the pass again with the fallback of
// all the rows.
inline Rcpp::List chunk_start(const Rcpp::List& chunk, double fallback, int threads) {
  const ChunkModel model(chunk, threads);
  const mleglm::GlmObjective& objective = model.objective;
  double n_fallback = 0.0;
  const mleglm::RowSums sums =
      mleglm::start_sums(objective, std::isnan(fallback) ? 0.0 : fallback, &n_fallback);
  return Rcpp::List::create(
      Rcpp::Named("ok") = sums.ok, Rcpp::Named("score") = sums.score,
      Rcpp::Named("information") = sums.information, Rcpp::Named("n_fallback") = n_fallback,
      Rcpp::Named("summary") = summary_vector(objective.summary()));
}

#endif  // MLEGLM_SRC_MODEL_SUMMED_H
