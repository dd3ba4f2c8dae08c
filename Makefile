# Two commands set up and run everything on a fresh machine:
#   make demo   installs what is missing, installs mleglm and fits the heart example
#   make check  installs what is missing, builds the tarball and runs
#               R CMD check --as-cran on it; fails unless Status: OK
# Also: make test (testthat on the installed package), make document
# (roxygen2 and Rcpp::compileAttributes), make readme (README.md from
# README.Rmd with the freshly installed package), make bench (speed, see bench/),
# make bench-chunked (memory of fits from SQLite).
# make site    the pkgdown site in site/ (README, reference with the examples
#              run, articles, changelog), then every page rendered in headless
#              Chromium: fails on a page that does not load, a broken link,
#              anchor or image or a JavaScript error; screenshots in
#              site-build/screenshots/; then the check's self-test, which
#              plants each kind of fault in a copy of the site
#              (scripts/build-site.sh, check-site.sh)
# Reliability (each builds its own copy of the package under check/safety/,
# leaving the work tree and other libraries alone; .ci/run runs them all):
#   make fuzz      the 1,000-case fuzzer (the test suite runs 100)
#   make sanitize  the test suite under gcc's ASan + UBSan
#   make valgrind  the test suite under valgrind: no error or leak from mleglm
#   make symbols   mleglm.so references no abort/exit/printf/rand/stdout/...
#   make warnings  -Wall -Wextra -pedantic: no warning from mleglm's sources
#   make safety    all five

PKG := mleglm
VERSION := $(shell sed -n 's/^Version: //p' DESCRIPTION)
TARBALL := $(PKG)_$(VERSION).tar.gz
CHECK_DIR := check

# Checks that need what this machine lacks: the network to CRAN (incoming
# feasibility) and a time server (future file timestamps).
CHECK_ENV := _R_CHECK_CRAN_INCOMING_=false _R_CHECK_CRAN_INCOMING_REMOTE_=false \
	_R_CHECK_SYSTEM_CLOCK_=false _R_CHECK_PKG_SIZES_THRESHOLD_=100 NOT_CRAN=true

.PHONY: deps demo install check test document readme bench bench-chunked site clean fuzz sanitize gctorture valgrind symbols warnings safety

deps:
	bash scripts/install-deps.sh

install: deps
	R CMD INSTALL --preclean --no-multiarch .

demo: install
	Rscript --vanilla -e 'library(mleglm); f <- fit(thalach ~ age + exang + oldpeak, heart); print(f); print(summary(f))'

$(TARBALL): deps
	R CMD build .

check: deps
	rm -rf $(CHECK_DIR) && mkdir -p $(CHECK_DIR)
	R CMD build . && mv $(TARBALL) $(CHECK_DIR)/
	cd $(CHECK_DIR) && env $(CHECK_ENV) R CMD check --as-cran --no-manual $(TARBALL); \
	  status=$$?; \
	  echo "---- test output ----"; cat $(PKG).Rcheck/tests/testthat.Rout* 2>/dev/null | tail -n 40; \
	  echo "---- check result ----"; tail -n 3 $(PKG).Rcheck/00check.log; \
	  grep -q '^Status: OK' $(PKG).Rcheck/00check.log && [ $$status -eq 0 ]

test: install
	Rscript --vanilla -e 'testthat::test_local(".", reporter = "summary", stop_on_failure = TRUE)'

document:
	Rscript --vanilla -e 'if (!file.exists("NAMESPACE")) roxygen2::roxygenise(roclets = "namespace", load_code = roxygen2::load_source); Rcpp::compileAttributes(); roxygen2::roxygenise()'
	rm -f src/*.o src/*.so  # compiled by roxygen2 without optimisation

# README.md is generated: its output blocks must be what the code prints now
# (tests/testthat/test-readme.R fails otherwise), and the profile figure is
# drawn again into man/figures/.
readme: install
	Rscript --vanilla -e 'rmarkdown::render("README.Rmd")'

# Not --vanilla: the peers are installed from the repositories set in the R
# profiles.
bench: install
	Rscript bench/run.R

# Peak memory and time of a 1e7-row fit from SQLite against one in memory.
bench-chunked: install
	Rscript --vanilla bench/chunked.R

# The site is built from its own installation under site-build/.
site:
	bash scripts/install-deps.sh --site
	bash scripts/build-site.sh site-build
	bash scripts/check-site.sh site site-build/screenshots
	bash scripts/check-site.sh --self-test site

fuzz: deps
	bash scripts/fuzz.sh

sanitize: deps
	bash scripts/sanitize.sh

gctorture: deps
	bash scripts/gctorture.sh

valgrind: deps
	bash scripts/valgrind.sh

symbols: deps
	bash scripts/check-symbols.sh

warnings: deps
	bash scripts/check-warnings.sh

safety: fuzz sanitize gctorture valgrind symbols warnings

clean:
	rm -rf $(CHECK_DIR) $(PKG)_*.tar.gz src/*.o src/*.so site site-build
