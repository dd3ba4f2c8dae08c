// The family table of the core (mleglm/registry.hpp) as R reads it: one row
// per supported family and link.

#include <Rcpp.h>

#include <string>
#include <vector>

#include <mleglm/registry.hpp>

// [[Rcpp::export]]
Rcpp::DataFrame cpp_family_registry() {
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
// [[Rcpp::export]]
Rcpp::LogicalVector cpp_valid_means(const Rcpp::NumericVector& mu, const std::string& family) {
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
