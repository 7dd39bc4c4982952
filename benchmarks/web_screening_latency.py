"""Benchmark: keypress to next record in the web app's screening page, on a stage of 10,000 records.

A synthetic project (10,000 deduplicated records with realistic title and abstract lengths, two reviewers)
is served by `sysrev serve`'s app on a loopback port, in the default order (relevance: the model retrains in
the background after every decision; every tenth decision is an include, so it has both classes to learn
from). Measured, through real HTTP connections:

* **server, fetch post**: what stands between a key press and the next record with JavaScript — the decision
  posted as the page's ``fetch`` posts it, appended to the reviewer's log under the project lock (fsync'd),
  and the answer that it is saved;
* **server, fetch ahead**: the page's request for the following record (``/screen/<stage>/next``), made while
  the reviewer reads — not between key press and record, but it must be ready by then;
* **server, form post**: the plain-HTML fallback — the form posted, the redirect followed, the next page
  rendered (measured last, with its own reviewer, so its model training does not run beside the others);
* **browser** (Chromium through Playwright, skipped otherwise): from a key press on the screening page to the
  next record on screen, two ways. "in page": measured inside the page, from the key event's own time stamp
  to the first frame after the next record replaced the last one (a MutationObserver, then
  requestAnimationFrame and a zero timeout: after the browser painted it). "seen by Playwright": from the
  press command sent to Chromium until Playwright found the next record's progress line, which adds its
  own round trips to the browser process. "after reading" waits until the page has fetched the next record
  ahead (a reviewer reads for seconds); "at once" presses the key the moment the record shows, so the time
  includes whatever the fetch ahead still needed (the relevance model retraining on 10,000 records).

Printed: median, 90th percentile, maximum and the share within 100 ms, in milliseconds.
Target: the next record shows within 100 ms of a key press at 10,000 records.

    .venv/bin/python benchmarks/web_screening_latency.py [--records 10000] [--decisions 200] [--no-browser]
"""

import argparse
import http.cookiejar
import json
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

WORDS = ("ultrasound fluoroscopy guided injection randomised trial pain lumbar epidural steroid facet sacroiliac "
         "outcome patients disability index follow up weeks months group compared significant reduction").split()


def build(root: Path, n: int) -> None:
    (root / "records").mkdir(parents=True)
    (root / "review.toml").write_text(
        '[review]\ntitle = "Latency benchmark"\n\n[screening]\nreviewers = ["alice", "bob", "carol"]\n'
        'reviewers_per_record = 2\nexclusion_reasons = ["wrong population"]\nhighlight_terms = ["ultrasound", '
        '"randomi"]\n', encoding="utf-8")
    rng = random.Random(7)
    with open(root / "records" / "records.jsonl", "w", encoding="utf-8") as fh:
        for i in range(1, n + 1):
            record = {"record_id": f"R{i:06d}", "source_id": str(30000000 + i), "source": "pubmed",
                      "title": " ".join(rng.choices(WORDS, k=14)).capitalize(),
                      "abstract": " ".join(rng.choices(WORDS, k=250)), "authors": ["Kim, J", "Lee, S", "Park, Y"],
                      "year": 2000 + i % 24, "journal": "Pain Physician", "doi": f"10.1000/x.{i}",
                      "pmid": str(30000000 + i)}
            fh.write(json.dumps(record) + "\n")


