#ifndef MLEGLM_SRC_MODEL_JOINT_H
#define MLEGLM_SRC_MODEL_JOINT_H

// Models fitted over (beta, tau): the negative binomial with theta estimated
// jointly, and user-defined distributions whose R functions become the
// core's row callbacks; their fit and their evaluation at given parameters.
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
#include <mleglm/negbin.hpp>
#include <mleglm/registry.hpp>
#include <mleglm/solver.hpp>

#include "boundary.h"

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
    // Each argument is held in a protected vector before the call: two bare
    // SEXPs from wrap() would leave the first unprotected while the second,
    // and the call itself, allocate.
    const Rcpp::NumericVector mu_r = Rcpp::wrap(mu);
    const Rcpp::NumericVector par_r = Rcpp::wrap(objective->current());
    const Rcpp::NumericVector value = fun(mu_r, phi, par_r);
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

// The rows of a model over (beta, tau), built from the model list: the
// negative binomial's, or a custom family's R callbacks.
class JointRows {
 public:
  JointRows(const Rcpp::List& model, Eigen::Index n)
      : m_link(mleglm::make_link(Rcpp::as<std::string>(model["link"]))) {
    const std::string kind = Rcpp::as<std::string>(model["kind"]);
    if (kind == "negbin") {
      m_y = Rcpp::as<Eigen::VectorXd>(model["y"]);
      m_negbin = std::make_unique<mleglm::NegbinRows>(m_y, *m_link);
    } else {
      m_custom = std::make_unique<CustomModel>(n, Rcpp::as<std::string>(model["link"]),
                                               Rcpp::as<Rcpp::List>(model["functions"]),
                                               Rcpp::as<Rcpp::List>(model["phi"]));
    }
  }
  mleglm::RowModel& rows() {
    if (m_negbin) return *m_negbin;
    return *m_custom->rows;
  }
  // Custom callbacks report the parameters under evaluation in their errors.
  void attach(const mleglm::JointObjective& objective) {
    if (m_custom) m_custom->objective = &objective;
  }
  // Only the negative binomial has an expected information.
  bool has_expected() const { return m_negbin != nullptr; }

 private:
  std::unique_ptr<mleglm::Link> m_link;
  Eigen::VectorXd m_y;
  std::unique_ptr<mleglm::NegbinRows> m_negbin;
  std::unique_ptr<CustomModel> m_custom;
};

// The objective of a model over (beta, tau) on R's memory, from the model list.
struct JointModel {
  Eigen::Map<Eigen::MatrixXd> x;
  Eigen::Map<Eigen::VectorXd> weights, offset;
  JointRows rows;
  mleglm::JointObjective objective;

  explicit JointModel(const Rcpp::List& model)
      : x(Rcpp::as<Eigen::Map<Eigen::MatrixXd>>(model["x"])),
        weights(Rcpp::as<Eigen::Map<Eigen::VectorXd>>(model["weights"])),
        offset(Rcpp::as<Eigen::Map<Eigen::VectorXd>>(model["offset"])),
        rows(model, x.rows()),
        objective(x, weights, offset, rows.rows()) {
    rows.attach(objective);
  }
};

inline Rcpp::List fit_joint(const Rcpp::List& model, const FitSettings& settings) {
  JointModel joint(model);
  const auto& x = joint.x;
  mleglm::JointObjective& objective = joint.objective;
  const Eigen::VectorXd start = Rcpp::as<Eigen::VectorXd>(model["start"]);
  if (start.size() != objective.dim())
    throw std::invalid_argument("start must hold the coefficients and the extra parameter");
  if (settings.rank_tol > 0.0 && x.cols() > 0) {
    // The columns' check on X'X over the rows of positive weight, as for the
    // GLM families; R decides with a QR where it fails.
    const Eigen::VectorXd used = (joint.weights.array() > 0.0).cast<double>().matrix();
    const Eigen::Ref<const Eigen::MatrixXd> rows_x(x);  // the accumulator's instantiation
    const mleglm::ColumnCheck check =
        mleglm::independent_columns(mleglm::weighted_crossprod(rows_x, used), settings.rank_tol);
    if (columns_doubtful(check)) return Rcpp::List::create(Rcpp::Named("status") = "rank");
  }
  const mleglm::SolverResult result = mleglm::make_solver(settings.method)->maximize(
      objective, start, settings.solver, solver_callbacks(settings.trace));
  Rcpp::List out = joint_evaluation(objective, result.x, true, joint.rows.has_expected());
  out["status"] = "fitted";
  out["coefficients"] = result.x;
  out["start"] = start;
  add_solver_result(out, result);
  return out;
}

inline Rcpp::List evaluate_joint(const Rcpp::List& model, const Eigen::VectorXd& par,
                                 bool with_derivatives) {
  JointModel joint(model);
  mleglm::JointObjective& objective = joint.objective;
  if (par.size() != objective.dim())
    throw std::invalid_argument("par must hold the coefficients and the extra parameter");
  return joint_evaluation(objective, par, with_derivatives,
                          with_derivatives && joint.rows.has_expected());
}

#endif  // MLEGLM_SRC_MODEL_JOINT_H
