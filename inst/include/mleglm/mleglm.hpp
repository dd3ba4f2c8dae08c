#ifndef MLEGLM_MLEGLM_HPP
#define MLEGLM_MLEGLM_HPP

// The public C++ interface of mleglm, header-only and free of R: packages
// that declare `LinkingTo: mleglm` include this one file. The models over
// (beta, tau) with an extra parameter are included on their own, where used:
// joint.hpp (the objective), negbin.hpp and custom.hpp (its row models).

#include "family.hpp"
#include "objective.hpp"
#include "registry.hpp"
#include "solver.hpp"
#include "start.hpp"
#include "summed.hpp"

#endif  // MLEGLM_MLEGLM_HPP
