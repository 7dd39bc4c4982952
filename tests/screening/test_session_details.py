"""The interactive screen in detail, driven by scripted key presses: what each decision row records, which
records come back, the order and the model asked for, and the exact text a reviewer sees (the record's
lines, progress, pages of a long abstract, the paper's location, the linked reports, the votes to settle
and the closing summary)."""

import itertools
import json
import os
import random
import shutil
import time

import pytest

from sysrev.errors import SysrevError
from sysrev.fulltext.manifest import Entry, sha256, write_manifest
from sysrev.screening.log import log_path, read_log, reconciliation_path
from sysrev.screening.ranking import Ranking
from sysrev.screening.session import (
    ReconcileSession,
    ScreenSession,
    SessionResult,
    _highlighter,
    _minutes,
    default_order,
)
from sysrev.screening.state import load_screening

H = "record_id,decision,reason,reviewer,timestamp\n"
KEYS = "[i] include  [e] exclude  [m] maybe  [s] skip  [b] back  [q] quit"
NOTHING = "does nothing here: i include, e exclude, m maybe, s skip, b back, q quit)"
TITLE_1 = "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection: a randomized trial"
LONG = " ".join(f"Sentence {n} of a long abstract about ultrasound guidance." for n in range(20))


def session(project, keys=(), reviewer="alice", stage="title_abstract", cls=ScreenSession, **options):
    """A session answering with ``keys`` (a clock ticking 10 s a reading); returns (session, printed blocks)."""
    pressed, printed, ticks = iter(keys), [], itertools.count(0, 10)
    options = {"width": 90, "color": False, "order": "file", **options}
    screen = cls(project, reviewer, stage, getkey=lambda: next(pressed), echo=printed.append,
                 clock=lambda: next(ticks), **options)
    return screen, printed


def screened(project, keys, **options):
    screen, printed = session(project, keys, **options)
    return screen.run(), printed


def rows(project, reviewer="alice", stage="title_abstract"):
    found, problems = read_log(log_path(project.screening_dir, stage, reviewer), stage=stage,
                               config=load_screening(project).config)
    assert not problems
    return [(d.record_id, d.decision, d.reason, d.rank, d.model) for d in found]


def change_records(project, changes):
    """Set (or, with None, remove) fields of records in records.jsonl: ``{record_id: {field: value}}``."""
    path = project.records_dir / "records.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for record in records:
        for name, value in changes.get(record["record_id"], {}).items():
            if value is None:
                record.pop(name, None)
            else:
                record[name] = value
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def heading(progress, reviewer="alice", mode="screen", stage="title/abstract", width=90):
    head = f"sysrev {mode} · {stage} · {reviewer}"
    return head + " " * (width - len(head) - len(progress)) + progress


# --- what is decided and logged ---------------------------------------------------------------------------


def test_each_skipped_record_counts_and_one_decided_after_a_skip_no_longer_does(make_project):
    project = make_project()
    result, printed = screened(project, ["s", "s", "i", "q"])
    assert (result.skipped, result.logged) == (2, 1)
    assert "(2 skipped this time; they come back next time)" in " ".join(printed[-1].split("\n"))
    result, printed = screened(project, ["s", "b", "e", "q"])  # skip r01, go back to it and decide it
    assert (result.skipped, result.logged) == (0, 1)
    assert "skipped this time" not in " ".join(printed[-1].split("\n"))
    assert rows(project)[-1][:2] == ("r01", "exclude")


def test_a_changed_mind_on_a_record_of_an_earlier_session_logs_no_rank_or_model(make_project):
    project = make_project()
    screened(project, ["i", "q"])
    screened(project, ["b", "e", "q"])  # next day: back to r01, which this session never ranked
    assert rows(project) == [("r01", "include", "", "1", "file"), ("r01", "exclude", "", "", "")]


