#ifndef MLEGLM_FAMILY_HPP
#define MLEGLM_FAMILY_HPP

// A Family is a Distribution composed with a Link. The chain rule that turns
// their derivatives into the terms of the score and information lives here,
// once, for every combination.
//
// With mu' = dmu/deta, mu'' = d2mu/deta2 and a row of prior weight w, the
// log-likelihood's derivatives with respect to eta are (phi factored out):
//
//   dl/deta       =  w (y - mu) mu' / V(mu)
//   E[-d2l/deta2] =  w mu'^2 / V(mu)                         (expected)
//   -d2l/deta2    =  w mu'^2 / V - w (y - mu) (mu'' V - mu'^2 V') / V^2
//
// the last being the observed information weight (differentiate the first
// line once more in eta).

#include <memory>
#include <string>

#include "block_kernels.hpp"
#include "distribution.hpp"
#include "link.hpp"
#include "registry.hpp"

namespace mleglm {

// Per-row quantities at one value of eta.
struct RowTerms {
  bool valid;       // eta and mu inside the parameter space
  double mu;
  double score;     // dl/deta (phi = 1)
  double expected;  // expected information weight (phi = 1)
  double observed;  // observed information weight (phi = 1)
};

class Family {
 public:
  // A family and link by name, as stats spells them: canonical or not by the
  // family table, with its block loop built once.
  Family(const std::string& distribution, const std::string& link)
      : m_distribution(make_distribution(distribution)), m_link(make_link(link)),
        m_canonical(is_canonical(distribution, link)),
        m_block(make_block_terms(distribution, link, *m_distribution, *m_link, m_canonical)) {}

  // For the canonical link theta = eta, the observed information does not
  // involve y and equals the expected one: mu'' V = mu'^2 V' identically.
  bool canonical() const { return m_canonical; }

  const Distribution& distribution() const { return *m_distribution; }
  const Link& link() const { return *m_link; }
  // The same terms as terms(), for a block of rows at a time (the hot loop).
  const BlockTerms& block() const { return *m_block; }

  // Whether eta gives a mean inside the distribution's parameter space.
  bool valid(double eta) const {
    return m_link->valid_eta(eta) && m_distribution->valid_mu(m_link->linkinv(eta));
  }

  // All the per-row derivative terms; `with_observed` skips mu'' and V' when
  // only Fisher scoring is wanted.
  RowTerms terms(double eta, double y, double w, bool with_observed) const {
    RowTerms t;
    double m1;
    m_link->inverse_and_derivative(eta, t.mu, m1);
    t.valid = m_link->valid_eta(eta) && m_distribution->valid_mu(t.mu);
    const double v = m_distribution->variance(t.mu);
    const double resid = y - t.mu;
    t.score = w * resid * m1 / v;
    t.expected = w * m1 * m1 / v;
    t.observed = t.expected;
    if (with_observed && !m_canonical) {
      const double m2 = m_link->d2mu_eta2(eta);
      const double dv = m_distribution->dvariance(t.mu);
      t.observed -= w * resid * (m2 * v - m1 * m1 * dv) / (v * v);
    }
    return t;
  }

 private:
  std::unique_ptr<Distribution> m_distribution;
  std::unique_ptr<Link> m_link;
  bool m_canonical;
  std::unique_ptr<BlockTerms> m_block;
};

}  // namespace mleglm

#endif  // MLEGLM_FAMILY_HPP
