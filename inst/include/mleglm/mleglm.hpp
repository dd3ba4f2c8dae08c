#ifndef MLEGLM_MLEGLM_HPP
#define MLEGLM_MLEGLM_HPP

// The public C++ interface of mleglm, header-only and free of R: packages
// that declare `LinkingTo: mleglm` include this one file.

#include "family.hpp"
#include "objective.hpp"
#include "solver.hpp"

#endif  // MLEGLM_MLEGLM_HPP
