# Runs last (files run in alphabetical order): the tests leave tempdir() as
# they found it (helper-tempdir.R took the listing before the first test).
#
# testthat 3.1.6's expect_snapshot() draws into pdf(tempfile()) and leaves
# that file behind (withr::local_pdf() closes the device, not the file);
# those files, recognised by their PDF header, are testthat's and are
# removed first.

test_that("the tests leave tempdir() as they found it", {
  new <- setdiff(tempdir_listing(), tempdir_at_start)
  path <- file.path(tempdir(), new)
  from_snapshots <- grepl("^file[0-9a-f]+$", new) & !dir.exists(path) &
    vapply(path, function(p) identical(readBin(p, "raw", 4L), charToRaw("%PDF")), TRUE)
  unlink(path[from_snapshots])
  expect_identical(tempdir_listing(), tempdir_at_start)
})
