"""A small real project for the web tests: the Normand 1999 example (its analyses and extraction), with ten
screening records from two search runs, two reviewers screening in pairs, a RoB 2 form and one queued pair
of possible duplicates."""

import json
import re
import shutil
import textwrap
from pathlib import Path

from sysrev.dedup.decisions import write_queue
from sysrev.project import load_project
from sysrev.records import Record
from sysrev.rob.form import Assessment, form_path, write_form
from sysrev.search.snapshot import write_snapshot

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "normand1999"
SCREENING = textwrap.dedent("""
    [screening]
    reviewers = ["alice", "bob"]
    reviewers_per_record = 2
    exclusion_reasons = ["not randomised", "wrong comparator", "no usable outcome"]
    highlight_terms = ["stroke unit", "randomi"]
    """)
TITLES = [f"Stroke unit care trial {i}: a randomised comparison with general wards" for i in range(1, 11)]


def build_project(root: Path):
    shutil.copytree(EXAMPLE, root)
    text = (root / "review.toml").read_text(encoding="utf-8")
    text = re.sub(r"\[screening\].*?(?=\n\[|\Z)", SCREENING.strip() + "\n", text, flags=re.S)
    (root / "review.toml").write_text(text, encoding="utf-8")
    records = [Record(source_id=str(40000000 + i), source="pubmed", title=t, pmid=str(40000000 + i),
                      doi=f"10.1000/su.{i}",
                      abstract=f"Patients were randomised to a stroke unit or a general ward ({i}).",
                      authors=["Indredavik, B", "Bakke, F"], year=1990 + i, journal="Stroke")
               for i, t in enumerate(TITLES, start=1)]
    runs = root / "searches" / "runs"
    write_snapshot(runs, "pubmed", records, database="pubmed", query="stroke unit")
    scopus = [Record(source_id="2-s2.0-1", source="scopus", title=TITLES[0].upper(), year=1991, journal="STROKE",
                     authors=["Indredavik B."])]
    write_snapshot(runs, "scopus", scopus, database="scopus", query="TITLE(stroke unit)")
    from sysrev.dedup.project_run import run_project

    run_project(load_project(root))
    write_queue(root / "records" / "dedup_queue.csv", [
        {"record_a": "pubmed:40000002", "record_b": "pubmed:40000003", "reason": "similar titles (test)",
         "score": "0.9", "title_a": TITLES[1], "title_b": TITLES[2]}])
    project = load_project(root)
    write_form(form_path(project.rob_dir, "Indredavik 1991", "los"), Assessment(study="Indredavik 1991", outcome="los"))
    return project


def signed_in(app, reviewer):
    """A test client past the token and the reviewer choice, with the page's CSRF token."""
    client = app.test_client()
    client.get("/?token=TESTTOKEN")
    with client.session_transaction() as session:
        session["user"] = reviewer
        csrf = session["csrf"]
    return client, csrf


def include_studies(project):
    """Both reviewers include R000001–R000003 at both stages; studies.csv names them Edinburgh and Umea (two
    of the example's extracted trials) and "Newstudy 2024" (no extraction yet); no included study has a RoB 2
    form, and exemptions.csv settles Umea's. Pending, by hand: Edinburgh RoB 2; Newstudy extraction and RoB 2."""
    from sysrev.screening.log import Decision, append_decisions, log_path

    for stage in ("title_abstract", "full_text"):
        for reviewer in ("alice", "bob"):
            append_decisions(log_path(project.screening_dir, stage, reviewer),
                             [Decision(f"R00000{i}", "include", "", reviewer, "2026-12-01T10:00:00Z")
                              for i in (1, 2, 3)])
    (project.extraction_dir / "studies.csv").write_text(
        "study,citation,records\nEdinburgh,Garraway 1980,R000001\nUmea,Strand 1985,R000002\n"
        "Newstudy 2024,New N. 2024,R000003\n", encoding="utf-8")
    (project.analysis_dir / "exemptions.csv").write_text(
        "study,stage,outcome,reason\nUmea,rob2,los,awaiting the trial's full text\n", encoding="utf-8")


def drop_study(project, study):
    """Remove ``study``'s rows from the example's extraction (a changed data set after a release)."""
    path = project.extraction_dir / "length_of_stay.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(f"{study},")), encoding="utf-8")


def edit_records(project, changes=None, added=()):
    """Rewrite records/records.jsonl as a new dedup run would: ``changes`` maps a record ID to the fields to set
    on that record (a new ``record_id`` replaces it); each of ``added`` is appended, as the fields in which it
    differs from the last record."""
    path = Path(project.records_dir) / "records.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        line.update((changes or {}).get(line["record_id"], {}))
    lines += [dict(lines[-1], **fields) for fields in added]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
