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
#include <cmath>
#include <cstddef>

#include "math.hpp"

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

// exp(x) for |x| <= 700, four at a time: Cephes' rational approximation
// with the range reduction x = g + n log 2, as Eigen's packet exp.
MLEGLM_AVX2_TARGET inline __m256d exp4(__m256d x) {
  const __m256d fx = _mm256_floor_pd(
      _mm256_fmadd_pd(x, _mm256_set1_pd(1.4426950408889634073599), _mm256_set1_pd(0.5)));
  x = _mm256_fnmadd_pd(fx, _mm256_set1_pd(0.693145751953125), x);
  x = _mm256_fnmadd_pd(fx, _mm256_set1_pd(1.42860682030941723212e-6), x);
  const __m256d x2 = _mm256_mul_pd(x, x);
  __m256d px = _mm256_fmadd_pd(_mm256_set1_pd(1.26177193074810590878e-4), x2,
                               _mm256_set1_pd(3.02994407707441961300e-2));
  px = _mm256_fmadd_pd(px, x2, _mm256_set1_pd(9.99999999999999999910e-1));
  px = _mm256_mul_pd(px, x);
  __m256d qx = _mm256_fmadd_pd(_mm256_set1_pd(3.00198505138664455042e-6), x2,
                               _mm256_set1_pd(2.52448340349684104192e-3));
  qx = _mm256_fmadd_pd(qx, x2, _mm256_set1_pd(2.27265548208155028766e-1));
  qx = _mm256_fmadd_pd(qx, x2, _mm256_set1_pd(2.00000000000000000009e0));
  const __m256d ratio = _mm256_div_pd(px, _mm256_sub_pd(qx, px));
  const __m256d mantissa = _mm256_fmadd_pd(_mm256_set1_pd(2.0), ratio, _mm256_set1_pd(1.0));
  // 2^n from the exponent bits.
  const __m256i n = _mm256_cvtepi32_epi64(_mm256_cvttpd_epi32(fx));
  const __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(n, _mm256_set1_epi64x(1023)), 52);
  return _mm256_mul_pd(mantissa, _mm256_castsi256_pd(bits));
}

// log1p(x) for x in [0, 1], four at a time, by log1p_unit's series.
MLEGLM_AVX2_TARGET inline __m256d log1p_unit4(__m256d x) {
  const __m256d s = _mm256_div_pd(x, _mm256_add_pd(x, _mm256_set1_pd(2.0)));
  const __m256d z = _mm256_mul_pd(s, s);
  __m256d series = _mm256_set1_pd(1.0 / 33.0);
  for (int k = 15; k >= 0; --k)
    series = _mm256_fmadd_pd(series, z, _mm256_set1_pd(1.0 / (2 * k + 1)));
  return _mm256_mul_pd(_mm256_add_pd(s, s), series);
}

// The logistic model's rows (block_terms.hpp has the formulas) for rows the
// caller has checked: positive weight and |eta| <= 30. Fills score and
// weight, and adds sum w (log1p(exp(-|eta|)) + y max(-eta, 0) + (1 - y)
// max(eta, 0)) to deviance (half the deviance, without the y log y terms)
// and sum w (y - mu)^2 / V to pearson.
MLEGLM_AVX2_TARGET inline void logistic_terms(const double* eta, const double* y, const double* w,
                                              std::ptrdiff_t rows, double* score, double* weight,
                                              double& deviance, double& pearson) {
  const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
  __m256d dev = zero, pear = zero;
  const std::ptrdiff_t full = rows - rows % 4;
  for (std::ptrdiff_t r = 0; r < full; r += 4) {
    const __m256d e = _mm256_loadu_pd(eta + r);
    const __m256d yy = _mm256_loadu_pd(y + r);
    const __m256d ww = _mm256_loadu_pd(w + r);
    const __m256d big_e = exp4(_mm256_sub_pd(zero, e));
    const __m256d mu = _mm256_div_pd(one, _mm256_add_pd(one, big_e));
    const __m256d variance = _mm256_mul_pd(mu, _mm256_mul_pd(big_e, mu));
    const __m256d resid = _mm256_sub_pd(yy, mu);
    _mm256_storeu_pd(score + r, _mm256_mul_pd(ww, resid));
    _mm256_storeu_pd(weight + r, _mm256_mul_pd(ww, variance));
    pear = _mm256_fmadd_pd(_mm256_mul_pd(ww, resid), _mm256_div_pd(resid, variance), pear);
    const __m256d smaller = _mm256_min_pd(big_e, _mm256_div_pd(one, big_e));
    const __m256d positive = _mm256_max_pd(e, zero);
    const __m256d negative = _mm256_max_pd(_mm256_sub_pd(zero, e), zero);
    __m256d unit = _mm256_fmadd_pd(yy, negative, log1p_unit4(smaller));
    unit = _mm256_fmadd_pd(_mm256_sub_pd(one, yy), positive, unit);
    dev = _mm256_fmadd_pd(ww, unit, dev);
  }
  double d = lane_sum(dev), q = lane_sum(pear);
  for (std::ptrdiff_t r = full; r < rows; ++r) {
    const double big_e = std::exp(-eta[r]);
    const double mu = 1.0 / (1.0 + big_e);
    const double variance = mu * (big_e * mu);
    const double resid = y[r] - mu;
    score[r] = w[r] * resid;
    weight[r] = w[r] * variance;
    q += w[r] * resid * (resid / variance);
    const double smaller = big_e < 1.0 ? big_e : 1.0 / big_e;
    d += w[r] * (log1p_unit(smaller) + y[r] * (eta[r] < 0.0 ? -eta[r] : 0.0) +
                 (1.0 - y[r]) * (eta[r] > 0.0 ? eta[r] : 0.0));
  }
  deviance += d;
  pearson += q;
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
