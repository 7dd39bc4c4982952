"""PRISMA 2020 counts on a small complete project (search runs → dedup → two screening stages), the checks
that stop counts that do not add up, and the diagram files."""

import json
import re

import pytest
from click.testing import CliRunner
from pytest import approx

from sysrev.cli.main import cli
from sysrev.report.prisma import PrismaError, prisma_counts
from sysrev.report.prisma_diagram import draw_prisma

H = "record_id,decision,reason,reviewer,timestamp\n"


def rows(reviewer, decisions):
    return H + "".join(f"r{i:02d},{d},{reason},{reviewer},2024-01-01T10:00:00Z\n"
                       for i, (d, reason) in decisions.items())


TA = {1: ("include", ""), 2: ("exclude", ""), 3: ("include", ""), 4: ("exclude", ""), 5: ("include", ""),
      6: ("exclude", ""), 7: ("include", ""), 8: ("maybe", "")}
FT = {1: ("include", ""), 3: ("include", ""), 5: ("exclude", "wrong comparator"),
      7: ("exclude", "not randomised"), 8: ("exclude", "full text not retrieved")}


@pytest.fixture
def complete(make_project):
    bob_ta = {**TA, 5: ("exclude", "")}  # a conflict on r05, reconciled by carol
    return make_project({
        "title_abstract/alice.csv": rows("alice", TA),
        "title_abstract/bob.csv": rows("bob", bob_ta),
        "title_abstract/reconciliation/carol.csv": H + "r05,include,,carol,2024-01-02T10:00:00Z\n",
        "full_text/alice.csv": rows("alice", FT),
        "full_text/bob.csv": rows("bob", FT),
    })


def test_counts_of_a_complete_project(complete):
    c = prisma_counts(complete)
    assert c.identified == {"PubMed": 6, "Scopus": 4}  # labelled with review.toml [[databases]] names
    assert (c.identified_total, c.duplicates_removed, c.records_screened, c.records_excluded) == (10, 2, 8, 3)
    assert (c.reports_sought, c.reports_not_retrieved, c.reports_assessed) == (5, 1, 4)
    assert c.reports_excluded == {"wrong comparator": 1, "not randomised": 1}
    assert (c.studies_included, c.reports_included) == (2, 2)


def test_updated_review_totals(complete):
    c = prisma_counts(complete, previous_studies=3, previous_reports=4)
    assert (c.total_studies, c.total_reports) == (5, 6)
    assert c.to_dict()["updated_review"] is True


def test_cli_json_and_diagrams(complete, tmp_path):
    svg, png = tmp_path / "flow.svg", tmp_path / "flow.png"
    result = CliRunner().invoke(cli, ["prisma", "--project", str(complete.root), "--json", "--out", str(svg),
                                      "--out", str(png), "--previous", "3:4"])
    assert result.exit_code == 0, result.output + result.stderr
    data = json.loads(result.stdout)
    assert data["records_screened"] == 8 and data["total_studies"] == 5
    text = svg.read_text(encoding="utf-8")
    for label in ("Records screened", "Reports not retrieved", "not randomised", "Previous studies",
                  "Total studies included in review", "Identification", "Screening", "Included"):
        assert label in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000
    plain = CliRunner().invoke(cli, ["prisma", "--project", str(complete.root)])
    assert "Records excluded: 3" in plain.output and "  wrong comparator: 1" in plain.output


def test_full_text_decision_on_an_excluded_record_names_file_and_line(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", TA),
                            "full_text/alice.csv": rows("alice", {**FT, 2: ("include", "")})})
    with pytest.raises(PrismaError, match=r"record r02 has decisions \(.*full_text/alice.csv, line 7\) but was "
                                          "not included at title/abstract"):
        prisma_counts(project)


def test_dedup_summary_that_disagrees_with_search_runs(complete):
    path = complete.records_dir / "dedup_summary.json"
    path.write_text(json.dumps({"identified": {"pubmed": 6}, "duplicates_removed": 2, "records": 8}))
    with pytest.raises(PrismaError) as err:
        prisma_counts(complete)
    assert "hold pubmed 6, scopus 4 but records/dedup_summary.json says dedup read pubmed 6" in str(err.value)
    assert "identified (10) − duplicates removed (2) = 8" not in str(err.value)
    assert str(err.value).endswith("re-run `sysrev dedup` after the last search run")
    path.write_text(json.dumps({"duplicates_removed": 1, "records": 8}))
    with pytest.raises(PrismaError, match=r"identified \(10\) − duplicates removed \(1\) = 9, but "
                                          "records/records.jsonl holds 8"):
        prisma_counts(complete)


def test_missing_dedup_summary_says_what_to_run(complete):
    (complete.records_dir / "dedup_summary.json").unlink()
    result = CliRunner().invoke(cli, ["prisma", "--project", str(complete.root)])
    assert result.exit_code == 2 and "run `sysrev dedup`" in result.stderr


def test_diagram_refuses_other_formats(complete, tmp_path):
    with pytest.raises(Exception, match=r"\.png, \.svg or \.pdf"):
        draw_prisma(prisma_counts(complete), tmp_path / "flow.eps")


def test_diagram_as_a_pdf_is_vector_and_the_same_bytes_on_every_run(complete, tmp_path):
    # journals that take no SVG ask for PDF; no creation date, so an unchanged diagram is an unchanged file
    first = draw_prisma(prisma_counts(complete), tmp_path / "a.pdf").read_bytes()
    second = draw_prisma(prisma_counts(complete), tmp_path / "b.pdf").read_bytes()
    assert first.startswith(b"%PDF") and first == second
    assert b"/FontFile2" in first  # TrueType (Type 42) fonts: text stays text


def test_a_record_found_again_by_a_later_run_is_identified_once(complete):
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot
    again = [Record(source_id=str(30000000 + i), source="pubmed", title=f"again {i}") for i in (1, 2, 3)]
    write_snapshot(complete.runs_dir, "pubmed", again, database="pubmed")
    assert prisma_counts(complete).identified == {"PubMed": 6, "Scopus": 4}


