# Runs mleglm's test suite against the mleglm installed first on the
# library path (R_LIBS), from the source tree's tests/testthat; used by the
# Makefile's safety targets. MLEGLM_TEST_FILTER restricts it to matching
# files. Ends with testthat's summary; quits with status 1 on a failure.
filter <- Sys.getenv("MLEGLM_TEST_FILTER")
result <- testthat::test_dir("tests/testthat", package = "mleglm", load_package = "installed",
                             filter = if (nzchar(filter)) filter, reporter = "summary",
                             stop_on_failure = FALSE)
result <- as.data.frame(result)
failed <- sum(result$failed) + sum(result$error)
cat(sprintf("mleglm tests (%s): %d passed, %d failed, %d skipped\n", find.package("mleglm"),
            sum(result$nb) - sum(result$failed) - sum(result$skipped), failed,
            sum(result$skipped)))
if (failed > 0) quit(status = 1)