def test_back_retraces_the_log_by_its_latest_rows(make_project):
    """A changed mind moves a record to where its newest row is: ``back`` meets it first."""
    project = make_project({"title_abstract/alice.csv": H + "r01,include,,alice,2024-01-01T10:00:00Z\n"
                                                            "r03,exclude,,alice,2024-01-01T10:01:00Z\n"
                                                            "r01,maybe,,alice,2024-01-01T10:02:00Z\n"})
    _, printed = screened(project, ["b", "b", "q"])
    assert "record 3 of 8 · 6 left" in printed[0] and "Fluoroscopic facet joint" in printed[0]  # r02
    assert "record 2 of 8" in printed[1] and TITLE_1 in printed[1]
    assert "your decision so far: maybe" in printed[1]
    assert "record 1 of 8" in printed[2] and "Sacroiliac joint injections" in printed[2]
    assert "your decision so far: exclude" in printed[2]


def test_a_random_order_uses_the_generator_given_and_logs_it(make_project):
    project = make_project()
    expected = random.Random(7)
    first = expected.choice([f"r0{i}" for i in range(1, 9)])
    second = expected.choice([f"r0{i}" for i in range(1, 9) if f"r0{i}" != first])
    screened(project, ["i", "e", "q"], order="random", rng=random.Random(7))
    assert rows(project) == [(first, "include", "", "1", "random"), (second, "exclude", "", "1", "random")]


def test_the_screen_says_so_while_it_waits_for_the_ranking_model(make_project):
    project = make_project()

    def slow_rank(decisions):
        time.sleep(1.5)  # well over the screen's patience (0.5 s), however slowly the session starts
        return Ranking([f"r0{i}" for i in range(8, 0, -1)], "slow/0", 0)

    _, printed = screened(project, ["i", "q"], order="relevance", rank=slow_rank)
    assert printed[0] == "(ordering the records by relevance…)"
    assert "CT-guided versus fluoroscopy-guided lumbar" in printed[1]  # r08: the model's first choice
    assert rows(project)[0] == ("r08", "include", "", "1", "slow/0")


def test_default_order_is_relevance_at_title_abstract_and_file_order_at_full_text():
    assert default_order("title_abstract") == "relevance"
    assert default_order("full_text") == "file"


def test_an_empty_key_is_explained_like_any_key_that_does_nothing(make_project):
    _, printed = screened(make_project(), [None, "", "q"])
    assert printed[1] == printed[2] == f"(key '' {NOTHING}"


def test_unknown_reviewer_and_unknown_order_are_refused_naming_the_choices(make_project):
    project = make_project()
    with pytest.raises(SysrevError) as refused:
        session(project, reviewer="zoe")
    assert str(refused.value) == ("unknown reviewer 'zoe': review.toml [screening] reviewers lists "
                                  "alice, bob, carol")
    with pytest.raises(SysrevError) as refused:
        session(project, order="alphabetical")
    assert str(refused.value) == "unknown order 'alphabetical'; use one of relevance, random, file"


def test_colour_is_on_unless_turned_off(make_project):
    screen = ScreenSession(make_project(), "alice", "title_abstract", getkey=lambda: "q", echo=print,
                           clock=lambda: 0.0, width=90, order="file")
    assert "\x1b[1m" in screen.render("r01", 0, SessionResult())


def test_width_follows_the_terminal_up_to_110_columns(make_project, monkeypatch):
    project = make_project()
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback: os.terminal_size(fallback))
    assert session(project, width=None)[0].width == 100  # no terminal: the fallback
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback: os.terminal_size((200, 50)))
    screen = session(project, width=None)[0]
    assert screen.width == 110
    assert screen.render("r01", 0, SessionResult()).splitlines()[0] == "─" * 110


# --- the screen a reviewer reads ----------------------------------------------------------------------------


