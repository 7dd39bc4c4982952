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
    from sysrev.web.app import web_server

    httpd = web_server(app, "127.0.0.1", 0)  # the server `sysrev serve` runs
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

    take.folder = folder
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
    """Ten records by keyboard: each decision posted with fetch and the next record swapped in without a page
    load, the decision on disk by the time the next record shows; reload resumes; back and a changed mind;
    a key typed ahead goes to the record after."""
    sign_in(page, "alice")
    page.goto(f"{page.base}/screen/title_abstract")
    page.wait_for_selector("html[data-keys=ready]")
    page.select_option("#order", "file")  # file order, so the test knows which record comes next
    page.click("form.order button")
    page.wait_for_selector("html[data-next=ready]")
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded again
    for n, key in enumerate(["i", "e", "m", "i", "e"], start=1):
        page.wait_for_selector(f"text=record {n} of 10")
        page.keyboard.press(key)  # at once: the page waits for the record it fetched ahead, if need be
        page.wait_for_selector(f"text=record {n + 1} of 10")
        assert len(decisions(project, "title_abstract", "alice")) == n  # on disk before it showed
        assert page.evaluate("window.sameDocument") is True
        assert page.evaluate("location.pathname + location.search") == "/screen/title_abstract"
        assert page.evaluate("document.activeElement.tagName") == "H1"  # focus on the new record's title
    assert page.inner_text(".progress").startswith("Title/abstract · record 6 of 10 · 5 left")
    assert page.get_attribute("progress", "value") == "5"
    page.wait_for_selector("html[data-next=ready]")
    shots(page, "screen-title-abstract")  # mid-way: progress, time to go, back
    page.reload()  # resume: the page opens on the first record alice has not decided
    page.wait_for_selector("text=record 6 of 10")
    assert page.evaluate("window.sameDocument") is None
    page.wait_for_selector("html[data-keys=ready]")
    page.keyboard.press("b")  # back to record 5, with her own decision shown
    page.wait_for_selector("text=Your decision so far")
    page.wait_for_selector("html[data-keys=ready]")
    assert "exclude" in page.inner_text(".mine") and "R000005" in page.inner_text(".ids")
    page.keyboard.press("i")  # a changed mind (undo): a new row, then on to the first undecided record
    page.wait_for_selector("text=record 6 of 10")
    assert decisions(project, "title_abstract", "alice")[-1] == ("R000005", "include")
    page.evaluate("window.sameDocument = true")
    for n, key in enumerate(["i", "i", "e"], start=6):
        page.wait_for_selector(f"text=record {n} of 10")
        page.wait_for_selector("html[data-next=ready]")  # as a reviewer who reads first
        page.keyboard.press(key)
    page.wait_for_selector("text=record 9 of 10")
    assert page.evaluate("window.sameDocument") is True, decisions(project, "title_abstract", "alice")
    page.keyboard.press("m")
    page.keyboard.press("i")  # typed ahead, before record 10 shows: kept for it, as the terminal keeps it
    page.wait_for_selector("text=nothing left for you")
    shots(page, "screen-done")
    got = decisions(project, "title_abstract", "alice")
    assert [d for _, d in got] == ["include", "exclude", "maybe", "include", "exclude", "include",
                                   "include", "include", "exclude", "maybe", "include"]
    assert [r for r, _ in got] == [f"R{n:06d}" for n in range(1, 6)] + ["R000005"] + [
        f"R{n:06d}" for n in range(6, 11)]


def test_full_text_exclusion_by_keyboard_needs_a_reason(page, project):
    """At full text, `e` alone asks for a reason; `2` picks the second reason, `e` then posts with fetch."""
    from sysrev.screening.log import Decision, append_decisions, log_path

    for reviewer in ("alice", "bob"):  # R000001 and R000002 go on to full text
        append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                         [Decision(rid, "include", "", reviewer, "2026-12-01T10:00:00Z")
                          for rid in ("R000001", "R000002")])
    sign_in(page, "alice")
    page.goto(f"{page.base}/screen/full_text")
    page.wait_for_selector("html[data-next=ready]")
    first = page.inner_text(".ids").split(" · ")[-1]
    page.keyboard.press("e")
    page.wait_for_selector("#reasons.ask")  # no reason chosen yet: nothing posted
    assert not (project.screening_dir / "full_text" / "alice.csv").exists()
    page.keyboard.press("2")
    page.keyboard.press("e")
    page.wait_for_selector("text=record 2 of 2")
    assert decisions(project, "full_text", "alice") == [(first, "exclude")]
    with open(project.screening_dir / "full_text" / "alice.csv", newline="") as fh:
        assert next(csv.DictReader(fh))["reason"] == "wrong comparator"


def test_screening_without_javascript_posts_the_form(page, project):
    """The plain fallback: with JavaScript off, the buttons post the form and the next page is loaded."""
    context = page.context.browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.base = page.base
    sign_in(plain, "bob")
    plain.goto(f"{plain.base}/screen/title_abstract")
    first = plain.inner_text(".ids").split(" · ")[-1]
    plain.click("button[value=exclude]")
    plain.wait_for_selector("text=record 2 of 10")
    assert decisions(project, "title_abstract", "bob") == [(first, "exclude")]
    context.close()


