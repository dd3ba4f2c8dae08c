# What tempdir() holds before any test runs; test-zzz-tempdir.R, the last
# file to run, checks that the tests left it as they found it.
tempdir_listing <- function() {
  sort(list.files(tempdir(), all.files = TRUE, recursive = TRUE, include.dirs = TRUE,
                  no.. = TRUE))
}
tempdir_at_start <- tempdir_listing()
