// Boundary between R and the C++ core for fitting: map R's memory without
// copying, check dimensions, build the family, objective and solver, and hand
// back one list. Also the negative binomial and custom families (see the
// section at the end).
//
// With rank_tol > 0 the columns are first checked for linear dependence on
// the information at the start (no extra pass over X): a fit that finds a
// dependent or nearly dependent column returns status "rank" without solving,
// for R to decide with a QR and refit.
//
// Columns of extreme size (beyond 2^64 or below 2^-64) are divided by powers
// of two (mleglm::column_scales, from each column's `largest` absolute value
// when R has it from cpp_column_check(), else from a pass over x): exact, so
// the fit is that of x itself, but X'WX cannot overflow. Coefficients, score
// and information are mapped back here; the trace's score norms stay in the
// scaled coordinates (the Newton decrement is the same in both). Ordinary
// columns are not copied.

#include <RcppEigen.h>

#include <mleglm/mleglm.hpp>

#include "details.h"
#include "joint.h"

// [[Rcpp::export]]
Rcpp::List cpp_fit(const Eigen::Map<Eigen::MatrixXd> x, const Eigen::Map<Eigen::VectorXd> y,
                   const Eigen::Map<Eigen::VectorXd> weights,
                   const Eigen::Map<Eigen::VectorXd> offset, const Eigen::Map<Eigen::VectorXd> start,
                   const std::string& distribution,
                   const std::string& link, const std::string& method, double tol, int maxit,
                   int max_halvings, bool trace, int threads, double rank_tol,
                   const Eigen::Map<Eigen::VectorXd> largest) {
  if (start.size() != 0 && start.size() != x.cols()) Rcpp::stop("start must have one value per column of x");
  if (largest.size() != 0 && largest.size() != x.cols())
    Rcpp::stop("largest must have one value per column of x");
  const mleglm::Family family(distribution, link);
  const Eigen::VectorXd scale = largest.size() == x.cols()
                                    ? mleglm::column_scales_from_largest(largest)
                                    : mleglm::column_scales(x);
  const bool rescaled = (scale.array() != 1.0).any();
  const Eigen::MatrixXd x_scaled =
      rescaled ? Eigen::MatrixXd(x * scale.cwiseInverse().asDiagonal()) : Eigen::MatrixXd();
  const Eigen::Ref<const Eigen::MatrixXd> x_used =
      rescaled ? Eigen::Ref<const Eigen::MatrixXd>(x_scaled) : Eigen::Ref<const Eigen::MatrixXd>(x);
  mleglm::GlmObjective objective(x_used, y, weights, offset, family, threads);

  const mleglm::SolverControl control = solver_control(tol, maxit, max_halvings);
  const mleglm::Callbacks callbacks = solver_callbacks(trace);

  // gamma = scale * beta are the coefficients of the scaled columns.
  const bool has_start = start.size() == x.cols();
  Eigen::MatrixXd information;
  Eigen::VectorXd gamma0 = has_start ? Eigen::VectorXd(start.cwiseProduct(scale))
                                     : objective.start_coefficients(&information);
  if (rank_tol > 0.0) {
    const mleglm::ColumnCheck check =
        mleglm::independent_columns(has_start ? objective.gram() : information, rank_tol);
    const bool all_independent =
        std::find(check.independent.begin(), check.independent.end(), false) ==
        check.independent.end();
    if (!all_independent || check.smallest_ratio <= 1e-5) {
      return Rcpp::List::create(Rcpp::Named("status") = "rank",
                                Rcpp::Named("independent") = Rcpp::wrap(check.independent));
    }
  }
  const std::unique_ptr<mleglm::Solver> solver = mleglm::make_solver(method);
  mleglm::SolverResult result = solver->maximize(objective, gamma0, control, callbacks);
  if (!has_start && result.trace.empty()) {
    // The least-squares start left the parameter space, as it can where the
    // maximum is near its edge (poisson identity, binomial log); a constant
    // linear predictor is inside it whenever the columns span a constant.
    gamma0 = objective.start_at_constant(objective.start_fallback());
    result = solver->maximize(objective, gamma0, control, callbacks);
  }

  Rcpp::NumericVector eta(Rcpp::no_init(x.rows())), mu(Rcpp::no_init(x.rows()));
  mleglm::FitDetails details = objective.details(result.x, eta.begin(), mu.begin());
  if (details.ok && rescaled) {
    details.score = details.score.cwiseProduct(scale);
    details.observed = scale.asDiagonal() * details.observed * scale.asDiagonal();
    details.expected = scale.asDiagonal() * details.expected * scale.asDiagonal();
  }
  Rcpp::List out = details_list(details, objective, eta, mu);
  out["status"] = "fitted";
  out["coefficients"] = Eigen::VectorXd(result.x.cwiseQuotient(scale));
  out["start"] = Eigen::VectorXd(gamma0.cwiseQuotient(scale));
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  out["message"] = result.message;
  out["trace"] = trace_frame(result.trace);
  out["threads"] = objective.threads();
  return out;
}

// ---- models fitted over (beta, tau) -----------------------------------------
// The negative binomial and custom families (src/joint.h), fitted and
// evaluated here rather than in a file of their own: every translation unit
// that instantiates the solvers and Eigen's products carries 5-7 MB of debug
// information in a -g build, and a second one took the installed package over
// the 20 MB the checks allow (measured: 21.7 MB apart, 18.2 MB together).

namespace {

Rcpp::List joint_fit(mleglm::JointObjective& objective, const Eigen::VectorXd& start,
                     const std::string& method, double tol, int maxit, int max_halvings,
                     bool trace, bool with_expected) {
  const mleglm::SolverResult result = mleglm::make_solver(method)->maximize(
      objective, start, solver_control(tol, maxit, max_halvings), solver_callbacks(trace));
  Rcpp::List out = joint_evaluation(objective, result.x, true, with_expected);
  out["coefficients"] = result.x;
  out["start"] = start;
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  out["message"] = result.message;
  out["trace"] = trace_frame(result.trace);
  return out;
}

}  // namespace

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
