#!/usr/bin/env bash
# Usage: scripts/install-deps.sh [--site]
# Installs what building, checking and running mleglm need and is missing:
# R packages (prebuilt from Debian where apt-get works, else from the package
# repositories R is configured with, options("repos"); from those
# repositories too where the installed version is older than the tests
# need, $r_minimum below), the
# tools R CMD check --as-cran uses (pandoc for the vignettes, tidy for HTML
# validation, qpdf), valgrind for `make valgrind` (gcc's sanitizer
# runtimes come with gcc) and the PostgreSQL server that .ci/run starts for
# the tests (scripts/postgres.sh) with its R driver RPostgres. With --site,
# also what `make site` needs: pkgdown and ragg (its figures), Chromium for
# the check in a browser, Debian's python3-websocket to drive it, and npm to
# fetch the template's scripts and fonts. Safe to run again: it installs
# only what is absent or too old, and fails if that did not work.
set -euo pipefail
site=false
[ "${1:-}" = "--site" ] && site=true

# RPostgres has no prebuilt Debian package in every release (none in
# bookworm): its own dependencies are listed too, so that apt brings those
# prebuilt and only RPostgres itself is compiled from the repositories.
# (duckdb, another in-database candidate, has no prebuilt Debian package in
# bookworm either and is not installed.)
r_packages="Rcpp RcppEigen knitr rmarkdown testthat numDeriv sandwich MASS generics broom tibble DBI RSQLite lpSolve brglm2 car emmeans effects ggeffects insight lmtest parameters performance marginaleffects modelsummary bit64 blob hms lubridate withr cpp11 plogr RPostgres"
$site && r_packages="$r_packages pkgdown ragg"
# The versions the tests need (package=version): marginaleffects and
# modelsummary, and the minimum versions their Imports require, which
# Debian's prebuilt packages do not all meet (bookworm has insight 0.19,
# parameters 0.20, performance 0.10, data.table 1.14). backports 1.5.0:
# on R < 4.4 marginaleffects takes `%||%` from backports without saying
# which version (bookworm's 1.4.1 has none). The repositories' versions of
# these bring the newer versions of their own dependencies they need
# (bayestestR, datawizard) with them.
r_minimum="marginaleffects=1.0.0 modelsummary=2.6.0 insight=1.4.0 data.table=1.17.8 parameters=0.28.0 performance=0.15.0 checkmate=2.3.1 tables=0.9.31 tinytable=0.16.0 backports=1.5.0"
# Installed or not, without loading each (lubridate's loading asks
# timedatectl for the time zone, which warns on a machine without systemd).
absent="p <- strsplit('$r_packages', ' ')[[1]]; cat(p[!nzchar(vapply(p, function(q) system.file(package = q), ''))])"
# Absent or older than $r_minimum says, from the DESCRIPTION of the copy R
# would load (the first on the library path), again without loading it.
too_old="m <- strsplit('$r_minimum', ' ')[[1]]; p <- sub('=.*', '', m); v <- sub('.*=', '', m)
have <- vapply(p, function(q) as.character(suppressWarnings(utils::packageDescription(q, fields = 'Version'))), '')
cat(p[is.na(have) | package_version(ifelse(is.na(have), '0.0', have)) < package_version(v)])"
missing=$(Rscript --vanilla -e "$absent")
outdated=$(Rscript --vanilla -e "$too_old")
tools_missing=""
for tool in pandoc tidy qpdf valgrind; do
  command -v "$tool" >/dev/null 2>&1 || tools_missing="$tools_missing $tool"
done
# GNU time for the memory benchmark (bench/chunked.R)
[ -x /usr/bin/time ] || tools_missing="$tools_missing time"
# The PostgreSQL server binaries (initdb, pg_ctl, postgres under
# /usr/lib/postgresql/<version>/bin), found as scripts/postgres.sh finds them
bash "$(dirname "$0")/postgres.sh" bindir >/dev/null 2>&1 || tools_missing="$tools_missing postgresql"
if $site; then
  for tool in chromium npm; do
    command -v "$tool" >/dev/null 2>&1 || tools_missing="$tools_missing $tool"
  done
  # Debian's python3 (scripts/check-site.sh runs /usr/bin/python3)
  /usr/bin/python3 -c 'import websocket' >/dev/null 2>&1 || tools_missing="$tools_missing python3-websocket"
fi

if [ -z "$missing" ] && [ -z "$outdated" ] && [ -z "$tools_missing" ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
echo "install-deps: missing R packages: ${missing:-none}; absent or older than needed: ${outdated:-none}; missing tools: ${tools_missing:-none}"

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  wanted="$tools_missing"
  for p in $missing; do wanted="$wanted r-cran-$(echo "$p" | tr '[:upper:]' '[:lower:]')"; done
  # libpq's headers, to compile RPostgres where it is not prebuilt
  case " $missing " in *" RPostgres "*) wanted="$wanted libpq-dev" ;; esac
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Only what this release has (r-cran-rpostgres is not in every one); the
  # rest comes from R's repositories below.
  debs=""
  for deb in $wanted; do
    policy=$(LC_ALL=C apt-cache policy "$deb" 2>/dev/null || true)
    if echo "$policy" | grep '^ *Candidate: [^(]' >/dev/null; then
      debs="$debs $deb"
    else
      echo "install-deps: no Debian package $deb"
    fi
  done
  server=""
  case " $debs " in *" postgresql "*) server=postgresql; debs=$(echo " $debs " | sed 's/ postgresql / /') ;; esac
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $debs >/dev/null
  # The server only serves the tests that need it, which skip without one.
  if [ -n "$server" ]; then
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null ||
      echo "install-deps: could not install postgresql; the PostgreSQL tests will skip"
  fi
fi

# Whatever apt could not provide, or provided older than $r_minimum says,
# comes from the repositories R is configured with (options("repos"), set in
# Rprofile.site or ~/.Rprofile; Debian's R sets one), so no --vanilla here,
# which would skip those profiles. install.packages() puts them in the
# first library on the path (/usr/local/lib/R/site-library on Debian), ahead
# of Debian's older copies, which stay for apt to manage.
still=$(Rscript --vanilla -e "$absent")
still_old=$(Rscript --vanilla -e "$too_old")
# shellcheck disable=SC2086
still=$(printf '%s\n' $still $still_old | sort -u | tr '\n' ' ' | sed 's/ *$//')
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
# install.packages() only warns when a package fails to build: check.
# shellcheck disable=SC2046
failed=$(printf '%s\n' $(Rscript --vanilla -e "$absent") $(Rscript --vanilla -e "$too_old") | sort -u | tr '\n' ' ' | sed 's/ *$//')
if [ -n "$failed" ]; then
  echo "install-deps: still absent or older than needed after installing: $failed (see the messages above)" >&2
  exit 1
fi
echo "install-deps: done"
