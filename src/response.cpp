// Boundary for checking a response against its family's support in one pass,
// without the logical n-vectors the same checks in R would allocate. Returns,
// per problem, how many rows have it and the first few of them (1-based).

#include <Rcpp.h>

#include <cmath>
#include <cstdint>
#include <string>

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

enum class Support { real, unit_interval, non_negative, positive };

Support support_of(const std::string& family) {
  if (family == "binomial") return Support::unit_interval;
  if (family == "poisson") return Support::non_negative;
  if (family == "Gamma" || family == "inverse.gaussian") return Support::positive;
  return Support::real;
}

bool outside(Support support, double y) {
  switch (support) {
    case Support::unit_interval: return y < 0.0 || y > 1.0;
    case Support::non_negative: return y < 0.0;
    case Support::positive: return y <= 0.0;
    case Support::real: return false;
  }
  return false;
}

// Whether v is a whole number, by a conversion to a 64-bit integer rather
// than floor() (a library call per row on the SSE2 builds CRAN makes); every
// double of magnitude 2^52 or more is whole.
bool whole(double v) {
  if (!(std::fabs(v) < 4503599627370496.0)) return true;
  return static_cast<double>(static_cast<std::int64_t>(v)) == v;
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_response_problems(const Rcpp::NumericVector& y, const Rcpp::NumericVector& weights,
                                 const std::string& family) {
  if (weights.size() != y.size()) Rcpp::stop("weights must have one value per response");
  // The family is resolved once, not per row.
  const Support support = support_of(family);
  const bool counts = support == Support::unit_interval || support == Support::non_negative;
  const bool trials = support == Support::unit_interval;
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
    if (outside(support, y_row[i])) {
      beyond.add(i);
      continue;
    }
    if (!counts) continue;
    // Counts: whole numbers of events (poisson) or of successes (binomial).
    const double events = trials ? w_row[i] * y_row[i] : y_row[i];
    if (!whole(events) &&
        std::fabs(events - std::round(events)) > 1e-7 * std::max(1.0, std::fabs(events)))
      noninteger.add(i);
  }
  return Rcpp::List::create(Rcpp::Named("nonfinite") = nonfinite.as_list(),
                            Rcpp::Named("outside") = beyond.as_list(),
                            Rcpp::Named("noninteger") = noninteger.as_list());
}