def test_the_whole_screen_of_a_record_line_by_line(make_project):
    _, printed = screened(make_project(), ["q"])
    rule = "─" * 90
    assert printed[0] == "\n".join([
        rule, heading("record 1 of 8 · 8 left"), rule,
        TITLE_1,
        "Kim, Jae; Park, Soo",
        "Pain Physician · 2011",
        "doi:10.1000/test.1 · PMID 30000001 · r01",
        "",
        "Background: Ultrasound-guided versus fluoroscopy-guided caudal epidural injection: a",
        "randomized trial. Methods: patients were randomized. Results: pain fell.",
        rule, KEYS])  # and nothing after the keys when there is no message


def test_the_progress_line_keeps_two_spaces_after_the_heading_on_a_narrow_terminal(make_project):
    _, printed = screened(make_project(), ["q"], width=40)
    assert printed[0].splitlines()[1] == "sysrev screen · title/abstract · alice  record 1 of 8 · 8 left"


def test_time_left_is_in_seconds_then_minutes():
    assert [_minutes(s) for s in (0, 59.6, 89, 89.9, 90, 3000)] == ["0 s", "60 s", "89 s", "90 s", "2 min",
                                                                    "50 min"]


def test_a_record_without_title_authors_journal_year_ids_or_abstract(make_project):
    project = make_project()
    change_records(project, {"r01": {"title": None, "authors": [], "journal": None, "year": None, "doi": None,
                                     "pmid": None, "abstract": None}})
    _, printed = screened(project, ["q"])
    assert printed[0].splitlines()[3:9] == ["(no title)", "(no journal/year)", "r01", "", "(no abstract)",
                                            "─" * 90]


def test_fields_of_white_space_alone_count_as_missing(make_project):
    project = make_project()
    change_records(project, {"r01": {"title": " \t ", "authors": ["  ", "Smith, J"], "journal": " ", "year": None,
                                     "abstract": "\n  \n"}})
    _, printed = screened(project, ["q"])
    assert printed[0].splitlines()[3:6] == ["(no title)", "Smith, J", "(no journal/year)"]
    assert printed[0].splitlines()[8] == "(no abstract)"


def test_ids_without_a_doi_or_without_a_pmid(make_project):
    project = make_project()
    change_records(project, {"r01": {"doi": None}, "r02": {"pmid": None}})
    _, printed = screened(project, ["s", "q"])
    assert printed[0].splitlines()[6] == "PMID 30000001 · r01"
    assert printed[1].splitlines()[6] == "doi:10.1000/test.2 · r02"


def test_authors_beyond_six_are_counted_not_listed(make_project):
    project = make_project()
    names = [f"Li, {n}" for n in range(1, 8)]
    change_records(project, {"r01": {"authors": names}, "r02": {"authors": names[:6]}})
    _, printed = screened(project, ["s", "q"])
    assert printed[0].splitlines()[4] == "; ".join(names[:6]) + "; … (7 authors)"
    assert printed[1].splitlines()[4] == "; ".join(names[:6])


def test_ids_are_dim_and_the_decision_so_far_bold_under_the_abstract(make_project):
    _, printed = screened(make_project(), ["i", "b", "q"], color=True)
    lines = printed[2].splitlines()
    assert lines[6] == "\x1b[2mdoi:10.1000/test.1 · PMID 30000001 · r01\x1b[0m"
    decided = lines.index("\x1b[1myour decision so far: include (a new key logs a new row)\x1b[0m")
    assert lines[decided - 1] == "" and lines[decided + 1] == "─" * 90


def long_abstract(project, record_id="r01"):
    change_records(project, {record_id: {"abstract": f"Background: {TITLE_1}. Methods: patients were "
                                                     f"randomized. {LONG}"}})


def test_space_turns_the_page_of_a_two_page_abstract_and_does_nothing_on_one_page(make_project):
    project = make_project()
    long_abstract(project)
    _, printed = screened(project, [" ", " ", "i", " ", "q"], height=24)  # 24 rows: 12 abstract lines a page
    assert printed[0].splitlines()[-3:] == ["… abstract lines 1–12 of 15: [space] next page", "─" * 90,
                                            KEYS + "  [space] more"]
    assert "… abstract lines 13–15 of 15: [space] next page" in printed[1]
    assert printed[2] == printed[0]
    assert printed[3].splitlines()[-1] == KEYS and "abstract lines" not in printed[3]  # r02: one page
    assert printed[4] == f"(key ' ' {NOTHING}"


