#!/usr/bin/env bash
# make fuzz: all 1,000 cases of tests/testthat/test-fuzz.R (MLEGLM_FUZZ=full)
# on a fresh build; the test suite itself runs the first 100.
set -uo pipefail
cd "$(dirname "$0")/.."
work=check/safety/fuzz
rm -rf "$work" && mkdir -p "$work"
bash scripts/build-variant.sh "$work" || exit 1
R_LIBS="$work/lib" NOT_CRAN=true MLEGLM_FUZZ=full MLEGLM_TEST_FILTER=fuzz \
  Rscript --vanilla scripts/run-tests.R > "$work/tests.log" 2>&1
status=$?
tail -n 1 "$work/tests.log"
echo "fuzz: tests exit status $status (log: $work/tests.log)"
exit $status
