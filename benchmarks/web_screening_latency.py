"""Benchmark: keypress to next record in the web app's screening page, on a stage of 10,000 records.

A synthetic project (10,000 deduplicated records with realistic title and abstract lengths, two reviewers)
is served by `sysrev serve`'s app on a loopback port. Measured:

* **server**: one decision as the page sends it — POST the decision (written to the decision log under its
  lock), follow the redirect, render the next record — through a real HTTP connection, N times;
* **browser** (with Chromium and Playwright, skipped otherwise): the time from a key press on the screening
  page to the next record's progress line being on screen, N times.

Printed: median, 90th percentile and maximum in milliseconds, with the number of decisions already in the
log. Target: the next record shows within 100 ms of a key press at 10,000 records.

    .venv/bin/python benchmarks/web_screening_latency.py [--records 10000] [--decisions 200] [--no-browser]
"""

import argparse
import http.cookiejar
import json
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
        '[review]\ntitle = "Latency benchmark"\n\n[screening]\nreviewers = ["alice", "bob"]\n'
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

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    from sysrev.web.app import create_app

    app = create_app(project, token="BENCH", secret_key="bench")
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def server_latency(base: str, decisions: int) -> list[float]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/?token=BENCH").read()
    page = opener.open(f"{base}/pick").read().decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    opener.open(f"{base}/pick", urllib.parse.urlencode({"reviewer": "alice", "csrf_token": csrf}).encode()).read()
    times = []
    for i in range(1, decisions + 1):
        body = urllib.parse.urlencode({"csrf_token": csrf, "record_id": f"R{i:06d}", "decision": "exclude"}).encode()
        start = time.perf_counter()
        html = opener.open(f"{base}/screen/title_abstract/decide", body).read().decode()
        times.append((time.perf_counter() - start) * 1000)
        assert f"record {i + 1} of" in html, html[:500]
    return times


def browser_latency(base: str, decisions: int) -> list[float] | None:
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{base}/?token=BENCH")
        page.check("input[value='bob']")
        page.click("button[type=submit]")
        page.goto(f"{base}/screen/title_abstract")
        for i in range(1, decisions + 1):
            page.wait_for_selector(f"text=record {i} of")
            page.wait_for_selector("html[data-keys=ready]")
            start = time.perf_counter()
            page.keyboard.press("i")
            page.wait_for_selector(f"text=record {i + 1} of")
            times.append((time.perf_counter() - start) * 1000)
        browser.close()
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    print(f"{name:<8} n={len(times):<4} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   "
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
        print(f"{args.records} records at title/abstract; each reviewer's log grows by one row per decision")
        report("server", server_latency(base, args.decisions))
        if not args.no_browser:
            times = browser_latency(base, min(args.decisions, 100))
            if times is None:
                print("browser  skipped: Playwright or Chromium not available")
            else:
                report("browser", times)
        httpd.shutdown()


if __name__ == "__main__":
    main()
