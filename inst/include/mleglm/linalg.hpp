#ifndef MLEGLM_LINALG_HPP
#define MLEGLM_LINALG_HPP

// The small dense algebra the core shares: X' diag(w) X in row blocks and a
// guarded solve with a symmetric positive-definite matrix.

#include <algorithm>

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

}  // namespace mleglm

#endif  // MLEGLM_LINALG_HPP
