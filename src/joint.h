#ifndef MLEGLM_SRC_JOINT_H
#define MLEGLM_SRC_JOINT_H

// What the shims for models fitted over (beta, tau) share: the negative
// binomial with theta estimated jointly, and user-defined distributions whose
// R functions become the core's row callbacks (fit.cpp fits and evaluates
// them).
//
// The callbacks of a custom family are R closures made by the package's R
// code: each calls one of the user's functions once over all rows, checks
// what comes back and signals a classed R error naming the function and the
// parameter values (passed here from the objective) when it misbehaves; that
// error unwinds through the core to R.

#include <RcppEigen.h>

#include <memory>
#include <string>

#include <mleglm/custom.hpp>
#include <mleglm/joint.hpp>
#include <mleglm/link.hpp>
#include <mleglm/negbin.hpp>

// The value at par and, on request, the score and information there
// (observed; expected too on request), with the linear predictor and means.
// `ok` says the value is finite, `derivatives_ok` that so are the rest.
inline Rcpp::List joint_evaluation(mleglm::JointObjective& objective, const Eigen::VectorXd& par,
                                   bool with_derivatives, bool with_expected) {
  mleglm::Evaluation at;
  objective.evaluate(par, false, mleglm::Curvature::none, at);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("ok") = at.ok, Rcpp::Named("loglik") = at.value,
      Rcpp::Named("eta") = objective.eta(), Rcpp::Named("mu") = objective.row_values().mu);
  if (!at.ok) return out;
  if (with_derivatives) {
    mleglm::Evaluation d;
    objective.evaluate(par, true, mleglm::Curvature::exact, d);
    out["derivatives_ok"] = d.ok;
    out["score"] = d.gradient;
    out["observed"] = d.curvature;
  }
  if (with_expected) {
    mleglm::Evaluation e;
    objective.evaluate(par, true, mleglm::Curvature::expected, e);
    out["expected"] = e.curvature;
  }
  return out;
}

// `objective` is filled in once the objective exists; callbacks run only after.
inline mleglm::RowFunction row_function(SEXP f, const mleglm::JointObjective* const& objective) {
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

#endif  // MLEGLM_SRC_JOINT_H
