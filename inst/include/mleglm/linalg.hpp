#ifndef MLEGLM_LINALG_HPP
#define MLEGLM_LINALG_HPP

// The small dense algebra the core shares: X' diag(w) X in row blocks, a
// guarded solve with a symmetric positive-definite matrix, and exact column
// scales.

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

namespace mleglm {

// X' diag(w) X without forming the n x p product: blocks of rows keep the
// temporary small and in cache. Weights may be negative (observed information).
template <typename MatrixType>
Eigen::MatrixXd weighted_crossprod(const MatrixType& x, const Eigen::VectorXd& w) {
  const Eigen::Index n = x.rows();
  const Eigen::Index p = x.cols();
  const Eigen::Index block = 512;
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(p, p);
  Eigen::MatrixXd scaled(block, p);
  for (Eigen::Index start = 0; start < n; start += block) {
    const Eigen::Index rows = std::min(block, n - start);
    scaled.topRows(rows) = w.segment(start, rows).asDiagonal() * x.middleRows(start, rows);
    out.noalias() += x.middleRows(start, rows).transpose() * scaled.topRows(rows);
  }
  return out;
}

// Solves C d = g for positive-definite C. Returns false (and leaves d alone)
// when C is not numerically positive definite.
inline bool solve_positive_definite(const Eigen::MatrixXd& c, const Eigen::VectorXd& g,
                                    Eigen::VectorXd& d) {
  if (!c.allFinite() || !g.allFinite()) return false;
  Eigen::LLT<Eigen::MatrixXd> llt(c);
  if (llt.info() != Eigen::Success) return false;
  const Eigen::VectorXd diag = llt.matrixLLT().diagonal();
  if (diag.minCoeff() <= 1e-10 * diag.maxCoeff()) return false;  // condition > 1e20
  d = llt.solve(g);
  return d.allFinite();
}

// For each column, the power of two at or just below its largest absolute
// value (1 for a zero or non-finite column). Dividing a column by a power of
// two is exact in floating point, and so are the products, sums and square
// roots of a fit on the scaled columns: the estimates are those of the
// original problem, but X' W X cannot overflow or underflow for columns of
// size 1e150 or 1e-150, and the conditioning test above sees how correlated
// the columns are, not the units they were measured in.
template <typename MatrixType>
Eigen::VectorXd column_scales(const MatrixType& x) {
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double largest = x.rows() > 0 ? x.col(j).cwiseAbs().maxCoeff() : 0.0;
    if (!(largest > 0.0) || !std::isfinite(largest)) continue;
    int exponent = 0;
    std::frexp(largest, &exponent);  // largest = f 2^exponent, f in [1/2, 1)
    scale[j] = std::ldexp(1.0, exponent - 1);
  }
  return scale;
}

}  // namespace mleglm

#endif  // MLEGLM_LINALG_HPP
