#!/usr/bin/env bash
# make warnings: install with -Wall -Wextra -pedantic; no warning may come
# from mleglm's own sources (src/, inst/include/mleglm/). Warnings located
# in Eigen's, Rcpp's or R's headers are not ours and are only counted, and
# so are those in src/RcppExports.cpp, which Rcpp::compileAttributes()
# writes: its routine table casts each function to DL_FUNC, as R's
# registration API requires, and -Wextra's -Wcast-function-type flags that.
set -uo pipefail
cd "$(dirname "$0")/.."
work=check/safety/warnings
rm -rf "$work" && mkdir -p "$work"
flags="-g -O2 -Wall -Wextra -pedantic"
cat > "$work/Makevars" <<MAKEVARS
CXXFLAGS = $flags
CXX11FLAGS = $flags
CXX14FLAGS = $flags
CXX17FLAGS = $flags
MAKEVARS
bash scripts/build-variant.sh "$work" "$work/Makevars" || exit 1
grep -q -- "-Wextra -pedantic" "$work/install.log" || { echo "warnings: flags not used"; exit 1; }
# The compiler names the file a warning is in; ours are compiled from src/
# (relative names) and included as ../inst/include/mleglm/.
ours=$(grep -E '^(\.\./inst/include/mleglm/[^:]+|[A-Za-z0-9_]+\.(cpp|h|hpp)):[0-9]+:[0-9]+: warning' "$work/install.log" |
  grep -v '^RcppExports\.cpp:' || true)
generated=$(grep -c -E '^RcppExports\.cpp:[0-9]+:[0-9]+: warning' "$work/install.log")
others=$(grep -c -E ': warning:' "$work/install.log")
echo "warnings: ${others} in all; ${generated} in the generated RcppExports.cpp; $(printf '%s' "$ours" | grep -c . || true) in mleglm's own sources"
[ -z "$ours" ] || { printf '%s\n' "$ours"; exit 1; }
