"""Benchmark: the largest contentful paint of the home page in a real browser (issue 13).

Starts `wholeplace serve` over a place on a free port of 127.0.0.1 (the demo place, built
afresh, unless --place names one; see _web.py), signs in a partnership member, and has
Playwright drive Debian's Chromium (/usr/bin/chromium, headless, --no-sandbox,
--disable-background-networking) to load the home page --loads times:

The first request for the home page after the server starts computes the views it keeps
until the next write (docs/web.md); it is timed and printed on its own, before the loads:

  cold: each load in a new browser context (no cache, no connection kept), as a first visit;
  warm: the same context, page after page, as someone coming back to it (one untimed load
        first).

Each load's largest contentful paint is read in the page with a PerformanceObserver
('largest-contentful-paint', buffered) once the page has loaded, beside the time to the
first byte of the page (the navigation's responseStart). It prints the median and p95 of
each and compares the LCP with a named baseline (BASELINES; --baseline to choose).

  .venv/bin/python benchmarks/web_lcp.py                # 20 loads each, the demo place
  .venv/bin/python benchmarks/web_lcp.py --loads 5
  .venv/bin/python benchmarks/web_lcp.py --place DIR    # an existing place

Playwright is in the dev dependencies; `playwright install` is never needed: it uses the
system's Chromium (--chromium to name another).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _web import COOKIE, HOST, Visitor, percentile, served

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking"]

# The last LCP entry the page has reported by the time it has loaded (entries arrive
# asynchronously, so the observer is given a moment to deliver the buffered ones).
READ_LCP = """() => new Promise((resolve) => {
  const seen = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.push(e.startTime);
  }).observe({ type: "largest-contentful-paint", buffered: true });
  const nav = performance.getEntriesByType("navigation")[0];
  setTimeout(() => resolve({
    lcp: seen.length ? seen[seen.length - 1] : null,
    ttfb: nav ? nav.responseStart : null,
  }), 200);
})"""


@dataclass(frozen=True)
class Baseline:
    lcp_ms: float
    note: str


# name -> the figures a run is compared with
BASELINES = {
    "issue13-targets": Baseline(1500, "issue 13: the home page's LCP under 1.5 s in Playwright"),
}


def load_once(page: Any, url: str) -> tuple[float, float]:
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        sys.exit(f"the home page answered {None if response is None else response.status}")
    if page.locator("#headline-total").count() == 0:
        sys.exit("the home page has no headline: not signed in?")
    got = page.evaluate(READ_LCP)
    if got["lcp"] is None:
        sys.exit("the browser reported no largest contentful paint")
    return float(got["lcp"]), float(got["ttfb"] or 0.0)


Loads = dict[str, list[tuple[float, float]]]  # cold/warm -> (LCP, TTFB) in ms, each load


def measure(chromium: str, port: int, token: str, loads: int) -> Loads:
    from playwright.sync_api import sync_playwright

    url = f"http://{HOST}:{port}/"
    cookie = {"name": COOKIE, "value": token, "url": url}
    out: Loads = {"cold": [], "warm": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        try:
            for _ in range(loads):
                context = browser.new_context()
                context.add_cookies([cookie])
                out["cold"].append(load_once(context.new_page(), url))
                context.close()
            context = browser.new_context()
            context.add_cookies([cookie])
            page = context.new_page()
            load_once(page, url)  # untimed: fills the cache
            for _ in range(loads):
                out["warm"].append(load_once(page, url))
            context.close()
        finally:
            browser.close()
    return out


def report(found: Loads, baseline: str) -> None:
    b = BASELINES[baseline]
    print(f"\n{'loads':<8}{'n':>4}{'LCP p50':>10}{'LCP p95':>10}{'TTFB p50':>10}{'TTFB p95':>10}")
    for kind, rows in found.items():
        lcp = [r[0] for r in rows]
        ttfb = [r[1] for r in rows]
        print(
            f"{kind:<8}{len(rows):>4}{statistics.median(lcp):>8.0f}ms{percentile(lcp, 95):>8.0f}ms"
            f"{statistics.median(ttfb):>8.0f}ms{percentile(ttfb, 95):>8.0f}ms"
        )
    print(f"\nagainst baseline {baseline!r} ({b.note}):")
    for kind, rows in found.items():
        lcp = [r[0] for r in rows]
        for what, got in (("p50", statistics.median(lcp)), ("p95", percentile(lcp, 95))):
            verdict = "within" if got < b.lcp_ms else "OVER"
            print(f"  {kind} LCP {what} {got:.0f} ms vs {b.lcp_ms:.0f} ms: {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--loads", type=int, default=20, help="loads of each kind (20)")
    ap.add_argument("--place", type=Path, help="an existing place (default: the demo, built)")
    ap.add_argument("--chromium", default=CHROMIUM, help=f"the browser ({CHROMIUM})")
    ap.add_argument("--baseline", choices=sorted(BASELINES), default="issue13-targets")
    args = ap.parse_args()
    if not 1 <= args.loads <= 1000:
        sys.exit("--loads from 1 to 1000")
    with served(args.place) as port:
        visitor = Visitor(port)
        visitor.sign_in()
        # The first request for the home page after the server starts (or after a write)
        # computes its consolidated views, which the server then keeps: timed on its own,
        # so that the loads below measure the page as it is served between writes.
        start = time.perf_counter()
        status, _ = visitor.request("GET", "/")
        if status != 200:
            sys.exit(f"the home page answered {status}")
        first = (time.perf_counter() - start) * 1000
        print(f"the home page's first request after the server started: {first:.0f} ms")
        found = measure(args.chromium, port, visitor.cookies[COOKIE], args.loads)
    report(found, args.baseline)


if __name__ == "__main__":
    main()