def test_end_to_end_with_the_real_dedup_stage(tmp_path):
    """Search runs → `sysrev.dedup.run_project` → screening logs → PRISMA, with no hand-made records file."""
    from screening_fixture_data import REVIEW_TOML, TITLES

    from sysrev.dedup import load_records, run_project
    from sysrev.project import load_project
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot

    (tmp_path / "review.toml").write_text(REVIEW_TOML, encoding="utf-8")
    project = load_project(tmp_path)
    pubmed = [Record(source_id=str(100 + i), source="pubmed", title=t, doi=f"10.1000/e2e.{i}", pmid=str(100 + i),
                     year=2010 + i, journal="Pain Physician", authors=[f"Author{i}, A"])
              for i, t in enumerate(TITLES[:5])]
    scopus = [Record(source_id=f"2-s2.0-{i}", source="scopus", title=t, doi=f"10.1000/e2e.{i}", year=2010 + i,
                     journal="Pain Physician", authors=[f"Author{i}, A"])
              for i, t in enumerate(TITLES[3:], start=3)]
    write_snapshot(project.runs_dir, "pubmed", pubmed, database="pubmed")
    write_snapshot(project.runs_dir, "scopus", scopus, database="scopus")
    run_project(project)
    records = load_records(project)
    assert len(records) == 8  # 10 retrieved, 2 (same DOI) merged
    ids = [r["record_id"] for r in records]
    ta = H + "".join(f"{rid},{'include' if n < 3 else 'exclude'},,alice,2024-01-01T10:00:00Z\n"
                     for n, rid in enumerate(ids))
    ft = H + f"{ids[0]},include,,alice,2024-01-02T10:00:00Z\n" + \
        f"{ids[1]},exclude,not randomised,alice,2024-01-02T10:00:00Z\n" + \
        f"{ids[2]},include,,alice,2024-01-02T10:00:00Z\n"
    for stage, text in (("title_abstract", ta), ("full_text", ft)):
        (project.screening_dir / stage).mkdir(parents=True)
        (project.screening_dir / stage / "alice.csv").write_text(text, encoding="utf-8")
    c = prisma_counts(project)
    assert c.identified == {"PubMed": 5, "Scopus": 5} and c.duplicates_removed == 2
    assert (c.records_screened, c.records_excluded, c.reports_assessed, c.studies_included) == (8, 5, 3, 2)


def test_new_and_updated_reviews_use_their_own_template_wording(complete, tmp_path):
    new, updated = tmp_path / "new.svg", tmp_path / "updated.svg"
    draw_prisma(prisma_counts(complete), new)
    draw_prisma(prisma_counts(complete, previous_studies=3, previous_reports=4), updated)
    new_text, updated_text = (_svg_words(path) for path in (new, updated))
    # PRISMA 2020 flow diagram for new systematic reviews (databases and registers only)
    assert "Identification of studies via databases and registers" in new_text
    assert "Studies included in review (n = 2)" in new_text and "Reports of included studies (n = 2)" in new_text
    assert "new studies" not in new_text.lower() and "new included" not in new_text.lower()
    assert "Previous studies" not in new_text
    # ... and for updated systematic reviews
    assert "Identification of new studies via databases and registers" in updated_text
    assert "New studies included in review (n = 2)" in updated_text
    assert "Reports of new included studies (n = 2)" in updated_text
    assert "Studies included in previous version of review (n = 3)" in updated_text
    assert "Total studies included in review (n = 5)" in updated_text
    assert "Reports of total included studies (n = 6)" in updated_text
    plain = CliRunner().invoke(cli, ["prisma", "--project", str(complete.root)]).output
    assert "Studies included: 2 (reports: 2)" in plain and "New studies" not in plain


