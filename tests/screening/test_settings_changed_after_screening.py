"""review.toml changed after screening began: a reviewer taken off the list, an exclusion reason renamed.

The logs then hold rows that cannot be counted. Nothing is dropped or rewritten; what matters is what the team
is told: where the rows are and what most likely happened, and that no figure computed on part of a log is
presented as if it were whole (the stopping rule of a reviewer whose log lost rows, a report written from
them) without saying so on the terminal and in the exit code.
"""

import json

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.project import load_project
from sysrev.screening.log import rows_naming
from sysrev.screening.state import load_screening

H = "record_id,decision,reason,reviewer,timestamp\n"


def _log(reviewer, decisions):
    return H + "".join(f"r{i:02d},{decision},{reason},{reviewer},2024-01-01T10:0{i}:00Z\n"
                       for i, (decision, reason) in enumerate(decisions, start=1))


ALICE = [("include", ""), ("exclude", "wrong population"), ("include", ""), ("exclude", "wrong population")]
BOB = [("include", ""), ("exclude", "wrong comparator"), ("include", "")]


def _renamed(make_project):
    """alice's log uses 'wrong population', which review.toml now calls 'wrong patient population'."""
    project = make_project({"title_abstract/alice.csv": _log("alice", ALICE),
                            "title_abstract/bob.csv": _log("bob", BOB)})
    toml = project.root / "review.toml"
    text = toml.read_text(encoding="utf-8")
    assert '"wrong population"' in text
    toml.write_text(text.replace('"wrong population"', '"wrong patient population"'), encoding="utf-8")
    return load_project(project.root)


def test_a_renamed_reason_is_pointed_at_with_the_two_ways_out(make_project):
    project = _renamed(make_project)
    problems = load_screening(project, strict=False).problems
    assert [(p.path.name, p.line) for p in problems] == [("alice.csv", 3), ("alice.csv", 5)]
    assert problems[0].message == (
        "reason 'wrong population' is not in [screening] exclusion_reasons of review.toml (did you mean 'wrong "
        "patient population'? If the reason was renamed in review.toml, keep the old name in the list too, or "
        "change it in the log)")


def test_a_reason_like_none_listed_gets_no_guess(make_project):
    project = make_project({"title_abstract/alice.csv": _log("alice", [("exclude", "animal study")])})
    [problem] = load_screening(project, strict=False).problems
    assert problem.message == "reason 'animal study' is not in [screening] exclusion_reasons of review.toml"


def test_status_withholds_the_stopping_claim_of_a_reviewer_whose_log_lost_rows(make_project):
    """alice's two exclusions are not counted, so a stopping test on her log would run on half of it; bob's
    log is whole and keeps his sentence."""
    project = _renamed(make_project)
    result = CliRunner().invoke(cli, ["screen", "status", "--project", str(project.root)])
    assert result.exit_code == 1
    assert ("  stopping rule, alice: not assessed (alice's log has rows that cannot be counted: 2 problems, "
            "listed below)\n") in result.stdout
    assert "  stopping rule, bob: recall ≥ 95 % can be claimed" in result.stdout
    assert "stopping rule, alice: recall" not in result.stdout
    assert result.stderr.count("warning: not counted: ") == 1  # her two rows with the same reason: one line
    assert "alice.csv, lines 3, 5 (2 rows): reason" in result.stderr
    as_json = CliRunner().invoke(cli, ["screen", "status", "--json", "--project", str(project.root)])
    stage = json.loads(as_json.stdout)["stages"][0]
    assert stage["stopping_withheld"] == {"alice": 2}
    assert list(stage["stopping"]) == ["bob"]


def test_status_of_whole_logs_withholds_nothing(make_project):
    project = make_project({"title_abstract/alice.csv": _log("alice", ALICE)})
    as_json = CliRunner().invoke(cli, ["screen", "status", "--json", "--project", str(project.root)])
    assert as_json.exit_code == 0
    stage = json.loads(as_json.stdout)["stages"][0]
    assert stage["stopping_withheld"] == {} and list(stage["stopping"]) == ["alice"]


def test_the_report_is_written_but_the_terminal_and_exit_code_say_it_is_partial(make_project, tmp_path):
    project = _renamed(make_project)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["screen", "report", "--out", str(out), "--project", str(project.root)])
    assert result.exit_code == 1
    assert result.stdout == f"wrote {out}\n"
    assert result.stderr.splitlines()[0] == (
        "warning: 2 problems in the screening logs: the rows they name are left out of the report's figures and "
        "the PRISMA flow is not drawn (they are listed at the report's end); fix them, then write the report again")
    assert [line.split(": reason")[0] for line in result.stderr.splitlines()[1:]] == [
        f"warning: not counted: {project.root / 'screening' / 'title_abstract' / 'alice.csv'}, lines 3, 5 (2 rows)"]
    assert "Rows not counted" in out.read_text(encoding="utf-8")


def test_a_reviewer_taken_off_the_list_is_one_problem_naming_their_rows(make_project):
    project = make_project({"title_abstract/alice.csv": _log("alice", ALICE),
                            "title_abstract/dave.csv": _log("dave", BOB)})
    [problem] = load_screening(project, strict=False).problems
    assert problem.line is None and problem.path.name == "dave.csv"
    assert problem.message.startswith("log of unknown reviewer 'dave': not in [screening] reviewers of "
                                      "review.toml, so its 3 decision rows are not counted")


def test_the_web_app_shows_the_problems_on_a_page_asked_for_and_says_not_saved_only_for_a_form(make_project):
    """A page that cannot be shown is headed so; "Not saved" is for a form that was refused."""
    from sysrev.web.app import create_app

    project = _renamed(make_project)
    client = create_app(project, token="TOKEN", secret_key="secret").test_client()
    client.get("/?token=TOKEN")
    with client.session_transaction() as session:
        session["user"] = "alice"
        csrf = session["csrf"]
    page = client.get("/screen/title_abstract")
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "<h1>This page cannot be shown</h1>" in text and "Not saved" not in text
    assert "did you mean &#39;wrong patient population&#39;?" in text
    sent = client.post("/screen/title_abstract/decide", data={"record_id": "r05", "decision": "include",
                                                              "csrf_token": csrf})
    text = sent.get_data(as_text=True)
    assert sent.status_code == 400 and "<h1>Not saved</h1>" in text
    assert "did you mean &#39;wrong patient population&#39;?" in text


def test_rows_naming_counts_rows_of_every_log_by_their_first_cell(tmp_path):
    """Every stage's logs and the reconciliations count; the header and rows naming other records do not; a
    log saved with a byte-order mark, bytes that are not UTF-8 (a note typed in Windows-1252) or no header
    still counts its rows rather than failing."""
    logs = {
        "title_abstract/ann.csv": H + "R1,include,,ann,t\nR2,exclude,,ann,t\nR9,include,,ann,t\n",
        "title_abstract/bob.csv": "\ufeffR2,include,,bob,t\n",  # a header deleted by hand, a BOM before the ID
        "full_text/ann.csv": H.encode() + b"R1,exclude,wrong population,ann,t,caf\xe9\n",
        "full_text/reconciliation/ann.csv": H + "R2,include,,ann,t\n",
    }
    for name, text in logs.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert rows_naming(tmp_path, {"R1", "R2"}) == 5
    assert rows_naming(tmp_path, {"R9"}) == 1
    assert rows_naming(tmp_path, set()) == 0