def test_the_page_hint_is_dim(make_project):
    project = make_project()
    long_abstract(project)
    _, printed = screened(project, ["q"], height=24, color=True)
    assert "\x1b[2m… abstract lines 1–12 of 15: [space] next page\x1b[0m" in printed[0]


def test_a_page_leaves_room_for_the_lines_under_the_abstract(make_project):
    project = make_project()
    long_abstract(project)
    _, printed = screened(project, ["i", "b", "q"], height=24)
    back = printed[2].splitlines()  # r01 again, with the decision so far (2 lines) under the abstract
    assert "… abstract lines 1–10 of 15: [space] next page" in back and len(back) == 23


def test_a_very_short_terminal_still_shows_three_abstract_lines_a_page(make_project):
    project = make_project()
    long_abstract(project)
    _, printed = screened(project, ["q"], height=10)
    assert "… abstract lines 1–3 of 15: [space] next page" in printed[0].splitlines()


def test_render_shows_the_first_page_unless_told_otherwise(make_project):
    project = make_project()
    long_abstract(project)
    screen, _ = session(project, height=24)
    assert "… abstract lines 1–12 of 15: [space] next page" in screen.render("r01", 0, SessionResult())


def test_inclusion_terms_highlight_nothing_when_there_are_none_and_the_longest_term_wins():
    found = []

    def style(text, **how):
        found.append(text)
        return f"<{text}>"

    assert _highlighter([])("low back pain", style) == "low back pain" and found == []
    # "LOW BACK" sorts before "low" as text but is longer: it is tried first and marks both words
    assert _highlighter(["low", "LOW BACK"])("low back pain", style) == "<low back> pain"


# --- full text: the paper's location, opening it, the reasons menu ------------------------------------------


def full_text_project(make_project):
    """alice included r01, r03, r05, r06 and r07 at title/abstract. r01's paper is stored (no licence
    stated), r03 needs library access and has no DOI, r05 needs library access (the manifest's DOI link),
    r06 was never fetched but has a DOI, r07 was never fetched and has none."""
    project = make_project({"title_abstract/alice.csv": H + "".join(
        f"r0{i},include,,alice,2024-01-01T10:00:00Z\n" for i in (1, 3, 5, 6, 7))})
    change_records(project, {"r03": {"doi": None}, "r07": {"doi": None}})
    data = b"%PDF-1.4 the paper"
    stored = project.root / "fulltext" / "files" / "r01.pdf"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(data)
    write_manifest(project, {
        "r01": Entry("r01", "retrieved", source="unpaywall", url="https://example.org/r01.pdf", format="pdf",
                     file="files/r01.pdf", sha256=sha256(data), retrieved="2026-12-03T10:00:00Z",
                     doi_link="https://doi.org/10.1000/test.1"),
        "r03": Entry("r03", "needs_library_access"),
        "r05": Entry("r05", "needs_library_access", doi_link="https://doi.org/10.1000/TEST.5"),
    })
    return project, stored