def _svg_words(path) -> str:
    """The diagram's text as a reader reads it: every text line of the SVG, joined by single spaces."""
    import re
    lines = re.findall(r"<text [^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))
    return " ".join(" ".join(lines).replace("\u00a0", " ").split())


def test_svg_is_the_same_file_on_every_run(complete, tmp_path):
    counts = prisma_counts(complete)
    first, second = draw_prisma(counts, tmp_path / "a.svg"), draw_prisma(counts, tmp_path / "b.svg")
    assert first.read_bytes() == second.read_bytes()  # a committed diagram changes only with its numbers


def test_previous_reports_default_to_previous_studies(complete):
    # docs/screening.md: `--previous STUDIES[:REPORTS]` — without a report count, each previous study counts
    # as one report (sysrev does not group reports of one study). The Python API follows the same rule.
    c = prisma_counts(complete, previous_studies=3)
    assert (c.previous_studies, c.previous_reports) == (3, 3)
    assert (c.total_studies, c.total_reports) == (2 + 3, 2 + 3)
    assert prisma_counts(complete).to_dict()["updated_review"] is False


def test_an_include_row_that_carries_the_not_retrieved_reason_is_an_inclusion(make_project):
    # r01 was first logged "not retrieved", then the full text arrived and the row was changed to include but
    # kept its reason cell. Only *exclusions* with the not-retrieved reason are "reports not retrieved":
    # sought 5 (r01 r03 r05 r07 r08), not retrieved 1 (r08), assessed 4, excluded 2, included 2 (r01, r03).
    ft = {**FT, 1: ("include", "full text not retrieved")}
    project = make_project({
        "title_abstract/alice.csv": rows("alice", {**TA, 5: ("include", "")}),
        "title_abstract/bob.csv": rows("bob", {**TA, 5: ("include", "")}),
        "full_text/alice.csv": rows("alice", ft),
        "full_text/bob.csv": rows("bob", ft),
    })
    c = prisma_counts(project)
    assert (c.reports_sought, c.reports_not_retrieved, c.reports_assessed) == (5, 1, 4)
    assert c.reports_excluded == {"wrong comparator": 1, "not randomised": 1}
    assert (c.studies_included, c.reports_included) == (2, 2)


def test_imported_files_are_labelled_with_the_source_their_strategy_names(complete):
    # module docstring: an imported file's run is labelled with the `source` of its searches/<name>.toml,
    # else its own name (issue 13: never "file <name>")
    from sysrev.records import Record
    from sysrev.report.prisma import identified_per_database
    from sysrev.search.snapshot import write_snapshot

    (complete.searches_dir / "central.toml").write_text('database = "file"\nsource = "Cochrane CENTRAL"\n',
                                                         encoding="utf-8")
    (complete.searches_dir / "blank.toml").write_text('database = "file"\nsource = "  "\n', encoding="utf-8")
    write_snapshot(complete.runs_dir, "central", [Record(source_id=f"CN-{i}", title=f"c {i}") for i in (1, 2, 3)],
                   database="file")
    write_snapshot(complete.runs_dir, "handsearch", [Record(source_id="h1", title="h")], database="file")
    write_snapshot(complete.runs_dir, "blank", [Record(source_id="b1", title="b")], database="file")
    # a database search whose strategy review.toml does not list keeps the database as its label
    write_snapshot(complete.runs_dir, "embase-extra", [Record(source_id="e1", title="e")], database="embase")
    # an export whose database the reader recognised is labelled with the database's name, not its slug
    write_snapshot(complete.runs_dir, "savedrecs", [Record(source_id="w1", title="w")], database="file",
                   extra={"source": "web-of-science"})
    by_label, by_database = identified_per_database(complete)
    assert by_label == {"PubMed": 6, "Scopus": 4, "Cochrane CENTRAL": 3, "handsearch": 1, "blank": 1, "Embase": 1,
                        "Web of Science": 1}
    assert by_database == {"pubmed": 6, "scopus": 4, "file": 6, "embase": 1}


def test_to_dict_carries_the_derived_totals(complete):
    data = prisma_counts(complete, previous_studies=3, previous_reports=4).to_dict()
    assert (data["identified_total"], data["total_studies"], data["total_reports"]) == (10, 5, 6)
    assert data["updated_review"] is True


@pytest.mark.parametrize("value", [-1, "2", 2.0, None])
def test_duplicates_removed_must_be_a_whole_number_from_zero_up(complete, value):
    from sysrev.errors import InputError

    path = complete.records_dir / "dedup_summary.json"
    path.write_text(json.dumps({"duplicates_removed": value, "records": 8}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        prisma_counts(complete)
    assert str(err.value) == f"{path}: 'duplicates_removed' must be a whole number ≥ 0"


def test_zero_duplicates_removed_is_a_valid_count(complete):
    # 0 is accepted as a count; here it then disagrees with the records (10 − 0 ≠ 8), which is a PrismaError
    (complete.records_dir / "dedup_summary.json").write_text(json.dumps({"duplicates_removed": 0}))
    with pytest.raises(PrismaError, match=r"identified \(10\) − duplicates removed \(0\) = 10"):
        prisma_counts(complete)


def test_runs_without_records_are_named_as_holding_none(make_project):
    import shutil

    from sysrev.search.snapshot import write_snapshot

    project = make_project()
    shutil.rmtree(project.runs_dir)
    write_snapshot(project.runs_dir, "pubmed", [], database="pubmed")  # a search that found nothing
    with pytest.raises(PrismaError, match=r"hold no records but records/dedup_summary.json says dedup read "
                                          r"pubmed 6, scopus 4"):
        prisma_counts(project)


def test_long_lists_of_records_are_cut_after_eight():
    from sysrev.report.prisma import _ids

    assert _ids([f"r{i}" for i in range(1, 9)]) == "r1, r2, r3, r4, r5, r6, r7, r8"
    assert _ids([f"r{i}" for i in range(1, 10)]) == "r1, r2, r3, r4, r5, r6, r7, r8, … (9 in all)"


@pytest.mark.parametrize("change, message", [
    (dict(records_screened=9), "records screened ≠ identified − duplicates removed"),
    (dict(reports_sought=6), "reports sought ≠ records screened − records excluded"),
    (dict(reports_assessed=5), "reports assessed ≠ reports sought − not retrieved"),
    (dict(studies_included=3), "studies included ≠ reports assessed − reports excluded"),
])
def test_each_box_is_checked_against_its_rule(complete, change, message):
    from dataclasses import replace

    from sysrev.report.prisma import _check_sums

    counts = prisma_counts(complete)
    _check_sums(counts)  # the real counts add up
    with pytest.raises(PrismaError) as err:
        _check_sums(replace(counts, **change))
    assert str(err.value).startswith("the PRISMA counts do not add up: ") and message in str(err.value)


def test_every_box_that_does_not_add_up_is_named(complete):
    from dataclasses import replace

    from sysrev.report.prisma import _check_sums

    with pytest.raises(PrismaError) as err:
        _check_sums(replace(prisma_counts(complete), records_screened=9, reports_assessed=5))
    # records_screened breaks its own box and the next; reports_assessed its own and both boxes after it.
    assert str(err.value) == ("the PRISMA counts do not add up: records screened ≠ identified − duplicates removed; "
                              "reports sought ≠ records screened − records excluded − records awaiting a decision; "
                              "reports assessed ≠ reports sought − not retrieved; "
                              "reports included ≠ reports assessed − reports excluded − reports awaiting a decision; "
                              "studies included ≠ reports assessed − reports excluded − reports awaiting a decision")


def test_records_screened_by_too_few_reviewers_are_named(make_project):
    # reviewers_per_record = 2 (docs/screening.md): with only alice's log every record waits for a second one
    project = make_project({"title_abstract/alice.csv": rows("alice", TA)})
    toml = project.root / "review.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[screening]\n", "[screening]\nreviewers_per_record = 2\n"), encoding="utf-8")
    project = make_project()
    counts = prisma_counts(project)  # drawn with the counts so far, marked in progress (issue 13)
    assert counts.in_progress and counts.records_awaiting == 8
    assert ("title/abstract: 8 records screened by fewer reviewers than reviewers_per_record: "
            "r01, r02, r03, r04, r05, r06, r07, r08") in "\n".join(counts.awaiting_detail)


def test_a_database_searched_without_a_strategy_file_does_not_disturb_the_labels(complete):
    # review.toml may list a database searched by hand (no `strategy`, docs/reference); the runs of the
    # listed strategies keep their [[databases]] names
    toml = complete.root / "review.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[screening]\n", '[[databases]]\nname = "Conference abstracts (hand search)"\n\n[screening]\n', 1),
        encoding="utf-8")
    from sysrev.project import load_project

    assert prisma_counts(load_project(complete.root)).identified == {"PubMed": 6, "Scopus": 4}


