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
// needs no copy of X.
template <typename MatrixType>
Eigen::VectorXd column_scales(const MatrixType& x) {
  const double big = std::ldexp(1.0, 64), small = std::ldexp(1.0, -64);
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double largest = x.rows() > 0 ? x.col(j).cwiseAbs().maxCoeff() : 0.0;
    if (!(largest > 0.0) || !std::isfinite(largest)) continue;
    if (largest >= small && largest <= big) continue;
    int exponent = 0;
    std::frexp(largest, &exponent);  // largest = f 2^exponent, f in [1/2, 1)
    scale[j] = std::ldexp(1.0, exponent - 1);
  }
  return scale;
}

}  // namespace mleglm

#endif  // MLEGLM_LINALG_HPP
