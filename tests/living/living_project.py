"""A small living-review project written into a temporary folder, for the tests of sysrev.living.

One PubMed strategy, two reviewers (one decision each counts: reviewers_per_record = 1), one MD analysis of
pain with a minimal important difference, records made by sysrev's own snapshot and dedup code, decisions
appended with sysrev's own log writer, so every file is exactly what the commands would write.
"""

import csv
import shutil
from pathlib import Path

from sysrev.dedup.project_run import run_project
from sysrev.project import load_project
from sysrev.records import Record
from sysrev.screening.log import Decision, append_decisions, log_path
from sysrev.search.snapshot import write_snapshot

REPO = Path(__file__).resolve().parents[2]
ROB_TEMPLATE = REPO / "tests" / "fixtures" / "rob" / "project" / "analysis" / "rob2" / "Trial_Alpha_2019--pain.toml"
EXTRACTION_COLUMNS = "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note"

# A CENTRAL export (RIS) as a reviewer drops it into searches/inbox/: a record that PubMed also returns
# (DOI of synthetic PMID {pmid}) and one found only by hand-searching.
CENTRAL_RIS = """TY  - JOUR
TI  - Effect of intervention {pmid} on back pain.
DO  - 10.1000/SYN.{pmid}
PY  - 2012
ER  - 

TY  - JOUR
TI  - A hand-searched trial of paravertebral drug T in chronic sciatica
AU  - Zed, Z
JO  - Central Only Journal
PY  - 2025
ER  - 
"""

STUDY_COLUMNS = "study,citation,records"

REVIEW_TOML = """
[review]
title = "Drug T vs control for back pain"

[arms]
group1 = "T"
group2 = "C"
group1_label = "Drug T"
group2_label = "Control"

[screening]
reviewers = ["ann", "ben"]
exclusion_reasons = ["wrong population", "not randomised", "full text not retrievable"]
highlight_terms = []

[[databases]]
name = "PubMed"
strategy = "searches/pubmed.toml"
"""

STRATEGY_TOML = 'database = "pubmed"\nquery = "back pain AND drug T"\n'

ANALYSES_TOML = """
[analyses.pain]
title = "Pain at 4 weeks"
outcome = "pain"
measure = "MD"
model = "random"
direction = "lower is better"
mid = 1.0
"""


def make_project(root: Path) -> Path:
    """The project's fixed files: review.toml, the strategy, analyses.toml, an empty studies.csv."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "review.toml").write_text(REVIEW_TOML, encoding="utf-8")
    (root / "searches").mkdir(exist_ok=True)
    (root / "searches" / "pubmed.toml").write_text(STRATEGY_TOML, encoding="utf-8")
    (root / "analysis" / "extraction").mkdir(parents=True, exist_ok=True)
    (root / "analysis" / "analyses.toml").write_text(ANALYSES_TOML, encoding="utf-8")
    write_studies(root, [])
    write_extraction(root, [])
    return root


def record(i: int) -> Record:
    """Record number ``i``: a distinct title, DOI and PMID (never a duplicate of another number)."""
    topics = ["caudal", "sacroiliac", "facet", "interlaminar", "transforaminal", "medial branch", "epidural",
              "radiofrequency", "pulsed", "trigger point", "paravertebral", "quadratus"]
    return Record(source_id=str(40000000 + i), source="pubmed", pmid=str(40000000 + i), doi=f"10.9/t.{i}",
                  title=f"Study {i}: {topics[i % len(topics)]} injection trial number {i * 37} in cohort {i}",
                  authors=[f"Author{i}, A"], year=2000 + i, journal=f"Journal {i}")


def snapshot_and_dedup(root: Path, numbers, *, name="pubmed", database="pubmed", query="back pain AND drug T"):
    """A search run holding records ``numbers``, then `sysrev dedup`; returns the project."""
    write_snapshot(root / "searches" / "runs", name, [record(i) for i in numbers], database=database, query=query)
    project = load_project(root)
    run_project(project)
    return project


def record_ids(project) -> dict:
    """{pmid: record_id} from records/records.jsonl."""
    import json

    out = {}
    for line in (project.records_dir / "records.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        out[data["pmid"]] = data["record_id"]
    return out


def decide(root: Path, stage: str, reviewer: str, decisions: dict, timestamp="2026-12-01T10:00:00Z"):
    """Append ``{record_id: "include" | ("exclude", reason)}`` to a reviewer's log at ``stage``."""
    rows = []
    for rid, what in decisions.items():
        decision, reason = (what, "") if isinstance(what, str) else what
        rows.append(Decision(rid, decision, reason, reviewer, timestamp))
    append_decisions(log_path(root / "screening", stage, reviewer), rows)


def write_studies(root: Path, studies):
    """studies.csv with ``(study, citation, "R1; R2")`` rows."""
    path = root / "analysis" / "extraction" / "studies.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(STUDY_COLUMNS.split(","))
        writer.writerows(studies)


def write_extraction(root: Path, rows):
    """analysis/extraction/pain.csv with ``(study, arm, n, mean, sd)`` rows at 4 weeks."""
    path = root / "analysis" / "extraction" / "pain.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(EXTRACTION_COLUMNS.split(","))
        for study, arm, n, mean, sd in rows:
            writer.writerow([study, "pain", "", "4 weeks", arm, n, mean, sd, "", "VAS 0-10", "Table 2", "", "", "",
                             ""])


def write_rob(root: Path, study: str, outcome: str = "pain", **answers):
    """A complete RoB 2 form for ``study`` × ``outcome`` (the rob fixtures' Trial Alpha answers, with
    ``answers`` such as ``q1_1="N"`` replacing single answers)."""
    from sysrev.rob.form import form_path

    text = ROB_TEMPLATE.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("study = "):
            line = f'study = "{study}"'
        elif line.startswith("outcome = "):
            line = f'outcome = "{outcome}"'
        for key, value in answers.items():
            question = key[1:].replace("_", ".")
            if line.startswith(f'"{question}" = ') and "#" in line:
                line = f'"{question}" = "{value}"  #' + line.split("#", 1)[1]
        lines.append(line)
    path = form_path(root / "analysis" / "rob2", study, outcome)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def copy_tree(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest)
    return dest
