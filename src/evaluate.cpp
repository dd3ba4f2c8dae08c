// Boundary for evaluating a model without fitting it: the log-likelihood,
// score and both informations at a given beta, and the per-row family terms
// that the tests compare with R's own stats families.

#include <RcppEigen.h>

#include <mleglm/mleglm.hpp>

#include "details.h"

// [[Rcpp::export]]
Rcpp::List cpp_evaluate(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                        const Eigen::Map<Eigen::VectorXd> weights,
                        const Eigen::Map<Eigen::VectorXd> offset,
                        const Eigen::Map<Eigen::VectorXd> beta, const std::string& distribution,
                        const std::string& link) {
  if (beta.size() != x.cols()) Rcpp::stop("beta must have one value per column of x");
  const mleglm::Family family(distribution, link);
  mleglm::GlmObjective objective(x, y, weights, offset, family);
  Rcpp::NumericVector eta(Rcpp::no_init(x.rows())), mu(Rcpp::no_init(x.rows()));
  return details_list(objective.details(beta, eta.begin(), mu.begin()), objective, eta, mu);
}

// [[Rcpp::export]]
Rcpp::DataFrame cpp_family_terms(const Rcpp::NumericVector& eta, const Rcpp::NumericVector& y,
                                 const std::string& distribution, const std::string& link) {
  if (eta.size() != y.size()) Rcpp::stop("eta and y must have the same length");
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
      Rcpp::Named("mu") = mu, Rcpp::Named("linkfun") = linkfun, Rcpp::Named("mu_eta") = mu_eta, Rcpp::Named("d2mu_eta2") = d2mu,
      Rcpp::Named("variance") = variance, Rcpp::Named("dvariance") = dvariance,
      Rcpp::Named("deviance") = deviance, Rcpp::Named("score") = score,
      Rcpp::Named("expected") = expected, Rcpp::Named("observed") = observed,
      Rcpp::Named("valid") = valid);
}