def test_refused_decision_says_why_and_stays(page, project):
    """A decision the server refuses (here: the session's CSRF token replaced) shows the message, writes
    nothing and keeps the record on screen."""
    sign_in(page, "alice")
    page.goto(f"{page.base}/screen/title_abstract")
    page.wait_for_selector("html[data-next=ready]")
    page.evaluate("document.querySelector('#decide input[name=csrf_token]').value = 'forged'")
    page.keyboard.press("i")
    page.wait_for_selector("#screen-message:has-text('CSRF')")
    assert "record 1 of 10" in page.inner_text(".progress")
    assert not (project.screening_dir / "title_abstract" / "alice.csv").exists()


def test_dashboard_lists_what_included_studies_still_miss(page, project, shots):
    from web_project import include_studies

    include_studies(project)
    sign_in(page, "alice")
    rows = page.locator("#pending tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).inner_text().split("\t")[:2] for i in range(3)] == [
        ["Edinburgh", "RoB 2"], ["Newstudy 2024", "extraction"], ["Newstudy 2024", "RoB 2"]]
    page.click("text=1 exempted item")
    assert page.is_visible("text=Umea: RoB 2 los — awaiting the trial's full text")
    assert "7 left" in page.inner_text("#waiting")
    shots(page, "dashboard")


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


def test_a_late_answer_to_an_earlier_change_does_not_overwrite_the_latest_judgement(page, project):
    """Each change asks the server for the judgements; the answers can arrive in any order. Here the three
    answers are delivered newest first: the page must keep the one for the latest answers (this failed
    intermittently on a loaded machine before the page ignored stale answers)."""
    sign_in(page, "alice")
    page.goto(f"{page.base}/rob")
    page.click("text=Indredavik 1991")
    page.wait_for_selector("html[data-keys=ready]")
    held = []
    page.route("**/propose", lambda route: held.append(route))
    page.select_option("#D1-1\\.1", "Y")
    page.select_option("#D1-1\\.2", "Y")
    page.select_option("#D1-1\\.3", "N")
    for _ in range(200):
        if len(held) == 3:
            break
        page.wait_for_timeout(25)
    assert len(held) == 3
    for route in reversed(held):  # the answer to the latest change first, the one to the first change last
        route.fulfill(response=route.fetch())
    page.wait_for_function("document.querySelector('[data-judgement=D1]').textContent === 'low'")
    page.wait_for_load_state("networkidle")  # the two stale answers have arrived too ...
    page.wait_for_timeout(200)
    assert page.locator("[data-judgement=D1]").inner_text() == "low"  # ... and changed nothing


def test_open_an_analysis_and_review_duplicates(page, project, shots):
    from web_project import drop_study

    from sysrev.living.release import make_release

    extraction = project.extraction_dir / "length_of_stay.csv"
    complete = extraction.read_text(encoding="utf-8")
    drop_study(project, "Orpington-Severe")
    make_release(project, "v1")  # a first release without one trial …
    extraction.write_text(complete, encoding="utf-8")  # … which the current version adds
    sign_in(page, "alice")
    page.goto(f"{page.base}/evidence")
    page.wait_for_selector("img[alt^='Forest plot']")
    assert page.locator("#los_dl .status").inner_text() == "reproduced"
    natural = page.evaluate("document.querySelector(\"#los_dl img[alt^='Forest plot']\").naturalWidth")
    assert natural > 0  # the plot loaded, not a broken image
    panel = page.locator("#changed-los_dl")
    assert "What changed since v1" in panel.inner_text()
    assert "Statistical significance changed" in panel.inner_text()  # the flag, in words
    assert "studies added: Orpington-Severe" in panel.inner_text()
    shots(page, "evidence")
    page.locator("#changed-los_dl").screenshot(path=str(shots.folder / "evidence-changed.png"))
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


# WCAG 2.x contrast ratio of every element's own text against the first opaque background behind it:
# (L1 + 0.05) / (L2 + 0.05), L the relative luminance of the sRGB colour (www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
LOW_CONTRAST = """() => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(el.tagName + ' ' + el.textContent.trim().slice(0, 30) + ' ' + ratio.toFixed(2));
  }
  return low;
}"""


def test_text_contrast_meets_wcag_aa(page, project):
    """Every piece of text on the main pages has a contrast ratio of at least 4.5:1 (WCAG 2.1 AA, normal text)."""
    from web_project import include_studies

    include_studies(project)
    sign_in(page, "alice")
    for path in ("/", "/screen/title_abstract", "/screen/full_text", "/conflicts/title_abstract", "/duplicates",
                 "/rob", "/rob/Indredavik_1991--los", "/evidence"):
        page.goto(f"{page.base}{path}")
        assert page.evaluate(LOW_CONTRAST) == [], path
    # The check finds faint text: #999999 on white is 2.85:1 ((1 + 0.05) / (0.3185 + 0.05), by hand).
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:#999\">faint</p>')")
    assert page.evaluate(LOW_CONTRAST) == ["P faint 2.85"]
