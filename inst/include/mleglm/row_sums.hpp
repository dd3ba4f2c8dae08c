#ifndef MLEGLM_ROW_SUMS_HPP
#define MLEGLM_ROW_SUMS_HPP

// The one accumulator every GLM computation goes through: a single pass over
// the rows of X, in blocks that stay in cache, that forms the linear
// predictor, asks a block function for the rows' deviance and Pearson terms,
// score terms l_eta and curvature weights, and adds up
//
//   deviance,  Pearson's statistic,  U = X' l_eta,  I = X' diag(weight) X.
//
// These are sums, so they also add up across chunks of rows held elsewhere.
// Blocks are grouped into a fixed number of chunks that depends on n and p
// only; threads take whole chunks and the chunk totals are added in order, so
// the result is the same, to the last bit, for any number of threads.

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Dense>

#include "avx2_kernels.hpp"
#include "block_terms.hpp"
#include "threads.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace mleglm {

struct RowSums {
  bool ok = true;                // every row with positive weight was valid
  double deviance = 0.0;
  double pearson = 0.0;          // sum w (y - mu)^2 / V(mu)
  Eigen::VectorXd score;         // X' l_eta
  Eigen::MatrixXd information;   // X' diag(weight) X, symmetric

  RowSums() = default;
  RowSums(Eigen::Index p, bool with_score, bool with_information)
      : score(with_score ? Eigen::VectorXd::Zero(p) : Eigen::VectorXd()),
        information(with_information ? Eigen::MatrixXd::Zero(p, p) : Eigen::MatrixXd()) {}

  void add(const RowSums& other) {
    ok = ok && other.ok;
    deviance += other.deviance;
    pearson += other.pearson;
    if (score.size() > 0) score += other.score;
    if (information.size() > 0) information += other.information;
  }
};

// eta = X[first:first+rows, ] beta, through the AVX2 kernel where it runs.
template <typename MatrixType>
void block_linear_predictor(const MatrixType& x, Eigen::Index first, Eigen::Index rows,
                            const Eigen::VectorXd& beta, double* eta) {
#if MLEGLM_HAVE_AVX2_KERNELS
  if (avx2::active()) {
    avx2::linear_predictor(x.data() + first, x.outerStride(), rows, x.cols(), beta.data(), eta);
    return;
  }
#endif
  Eigen::Map<Eigen::VectorXd>(eta, rows).noalias() = x.middleRows(first, rows) * beta;
}

// Rows per block: about 128 KB of X, so a block read for the linear
// predictor is still in cache for the score and the information.
inline Eigen::Index block_rows(Eigen::Index p) {
  return std::max<Eigen::Index>(64, std::min<Eigen::Index>(4096, 16384 / std::max<Eigen::Index>(p, 1)));
}

