// Boundary for the check on the model matrix that must not copy it: the
// non-finite entries of each column.

#include <RcppEigen.h>


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
