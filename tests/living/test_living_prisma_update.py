"""Updated-review PRISMA 2020 counts follow study identity: a new report of a study the previous version
already included (a trial's second paper) is a report of that study, never a new study or a report of one."""

import json
import re
from datetime import UTC, datetime

from click.testing import CliRunner
from living_project import decide, make_project, record, record_ids, write_studies

from sysrev.cli.main import cli
from sysrev.dedup.project_run import run_project
from sysrev.living.release import update_scope
from sysrev.project import load_project
from sysrev.report.prisma import prisma_counts
from sysrev.search.snapshot import write_snapshot


def _search(root, numbers, when):
    write_snapshot(root / "searches" / "runs", "pubmed", [record(i) for i in numbers], database="pubmed",
                   query="back pain AND drug T", now=when)
    run_project(load_project(root))
    return record_ids(load_project(root))


def _ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def test_second_report_of_a_previous_study_counts_with_the_previous_version(tmp_path):
    runner = CliRunner()
    root = make_project(tmp_path / "review")
    project_arg = ["--project", str(root)]

    # ---- Version 1: records 1-4 found; 1, 2, 3 pass title/abstract; 1 (Able) and 2 (Baker) are included.
    ids = _search(root, [1, 2, 3, 4], datetime(2026, 1, 10, tzinfo=UTC))
    r = {i: ids[record(i).pmid] for i in range(1, 5)}
    decide(root, "title_abstract", "ann", {r[1]: "include", r[2]: "include", r[3]: "include",
                                           r[4]: ("exclude", "wrong population")})
    decide(root, "full_text", "ann", {r[1]: "include", r[2]: "include", r[3]: ("exclude", "not randomised")})
    write_studies(root, [("Able 2020", "", r[1]), ("Baker 2021", "", r[2])])
    _ok(runner.invoke(cli, ["release", "v1", *project_arg]))
    v1 = json.loads((root / "releases" / "v1" / "prisma.json").read_text(encoding="utf-8"))
    assert (v1["studies_included"], v1["reports_included"]) == (2, 2)

    # ---- The update's search finds record 2 again and five new records, 5-9.
    ids = _search(root, [2, 5, 6, 7, 8, 9], datetime(2026, 2, 10, tzinfo=UTC))
    r.update({i: ids[record(i).pmid] for i in range(5, 10)})
    decide(root, "title_abstract", "ben", {r[5]: "include", r[6]: "include", r[7]: "include", r[8]: "include",
                                           r[9]: ("exclude", "wrong population")}, timestamp="2026-02-11T10:00:00Z")
    decide(root, "full_text", "ben", {r[5]: "include", r[6]: "include", r[7]: "include",
                                      r[8]: ("exclude", "wrong population")}, timestamp="2026-02-12T10:00:00Z")
    # Record 5 is Able's second paper; records 6 and 7 are the two papers of a new trial, Cole.
    write_studies(root, [("Able 2020", "", f"{r[1]}; {r[5]}"), ("Baker 2021", "", r[2]),
                         ("Cole 2026", "", f"{r[6]}; {r[7]}")])

    # Hand count of this update:
    #   identified 5 (records 5-9; record 2 was found before, so it is not identified by this update);
    #   duplicates removed 0; screened 5; excluded at title/abstract 1 (record 9);
    #   reports sought 4 (5, 6, 7, 8); not retrieved 0; assessed 4; excluded 1 (record 8, wrong population);
    #   included at full text 3 (5, 6, 7): record 5 belongs to Able, a study of the previous version, so
    #   new studies 1 (Cole) with reports 2 (6, 7);
    #   previous version: studies 2 (Able, Baker), reports 2 (records 1, 2) + 1 found now (record 5) = 3;
    #   total: studies 3, reports 5 (records 1, 2, 5, 6, 7).
    expected = {"identified": {"PubMed": 5}, "duplicates_removed": 0, "records_screened": 5, "records_excluded": 1,
                "reports_sought": 4, "reports_not_retrieved": 0, "reports_assessed": 4,
                "reports_excluded": {"wrong population": 1}, "studies_included": 1, "reports_included": 2,
                "previous_studies": 2, "previous_reports": 3, "previous_reports_added": 1, "total_studies": 3,
                "total_reports": 5}
    live = json.loads(_ok(runner.invoke(cli, ["prisma", "--update", "--json", *project_arg])))
    assert {key: live[key] for key in expected} == expected
    text = _ok(runner.invoke(cli, ["prisma", "--update", *project_arg]))
    assert "New studies included: 1 (reports: 2)" in text
    assert "Studies in the previous version: 2 (reports: 3, 1 of them included by this update)" in text

    _ok(runner.invoke(cli, ["release", "v2", *project_arg]))
    frozen = json.loads((root / "releases" / "v2" / "prisma.json").read_text(encoding="utf-8"))
    assert {key: frozen[key] for key in expected} == expected
    lines = re.findall(r"<text [^>]*>([^<]*)</text>", (root / "releases" / "v2" / "prisma.svg").read_text())
    svg = " ".join(" ".join(lines).replace("\u00a0", " ").split())
    assert "Reports of studies included in previous version of review (n = 3)" in svg
    assert "of which included in this update (n = 1)" in svg
    assert "New studies included in review (n = 1)" in svg and "Reports of new included studies (n = 2)" in svg
    assert "Total studies included in review (n = 3)" in svg and "Reports of total included studies (n = 5)" in svg
    readme = (root / "releases" / "v2" / "README.md").read_text(encoding="utf-8")
    assert "Studies in the previous version: 2 (reports: 3, 1 of them included by this update)" in readme


