#!/usr/bin/env python3
"""Usage: site_localise.py SITE CACHE PKGDOWN_DIR

Makes the pkgdown site in SITE self-contained: every script and style sheet
that pkgdown 2.0's template loads from a CDN (and MathJax, which Debian's
pkgdown points at file:///usr/share/javascript) is served from SITE/vendor/
instead, so the site works offline and loads nothing from third parties.
The files are the same releases from the npm registry (fetched with
`npm pack` into CACHE once), and each is checked against the template's
Subresource Integrity hash before the tag is rewritten: a release whose
bytes differ stops the build. bootstrap-toc 1.0.1 is not published on npm;
pkgdown's own copy of bootstrap-toc 0.4.1 (PKGDOWN_DIR/BS3/assets) stands in,
with scripts/bootstrap-toc-bs5.js giving it 1.0.1's Bootstrap 5 markup.

It also drops the empty `<img src="" class="logo">` pkgdown 2.0.7 writes on
every page of a package without a logo, a broken image.

A script or style sheet from anywhere else is an error naming the page.
"""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile

# npm release -> the parts of it the pages need (the rest, e.g. MathJax's
# unpacked sources, stays out of the site)
PACKAGES = {
    "@fortawesome/fontawesome-free@5.12.1": ["css", "webfonts", "LICENSE.txt"],
    "headroom.js@0.11.0": ["dist", "LICENSE"],
    "clipboard@2.0.6": ["dist", "LICENSE"],
    "fuse.js@6.4.6": ["dist", "LICENSE"],
    "autocomplete.js@0.38.0": ["dist", "LICENSE"],
    "mark.js@8.11.1": ["dist", "LICENSE"],
    "mathjax@2.7.5": ["MathJax.js", "config", "extensions", "jax", "fonts",
                      "localization", "LICENSE"],
}

CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
# URL in pkgdown's template -> (npm release, file in it)
URLS = {
    CDNJS + "font-awesome/5.12.1/css/all.min.css":
        ("@fortawesome/fontawesome-free@5.12.1", "css/all.min.css"),
    CDNJS + "font-awesome/5.12.1/css/v4-shims.min.css":
        ("@fortawesome/fontawesome-free@5.12.1", "css/v4-shims.min.css"),
    CDNJS + "headroom/0.11.0/headroom.min.js":
        ("headroom.js@0.11.0", "dist/headroom.min.js"),
    CDNJS + "headroom/0.11.0/jQuery.headroom.min.js":
        ("headroom.js@0.11.0", "dist/jQuery.headroom.min.js"),
    CDNJS + "clipboard.js/2.0.6/clipboard.min.js":
        ("clipboard@2.0.6", "dist/clipboard.min.js"),
    CDNJS + "fuse.js/6.4.6/fuse.js": ("fuse.js@6.4.6", "dist/fuse.js"),
    CDNJS + "autocomplete.js/0.38.0/autocomplete.jquery.min.js":
        ("autocomplete.js@0.38.0", "dist/autocomplete.jquery.min.js"),
    CDNJS + "mark.js/8.11.1/mark.min.js": ("mark.js@8.11.1", "dist/mark.min.js"),
    CDNJS + "mathjax/2.7.5/MathJax.js": ("mathjax@2.7.5", "MathJax.js"),
    "file:///usr/share/javascript/mathjax/MathJax.js": ("mathjax@2.7.5", "MathJax.js"),
    CDNJS + "mathjax/2.7.5/config/TeX-AMS-MML_HTMLorMML.js":
        ("mathjax@2.7.5", "config/TeX-AMS-MML_HTMLorMML.js"),
}
TOC_URL = "https://cdn.jsdelivr.net/gh/afeld/bootstrap-toc@v1.0.1/dist/bootstrap-toc.min.js"

TAG = re.compile(r"<(script|link)\b[^>]*>", re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)
EMPTY_LOGO = re.compile(r'<img src="" class="logo" alt="">\s*')


def fail(msg):
    sys.exit("site_localise: " + msg)


def vendor_dir(release):
    return release.lstrip("@").replace("/", "-")