def test_full_text_screen_says_where_each_paper_is_and_opens_it(make_project):
    project, stored = full_text_project(make_project)
    opened = []
    _, printed = screened(project, ["o", "s", "o", "s", "o", "s", "o", "s", "o", "q"], stage="full_text",
                          opener=opened.append)
    screens = printed[0:10:2]  # each record, then the same screen with what "o" did under it
    where = [s.splitlines()[-3] for s in screens]
    assert where == [f"full text: {stored} (unpaywall; licence: not stated)",
                     "full text: needs library access — no DOI",
                     "full text: needs library access — https://doi.org/10.1000/TEST.5",
                     "full text: not fetched (sysrev fulltext fetch) — https://doi.org/10.1000/test.6",
                     "full text: not fetched (sysrev fulltext fetch)"]
    assert all(s.splitlines()[-4] == "" for s in screens)
    assert all(s.splitlines()[-1] == KEYS + "  [o] open paper" for s in screens)
    assert opened == [str(stored), "https://doi.org/10.1000/TEST.5", "https://doi.org/10.1000/test.6"]
    notices = [s.split("\n")[-1] for s in printed[1:10:2]]
    assert notices == [f"(opened {stored})", "(no stored paper and no DOI link to open for this record)",
                       "(opened https://doi.org/10.1000/TEST.5)", "(opened https://doi.org/10.1000/test.6)",
                       "(no stored paper and no DOI link to open for this record)"]


def test_the_papers_location_is_dim_and_stays_with_the_decision_so_far(make_project):
    project, stored = full_text_project(make_project)
    _, printed = screened(project, ["i", "b", "q"], stage="full_text", color=True)
    lines = printed[2].splitlines()  # back on r01
    assert lines[-6:-1] == ["", f"\x1b[2mfull text: {stored} (unpaywall; licence: not stated)\x1b[0m", "",
                            "\x1b[1myour decision so far: include (a new key logs a new row)\x1b[0m", "─" * 90]


def test_the_reasons_menu_is_drawn_under_the_records_heading(make_project):
    project, _ = full_text_project(make_project)
    _, printed = screened(project, ["e", "q", "q"], stage="full_text")
    assert printed[1] == "\n".join(printed[0].splitlines()[:8] + [
        "Reason for excluding (Esc or q cancels):", "  [1] wrong population", "  [2] wrong comparator",
        "  [3] not randomised", "  [4] full text not retrieved"])
    assert printed[2].endswith("\n(exclusion cancelled)")


# --- other reports of the same trial -------------------------------------------------------------------------


def link_trial(project):
    """r02 linked to r01 and r03 as reports of one trial (as dedup records it)."""
    links = {"r02": ["r01", "r03"], "r01": ["r02"], "r03": ["r02"]}
    change_records(project, {rid: {"extra": {"dedup_related": [
        {"record_id": other, "reason": "both name trial NCT01234567 (different titles)"} for other in others]}}
        for rid, others in links.items()})


def test_linked_reports_with_their_titles_cut_to_the_width(make_project):
    project = make_project({"title_abstract/alice.csv": H + "r01,include,,alice,2024-01-01T10:00:00Z\n"})
    link_trial(project)
    fits, longer = ("Caudal epidural injection report " * 4)[:83], ("Sacroiliac joint injection report " * 4)[:84]
    change_records(project, {"r01": {"title": fits}, "r03": {"title": longer}})
    screen, _ = session(project)  # 90 columns: 83 left for a title after "  r01  " and the margin
    assert screen._same_trial("r02") == [
        "", "Same trial as:",
        f"  r01  {fits}", "    both name trial NCT01234567; your decision: include",
        f"  r03  {longer[:82]}…", "    both name trial NCT01234567; not decided by you"]
    narrow, _ = session(project, width=20, color=True)  # never less than 20 columns for a title
    lines = narrow._same_trial("r02")
    assert lines[:3] == ["", "\x1b[1mSame trial as:\x1b[0m", f"  r01  {fits[:19]}…"]


# --- reconciliation -----------------------------------------------------------------------------------------


