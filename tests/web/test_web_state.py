"""What the web pages read between requests (sysrev/web/state.py): records changed on disk show at once, the
pace and time to go from the reviewer's own decisions (breaks left out), and the relevance order kept between
requests — trained once per decision, never per page — yet fully caught up when the next record is chosen
ahead."""

import json
import re
import threading

import pytest
from web_project import edit_records, signed_in

from sysrev.screening import ordering
from sysrev.screening.log import Decision, append_decisions, log_path
from sysrev.screening.ranking import Ranking

JSON = {"Accept": "application/json"}


def test_a_record_added_to_records_jsonl_shows_on_the_next_page(app, project):
    client, _ = signed_in(app, "alice")
    for _ in range(2):  # read, then kept
        assert "record 1 of 10 · 10 left" in client.get("/screen/title_abstract").data.decode()
    edit_records(project, added=[{"record_id": "R000011", "title": "An eleventh trial"}])
    assert "record 1 of 11 · 11 left" in client.get("/screen/title_abstract").data.decode()


@pytest.mark.parametrize("seconds, shown", [
    ([0, 30, 630, 660], "30 s/record · ~3 min to go"),  # six left; the 600 s gap is a break, not screening
    ([0, 599, 1198, 1797], "599 s/record · ~60 min to go"),  # just under ten minutes each: all counted
    ([0, 10, 20, 30, 40, 50, 60, 70, 80], "10 s/record · under a minute to go"),  # one left
    ([0, 30, 60, 90, 120, 150, 180, 210], "30 s/record · ~1 min to go"),  # two left: a minute exactly
    ([0, 30, ("R000001", 60)], "30 s/record · ~4 min to go"),  # a changed mind: the latest decisions in order
    ([0, 600, 1200, 1800], ""),  # only breaks: no pace to tell
    ([0, 1, 2], "1 s/record · under a minute to go"),  # a second apart: counted
    ([0, 0, 30, 60], "30 s/record · ~3 min to go"),  # two in the same second: that gap is not screening time
])
def test_pace_and_time_to_go_come_from_the_reviewers_own_decisions(app, project, seconds, shown):
    rows = [s if isinstance(s, tuple) else (f"R{n:06d}", s) for n, s in enumerate(seconds, 1)]
    stamps = [f"2026-12-03T10:{s // 60:02d}:{s % 60:02d}Z" if s < 3600 else f"2026-12-03T11:{(s - 3600) // 60:02d}:"
              f"{s % 60:02d}Z" for _, s in rows]
    append_decisions(log_path(project.screening_dir, "title_abstract", "alice"),
                     [Decision(rid, "exclude", "", "alice", stamp) for (rid, _), stamp in zip(rows, stamps)])
    append_decisions(log_path(project.screening_dir, "title_abstract", "bob"),  # bob's pace is not alice's
                     [Decision(f"R{n:06d}", "exclude", "", "bob", f"2026-12-03T10:00:0{n}Z") for n in range(1, 9)])
    client, _ = signed_in(app, "alice")
    progress = client.get("/screen/title_abstract").data.decode().split("<strong>Title/abstract</strong>")[1]
    progress = progress.split("\n")[0]
    decided = len({rid for rid, _ in rows})
    assert progress == f" · record {decided + 1} of 10 · {10 - decided} left" + (f" · {shown}" if shown else "")
    if decided < 9:  # the record fetched ahead shows the pace too
        ahead = client.get(f"/screen/title_abstract/next?after=R{decided + 1:06d}", headers=JSON).get_json()["html"]
        assert ("s/record" in ahead) is bool(shown) and shown.split(" · ")[0] in ahead


@pytest.fixture
def model(monkeypatch):
    """A stand-in relevance model: it ranks the reviewer's undecided records in file order rotated by twice the
    number of decisions it learnt from (so each training puts another record first). A training on n decisions
    waits for ``gates[n]`` when there is one; ``trained`` lists how many decisions each training learnt from."""
    state = {"trained": [], "gates": {}, "learnt": [], "ranked": []}

    def rank(self, decisions):
        n = len(decisions)
        if n in state["gates"]:
            assert state["gates"][n].wait(10)
        state["trained"].append(n)
        state["learnt"].append(dict(decisions))
        state["ranked"].append(list(self.eligible))
        undecided = [rid for rid in self.eligible if rid not in decisions]
        return Ranking(undecided[2 * n:] + undecided[:2 * n], f"stand-in/{n}", n)

    monkeypatch.setattr(ordering.RelevanceRanking, "__call__", rank)
    yield state
    for gate in state["gates"].values():
        gate.set()


