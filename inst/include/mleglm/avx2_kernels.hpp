#ifndef MLEGLM_AVX2_KERNELS_HPP
#define MLEGLM_AVX2_KERNELS_HPP

// The products of a pass over a block of rows, X beta, X' s and the lower
// triangle of X' diag(w) X, for x86-64 processors with AVX2 and FMA: four
// doubles per instruction and fused multiply-adds, where the portable build
// (what CRAN compiles: SSE2) has two and separate ones. The functions carry
// their own target attribute and are chosen at run time (available(), below),
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

// score[k] += sum_r x(r, k) s[r], four columns at a time: four independent
// sums keep the multiply-adds in flight (one sum per column waits out each
// one's latency) and each load of s serves four columns.
MLEGLM_AVX2_TARGET inline void add_cross_vector(const double* x, std::ptrdiff_t ld,
                                                std::ptrdiff_t rows, std::ptrdiff_t p,
                                                const double* s, double* score) {
  const std::ptrdiff_t full = rows - rows % 4;
  for (std::ptrdiff_t k = 0; k < p; k += 4) {
    // Columns past the last repeat it; their sums are not stored.
    const double* cols[4] = {x + k * ld, x + (k + 1 < p ? k + 1 : p - 1) * ld,
                             x + (k + 2 < p ? k + 2 : p - 1) * ld,
                             x + (k + 3 < p ? k + 3 : p - 1) * ld};
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd(),
            a3 = _mm256_setzero_pd();
    for (std::ptrdiff_t r = 0; r < full; r += 4) {
      const __m256d sr = _mm256_loadu_pd(s + r);
      a0 = _mm256_fmadd_pd(_mm256_loadu_pd(cols[0] + r), sr, a0);
      a1 = _mm256_fmadd_pd(_mm256_loadu_pd(cols[1] + r), sr, a1);
      a2 = _mm256_fmadd_pd(_mm256_loadu_pd(cols[2] + r), sr, a2);
      a3 = _mm256_fmadd_pd(_mm256_loadu_pd(cols[3] + r), sr, a3);
    }
    double sums[4] = {lane_sum(a0), lane_sum(a1), lane_sum(a2), lane_sum(a3)};
    for (std::ptrdiff_t r = full; r < rows; ++r)
      for (int t = 0; t < 4; ++t) sums[t] += cols[t][r] * s[r];
    for (std::ptrdiff_t t = 0; t < 4 && k + t < p; ++t) score[k + t] += sums[t];
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

// Polynomials are evaluated by Estrin's scheme, pairs of terms combined with
// powers of the argument: a few dependent steps rather than one per term, so
// the rows of a block overlap in the processor. Coefficients are written out:
// GCC at -O2 does not unroll a loop that computes them, and a division per
// term then dominates the kernel.

MLEGLM_AVX2_TARGET inline __m256d fmadd(__m256d a, __m256d b, __m256d c) {
  return _mm256_fmadd_pd(a, b, c);
}
MLEGLM_AVX2_TARGET inline __m256d broadcast(double v) { return _mm256_set1_pd(v); }

// exp(x) for -700 <= x <= 700, four at a time: x = r + n log 2 with |r| <=
// log(2) / 2 (log 2 in two parts, Cephes' split, so r is exact to rounding),
// then Taylor's polynomial of degree 13 in r, whose remainder is below
// 2e-16 relative, times 2^n from the exponent bits. No division.
MLEGLM_AVX2_TARGET inline __m256d exp4(__m256d x) {
  const __m256d n = _mm256_round_pd(_mm256_mul_pd(x, broadcast(1.4426950408889634073599)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(n, broadcast(0.693145751953125), x);
  r = _mm256_fnmadd_pd(n, broadcast(1.42860682030941723212e-6), r);
  const __m256d r2 = _mm256_mul_pd(r, r), r4 = _mm256_mul_pd(r2, r2), r8 = _mm256_mul_pd(r4, r4);
  // Pairs c_k + c_{k+1} r with c_k = 1 / k!.
  const __m256d p01 = fmadd(r, broadcast(1.0), broadcast(1.0));
  const __m256d p23 = fmadd(r, broadcast(1.0 / 6), broadcast(1.0 / 2));
  const __m256d p45 = fmadd(r, broadcast(1.0 / 120), broadcast(1.0 / 24));
  const __m256d p67 = fmadd(r, broadcast(1.0 / 5040), broadcast(1.0 / 720));
  const __m256d p89 = fmadd(r, broadcast(1.0 / 362880), broadcast(1.0 / 40320));
  const __m256d p1011 = fmadd(r, broadcast(1.0 / 39916800), broadcast(1.0 / 3628800));
  const __m256d p1213 = fmadd(r, broadcast(1.0 / 6227020800.0), broadcast(1.0 / 479001600));
  const __m256d p03 = fmadd(r2, p23, p01), p47 = fmadd(r2, p67, p45),
                p811 = fmadd(r2, p1011, p89);
  const __m256d p07 = fmadd(r4, p47, p03), p813 = fmadd(r4, p1213, p811);
  const __m256d poly = fmadd(r8, p813, p07);
  const __m256i k = _mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(n));
  const __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(k, _mm256_set1_epi64x(1023)), 52);
  return _mm256_mul_pd(poly, _mm256_castsi256_pd(bits));
}

// log1p(x) = 2 atanh(t) with t = x / (2 + x) <= 1/3 for x in [0, 1], by
// log1p_unit's series in z = t^2 (terms z^k / (2k + 1), k <= 16), four at a
// time; the caller supplies t.
MLEGLM_AVX2_TARGET inline __m256d log1p_from_ratio4(__m256d t) {
  const __m256d z = _mm256_mul_pd(t, t);
  const __m256d z2 = _mm256_mul_pd(z, z), z4 = _mm256_mul_pd(z2, z2), z8 = _mm256_mul_pd(z4, z4),
                z16 = _mm256_mul_pd(z8, z8);
  const __m256d a0 = fmadd(z, broadcast(1.0 / 3), broadcast(1.0));
  const __m256d a1 = fmadd(z, broadcast(1.0 / 7), broadcast(1.0 / 5));
  const __m256d a2 = fmadd(z, broadcast(1.0 / 11), broadcast(1.0 / 9));
  const __m256d a3 = fmadd(z, broadcast(1.0 / 15), broadcast(1.0 / 13));
  const __m256d a4 = fmadd(z, broadcast(1.0 / 19), broadcast(1.0 / 17));
  const __m256d a5 = fmadd(z, broadcast(1.0 / 23), broadcast(1.0 / 21));
  const __m256d a6 = fmadd(z, broadcast(1.0 / 27), broadcast(1.0 / 25));
  const __m256d a7 = fmadd(z, broadcast(1.0 / 31), broadcast(1.0 / 29));
  const __m256d b0 = fmadd(z2, a1, a0), b1 = fmadd(z2, a3, a2), b2 = fmadd(z2, a5, a4),
                b3 = fmadd(z2, a7, a6);
  const __m256d c0 = fmadd(z4, b1, b0), c1 = fmadd(z4, b3, b2);
  const __m256d series = fmadd(z16, broadcast(1.0 / 33), fmadd(z8, c1, c0));
  return _mm256_mul_pd(_mm256_add_pd(t, t), series);
}

// The logistic model's rows (block_terms.hpp has the formulas). Fills score
// and weight, and sets deviance to sum w (log1p(exp(-|eta|)) + y max(-eta,
// 0) + (1 - y) max(eta, 0)) (half the deviance, without the y log y terms),
// pearson to sum w (y - mu)^2 / V, and fractional to whether some y is
// strictly between 0 and 1. Returns false, with the outputs unspecified, at
// the first row with a weight that is not positive or |eta| > 30 (where R
// clamps the mean): those blocks need the generic code. The checks ride
// along in the same pass.
//
// Everything follows from s = exp(-|eta|) in (0, 1] and d = 1 + s: the mean
// at -|eta| is s / d, that at |eta| is 1 / d, V = s / d^2, 1 / V = d^2 / s and
// log1p(s) needs s / (2 + s). The three reciprocals come from one division,
// q = 1 / (s d (2 + s)), each within a few units in the last place.
MLEGLM_AVX2_TARGET inline bool logistic_terms(const double* eta, const double* y, const double* w,
                                              std::ptrdiff_t rows, double* score, double* weight,
                                              double& deviance, double& pearson,
                                              bool& fractional) {
  const __m256d one = broadcast(1.0), two = broadcast(2.0), zero = _mm256_setzero_pd();
  const __m256d sign_bit = broadcast(-0.0), limit = broadcast(-30.0);
  __m256d dev = zero, pear = zero;
  // Lanes with 0 < y < 1.
  __m256d between = zero;
  const std::ptrdiff_t full = rows - rows % 4;
  for (std::ptrdiff_t r = 0; r < full; r += 4) {
    const __m256d e = _mm256_loadu_pd(eta + r);
    const __m256d yy = _mm256_loadu_pd(y + r);
    const __m256d ww = _mm256_loadu_pd(w + r);
    const __m256d minus_abs = _mm256_or_pd(e, sign_bit);  // -|eta|
    // Not (-|eta| >= -30 and w > 0), which is also true for NaN: the block
    // needs the generic code, so stop at once.
    const __m256d outside = _mm256_or_pd(_mm256_cmp_pd(minus_abs, limit, _CMP_NGE_UQ),
                                         _mm256_cmp_pd(ww, zero, _CMP_NGT_UQ));
    if (_mm256_movemask_pd(outside) != 0) return false;
    between = _mm256_or_pd(between, _mm256_cmp_pd(_mm256_mul_pd(yy, _mm256_sub_pd(one, yy)),
                                                  zero, _CMP_NEQ_UQ));
    const __m256d s = exp4(minus_abs);  // exp(-|eta|)
    const __m256d d = _mm256_add_pd(one, s), s2 = _mm256_add_pd(two, s);
    const __m256d sd = _mm256_mul_pd(s, d);
    const __m256d q = _mm256_div_pd(one, _mm256_mul_pd(sd, s2));
    const __m256d inv_d = _mm256_mul_pd(_mm256_mul_pd(s, s2), q);
    const __m256d ratio = _mm256_mul_pd(_mm256_mul_pd(s, sd), q);  // s / (2 + s)
    const __m256d mu_low = _mm256_mul_pd(s, inv_d);                // mean at -|eta|
    const __m256d variance = _mm256_mul_pd(mu_low, inv_d);
    const __m256d inv_variance =
        _mm256_mul_pd(_mm256_mul_pd(d, d), _mm256_mul_pd(_mm256_mul_pd(d, s2), q));
    // y - mu, for eta >= 0 as (y - 1) + (1 - mu) with 1 - mu = mu_low: no
    // digits lost where mu is near 1 (R's y - mu loses them there).
    const __m256d resid =
        _mm256_blendv_pd(_mm256_sub_pd(yy, mu_low), _mm256_add_pd(_mm256_sub_pd(yy, one), mu_low),
                         _mm256_cmp_pd(e, zero, _CMP_GE_OQ));
    const __m256d weighted_resid = _mm256_mul_pd(ww, resid);
    _mm256_storeu_pd(score + r, weighted_resid);
    _mm256_storeu_pd(weight + r, _mm256_mul_pd(ww, variance));
    pear = fmadd(_mm256_mul_pd(weighted_resid, resid), inv_variance, pear);
    const __m256d positive = _mm256_max_pd(e, zero);
    const __m256d negative = _mm256_max_pd(_mm256_sub_pd(zero, e), zero);
    __m256d unit = fmadd(yy, negative, log1p_from_ratio4(ratio));
    unit = fmadd(_mm256_sub_pd(one, yy), positive, unit);
    dev = fmadd(ww, unit, dev);
  }
  fractional = _mm256_movemask_pd(between) != 0;
  double d = lane_sum(dev), q = lane_sum(pear);
  // The last rows one at a time, by the same formulas.
  for (std::ptrdiff_t r = full; r < rows; ++r) {
    if (!(w[r] > 0.0) || !(std::fabs(eta[r]) <= 30.0)) return false;
    fractional = fractional || y[r] * (1.0 - y[r]) != 0.0;
    const double s = std::exp(-std::fabs(eta[r]));
    const double inv_d = 1.0 / (1.0 + s);
    const double mu_low = s * inv_d;
    const double variance = mu_low * inv_d;
    const double resid = eta[r] >= 0.0 ? (y[r] - 1.0) + mu_low : y[r] - mu_low;
    score[r] = w[r] * resid;
    weight[r] = w[r] * variance;
    q += w[r] * resid * resid / variance;
    d += w[r] * (log1p_unit(s) + y[r] * (eta[r] < 0.0 ? -eta[r] : 0.0) +
                 (1.0 - y[r]) * (eta[r] > 0.0 ? eta[r] : 0.0));
  }
  deviance = d;
  pearson = q;
  return true;
}

// The logistic means e / (1 + e) with e = exp(eta), as R's linkinv, for
// rows with |eta| <= 30 (the caller checks).
MLEGLM_AVX2_TARGET inline void logistic_means(const double* eta, std::ptrdiff_t rows, double* mu) {
  const __m256d one = broadcast(1.0);
  const std::ptrdiff_t full = rows - rows % 4;
  for (std::ptrdiff_t r = 0; r < full; r += 4) {
    const __m256d odds = exp4(_mm256_loadu_pd(eta + r));
    _mm256_storeu_pd(mu + r, _mm256_div_pd(odds, _mm256_add_pd(one, odds)));
  }
  for (std::ptrdiff_t r = full; r < rows; ++r) {
    const double odds = std::exp(eta[r]);
    mu[r] = odds / (1.0 + odds);
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
