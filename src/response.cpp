// Boundary for checking a response against its family's support in one pass,
// without the logical n-vectors the same checks in R would allocate. The
// support and which responses are counts are the distributions' own
// (valid_y(), count()); the loop is instantiated for each concrete
// distribution so that they are not virtual calls per row. Returns, per
// problem, how many rows have it and the first few of them (1-based).

#include <Rcpp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <mleglm/registry.hpp>

namespace {

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
bool whole(double v) {
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

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_response_problems(const Rcpp::NumericVector& y, const Rcpp::NumericVector& weights,
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
