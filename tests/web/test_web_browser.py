"""Real browser tests: headless Chromium (Debian's `chromium`) driven by Playwright against `sysrev serve`'s
app on a loopback port, on the small real project of web_project.py. Each test saves screenshots of the pages
it visits (to $SYSREV_SCREENSHOTS, else the test's temp folder) so a person can look at them.

Skipped, with the reason, where Playwright or Chromium cannot be had (.ci/run installs both)."""

import csv
import os
import shutil
import threading
from pathlib import Path

import pytest

# Skipped where Playwright (an outside program, like Chromium below) is not installed.
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="Playwright is not installed (pip install playwright)")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")


@pytest.fixture
def server(app):
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def page(server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.base = server
        yield page
        browser.close()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SYSREV_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5000  # a rendered page, not a blank one
        return path

    return take


def sign_in(page, reviewer):
    page.goto(f"{page.base}/?token=TESTTOKEN")
    page.check(f"input[value='{reviewer}']")
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")


def decisions(project, stage, reviewer):
    path = project.screening_dir / stage / f"{reviewer}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return [(r["record_id"], r["decision"]) for r in csv.DictReader(fh)]


def test_screen_ten_records_by_keyboard_reload_and_resume(page, project, shots):
    sign_in(page, "alice")
    shots(page, "dashboard")
    page.goto(f"{page.base}/screen/title_abstract")
    page.wait_for_selector("html[data-keys=ready]")
    shots(page, "screen-title-abstract")
    page.select_option("#order", "file")  # file order, so the test knows which record comes next
    page.click("form.order button")
    keys = ["i", "e", "m", "i", "e"]
    for n, key in enumerate(keys, start=1):
        page.wait_for_selector(f"text=record {n} of 10")
        page.wait_for_selector("html[data-keys=ready]")
        page.keyboard.press(key)
    page.wait_for_selector("text=record 6 of 10")
    page.reload()  # resume: the page opens on the first record alice has not decided
    page.wait_for_selector("text=record 6 of 10")
    page.wait_for_selector("html[data-keys=ready]")
    page.keyboard.press("b")  # back to record 5, with her own decision shown
    page.wait_for_selector("text=Your decision so far")
    page.wait_for_selector("html[data-keys=ready]")
    assert "exclude" in page.inner_text(".mine")
    page.keyboard.press("s")  # skip forward again without a new row
    page.wait_for_selector("text=record 6 of 10")
    for n, key in enumerate(["i", "i", "e", "m", "i"], start=6):
        page.wait_for_selector(f"text=record {n} of 10")
        page.wait_for_selector("html[data-keys=ready]")
        page.keyboard.press(key)
    page.wait_for_selector("text=nothing left for you")
    shots(page, "screen-done")
    got = decisions(project, "title_abstract", "alice")
    assert [d for _, d in got] == ["include", "exclude", "maybe", "include", "exclude",
                                   "include", "include", "exclude", "maybe", "include"]
    assert [r for r, _ in got] == [f"R{n:06d}" for n in range(1, 11)]


def test_resolve_a_conflict_in_the_browser(page, project, shots, app):
    from web_project import signed_in

    for reviewer, decision in (("alice", "include"), ("bob", "exclude")):
        client, csrf = signed_in(app, reviewer)
        client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000004",
                                                           "decision": decision})
    sign_in(page, "bob")
    page.goto(f"{page.base}/conflicts/title_abstract")
    page.wait_for_selector("text=Decisions side by side")
    shots(page, "conflicts")
    page.fill("input[name=note]", "randomised, eligible")
    page.click("section.conflict button[value=include]")
    page.wait_for_selector("text=No conflicts for you to settle")
    with open(project.screening_dir / "title_abstract" / "reconciliation" / "bob.csv", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["record_id"], row["decision"], row["note"]) == ("R000004", "include", "randomised, eligible")


def test_answer_a_rob_domain_and_see_the_proposed_judgement(page, project, shots):
    sign_in(page, "alice")
    page.goto(f"{page.base}/rob")
    page.click("text=Indredavik 1991")
    page.wait_for_selector("html[data-keys=ready]")  # the page's script listens for changes from here on
    judgement = page.locator("[data-judgement=D1]")
    assert judgement.inner_text() == "pending (answers missing)"
    page.select_option("#D1-1\\.1", "Y")
    page.select_option("#D1-1\\.2", "Y")
    page.select_option("#D1-1\\.3", "N")
    page.wait_for_function("document.querySelector('[data-judgement=D1]').textContent === 'low'")
    page.select_option("#D1-1\\.2", "N")
    page.wait_for_function("document.querySelector('[data-judgement=D1]').textContent === 'high'")
    shots(page, "rob-form")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Saved to")
    from sysrev.rob.form import load_assessment

    assessment = load_assessment(project.rob_dir / "Indredavik_1991--los.toml")
    assert assessment.algorithm("D1") == "high"
    page.goto(f"{page.base}/rob")
    shots(page, "rob-list")


def test_open_an_analysis_and_review_duplicates(page, shots):
    sign_in(page, "alice")
    page.goto(f"{page.base}/evidence")
    page.wait_for_selector("img[alt^='Forest plot']")
    assert page.locator("#los_dl .status").inner_text() == "reproduced"
    natural = page.evaluate("document.querySelector(\"#los_dl img[alt^='Forest plot']\").naturalWidth")
    assert natural > 0  # the plot loaded, not a broken image
    shots(page, "evidence")
    page.goto(f"{page.base}/duplicates")
    page.wait_for_selector("text=Fields that differ are marked")
    page.wait_for_selector("html[data-keys=ready]")
    shots(page, "duplicates")
    page.keyboard.press("d")
    page.wait_for_selector("text=No undecided pairs")


def test_every_control_reachable_by_keyboard_and_labelled(page):
    sign_in(page, "alice")
    for path in ("/screen/title_abstract", "/rob/Indredavik_1991--los", "/conflicts/title_abstract"):
        page.goto(f"{page.base}{path}")
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name)""")
        assert unlabelled == [], (path, unlabelled)
        # Tab reaches every button and link (none is taken out of the tab order).
        untabbable = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select')]
            .filter(el => el.tabIndex < 0 && el.type !== 'hidden').length""")
        assert untabbable == 0
    page.goto(f"{page.base}/screen/title_abstract")
    page.keyboard.press("Tab")  # the first Tab lands on the skip link
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
