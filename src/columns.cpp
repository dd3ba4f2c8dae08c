// Boundary for the check on the model matrix that must not copy it: the
// non-finite entries of each column.

#include <RcppEigen.h>


// [[Rcpp::export]]
Rcpp::IntegerVector cpp_nonfinite_per_column(const Eigen::Map<Eigen::MatrixXd> x) {
  Rcpp::IntegerVector counts(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    // x * 0 is 0 for finite x and NaN otherwise: a vectorised sum tells
    // whether the column needs counting at all.
    if (!std::isnan((x.col(j).array() * 0.0).sum())) continue;
    int count = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) count += !std::isfinite(x(i, j));
    counts[j] = count;
  }
  return counts;
}
