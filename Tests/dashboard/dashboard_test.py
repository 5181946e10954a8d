#!/usr/bin/env python3
"""Headless-browser check of the dashboard at URL/dashboard (python3 stdlib + Debian's chromium).

Loads `URL/dashboard#token=TOKEN&lb=NAME` twice in headless chromium, each time with a virtual-time budget so
the page's script can log in, load the list and the status tree and poll statistics:
  1. `--dump-dom`: the rendered DOM is parsed and checked: the row `tr.lb-row[data-lb-name=NAME]` exists (and
     has `data-operating-status` = --expect-operating when given), and every --expect-members address is a
     `li.member[data-member-address]` inside `#status-tree[data-lb-name=NAME]`;
  2. `--screenshot`: a PNG of the page, saved even when the checks fail (it shows what went wrong).
The token travels only in the URL fragment, which chromium never sends to the server (it is on chromium's
command line while the test runs, so use a test token). Chromium runs with a
throw-away profile and its own background networking disabled (host names other than localhost do not
resolve, except URL's), so the only traffic is to URL. Exit status 0 only if every check passed; 1 on a failed check,
2 on a usage or environment problem (server down, chromium missing).
"""
import argparse
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []
        self.text = []

    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(self, predicate):
        return [node for node in self.walk() if predicate(node)]

    def all_text(self):
        return " ".join(" ".join(node.text) for node in self.walk()).split()


class DOMParser(html.parser.HTMLParser):
    """A small element tree of chromium's serialised DOM (well-formed: every non-void element is closed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        if data.strip():
            self.current.text.append(data.strip())


def find_chromium(explicit):
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_command(binary, profile, budget_ms, window, host):
    return [
        binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", f"--window-size={window}",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--metrics-recording-only",
        "--hide-scrollbars", "--mute-audio", f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {host}",
    ]


def run_chromium(command, timeout):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:  # subprocess.run kills the child it started
        raise SystemExit(f"FAIL chromium did not finish within {timeout} s ({error.cmd[0]})") from None


def tail(text, lines=15):
    """The end of chromium's stderr without its complaints about the missing D-Bus (harmless here)."""
    kept = [line for line in (text or "").strip().splitlines() if "dbus" not in line.lower()]
    return "\n".join(kept[-lines:])


def is_png(path):
    try:
        with open(path, "rb") as f:
            return f.read(8) == b"\x89PNG\r\n\x1a\n"
    except OSError:
        return False


def preflight(url):
    try:
        with urllib.request.urlopen(url + "/dashboard", timeout=10) as response:
            kind = response.headers.get("Content-Type", "")
            if response.status != 200 or not kind.startswith("text/html"):
                return f"GET {url}/dashboard answered {response.status} {kind}, not 200 text/html"
    except (urllib.error.URLError, OSError) as error:
        return f"GET {url}/dashboard failed: {error}"
    return None


