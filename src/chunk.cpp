// Boundary for fits whose rows live elsewhere (chunks read from a function or
// a database, shards held by cluster workers): the sums of one chunk at beta,
// from the same objective and row accumulator as the in-memory fit, and the
// small steps R takes on the totals (dispersion and log-likelihood from the
// summed deviance and data summary, the Newton direction, the start).
// Everything is at dispersion 1; R adds the chunks' sums in a fixed order.

#include <RcppEigen.h>

#include <mleglm/mleglm.hpp>

namespace {

Rcpp::NumericVector summary_vector(const mleglm::DataSummary& s) {
  return Rcpp::NumericVector::create(
      Rcpp::Named("n_positive") = s.n_positive, Rcpp::Named("sum_w") = s.sum_w,
      Rcpp::Named("sum_log_w") = s.sum_log_w, Rcpp::Named("sum_w_log_y") = s.sum_w_log_y,
      Rcpp::Named("constant") = s.constant);
}

mleglm::DataSummary summary_of(const Rcpp::NumericVector& v) {
  if (v.size() != 5) Rcpp::stop("a data summary has 5 values");
  mleglm::DataSummary s;
  s.n_positive = v[0];
  s.sum_w = v[1];
  s.sum_log_w = v[2];
  s.sum_w_log_y = v[3];
  s.constant = v[4];
  return s;
}

}  // namespace

// The sums of one chunk at beta. `curvature` is "none", "expected", "exact"
// or "both" (exact as `information`, expected as `expected`; one pass for a
// canonical link, where they coincide); `pearson` adds Pearson's statistic.
// [[Rcpp::export]]
Rcpp::List cpp_chunk_sums(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                          const Eigen::Map<Eigen::VectorXd> weights,
                          const Eigen::Map<Eigen::VectorXd> offset,
                          const Eigen::Map<Eigen::VectorXd> beta, const std::string& distribution,
                          const std::string& link, const std::string& curvature, bool pearson,
                          int threads) {
  if (beta.size() != x.cols()) Rcpp::stop("beta must have one value per column of x");
  const mleglm::Family family(distribution, link);
  const mleglm::GlmObjective objective(x, y, weights, offset, family, threads);
  const Eigen::VectorXd b(beta);
  const bool both = curvature == "both";
  const mleglm::Curvature first = both || curvature == "exact" ? mleglm::Curvature::exact
                                  : curvature == "expected"    ? mleglm::Curvature::expected
                                                               : mleglm::Curvature::none;
  const mleglm::RowSums sums = objective.sums_at(b, first, true);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("ok") = sums.ok && std::isfinite(sums.deviance),
      Rcpp::Named("deviance") = sums.deviance, Rcpp::Named("score") = sums.score,
      Rcpp::Named("information") = sums.information,
      Rcpp::Named("summary") = summary_vector(objective.summary()));
  if (both) {
    out["expected"] = family.canonical()
                          ? sums.information
                          : objective.sums_at(b, mleglm::Curvature::expected, false).information;
  }
  if (pearson) out["pearson"] = sums.pearson;
  return out;
}

// The sums of one chunk for the starting least-squares step. With `fallback`
// NA, rows whose starting mean the link cannot take are only counted
// (n_fallback); R then repeats the pass with the fallback of all the rows.
// [[Rcpp::export]]
Rcpp::List cpp_chunk_start(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                           const Eigen::Map<Eigen::VectorXd> weights,
                           const Eigen::Map<Eigen::VectorXd> offset, const std::string& distribution,
                           const std::string& link, double fallback, int threads) {
  const mleglm::Family family(distribution, link);
  const mleglm::GlmObjective objective(x, y, weights, offset, family, threads);
  double n_fallback = 0.0;
  const mleglm::RowSums sums =
      objective.start_sums(std::isnan(fallback) ? 0.0 : fallback, &n_fallback);
  return Rcpp::List::create(
      Rcpp::Named("ok") = sums.ok, Rcpp::Named("score") = sums.score,
      Rcpp::Named("information") = sums.information, Rcpp::Named("sum_y") = objective.summary().sum_y,
      Rcpp::Named("n_fallback") = n_fallback,
      Rcpp::Named("summary") = summary_vector(objective.summary()));
}

// From totals: the starting coefficients and the column check of the
// in-memory fit, or the dispersion and log-likelihood at a summed deviance,
// or the fallback linear predictor.
// [[Rcpp::export]]
Rcpp::List cpp_total_start(const Eigen::Map<Eigen::MatrixXd> information,
                           const Eigen::Map<Eigen::VectorXd> score, double rank_tol) {
  mleglm::RowSums sums(score.size(), true, true);
  sums.score = score;
  sums.information = information;
  const mleglm::ColumnCheck check = mleglm::independent_columns(sums.information, rank_tol);
  return Rcpp::List::create(Rcpp::Named("beta") = mleglm::solve_start(sums, score.size()),
                            Rcpp::Named("independent") = Rcpp::wrap(check.independent),
                            Rcpp::Named("smallest_ratio") = check.smallest_ratio);
}

// [[Rcpp::export]]
Rcpp::List cpp_total_profile(double deviance, const Rcpp::NumericVector& summary,
                             const std::string& distribution) {
  const std::unique_ptr<mleglm::Distribution> dist = mleglm::make_distribution(distribution);
  const mleglm::DataSummary s = summary_of(summary);
  const double phi = mleglm::profile_dispersion(*dist, deviance, s);
  return Rcpp::List::create(Rcpp::Named("dispersion") = phi,
                            Rcpp::Named("loglik") = mleglm::profile_loglik(*dist, deviance, phi, s));
}

// [[Rcpp::export]]
double cpp_start_fallback(double sum_y, double n_positive, const std::string& distribution,
                          const std::string& link) {
  const mleglm::Family family(distribution, link);
  return family.link().linkfun(sum_y / std::max(n_positive, 1.0));
}

// The Newton (or Fisher) direction C^-1 g as the C++ solvers find it, and
// the condition estimate that tells them to refine.
// [[Rcpp::export]]
Rcpp::List cpp_direction(const Eigen::Map<Eigen::MatrixXd> curvature,
                         const Eigen::Map<Eigen::VectorXd> gradient) {
  Eigen::VectorXd d;
  double condition = 1.0;
  const bool ok = mleglm::solve_positive_definite(curvature, gradient, d, &condition);
  return Rcpp::List::create(Rcpp::Named("ok") = ok,
                            Rcpp::Named("direction") = ok ? d : Eigen::VectorXd(),
                            Rcpp::Named("condition") = condition);
}
