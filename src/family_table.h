// The family table of the core (mleglm/registry.hpp) at the boundary: the
// table as R reads it (one row per supported family and link), and the two
// checks R makes with it: whether means lie in a family's parameter space
// (the distributions' valid_mu()), and a response against its family's
// support in one pass, without the logical n-vectors the same check in R
// would allocate. The support and which responses are counts are the
// distributions' own (valid_y(), count()); the loops are instantiated for
// each concrete distribution so that these are not virtual calls per row.
// The response check returns, per problem, how many rows have it and the
// first few of them (1-based).

#ifndef MLEGLM_SRC_FAMILY_TABLE_H
#define MLEGLM_SRC_FAMILY_TABLE_H

#include <Rcpp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <mleglm/registry.hpp>

struct Offenders {
  int count = 0;
  Rcpp::IntegerVector first = Rcpp::IntegerVector(0);
  void add(R_xlen_t row) {
    if (count < 5) first.push_back(static_cast<int>(row + 1));
    ++count;
  }
  Rcpp::List as_list() const {
    return Rcpp::List::create(Rcpp::Named("count") = count, Rcpp::Named("rows") = first);
  }
};

// Whether v is a whole number, by a conversion to a 64-bit integer rather
// than floor() (a library call per row on the SSE2 builds CRAN makes); every
// double of magnitude 2^52 or more is whole.
inline bool whole(double v) {
  if (!(std::fabs(v) < 4503599627370496.0)) return true;
  return static_cast<double>(static_cast<std::int64_t>(v)) == v;
}

// Every row's problems, for one concrete distribution D.
template <typename D>
Rcpp::List response_problems(const D& dist, const Rcpp::NumericVector& y,
                             const Rcpp::NumericVector& weights) {
  const bool counts = !std::isnan(dist.count(1.0, 1.0));
  Offenders nonfinite, beyond, noninteger;
  // Raw pointers and the length read once: Rcpp's operator[] checks each
  // index, and its size() is a call into R.
  const double* y_row = y.begin();
  const double* w_row = weights.begin();
  const R_xlen_t n = y.size();
  for (R_xlen_t i = 0; i < n; ++i) {
    if (!std::isfinite(y_row[i])) {
      nonfinite.add(i);
      continue;
    }
    if (!(w_row[i] > 0.0)) continue;
    if (!dist.valid_y(y_row[i])) {
      beyond.add(i);
      continue;
    }
    if (!counts) continue;
    // Counts: whole numbers of events (poisson) or of successes (binomial).
    const double events = dist.count(y_row[i], w_row[i]);
    if (!whole(events) &&
        std::fabs(events - std::round(events)) > 1e-7 * std::max(1.0, std::fabs(events)))
      noninteger.add(i);
  }
  return Rcpp::List::create(Rcpp::Named("nonfinite") = nonfinite.as_list(),
                            Rcpp::Named("outside") = beyond.as_list(),
                            Rcpp::Named("noninteger") = noninteger.as_list());
}

inline Rcpp::List response_problems_of(const Rcpp::NumericVector& y, const Rcpp::NumericVector& weights,
                                 const std::string& family) {
  if (weights.size() != y.size()) Rcpp::stop("weights must have one value per response");
  Rcpp::List out;
  bool found = false;
  // The family is resolved once, not per row.
  mleglm::for_each_distribution([&](auto dist) {
    if (found || family != decltype(dist)::name()) return;
    found = true;
    out = response_problems(dist, y, weights);
  });
  if (!found) Rcpp::stop("unknown family '" + family + "'");
  return out;
}

inline Rcpp::DataFrame family_registry() {
  const std::vector<mleglm::FamilyLinkInfo> rows = mleglm::family_table();
  const std::size_t n = rows.size();
  Rcpp::CharacterVector family(n), link(n), support(n);
  Rcpp::LogicalVector canonical(n), dispersion(n), counts(n);
  for (std::size_t i = 0; i < n; ++i) {
    family[i] = rows[i].distribution;
    link[i] = rows[i].link;
    canonical[i] = rows[i].canonical;
    dispersion[i] = rows[i].has_dispersion;
    support[i] = rows[i].support;
    counts[i] = rows[i].counts;
  }
  return Rcpp::DataFrame::create(
      Rcpp::Named("family") = family, Rcpp::Named("link") = link,
      Rcpp::Named("canonical") = canonical, Rcpp::Named("dispersion") = dispersion,
      Rcpp::Named("support") = support, Rcpp::Named("counts") = counts,
      Rcpp::Named("stringsAsFactors") = false);
}

// Whether each mean lies in the family's parameter space (the distribution's
// valid_mu(), as R's validmu()).
inline Rcpp::LogicalVector valid_means(const Rcpp::NumericVector& mu, const std::string& family) {
  Rcpp::LogicalVector out(mu.size());
  bool found = false;
  mleglm::for_each_distribution([&](auto dist) {
    if (found || family != decltype(dist)::name()) return;
    found = true;
    for (R_xlen_t i = 0; i < mu.size(); ++i) out[i] = dist.valid_mu(mu[i]);
  });
  if (!found) Rcpp::stop("unknown family '" + family + "'");
  return out;
}

#endif  // MLEGLM_SRC_FAMILY_TABLE_H
