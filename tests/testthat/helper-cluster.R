# A PSOCK cluster whose workers search this session's library paths, so that
# they load the mleglm under test. The call is sent as base::eval of a
# call: sending .libPaths itself would send a copy of its closure, and
# setting the copy's paths leaves the worker's own unchanged.
make_test_cluster <- function(n = 2L) {
  cl <- parallel::makeCluster(n)
  parallel::clusterCall(cl, eval, call(".libPaths", .libPaths()))
  cl
}
