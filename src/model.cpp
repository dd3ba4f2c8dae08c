// The boundary between R and the core for every model: one entry point that
// fits any kind (GLM families in memory, the negative binomial and custom
// families over (beta, tau), GLMs summed over chunks), one that evaluates an
// in-memory model at given parameters, and the per-chunk sums that summed
// fits add up.
//
// R describes the model once, as a named list: `kind` ("glm", "negbin",
// "custom" or "chunked"), the data (x, y, weights, offset; for chunked fits
// the number of columns `p` and the R functions `sums` and `start_sums`),
// `family` and `link`, `start`, and what each kind needs besides (`largest`
// for the column scaling, `functions` and `phi` for a custom family). The
// settings come as mleglm_control()'s named list with the method added.
//
// This is the package's one translation unit besides RcppExports.cpp: the
// core's objectives and solvers cost most of a minute of compilation in each
// unit that includes them, and every further unit parses Rcpp and Eigen once
// more, so the other entry points (the family table, the checks of the
// inputs, the kernel switch) are defined in headers of their own and
// exported here.

#include <RcppEigen.h>

#include <string>

#include "boundary.h"
#include "family_table.h"
#include "model_glm.h"
#include "model_inputs.h"
#include "model_joint.h"
#include "model_summed.h"

// ---- fitting and evaluating ---------------------------------------------------

// [[Rcpp::export]]
Rcpp::List cpp_fit_model(const Rcpp::List& model, const Rcpp::List& control) {
  const FitSettings settings = fit_settings(control);
  const std::string kind = Rcpp::as<std::string>(model["kind"]);
  if (kind == "glm") return fit_glm(model, settings);
  if (kind == "negbin" || kind == "custom") return fit_joint(model, settings);
  if (kind == "chunked") return fit_summed(model, settings);
  throw std::invalid_argument("unknown kind of model '" + kind + "'");
}

// [[Rcpp::export]]
Rcpp::List cpp_evaluate_model(const Rcpp::List& model, const Eigen::Map<Eigen::VectorXd> par,
                              bool with_derivatives) {
  const std::string kind = Rcpp::as<std::string>(model["kind"]);
  if (kind == "glm") return evaluate_glm(model, par);
  if (kind == "negbin" || kind == "custom") return evaluate_joint(model, par, with_derivatives);
  throw std::invalid_argument("a model of kind '" + kind + "' cannot be evaluated in memory");
}

// [[Rcpp::export]]
Rcpp::DataFrame cpp_family_registry() { return family_registry(); }

// [[Rcpp::export]]
Rcpp::LogicalVector cpp_valid_means(const Rcpp::NumericVector& mu, const std::string& family) {
  return valid_means(mu, family);
}

// [[Rcpp::export]]
Rcpp::List cpp_response_problems(const Rcpp::NumericVector& y, const Rcpp::NumericVector& weights,
                                 const std::string& family) {
  return response_problems_of(y, weights, family);
}

// [[Rcpp::export]]
Rcpp::List cpp_column_check(const Eigen::Map<Eigen::MatrixXd> x, int threads) {
  return column_check(x, threads);
}

// [[Rcpp::export]]
Rcpp::LogicalVector cpp_simd(Rcpp::LogicalVector enable) { return simd_switch(enable); }

// [[Rcpp::export]]
Rcpp::List cpp_chunk_sums(const Rcpp::List& chunk, const Eigen::Map<Eigen::VectorXd> beta,
                          const std::string& curvature, int threads) {
  return chunk_sums(chunk, beta, curvature, threads);
}

// [[Rcpp::export]]
Rcpp::List cpp_chunk_start(const Rcpp::List& chunk, double fallback, int threads) {
  return chunk_start(chunk, fallback, threads);
}

// The per-row family terms, for the tests that compare them with R's own
// stats families.
// [[Rcpp::export]]
Rcpp::DataFrame cpp_family_terms(const Rcpp::NumericVector& eta, const Rcpp::NumericVector& y,
                                 const std::string& distribution, const std::string& link) {
  if (eta.size() != y.size()) throw std::invalid_argument("eta and y must have the same length");
  const mleglm::Family family(distribution, link);
  const R_xlen_t n = eta.size();
  Rcpp::NumericVector mu(n), linkfun(n), mu_eta(n), d2mu(n), variance(n), dvariance(n), deviance(n),
      score(n), expected(n), observed(n);
  Rcpp::LogicalVector valid(n);
  for (R_xlen_t i = 0; i < n; ++i) {
    const mleglm::RowTerms t = family.terms(eta[i], y[i], 1.0, true);
    mu[i] = t.mu;
    linkfun[i] = family.link().linkfun(t.mu);
    mu_eta[i] = family.link().mu_eta(eta[i]);
    d2mu[i] = family.link().d2mu_eta2(eta[i]);
    variance[i] = family.distribution().variance(t.mu);
    dvariance[i] = family.distribution().dvariance(t.mu);
    deviance[i] = family.distribution().unit_deviance(y[i], t.mu, 1.0);
    score[i] = t.score;
    expected[i] = t.expected;
    observed[i] = t.observed;
    valid[i] = family.valid(eta[i]);
  }
  return Rcpp::DataFrame::create(
      Rcpp::Named("mu") = mu, Rcpp::Named("linkfun") = linkfun, Rcpp::Named("mu_eta") = mu_eta,
      Rcpp::Named("d2mu_eta2") = d2mu, Rcpp::Named("variance") = variance,
      Rcpp::Named("dvariance") = dvariance, Rcpp::Named("deviance") = deviance,
      Rcpp::Named("score") = score, Rcpp::Named("expected") = expected,
      Rcpp::Named("observed") = observed, Rcpp::Named("valid") = valid);
}