def fetch(cache, site):
    """npm pack each release into cache (npm checks the registry's integrity
    hash of the tarball) and copy the needed parts into site/vendor."""
    os.makedirs(cache, exist_ok=True)
    for release, parts in PACKAGES.items():
        name, version = release.rsplit("@", 1)
        tgz = os.path.join(cache, "%s-%s.tgz" % (name.lstrip("@").replace("/", "-"), version))
        if not os.path.exists(tgz):
            subprocess.run(["npm", "pack", "--silent", release], cwd=cache, check=True,
                           stdout=subprocess.DEVNULL)
            if not os.path.exists(tgz):
                fail("npm pack %s did not write %s" % (release, tgz))
        unpacked = tgz[:-4]
        if not os.path.isdir(unpacked):
            with tarfile.open(tgz) as tar:
                tar.extractall(unpacked + ".tmp")
            os.rename(unpacked + ".tmp", unpacked)
        dest = os.path.join(site, "vendor", vendor_dir(release))
        for part in parts:
            src = os.path.join(unpacked, "package", part)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(dest, part), dirs_exist_ok=True)
            else:
                os.makedirs(dest, exist_ok=True)
                shutil.copy2(src, os.path.join(dest, part))


def check_integrity(path, integrity, page, url):
    """True when one of the SRI hashes matches the file."""
    with open(path, "rb") as f:
        data = f.read()
    for item in integrity.split():
        algo, _, expected = item.partition("-")
        if algo in ("sha256", "sha384", "sha512"):
            got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
            if got == expected:
                return True
    fail("%s: the local copy %s of %s does not match its integrity hash %s"
         % (page, path, url, integrity))


def attr(tag, name):
    m = re.search(r'\s%s="([^"]*)"' % name, tag)
    return m.group(1) if m else None


def rewrite_tag(tag, page, rel_root, site, verified):
    kind = tag[1:].split(None, 1)[0].lower()
    key = "src" if kind == "script" else "href"
    url = attr(tag, key)
    if url is None:
        return tag
    if url == TOC_URL:
        local = "vendor/bootstrap-toc/bootstrap-toc.js"
        new = re.sub(r'\s(integrity|crossorigin)="[^"]*"', "", tag)
        new = new.replace('%s="%s"' % (key, url), '%s="%s%s"' % (key, rel_root, local))
        return new + '</script>\n<script src="%svendor/bootstrap-toc/bootstrap-toc-bs5.js">' % rel_root
    if url in URLS:
        release, file = URLS[url]
        local = "vendor/%s/%s" % (vendor_dir(release), file)
        integrity = attr(tag, "integrity")
        if integrity and (url, integrity) not in verified:
            check_integrity(os.path.join(site, local), integrity, page, url)
            verified.add((url, integrity))
        # Same origin now: without crossorigin the pages also work opened
        # as files; the hash was checked above.
        new = re.sub(r'\s(integrity|crossorigin)="[^"]*"', "", tag)
        return new.replace('%s="%s"' % (key, url), '%s="%s%s"' % (key, rel_root, local))
    external = re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.I)
    loads = kind == "script" or re.search(r'rel="(stylesheet|preload|modulepreload)"', tag)
    if external and loads and not url.startswith("data:"):
        fail("%s loads %s from outside the site; add it to scripts/site_localise.py" % (page, url))
    return tag


def localise_page(path, site, verified):
    page = os.path.relpath(path, site)
    rel_root = "../" * page.count(os.sep)
    with open(path, encoding="utf-8") as f:
        html = f.read()
    out, pos = [], 0
    # Tags inside comments (e.g. an IE-only <!--[if lt IE 9]> script) load
    # nothing and stay as they are.
    for m in COMMENT.finditer(html):
        chunk = html[pos:m.start()]
        out.append(TAG.sub(lambda t: rewrite_tag(t.group(0), page, rel_root, site, verified), chunk))
        out.append(m.group(0))
        pos = m.end()
    out.append(TAG.sub(lambda t: rewrite_tag(t.group(0), page, rel_root, site, verified), html[pos:]))
    html = EMPTY_LOGO.sub("", "".join(out))
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)


def main():
    if len(sys.argv) != 4:
        fail("usage: site_localise.py SITE CACHE PKGDOWN_DIR")
    site, cache, pkgdown_dir = (os.path.abspath(a) for a in sys.argv[1:])
    fetch(cache, site)
    toc = os.path.join(site, "vendor", "bootstrap-toc")
    os.makedirs(toc, exist_ok=True)
    shutil.copy2(os.path.join(pkgdown_dir, "BS3", "assets", "bootstrap-toc.js"), toc)
    shutil.copy2(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bootstrap-toc-bs5.js"), toc)
    verified = set()
    pages = 0
    for root, _, files in os.walk(site):
        if root.startswith(os.path.join(site, "vendor")):
            continue
        for name in files:
            if name.endswith(".html"):
                localise_page(os.path.join(root, name), site, verified)
                pages += 1
    print("site_localise: %d pages load their scripts and styles from vendor/ (%d CDN files checked against their integrity hashes)"
          % (pages, len(verified)))


if __name__ == "__main__":
    main()
