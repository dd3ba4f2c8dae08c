#!/usr/bin/env bash
# make sanitize: the test suite, with the full fuzz run, under gcc's
# AddressSanitizer and UndefinedBehaviorSanitizer. Only mleglm is
# instrumented (-fsanitize=address,undefined through a private
# R_MAKEVARS_USER file), so the ASan runtime is preloaded into R. Leak
# detection is off, as R never frees its heap at exit (`make valgrind`
# looks for mleglm's leaks). Fails on any sanitizer report or test failure.
set -uo pipefail
cd "$(dirname "$0")/.."
work=check/safety/sanitize
rm -rf "$work" && mkdir -p "$work"
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
cat > "$work/Makevars" <<MAKEVARS
CXXFLAGS = $flags
CXX11FLAGS = $flags
CXX14FLAGS = $flags
CXX17FLAGS = $flags
LDFLAGS = -fsanitize=address,undefined
MAKEVARS
bash scripts/build-variant.sh "$work" "$work/Makevars" || exit 1
grep -q -- "-fsanitize=address,undefined" "$work/install.log" || { echo "sanitize: flags not used"; exit 1; }

LD_PRELOAD="$(gcc -print-file-name=libasan.so)" \
  ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  R_LIBS="$work/lib" NOT_CRAN=true MLEGLM_FUZZ=full \
  Rscript --vanilla scripts/run-tests.R > "$work/tests.log" 2>&1
status=$?
reports=$(grep -c -E "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$work/tests.log")
tail -n 3 "$work/tests.log"
echo "sanitize: $reports sanitizer reports; tests exit status $status (log: $work/tests.log)"
[ "$reports" -eq 0 ] && [ "$status" -eq 0 ]
