"""What the web pages read between requests (sysrev/web/state.py): records changed on disk show at once, the
pace and time to go from the reviewer's own decisions (breaks left out), and the relevance order kept between
requests — trained once per decision, never per page — yet fully caught up when the next record is chosen
ahead."""

import json
import threading

import pytest
from web_project import signed_in

from sysrev.screening import ordering
from sysrev.screening.log import Decision, append_decisions, log_path
from sysrev.screening.ranking import Ranking

JSON = {"Accept": "application/json"}


def test_a_record_added_to_records_jsonl_shows_on_the_next_page(app, project):
    client, _ = signed_in(app, "alice")
    for _ in range(2):  # read, then kept
        assert "record 1 of 10 · 10 left" in client.get("/screen/title_abstract").data.decode()
    path = project.records_dir / "records.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    extra = dict(json.loads(lines[-1]), record_id="R000011", title="An eleventh trial")
    path.write_text("\n".join([*lines, json.dumps(extra)]) + "\n", encoding="utf-8")
    assert "record 1 of 11 · 11 left" in client.get("/screen/title_abstract").data.decode()


@pytest.mark.parametrize("seconds, shown", [
    ([0, 30, 630, 660], "30 s/record · ~3 min to go"),  # six left; the 600 s gap is a break, not screening
    ([0, 599, 1198, 1797], "599 s/record · ~60 min to go"),  # just under ten minutes each: all counted
    ([0, 10, 20, 30, 40, 50, 60, 70, 80], "10 s/record · under a minute to go"),  # one left
    ([0, 600, 1200, 1800], ""),  # only breaks: no pace to tell
])
def test_pace_and_time_to_go_come_from_the_reviewers_own_decisions(app, project, seconds, shown):
    stamps = [f"2026-12-03T10:{s // 60:02d}:{s % 60:02d}Z" if s < 3600 else f"2026-12-03T11:{(s - 3600) // 60:02d}:"
              f"{s % 60:02d}Z" for s in seconds]
    append_decisions(log_path(project.screening_dir, "title_abstract", "alice"),
                     [Decision(f"R{n:06d}", "exclude", "", "alice", stamp) for n, stamp in enumerate(stamps, 1)])
    append_decisions(log_path(project.screening_dir, "title_abstract", "bob"),  # bob's pace is not alice's
                     [Decision(f"R{n:06d}", "exclude", "", "bob", f"2026-12-03T10:00:0{n}Z") for n in range(1, 9)])
    client, _ = signed_in(app, "alice")
    progress = client.get("/screen/title_abstract").data.decode().split("<strong>Title/abstract</strong>")[1]
    progress = progress.split("\n")[0]
    left = 10 - len(seconds)
    assert progress == f" · record {len(seconds) + 1} of 10 · {left} left" + (f" · {shown}" if shown else "")


@pytest.fixture
def model(monkeypatch):
    """A stand-in relevance model: it ranks the reviewer's undecided records in file order rotated by the number
    of decisions it learnt from (so each training puts another record first); every training after the first
    waits for ``gate``. ``trained`` lists how many decisions each training learnt from."""
    state = {"trained": [], "gate": threading.Event()}

    def rank(self, decisions):
        if state["trained"]:
            assert state["gate"].wait(10)
        state["trained"].append(len(decisions))
        n = len(decisions)
        undecided = [rid for rid in self.eligible if rid not in decisions]
        return Ranking(undecided[n:] + undecided[:n], f"stand-in/{n}", n)

    monkeypatch.setattr(ordering.RelevanceRanking, "__call__", rank)
    return state


def test_the_relevance_model_trains_once_per_decision_not_per_page(app, model):
    client, csrf = signed_in(app, "alice")
    for _ in range(3):
        assert 'value="R000001"' in client.get("/screen/title_abstract").data.decode()
    assert model["trained"] == [0]
    model["gate"].set()
    client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                       "decision": "include"})
    for _ in range(2):
        client.get("/screen/title_abstract")
    assert model["trained"] == [0, 1]


def test_the_record_fetched_ahead_waits_for_the_model_to_learn_the_last_decision(app, model):
    client, csrf = signed_in(app, "alice")
    client.get("/screen/title_abstract")  # the first training, on no decision: file order
    client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                       "decision": "include"})  # the second training waits
    threading.Timer(0.5, model["gate"].set).start()
    ahead = client.get("/screen/title_abstract/next?after=R000003", headers=JSON).get_json()
    # Learnt from R000001: R000002…R000010 rotated by one, R000003 (being read) left out. The model of no
    # decision (one update behind) would have given R000002.
    assert ahead["record_id"] == "R000004" and model["trained"] == [0, 1]
