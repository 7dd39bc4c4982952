"""Handler tests of the screening page's fetch path: the record fetched ahead (`/screen/<stage>/next`), the
decision posted for JSON, every refusal (no token, CSRF, a bad value, a record outside the reviewer's queue:
a message and nothing written), blinding of what is fetched ahead, and the screening state kept between
requests yet never stale (a decision from the terminal, a bad row appended by hand)."""

import csv
import multiprocessing
import threading

import pytest
from web_project import signed_in

from sysrev.screening.log import Decision, append_decisions, log_path

JSON = {"Accept": "application/json"}


def rows(project, reviewer, stage="title_abstract"):
    path = project.screening_dir / stage / f"{reviewer}.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return [(r["record_id"], r["decision"]) for r in csv.DictReader(fh)]


@pytest.fixture
def alice(app):
    """alice, in file order: the records come R000001, R000002, … (the relevance model has nothing to learn
    from before an include and an exclude, and then its order is its own)."""
    client, csrf = signed_in(app, "alice")
    client.post("/screen/title_abstract/order", data={"csrf_token": csrf, "order": "file"})
    return client, csrf


def post(client, csrf, record_id, decision, **extra):
    return client.post("/screen/title_abstract/decide", headers=JSON,
                       data={"csrf_token": csrf, "record_id": record_id, "decision": decision, **extra})


def test_next_record_is_fetched_ahead_then_the_decision_saved_before_the_answer(alice, project):
    client, csrf = alice
    ahead = client.get("/screen/title_abstract/next?after=R000001", headers=JSON)
    assert ahead.status_code == 200
    body = ahead.get_json()
    assert body["record_id"] == "R000002" and body["url"] == "/screen/title_abstract"
    # Rendered as it will be once R000001 is decided: second of ten, nine left, back leads to R000001.
    assert "record 2 of 10 · 9 left" in body["html"] and 'value="R000002"' in body["html"]
    assert "at=R000001" in body["html"]
    assert rows(project, "alice") == []  # fetching ahead writes nothing
    answer = post(client, csrf, "R000001", "include", expect_next="R000002")
    assert answer.status_code == 200
    assert answer.get_json() == {"saved": True, "record_id": "R000001", "decision": "include", "next_ok": True}
    assert rows(project, "alice") == [("R000001", "include")]  # on disk when the answer came


def test_without_a_record_fetched_ahead_the_answer_brings_the_next(alice, project):
    client, csrf = alice
    answer = post(client, csrf, "R000001", "exclude").get_json()  # no expect_next: the page holds nothing yet
    assert answer["saved"] and answer["next"]["record_id"] == "R000002"
    assert "record 2 of 10 · 9 left" in answer["next"]["html"]
    assert rows(project, "alice") == [("R000001", "exclude")]


def test_a_record_fetched_ahead_but_decided_meanwhile_is_not_shown(alice, project):
    client, csrf = alice
    assert client.get("/screen/title_abstract/next?after=R000001", headers=JSON).get_json()["record_id"] == "R000002"
    # alice decides R000002 from the terminal while the page still holds it.
    append_decisions(log_path(project.screening_dir, "title_abstract", "alice"),
                     [Decision("R000002", "exclude", "", "alice", "2026-12-03T10:00:00Z")])
    answer = post(client, csrf, "R000001", "include", expect_next="R000002").get_json()
    assert answer["saved"] and answer["next_ok"] is False  # the page loads afresh instead
    assert client.get("/screen/title_abstract/next?after=R000003", headers=JSON).get_json()["record_id"] == "R000004"


