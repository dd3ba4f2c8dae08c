// Boundary for the checks on the model matrix that must not copy it: the
// non-finite entries of each column, and which columns are linearly
// independent of the earlier ones (from X'X over the rows of positive weight,
// formed by the same row accumulator as the fits).

#include <RcppEigen.h>

#include <mleglm/linalg.hpp>
#include <mleglm/row_sums.hpp>

// [[Rcpp::export]]
Rcpp::IntegerVector cpp_nonfinite_per_column(const Eigen::Map<Eigen::MatrixXd> x) {
  Rcpp::IntegerVector counts(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    int count = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) count += !std::isfinite(x(i, j));
    counts[j] = count;
  }
  return counts;
}

// [[Rcpp::export]]
Rcpp::List cpp_independent_columns(const Eigen::Map<Eigen::MatrixXd> x,
                                   const Eigen::Map<Eigen::VectorXd> weights, double tol,
                                   int threads) {
  if (weights.size() != x.rows()) Rcpp::stop("weights must have one value per row of x");
  auto eta_of = [](Eigen::Index, Eigen::Index rows, Eigen::VectorXd& eta) {
    eta.head(rows).setZero();
  };
  auto term_of = [&](Eigen::Index i, double) {
    mleglm::RowTerm t;
    t.weight = weights[i] > 0.0 ? 1.0 : 0.0;
    return t;
  };
  const mleglm::RowSums sums = mleglm::accumulate_rows(
      x, eta_of, term_of, false, true, mleglm::available_threads(threads));
  const mleglm::ColumnCheck check = mleglm::independent_columns(sums.information, tol);
  return Rcpp::List::create(Rcpp::Named("independent") = Rcpp::wrap(check.independent),
                            Rcpp::Named("smallest_ratio") = check.smallest_ratio);
}