@pytest.mark.parametrize("content, message, line", [
    ('{"identified": {"pubmed": 6},\n "duplicates_removed": 2,,\n "records": 8}', "invalid JSON: ", 2),
    ("[2, 8]", "must be a JSON object", None),
])
def test_a_broken_dedup_summary_is_named_with_its_line(complete, content, message, line):
    from sysrev.errors import InputError

    path = complete.records_dir / "dedup_summary.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        prisma_counts(complete)
    assert (err.value.path, err.value.line) == (path, line)
    where = f"{path}, line {line}: " if line else f"{path}: "
    assert str(err.value).startswith(where + message)
    assert line or str(err.value) == where + message  # the whole message when JSON itself is fine


def test_a_report_still_maybe_at_full_text_is_counted_as_awaiting(make_project):
    # r08 is still "maybe" at full text: the boxes add up with it counted as awaiting (5 sought, none
    # retrieved-failed, 5 assessed, 2 excluded, 1 awaiting → 2 included)
    ft = {**FT, 8: ("maybe", "")}
    project = make_project({"title_abstract/alice.csv": rows("alice", TA), "full_text/alice.csv": rows("alice", ft)})
    toml = project.root / "review.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[screening]\n", "[screening]\nreviewers_per_record = 1\n"), encoding="utf-8")
    from sysrev.project import load_project

    c = prisma_counts(load_project(project.root))
    assert (c.reports_sought, c.reports_not_retrieved, c.reports_assessed) == (5, 0, 5)
    assert c.reports_excluded == {"wrong comparator": 1, "not randomised": 1}
    assert (c.reports_awaiting, c.reports_included, c.studies_included, c.in_progress) == (1, 2, 2, True)
    assert "full text: 1 record still 'maybe' — decide include or exclude: r08" in c.awaiting_detail
    data = c.to_dict()  # what `sysrev prisma --json` prints
    assert (data["in_progress"], data["reports_awaiting"], data["updated_review"]) == (True, 1, False)


@pytest.mark.parametrize("studies", [1, 2])
def test_reports_grouped_into_fewer_or_as_many_studies_add_up(complete, studies):
    # the two included reports are one study (two reports of it) or two studies
    c = prisma_counts(complete, new_studies=studies)
    assert (c.studies_included, c.reports_included) == (studies, 2)


def test_more_studies_than_reports_is_refused(complete):
    with pytest.raises(PrismaError) as err:
        prisma_counts(complete, new_studies=3)
    assert str(err.value) == "the PRISMA counts do not add up: studies included ≠ a number ≤ reports included"


def test_the_database_label_is_the_name_review_toml_gives(complete):
    toml = complete.root / "review.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "PubMed"', 'name = "MEDLINE (via PubMed)"'),
                    encoding="utf-8")
    from sysrev.project import load_project

    assert prisma_counts(load_project(complete.root)).identified == {"MEDLINE (via PubMed)": 6, "Scopus": 4}


def test_an_update_counts_only_what_came_after_the_previous_release(complete):
    # The previous release covered the PubMed run and its records r01–r06 (2 studies from 2 reports). This
    # update: the Scopus run's 4 records, 2 of them duplicates of PubMed records → 2 new records (r07, r08),
    # both sent to full text; r07 excluded (not randomised), r08 not retrieved → nothing new included.
    from sysrev.report.prisma import UpdateScope
    from sysrev.search.snapshot import list_snapshots

    (pubmed_run,) = [run for run in list_snapshots(complete.runs_dir) if "pubmed" in run.name]
    scope = UpdateScope(runs=frozenset({pubmed_run.name}), records=frozenset(f"r0{i}" for i in range(1, 7)),
                        studies=2, reports=2)
    c = prisma_counts(complete, update=scope)
    assert c.identified == {"Scopus": 4}
    assert (c.duplicates_removed, c.records_screened, c.records_excluded, c.reports_sought) == (2, 2, 0, 2)
    assert (c.reports_not_retrieved, c.reports_assessed, c.reports_excluded) == (1, 1, {"not randomised": 1})
    assert (c.studies_included, c.reports_included) == (0, 0)
    assert (c.previous_studies, c.previous_reports, c.total_studies, c.total_reports) == (2, 2, 2, 2)


def test_a_dedup_summary_whose_record_count_disagrees_is_named(complete):
    path = complete.records_dir / "dedup_summary.json"
    path.write_text(json.dumps({"identified": {"pubmed": 6, "scopus": 4}, "duplicates_removed": 2, "records": 9}))
    with pytest.raises(PrismaError) as err:
        prisma_counts(complete)
    assert str(err.value) == ("the PRISMA counts do not add up:\n  records/dedup_summary.json says 9 records but "
                              "records/records.jsonl holds 8")


def test_full_text_conflicts_are_named_as_awaiting(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", TA), "title_abstract/bob.csv": rows("bob", TA),
                            "full_text/alice.csv": rows("alice", FT),
                            "full_text/bob.csv": rows("bob", {**FT, 1: ("exclude", "wrong comparator")})})
    c = prisma_counts(project)
    assert (c.reports_awaiting, c.reports_included) == (1, 1)
    assert [d for d in c.awaiting_detail if d.startswith("full text: ")] == [
        "full text: 1 record on which reviewers disagree (settle with `sysrev screen reconcile`): r01"]


def test_imported_files_without_a_strategy_are_labelled_with_their_import_source(complete):
    # `sysrev import` records --source (or the file's dialect, e.g. pubmed for MEDLINE) in the manifest;
    # "file" means neither was known, and the run's own name is used
    from sysrev.records import Record
    from sysrev.report.prisma import identified_per_database
    from sysrev.search.snapshot import write_snapshot

    for name, source in [("medline-export", "pubmed"), ("ovid-embase", "Embase (Ovid)"), ("misc", "file")]:
        write_snapshot(complete.runs_dir, name, [Record(source_id=f"{name}-1", title=name)], database="file",
                       extra={"source": source})
    (complete.searches_dir / "a-broken.toml").write_text("database = \n", encoding="utf-8")
    (complete.searches_dir / "pubmed.toml").write_text('database = "pubmed"\nquery = "x"\n', encoding="utf-8")
    (complete.searches_dir / "zz-central.toml").write_text('database = "file"\nsource = "CENTRAL"\n',
                                                           encoding="utf-8")
    write_snapshot(complete.runs_dir, "zz-central", [Record(source_id="CN-1", title="c")], database="file")
    by_label, _ = identified_per_database(complete)
    assert by_label == {"PubMed": 7, "Scopus": 4, "Embase (Ovid)": 1, "misc": 1, "CENTRAL": 1}