def check_dom(dom, args):
    """Returns (failures, notes) for the dumped DOM."""
    parser = DOMParser()
    parser.feed(dom)
    root = parser.root
    failures, notes = [], []
    body = next(iter(root.find_all(lambda n: n.tag == "body")), None)
    state = body.attrs.get("data-state") if body else None
    notes.append(f"page state: {state}")
    errors = [" ".join(n.all_text()) for n in root.find_all(lambda n: "error" in n.classes() and n.tag == "div")]
    for error in errors:
        notes.append(f"error shown by the page: {error}")
    if state == "login":
        login_error = root.find_all(lambda n: n.attrs.get("id") == "login-error")
        reason = " ".join(login_error[0].all_text()) if login_error else ""
        failures.append(f"the dashboard shows the login form, the token was not accepted: {reason or '(no reason)'}")
        return failures, notes
    rows = root.find_all(lambda n: n.tag == "tr" and "lb-row" in n.classes())
    names = [row.attrs.get("data-lb-name") for row in rows]
    notes.append(f"load balancer rows: {names}")
    row = next((r for r in rows if r.attrs.get("data-lb-name") == args.expect_lb), None)
    if row is None:
        failures.append(f"no row for load balancer {args.expect_lb!r} (rows: {names}; state {state})")
        return failures, notes
    operating = row.attrs.get("data-operating-status")
    notes.append(
        f"row {args.expect_lb}: id {row.attrs.get('data-lb-id')}, provisioning "
        f"{row.attrs.get('data-provisioning-status')}, operating {operating}")
    if args.expect_operating and operating != args.expect_operating:
        failures.append(f"load balancer {args.expect_lb!r} is {operating}, expected {args.expect_operating}")
    trees = root.find_all(lambda n: n.attrs.get("id") == "status-tree")
    tree = next((t for t in trees if t.attrs.get("data-lb-name") == args.expect_lb), None)
    if tree is None:
        shown = [t.attrs.get("data-lb-name") for t in trees]
        failures.append(f"the status tree of {args.expect_lb!r} is not shown (status tree of: {shown})")
        return failures, notes
    members = tree.find_all(lambda n: n.tag == "li" and "member" in n.classes())
    found = {}
    for member in members:
        found[member.attrs.get("data-member-address")] = member.attrs.get("data-operating-status")
    notes.append("members in the status tree: " + (", ".join(f"{a} {s}" for a, s in found.items()) or "none"))
    for address in args.expect_members:
        if address not in found:
            failures.append(f"member {address} is not in the status tree of {args.expect_lb!r}")
    return failures, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="fulcrum-api base URL, e.g. http://127.0.0.1:9876")
    parser.add_argument("--token", required=True, help="API token (X-Auth-Token)")
    parser.add_argument("--expect-lb", required=True, help="name of the load balancer to check")
    parser.add_argument("--expect-members", required=True, help="comma-separated member addresses")
    parser.add_argument("--expect-operating", default="", help="expected operating_status of the LB row")
    parser.add_argument("--screenshot", required=True, help="where to save the PNG")
    parser.add_argument("--chromium", help="chromium binary (default: chromium on PATH)")
    parser.add_argument("--budget-ms", type=int, default=12000, help="virtual time the page gets (ms)")
    parser.add_argument("--window", default="1400,1000", help="window size W,H of the screenshot")
    parser.add_argument("--timeout", type=int, default=120, help="wall-clock limit per chromium run (s)")
    args = parser.parse_args()
    args.url = args.url.rstrip("/")
    args.expect_members = [a.strip() for a in args.expect_members.split(",") if a.strip()]

    chromium = find_chromium(args.chromium)
    if not chromium:
        print("FAIL chromium not found: install it with `make dashboard-deps` "
              "(apt-get install -y --no-install-recommends chromium)")
        return 2
    problem = preflight(args.url)
    if problem:
        print(f"FAIL {problem}")
        return 2
    fragment = urllib.parse.urlencode({"token": args.token, "lb": args.expect_lb}, quote_via=urllib.parse.quote)
    page = f"{args.url}/dashboard#{fragment}"
    print(f"dashboard test: {args.url}/dashboard, load balancer {args.expect_lb!r}, members {args.expect_members}"
          + (f", operating {args.expect_operating}" if args.expect_operating else ""))

    with tempfile.TemporaryDirectory(prefix="fulcrum-dashboard-") as profile:
        host = urllib.parse.urlsplit(args.url).hostname
        base = chromium_command(chromium, profile, args.budget_ms, args.window, host)
        dump = run_chromium(base + ["--dump-dom", page], args.timeout)
        screenshot = os.path.abspath(args.screenshot)
        if os.path.exists(screenshot):
            os.remove(screenshot)
        shot = run_chromium(base + [f"--screenshot={screenshot}", page], args.timeout)

    failures = []
    if dump.returncode != 0 or "<html" not in dump.stdout:
        failures.append(f"chromium --dump-dom failed (exit {dump.returncode}):\n{tail(dump.stderr)}")
        notes = []
    else:
        failures_dom, notes = check_dom(dump.stdout, args)
        failures += failures_dom
    if shot.returncode != 0 or not is_png(screenshot):
        failures.append(f"chromium --screenshot wrote no PNG (exit {shot.returncode}):\n{tail(shot.stderr)}")
    else:
        notes.append(f"screenshot: {screenshot} ({os.path.getsize(screenshot)} bytes)")

    for note in notes:
        print(f"  info {note}")
    for failure in failures:
        print(f"  FAIL {failure}")
    if failures:
        print(f"dashboard test: {len(failures)} check(s) failed")
        return 1
    print("dashboard test: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
