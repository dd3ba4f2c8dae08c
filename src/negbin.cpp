// Boundary for the negative binomial with theta estimated jointly: map R's
// memory, build the NB2 rows and the joint objective over (beta, log theta),
// and hand back one list.

#include <RcppEigen.h>

#include <mleglm/joint.hpp>
#include <mleglm/link.hpp>
#include <mleglm/negbin.hpp>

#include "joint.h"

// [[Rcpp::export]]
Rcpp::List cpp_fit_negbin(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                          const Eigen::Map<Eigen::VectorXd> weights,
                          const Eigen::Map<Eigen::VectorXd> offset,
                          const Eigen::Map<Eigen::VectorXd> start, const std::string& link,
                          const std::string& method, double tol, int maxit, int max_halvings,
                          bool trace) {
  if (start.size() != x.cols() + 1) Rcpp::stop("start must hold the coefficients and log(theta)");
  const std::unique_ptr<mleglm::Link> g = mleglm::make_link(link);
  mleglm::NegbinRows rows(y, *g);
  mleglm::JointObjective objective(x, weights, offset, rows);
  return joint_fit(objective, start, method, tol, maxit, max_halvings, trace, true);
}

// [[Rcpp::export]]
Rcpp::List cpp_evaluate_negbin(const Eigen::Map<Eigen::MatrixXd> x,
                               const Eigen::Map<Eigen::VectorXd> y,
                               const Eigen::Map<Eigen::VectorXd> weights,
                               const Eigen::Map<Eigen::VectorXd> offset,
                               const Eigen::Map<Eigen::VectorXd> par, const std::string& link,
                               bool with_derivatives) {
  if (par.size() != x.cols() + 1) Rcpp::stop("par must hold the coefficients and log(theta)");
  const std::unique_ptr<mleglm::Link> g = mleglm::make_link(link);
  mleglm::NegbinRows rows(y, *g);
  mleglm::JointObjective objective(x, weights, offset, rows);
  return joint_evaluation(objective, par, with_derivatives, with_derivatives);
}
