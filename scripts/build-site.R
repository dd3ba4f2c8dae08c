# Usage: Rscript --vanilla scripts/build-site.R   (from the package root,
# with the mleglm to document first on .libPaths(); scripts/build-site.sh
# sets that up)
# Builds the pkgdown site into site/ from the installed mleglm. Any warning
# stops the build (a topic or article missing from _pkgdown.yml, a missing
# image, a vignette that does not knit), and so does an example whose
# output shows an error.

# The home page's sidebar would ask CRAN and Bioconductor whether they host
# mleglm; they do not, and a build machine may reach neither.
options(pkgdown.internet = FALSE)

withCallingHandlers(
  {
    # Fails in seconds, before any example runs, on a topic or vignette
    # missing from _pkgdown.yml's index (build_site() would too, later).
    pkgdown::check_pkgdown(".")
    pkgdown::clean_site(".")
    pkgdown::build_site(".", install = FALSE, new_process = FALSE, preview = FALSE)
  },
  warning = function(w) stop("build-site: ", conditionMessage(w), call. = FALSE)
)

site <- pkgdown::as_pkgdown(".")$dst_path

# The README links to files of the repository outside the package
# (bench/results.md, bench/results.png, ...); pkgdown rewrites the links of
# .md files to .html but renders only top-level ones. Render those pages in
# the site's layout at the same relative paths and copy everything else, so
# the home page's links resolve.
home <- xml2::read_html(file.path(site, "index.html"))
hrefs <- c(xml2::xml_attr(xml2::xml_find_all(home, "//main//a[@href]"), "href"),
           xml2::xml_attr(xml2::xml_find_all(home, "//main//img[@src]"), "src"))
hrefs <- unique(sub("#.*$", "", hrefs))
hrefs <- hrefs[nzchar(hrefs) & !grepl("^[a-z]+:|^/", hrefs)]
pkg <- pkgdown::as_pkgdown(".")
for (href in hrefs) {
  if (file.exists(file.path(site, href))) next
  dir.create(dirname(file.path(site, href)), recursive = TRUE, showWarnings = FALSE)
  md <- sub("\\.html$", ".md", href)
  if (grepl("\\.html$", href) && file.exists(md)) {
    body <- pkgdown:::markdown_body(normalizePath(md), strip_header = TRUE)
    pkgdown:::render_page(pkg, "title-body",
      data = list(pagetitle = attr(body, "title"), body = body, filename = md),
      path = href)
  } else if (file.exists(href)) {
    file.copy(href, file.path(site, href))
  }
}

# pkgdown shows an example's error in the page and goes on; a broken
# example must stop the build instead.
pages <- list.files(file.path(site, "reference"), pattern = "\\.html$", full.names = TRUE)
# downlit marks an error's prefix with class "error" (newer versions "r-err").
shows_error <- function(p) any(grepl('class="(error|r-err)', readLines(p, warn = FALSE)))
broken <- pages[vapply(pages, shows_error, NA)]
if (length(broken)) {
  stop("build-site: examples fail in ", paste(basename(broken), collapse = ", "), call. = FALSE)
}
cat("build-site: built", length(list.files(site, pattern = "\\.html$", recursive = TRUE)), "pages in", site, "\n")