def test_going_back_then_on_through_own_decisions(alice, project):
    client, csrf = alice
    for record_id, decision in (("R000001", "include"), ("R000002", "exclude"), ("R000003", "maybe")):
        post(client, csrf, record_id, decision)
    # After the last of her decisions comes the first record she has not decided.
    last = client.get("/screen/title_abstract/next?after=R000003", headers=JSON).get_json()
    assert last["record_id"] == "R000004" and "record 4 of 10 · 7 left" in last["html"]
    body = client.get("/screen/title_abstract/next?after=R000001", headers=JSON).get_json()
    assert body["record_id"] == "R000002" and body["url"] == "/screen/title_abstract?at=R000002"
    assert "Your decision so far: <strong>exclude</strong>" in body["html"] and "record 2 of 10" in body["html"]
    # A changed mind on R000001 is a new row; the page moves on to R000002 as it expected, and R000001 keeps
    # its place among her decisions (first decided, first in the list), so going on stays as it was.
    assert post(client, csrf, "R000001", "exclude", expect_next="R000002").get_json()["next_ok"] is True
    again = client.get("/screen/title_abstract/next?after=R000001", headers=JSON).get_json()
    assert again["record_id"] == "R000002" and "record 2 of 10" in again["html"]
    assert "record 1 of 10" in client.get("/screen/title_abstract?at=R000001").data.decode()
    assert rows(project, "alice") == [("R000001", "include"), ("R000002", "exclude"), ("R000003", "maybe"),
                                      ("R000001", "exclude")]


def test_nothing_ahead_after_the_last_record(alice):
    client, csrf = alice
    for n in range(1, 10):
        post(client, csrf, f"R{n:06d}", "exclude")
    body = client.get("/screen/title_abstract/next?after=R000010", headers=JSON).get_json()
    assert body["record_id"] is None and body["html"] == ""
    assert post(client, csrf, "R000010", "include", expect_next="").get_json()["next_ok"] is False
    assert "nothing left for you" in client.get("/screen/title_abstract").data.decode()


def test_every_refusal_answers_json_and_writes_nothing(app, alice, project):
    client, csrf = alice
    bad_value = post(client, csrf, "R000001", "perhaps")
    assert bad_value.status_code == 400 and "nothing saved" in bad_value.get_json()["error"]
    unknown = post(client, csrf, "NOPE", "include")
    assert unknown.status_code == 400 and "not in your title/abstract queue" in unknown.get_json()["error"]
    forged = post(client, "forged", "R000001", "include")
    assert forged.status_code == 400 and "CSRF" in forged.get_json()["error"]
    no_token = app.test_client().post("/screen/title_abstract/decide", headers=JSON,
                                      data={"record_id": "R000001", "decision": "include"})
    assert no_token.status_code == 403
    assert app.test_client().get("/screen/title_abstract/next?after=R000001").status_code == 403
    outside = client.get("/screen/title_abstract/next?after=NOPE", headers=JSON)
    assert outside.status_code == 400 and "not in your" in outside.get_json()["error"]
    # At full text only records forwarded from title/abstract are anyone's to screen.
    assert client.get("/screen/full_text/next?after=R000001", headers=JSON).status_code == 400
    full_text = client.post("/screen/full_text/decide", headers=JSON,
                            data={"csrf_token": csrf, "record_id": "R000001", "decision": "include"})
    assert full_text.status_code == 400
    assert rows(project, "alice") == [] and rows(project, "alice", "full_text") == []


def test_what_is_fetched_ahead_never_shows_another_reviewers_decision(app, alice, project):
    client, csrf = alice
    post(client, csrf, "R000002", "include", expect_next="")
    bob, bob_csrf = signed_in(app, "bob")
    bob.post("/screen/title_abstract/order", data={"csrf_token": bob_csrf, "order": "file"})
    body = bob.get("/screen/title_abstract/next?after=R000001", headers=JSON).get_json()
    assert body["record_id"] == "R000002"  # alice's decision does not take it out of bob's queue
    assert "Your decision so far" not in body["html"] and "include" not in body["html"].split("<form")[0]
    assert "record 2 of 10 · 9 left" in body["html"]  # bob's own progress, not alice's


