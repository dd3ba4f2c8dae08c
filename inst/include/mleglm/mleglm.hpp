#ifndef MLEGLM_MLEGLM_HPP
#define MLEGLM_MLEGLM_HPP

// The public C++ interface of mleglm, header-only and free of R: packages
// that declare `LinkingTo: mleglm` include this one file.

#include "custom.hpp"
#include "family.hpp"
#include "joint.hpp"
#include "negbin.hpp"
#include "objective.hpp"
#include "solver.hpp"

#endif  // MLEGLM_MLEGLM_HPP
