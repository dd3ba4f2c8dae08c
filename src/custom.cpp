// Boundary for user-defined distributions: the R functions of a
// custom_family() become the core's row callbacks. Each is an R closure made
// by the package's R code that calls the user's function once over all rows,
// checks what comes back and signals a classed R error naming the function
// and the parameter values (passed here from the objective) when it
// misbehaves; that error unwinds through the core to R.

#include <RcppEigen.h>

#include <mleglm/custom.hpp>
#include <mleglm/joint.hpp>
#include <mleglm/link.hpp>

#include "joint.h"

namespace {

// `objective` is filled in once the objective exists; callbacks run only after.
mleglm::RowFunction row_function(SEXP f, const mleglm::JointObjective* const& objective) {
  if (Rf_isNull(f)) return mleglm::RowFunction();
  const Rcpp::Function fun(f);
  return [fun, &objective](const Eigen::VectorXd& mu, double phi, Eigen::VectorXd& out) {
    const Rcpp::NumericVector value = fun(Rcpp::wrap(mu), phi, Rcpp::wrap(objective->current()));
    out = Rcpp::as<Eigen::VectorXd>(value);
  };
}

struct CustomModel {
  std::unique_ptr<mleglm::Link> link;
  const mleglm::JointObjective* objective = nullptr;
  std::unique_ptr<mleglm::CallbackRows> rows;

  CustomModel(Eigen::Index n, const std::string& link_name, const Rcpp::List& functions,
              const Rcpp::List& phi)
      : link(mleglm::make_link(link_name)) {
    mleglm::RowCallbacks callbacks;
    callbacks.loglik = row_function(functions["loglik"], objective);
    callbacks.d_mu = row_function(functions["dmu"], objective);
    callbacks.d2_mu = row_function(functions["d2mu"], objective);
    callbacks.d_phi = row_function(functions["dphi"], objective);
    mleglm::ExtraParameter extra;
    extra.present = Rcpp::as<bool>(phi["present"]);
    extra.estimated = Rcpp::as<bool>(phi["estimated"]);
    extra.log_scale = Rcpp::as<bool>(phi["log_scale"]);
    extra.value = Rcpp::as<double>(phi["value"]);
    rows = std::make_unique<mleglm::CallbackRows>(n, *link, callbacks, extra);
  }
};

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_fit_custom(const Eigen::Map<Eigen::MatrixXd> x,
                          const Eigen::Map<Eigen::VectorXd> weights,
                          const Eigen::Map<Eigen::VectorXd> offset,
                          const Eigen::Map<Eigen::VectorXd> start, const std::string& link,
                          const Rcpp::List& functions, const Rcpp::List& phi,
                          const std::string& method, double tol, int maxit, int max_halvings,
                          bool trace) {
  CustomModel model(x.rows(), link, functions, phi);
  mleglm::JointObjective objective(x, weights, offset, *model.rows);
  model.objective = &objective;
  if (start.size() != objective.dim()) Rcpp::stop("start has the wrong length");
  return joint_fit(objective, start, method, tol, maxit, max_halvings, trace, false);
}

// [[Rcpp::export]]
Rcpp::List cpp_evaluate_custom(const Eigen::Map<Eigen::MatrixXd> x,
                               const Eigen::Map<Eigen::VectorXd> weights,
                               const Eigen::Map<Eigen::VectorXd> offset,
                               const Eigen::Map<Eigen::VectorXd> par, const std::string& link,
                               const Rcpp::List& functions, const Rcpp::List& phi,
                               bool with_derivatives) {
  CustomModel model(x.rows(), link, functions, phi);
  mleglm::JointObjective objective(x, weights, offset, *model.rows);
  model.objective = &objective;
  if (par.size() != objective.dim()) Rcpp::stop("par has the wrong length");
  return joint_evaluation(objective, par, with_derivatives, false);
}
