// Boundary for the check on the model matrix that must not copy it: per
// column, the non-finite entries (for the error that names the columns) and
// the largest absolute value (which cpp_fit() takes, so that X is read once
// for both).

#include <RcppEigen.h>

#include <mleglm/linalg.hpp>
#include <mleglm/threads.hpp>

// [[Rcpp::export]]
Rcpp::List cpp_column_check(const Eigen::Map<Eigen::MatrixXd> x, int threads) {
  const mleglm::ColumnSummary summary =
      mleglm::summarise_columns(x, mleglm::available_threads(threads));
  return Rcpp::List::create(Rcpp::Named("nonfinite") = summary.nonfinite,
                            Rcpp::Named("largest") = summary.largest);
}