def test_a_database_an_earlier_import_named_by_its_edition_counts_as_that_database(complete):
    """Imports before 5 December 2026 kept the edition a file named as the source (its dialect); a living
    review importing the same database today must see one source, not two. A name the team gave stays."""
    from sysrev.records import Record
    from sysrev.report.prisma import identified_per_database
    from sysrev.search.snapshot import write_snapshot

    for name, source, dialect in [
            ("wos-2025", "web-of-science-core-collection", "web-of-science-core-collection"),
            ("wos-2026", "web-of-science", "web-of-science"),
            ("embase-2025", "embase-classic-embase", "embase-classic-embase"),
            ("team-named", "web-of-science-core-collection", "web-of-science"),
            ("odd-db", "some-local-db", "some-local-db")]:
        write_snapshot(complete.runs_dir, name, [Record(source_id=f"{name}-1", title=name)], database="file",
                       extra={"source": source, "dialect": dialect})
    by_label, _ = identified_per_database(complete)
    assert by_label == {"PubMed": 6, "Scopus": 4, "Web of Science": 2, "Embase": 1,
                        "web-of-science-core-collection": 1, "some-local-db": 1}


def test_a_database_run_without_strategy_or_review_toml_entry_keeps_the_databases_name(complete):
    from sysrev.records import Record
    from sysrev.report.prisma import identified_per_database
    from sysrev.search.snapshot import write_snapshot

    write_snapshot(complete.runs_dir, "pubmed-extra", [Record(source_id="39000001", title="new")], database="pubmed")
    assert identified_per_database(complete)[0] == {"PubMed": 7, "Scopus": 4}  # "PubMed", never "pubmed"


def test_no_search_runs_says_where_the_identified_count_comes_from(complete):
    import shutil

    shutil.rmtree(complete.runs_dir)
    with pytest.raises(PrismaError) as err:
        prisma_counts(complete)
    assert str(err.value) == (f"no search runs in {complete.runs_dir}: PRISMA's 'records identified' comes from "
                              "them (sysrev search run, or sysrev import for exported files)")


def test_every_problem_is_listed_on_its_own_line(complete):
    path = complete.records_dir / "dedup_summary.json"
    path.write_text(json.dumps({"identified": {"pubmed": 6, "scopus": 4}, "duplicates_removed": 1, "records": 9}))
    with pytest.raises(PrismaError) as err:
        prisma_counts(complete)
    assert str(err.value) == ("the PRISMA counts do not add up:\n"
                              "  identified (10) − duplicates removed (1) = 9, but records/records.jsonl holds 8 "
                              "records\n"
                              "  records/dedup_summary.json says 9 records but records/records.jsonl holds 8")


def test_full_text_decisions_of_two_reviewers_on_an_excluded_record_are_all_named(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", TA),
                            "full_text/alice.csv": rows("alice", {**FT, 2: ("include", "")}),
                            "full_text/bob.csv": rows("bob", {**FT, 2: ("include", "")})})
    with pytest.raises(PrismaError) as err:
        prisma_counts(project)
    assert re.search(r"record r02 has decisions \(\S*full_text/alice.csv, line 7, \S*full_text/bob.csv, line 7\)",
                     str(err.value))


def test_an_update_without_duplicates_adds_up(complete):
    # the previous release covered the PubMed run but screened only r03–r06; this update's 4 Scopus records
    # are the 4 records it screens (r01, r02, r07, r08): no duplicates removed
    from sysrev.report.prisma import UpdateScope
    from sysrev.search.snapshot import list_snapshots

    (pubmed_run,) = [run for run in list_snapshots(complete.runs_dir) if "pubmed" in run.name]
    scope = UpdateScope(runs=frozenset({pubmed_run.name}), records=frozenset({"r03", "r04", "r05", "r06"}),
                        studies=1, reports=1)
    c = prisma_counts(complete, update=scope)
    assert (c.identified_total, c.duplicates_removed, c.records_screened, c.records_excluded) == (4, 0, 4, 1)
    assert (c.reports_sought, c.reports_not_retrieved, c.reports_assessed, c.reports_included) == (3, 1, 2, 1)


def update_without_duplicates(complete):
    """The previous release covered the PubMed run and screened r03–r06 (1 study, 1 report); this update
    screens r01, r02, r07, r08 and includes one report, r01 (see the test above)."""
    from sysrev.report.prisma import UpdateScope
    from sysrev.search.snapshot import list_snapshots

    (pubmed_run,) = [run for run in list_snapshots(complete.runs_dir) if "pubmed" in run.name]
    return UpdateScope(runs=frozenset({pubmed_run.name}), records=frozenset({"r03", "r04", "r05", "r06"}),
                       studies=1, reports=1)


def test_a_new_report_of_a_previous_study_counts_with_the_previous_reports(complete):
    # r01 is a second paper of the study the previous version included: no new study, no report of a new
    # study; the previous version's box holds 1 study and 1 + 1 reports
    c = prisma_counts(complete, update=update_without_duplicates(complete), reports_of_previous=1, new_studies=0)
    assert (c.studies_included, c.reports_included, c.previous_reports_added) == (0, 0, 1)
    assert (c.previous_studies, c.previous_reports, c.total_studies, c.total_reports) == (1, 2, 1, 2)
    from dataclasses import replace

    from sysrev.report.prisma import _check_sums

    with pytest.raises(PrismaError) as err:
        _check_sums(replace(c, reports_included=1))
    assert str(err.value).startswith("the PRISMA counts do not add up: reports included (of new studies + new "
                                     "reports of previous studies) ≠ reports assessed − reports excluded")


def test_more_reports_of_previous_studies_than_reports_included_is_refused(complete):
    with pytest.raises(PrismaError) as err:
        prisma_counts(complete, update=update_without_duplicates(complete), reports_of_previous=2, new_studies=0)
    assert str(err.value) == "2 reports of previous studies, but this update included only 1 reports at full text"


def test_reports_of_previous_studies_need_an_update(complete):
    from sysrev.errors import SysrevError

    with pytest.raises(SysrevError, match=r"^reports of the previous version's studies are counted only for an "
                                          r"update \(UpdateScope\)$"):
        prisma_counts(complete, reports_of_previous=1)


