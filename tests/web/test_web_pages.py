"""Handler tests for every page of `sysrev serve` and every refusal: no token, no reviewer, CSRF, another
reviewer's decisions (blinding), a bad form value (a message, nothing written), accounts off loopback."""

import csv
import json
import re

import pytest
from web_project import drop_study, include_studies, signed_in

from sysrev.errors import SysrevError
from sysrev.rob.form import load_assessment
from sysrev.web.access import add_user
from sysrev.web.app import create_app


def log_rows(project, stage, reviewer):
    path = project.screening_dir / stage / f"{reviewer}.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_token_is_required_on_loopback(app):
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    first = client.get("/screen/title_abstract?token=TESTTOKEN")
    assert first.status_code == 302 and "token" not in first.headers["Location"]  # the token leaves the URL
    assert client.get("/").status_code == 302  # now: pick a reviewer first
    assert client.get("/").headers["Location"].startswith("/pick")


def test_pick_a_reviewer_from_review_toml(app):
    client = app.test_client()
    client.get("/?token=TESTTOKEN")
    with client.session_transaction() as session:
        csrf = session["csrf"]
    refused = client.post("/pick", data={"reviewer": "mallory", "csrf_token": csrf})
    assert refused.status_code == 400 and b"Unknown reviewer" in refused.data
    assert client.post("/pick?next=/rob", data={"reviewer": "bob", "csrf_token": csrf}).headers["Location"] == "/rob"
    assert client.post("/pick?next=//evil.example", data={"reviewer": "bob", "csrf_token": csrf}
                       ).headers["Location"] == "/"
    assert b"bob" in client.get("/").data


def test_dashboard_shows_the_pipeline(app):
    client, _ = signed_in(app, "alice")
    page = client.get("/").data.decode()
    assert "Title/abstract" in page and "Full text" in page
    assert "pubmed" in page and "scopus" in page  # last run per search
    assert "los_dl" in page and "reproduced" in page  # the analyses and their status


def test_dashboard_lists_included_studies_missing_extraction_or_rob(app, project):
    include_studies(project)
    client, _ = signed_in(app, "alice")
    page = client.get("/").data.decode()
    pending = page[page.index('id="pending"'):page.index("</table>", page.index('id="pending"'))]
    # Derived by hand in include_studies: Umea's RoB 2 is exempted, its extraction is in the example.
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td><td>los</td>', pending)
    assert rows == [("Edinburgh", "RoB 2"), ("Newstudy 2024", "extraction"), ("Newstudy 2024", "RoB 2")]
    assert "3 included studies; 3 items still missing" in page
    assert "Umea: RoB 2 los — awaiting the trial&#39;s full text" in page  # the exemption, with its reason
    # What waits for whom: both reviewers have decided R000001-3 at title/abstract (7 of 10 left each), and
    # the three included records at full text (none left).
    waiting = page[page.index('id="waiting"'):]
    assert "alice (you)</th>\n<td>7 left</td><td>0 left</td>" in waiting
    assert "bob</th>\n<td>7 left</td><td>0 left</td>" in waiting


def test_evidence_shows_what_changed_since_the_last_release(app, project):
    from sysrev.living.release import make_release

    client, _ = signed_in(app, "alice")
    assert "No release yet" in client.get("/evidence").data.decode()
    make_release(project, "v1")
    drop_study(project, "Orpington-Severe")
    page = client.get("/evidence").data.decode()
    panel = page[page.index('id="changed-los_dl"'):page.index("</div>", page.index('id="changed-los_dl"'))]
    # Expected from R metafor (escalc MD, vtype="HO" for the pooled SD; rma method="DL") on
    # dat.normand1999: all nine trials -14.10 [-24.45, -3.75], p = 0.0076; without Orpington-Severe
    # -9.48 [-19.64, 0.68], p = 0.0674. Participants 1158 - (18 + 18) = 1122.
    assert ("Statistical significance changed: the pooled MD was statistically significant at the 0.05 level "
            "(p = 0.008) and now is not (p = 0.067).") in panel
    assert '<th scope="row">MD</th><td>-14.10</td><td>-9.48</td>' in panel
    assert '<th scope="row">CI</th><td>[-24.45, -3.75]</td><td>[-19.64, 0.68]</td>' in panel
    assert '<th scope="row">k</th><td>9</td><td>8</td>' in panel
    assert '<th scope="row">participants</th><td>1158</td><td>1122</td>' in panel
    assert "studies removed: Orpington-Severe" in panel
    assert "Compared with release <strong>v1</strong>" in page