def serve(project):
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    from sysrev.web.app import create_app, web_server

    app = create_app(project, token="BENCH", secret_key="bench")
    httpd = web_server(app, "127.0.0.1", 0)  # the server `sysrev serve` runs
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def signed_in(base: str, reviewer: str):
    """A urllib opener past the token and the reviewer choice, and the session's CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/?token=BENCH").read()
    page = opener.open(f"{base}/pick").read().decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    opener.open(f"{base}/pick", urllib.parse.urlencode({"reviewer": reviewer, "csrf_token": csrf}).encode()).read()
    return opener, csrf


def decision(i: int) -> str:
    """Every tenth record an include, the rest excludes: the relevance model has both classes."""
    return "include" if i % 10 == 0 else "exclude"


def since(start: float) -> float:
    """Milliseconds since ``start`` (a ``time.perf_counter()`` reading)."""
    return (time.perf_counter() - start) * 1000


def server_latency(base: str, decisions: int) -> dict:
    """alice (file order, so the records come R000001, R000002, ...): fetch ahead, then post as the page does."""
    times = {"fetch post": [], "fetch ahead": []}
    opener, csrf = signed_in(base, "alice")
    opener.open(f"{base}/screen/title_abstract/order",
                urllib.parse.urlencode({"csrf_token": csrf, "order": "file"}).encode()).read()
    as_json = {"Accept": "application/json"}
    for i in range(1, decisions + 1):
        rid = f"R{i:06d}"
        ahead = urllib.request.Request(f"{base}/screen/title_abstract/next?after={rid}", headers=as_json)
        start = time.perf_counter()
        body = json.loads(opener.open(ahead).read())
        times["fetch ahead"].append(since(start))
        assert body["record_id"] == f"R{i + 1:06d}" and f"record {i + 1} of" in body["html"], body
        form = {"csrf_token": csrf, "record_id": rid, "decision": decision(i), "expect_next": body["record_id"]}
        post = urllib.request.Request(f"{base}/screen/title_abstract/decide", headers=as_json,
                                      data=urllib.parse.urlencode(form).encode())
        start = time.perf_counter()
        answer = json.loads(opener.open(post).read())
        times["fetch post"].append(since(start))
        assert answer["saved"] and answer["next_ok"], answer
    return times


def form_latency(base: str, decisions: int) -> dict:
    """carol (relevance, the default): the plain form post with its redirect, as without JavaScript."""
    times = {"form post": []}
    opener, csrf = signed_in(base, "carol")
    html = opener.open(f"{base}/screen/title_abstract").read().decode()
    for i in range(1, decisions + 1):
        rid = html.split('name="record_id" value="')[1].split('"')[0]
        body = urllib.parse.urlencode({"csrf_token": csrf, "record_id": rid, "decision": decision(i)}).encode()
        start = time.perf_counter()
        html = opener.open(f"{base}/screen/title_abstract/decide", body).read().decode()
        times["form post"].append(since(start))
        assert f"record {i + 1} of" in html, html[:500]
    return times


def browser_latency(base: str, decisions: int) -> dict | None:
    """bob, in the default (relevance) order: key presses after reading, then at once."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    times = {"after reading": [], "at once": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_default_timeout(300_000)  # the relevance model's first training on 10,000 records takes a while
        page.add_init_script(IN_PAGE_TIMER)
        page.goto(f"{base}/?token=BENCH")
        page.check("input[value='bob']")
        page.click("button[type=submit]")
        page.goto(f"{base}/screen/title_abstract")
        n = 1
        for kind in times:
            for _ in range(decisions):
                page.wait_for_selector(f"text=record {n} of")
                page.wait_for_selector("html[data-keys=ready]")
                if kind == "after reading":
                    page.wait_for_selector("html[data-next=ready]")
                start = time.perf_counter()
                page.keyboard.press("i" if n % 10 == 0 else "e")
                page.wait_for_selector(f"text=record {n + 1} of")
                times[kind].append(since(start))
                n += 1
        in_page = page.evaluate("window.sysrevLatency")
        browser.close()
    assert len(in_page) == 2 * decisions, len(in_page)
    return {"in page, after reading": in_page[:decisions], "in page, at once": in_page[decisions:],
            **{f"seen by Playwright, {kind}": found for kind, found in times.items()}}


# From the key event's time stamp (the browser's own clock) to just after the frame that shows the next record.
IN_PAGE_TIMER = """
window.sysrevLatency = [];
window.addEventListener("keydown", function (e) { window.sysrevKeyAt = e.timeStamp; }, true);
document.addEventListener("DOMContentLoaded", function () {
  var screen = document.getElementById("screen");
  if (!screen) return;
  new MutationObserver(function () {
    var at = window.sysrevKeyAt;
    if (at == null) return;
    window.sysrevKeyAt = null;
    requestAnimationFrame(function () {
      setTimeout(function () { window.sysrevLatency.push(performance.now() - at); }, 0);
    });
  }).observe(screen, { childList: true });
});
"""


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    print(f"{name:<26} n={len(times):<4} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   "
          f"max {max(times):7.1f} ms   within 100 ms: {sum(t <= 100 for t in times)}/{len(times)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    from sysrev.project import load_project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "review"
        build(root, args.records)
        httpd, base = serve(load_project(root))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{args.records} records at title/abstract; each reviewer's log grows by one row per decision; "
              f"load average at start {load} on {os.cpu_count()} cores")
        for name, times in server_latency(base, args.decisions).items():
            report(f"server, {name}", times)
        if not args.no_browser:
            found = browser_latency(base, min(args.decisions, 100))
            if found is None:
                print("browser  skipped: Playwright or Chromium not available")
            for name, times in (found or {}).items():
                report(f"browser, {name}", times)
        for name, times in form_latency(base, args.decisions).items():
            report(f"server, {name}", times)
        httpd.shutdown()


if __name__ == "__main__":
    main()
