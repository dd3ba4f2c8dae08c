#ifndef MLEGLM_SRC_MODEL_INPUTS_H
#define MLEGLM_SRC_MODEL_INPUTS_H

// What the fitting entry points read before a fit: the check on the model
// matrix that must not copy it (per column, the non-finite entries, for the
// error that names the columns, and the largest absolute value, which the
// fit takes for its column scaling, so that X is read once for both), and
// the switch between the AVX2 kernels and the portable code
// (mleglm/avx2_kernels.hpp) that tests and benchmarks use to compare them.

#include <RcppEigen.h>

#include <mleglm/avx2_kernels.hpp>
#include <mleglm/linalg.hpp>
#include <mleglm/threads.hpp>

inline Rcpp::List column_check(const Eigen::Map<Eigen::MatrixXd>& x, int threads) {
  const mleglm::ColumnSummary summary =
      mleglm::summarise_columns(x, mleglm::available_threads(threads));
  return Rcpp::List::create(Rcpp::Named("nonfinite") = summary.nonfinite,
                            Rcpp::Named("largest") = summary.largest);
}

inline Rcpp::LogicalVector simd_switch(const Rcpp::LogicalVector& enable) {
  const bool before = mleglm::avx2::active();
  if (enable.size() == 1 && !Rcpp::LogicalVector::is_na(enable[0]))
    mleglm::avx2::allowed().store(enable[0] != 0);
  return Rcpp::LogicalVector::create(Rcpp::Named("available") = mleglm::avx2::available(),
                                     Rcpp::Named("was_active") = before,
                                     Rcpp::Named("active") = mleglm::avx2::active());
}

#endif  // MLEGLM_SRC_MODEL_INPUTS_H
