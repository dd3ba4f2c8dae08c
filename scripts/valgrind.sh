#!/usr/bin/env bash
# make valgrind: the test suite under valgrind (R -d valgrind), mleglm
# built with R's usual flags (-g -O2). Passes when valgrind reports 0
# errors and no block definitely lost whose allocation stack passes through
# mleglm.so (R's own allocations at exit are not mleglm's to free). The
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
# Loss records are blocks of lines ending with an empty "==pid== " line;
# count the definite ones whose stack passes through mleglm: its shared
# object, its sources (with debug information) or its namespace.
ours=$(sed -E 's/^==[0-9]+== ?//' "$work/valgrind.log" |
  awk 'BEGIN { RS = ""; n = 0 }
       /definitely lost/ && /mleglm\.so|mleglm::|_mleglm_|(fit|evaluate|RcppExports)\.cpp|details\.h|\.hpp:/ { n++ }
       END { print n }')
lost=$(grep -E "definitely lost:" "$work/valgrind.log" | tail -n 1 | sed 's/.*definitely lost: *//')
tail -n 3 "$work/tests.log"
echo "valgrind: ${errors:-?} errors; definitely lost overall: ${lost:-0 bytes}; records from mleglm: $ours; tests exit status $status (log: $work/valgrind.log)"
[ "${errors:-1}" = 0 ] && [ "$ours" -eq 0 ] && [ "$status" -eq 0 ]
