#ifndef MLEGLM_REGISTRY_HPP
#define MLEGLM_REGISTRY_HPP

// The one table of the families and links mleglm fits, as R's stats families
// offer them, with each family's canonical link. Everything else that needs
// to know them is derived from it: the factories that turn names into
// objects, whether a pair is canonical, the typed block kernels
// (block_kernels.hpp), and the description R reads (its family checks,
// messages and documentation). The names themselves are the classes' own
// (`name()`), and so are whether a family has a dispersion and what its
// response may be.

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "distribution.hpp"
#include "link.hpp"

namespace mleglm {

template <typename D, typename L, bool Canonical>
struct FamilyLink {
  using distribution = D;
  using link = L;
  static constexpr bool canonical = Canonical;
};

// Calls visit(FamilyLink<D, L, canonical>()) for every supported pair, the
// canonical link of each family first.
template <typename Visit>
void for_each_family_link(Visit&& visit) {
  visit(FamilyLink<Gaussian, IdentityLink, true>());
  visit(FamilyLink<Gaussian, LogLink, false>());
  visit(FamilyLink<Gaussian, InverseLink, false>());
  visit(FamilyLink<Binomial, LogitLink, true>());
  visit(FamilyLink<Binomial, ProbitLink, false>());
  visit(FamilyLink<Binomial, CauchitLink, false>());
  visit(FamilyLink<Binomial, CloglogLink, false>());
  visit(FamilyLink<Binomial, LogLink, false>());
  visit(FamilyLink<Poisson, LogLink, true>());
  visit(FamilyLink<Poisson, IdentityLink, false>());
  visit(FamilyLink<Poisson, SqrtLink, false>());
  visit(FamilyLink<GammaDist, InverseLink, true>());
  visit(FamilyLink<GammaDist, IdentityLink, false>());
  visit(FamilyLink<GammaDist, LogLink, false>());
  visit(FamilyLink<InverseGaussian, InverseSquareLink, true>());
  visit(FamilyLink<InverseGaussian, InverseLink, false>());
  visit(FamilyLink<InverseGaussian, IdentityLink, false>());
  visit(FamilyLink<InverseGaussian, LogLink, false>());
}

// Calls visit(D()) once for every distribution of the table.
template <typename Visit>
void for_each_distribution(Visit&& visit) {
  for_each_family_link([&](auto entry) {
    using Entry = decltype(entry);
    if (Entry::canonical) visit(typename Entry::distribution());
  });
}

inline std::unique_ptr<Distribution> make_distribution(const std::string& name) {
  std::unique_ptr<Distribution> out;
  for_each_distribution([&](auto d) {
    using D = decltype(d);
    if (!out && name == D::name()) out = std::make_unique<D>();
  });
  if (!out) throw std::invalid_argument("unknown distribution '" + name + "'");
  return out;
}

// Every link of R's make.link() appears in the table, so this also serves
// the models that are not GLM families (negative binomial, custom families).
inline std::unique_ptr<Link> make_link(const std::string& name) {
  std::unique_ptr<Link> out;
  for_each_family_link([&](auto entry) {
    using L = typename decltype(entry)::link;
    if (!out && name == L::name()) out = std::make_unique<L>();
  });
  if (!out) throw std::invalid_argument("unknown link '" + name + "'");
  return out;
}

inline bool is_supported(const std::string& distribution, const std::string& link) {
  bool found = false;
  for_each_family_link([&](auto entry) {
    using Entry = decltype(entry);
    found = found || (distribution == Entry::distribution::name() && link == Entry::link::name());
  });
  return found;
}

// For the canonical link theta = eta, and the observed information does not
// involve y: it equals the expected one.
inline bool is_canonical(const std::string& distribution, const std::string& link) {
  bool canonical = false;
  for_each_family_link([&](auto entry) {
    using Entry = decltype(entry);
    if (Entry::canonical && distribution == Entry::distribution::name() &&
        link == Entry::link::name())
      canonical = true;
  });
  return canonical;
}

// One row of the table as R reads it.
struct FamilyLinkInfo {
  std::string distribution, link;
  bool canonical;
  bool has_dispersion;
  std::string support;  // the response's support, in words
  bool counts;          // responses are counts, checked for whole numbers
};

inline std::vector<FamilyLinkInfo> family_table() {
  std::vector<FamilyLinkInfo> rows;
  for_each_family_link([&](auto entry) {
    using Entry = decltype(entry);
    const typename Entry::distribution d;
    rows.push_back({Entry::distribution::name(), Entry::link::name(), Entry::canonical,
                    d.has_dispersion(), d.support(), !std::isnan(d.count(1.0, 1.0))});
  });
  return rows;
}

}  // namespace mleglm

#endif  // MLEGLM_REGISTRY_HPP
