"""The bundled seed review (the repository itself): it loads, validates, runs, and reports honestly.

The last test copies the project to a temporary folder and fills the missing cells with TEST values (never
in the repository) to show that entering the numbers and re-running is all a reviewer has to do.
"""

import json
import re

import pytest
from analyses_helpers import REPO, copy_project, read_rows, write_rows
from click.testing import CliRunner

from sysrev.analyses import load_analyses, run_project
from sysrev.cli.main import cli
from sysrev.extraction.table import load_extraction
from sysrev.project import load_project


@pytest.fixture(scope="module")
def seed():
    return load_project(REPO)


@pytest.fixture(scope="module")
def seed_outcomes(seed):
    return {o.spec.name: o for o in run_project(seed, write=False)}


def test_seed_project_loads_and_validates(seed):
    assert seed.config["arms"] == {"group1": "US", "group2": "FL", "group1_label": "Ultrasound-guided",
                                   "group2_label": "Fluoroscopy-guided"}
    specs = {s.name: s for s in load_analyses(seed)}
    assert list(specs) == ["pain", "ODI", "complications"]
    assert (specs["pain"].measure, specs["pain"].method, specs["pain"].subgroup) == ("SMD", "IV", "timepoint")
    assert list(specs["pain"].subgroups) == ["1 week", "2 weeks", "1 month", "2 months", "3 months"]
    assert (specs["complications"].measure, specs["complications"].method) == ("RR", "MH")
    assert list(specs["complications"].subgroups) == ["vasovagal reaction", "transient headache", "facial flushing"]
    printed = {name: spec.target.to_dict() for name, spec in specs.items()}
    assert printed["pain"] | {"source": ""} == {"source": "", "estimate": "-0.01", "ci_low": "-0.11",
                                                "ci_high": "0.10", "p": "0.91", "I2": "0%"}
    assert (printed["ODI"]["estimate"], printed["ODI"]["ci_low"], printed["ODI"]["p"]) == ("0.13", "-0.00", "0.05")
    assert (printed["complications"]["estimate"], printed["complications"]["ci_high"]) == ("0.99", "1.99")
    outcomes = {o["name"] for o in seed.config["outcomes"]}
    assert {s.outcome for s in specs.values()} <= outcomes


def test_every_known_seed_value_has_its_source(seed):
    rows = load_extraction(seed)
    studies = {r.study for r in rows}
    assert {"Park 2013", "Jee 2014", "Hazra 2016", "Evansa 2015", "Yang 2016", "Akkaya 2017", "Jee 2013",
            "Nisolle 2023"} <= studies
    for row in rows:
        assert row.source_url.startswith("http"), f"{row.path.name}:{row.line} has no source URL"
        if any(v is not None for v in (row.n, row.mean, row.sd, row.events)):
            assert row.source, f"{row.path.name}:{row.line} has a value without its source"
    inferred = [r for r in rows if r.events == 0]
    assert inferred and all("INFERRED" in r.method or "'only'" in r.method for r in inferred)
    assert all(r.item == "intravascular injection" for r in inferred)


def test_every_seed_analysis_runs_and_reports_what_is_missing(seed_outcomes):
    for outcome in seed_outcomes.values():
        if outcome.status == "incomplete":
            assert outcome.result is None and outcome.data.missing
        assert outcome.consistency["consistent"], outcome.spec.name
    pain = seed_outcomes["pain"]
    texts = [m.describe() for m in pain.data.missing]
    assert "Park 2013, full text (table not known), VNS 0-10 at 2 weeks, US arm: n, mean, SD" in texts
    assert "Hazra 2016, full text (table not known), VAS at 2 months, FL arm: mean, SD" in texts
    assert "Yang 2016, full text (table not known), VAS/NRS (not confirmed): time point" in texts
    # No table number is ever invented: every location is the unknown-table text.
    assert {m.where for o in seed_outcomes.values() for m in o.data.missing} == {"full text (table not known)"}
    complications = seed_outcomes["complications"]
    assert {e.item for e in complications.data.excluded} == {"intravascular injection", "any adverse event"}


def test_seed_summary_and_json_from_the_command_line(tmp_path):
    project = copy_project(REPO, tmp_path / "seed")
    runner = CliRunner()
    text = runner.invoke(cli, ["meta", "run", "--project", str(project)])
    assert text.exit_code == 0, text.output
    assert re.search(r"^pain: .*\n  status: (INCOMPLETE|PARTIAL|REPRODUCED|DIFFERS)", text.output, re.M)
    assert "target consistency: SE from CI 0.0536" in text.output
    # Each study with gaps is named once with the report to read (studies.csv citation).
    park = "Park Y, Lee JH, Park KD, Ahn JK, Park J, Jee H. Am J Phys Med Rehabil 2013;92(7):575-86"
    assert f"\n  - Park 2013: {park}\n" in text.output
    assert text.output.count("\n  - Park 2013: ") == 1
    listed = runner.invoke(cli, ["meta", "run", "--project", str(project), "--json"])
    objects = json.loads(listed.output)
    assert [o["name"] for o in objects] == ["pain", "ODI", "complications"]
    for obj in objects:
        assert {"name", "status", "target", "result", "missing"} <= set(obj)
        assert all(m["citation"] for m in obj["missing"])  # every seed trial has its citation in studies.csv
        assert obj["status"] in {"reproduced", "differs", "incomplete", "partial"}
    assert (project / "analysis" / "results" / "pain.json").is_file()


TEST_VALUES = {"n": "30", "mean": "4.0", "sd": "1.5", "events": "1"}
TEST_TIMEPOINT = {"Yang 2016": "1 month", "Akkaya 2017": "12 weeks"}