def _decide(client, csrf, *record_ids):
    for record_id in record_ids:
        client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": record_id,
                                                           "decision": "include"})


def test_the_relevance_model_trains_once_per_decision_not_per_page(app, model):
    client, csrf = signed_in(app, "alice")
    for _ in range(3):
        assert 'value="R000001"' in client.get("/screen/title_abstract").data.decode()
    assert model["trained"] == [0]
    _decide(client, csrf, "R000001")
    assert client.get("/screen/title_abstract/next?after=R000002", headers=JSON).status_code == 200  # caught up
    for _ in range(2):
        client.get("/screen/title_abstract")
    assert model["trained"] == [0, 1] and model["learnt"][-1] == {"R000001": "include"}


def test_a_record_replaced_in_the_middle_is_ranked_by_a_model_that_knows_it(app, project, model):
    """A new dedup run may replace a record in the middle of the list (same count, same first and last
    record): the order kept for the old list would never rank the new record."""
    client, _ = signed_in(app, "alice")
    client.get("/screen/title_abstract")
    edit_records(project, {"R000005": {"record_id": "R000011", "title": "A replacement trial"}})
    client.get("/screen/title_abstract")
    assert model["trained"] == [0, 0]
    assert model["ranked"][-1] == [f"R{n:06d}" for n in (1, 2, 3, 4, 11, 6, 7, 8, 9, 10)]


@pytest.mark.parametrize("decided, ask, shown", [
    # The record fetched ahead while R000003 is read: from the model that learnt R000001 (R000002…R000010
    # rotated by two, R000003 left out), never from the model one decision behind (file order: R000002).
    (["R000001"], "/screen/title_abstract/next?after=R000003", "R000004"),
    # The page after two decisions: the model may be one decision behind (R000002…R000010 rotated by two,
    # R000002 decided since: R000004), never two (file order: R000003).
    (["R000001", "R000002"], "/screen/title_abstract", "R000004"),
    # After the reviewer's last decision, already made: as the page after it, one decision behind at most
    # (the model of no decision is ready: file order, R000002).
    (["R000001"], "/screen/title_abstract/next?after=R000001", "R000002"),
])
def test_the_next_record_waits_for_a_model_at_most_one_decision_behind(app, model, decided, ask, shown):
    client, csrf = signed_in(app, "alice")
    client.get("/screen/title_abstract")  # the first training, on no decision: file order
    model["gates"] = {1: threading.Event(), 2: threading.Event()}  # trainings on 1 and 2 decisions wait
    _decide(client, csrf, *decided)
    threading.Timer(1.0, model["gates"][1].set).start()  # the one on 1 decision ends in a second
    answer = client.get(ask, headers=JSON)
    record_id = answer.get_json()["record_id"] if "after=" in ask else \
        answer.data.decode().split('name="record_id" value="')[1].split('"')[0]
    assert record_id == shown and model["trained"] == ([0] if ask.endswith("R000001") else [0, 1])


@pytest.mark.parametrize("read_before", [False, True])
def test_a_log_that_is_not_utf8_is_refused_with_its_byte_until_it_is_fixed(app, project, read_before):
    """A row saved by an editor in Latin-1 (read_before: appended to a log the app had read and kept)."""
    path = log_path(project.screening_dir, "title_abstract", "alice")
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "record_id,decision,reason,reviewer,timestamp,note\n"
    good = header + "R000001,include,,alice,2026-12-03T10:00:00Z,ok\n"
    client, _ = signed_in(app, "alice")
    if read_before:
        path.write_text(good, encoding="utf-8")
        assert "record 2 of 10" in client.get("/screen/title_abstract").data.decode()
    edited = good + "R000002,include,,alice,2026-12-03T10:01:00Z,café\n"
    path.write_bytes(edited.encode("latin-1"))
    for _ in range(2):  # read, then kept
        page = client.get("/screen/title_abstract")
        assert page.status_code == 400
        assert "alice.csv, line 3: not valid UTF-8 (invalid continuation byte at byte 144: 0xe9)" in page.data.decode()
    path.write_bytes(edited.encode("utf-8"))  # fixed in place: the same file, one byte longer
    assert "record 3 of 10" in client.get("/screen/title_abstract").data.decode()