def test_state_kept_between_requests_sees_every_new_row_and_its_line(alice, project):
    client, csrf = alice
    post(client, csrf, "R000001", "include")
    client.get("/screen/title_abstract")  # the state is read and kept
    path = log_path(project.screening_dir, "title_abstract", "alice")
    append_decisions(path, [Decision("R000002", "exclude", "", "alice", "2026-12-03T10:00:00Z")])  # the terminal
    assert "record 3 of 10" in client.get("/screen/title_abstract").data.decode()
    with open(path, "a", encoding="utf-8") as fh:  # a hand edit gone wrong: line 4 of the file
        fh.write("R000003,perhaps,,alice,2026-12-03T10:01:00Z\n")
    page = client.get("/screen/title_abstract")
    assert page.status_code == 400 and "alice.csv, line 4: decision &#39;perhaps&#39;" in page.data.decode()
    refused = post(client, csrf, "R000004", "include")
    assert refused.status_code == 400 and "line 4" in refused.get_json()["error"]
    assert rows(project, "alice") == [("R000001", "include"), ("R000002", "exclude"), ("R000003", "perhaps")]


def test_log_cache_reads_only_what_was_appended_and_agrees_with_a_full_read(project, monkeypatch):
    from sysrev.screening.config import screening_config
    from sysrev.screening.log import read_log
    from sysrev.web import state

    config = screening_config(project)
    checks = {"stage": "title_abstract", "config": config, "known_ids": {f"R{n:06d}" for n in range(1, 11)}}
    path = log_path(project.screening_dir, "title_abstract", "alice")
    cache = state.LogCache()
    whole_reads = []
    monkeypatch.setattr(state, "_read_whole", lambda *a, _real=state._read_whole: whole_reads.append(1) or _real(*a))

    def same_as_full_read():
        assert cache.read(path, **checks) == read_log(path, **checks)

    append_decisions(path, [Decision("R000001", "include", "", "alice", "2026-12-03T10:00:00Z")])
    same_as_full_read()
    for n in (2, 3):
        append_decisions(path, [Decision(f"R00000{n}", "exclude", "", "alice", "2026-12-03T10:00:00Z")])
        same_as_full_read()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("R000099,include,,alice,2026-12-03T10:00:00Z\n")  # an unknown record: a problem on line 5
    same_as_full_read()
    assert len(whole_reads) == 1  # the first read only; every later one read the appended rows
    assert [p.line for p in cache.read(path, **checks)[1]] == [5]
    append_decisions(path, [Decision("R000004", "maybe", "", "alice", "2026-12-03T10:00:00Z", "a note")])
    same_as_full_read()  # the note widened the header: the file was rewritten, and read whole again
    assert len(whole_reads) == 2
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("R000005,include,,alice,2026")  # a row still being written (no end of line yet)
    same_as_full_read()


def _terminal_appends(path, count):
    """What the terminal screen does for each key: one append_decisions call (in another process)."""
    for i in range(count):
        append_decisions(path, [Decision(f"R{i % 10 + 1:06d}", "exclude", "", "alice", "2026-12-03T10:00:00Z",
                                         f"terminal-{i}")])


def test_web_and_terminal_writing_at_once_lose_nothing(app, project):
    from sysrev.screening.config import screening_config
    from sysrev.screening.log import read_log

    path = log_path(project.screening_dir, "title_abstract", "alice")
    terminal = multiprocessing.get_context("spawn").Process(target=_terminal_appends, args=(path, 40))

    def web(worker):
        client, csrf = signed_in(app, "alice")
        for i in range(10):
            answer = post(client, csrf, f"R{i + 1:06d}", "include", note=f"web{worker}-{i}")
            assert answer.status_code == 200, answer.data

    threads = [threading.Thread(target=web, args=(w,)) for w in range(2)]
    terminal.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    terminal.join(60)
    assert terminal.exitcode == 0
    decided, problems = read_log(path, stage="title_abstract", config=screening_config(project))
    assert problems == []
    assert sorted(d.note for d in decided) == sorted([f"terminal-{i}" for i in range(40)]
                                                     + [f"web{w}-{i}" for w in range(2) for i in range(10)])
