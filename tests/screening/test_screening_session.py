"""The interactive screen, driven by scripted key presses (as a reviewer would type them)."""

import itertools
import re

import pytest

from sysrev.errors import SysrevError
from sysrev.screening.log import log_path
from sysrev.screening.session import ReconcileSession, ScreenSession, _highlighter
from sysrev.screening.state import load_screening

H = "record_id,decision,reason,reviewer,timestamp\n"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TITLE_1 = "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection: a randomized trial"


def run(project, reviewer, keys, stage="title_abstract", session_class=ScreenSession, color=False):
    """Run a session with ``keys``; return (result, list of printed blocks).

    The records come in file order: these tests are about keys, logs and progress. Under the relevance order
    (tests/screening/test_screening_prioritisation.py) the third record depends on whether the background
    model trained on the first two decisions is ready yet, which is timing, by design."""
    pressed = iter(keys)
    printed = []
    ticks = itertools.count(0, 10)  # every clock reading is 10 s after the previous one
    session = session_class(project, reviewer, stage, getkey=lambda: next(pressed), echo=printed.append,
                            clock=lambda: next(ticks), width=90, color=color, order="file")
    return session.run(), printed


def decisions(project, reviewer, stage="title_abstract"):
    path = log_path(project.screening_dir, stage, reviewer)
    return [line.split(",")[:3] for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def test_title_abstract_session_logs_each_key_and_shows_progress(make_project):
    project = make_project()
    result, printed = run(project, "alice", ["i", "e", "m", "q"])
    assert result.logged == 3
    assert decisions(project, "alice") == [["r01", "include", ""], ["r02", "exclude", ""], ["r03", "maybe", ""]]
    first = printed[0]
    assert "sysrev screen · title/abstract · alice" in first
    assert "record 1 of 8 · 8 left" in first
    assert "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection" in first
    assert "Kim, Jae; Park, Soo" in first and "Pain Physician · 2011" in first
    assert "[i] include  [e] exclude  [m] maybe  [s] skip  [b] back  [q] quit" in first
    assert "record 3 of 8 · 6 left · 10 s/record · ~60 s to go" in printed[2]  # the fake clock: 10 s each
    assert "3 decisions logged" in printed[-1] and "5 left" in printed[-1]


def test_session_resumes_where_the_reviewer_stopped(make_project):
    project = make_project()
    run(project, "alice", ["i", "i", "q"])
    _, printed = run(project, "alice", ["e", "q"])
    assert "record 3 of 8 · 6 left" in printed[0]
    assert "Sacroiliac joint injections" in printed[0]
    assert decisions(project, "alice")[-1] == ["r03", "exclude", ""]


def test_back_shows_own_decision_and_a_new_key_logs_a_changed_mind(make_project):
    project = make_project()
    run(project, "alice", ["i", "b", "e", "q"])
    assert decisions(project, "alice") == [["r01", "include", ""], ["r01", "exclude", ""]]
    state = load_screening(project).stages["title_abstract"]
    assert state.latest["alice"]["r01"].decision == "exclude"


def test_skip_leaves_the_record_for_next_time_and_unknown_keys_are_explained(make_project):
    project = make_project()
    result, printed = run(project, "alice", ["s", "x", "i", "q"])
    assert result.skipped == 1
    assert decisions(project, "alice") == [["r02", "include", ""]]
    assert any("key 'x' does nothing here" in block for block in printed)
    _, printed = run(project, "alice", ["q"])
    assert "Ultrasound-guided versus fluoroscopy-guided" in printed[0]  # r01 comes back


def test_full_text_exclusion_asks_for_a_reason_from_the_numbered_menu(make_project):
    project = make_project({"title_abstract/alice.csv": H + "".join(
        f"r{i:02d},include,,alice,2024-01-01T10:00:00Z\n" for i in (1, 3, 5))})
    result, printed = run(project, "alice", ["e", "q", "e", "7", "3", "i", "e", "2"], stage="full_text")
    assert result.remaining == 0
    assert decisions(project, "alice", "full_text") == [["r01", "exclude", "not randomised"],
                                                        ["r03", "include", ""],
                                                        ["r05", "exclude", "wrong comparator"]]
    menu = next(block for block in printed if "Reason for excluding" in block)
    assert "[1] wrong population" in menu and "[4] full text not retrieved" in menu
    assert menu.startswith("─") and "record 1 of 3" in menu  # drawn under the record's heading ...
    assert "Background:" not in menu  # ... in place of the abstract
    assert any(block.endswith("(exclusion cancelled)") and "Background:" in block for block in printed)
    assert any("choose one of 1, 2, 3, 4" in block for block in printed)
    assert "record 1 of 3" in printed[0]


def test_screen_is_blind_to_other_reviewers(make_project):
    project = make_project({"title_abstract/bob.csv": H + "r01,exclude,,bob,2024-01-01T10:00:00Z\n"})
    _, printed = run(project, "alice", ["q"])
    assert "bob" not in printed[0] and "exclude" not in printed[0].split("[i] include")[0]
    assert "record 1 of 8 · 8 left" in printed[0]


def highlighted_words(line, terms) -> list:
    """The words of ``line`` the screen highlights for ``terms``."""
    found = []
    _highlighter(terms)(line, lambda text, **_: found.append(text) or text)
    return found


def test_highlight_terms_are_styled(make_project):
    project = make_project()
    _, printed = run(project, "alice", ["q"], color=True)
    styled = re.findall(r"\x1b\[33m\x1b\[1m(\w+)\x1b\[0m", printed[0])
    assert "randomized" in styled
    assert highlighted_words("Ultrasonography and fluoroscopic guidance, randomised",
                             ["sonograph", "fluoroscop", "randomi"]) == ["Ultrasonography", "fluoroscopic",
                                                                         "randomised"]
    assert "Ultrasound-guided" in ANSI.sub("", printed[0])


def test_unknown_reviewer_is_refused(make_project):
    with pytest.raises(SysrevError, match="unknown reviewer 'zoe'"):
        run(make_project(), "zoe", [])


def test_nothing_left_says_so(make_project):
    project = make_project()
    run(project, "alice", ["i"] * 8)
    result, printed = run(project, "alice", [])
    assert result.logged == 0 and "Nothing left to screen" in printed[0]


def test_reconcile_shows_votes_side_by_side_and_logs_to_its_own_file(make_project):
    project = make_project({
        "title_abstract/alice.csv": H + "r01,include,,alice,2024-01-01T10:00:00Z\n"
                                        "r02,include,,alice,2024-01-01T10:00:00Z\n",
        "title_abstract/bob.csv": H + "r01,exclude,,bob,2024-01-01T10:00:00Z\n"
                                      "r02,maybe,,bob,2024-01-01T10:00:00Z\n",
    })
    result, printed = run(project, "carol", ["i", "q"], session_class=ReconcileSession)
    assert "Reviewers' decisions:" in printed[0]
    assert "alice  include" in printed[0] and "bob    exclude" in printed[0]
    assert "sysrev reconcile · title/abstract · carol" in printed[0]
    recon = project.screening_dir / "title_abstract" / "reconciliation" / "carol.csv"
    assert recon.read_text(encoding="utf-8").splitlines()[1].startswith("r01,include,,carol,")
    state = load_screening(project).stages["title_abstract"]
    assert state.conflicts() == ["r02"] and state.final("r01").decision == "include"


def test_back_reaches_decisions_of_an_earlier_session(make_project):
    project = make_project()
    run(project, "alice", ["i", "e", "q"])
    result, printed = run(project, "alice", ["b", "m", "q"])  # next day: back to r02, change to maybe
    assert "record 3 of 8 · 6 left" in printed[0]
    assert "Fluoroscopic facet joint injection" in printed[1] and "record 2 of 8" in printed[1]
    assert "your decision so far: exclude" in printed[1]
    assert decisions(project, "alice")[-1] == ["r02", "maybe", ""]
    assert result.remaining == 6  # a changed mind decides nothing new


def test_back_on_the_very_first_record_says_so_on_the_redrawn_screen(make_project):
    _, printed = run(make_project(), "alice", ["b", "q"])
    assert printed[1].endswith("(this is your first record: there is nothing to go back to)")


def test_record_number_is_the_position_so_a_skip_moves_it_on(make_project):
    project = make_project()
    result, printed = run(project, "alice", ["s", "i", "b", "b", "s", "q"])
    assert "record 2 of 8 · 8 left" in printed[1]  # r01 skipped: the next record is the 2nd of 8
    assert "record 3 of 8 · 7 left" in printed[2]
    assert result.skipped == 1  # passing over r02 (decided) again is not a skip; r01 still is


def test_ctrl_c_ends_the_session_like_quit_and_keeps_what_was_logged(make_project):
    project = make_project()
    keys = iter(["i"])

    def getkey():
        try:
            return next(keys)
        except StopIteration:
            raise KeyboardInterrupt from None

    printed = []
    session = ScreenSession(project, "alice", "title_abstract", getkey=getkey, echo=printed.append,
                            clock=lambda: 0.0, width=90, color=False)
    result = session.run()
    assert result.logged == 1 and decisions(project, "alice") == [["r01", "include", ""]]
    assert "1 decision logged" in printed[-1]


def test_a_long_abstract_is_paged_so_the_heading_stays_on_a_short_terminal(make_project):
    project = make_project()
    records = project.records_dir / "records.jsonl"
    text = records.read_text(encoding="utf-8")
    long = " ".join(f"Sentence {n} of a long abstract about ultrasound guidance." for n in range(60))
    records.write_text(text.replace("Results: pain fell.", long, 1), encoding="utf-8")
    pressed, printed = iter([" "] * 8 + ["i", "q"]), []
    session = ScreenSession(project, "alice", "title_abstract", getkey=lambda: next(pressed),
                            echo=printed.append, clock=lambda: 0.0, width=90, height=24, color=False)
    session.run()
    whole = session._wrap(f"Background: {TITLE_1}. Methods: patients were randomized. {long}")
    room = 24 - 8 - 4  # rows − heading (rules, progress, title, authors, journal, IDs, blank) − rule, keys,
    pages = -(-len(whole) // room)  # page hint and a line left for a message
    assert (len(whole), pages) == (42, 4)
    shown = []
    for block in printed[:pages]:
        lines = block.splitlines()
        assert len(lines) == (23 if block is not printed[pages - 1] else 8 + 42 - 3 * room + 3)
        assert "record 1 of 8" in lines[1] and lines[3].startswith("Ultrasound-guided versus")
        assert lines[-1].endswith("[space] more")
        shown += lines[8:lines.index(next(x for x in lines if x.startswith("… abstract lines")))]
    assert shown == whole  # every line once, in order
    assert printed[pages] == printed[0]  # space on the last page goes back to the first
    assert "… abstract lines 13–24 of 42: [space] next page" in printed[1]
    assert decisions(project, "alice") == [["r01", "include", ""]]


def test_inclusion_terms_are_highlighted_in_the_title_which_stays_bold(make_project):
    _, printed = run(make_project(), "alice", ["q"], color=True)
    title_line = printed[0].splitlines()[3]
    assert re.findall(r"\x1b\[33m\x1b\[1m([\w-]+)\x1b\[0m", title_line) == ["Ultrasound", "fluoroscopy",
                                                                           "randomized"]
    assert "\x1b[1m-guided versus \x1b[0m" in title_line  # the text between stays bold


def test_a_records_other_reports_of_its_trial_are_shown_with_the_reviewers_own_decision(make_project):
    """dedup links records naming one trial registration; the screen lists them under the abstract with the
    reviewer's own decision on each, never a co-reviewer's."""
    import json

    project = make_project({"title_abstract/alice.csv": H + "r01,include,,alice,2024-01-01T10:00:00Z\n",
                            "title_abstract/bob.csv": H + "r03,exclude,,bob,2024-01-01T10:00:00Z\n"})
    path = project.records_dir / "records.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    links = {"r02": ["r01", "r03"], "r01": ["r02"], "r03": ["r02"]}
    for line in lines:
        if line["record_id"] in links:
            line.setdefault("extra", {})["dedup_related"] = [
                {"record_id": other, "reason": "both name trial NCT01234567 (different titles)"}
                for other in links[line["record_id"]]]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    _, printed = run(project, "alice", ["q"])  # opens on r02, alice's first undecided record
    screen = printed[0]
    assert "Same trial as:" in screen
    assert "r01 " in screen and "both name trial NCT01234567; your decision: include" in screen
    assert "r03 " in screen and "both name trial NCT01234567; not decided by you" in screen
    assert "bob" not in screen and "exclude" not in screen.split("[i] include")[0]
