#ifndef MLEGLM_BLOCK_KERNELS_HPP
#define MLEGLM_BLOCK_KERNELS_HPP

// The block terms of block_terms.hpp, specialised by hand for the logistic
// and Poisson log models, and the factory that builds the typed block loop
// for a family and link of the table in registry.hpp.

#include <memory>
#include <string>

#include <Eigen/Dense>

#include "avx2_kernels.hpp"
#include "block_terms.hpp"
#include "math.hpp"
#include "registry.hpp"

namespace mleglm {

// The two models fitted most, vectorised with Eigen's packet math (exp,
// max, products and quotients over the whole block) for blocks where every
// row has positive weight and a linear predictor inside R's clamps; any
// other block runs the generic loop above. Both links are canonical, so the
// observed and expected weights coincide.

namespace detail {

// log1p(x) for x in [0, 1] over an array, by log1p_unit's series, written
// out as one expression so that Eigen evaluates it in a single vectorised
// loop.
inline Eigen::ArrayXd log1p_unit_array(const Eigen::ArrayXd& x) {
  const Eigen::ArrayXd s = x / (x + 2.0);
  const Eigen::ArrayXd z = s * s;
  return 2.0 * s *
         ((((((((((((((((z * (1.0 / 33) + 1.0 / 31) * z + 1.0 / 29) * z + 1.0 / 27) * z +
                       1.0 / 25) * z + 1.0 / 23) * z + 1.0 / 21) * z + 1.0 / 19) * z +
                   1.0 / 17) * z + 1.0 / 15) * z + 1.0 / 13) * z + 1.0 / 11) * z + 1.0 / 9) *
                z + 1.0 / 7) * z + 1.0 / 5) * z + 1.0 / 3) * z + 1.0);
}

constexpr Eigen::Index max_vector_rows = 4096;

// Whether every row has one trial (w = 1) and a 0/1 response: the usual
// binary data. One vectorised sum of terms that are 0 exactly then (y and w
// are finite here).
inline bool binary_rows(const double* y, const double* w, Eigen::Index rows) {
  const Eigen::Map<const Eigen::ArrayXd> yy(y, rows), ww(w, rows);
  return rows > 0 && ((ww - 1.0).abs() + (yy * (1.0 - yy)).abs()).sum() == 0.0;
}

}  // namespace detail

// Logistic: with E = exp(-eta), mu = 1 / (1 + E), 1 - mu = E mu, mu' = V =
// mu (1 - mu), and the deviance term is 2 w [y log y + (1 - y) log(1 - y) +
// log1p(exp(-|eta|)) + y max(-eta, 0) + (1 - y) max(eta, 0)], with
// exp(-|eta|) = min(E, 1 / E). Beyond |eta| = 30 R clamps the mean; such
// blocks take the generic loop.
template <>
inline void TypedBlockTerms<Binomial, LogitLink>::evaluate(const double* eta, const double* y,
                                                           const double* w, Eigen::Index rows,
                                                           bool exact, double* score,
                                                           double* weight, BlockSums& sums) const {
  using Eigen::ArrayXd;
  using Map = Eigen::Map<const ArrayXd>;
  // y log y + (1 - y) log(1 - y) summed: 0 for binary responses.
  auto entropy_of = [](const double* yy, const double* ww, Eigen::Index m) {
    double entropy = 0.0;
    for (Eigen::Index i = 0; i < m; ++i) {
      if (yy[i] > 0.0 && yy[i] < 1.0)
        entropy += ww[i] * (yy[i] * std::log(yy[i]) + (1.0 - yy[i]) * std::log1p(-yy[i]));
    }
    return entropy;
  };
  for (Eigen::Index first = 0; first < rows; first += detail::max_vector_rows) {
    const Eigen::Index m = std::min(detail::max_vector_rows, rows - first);
#if MLEGLM_HAVE_AVX2_KERNELS
    if (avx2::active()) {
      // The kernel checks its rows itself, in the same pass.
      double half_deviance = 0.0, pearson = 0.0;
      bool fractional = false;
      if (avx2::logistic_terms(eta + first, y + first, w + first, m, score + first,
                               weight + first, half_deviance, pearson, fractional)) {
        const double entropy = fractional ? entropy_of(y + first, w + first, m) : 0.0;
        sums.deviance += 2.0 * (half_deviance + entropy);
        sums.pearson += pearson;
        continue;
      }
      evaluate_rows(eta + first, y + first, w + first, m, exact, score + first, weight + first,
                    sums);
      if (!sums.ok) return;
      continue;
    }
#endif
    const Map e(eta + first, m), yy(y + first, m), ww(w + first, m);
    if (!(ww.minCoeff() > 0.0) || !(e.abs().maxCoeff() <= 30.0)) {
      evaluate_rows(eta + first, y + first, w + first, m, exact, score + first, weight + first,
                    sums);
      if (!sums.ok) return;
      continue;
    }
    // y (1 - y) finds fractional responses without a branch per row.
    const double entropy =
        (yy * (1.0 - yy)).maxCoeff() > 0.0 ? entropy_of(y + first, w + first, m) : 0.0;
    const ArrayXd big_e = (-e).exp();
    const ArrayXd mu = 1.0 / (1.0 + big_e);
    const ArrayXd variance = mu * (big_e * mu);
    const ArrayXd r = yy - mu;
    Eigen::Map<ArrayXd>(score + first, m) = ww * r;
    Eigen::Map<ArrayXd>(weight + first, m) = ww * variance;
    sums.pearson += (ww * r * r / variance).sum();
    const ArrayXd softplus_part = detail::log1p_unit_array(big_e.min(1.0 / big_e));
    sums.deviance += 2.0 * ((ww * (softplus_part + yy * (-e).max(0.0) + (1.0 - yy) * e.max(0.0))).sum() +
                            entropy);
  }
}

// Poisson log: mu = mu' = V = exp(eta) and the deviance term is
// 2 w [y log y - y eta - (y - mu)], y log y from the tables of k log k. Blocks
// with eta below log(eps) (where R clamps the mean) or above 700 take the
// generic loop.
template <>
inline void TypedBlockTerms<Poisson, LogLink>::evaluate(const double* eta, const double* y,
                                                        const double* w, Eigen::Index rows,
                                                        bool exact, double* score, double* weight,
                                                        BlockSums& sums) const {
  using Eigen::ArrayXd;
  using Map = Eigen::Map<const ArrayXd>;
  for (Eigen::Index first = 0; first < rows; first += detail::max_vector_rows) {
    const Eigen::Index m = std::min(detail::max_vector_rows, rows - first);
    const Map e(eta + first, m), yy(y + first, m), ww(w + first, m);
    if (!(ww.minCoeff() > 0.0) || !(e.minCoeff() >= -36.0) || !(e.maxCoeff() <= 700.0)) {
      evaluate_rows(eta + first, y + first, w + first, m, exact, score + first, weight + first,
                    sums);
      if (!sums.ok) return;
      continue;
    }
    const ArrayXd mu = e.exp();
    const ArrayXd r = yy - mu;
    double y_log_y = 0.0;
    for (Eigen::Index i = 0; i < m; ++i) y_log_y += ww[i] * x_log_x(yy[i]);
    Eigen::Map<ArrayXd>(score + first, m) = ww * r;
    Eigen::Map<ArrayXd>(weight + first, m) = ww * mu;
    sums.pearson += (ww * r * r / mu).sum();
    sums.deviance += 2.0 * (y_log_y - (ww * (yy * e + r)).sum());
  }
}

// The means of the two models, as R's linkinv computes them (e / (1 + e)
// with e = exp(eta) for the logit, exp(eta) for the log), vectorised where
// no row reaches R's clamps.
template <>
inline void TypedBlockTerms<Binomial, LogitLink>::means(const double* eta, Eigen::Index rows,
                                                        double* mu) const {
  using Eigen::ArrayXd;
  const Eigen::Map<const ArrayXd> e(eta, rows);
  if (rows == 0 || !(e.abs().maxCoeff() <= 30.0)) {
    for (Eigen::Index i = 0; i < rows; ++i) mu[i] = m_link.linkinv(eta[i]);
    return;
  }
#if MLEGLM_HAVE_AVX2_KERNELS
  if (avx2::active()) {
    avx2::logistic_means(eta, rows, mu);
    return;
  }
#endif
  const ArrayXd odds = e.exp();
  Eigen::Map<ArrayXd>(mu, rows) = odds / (1.0 + odds);
}

template <>
inline void TypedBlockTerms<Poisson, LogLink>::means(const double* eta, Eigen::Index rows,
                                                     double* mu) const {
  const Eigen::Map<const Eigen::ArrayXd> e(eta, rows);
  if (rows == 0 || !(e.minCoeff() >= -36.0) || !(e.maxCoeff() <= 700.0)) {
    for (Eigen::Index i = 0; i < rows; ++i) mu[i] = m_link.linkinv(eta[i]);
    return;
  }
  Eigen::Map<Eigen::ArrayXd>(mu, rows) = e.exp();
}

// The data summary of binary rows (0/1 responses, one trial each) is their
// count and number of ones: every per-row constant is 0 there.
template <>
inline void TypedBlockTerms<Binomial, LogitLink>::summarise(const double* y, const double* w,
                                                            Eigen::Index rows,
                                                            DataSummary& summary) const {
  if (!detail::binary_rows(y, w, rows)) {
    summarise_rows(y, w, rows, summary);
    return;
  }
  const Eigen::Map<const Eigen::ArrayXd> yy(y, rows);
  summary.n_positive += static_cast<double>(rows);
  summary.sum_w += static_cast<double>(rows);
  summary.sum_y += yy.sum();
}

// The starting step of the logistic model. With one trial per row and 0/1
// responses (the usual data), the starting means are 3/4 and 1/4 and the
// linear predictor takes two values, blended without a branch or a log per
// row.
template <>
inline void TypedBlockTerms<Binomial, LogitLink>::start_eta(const double* y, const double* w,
                                                            Eigen::Index rows, double fallback,
                                                            double* eta) const {
  if (!detail::binary_rows(y, w, rows)) {
    start_eta_rows(y, w, rows, fallback, eta);
    return;
  }
  const Eigen::Map<const Eigen::ArrayXd> yy(y, rows);
  const double up = m_link.linkfun(m_dist.start_mean(1.0, 1.0));
  const double down = m_link.linkfun(m_dist.start_mean(0.0, 1.0));
  Eigen::Map<Eigen::ArrayXd>(eta, rows) = yy * up + (1.0 - yy) * down;
}

template <>
inline bool TypedBlockTerms<Binomial, LogitLink>::working(const double* eta, const double* y,
                                                          const double* w, const double* offset,
                                                          Eigen::Index rows, double* score,
                                                          double* weight) const {
  using Eigen::ArrayXd;
  using Map = Eigen::Map<const ArrayXd>;
  const Map e(eta, rows), yy(y, rows), ww(w, rows), off(offset, rows);
  if (rows == 0 || !(ww.minCoeff() > 0.0) || !(e.abs().maxCoeff() <= 30.0))
    return working_rows(eta, y, w, offset, rows, score, weight);
  const ArrayXd big_e = (-e).exp();
  const ArrayXd mu = 1.0 / (1.0 + big_e);
  const ArrayXd variance = mu * (big_e * mu);
  Eigen::Map<ArrayXd> weight_out(weight, rows);
  weight_out = ww * variance;
  Eigen::Map<ArrayXd>(score, rows) = weight_out * (e - off + (yy - mu) / variance);
  return true;
}

// The working weights and responses at that start: for a 0/1 response with
// one trial both rows' values are those of a row with y = 1 or y = 0 (the
// weight is 3/16 for both), so they are computed twice, by the generic code,
// and blended; the offset is subtracted row by row as working() does.
template <>
inline bool TypedBlockTerms<Binomial, LogitLink>::start_working(const double* eta, const double* y,
                                                                const double* w,
                                                                const double* offset,
                                                                Eigen::Index rows, double* score,
                                                                double* weight) const {
  using Eigen::ArrayXd;
  using Map = Eigen::Map<const ArrayXd>;
  if (!detail::binary_rows(y, w, rows))
    return working(eta, y, w, offset, rows, score, weight);
  const Map e(eta, rows), yy(y, rows), off(offset, rows);
  // The weight w mu'^2 / V and the step (y - mu) / mu' of each kind of row.
  auto terms_at = [&](double response, double& row_weight, double& step) {
    double mu, m1;
    m_link.inverse_and_derivative(m_link.linkfun(m_dist.start_mean(response, 1.0)), mu, m1);
    row_weight = m1 * m1 / m_dist.variance(mu);
    step = (response - mu) / m1;
  };
  double up_weight, up_step, down_weight, down_step;
  terms_at(1.0, up_weight, up_step);
  terms_at(0.0, down_weight, down_step);
  Eigen::Map<ArrayXd> weight_out(weight, rows);
  weight_out = yy * up_weight + (1.0 - yy) * down_weight;
  Eigen::Map<ArrayXd>(score, rows) =
      weight_out * ((e - off) + (yy * up_step + (1.0 - yy) * down_step));
  return true;
}

// The Poisson log model's starting linear predictor log(y + 0.1), from a
// table for small counts.
template <>
inline void TypedBlockTerms<Poisson, LogLink>::start_eta(const double* y, const double* w,
                                                         Eigen::Index rows, double fallback,
                                                         double* eta) const {
  const SmallIntegerLogs& tables = SmallIntegerLogs::get();
  for (Eigen::Index i = 0; i < rows; ++i) {
    if (!SmallIntegerLogs::covers(y[i])) {
      start_eta_rows(y + i, w + i, 1, fallback, eta + i);
      continue;
    }
    eta[i] = tables.log_tenth_above[static_cast<int>(y[i])];
  }
}

// The Poisson log model's working weights and response, vectorised.
template <>
inline bool TypedBlockTerms<Poisson, LogLink>::working(const double* eta, const double* y,
                                                       const double* w, const double* offset,
                                                       Eigen::Index rows, double* score,
                                                       double* weight) const {
  using Eigen::ArrayXd;
  using Map = Eigen::Map<const ArrayXd>;
  const Map e(eta, rows), yy(y, rows), ww(w, rows), off(offset, rows);
  if (rows == 0 || !(ww.minCoeff() > 0.0) || !(e.minCoeff() >= -36.0) || !(e.maxCoeff() <= 700.0))
    return working_rows(eta, y, w, offset, rows, score, weight);
  const ArrayXd mu = e.exp();
  Eigen::Map<ArrayXd> weight_out(weight, rows);
  weight_out = ww * mu;
  Eigen::Map<ArrayXd>(score, rows) = weight_out * (e - off + (yy - mu) / mu);
  return true;
}

// The block loop for a distribution and link built by make_distribution()
// and make_link() from these names: the template instantiated for their
// concrete classes where the pair is in the family table, else over the
// virtual interface.
inline std::unique_ptr<BlockTerms> make_block_terms(const std::string& distribution,
                                                    const std::string& link,
                                                    const Distribution& d, const Link& l,
                                                    bool canonical) {
  std::unique_ptr<BlockTerms> out;
  for_each_family_link([&](auto entry) {
    using D = typename decltype(entry)::distribution;
    using L = typename decltype(entry)::link;
    if (!out && distribution == D::name() && link == L::name())
      out = std::make_unique<TypedBlockTerms<D, L>>(static_cast<const D&>(d),
                                                    static_cast<const L&>(l), canonical);
  });
  if (!out) out = std::make_unique<TypedBlockTerms<Distribution, Link>>(d, l, canonical);
  return out;
}

}  // namespace mleglm

#endif  // MLEGLM_BLOCK_KERNELS_HPP