def test_conflicts_show_only_on_records_the_reviewer_decided_too(app, project):
    """Four reviewers: alice and bob disagree on R000003 and R000004; carol decided R000003 only; dave nothing
    yet. Each sees the conflicts on records they decided, and how many others stay hidden."""
    _edit_reviewers(project, ["alice", "bob", "carol", "dave"])
    votes = {"alice": {"R000003": "include", "R000004": "exclude"},
             "bob": {"R000003": "exclude", "R000004": "include"}, "carol": {"R000003": "include"}}
    for reviewer, decisions in votes.items():
        append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                         [Decision(rid, d, "", reviewer, "2026-12-03T10:00:00Z") for rid, d in decisions.items()])
    for reviewer, shown, hidden in (("alice", ["R000003", "R000004"], 0), ("bob", ["R000003", "R000004"], 0),
                                    ("carol", ["R000003"], 1), ("dave", [], 2)):
        client, _ = signed_in(app, reviewer)
        page = client.get("/conflicts/title_abstract").data.decode()
        assert sorted(set(re.findall(r"<small>(R\d+)</small>", page))) == shown, reviewer
        assert (f"{hidden} other conflict(s) are on records you have not screened yet" in page) is bool(hidden)


def _edit_reviewers(project, reviewers):
    """review.toml edited while the app serves (a text editor, or another terminal)."""
    config = project.config_path.read_text(encoding="utf-8")
    listed = re.search(r"^reviewers = \[.*\]$", config, flags=re.M).group(0)
    project.config_path.write_text(config.replace(listed, f"reviewers = {json.dumps(reviewers)}"), encoding="utf-8")


def test_a_reviewer_added_to_review_toml_while_serving_can_screen_at_once(app, project):
    """The app read review.toml once, at start: carol, added meanwhile, could not pick her name, and once she
    screened in the terminal (which reads review.toml afresh) every page refused her log as an unknown
    reviewer's."""
    _edit_reviewers(project, ["alice", "bob", "carol"])
    append_decisions(log_path(project.screening_dir, "title_abstract", "carol"),
                     [Decision("R000001", "exclude", "", "carol", "2026-12-03T10:00:00Z")])
    alice, _ = signed_in(app, "alice")
    assert alice.get("/screen/title_abstract").status_code == 200
    carol = app.test_client()
    carol.get("/?token=TESTTOKEN")
    with carol.session_transaction() as session:
        csrf = session["csrf"]
    assert carol.post("/pick", data={"csrf_token": csrf, "reviewer": "carol"}).status_code == 302
    assert "record 2 of 10" in carol.get("/screen/title_abstract").data.decode()


def test_a_reviewer_removed_from_review_toml_while_serving_can_no_longer_write(app, project):
    """The app checked each request's reviewer against the review.toml it read at start: bob, removed meanwhile,
    went on writing decisions that the terminal then refused as an unknown reviewer's."""
    bob, csrf = signed_in(app, "bob")
    assert bob.get("/screen/title_abstract").status_code == 200
    _edit_reviewers(project, ["alice", "carol"])
    refused = bob.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                             "decision": "include"})
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/pick")
    assert not log_path(project.screening_dir, "title_abstract", "bob").exists()
    picked = bob.post("/pick", data={"csrf_token": csrf, "reviewer": "bob"})
    assert picked.status_code == 400 and "Unknown reviewer" in picked.data.decode()


def test_records_and_each_queue_are_read_once_while_nothing_changes(app, project, monkeypatch):
    """docs/web.md (Speed): the records are read once and kept until records.jsonl changes; a reviewer's queue
    is kept with the state it was computed from (the page, the record fetched ahead and the decision posted
    after it share one)."""
    from sysrev.screening import state as screening_state
    from sysrev.web import state

    reads, queues = [], []
    real_records, real_queue = state.load_records, state.reviewer_queue
    for module in (state, screening_state):  # the web app's own read, and load_screening's
        monkeypatch.setattr(module, "load_records", lambda project: reads.append(1) or real_records(project))
    monkeypatch.setattr(state, "reviewer_queue", lambda screening, stage, reviewer: queues.append(reviewer) or
                        real_queue(screening, stage, reviewer))
    client, csrf = signed_in(app, "alice")
    for _ in range(2):
        client.get("/screen/title_abstract")
        client.get("/screen/title_abstract/next?after=R000001", headers=JSON)
    assert (len(reads), queues) == (1, ["alice"])
    client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                       "decision": "include"})
    for _ in range(2):
        client.get("/screen/title_abstract")
    assert (len(reads), queues) == (1, ["alice", "alice"])  # a decision: the queue anew, the records kept