def test_an_update_that_only_adds_a_second_paper_has_no_new_study(tmp_path):
    runner = CliRunner()
    root = make_project(tmp_path / "review")
    ids = _search(root, [1, 2], datetime(2026, 1, 10, tzinfo=UTC))
    decide(root, "title_abstract", "ann", {ids[record(1).pmid]: "include", ids[record(2).pmid]: ("exclude",
                                                                                                 "wrong population")})
    decide(root, "full_text", "ann", {ids[record(1).pmid]: "include"})
    write_studies(root, [("Able 2020", "", ids[record(1).pmid])])
    _ok(runner.invoke(cli, ["release", "v1", "--project", str(root)]))
    ids = _search(root, [3], datetime(2026, 2, 10, tzinfo=UTC))
    decide(root, "title_abstract", "ben", {ids[record(3).pmid]: "include"}, timestamp="2026-02-11T10:00:00Z")
    decide(root, "full_text", "ben", {ids[record(3).pmid]: "include"}, timestamp="2026-02-12T10:00:00Z")
    write_studies(root, [("Able 2020", "", f"{ids[record(1).pmid]}; {ids[record(3).pmid]}")])
    counts = json.loads(_ok(runner.invoke(cli, ["prisma", "--update", "--json", "--project", str(root)])))
    # by hand: 1 record identified, screened, sought, assessed and included; it is Able's second paper, so
    # 0 new studies with 0 reports; the previous version: 1 study with 1 + 1 = 2 reports; total 1 study, 2 reports
    assert (counts["records_screened"], counts["reports_assessed"]) == (1, 1)
    assert (counts["studies_included"], counts["reports_included"]) == (0, 0)
    assert (counts["previous_studies"], counts["previous_reports"]) == (1, 2)
    assert (counts["total_studies"], counts["total_reports"]) == (1, 2)


def test_the_python_api_counts_a_second_paper_without_grouping_into_studies(tmp_path):
    """``prisma_counts`` called without ``new_studies`` counts one study per new report; a new report of a
    previous study is still not one of them."""
    root = make_project(tmp_path / "review")
    ids = _search(root, [1], datetime(2026, 1, 10, tzinfo=UTC))
    first = ids[record(1).pmid]
    decide(root, "title_abstract", "ann", {first: "include"})
    decide(root, "full_text", "ann", {first: "include"})
    write_studies(root, [("Able 2020", "", first)])
    _ok(CliRunner().invoke(cli, ["release", "v1", "--project", str(root)]))
    previous = json.loads((root / "releases" / "v1" / "release.json").read_text(encoding="utf-8"))
    ids = _search(root, [3, 4], datetime(2026, 2, 10, tzinfo=UTC))
    second, other = ids[record(3).pmid], ids[record(4).pmid]
    decide(root, "title_abstract", "ben", {second: "include", other: "include"}, timestamp="2026-02-11T10:00:00Z")
    decide(root, "full_text", "ben", {second: "include", other: "include"}, timestamp="2026-02-12T10:00:00Z")
    write_studies(root, [("Able 2020", "", f"{first}; {second}")])
    state = {"studies": [{"study": "Able 2020", "included_reports": [first, second]}], "unassigned_reports": []}
    update = update_scope(previous, state)["update"]
    counts = prisma_counts(load_project(root), update=update, reports_of_previous=1)
    # by hand: 2 records included by this update; 1 is Able's second paper (a report of a previous study),
    # the other no study lists, so without grouping it is one new study with one report;
    # previous version: 1 study, 1 + 1 = 2 reports; total 2 studies, 3 reports
    assert (counts.studies_included, counts.reports_included) == (1, 1)
    assert (counts.previous_studies, counts.previous_reports) == (1, 2)
    assert (counts.total_studies, counts.total_reports) == (2, 3)