def test_reconcile_shows_each_vote_with_its_reason_and_note(make_project):
    project = make_project({
        "title_abstract/alice.csv": H + "r01,include,,alice,2024-01-01T10:00:00Z\n",
        "full_text/alice.csv": H.strip() + ",note\nr01,exclude,wrong population,alice,2024-02-01T10:00:00Z,"
                                           "adults only\n",
        "full_text/bob.csv": H + "r01,include,,bob,2024-02-01T10:00:00Z\n",
    })
    screen, _ = session(project, reviewer="carol", stage="full_text", cls=ReconcileSession)
    assert screen._context("r01") == ["", "Reviewers' decisions:",
                                      "  alice  exclude — wrong population  (adults only)", "  bob    include"]
    coloured, _ = session(project, reviewer="carol", stage="full_text", cls=ReconcileSession, color=True)
    assert coloured._context("r01")[:2] == ["", "\x1b[1mReviewers' decisions:\x1b[0m"]


def conflicts(make_project, recon=None):
    """alice includes r01–r03, bob excludes them: three conflicts at title/abstract."""
    logs = {"title_abstract/alice.csv": H + "".join(f"r0{i},include,,alice,2024-01-01T10:00:00Z\n"
                                                    for i in (1, 2, 3)),
            "title_abstract/bob.csv": H + "".join(f"r0{i},exclude,,bob,2024-01-01T10:00:00Z\n"
                                                  for i in (1, 2, 3))}
    logs.update(recon or {})
    return make_project(logs)


def test_another_reconcilers_settlement_is_not_counted_as_ones_own(make_project):
    project = conflicts(make_project, {
        "title_abstract/reconciliation/bob.csv": H + "r01,include,,bob,2024-03-01T10:00:00Z\n"})
    _, printed = screened(project, ["q"], reviewer="carol", cls=ReconcileSession)
    assert heading("record 1 of 2 · 2 left", "carol", "reconcile") in printed[0]  # r02 and r03 left


def test_reconcile_back_retraces_the_settlements_by_their_latest_rows(make_project):
    project = conflicts(make_project, {"title_abstract/reconciliation/carol.csv": H + (
        "r01,include,,carol,2024-03-01T10:00:00Z\nr02,include,,carol,2024-03-01T10:01:00Z\n"
        "r01,exclude,,carol,2024-03-01T10:02:00Z\n")})
    _, printed = screened(project, ["b", "b", "q"], reviewer="carol", cls=ReconcileSession)
    assert "record 3 of 3" in printed[0] and "Sacroiliac joint" in printed[0]
    assert "record 2 of 3" in printed[1] and TITLE_1 in printed[1]
    assert "your decision so far: exclude" in printed[1]
    assert "record 1 of 3" in printed[2] and "Fluoroscopic facet joint" in printed[2]
    assert "your decision so far: include" in printed[2]


# --- the closing summary ------------------------------------------------------------------------------------


def test_the_closing_summary_of_a_screening_session(make_project):
    project = make_project()
    result, printed = screened(project, ["s", "i", "e", "q"], width=200)
    path = log_path(project.screening_dir, "title_abstract", "alice")
    assert result.durations == [10, 10]
    assert " ".join(printed[-1].split("\n")) == (
        f"2 decisions logged to {path}; 2 of 8 records decided at title/abstract, 6 left (1 skipped this time; "
        "they come back next time); 10 s per record on average.")


def test_the_closing_summary_of_a_reconciliation_session(make_project):
    project = conflicts(make_project)
    _, printed = screened(project, ["i", "q"], reviewer="carol", cls=ReconcileSession, width=200)
    path = reconciliation_path(project.screening_dir, "title_abstract", "carol")
    assert " ".join(printed[-1].split("\n")) == (
        f"1 decision logged to {path}; 1 of 3 conflicts settled at title/abstract, 2 left; "
        "10 s per record on average.")


def test_the_summary_wraps_to_the_width_but_never_breaks_the_logs_path(make_project):
    project = make_project()
    _, printed = screened(project, ["i", "q"], width=40)
    path = str(log_path(project.screening_dir, "title_abstract", "alice"))
    assert "-" in path and len(path) > 40  # a path pytest made: hyphens and long
    lines = printed[-1].split("\n")
    assert f"{path};" in lines
    assert all(len(line) <= 40 for line in lines if line != f"{path};")
