#!/usr/bin/env python3
"""Usage: check_site.py SITE [SCREENSHOT_DIR]
       check_site.py --self-test SITE

Renders every HTML page of the static site SITE in headless Chromium, served
from 127.0.0.1 (every other host is unreachable for the browser), and fails
naming the page on:
  * a page that does not load (an HTTP error or a load that never ends),
  * a JavaScript exception or console error, or any error the browser logs,
  * a script, style sheet, font or image that fails to load, or an image
    that does not decode,
  * a link to a file of the site that does not exist, or to an #anchor that
    is not an id (or <a name>) of the page it points to.
Links to other sites are counted, not followed. Screenshots of the home
page, the reference index and the first article the home page links to
(pkgdown's "Get started") go to SCREENSHOT_DIR.

--self-test copies SITE, plants one fault of each kind in pages of its own
and fails unless the check reports each of them naming its page, and passes
on the untouched home page.

Chromium is driven through its DevTools protocol (Debian's
python3-websocket); run as root it needs --no-sandbox.
"""
import base64
import functools
import html.parser
import http.server
import json
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import websocket

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
LOAD_TIMEOUT = 30.0   # seconds for a page's load event
QUIET = 0.5           # seconds without network activity once loaded
SETTLE_MAX = 10.0     # most seconds to wait for that quiet
SCREENSHOTS = {"index.html": "home.png", "reference/index.html": "reference.png"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def serve(site):
    handler = functools.partial(QuietHandler, directory=site)
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Browser:
    """One headless Chromium with one tab, spoken to over the DevTools
    protocol."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="check-site-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             "--remote-debugging-port=0", "--remote-allow-origins=*",
             "--window-size=1280,1600", "--user-data-dir=" + self.profile,
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if self.proc.poll() is not None or time.time() > deadline:
                self.close()
                sys.exit("check-site: Chromium (%s) did not start" % CHROMIUM)
            time.sleep(0.1)
        with open(port_file) as f:
            port = f.read().split()[0]
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port))
        page = [t for t in targets if t["type"] == "page"][0]
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
        self.next_id = 0
        self.events = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  width=1280, height=1600, deviceScaleFactor=1, mobile=False)

    def _receive(self, timeout):
        self.ws.settimeout(timeout)
        try:
            return json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = self._receive(LOAD_TIMEOUT)
            if msg is None:
                raise RuntimeError("no answer to " + method)
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"].get("message")))
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method, timeout):
        """Events until `method` arrives; False when it did not in time."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(e["method"] == method for e in self.events):
                return True
            msg = self._receive(max(0.01, deadline - time.time()))
            if msg and "method" in msg:
                self.events.append(msg)
        return False

    def settle(self):
        """Wait until the network has been idle for QUIET seconds."""
        deadline = time.time() + SETTLE_MAX
        while time.time() < deadline:
            msg = self._receive(QUIET)
            if msg is None:
                return
            if "method" in msg:
                self.events.append(msg)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


COLLECT = """JSON.stringify({
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  images: Array.from(document.images).map(i => ({
    src: i.getAttribute('src'), url: i.currentSrc || i.src,
    lazy: i.loading === 'lazy', ok: i.complete && i.naturalWidth > 0})),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id)
    .concat(Array.from(document.querySelectorAll('a[name]')).map(a => a.name))
})"""


class IdParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


def static_ids(path):
    parser = IdParser()
    with open(path, encoding="utf-8", errors="replace") as f:
        parser.feed(f.read())
    return parser.ids


def site_pages(site):
    pages = []
    for root, dirs, files in os.walk(site):
        # pkgdown's and the vendored libraries' own files are not pages
        if root == site:
            dirs[:] = [d for d in dirs if d not in ("deps", "vendor")]
        pages += [os.path.relpath(os.path.join(root, f), site) for f in files if f.endswith(".html")]
    return sorted(pages)


def ignored(base, url, text):
    """The reason to let a message pass, or None. Only two, neither about
    the site's content: the browser asks every site for /favicon.ico
    (pkgdown makes favicons only from a logo), and MathJax 2 probes fonts
    with an @font-face whose source is about:blank, which Chromium refuses
    to load and logs as an error on pages with some symbols."""
    if url == base + "favicon.ico":
        return "favicon"
    if url == "about:blank" or "at 'about:blank'" in text:
        return "MathJax font probe"
    return None


def check_page(browser, base, site, page, skipped):
    """The page's errors, and its rendered ids, links and images."""
    browser.events = []
    url = base + urllib.parse.quote(page)
    nav = browser.call("Page.navigate", url=url)
    if nav.get("errorText"):
        return ["%s: does not load (%s)" % (page, nav["errorText"])], None
    found = []   # (message, URL of the resource concerned)
    if not browser.wait_for("Page.loadEventFired", LOAD_TIMEOUT):
        found.append(("does not finish loading in %g s" % LOAD_TIMEOUT, url))
    browser.settle()
    info = json.loads(browser.evaluate(COLLECT) or "{}")
    urls = {}
    for e in browser.events:
        m, p = e["method"], e.get("params", {})
        if m == "Network.requestWillBeSent":
            urls[p["requestId"]] = p["request"]["url"]
        elif m == "Network.responseReceived":
            status, res = p["response"]["status"], p["response"]["url"]
            if status >= 400:
                what = "does not load" if p.get("type") == "Document" else "fails to load " + res
                found.append(("%s (HTTP %d)" % (what, status), res))
        elif m == "Network.loadingFailed" and not p.get("canceled"):
            res = urls.get(p["requestId"], "?")
            found.append(("fails to load %s (%s)" % (res, p.get("errorText")), res))
        elif m == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text")
            found.append(("JavaScript exception at %s:%s: %s"
                          % (d.get("url", "?"), d.get("lineNumber", "?"), text.splitlines()[0]), d.get("url", "")))
        elif m == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            found.append(("console.%s: %s" % (p["type"], args), ""))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            entry = p["entry"]
            found.append(("browser error (%s): %s %s" % (entry.get("source"), entry.get("text"), entry.get("url", "")),
                          entry.get("url", "")))
    errors = []
    for text, res in found:
        reason = ignored(base, res, text)
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
        else:
            errors.append("%s: %s" % (page, text))
    for img in info.get("images", []):
        if not img["ok"] and not (img["lazy"] and local_file(site, base, img["url"])):
            errors.append("%s: image %r does not load" % (page, img["src"]))
    return errors, info


def local_file(site, base, url):
    """The file of the site a URL of the local server names, or None."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    if path.endswith("/"):
        path += "index.html"
    full = os.path.normpath(os.path.join(site, path.lstrip("/")))
    return full if os.path.isfile(full) else None


def check_links(site, base, results):
    """Broken links of every rendered page, against the files of the site and
    the ids of the pages they point to."""
    errors, external, checked = [], 0, 0
    ids_of = {}
    for page, info in results.items():
        if info:
            ids_of[os.path.normpath(os.path.join(site, page))] = set(info["ids"])
    for page, info in results.items():
        if not info:
            continue
        for href in sorted(set(info["links"])):
            if not href.startswith(base):
                external += 1
                continue
            checked += 1
            split = urllib.parse.urlsplit(href)
            target = local_file(site, base, href)
            if target is None:
                errors.append("%s: broken link to %s (no such file in the site)"
                              % (page, urllib.parse.unquote(split.path)))
                continue
            anchor = urllib.parse.unquote(split.fragment)
            if anchor and target.endswith(".html"):
                if target not in ids_of:
                    ids_of[target] = static_ids(target)
                if anchor not in ids_of[target]:
                    errors.append("%s: broken link to %s#%s (no such anchor)"
                                  % (page, os.path.relpath(target, site), anchor))
    return errors, checked, external


def run(site, pages, shots=None, browser=None):
    """(errors, pages checked, internal links, external links, messages let
    pass by reason). The home page goes first: the article shot is of the
    first article it links to (pkgdown's "Get started")."""
    server = serve(site)
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    own = browser is None
    browser = browser or Browser()
    errors, results, skipped = [], {}, {}
    pages = sorted(pages, key=lambda p: p != "index.html")
    wanted = dict(SCREENSHOTS)
    try:
        for page in pages:
            page_errors, info = check_page(browser, base, site, page, skipped)
            errors += page_errors
            results[page] = info
            if page == "index.html" and info:
                articles = [h[len(base):] for h in info["links"]
                            if h.startswith(base + "articles/") and h != base + "articles/index.html"]
                if articles:
                    wanted[articles[0].split("#")[0]] = "article.png"
            if shots and page in wanted and info:
                os.makedirs(shots, exist_ok=True)
                png = browser.call("Page.captureScreenshot", format="png")["data"]
                with open(os.path.join(shots, wanted[page]), "wb") as f:
                    f.write(base64.b64decode(png))
        link_errors, internal, external = check_links(site, base, results)
        errors += link_errors
    finally:
        server.shutdown()
        server.server_close()
        if own:
            browser.close()
    return errors, len(pages), internal, external, skipped


# page planted in the copy -> (fault added to the home page's content, what
# the report must say)
FAULTS = {
    "selftest-link.html": ('<a href="reference/no-such-topic.html">gone</a>',
                           "broken link to /reference/no-such-topic.html"),
    "selftest-anchor.html": ('<a href="reference/fit.html#no-such-anchor">gone</a>',
                             "#no-such-anchor (no such anchor)"),
    "selftest-image.html": ('<img src="reference/figures/no-such-figure.png" alt="gone">',
                            "no-such-figure.png"),
    "selftest-undecodable.html": ('<img src="selftest-undecodable.png" alt="garbage">',
                                  "image 'selftest-undecodable.png' does not load"),
    "selftest-script.html": ('<script src="no-such-script.js"></script>', "no-such-script.js"),
    "selftest-console.html": ('<script>console.error("self-test console error")</script>',
                              "console.error: self-test console error"),
    "selftest-exception.html": ('<script>throw new Error("self-test exception")</script>',
                                "JavaScript exception"),
}


def self_test(site):
    work = tempfile.mkdtemp(prefix="check-site-selftest-")
    copy = os.path.join(work, "site")
    failures = 0
    browser = Browser()
    try:
        shutil.copytree(site, copy)
        with open(os.path.join(copy, "index.html"), encoding="utf-8") as f:
            home = f.read()
        if "</main>" not in home:
            sys.exit("check-site: the home page has no </main> to plant faults before")
        errors, *_ = run(copy, ["index.html"], browser=browser)
        print("self-test: untouched home page: %s" % ("passes" if not errors else "FAILS: " + "; ".join(errors)))
        failures += bool(errors)
        with open(os.path.join(copy, "selftest-undecodable.png"), "wb") as f:
            f.write(b"not a PNG")
        for page, (fault, _) in FAULTS.items():
            with open(os.path.join(copy, page), "w", encoding="utf-8") as f:
                f.write(home.replace("</main>", fault + "\n</main>", 1))
        cases = [(page, said) for page, (_, said) in FAULTS.items()]
        cases.append(("no-such-page.html", "does not load (HTTP 404)"))
        for page, said in cases:
            errors, *_ = run(copy, [page], browser=browser)
            caught = [e for e in errors if e.startswith(page + ":") and said in e]
            print("self-test: %-26s %s" % (page, "caught: " + caught[0] if caught else
                                          "NOT CAUGHT (reported: %s)" % "; ".join(errors)))
            failures += not caught
    finally:
        browser.close()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit("check-site: self-test failed: %d fault(s) not reported" % failures)
    print("check-site: self-test passed: every planted fault is reported with its page")


def main(argv):
    if len(argv) == 2 and argv[0] == "--self-test":
        return self_test(os.path.abspath(argv[1]))
    if len(argv) not in (1, 2) or argv[0].startswith("-"):
        sys.exit(__doc__)
    site = os.path.abspath(argv[0])
    shots = os.path.abspath(argv[1]) if len(argv) == 2 else None
    if not os.path.isfile(os.path.join(site, "index.html")):
        sys.exit("check-site: %s has no index.html; build the site first (make site)" % site)
    start = time.time()
    errors, n, internal, external, skipped = run(site, site_pages(site), shots)
    for e in errors:
        print("check-site: " + e, file=sys.stderr)
    print("check-site: %d pages rendered in %.0f s, %d internal links checked, %d external links not followed%s"
          % (n, time.time() - start, internal, external,
             "; screenshots in " + shots if shots else ""))
    if skipped:
        print("check-site: let pass: " + ", ".join("%d %s message(s)" % (v, k) for k, v in sorted(skipped.items())))
    if errors:
        sys.exit("check-site: %d problem(s)" % len(errors))
    print("check-site: no broken page, link or image and no JavaScript error")


if __name__ == "__main__":
    main(sys.argv[1:])
