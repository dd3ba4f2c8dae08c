#!/usr/bin/env bash
# make symbols: mleglm's shared object, built as R builds it (-DNDEBUG),
# must not reference what a package may not call from compiled code:
# abort, exit, printf, puts, sprintf, rand, stdout, stderr, std::cout (and
# their close relatives). Read with nm -D, or objdump -T where nm is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
work=check/safety/symbols
rm -rf "$work" && mkdir -p "$work"
bash scripts/build-variant.sh "$work" || exit 1
so="$work/lib/mleglm/libs/mleglm.so"
if command -v nm >/dev/null 2>&1; then
  nm -D --undefined-only "$so" | awk '{ print $NF }' > "$work/undefined.txt"
else
  objdump -T "$so" | awk '$4 == "*UND*" { print $NF }' > "$work/undefined.txt"
fi
forbidden='^(abort|exit|_exit|_Exit|printf|vprintf|fprintf|puts|putchar|fputs|sprintf|vsprintf|rand|srand|random|stdout|stderr|_ZSt4cout|_ZSt4cerr|_ZSt4clog)(@.*)?$'
found=$(grep -E "$forbidden" "$work/undefined.txt" || true)
echo "symbols: $(wc -l < "$work/undefined.txt") undefined symbols in mleglm.so; forbidden: ${found:-none}"
[ -z "$found" ]
