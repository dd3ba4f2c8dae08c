#!/usr/bin/env bash
# Usage: scripts/build-site.sh [BUILD_DIR]   (make site; BUILD_DIR defaults
# to site-build/)
# Builds the documentation site into site/ (destination in _pkgdown.yml):
# mleglm is built and installed into BUILD_DIR/lib by
# scripts/build-variant.sh (the work tree's objects and other libraries are
# left alone), pkgdown renders the README, the reference with its examples
# run, the vignettes and NEWS.md from that installation
# (scripts/build-site.R, log in BUILD_DIR/pkgdown.log), and
# scripts/site_localise.py serves the template's CDN scripts, fonts and
# MathJax from site/vendor/ (npm releases cached in BUILD_DIR/npm).
# scripts/check-site.sh checks the result in a browser.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(mkdir -p "${1:-$root/site-build}" && cd "${1:-$root/site-build}" && pwd)
cd "$root"

echo "build-site: installing mleglm into $build/lib"
bash scripts/build-variant.sh "$build"

echo "build-site: pkgdown (log in $build/pkgdown.log)"
R_LIBS="$build/lib" Rscript --vanilla scripts/build-site.R > "$build/pkgdown.log" 2>&1 ||
  { tail -n 40 "$build/pkgdown.log"; exit 1; }
tail -n 1 "$build/pkgdown.log"

pkgdown_dir=$(Rscript --vanilla -e 'cat(system.file(package = "pkgdown"))')
# Debian's python3, where python3-websocket and the rest of Debian's Python
# modules live (a python3 earlier on PATH may lack them)
/usr/bin/python3 scripts/site_localise.py site "$build/npm" "$pkgdown_dir"