// `eta_of(first_row, rows, eta_block)` fills the linear predictor of a block;
// `terms_of(first_row, rows, eta, score, weight, block_sums)` fills the score
// terms and curvature weights of its rows and adds their deviance and Pearson
// terms to block_sums, clearing its `ok` for a row outside the parameter
// space (which makes the whole evaluation invalid). With `eta_out`, the
// linear predictor is also written there.
template <typename MatrixType, typename EtaOf, typename TermsOf>
RowSums accumulate_rows(const MatrixType& x, EtaOf eta_of, TermsOf terms_of, bool with_score,
                        bool with_information, int threads, Eigen::VectorXd* eta_out = nullptr) {
  const Eigen::Index n = x.rows();
  const Eigen::Index p = x.cols();
  const Eigen::Index block = block_rows(p);
  const Eigen::Index n_blocks = (n + block - 1) / block;
  const Eigen::Index n_chunks = std::min<Eigen::Index>(n_blocks, 64);
  std::vector<RowSums> chunks(static_cast<std::size_t>(n_chunks));

  // Threads pay only for enough work; below that they cost more to start
  // than they save.
  const int team = n * p >= 200000 ? std::max(threads, 1) : 1;
  // The AVX2 kernels where the processor has them (avx2_kernels.hpp).
  const bool simd = avx2::active();
  (void)simd;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(team)
#else
  (void)team;
#endif
  for (Eigen::Index c = 0; c < n_chunks; ++c) {
    RowSums sums(p, with_score, with_information);
    Eigen::VectorXd eta(block), score(block), weight(block), root(block);
    Eigen::MatrixXd scaled(simd ? 0 : block, p);  // the portable path's workspace
    BlockSums block_sums;
    for (Eigen::Index b = c * n_blocks / n_chunks; b < (c + 1) * n_blocks / n_chunks; ++b) {
      const Eigen::Index first = b * block;
      const Eigen::Index rows = std::min(block, n - first);
      eta_of(first, rows, eta);
      if (eta_out != nullptr) eta_out->segment(first, rows) = eta.head(rows);
      terms_of(first, rows, eta.data(), score.data(), weight.data(), block_sums);
      if (!block_sums.ok) {
        sums.ok = false;
        break;
      }
      const auto x_block = x.middleRows(first, rows);
#if MLEGLM_HAVE_AVX2_KERNELS
      if (simd) {
        if (with_score)
          avx2::add_cross_vector(x.data() + first, x.outerStride(), rows, p, score.data(),
                                 sums.score.data());
        if (with_information)
          avx2::add_weighted_cross_products(x.data() + first, x.outerStride(), rows, p,
                                            weight.data(), sums.information.data(), p);
        continue;
      }
#endif
      if (with_score) sums.score.noalias() += x_block.transpose() * score.head(rows);
      if (with_information && p <= 16) {
        // Few columns: the lower triangle column by column, X_k' (w x_j) for
        // k >= j, as matrix-vector products over the rows of the block;
        // cheaper than a packed matrix product at this size.
        for (Eigen::Index j = 0; j < p; ++j) {
          scaled.col(j).head(rows) = weight.head(rows).cwiseProduct(x_block.col(j));
          sums.information.col(j).tail(p - j).noalias() +=
              x_block.rightCols(p - j).transpose() * scaled.col(j).head(rows);
        }
      } else if (with_information) {
        // X' W X as a symmetric rank update of sqrt|w| X: half the work of a
        // general product. Negative weights (observed information away from
        // the maximum) are subtracted in a second update.
        root.head(rows) = weight.head(rows).cwiseAbs().cwiseSqrt();
        const bool any_negative = (weight.head(rows).array() < 0.0).any();
        scaled.topRows(rows) = root.head(rows).asDiagonal() * x_block;
        if (!any_negative) {
          sums.information.template selfadjointView<Eigen::Lower>().rankUpdate(
              scaled.topRows(rows).transpose());
        } else {
          Eigen::MatrixXd negative = scaled.topRows(rows);
          for (Eigen::Index i = 0; i < rows; ++i) {
            if (weight[i] < 0.0) scaled.row(i).setZero();
            else negative.row(i).setZero();
          }
          sums.information.template selfadjointView<Eigen::Lower>().rankUpdate(
              scaled.topRows(rows).transpose());
          sums.information.template selfadjointView<Eigen::Lower>().rankUpdate(
              negative.transpose(), -1.0);
        }
      }
    }
    sums.deviance = block_sums.deviance;
    sums.pearson = block_sums.pearson;
    chunks[static_cast<std::size_t>(c)] = std::move(sums);
  }

  RowSums total(p, with_score, with_information);
  for (const RowSums& chunk : chunks) total.add(chunk);
  if (with_information) {
    total.information.template triangularView<Eigen::StrictlyUpper>() =
        total.information.transpose();
  }
  return total;
}

// X' diag(w) X for given row weights, by the same accumulator.
template <typename MatrixType>
Eigen::MatrixXd weighted_crossprod(const MatrixType& x, const Eigen::VectorXd& w, int threads = 1) {
  auto eta_of = [](Eigen::Index, Eigen::Index rows, Eigen::VectorXd& eta) {
    eta.head(rows).setZero();
  };
  auto terms_of = [&](Eigen::Index first, Eigen::Index rows, const double*, double*,
                      double* weight, BlockSums&) {
    std::copy(w.data() + first, w.data() + first + rows, weight);
  };
  return accumulate_rows(x, eta_of, terms_of, false, true, threads).information;
}

// The data summary (DataSummary) of rows [0, n), from `summarise(first,
// rows, part)` over fixed chunks of rows that threads share; the chunk
// summaries are added in order, so the sums do not depend on the threads.
template <typename Summarise>
DataSummary summarise_in_chunks(Eigen::Index n, int threads, Summarise summarise) {
  const Eigen::Index chunk = 16384;
  const Eigen::Index n_chunks = (n + chunk - 1) / chunk;
  std::vector<DataSummary> parts(static_cast<std::size_t>(n_chunks));
  const int team = n >= 100000 ? std::max(threads, 1) : 1;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(team)
#else
  (void)team;
#endif
  for (Eigen::Index c = 0; c < n_chunks; ++c) {
    const Eigen::Index first = c * chunk;
    summarise(first, std::min(chunk, n - first), parts[static_cast<std::size_t>(c)]);
  }
  DataSummary total;
  for (const DataSummary& part : parts) total.add(part);
  return total;
}

}  // namespace mleglm

#endif  // MLEGLM_ROW_SUMS_HPP