def test_screen_decide_and_move_on(app, project):
    client, csrf = signed_in(app, "alice")
    page = client.get("/screen/title_abstract").data.decode()
    assert "record 1 of 10" in page and "<mark>Stroke unit</mark>" in page and "<mark>randomised</mark>" in page
    first = log_rows(project, "title_abstract", "alice")
    assert first == []
    response = client.post("/screen/title_abstract/decide",
                           data={"csrf_token": csrf, "record_id": "R000001", "decision": "include", "note": "looks in"})
    assert response.status_code == 302 and response.headers["Location"] == "/screen/title_abstract"
    assert "record 2 of 10" in client.get("/screen/title_abstract").data.decode()
    (row,) = log_rows(project, "title_abstract", "alice")
    assert (row["record_id"], row["decision"], row["reviewer"], row["note"]) == ("R000001", "include", "alice",
                                                                                  "looks in")
    # Back to it: the page shows alice's own decision; a new one is a new row (a changed mind).
    assert "Your decision so far: <strong>include" in client.get("/screen/title_abstract?at=R000001").data.decode()
    client.post("/screen/title_abstract/decide",
                data={"csrf_token": csrf, "record_id": "R000001", "decision": "exclude"})
    assert [r["decision"] for r in log_rows(project, "title_abstract", "alice")] == ["include", "exclude"]


def test_screen_lists_the_records_of_the_same_trial_with_the_reviewers_own_decisions(app, project):
    """Records dedup linked as one trial's reports are listed under the abstract, each with the reviewer's own
    decision (bob's decision on R000003 stays hidden from alice)."""
    path = project.records_dir / "records.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line["record_id"] == "R000002":
            line.setdefault("extra", {})["dedup_related"] = [
                {"record_id": rid, "reason": "both name trial NCT01234567 (different titles)"}
                for rid in ("R000001", "R000003")]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    _both_screen(app, {"alice": {"R000001": "include"}, "bob": {"R000003": "exclude"}})
    alice, _ = signed_in(app, "alice")
    page = alice.get("/screen/title_abstract").data.decode()  # her next record: R000002 (file order)
    assert "R000002</p>" in page
    same = page.split('aria-label="Same trial"', 1)[1].split("</section>", 1)[0]
    assert "R000001" in same and "both name trial NCT01234567; your decision: <strong>include</strong>" in same
    assert "R000003" in same and "both name trial NCT01234567; not decided by you" in same
    assert "exclude" not in same


def test_bad_form_values_write_nothing(app, project):
    client, csrf = signed_in(app, "alice")
    for data in ({"record_id": "R000001", "decision": "perhaps"}, {"record_id": "NOPE", "decision": "include"}):
        response = client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, **data})
        assert response.status_code == 400 and b"nothing saved" in response.data
    no_csrf = client.post("/screen/title_abstract/decide", data={"record_id": "R000001", "decision": "include"})
    assert no_csrf.status_code == 400 and b"CSRF" in no_csrf.data
    forged = client.post("/screen/title_abstract/decide",
                         data={"csrf_token": "forged", "record_id": "R000001", "decision": "include"})
    assert forged.status_code == 400
    assert log_rows(project, "title_abstract", "alice") == []


def _both_screen(app, decisions):
    clients = {}
    for reviewer, choice in decisions.items():
        client, csrf = signed_in(app, reviewer)
        clients[reviewer] = (client, csrf)
        for record_id, decision in choice.items():
            client.post("/screen/title_abstract/decide",
                        data={"csrf_token": csrf, "record_id": record_id, "decision": decision})
    return clients


def test_blinding_screen_never_shows_another_reviewers_decision(app):
    clients = _both_screen(app, {"alice": {"R000001": "include"}})
    bob, _ = signed_in(app, "bob")
    page = bob.get("/screen/title_abstract?at=R000001").data.decode()
    assert "Your decision so far" not in page and "include</strong>" not in page
    # And the conflict on R000002 is hidden from bob until he has screened it himself.
    alice, csrf = clients["alice"]
    alice.post("/screen/title_abstract/decide",
               data={"csrf_token": csrf, "record_id": "R000002", "decision": "exclude"})
    carol_like = signed_in(app, "bob")[0]
    assert "R000002" not in carol_like.get("/conflicts/title_abstract").data.decode()


