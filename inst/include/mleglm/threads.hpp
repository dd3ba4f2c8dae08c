#ifndef MLEGLM_THREADS_HPP
#define MLEGLM_THREADS_HPP

// How many threads a pass over the rows may use.

#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace mleglm {

// At most the request, the processors and OMP_THREAD_LIMIT.
inline int available_threads(int requested) {
#ifdef _OPENMP
  int limit = std::min(omp_get_num_procs(), omp_get_thread_limit());
  return std::max(1, std::min(requested, limit));
#else
  (void)requested;
  return 1;
#endif
}

}  // namespace mleglm

#endif  // MLEGLM_THREADS_HPP
