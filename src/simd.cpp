// Boundary for the switch between the AVX2 kernels and the portable code
// (mleglm/avx2_kernels.hpp), for tests and benchmarks that compare them.

#include <Rcpp.h>

#include <mleglm/avx2_kernels.hpp>

// [[Rcpp::export]]
Rcpp::LogicalVector cpp_simd(Rcpp::LogicalVector enable) {
  const bool before = mleglm::avx2::active();
  if (enable.size() == 1 && !Rcpp::LogicalVector::is_na(enable[0]))
    mleglm::avx2::allowed().store(enable[0] != 0);
  return Rcpp::LogicalVector::create(Rcpp::Named("available") = mleglm::avx2::available(),
                                     Rcpp::Named("was_active") = before,
                                     Rcpp::Named("active") = mleglm::avx2::active());
}
