#!/usr/bin/env bash
# Usage: scripts/build-variant.sh DIR [MAKEVARS]
# Builds mleglm's source tarball (vignettes not built) in DIR and installs
# it into DIR/lib, compiled with the flags of the R_MAKEVARS_USER file
# MAKEVARS when given. A fresh build from the tarball: no object file left
# in the work tree is reused, and nothing else's library is touched. The
# package is not test-loaded, as a sanitized build loads only with its
# runtime preloaded.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mkdir -p "$1" && cd "$1" && pwd)
makevars=${2:-}
rm -rf "$dir/lib" "$dir"/mleglm_*.tar.gz
mkdir -p "$dir/lib"
(cd "$dir" && R CMD build --no-build-vignettes --no-manual "$root" > "$dir/build.log" 2>&1)
if [ -n "$makevars" ]; then
  export R_MAKEVARS_USER
  R_MAKEVARS_USER=$(cd "$(dirname "$makevars")" && pwd)/$(basename "$makevars")
fi
R CMD INSTALL --no-test-load --no-multiarch -l "$dir/lib" "$dir"/mleglm_*.tar.gz \
  > "$dir/install.log" 2>&1 || { tail -n 30 "$dir/install.log"; exit 1; }
