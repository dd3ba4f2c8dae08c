#!/usr/bin/env bash
# make valgrind: the test suite under valgrind (R -d valgrind), mleglm
# built with R's usual flags (-g -O2). Passes when no error that valgrind
# reports and no block definitely lost has a stack passing through
# mleglm.so, and the tests pass. Errors and leaks from other libraries
# (R's own allocations at exit, a database client's) are not mleglm's to
# fix: they are counted and their innermost frames printed, so that a
# change in them is seen, but they do not fail the target. The
# interrupt test's 2-second bound is not meant for valgrind's slowdown and
# is skipped here (MLEGLM_VALGRIND=true).
set -uo pipefail
cd "$(dirname "$0")/.."
work=check/safety/valgrind
rm -rf "$work" && mkdir -p "$work"
bash scripts/build-variant.sh "$work" || exit 1

R_LIBS="$work/lib" NOT_CRAN=true MLEGLM_VALGRIND=true \
  R --vanilla --no-echo -d "valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=none --num-callers=30 --log-file=$work/valgrind.log" \
  -f scripts/run-tests.R > "$work/tests.log" 2>&1
status=$?
errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$work/valgrind.log" | tail -n 1)
# Records are blocks of lines ending with an empty "==pid== " line. Count
# the error records (valgrind prints each distinct context once) and the
# definite loss records whose stack passes through mleglm: its shared
# object, its sources (with debug information) or its namespace.
export ours_pattern='mleglm\.so|mleglm::|_mleglm_|(fit|evaluate|RcppExports)\.cpp|details\.h|\.hpp:'
export error_kinds='^(Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Argument .* of function|Jump to the invalid)'
records() { sed -E 's/^==[0-9]+== ?//' "$work/valgrind.log"; }
ours=$(records | awk 'BEGIN { RS = ""; n = 0; p = ENVIRON["ours_pattern"] } /definitely lost/ && $0 ~ p { n++ } END { print n }')
ours_errors=$(records | awk 'BEGIN { RS = ""; n = 0; p = ENVIRON["ours_pattern"]; k = ENVIRON["error_kinds"] } $0 ~ k && $0 ~ p { n++ } END { print n }')
contexts=$(records | awk 'BEGIN { RS = ""; n = 0; k = ENVIRON["error_kinds"] } $0 ~ k { n++ } END { print n }')
lost=$(grep -E "definitely lost:" "$work/valgrind.log" | tail -n 1 | sed 's/.*definitely lost: *//')
tail -n 3 "$work/tests.log"
if [ "${errors:-0}" != 0 ]; then
  echo "valgrind: error contexts outside mleglm, by kind and innermost frame:"
  records | awk 'BEGIN { RS = ""; FS = "\n"; p = ENVIRON["ours_pattern"]; k = ENVIRON["error_kinds"] }
    $0 ~ k && $0 !~ p { print "  " $1 " | " $2 }' | sort | uniq -c | sort -rn | head -n 10
fi
echo "valgrind: ${errors:-?} errors in $contexts contexts, $ours_errors from mleglm; definitely lost overall: ${lost:-0 bytes}; loss records from mleglm: $ours; tests exit status $status (log: $work/valgrind.log)"
# Errors that cannot be told apart (none parsed as records) count as ours.
[ -n "$errors" ] && [ "$ours_errors" -eq 0 ] && [ "$ours" -eq 0 ] && [ "$status" -eq 0 ] &&
  { [ "$errors" = 0 ] || [ "$contexts" -gt 0 ]; }