def test_conflicts_side_by_side_and_reconciled(app, project):
    clients = _both_screen(app, {"alice": {"R000003": "include"}, "bob": {"R000003": "exclude"}})
    alice, csrf = clients["alice"]
    page = alice.get("/conflicts/title_abstract").data.decode()
    assert "R000003" in page and "include" in page and "exclude" in page
    carol = app.test_client()  # a third party cannot settle what is not hers (server-side check)
    refused = alice.post("/conflicts/title_abstract/resolve",
                         data={"csrf_token": csrf, "record_id": "R000004", "decision": "include"})
    assert refused.status_code == 400 and b"not a conflict you can settle" in refused.data
    alice.post("/conflicts/title_abstract/resolve", data={"csrf_token": csrf, "record_id": "R000003",
                                                          "decision": "include", "note": "meets criteria"})
    path = project.screening_dir / "title_abstract" / "reconciliation" / "alice.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["record_id"], row["decision"], row["note"]) == ("R000003", "include", "meets criteria")
    assert "R000003" not in alice.get("/conflicts/title_abstract").data.decode()
    assert carol.get("/conflicts/title_abstract").status_code == 403


def test_full_text_exclusion_needs_a_reason(app, project):
    _both_screen(app, {"alice": {"R000001": "include"}, "bob": {"R000001": "include"}})
    client, csrf = signed_in(app, "alice")
    page = client.get("/screen/full_text").data.decode()
    assert "not randomised" in page and "Full text: not fetched" in page
    refused = client.post("/screen/full_text/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                            "decision": "exclude", "reason": "because"})
    assert refused.status_code == 400 and log_rows(project, "full_text", "alice") == []
    client.post("/screen/full_text/decide", data={"csrf_token": csrf, "record_id": "R000001", "decision": "exclude",
                                                  "reason": "wrong comparator"})
    (row,) = log_rows(project, "full_text", "alice")
    assert (row["decision"], row["reason"]) == ("exclude", "wrong comparator")


def test_duplicates_side_by_side_and_decided(app, project):
    client, csrf = signed_in(app, "alice")
    page = client.get("/duplicates").data.decode()
    assert "pubmed:40000002" in page and "pubmed:40000003" in page and "differs" in page
    bad = client.post("/duplicates/decide", data={"csrf_token": csrf, "record_a": "pubmed:40000002",
                                                  "record_b": "pubmed:40000003", "decision": "maybe"})
    assert bad.status_code == 400 and not (project.records_dir / "dedup_decisions.csv").exists()
    client.post("/duplicates/decide", data={"csrf_token": csrf, "record_a": "pubmed:40000002",
                                            "record_b": "pubmed:40000003", "decision": "different"})
    with open(project.records_dir / "dedup_decisions.csv", newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["decision"], row["reviewer"]) == ("different", "alice")
    assert "No undecided pairs" in client.get("/duplicates").data.decode()


def test_rob_proposal_follows_the_algorithm_and_saves_the_form(app, project):
    client, csrf = signed_in(app, "alice")
    name = "Indredavik_1991--los"
    assert "pending (answers missing)" in client.get(f"/rob/{name}").data.decode()
    # Domain 1: random sequence (1.1 Y), concealed (1.2 Y), no baseline imbalance problem (1.3 N) → low
    # (RoB 2 guidance, domain 1 algorithm).
    answers = {"csrf_token": csrf, "D1.1.1": "Y", "D1.1.2": "Y", "D1.1.3": "N"}
    proposal = client.post(f"/rob/{name}/propose", data=answers).get_json()
    assert proposal["D1"]["algorithm"] == "low" and proposal["D2"]["algorithm"] is None
    # 1.2 N (allocation not concealed) → high, whatever 1.3 says.
    assert client.post(f"/rob/{name}/propose", data={**answers, "D1.1.2": "N"}).get_json()["D1"]["algorithm"] == "high"
    saved = client.post(f"/rob/{name}", data={**answers, "D1.1.1.support": "computer-generated list (Methods)"})
    assert saved.status_code == 302
    assessment = load_assessment(project.rob_dir / f"{name}.toml")
    assert assessment.domains["D1"].answers == {"1.1": "Y", "1.2": "Y", "1.3": "N"}
    support = assessment.domains["D1"].support
    assert support["1.1"] == "computer-generated list (Methods)" and not support.get("1.2")
    assert assessment.algorithm("D1") == "low"


def test_rob_refuses_bad_values_and_keeps_the_file(app, project):
    client, csrf = signed_in(app, "alice")
    name = "Indredavik_1991--los"
    before = (project.rob_dir / f"{name}.toml").read_text(encoding="utf-8")
    bad_answer = client.post(f"/rob/{name}", data={"csrf_token": csrf, "D1.1.1": "maybe"})
    assert bad_answer.status_code == 400 and b"nothing saved" in bad_answer.data
    no_reason = client.post(f"/rob/{name}", data={"csrf_token": csrf, "D1.override": "high"})
    assert no_reason.status_code == 400 and b"justification" in no_reason.data
    assert (project.rob_dir / f"{name}.toml").read_text(encoding="utf-8") == before
    assert client.get("/rob/..%2Freview").status_code == 404


def test_evidence_lists_analyses_with_plots(app):
    client, csrf = signed_in(app, "alice")
    page = client.get("/evidence").data.decode()
    assert "los_dl" in page and "reproduced" in page and "forest.svg" in page
    assert client.get("/evidence/los_dl/forest.svg").headers["Content-Type"].startswith("image/svg+xml")
    assert client.get("/evidence/los_dl/funnel.svg").status_code == 200
    assert client.get("/evidence/nope/forest.svg").status_code == 404
    assert client.post("/evidence/run", data={"csrf_token": csrf}).status_code == 302


def test_network_mode_needs_accounts_and_a_password(project):
    with pytest.raises(SysrevError, match="without accounts"):
        create_app(project, host="0.0.0.0")
    with pytest.raises(SysrevError, match="not a reviewer"):
        add_user(project, "mallory", "long enough password", ["alice", "bob"])
    with pytest.raises(SysrevError, match="at least 10"):
        add_user(project, "alice", "short", ["alice", "bob"])
    path = add_user(project, "alice", "correct horse battery", ["alice", "bob"])
    assert "correct horse" not in path.read_text() and "scrypt" in path.read_text()
    app = create_app(project, host="0.0.0.0", secret_key="k")
    client = app.test_client()
    assert client.get("/").headers["Location"].startswith("/login")
    assert client.get("/?token=anything").headers["Location"].startswith("/login")  # no token mode here
    client.get("/login")
    with client.session_transaction() as session:
        csrf = session["csrf"]
    wrong = client.post("/login", data={"csrf_token": csrf, "reviewer": "alice", "password": "guess"})
    assert wrong.status_code == 401
    right = client.post("/login", data={"csrf_token": csrf, "reviewer": "alice", "password": "correct horse battery"})
    assert right.status_code == 302
    assert b"alice" in client.get("/").data
    with client.session_transaction() as session:
        assert session.permanent  # expires (PERMANENT_SESSION_LIFETIME), not a forever cookie


def test_full_text_paper_and_its_tables(app, project):
    from pathlib import Path

    from sysrev.fulltext.manifest import Entry, sha256, write_manifest

    _both_screen(app, {"alice": {"R000001": "include"}, "bob": {"R000001": "include"}})
    data = (Path(__file__).parents[1] / "fixtures" / "fulltext" / "own_tables.xml").read_bytes()
    stored = project.root / "fulltext" / "files" / "R000001.xml"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(data)
    write_manifest(project, {"R000001": Entry("R000001", "retrieved", source="pmc", licence="cc0", format="xml",
                                              file="files/R000001.xml", sha256=sha256(data))})
    client, _ = signed_in(app, "alice")
    page = client.get("/screen/full_text").data.decode()
    assert "files/R000001.xml (pmc; licence: cc0)" in page and "its tables" in page
    assert client.get("/paper/R000001").data == data
    tables = client.get("/paper/R000001/tables").data.decode()
    assert "Table 2" in tables and "Ultrasound (n = 30) / Mean" in tables and "2.6 [a]" in tables
    assert "<title>Tables · R000001" in tables and "<h1>Tables of Stroke unit care trial 1:" in tables
    assert "files/R000001.xml · pmc · licence: cc0." in tables
    assert client.get("/paper/R000002/tables").status_code == 404  # not at full text


def test_serve_command_refuses_the_network_without_accounts_and_adds_one(project):
    from click.testing import CliRunner

    from sysrev.cli.main import cli

    runner = CliRunner()
    refused = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--no-browser", "--project", str(project.root)])
    assert refused.exit_code == 2 and "without accounts" in refused.output
    added = runner.invoke(cli, ["serve", "adduser", "bob", "--password", "a long passphrase", "--project",
                                str(project.root)])
    assert added.exit_code == 0, added.output
    assert "a long passphrase" not in added.output
    assert added.output == (f"account for bob saved in {project.root / '.sysrev' / 'web-users.json'} (scrypt hash; "
                            "keep this file out of git)\n")
    unknown = runner.invoke(cli, ["serve", "adduser", "eve", "--password", "a long passphrase", "--project",
                                  str(project.root)])
    assert unknown.exit_code == 2 and "not a reviewer" in unknown.output


def test_relevance_order_records_rank_and_model_and_learns_from_own_decisions_only(app, project, tmp_path):
    from web_project import build_project

    def alice_after(app_, bob_decisions):
        for record_id, decision in bob_decisions.items():
            bob, csrf = signed_in(app_, "bob")
            bob.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": record_id,
                                                            "decision": decision})
        alice, csrf = signed_in(app_, "alice")
        orders = app_.extensions["sysrev"]["orders"]._orders
        shown = []
        for decision in ("include", "exclude", "include"):
            held = orders.get(("alice", "title_abstract", "relevance"))
            if held:  # let the background model catch up, so both runs rank with the same model
                held[1].background.ranking(lag=0)
            page = alice.get("/screen/title_abstract").data.decode()
            record_id = page.split('name="record_id" value="')[1].split('"')[0]
            shown.append(record_id)
            alice.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": record_id,
                                                              "decision": decision})
        alice.get("/screen/title_abstract")
        ranking = orders[("alice", "title_abstract", "relevance")][1].background.ranking(lag=0)
        return shown, ranking

    other = build_project(tmp_path / "other")
    from sysrev.web.app import create_app

    other_app = create_app(other, token="TESTTOKEN", secret_key="test-secret")
    with_bob = alice_after(app, {"R000005": "include", "R000006": "exclude",
                                 "R000007": "include", "R000008": "exclude"})
    without_bob = alice_after(other_app, {})
    # The first two records come in file order (nothing to learn from before an include and an exclude);
    # then a model trained on alice's decisions alone ranks the rest, the same whether or not bob screened.
    assert with_bob[0] == without_bob[0] and with_bob[0][:2] == ["R000001", "R000002"]
    assert with_bob[1].model == without_bob[1].model != "file"
    assert with_bob[1].trained_on == 3 and with_bob[1].model.endswith("/3")
    assert with_bob[1].record_ids == without_bob[1].record_ids
    rows = log_rows(project, "title_abstract", "alice")
    assert all(r["rank"] for r in rows) and all(r["model"] for r in rows)