def _log_cache_agrees(project, path, *appends):
    """After each text appended to ``path``, the cached read equals a full read of the file."""
    from sysrev.screening.config import screening_config
    from sysrev.screening.log import read_log
    from sysrev.web.state import LogCache

    checks = {"stage": "title_abstract", "config": screening_config(project),
              "known_ids": {f"R{n:06d}" for n in range(1, 11)}}
    cache = LogCache()
    for text in appends:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)
        assert cache.read(path, **checks) == read_log(path, **checks)


@pytest.mark.parametrize("appends", [
    # a row written in two parts (the first read sees it without its end of line)
    ["record_id,decision,reason,reviewer,timestamp\nR000001,include,,alice,2026-12-03T10:00:00Z\n",
     "R000002,exclude,,alice,2026-12", "-03T10:00:30Z\n", "R000003,include,,alice,2026-12-03T10:01:00Z\n"],
    # a header the log cannot have: its problem is reported once, however many rows follow
    ["record_id,decision\nR000001,include\n", "R000002,exclude\n", "R000003,include\n"],
])
def test_the_log_cache_agrees_with_a_full_read_whatever_is_appended(project, appends):
    path = log_path(project.screening_dir, "title_abstract", "alice")
    path.parent.mkdir(parents=True, exist_ok=True)
    _log_cache_agrees(project, path, *appends)


def test_after_a_decision_only_the_rows_appended_to_that_log_are_read(app, project, monkeypatch):
    """docs/web.md (Speed): a decision re-reads neither the other reviewers' logs nor the rows read before."""
    from sysrev.web import state

    reads = []
    for name in ("_read_whole", "_read_tail"):
        real = getattr(state, name)
        monkeypatch.setattr(state, name, lambda path, *a, _real=real, _name=name: reads.append((_name, path.name))
                            or _real(path, *a))
    append_decisions(log_path(project.screening_dir, "title_abstract", "bob"),
                     [Decision("R000001", "include", "", "bob", "2026-12-03T10:00:00Z")])
    client, csrf = signed_in(app, "alice")
    client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                       "decision": "include"})
    assert reads == [("_read_whole", "bob.csv")]  # alice had no log yet
    reads.clear()
    client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000002",
                                                       "decision": "exclude"})
    client.get("/screen/title_abstract")
    assert reads == [("_read_whole", "alice.csv"), ("_read_tail", "alice.csv")]  # new, then its new row


def test_a_stopping_status_is_kept_for_the_state_it_was_computed_from(project):
    """``RecordCache.stopping`` keeps each reviewer's status with the current screening state: asked again for a
    state that has since been replaced (a request that began before a decision), it computes that state's
    status rather than hand back the newer one."""
    from sysrev.screening.log import Decision, append_decisions
    from sysrev.screening.prioritisation import reviewer_stopping
    from sysrev.web.state import RecordCache

    path = log_path(project.screening_dir, "title_abstract", "alice")
    append_decisions(path, [Decision("R000001", "include", "", "alice", "2026-12-03T10:00:00Z"),
                            Decision("R000002", "exclude", "", "alice", "2026-12-03T10:01:00Z")])
    cache = RecordCache(project)
    before = cache.screening()
    first = cache.stopping(before, "alice")
    assert cache.stopping(before, "alice") is first
    append_decisions(path, [Decision(f"R{n:06d}", "exclude", "", "alice", f"2026-12-03T10:{n:02d}:00Z")
                            for n in range(3, 11)])
    after = cache.screening()
    newer = cache.stopping(after, "alice")
    assert newer != first and newer.screened == 10
    again = cache.stopping(before, "alice")
    assert again == reviewer_stopping(project, before, "alice") and again.screened == 2
