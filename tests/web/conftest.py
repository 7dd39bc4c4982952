"""A small real project for the web tests: the Normand 1999 example (its analyses and extraction), with ten
screening records from two search runs, two reviewers screening in pairs, a RoB 2 form and one queued pair
of possible duplicates."""

import re
import shutil
import textwrap
from pathlib import Path

import pytest

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


@pytest.fixture
def project(tmp_path):
    return build_project(tmp_path / "review")


@pytest.fixture
def app(project):
    from sysrev.web.app import create_app

    app = create_app(project, token="TESTTOKEN", secret_key="test-secret")
    app.testing = True
    return app


def signed_in(app, reviewer):
    """A test client past the token and the reviewer choice, with the page's CSRF token."""
    client = app.test_client()
    client.get("/?token=TESTTOKEN")
    with client.session_transaction() as session:
        session["user"] = reviewer
        csrf = session["csrf"]
    return client, csrf