def test_dashboard_lists_imported_exports_beside_the_draft_strategies(tmp_path):
    # a review built from exports: the dashboard showed the snapshots only when no strategy file existed, and
    # `sysrev init` always writes some (as drafts, flagged here)
    from click.testing import CliRunner

    from sysrev.cli.main import cli
    from sysrev.project import load_project

    root, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(cli, ["init", str(root), "--no-input", "--no-git"]).exit_code == 0
    for source, count in (("embase", 3), ("embase", 2), ("central", 1)):
        export = tmp_path / f"{source}{count}.ris"
        export.write_text("".join(f"TY  - JOUR\nTI  - Trial {source} {n}\nPY  - 2020\nER  - \n" for n in range(count)),
                          encoding="utf-8")
        assert runner.invoke(cli, ["import", "--project", str(root), "--source", source, str(export)]).exit_code == 0
    app = create_app(load_project(root), token="TESTTOKEN", secret_key="test-secret")
    client, _ = signed_in(app, "reviewer1")
    page = client.get("/").data.decode()
    table = page[page.index("Last run of each search strategy"):page.index("</table>", page.index("Last run"))]
    assert ('<th scope="row">pubmed</th><td>pubmed</td><td>0</td><td>never run (draft query: not run until its '
            '<code>draft</code> line is deleted)</td>') in table
    assert '<th scope="row">embase</th><td>imported export</td><td>2</td>' in table
    assert '<th scope="row">central</th><td>imported export</td><td>1</td>' in table
