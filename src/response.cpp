// Boundary for checking a response against its family's support in one pass,
// without the logical n-vectors the same checks in R would allocate. Returns,
// per problem, how many rows have it and the first few of them (1-based).

#include <Rcpp.h>

#include <cmath>
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

bool outside_support(const std::string& family, double y) {
  if (family == "binomial") return y < 0.0 || y > 1.0;
  if (family == "poisson") return y < 0.0;
  if (family == "Gamma" || family == "inverse.gaussian") return y <= 0.0;
  return false;
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_response_problems(const Rcpp::NumericVector& y, const Rcpp::NumericVector& weights,
                                 const std::string& family) {
  if (weights.size() != y.size()) Rcpp::stop("weights must have one value per response");
  Offenders nonfinite, outside, noninteger;
  for (R_xlen_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      nonfinite.add(i);
      continue;
    }
    if (!(weights[i] > 0.0)) continue;
    if (outside_support(family, y[i])) {
      outside.add(i);
      continue;
    }
    // Counts: whole numbers of events (poisson) or of successes (binomial).
    const double events = family == "binomial" ? weights[i] * y[i] : y[i];
    if ((family == "binomial" || family == "poisson") &&
        std::fabs(events - std::round(events)) > 1e-7 * std::max(1.0, std::fabs(events)))
      noninteger.add(i);
  }
  return Rcpp::List::create(Rcpp::Named("nonfinite") = nonfinite.as_list(),
                            Rcpp::Named("outside") = outside.as_list(),
                            Rcpp::Named("noninteger") = noninteger.as_list());
}
