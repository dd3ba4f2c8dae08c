#!/usr/bin/env bash
# Installs what building, checking and running mleglm need and is missing:
# R packages (prebuilt from Debian where apt-get works, else from the package
# repositories R is configured with, options("repos")), the
# tools R CMD check --as-cran uses (pandoc for the vignettes, tidy for HTML
# validation, qpdf) and valgrind for `make valgrind` (gcc's sanitizer
# runtimes come with gcc). Safe to run again: it installs only what is absent.
set -euo pipefail

r_packages="Rcpp RcppEigen knitr rmarkdown testthat numDeriv sandwich MASS generics broom tibble DBI RSQLite lpSolve brglm2"
missing=$(Rscript --vanilla -e "p <- strsplit('$r_packages', ' ')[[1]]; cat(p[!vapply(p, requireNamespace, TRUE, quietly = TRUE)])")
tools_missing=""
for tool in pandoc tidy qpdf valgrind; do
  command -v "$tool" >/dev/null 2>&1 || tools_missing="$tools_missing $tool"
done
# GNU time for the memory benchmark (bench/chunked.R)
[ -x /usr/bin/time ] || tools_missing="$tools_missing time"

if [ -z "$missing" ] && [ -z "$tools_missing" ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
echo "install-deps: missing R packages: ${missing:-none}; missing tools: ${tools_missing:-none}"

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  debs="$tools_missing"
  for p in $missing; do debs="$debs r-cran-$(echo "$p" | tr '[:upper:]' '[:lower:]')"; done
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $debs >/dev/null
fi

# Whatever apt could not provide comes from the repositories R is configured
# with (options("repos"), set in Rprofile.site or ~/.Rprofile; Debian's R sets
# one), so no --vanilla here, which would skip those profiles.
still=$(Rscript --vanilla -e "p <- strsplit('$r_packages', ' ')[[1]]; cat(p[!vapply(p, requireNamespace, TRUE, quietly = TRUE)])")
if [ -n "$still" ]; then
  Rscript -e "
    r <- getOption('repos')
    if (length(r) == 0L || any(is.na(r) | r == '' | r == '@CRAN@')) {
      message('install-deps: R has no package repository configured (getOption(\"repos\") is ',
              if (length(r)) paste(r, collapse = ', ') else 'unset', ').')
      message('install-deps: set one, e.g. options(repos = c(CRAN = \"<mirror URL>\")) in ~/.Rprofile,')
      message('install-deps: then run this script again; still missing: $still')
      quit(status = 1)
    }
    install.packages(strsplit('$still', ' ')[[1]])
  "
fi
echo "install-deps: done"
