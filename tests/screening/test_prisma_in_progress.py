"""PRISMA while screening is in progress (counts so far, marked), and database labels without [[databases]].

The fixture project (conftest.py): 8 deduplicated records r01–r08 from PubMed (6) and Scopus (4, two of them
duplicates); reviewers alice, bob, carol; one reviewer per record; "full text not retrieved" is the
not-retrieved reason.
"""

import json

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.report.prisma import prisma_counts

H = "record_id,decision,reason,reviewer,timestamp\n"


def rows(reviewer, decisions):
    return H + "".join(f"r{i:02d},{d},{reason},{reviewer},2024-01-01T10:00:00Z\n"
                       for i, (d, reason) in decisions.items())


TA = {1: ("include", ""), 2: ("exclude", ""), 3: ("include", ""), 5: ("include", ""), 6: ("exclude", ""),
      7: ("include", ""), 8: ("maybe", "")}  # r04 not screened yet


def test_unfinished_title_abstract_screening_gives_the_counts_so_far(make_project, tmp_path):
    project = make_project({"title_abstract/alice.csv": rows("alice", TA),
                            "title_abstract/bob.csv": rows("bob", {**TA, 1: ("exclude", "")})})
    c = prisma_counts(project)
    # r04 unscreened and r01 in conflict: 2 awaiting; r02, r06 excluded; r03, r05, r07, r08 sent on (8 − 2 − 2)
    assert (c.records_screened, c.records_excluded, c.records_awaiting, c.reports_sought) == (8, 2, 2, 4)
    # no full-text decision yet: all 4 reports await one, nothing is included so far
    assert (c.reports_assessed, c.reports_awaiting, c.studies_included) == (4, 4, 0)
    assert c.in_progress
    assert any("1 record not screened yet: r04" in d for d in c.awaiting_detail)
    assert any("disagree" in d and "r01" in d for d in c.awaiting_detail)
    svg = tmp_path / "flow.svg"
    result = CliRunner().invoke(cli, ["prisma", "--project", str(project.root), "--out", str(svg)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("IN PROGRESS: screening is not finished")
    assert "Records awaiting a decision: 2" in result.output and "Reports awaiting a decision: 4" in result.output
    text = svg.read_text(encoding="utf-8")
    assert "IN PROGRESS" in text and "Records excluded (so far)" in text and "Awaiting a decision" in text


def test_maybe_left_at_full_text_is_counted_as_awaiting(make_project):
    full_text = {1: ("include", ""), 3: ("maybe", ""), 5: ("exclude", "wrong comparator"),
                 7: ("exclude", "not randomised"), 8: ("exclude", "full text not retrieved")}
    project = make_project({"title_abstract/alice.csv": rows("alice", {**TA, 4: ("exclude", "")}),
                            "full_text/alice.csv": rows("alice", full_text)})
    c = prisma_counts(project)
    assert (c.records_excluded, c.records_awaiting, c.reports_sought, c.reports_not_retrieved) == (3, 0, 5, 1)
    # assessed 4 = excluded 2 + awaiting 1 (r03, maybe) + included 1
    assert (c.reports_assessed, sum(c.reports_excluded.values()), c.reports_awaiting, c.studies_included) == (
        4, 2, 1, 1)
    assert c.to_dict()["in_progress"] is True


def test_database_labels_come_from_the_strategies_without_databases_table(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", {**TA, 4: ("exclude", "")})})
    review = project.config_path.read_text(encoding="utf-8")
    start = review.index("[[databases]]")
    project.config_path.write_text(review[:start] + review[review.index("[screening]"):], encoding="utf-8")
    (project.root / "searches" / "scopus.toml").write_text('database = "scopus"\nquery = "x"\n'
                                                           'source = "Scopus (Elsevier)"\n')
    result = CliRunner().invoke(cli, ["prisma", "--project", str(project.root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["identified"] == {"PubMed": 6, "Scopus (Elsevier)": 4}


def test_records_from_trial_registers_are_counted_apart_from_databases(tmp_path):
    """PRISMA 2020 counts "Records identified from: Databases (n) … Registers (n)". Records read from a
    register's export (ClinicalTrials.gov's CSV, the ICTRP's XML) were listed under "Databases"."""
    from pathlib import Path

    formats = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
    root = tmp_path / "r"
    assert CliRunner().invoke(cli, ["init", str(root), "--no-input", "--no-git"]).exit_code == 0
    for name, source in (("pubmed_small.nbib", "pubmed"), ("clinicaltrials_layout.csv", "ClinicalTrials.gov"),
                         ("ictrp_layout.xml", "WHO ICTRP")):
        result = CliRunner().invoke(cli, ["import", str(formats / name), "--source", source, "--project", str(root)])
        assert result.exit_code == 0, result.output
    assert CliRunner().invoke(cli, ["dedup", "--project", str(root)]).exit_code == 0
    data = json.loads(CliRunner().invoke(cli, ["prisma", "--project", str(root), "--json"]).stdout)
    assert sorted(data["registers"]) == ["ClinicalTrials.gov", "WHO ICTRP"]
    assert (data["registers_total"], data["databases_total"]) == (4, data["identified_total"] - 4)
    text = CliRunner().invoke(cli, ["prisma", "--project", str(root)]).stdout
    assert "  Registers: 4\n    ClinicalTrials.gov: 2\n    WHO ICTRP: 2\n" in text
