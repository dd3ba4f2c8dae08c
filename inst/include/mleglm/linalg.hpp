#ifndef MLEGLM_LINALG_HPP
#define MLEGLM_LINALG_HPP

// The small dense algebra the core shares: a guarded, scaled solve with a
// symmetric positive-definite matrix, the detection of linearly dependent
// columns from a Gram matrix, and exact column scales.

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Dense>

namespace mleglm {

// Solves C d = g for positive-definite C. The Cholesky factor is taken of
// S C S with S = diag(C)^-1/2, so that columns on wildly different scales
// (x and x^5, say) cost no accuracy. Returns false (and leaves d alone) when
// C is not numerically positive definite. `condition`, if given, receives an
// estimate of the condition number of S C S: (max L_ii / min L_ii)^2.
inline bool solve_positive_definite(const Eigen::MatrixXd& c, const Eigen::VectorXd& g,
                                    Eigen::VectorXd& d, double* condition = nullptr) {
  if (c.rows() != g.size() || !c.allFinite() || !g.allFinite()) return false;
  if (c.rows() == 0) {
    d = g;
    return true;
  }
  const Eigen::VectorXd diag = c.diagonal();
  if (!(diag.minCoeff() > 0.0)) return false;
  const Eigen::VectorXd s = diag.cwiseSqrt().cwiseInverse();
  const Eigen::MatrixXd scaled = s.asDiagonal() * c * s.asDiagonal();
  Eigen::LLT<Eigen::MatrixXd> llt(scaled);
  if (llt.info() != Eigen::Success) return false;
  const Eigen::VectorXd l_diag = llt.matrixLLT().diagonal();
  if (l_diag.minCoeff() <= 1e-10 * l_diag.maxCoeff()) return false;  // condition > 1e20
  if (condition != nullptr) {
    const double ratio = l_diag.maxCoeff() / l_diag.minCoeff();
    *condition = ratio * ratio;
  }
  d = s.asDiagonal() * llt.solve(s.asDiagonal() * g);
  return d.allFinite();
}

struct ColumnCheck {
  std::vector<bool> independent;
  // Smallest |r_jj| / ||x_j|| among the kept columns: the sine of the angle
  // between a column and the span of the earlier ones.
  double smallest_ratio = 1.0;
};

// Cholesky of the Gram matrix X'X column by column, in the given order, as
// R's dqrdc2 pivots: a column whose residual norm after projection on the
// kept earlier columns is at most tol times its own norm is dependent and is
// left out. Forming X'X loses digits only for ratios near sqrt(epsilon), so a
// caller that sees a small `smallest_ratio` should confirm with a QR.
inline ColumnCheck independent_columns(const Eigen::MatrixXd& gram, double tol) {
  const Eigen::Index p = gram.rows();
  ColumnCheck check;
  check.independent.assign(static_cast<std::size_t>(p), false);
  Eigen::MatrixXd l = Eigen::MatrixXd::Zero(p, p);
  std::vector<Eigen::Index> kept;
  for (Eigen::Index j = 0; j < p; ++j) {
    const double norm2 = gram(j, j);
    if (!(norm2 > 0.0)) continue;  // a column of zeros
    double residual2 = norm2;
    for (std::size_t a = 0; a < kept.size(); ++a) {
      const Eigen::Index k = kept[a];
      double v = gram(j, k);
      for (std::size_t b = 0; b < a; ++b) v -= l(j, kept[b]) * l(k, kept[b]);
      l(j, k) = v / l(k, k);
      residual2 -= l(j, k) * l(j, k);
    }
    const double ratio = std::sqrt(std::max(residual2, 0.0) / norm2);
    if (ratio <= tol) continue;
    l(j, j) = std::sqrt(residual2);
    kept.push_back(j);
    check.independent[static_cast<std::size_t>(j)] = true;
    check.smallest_ratio = std::min(check.smallest_ratio, ratio);
  }
  return check;
}

// For each column whose largest absolute value lies outside [2^-64, 2^64],
// the power of two at or just below it; 1 for every other column (and for a
// zero or non-finite one). Dividing a column by a power of two is exact in
// floating point, so a fit on the scaled columns is that of the original
// problem, but X' W X cannot overflow or underflow for columns of size 1e150
// or 1e-150. Columns of ordinary size are left alone, so that the usual fit
// needs no copy of X. From each column's largest absolute value, or from X.
inline Eigen::VectorXd column_scales_from_largest(const Eigen::VectorXd& largest) {
  const double big = std::ldexp(1.0, 64), small = std::ldexp(1.0, -64);
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(largest.size());
  for (Eigen::Index j = 0; j < largest.size(); ++j) {
    if (!(largest[j] > 0.0) || !std::isfinite(largest[j])) continue;
    if (largest[j] >= small && largest[j] <= big) continue;
    int exponent = 0;
    std::frexp(largest[j], &exponent);  // largest = f 2^exponent, f in [1/2, 1)
    scale[j] = std::ldexp(1.0, exponent - 1);
  }
  return scale;
}

// What one pass over each column of X finds: its largest absolute value and
// how many entries are not finite. Columns are shared among threads; each is
// read by one, so the result does not depend on their number.
struct ColumnSummary {
  Eigen::VectorXd largest;
  Eigen::VectorXi nonfinite;
};

template <typename MatrixType>
ColumnSummary summarise_columns(const MatrixType& x, int threads = 1) {
  const Eigen::Index n = x.rows(), p = x.cols();
  ColumnSummary out{Eigen::VectorXd::Zero(p), Eigen::VectorXi::Zero(p)};
  const int team = n * p >= 200000 ? std::max(threads, 1) : 1;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(team)
#else
  (void)team;
#endif
  for (Eigen::Index j = 0; j < p; ++j) {
    // Segments small enough to stay in cache between Eigen's two vectorised
    // reductions: the largest |x| and the sum of x * 0, which is 0 for finite
    // x and NaN otherwise. Entries are counted only if a sum says there is
    // something to count. (A NaN makes the maximum unspecified; such a
    // column is an error anyway.)
    const auto column = x.col(j);
    double largest = 0.0, zero = 0.0;
    for (Eigen::Index first = 0; first < n; first += 4096) {
      const auto segment = column.segment(first, std::min<Eigen::Index>(4096, n - first));
      largest = std::max(largest, segment.cwiseAbs().maxCoeff());
      zero += (segment.array() * 0.0).sum();
    }
    out.largest[j] = largest;
    if (!std::isnan(zero)) continue;
    int count = 0;
    for (Eigen::Index i = 0; i < n; ++i) count += !std::isfinite(column[i]);
    out.nonfinite[j] = count;
  }
  return out;
}

template <typename MatrixType>
Eigen::VectorXd column_scales(const MatrixType& x) {
  return column_scales_from_largest(summarise_columns(x).largest);
}

}  // namespace mleglm

#endif  // MLEGLM_LINALG_HPP