def _fill(path, only_study=None):
    """Fill every empty needed cell of ``path`` with TEST values (this copy only); returns cells filled."""
    rows = read_rows(path)
    filled = 0
    for row in rows:
        if only_study and row["study"] != only_study:
            continue
        if row["study"] in TEST_TIMEPOINT and not row["timepoint"] and row["outcome"] != "complications":
            row["timepoint"] = TEST_TIMEPOINT[row["study"]]
            filled += 1
        cells = ("events", "n") if row["outcome"] == "complications" else ("n", "mean", "sd")
        for cell in cells:
            if row[cell] == "":
                # FL arms a little worse than US arms, so the test effect is not zero.
                value = TEST_VALUES[cell]
                if cell == "mean" and row["arm"] == "FL":
                    value = "4.5"
                if cell == "events" and row["arm"] == "FL":
                    value = "2"
                row[cell] = value
                filled += 1
    write_rows(path, rows)
    return filled


def test_filling_the_missing_cells_changes_the_status(tmp_path):
    project_dir = copy_project(REPO, tmp_path / "seed")
    pain_csv = project_dir / "analysis" / "extraction" / "pain.csv"
    before = {o.spec.name: o for o in run_project(load_project(project_dir), write=False)}
    assert before["pain"].status == "incomplete"

    _fill(pain_csv, only_study="Park 2013")
    middle = {o.spec.name: o for o in run_project(load_project(project_dir), write=False)}
    assert middle["pain"].status == "partial"
    assert middle["pain"].result["k"] == 2
    assert "Park 2013" not in middle["pain"].data.studies_missing

    for name in ("pain.csv", "odi.csv", "complications.csv"):
        _fill(project_dir / "analysis" / "extraction" / name)
    after = {o.spec.name: o for o in run_project(load_project(project_dir))}
    for name, outcome in after.items():
        assert outcome.status in ("reproduced", "differs"), name
        assert not outcome.data.missing
    # With these made-up numbers the paper's figures are (of course) not reproduced, and the summary says so.
    assert after["pain"].status == "differs"
    assert after["pain"].result["k"] == before["pain"].comparisons_total == 15
    assert (project_dir / "analysis" / "results" / "pain.svg").is_file()
    assert (project_dir / "analysis" / "results" / "pain.png").is_file()
    # The repository's own extraction is untouched.
    assert load_extraction(load_project(REPO))[0].path.parent == REPO / "analysis" / "extraction"
    assert all(r.mean is None for r in load_extraction(load_project(REPO)) if r.outcome == "pain")


def test_seed_inclusions_match_the_extraction_and_are_marked_as_inferred(seed):
    """The eight full-text inclusions are the eight trials of the extraction, each noted as an inference."""
    records = {}
    for line in (REPO / "records" / "records.jsonl").read_text().splitlines():
        record = json.loads(line)
        records[record["record_id"]] = record
    log = read_rows(REPO / "screening" / "full_text" / "seed.csv")
    last = {row["record_id"]: row for row in log}  # append-only: the last row per record counts
    included = [row for row in last.values() if row["decision"] == "include"]
    assert len(included) == 8
    assert all("inference" in row["note"] for row in included)
    names = {f"{records[r['record_id']]['authors'][0].split(',')[0]} {records[r['record_id']]['year']}"
             for r in included}
    assert names == {r.study for r in load_extraction(seed)}
    reasons = set(seed.config["screening"]["exclusion_reasons"])
    assert all(row["reason"] in reasons for row in last.values() if row["decision"] == "exclude")


def _seed_source_cells(folder):
    """The seed sources' wide CSVs (one row per study × time point or item) as {(study, outcome, item,
    timepoint, arm): {cell: text}}; their '3 months' is the trials' own '12 weeks' where a note says so."""
    cells = {}
    for outcome, name in (("pain", "pain.csv"), ("ODI", "odi.csv"), ("complications", "complications.csv")):
        for row in read_rows(folder / name):
            study = f"{row['study']} {row['year']}"
            item = row.get("complication", "")
            timepoint = row.get("timepoint", "")
            if timepoint == "3 months" and "12 weeks" in row["note"]:
                timepoint = "12 weeks"
            for arm, suffix in (("US", "us"), ("FL", "fl")):
                names = ("events", "n") if outcome == "complications" else ("n", "mean", "sd")
                cells[(study, outcome, item, timepoint, arm)] = {c: row[f"{c}_{suffix}"] for c in names}
    return cells


def test_extraction_keeps_every_value_of_the_seed_sources_and_adds_none_without_a_table(seed, shared_fixtures):
    """Against ../shared/seed-review: every value seen there is in the extraction, unchanged; a value beyond
    them (entered later from a full text) must name the table or figure it was read from."""
    folder = shared_fixtures.parent / "seed-review"
    if not folder.is_dir():
        pytest.skip(f"seed-review sources not found at {folder}")
    source = _seed_source_cells(folder)
    rows = {r.key: r for r in load_extraction(seed)}
    assert set(source) <= set(rows), sorted(set(source) - set(rows))
    table = re.compile(r"\b(Table|Figure|Fig\.|Supplement|Appendix)\b", re.IGNORECASE)
    for key, row in rows.items():
        seen = source.get(key, {})
        for cell in ("n", "mean", "sd", "events"):
            value = getattr(row, cell)
            printed = seen.get(cell, "")
            if printed:
                assert value == float(printed), f"{row.path.name}:{row.line} {cell} = {value}, sources: {printed}"
            elif value is not None:
                assert table.search(row.source), f"{row.path.name}:{row.line} {cell} = {value} without a table"
