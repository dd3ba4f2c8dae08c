#ifndef MLEGLM_AVX2_KERNELS_HPP
#define MLEGLM_AVX2_KERNELS_HPP

// The products of a pass over a block of rows, X beta, X' s and the lower
// triangle of X' diag(w) X, for x86-64 processors with AVX2 and FMA: four
// doubles per instruction and fused multiply-adds, where the portable build
// (what CRAN compiles: SSE2) has two and separate ones. The functions carry
// their own target attribute and are chosen at run time (avx2_available()),
// so the package still runs on any x86-64 and elsewhere compiles without
// them (MLEGLM_HAVE_AVX2_KERNELS is then 0). They use intrinsics and plain
// loops only: an Eigen template compiled for another instruction set in the
// same library could be merged by the linker into code that runs everywhere.
//
// All matrices are column-major; x has leading dimension ld. Sums run over
// rows in groups of four lanes, then the lanes and the remaining rows are
// added in a fixed order, so results do not depend on the thread count.

#include <atomic>
#include <cstddef>

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(MLEGLM_NO_AVX2)
#define MLEGLM_HAVE_AVX2_KERNELS 1
#include <immintrin.h>
#else
#define MLEGLM_HAVE_AVX2_KERNELS 0
#endif

namespace mleglm {
namespace avx2 {

#if MLEGLM_HAVE_AVX2_KERNELS

#define MLEGLM_AVX2_TARGET __attribute__((target("avx2,fma")))

// Whether the processor can run the kernels below.
inline bool available() {
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
}

MLEGLM_AVX2_TARGET inline double lane_sum(__m256d v) {
  const __m128d low = _mm256_castpd256_pd128(v);
  const __m128d high = _mm256_extractf128_pd(v, 1);
  const __m128d pair = _mm_add_pd(low, high);
  return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
}

// eta[r] = sum_k x(r, k) beta[k], for r < rows.
MLEGLM_AVX2_TARGET inline void linear_predictor(const double* x, std::ptrdiff_t ld,
                                                std::ptrdiff_t rows, std::ptrdiff_t p,
                                                const double* beta, double* eta) {
  std::ptrdiff_t r = 0;
  for (; r + 16 <= rows; r += 16) {
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd(),
            a3 = _mm256_setzero_pd();
    for (std::ptrdiff_t k = 0; k < p; ++k) {
      const double* col = x + k * ld + r;
      const __m256d b = _mm256_broadcast_sd(beta + k);
      a0 = _mm256_fmadd_pd(_mm256_loadu_pd(col), b, a0);
      a1 = _mm256_fmadd_pd(_mm256_loadu_pd(col + 4), b, a1);
      a2 = _mm256_fmadd_pd(_mm256_loadu_pd(col + 8), b, a2);
      a3 = _mm256_fmadd_pd(_mm256_loadu_pd(col + 12), b, a3);
    }
    _mm256_storeu_pd(eta + r, a0);
    _mm256_storeu_pd(eta + r + 4, a1);
    _mm256_storeu_pd(eta + r + 8, a2);
    _mm256_storeu_pd(eta + r + 12, a3);
  }
  for (; r + 4 <= rows; r += 4) {
    __m256d a = _mm256_setzero_pd();
    for (std::ptrdiff_t k = 0; k < p; ++k)
      a = _mm256_fmadd_pd(_mm256_loadu_pd(x + k * ld + r), _mm256_broadcast_sd(beta + k), a);
    _mm256_storeu_pd(eta + r, a);
  }
  for (; r < rows; ++r) {
    double a = 0.0;
    for (std::ptrdiff_t k = 0; k < p; ++k) a += x[k * ld + r] * beta[k];
    eta[r] = a;
  }
}

// score[k] += sum_r x(r, k) s[r].
MLEGLM_AVX2_TARGET inline void add_cross_vector(const double* x, std::ptrdiff_t ld,
                                                std::ptrdiff_t rows, std::ptrdiff_t p,
                                                const double* s, double* score) {
  const std::ptrdiff_t full = rows - rows % 4;
  for (std::ptrdiff_t k = 0; k < p; ++k) {
    const double* col = x + k * ld;
    __m256d a = _mm256_setzero_pd();
    for (std::ptrdiff_t r = 0; r < full; r += 4)
      a = _mm256_fmadd_pd(_mm256_loadu_pd(col + r), _mm256_loadu_pd(s + r), a);
    double sum = lane_sum(a);
    for (std::ptrdiff_t r = full; r < rows; ++r) sum += col[r] * s[r];
    score[k] += sum;
  }
}

// info(k, j) += sum_r x(r, k) w[r] x(r, j) for k >= j (info has leading
// dimension ldi); any sign of w. Tiles of two columns j by four columns k
// keep eight sums in registers while the rows stream past.
MLEGLM_AVX2_TARGET inline void add_weighted_cross_products(const double* x, std::ptrdiff_t ld,
                                                           std::ptrdiff_t rows,
                                                           std::ptrdiff_t p, const double* w,
                                                           double* info, std::ptrdiff_t ldi) {
  const std::ptrdiff_t full = rows - rows % 4;
  for (std::ptrdiff_t j = 0; j < p; j += 2) {
    const std::ptrdiff_t j1 = j + 1 < p ? j + 1 : j;  // an odd last column pairs with itself
    const double* xj0 = x + j * ld;
    const double* xj1 = x + j1 * ld;
    for (std::ptrdiff_t k = j; k < p; k += 4) {
      // Columns past the last repeat it; their sums are not stored.
      const double* xk0 = x + k * ld;
      const double* xk1 = x + (k + 1 < p ? k + 1 : p - 1) * ld;
      const double* xk2 = x + (k + 2 < p ? k + 2 : p - 1) * ld;
      const double* xk3 = x + (k + 3 < p ? k + 3 : p - 1) * ld;
      __m256d s00 = _mm256_setzero_pd(), s01 = _mm256_setzero_pd(), s02 = _mm256_setzero_pd(),
              s03 = _mm256_setzero_pd(), s10 = _mm256_setzero_pd(), s11 = _mm256_setzero_pd(),
              s12 = _mm256_setzero_pd(), s13 = _mm256_setzero_pd();
      for (std::ptrdiff_t r = 0; r < full; r += 4) {
        const __m256d wr = _mm256_loadu_pd(w + r);
        const __m256d a0 = _mm256_mul_pd(wr, _mm256_loadu_pd(xj0 + r));
        const __m256d a1 = _mm256_mul_pd(wr, _mm256_loadu_pd(xj1 + r));
        const __m256d b0 = _mm256_loadu_pd(xk0 + r);
        const __m256d b1 = _mm256_loadu_pd(xk1 + r);
        const __m256d b2 = _mm256_loadu_pd(xk2 + r);
        const __m256d b3 = _mm256_loadu_pd(xk3 + r);
        s00 = _mm256_fmadd_pd(a0, b0, s00);
        s01 = _mm256_fmadd_pd(a0, b1, s01);
        s02 = _mm256_fmadd_pd(a0, b2, s02);
        s03 = _mm256_fmadd_pd(a0, b3, s03);
        s10 = _mm256_fmadd_pd(a1, b0, s10);
        s11 = _mm256_fmadd_pd(a1, b1, s11);
        s12 = _mm256_fmadd_pd(a1, b2, s12);
        s13 = _mm256_fmadd_pd(a1, b3, s13);
      }
      double sums[2][4] = {{lane_sum(s00), lane_sum(s01), lane_sum(s02), lane_sum(s03)},
                           {lane_sum(s10), lane_sum(s11), lane_sum(s12), lane_sum(s13)}};
      const double* xk[4] = {xk0, xk1, xk2, xk3};
      for (std::ptrdiff_t r = full; r < rows; ++r) {
        const double a0 = w[r] * xj0[r], a1 = w[r] * xj1[r];
        for (int t = 0; t < 4; ++t) {
          sums[0][t] += a0 * xk[t][r];
          sums[1][t] += a1 * xk[t][r];
        }
      }
      for (std::ptrdiff_t t = 0; t < 4 && k + t < p; ++t) {
        info[(k + t) + j * ldi] += sums[0][t];
        if (j1 != j && k + t >= j1) info[(k + t) + j1 * ldi] += sums[1][t];
      }
    }
  }
}

#undef MLEGLM_AVX2_TARGET

#else

inline bool available() { return false; }

#endif

// A switch for comparing the two paths (tests, benchmarks): when off, the
// portable Eigen code runs even where the kernels could.
inline std::atomic<bool>& allowed() {
  static std::atomic<bool> flag{true};
  return flag;
}

// Whether passes use the kernels above.
inline bool active() { return available() && allowed().load(std::memory_order_relaxed); }

}  // namespace avx2
}  // namespace mleglm

#endif  // MLEGLM_AVX2_KERNELS_HPP