def test_an_update_that_screens_more_records_than_its_runs_found_is_refused(complete):
    # both runs belong to the previous release, yet 6 records (r03–r08) are outside its scope
    from sysrev.report.prisma import UpdateScope
    from sysrev.search.snapshot import list_snapshots

    runs = frozenset(run.name for run in list_snapshots(complete.runs_dir))
    scope = UpdateScope(runs=runs, records=frozenset({"r01", "r02"}), studies=1, reports=1)
    with pytest.raises(PrismaError) as err:
        prisma_counts(complete, update=scope)
    assert str(err.value) == ("this update screened 6 new records but its search runs identified only 0: "
                              "re-run `sysrev dedup` after the last search run")


# The diagram as a reader sees it, read from the figure sysrev draws: the boxes with their text, the column
# headings, the phase bars and the arrows between boxes, all in inches on the page.
def _diagram(counts):
    from types import SimpleNamespace

    import matplotlib.pyplot as plt
    from matplotlib.patches import ArrowStyle, Rectangle

    from sysrev.report import prisma_diagram

    figure = prisma_diagram._figure(counts)
    try:
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        ax = figure.axes[0]
        inches = figure.dpi_scale_trans.inverted()

        def extent(artist):
            return tuple(artist.get_window_extent(renderer).transformed(inches).extents)

        def point(xy):
            return tuple(inches.transform(ax.transData.transform(xy)))

        page = tuple(figure.get_size_inches())
        shapes = [SimpleNamespace(kind="box" if isinstance(p, Rectangle) else "band", extent=extent(p),
                                  edge=p.get_edgecolor(), lw=p.get_linewidth(), texts=[]) for p in ax.patches]
        arrows, stray = [], []
        for text in ax.texts:
            if hasattr(text, "arrow_patch"):  # an arrow: no words of its own, its head at the end it points to
                assert text.get_text() == "" and isinstance(text.arrow_patch.get_arrowstyle(), ArrowStyle.CurveFilledB)
                assert text.arrow_patch.shrinkA == text.arrow_patch.shrinkB == 0  # touching both boxes
                assert text.arrow_patch.get_mutation_scale() >= 8  # a head a reader sees (points)
                arrows.append((point(text.xyann), point(text.xy)))
                continue
            box = extent(text)
            home = [s for s in shapes if s.extent[0] - 0.01 <= box[0] and box[2] <= s.extent[2] + 0.01
                    and s.extent[1] - 0.01 <= box[1] and box[3] <= s.extent[3] + 0.01]
            (home[0] if home else SimpleNamespace(texts=stray)).texts.append(SimpleNamespace(
                raw=text.get_text(), words=" ".join(text.get_text().replace("\u00a0", " ").split()), extent=box,
                rotation=text.get_rotation(), size=text.get_fontsize(), bold=text.get_fontweight() == "bold",
                family=text.get_fontfamily()))
        lines = [tuple(point(xy) for xy in line.get_xydata()) for line in ax.lines]
        return SimpleNamespace(page=page, shapes=shapes, arrows=arrows, lines=lines, stray=stray, axis=ax.axison)
    finally:
        plt.close(figure)


def _centre(extent):
    return (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2


def _on_border(xy, extent, side):
    x, y = xy
    x0, y0, x1, y1 = extent
    near = {"top": abs(y - y1), "bottom": abs(y - y0), "left": abs(x - x0), "right": abs(x - x1)}[side]
    inside = x0 - 0.01 <= x <= x1 + 0.01 and y0 - 0.01 <= y <= y1 + 0.01
    return near < 0.01 and inside


def _read_diagram(counts):
    """``(main column, side boxes by row, previous box, headings, phase bars)`` as words, after checking what
    every diagram must look like: each text inside its box, band or bar and centred as PRISMA's template is,
    nothing overlapping, equal margins, no box taller than its text needs, arrows touching the boxes they join."""
    d = _diagram(counts)
    assert not d.stray and not d.axis  # no text outside a shape, no axes drawn
    boxes = [s for s in d.shapes if s.kind == "box"]
    bands = [s for s in d.shapes if s.kind == "band"]
    assert all(len(s.texts) == 1 for s in d.shapes)
    # nothing overlaps, and the page has the same margin on every side
    for i, a in enumerate(d.shapes):
        for b in d.shapes[i + 1:]:
            assert (a.extent[2] <= b.extent[0] + 1e-6 or b.extent[2] <= a.extent[0] + 1e-6
                    or a.extent[3] <= b.extent[1] + 1e-6 or b.extent[3] <= a.extent[1] + 1e-6), (a.texts, b.texts)
    left, bottom = min(s.extent[0] for s in d.shapes), min(s.extent[1] for s in d.shapes)
    right, top = max(s.extent[2] for s in d.shapes), max(s.extent[3] for s in d.shapes)
    margins = [left, bottom, d.page[0] - right, d.page[1] - top]
    assert min(margins) > 0.1 and max(margins) - min(margins) < 0.01, margins
    for box in boxes:  # outlined; text vertically centred; centred when short, else left-aligned with a margin
        assert box.edge[3] == 1 and box.lw > 0
        text = box.texts[0]
        lines = text.raw.split("\n")
        assert abs(_centre(text.extent)[1] - _centre(box.extent)[1]) < 0.02
        if len(lines) <= 2 and not any(line.startswith(" ") for line in lines):
            assert abs(_centre(text.extent)[0] - _centre(box.extent)[0]) < 0.02, lines
        else:
            assert 0.05 < text.extent[0] - box.extent[0] < 0.2, lines
        for line in lines:  # a count is never split from its label
            assert line.count("(n") == len(re.findall(r"\(n\u00a0=\u00a0\d+\)", line)), line
        assert text.size < min(band.texts[0].size for band in bands)
    for band in bands:  # headings and phase bars: bold, centred, phase names read upwards
        text = band.texts[0]
        assert text.bold and max(abs(a - b) for a, b in zip(_centre(text.extent), _centre(band.extent))) < 0.02
        assert text.rotation in (0, 90)
    bars = sorted((b for b in bands if b.texts[0].rotation == 90), key=lambda b: -b.extent[3])
    headings = sorted((b for b in bands if b.texts[0].rotation == 0), key=lambda b: b.extent[0])
    # columns: the boxes left of the main column are the previous studies', right of it what left the flow
    main_x = min(b.extent[0] for b in boxes if b.texts[0].words.startswith("Records identified"))
    main = sorted((b for b in boxes if abs(b.extent[0] - main_x) < 0.01), key=lambda b: -b.extent[3])
    side = [b for b in boxes if b.extent[0] > main_x + 0.01]
    previous = [b for b in boxes if b.extent[0] < main_x - 0.01]
    by_row = []
    for box in main:
        beside = [s for s in side if abs(s.extent[3] - box.extent[3]) < 0.01]
        assert all(abs(s.extent[1] - box.extent[1]) < 0.01 for s in beside)  # a row's boxes share top and bottom
        by_row.append(beside[0] if beside else None)
    assert len([b for b in by_row if b]) == len(side) and len(previous) <= 1
    for row, (box, beside) in enumerate(zip(main, by_row)):
        # a row is as tall as its tallest text needs, unless it is the last of a phase whose label needs more
        bar = next(b for b in bars if b.extent[1] - 0.01 <= box.extent[1] and box.extent[3] <= b.extent[3] + 0.01)
        label = bar.texts[0].extent[3] - bar.texts[0].extent[1]
        if abs(bar.extent[1] - box.extent[1]) > 0.01 or bar.extent[3] - bar.extent[1] > label + 0.5:
            text = max(b.texts[0].extent[3] - b.texts[0].extent[1]
                       for b in (box, beside, *(previous if row == 0 else [])) if b)
            assert box.extent[3] - box.extent[1] < text + 0.36, box.texts[0].words
    # each phase bar spans exactly its rows, and is no taller than their texts or its label need; the bars
    # stand closer to the first column of boxes than the columns stand to each other
    spans = []
    for bar in bars:
        rows = [i for i, b in enumerate(main)
                if bar.extent[1] - 0.01 <= b.extent[1] and b.extent[3] <= bar.extent[3] + 0.01]
        assert abs(main[rows[0]].extent[3] - bar.extent[3]) < 0.01
        assert abs(main[rows[-1]].extent[1] - bar.extent[1]) < 0.01
        label = bar.texts[0].extent[3] - bar.texts[0].extent[1]
        needed = sum(max(b.texts[0].extent[3] - b.texts[0].extent[1] for b in (main[i], by_row[i]) if b) + 0.36
                     for i in rows) + 0.4 * (len(rows) - 1)
        assert bar.extent[3] - bar.extent[1] <= max(label + 0.5, needed), bar.texts[0].words
        spans.append(len(rows))
    first_column = min(b.extent[0] for b in boxes)
    assert 0 < first_column - max(bar.extent[2] for bar in bars) < min(s.extent[0] for s in side) - main[0].extent[2]
    if previous:  # beside the first row
        assert abs(previous[0].extent[3] - main[0].extent[3]) < 0.01
    # the heading spans the main and side columns, the previous studies' heading their column
    assert abs(headings[-1].extent[0] - main_x) < 0.01
    assert abs(headings[-1].extent[2] - max(b.extent[2] for b in boxes)) < 0.01
    if previous:
        assert abs(headings[0].extent[0] - previous[0].extent[0]) < 0.01
        assert abs(headings[0].extent[2] - previous[0].extent[2]) < 0.01
    # arrows: down the main column from the middle of each box's bottom to the next's top, and right to the
    # box beside; the previous studies' box leads, down and right, into the last box (the total)
    expected = [((_centre(a.extent)[0], a.extent[1]), (_centre(b.extent)[0], b.extent[3])) for a, b in
                zip(main, main[1:])]
    expected += [((box.extent[2], _centre(box.extent)[1]), (s.extent[0], _centre(box.extent)[1]))
                 for box, s in zip(main, by_row) if s]
    if previous:
        corner = (_centre(previous[0].extent)[0], _centre(main[-1].extent)[1])
        assert len(d.lines) == 1 and (*d.lines[0][0], *d.lines[0][1]) == approx(
            (corner[0], previous[0].extent[1], *corner), abs=0.01)
        expected.append((corner, (main[-1].extent[0], corner[1])))
    else:
        assert d.lines == []
    flat = sorted((*start, *end) for start, end in d.arrows)
    assert len(flat) == len(expected) and all(a == approx(b, abs=0.01) for a, b in zip(flat, sorted(
        (*start, *end) for start, end in expected)))
    return ([b.texts[0].words for b in main], [b.texts[0].words if b else None for b in by_row],
            previous[0].texts[0].words if previous else None, [h.texts[0].words for h in headings],
            [(b.texts[0].words, n) for b, n in zip(bars, spans)],
            {b.texts[0].raw.split("\n")[0]: b.texts[0].raw.split("\n") for b in boxes})


def _counts(**changes):
    from sysrev.report.prisma import PrismaCounts

    base = dict(identified={"PubMed": 6, "Scopus": 4, "ClinicalTrials.gov": 2}, registers=["ClinicalTrials.gov"],
                duplicates_removed=2, records_screened=10, records_excluded=5, reports_sought=5,
                reports_not_retrieved=1, reports_assessed=4,
                reports_excluded={"wrong comparator": 1, "not randomised": 1}, studies_included=2,
                reports_included=2)
    return PrismaCounts(**{**base, **changes})


DATABASES = ["PubMed", "Embase", "CENTRAL", "CINAHL", "PsycINFO", "Web of Science", "Scopus", "LILACS"]
LONG = "participants with chronic pain of more than six months and previous injections"


@pytest.mark.parametrize("changes, main, side, previous, headings, bars", [
    ({},  # a new review, finished
     ["Records identified from: Databases (n = 10) PubMed (n = 6) Scopus (n = 4) Registers (n = 2) "
      "ClinicalTrials.gov (n = 2)", "Records screened (n = 10)", "Reports sought for retrieval (n = 5)",
      "Reports assessed for eligibility (n = 4)",
      "Studies included in review (n = 2) Reports of included studies (n = 2)"],
     ["Records removed before screening: Duplicate records removed (n = 2)", "Records excluded (n = 5)",
      "Reports not retrieved (n = 1)", "Reports excluded: wrong comparator (n = 1) not randomised (n = 1)", None],
     None, ["Identification of studies via databases and registers"],
     [("Identification", 1), ("Screening", 3), ("Included", 1)]),
    # an update while title/abstract screening goes on: every box after it counts so far
    (dict(previous_studies=3, previous_reports=4, previous_reports_added=1, records_awaiting=1, reports_awaiting=1,
          identified={"PubMed": 6}, registers=[], reports_excluded={}),
     ["Records identified from: Databases (n = 6) PubMed (n = 6) Registers (n = 0)", "Records screened (n = 10)",
      "Reports sought for retrieval (so far) (n = 5)", "Reports assessed for eligibility (so far) (n = 4)",
      "New studies included in review (so far) (n = 2) Reports of new included studies (n = 2)",
      "Total studies included in review (n = 5) Reports of total included studies (n = 6)"],
     ["Records removed before screening: Duplicate records removed (n = 2)",
      "Records excluded (so far) (n = 5) Awaiting a decision (n = 1)", "Reports not retrieved (so far) (n = 1)",
      "Reports excluded (so far): none Awaiting a decision (n = 1)", None, None],
     "Studies included in previous version of review (n = 3) Reports of studies included in previous version of "
     "review (n = 4) of which included in this update (n = 1)",
     ["Previous studies", "Identification of new studies via databases and registers — IN PROGRESS"],
     [("Identification", 1), ("Screening", 3), ("Included", 2)]),
    # only full-text screening open: what title/abstract screening sent on is final; long reasons wrap
    # (many databases: the first row grows with them beside the previous studies' box)
    (dict(reports_awaiting=2, reports_excluded={LONG: 1, "not randomised": 12}, previous_studies=0,
          previous_reports=0, studies_included=12, identified=dict.fromkeys(DATABASES, 1), registers=[]),
     ["Records identified from: Databases (n = 8) " + " ".join(f"{name} (n = 1)" for name in DATABASES)
      + " Registers (n = 0)", "Records screened (n = 10)", "Reports sought for retrieval (n = 5)",
      "Reports assessed for eligibility (n = 4)",
      "New studies included in review (so far) (n = 12) Reports of new included studies (n = 2)",
      "Total studies included in review (n = 12) Reports of total included studies (n = 2)"],
     ["Records removed before screening: Duplicate records removed (n = 2)", "Records excluded (n = 5)",
      "Reports not retrieved (so far) (n = 1)",
      f"Reports excluded (so far): {LONG} (n = 1) not randomised (n = 12) Awaiting a decision (n = 2)", None, None],
     "Studies included in previous version of review (n = 0) Reports of studies included in previous version of "
     "review (n = 0)",
     ["Previous studies", "Identification of new studies via databases and registers — IN PROGRESS"],
     [("Identification", 1), ("Screening", 3), ("Included", 2)]),
    # a new review while title/abstract screening goes on
    (dict(records_awaiting=1),
     ["Records identified from: Databases (n = 10) PubMed (n = 6) Scopus (n = 4) Registers (n = 2) "
      "ClinicalTrials.gov (n = 2)", "Records screened (n = 10)", "Reports sought for retrieval (so far) (n = 5)",
      "Reports assessed for eligibility (so far) (n = 4)",
      "Studies included in review (so far) (n = 2) Reports of included studies (n = 2)"],
     ["Records removed before screening: Duplicate records removed (n = 2)",
      "Records excluded (so far) (n = 5) Awaiting a decision (n = 1)", "Reports not retrieved (so far) (n = 1)",
      "Reports excluded (so far): wrong comparator (n = 1) not randomised (n = 1)", None],
     None, ["Identification of studies via databases and registers — IN PROGRESS"],
     [("Identification", 1), ("Screening", 3), ("Included", 1)]),
])
def test_the_diagram_reads_box_by_box_in_the_prisma_2020_layout(changes, main, side, previous, headings, bars):
    assert _read_diagram(_counts(**changes))[:5] == (main, side, previous, headings, bars)


def test_a_png_is_drawn_at_200_dpi_into_a_new_folder_and_no_figure_is_left_open(tmp_path):
    """docs/screening.md: PNG is 200 dpi; --out may name a folder that does not exist yet."""
    import struct

    import matplotlib.pyplot as plt

    from sysrev.report.prisma_diagram import _figure

    open_before = plt.get_fignums()
    counts = _counts()
    out = draw_prisma(counts, tmp_path / "figures" / "prisma" / "FLOW.PNG")
    assert out == tmp_path / "figures" / "prisma" / "FLOW.PNG"
    assert sorted(p.name for p in out.parent.iterdir()) == ["FLOW.PNG"]  # no temporary file left beside it
    width, height = struct.unpack(">II", out.read_bytes()[16:24])
    figure = _figure(counts)
    inches = figure.get_size_inches()
    plt.close(figure)
    assert (width, height) == (round(inches[0] * 200), round(inches[1] * 200))
    assert plt.get_fignums() == open_before


def test_lines_wrap_to_the_box_and_list_items_keep_their_indent():
    """A source or reason is indented under its total, its continuation lines further; a count never leaves
    its label; a line that fits the box (47 characters) stays whole."""
    counts = _counts(reports_awaiting=2, reports_excluded={LONG: 1, "not randomised": 12}, previous_studies=3,
                     previous_reports=4, previous_reports_added=1, studies_included=2)
    lines = {first.replace("\u00a0", " "): [line.replace("\u00a0", " ") for line in box]
             for first, box in _read_diagram(counts)[5].items()}
    assert lines["Reports excluded (so far):"] == [
        "Reports excluded (so far):", "    participants with chronic pain of more",
        "      than six months and previous", "      injections (n = 1)", "    not randomised (n = 12)",
        "    Awaiting a decision (n = 2)"]
    assert lines["Records identified from:"] == [
        "Records identified from:", "Databases (n = 10)", "    PubMed (n = 6)", "    Scopus (n = 4)",
        "Registers (n = 2)", "    ClinicalTrials.gov (n = 2)"]
    assert "New studies included in review (so far) (n = 2)" in lines  # 47 characters: one line
    # no source yet: three lines of totals, left-aligned as every box of more than two lines
    assert _read_diagram(_counts(identified={}, registers=[], reports_excluded={}))[0][0] == (
        "Records identified from: Databases (n = 0) Registers (n = 0)")
    assert lines["Studies included in previous version of review"] == [
        "Studies included in previous version of review", "  (n = 3)",
        "Reports of studies included in previous version", "  of review (n = 4)",
        "    of which included in this update", "      (n = 1)"]
