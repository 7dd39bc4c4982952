"""The everyday commands in detail (`sysrev import`, `dedup`, `screen`, `status`, `refresh`): what each prints,
to which stream, with which exit code, and what it writes or leaves unwritten."""

import csv
import json
import re

import pytest
from click.testing import CliRunner
from project_files import project_with as _project

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.search.snapshot import list_snapshots

RIS_ONE = "TY  - JOUR\nTI  - One\nPY  - 2020\nDO  - 10.1000/one\nER  - \n"


def _invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# ------------------------------------------------------------------------------------------------ sysrev import


def test_import_without_files_or_source_says_what_to_give(tmp_path):
    result = _invoke("import", "--project", _project(tmp_path / "p"))
    assert result.exit_code == 2
    assert result.stderr.endswith('error: give the file(s) to import, or --source NAME of a project strategy '
                                  'searches/NAME.toml that names its export with file = "…"\n')


def test_import_of_a_source_without_a_file_strategy_names_the_strategy_it_looked_for(tmp_path):
    root = _project(tmp_path / "p", **{"searches__embase.ovid.toml": 'database = "embase"\nquery = "x"\n'})
    for source, name in (("embase.ovid", "embase.ovid"), ("Cochrane CENTRAL", "cochrane-central"), (" ", "import")):
        result = _invoke("import", "--source", source, "--project", root)
        assert result.exit_code == 2, result.output
        assert result.stderr.endswith(f'error: no file given, and the project has no database = "file" strategy '
                                      f'searches/{name}.toml with file = "…"\n')


def test_import_of_a_source_reads_the_file_its_strategy_names(tmp_path):
    # the source's name is kept as it is when it is a file name (a dot included), as the strategy's file is named
    root = _project(tmp_path / "p", **{"searches__embase.ovid.toml": 'database = "file"\nfile = "exports/e.ris"\n',
                                       "exports__e.ris": RIS_ONE})
    result = _invoke("import", "--source", "embase.ovid", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported 1 record from e.ris (ris, utf-8)\n")
    assert "Strategy: searches/embase.ovid.toml (its query is stored in the manifest)\n" in result.output
    (run,) = list_snapshots(root / "searches" / "runs")
    assert run.name.endswith("-embase.ovid")


def test_a_large_file_is_announced_before_the_long_read(tmp_path):
    head, tail = "TY  - JOUR\nTI  - One\nPY  - 2020\nAB  - ", "\nER  - \n"
    for name, size in (("edge.ris", 5_000_000), ("big.ris", 5_500_000)):
        (tmp_path / name).write_text(head + "a" * (size - len(head) - len(tail)) + tail, encoding="utf-8")
        assert (tmp_path / name).stat().st_size == size
    edge = _invoke("import", tmp_path / "edge.ris", "--out", tmp_path / "runs", "--dry-run")
    assert edge.exit_code == 0 and "Reading" not in edge.output  # 5 MB exactly: not announced
    big = _invoke("import", tmp_path / "big.ris", "--out", tmp_path / "runs", "--dry-run")
    assert big.exit_code == 0
    assert big.stderr == "Reading big.ris (6 MB) …\n"  # 5.5 MB, rounded half to even
    assert "Reading" not in big.stdout


def test_the_format_given_is_the_format_read(tmp_path):
    (tmp_path / "a.txt").write_text(RIS_ONE, encoding="utf-8")
    result = _invoke("import", tmp_path / "a.txt", "--format", "endnote_tagged", "--out", tmp_path / "runs")
    assert result.exit_code == 2
    assert "not an EndNote tagged line: expected '%X value', got 'TY  - JOUR'" in result.stderr
    assert not (tmp_path / "runs").exists()


def test_the_summary_of_one_file_its_types_and_what_is_missing(tmp_path):
    (tmp_path / "reg.ris").write_text(
        "TY  - JOUR\nTI  - One\nPY  - 2020\nT2  - ClinicalTrials.gov\nER  - \n\n"   # a registration: no DOI expected
        "TY  - JOUR\nTI  - Two\nPY  - 2020\nT2  - Pain\nER  - \n\n"                 # no abstract, no DOI
        "TY  - CHAP\nTI  - Three\nT2  - Pain\nDO  - 10.1000/3\nER  - \n", encoding="utf-8")  # no year
    result = _invoke("import", tmp_path / "reg.ris", "--out", tmp_path / "runs")
    assert result.exit_code == 0, result.output
    (run,) = list_snapshots(tmp_path / "runs")
    assert result.stdout == (f"Imported 3 records from reg.ris (ris, utf-8)\n"
                             f"Snapshot: {run}\n"
                             "       2  Journal Article\n"
                             "       1  Book Section\n"
                             "Missing: title 0, abstract 3, year 1, DOI 1 (of 2; trial registrations have none)\n")
    assert result.stderr == ""


def test_a_dry_run_prints_no_snapshot_and_writes_nothing(tmp_path):
    (tmp_path / "a.ris").write_text(RIS_ONE, encoding="utf-8")
    result = _invoke("import", tmp_path / "a.ris", "--out", tmp_path / "runs", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == ("Imported 1 record from a.ris (ris, utf-8)\n"
                             "       1  Journal Article\n"
                             "Missing: title 0, abstract 1, year 0, DOI 0\n"
                             f"Dry run: nothing written (the snapshot would be {tmp_path / 'runs'}/<timestamp>-a)\n")
    assert not (tmp_path / "runs").exists()


def test_only_registrations_have_no_doi_count(tmp_path):
    (tmp_path / "reg.ris").write_text("TY  - JOUR\nTI  - One\nPY  - 2020\nT2  - ClinicalTrials.gov\nER  - \n",
                                      encoding="utf-8")
    result = _invoke("import", tmp_path / "reg.ris", "--out", tmp_path / "runs", "--dry-run")
    assert "Missing: title 0, abstract 1, year 0, DOI - (trial registrations have none)\n" in result.stdout


PUBMED_XML = """<?xml version="1.0"?>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">111</PMID>
<Article PubModel="Print"><Journal><Title>J</Title><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue>
</Journal><ArticleTitle>A trial</ArticleTitle><PublicationTypeList>
<PublicationType UI="D016449">Randomized Controlled Trial</PublicationType>
<PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
</Article></MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">112</PMID>
<Article PubModel="Print"><Journal><Title>J</Title><JournalIssue><PubDate><Year>2021</Year></PubDate></JournalIssue>
</Journal><ArticleTitle>Another</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"""


def test_two_files_their_dialects_encodings_total_and_types(tmp_path, own_fixtures):
    # PubMed XML records carry no type of their own: the first publication type, else "(no type)"; a workbook's
    # text has no encoding to name, and its type column is shown as the export wrote it
    (tmp_path / "p.xml").write_text(PUBMED_XML, encoding="utf-8")
    workbook = own_fixtures / "formats" / "wos_excel_layout.xls"
    result = _invoke("import", tmp_path / "p.xml", workbook, "--source", "mixed", "--out", tmp_path / "runs",
                     "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == ["Imported 2 records from p.xml (pubmed_xml, pubmed, utf-8)",
                                              "Imported 2 records from wos_excel_layout.xls (xls, web-of-science)",
                                              "Total: 4 records from 2 files"]
    assert sorted(result.stdout.splitlines()[3:7]) == ["       1  (no type)", "       1  Article",
                                                        "       1  Article; Early Access",
                                                        "       1  Randomized Controlled Trial"]


def test_warnings_go_to_stderr_twenty_shown_and_the_rest_counted(tmp_path):
    for name, strays in (("twenty.ris", 20), ("more.ris", 21)):
        (tmp_path / name).write_text(RIS_ONE + "ER  - \n" * strays, encoding="utf-8")
    twenty = _invoke("import", tmp_path / "twenty.ris", "--out", tmp_path / "runs", "--dry-run")
    lines = twenty.stderr.splitlines()
    assert lines[0] == "20 warnings:" and len(lines) == 21
    assert lines[1] == "  warning: twenty.ris, line 6: 'ER' without a record before it (ignored)"
    assert "warning:" not in twenty.stdout
    more = _invoke("import", tmp_path / "more.ris", "--out", tmp_path / "runs", "--dry-run").stderr.splitlines()
    assert more[0] == "21 warnings:" and len(more) == 22
    assert more[20].endswith("line 25: 'ER' without a record before it (ignored)")
    assert more[21] == "  … and 1 more (all are in manifest.json)"


def test_one_warning_is_counted_in_the_singular(tmp_path):
    (tmp_path / "a.ris").write_text(RIS_ONE + "ER  - \n", encoding="utf-8")
    result = _invoke("import", tmp_path / "a.ris", "--out", tmp_path / "runs", "--dry-run")
    assert result.stderr.splitlines()[0] == "1 warning:"


# ------------------------------------------------------------------------------------------------ sysrev status

TA = {"records": 8, "decided": 3, "decisions": {"include": 2, "exclude": 1, "maybe": 0}, "unscreened": 5,
      "conflicts": 1, "awaiting_second_reviewer": 2, "reviewers": {"alice": {"left": 5}, "bob": {"left": 0}}}
FT = {"records": 0, "decided": 0, "decisions": {"include": 0, "exclude": 0, "maybe": 0}, "unscreened": 0,
      "conflicts": 0, "awaiting_second_reviewer": 0, "reviewers": {"alice": {"left": 0}}}
STUDIES = {"studies": ["Kim 2015", "Lee 2016"], "notes": ["two records name one study"], "unlinked": ["S3", "S4"],
           "pending": [{"study": "Kim 2015", "stage": "extraction", "outcome": "pain", "why": "no rows"},
                       {"study": "r12", "stage": "study", "outcome": "", "why": "included, not assigned"}],
           "exempted": [{"study": "Lee 2016", "stage": "rob2", "outcome": "pain", "why": "abstract only"}],
           "not_included": ["Park 2013 has extraction rows for pain, which the analyses read, but …"]}
ANALYSES = [{"name": "pain", "outcome": "pain", "status": None, "inputs_changed": True, "why": "no results",
             "studies_awaiting_extraction": []},
            {"name": "odi", "outcome": "disability", "status": "complete", "inputs_changed": True,
             "why": "extraction rows", "studies_awaiting_extraction": ["Kim 2015", "Lee 2016"]},
            {"name": "harms", "outcome": "adverse events", "status": "complete", "inputs_changed": False, "why": "",
             "studies_awaiting_extraction": []}]


def _state(**changes):
    state = {"searches": [{"name": "pubmed", "database": "pubmed", "runs": 2, "last_run_date": "2026-01-02",
                           "last_run_records": 1},
                          {"name": "scopus", "database": "scopus", "runs": 0, "draft": True},
                          {"error": "searches/bad.toml: not TOML"}],
             "imports": [{"name": "central", "database": "file", "runs": 1, "last_run_date": "2026-01-03",
                          "last_run_records": 5},
                         {"name": "old", "database": "pubmed", "runs": 2, "last_run_date": "2025-12-01",
                          "last_run_records": 1}],
             "dedup": {"records": 1, "runs_not_deduplicated": ["2026-01-02-pubmed", "2026-01-03-central"],
                       "gone": [f"R{n:06d}" for n in range(2, 13)]},
             "screening": {"title_abstract": TA, "full_text": FT}, "studies": STUDIES, "analyses": ANALYSES,
             "error": "analysis/analyses.toml: not TOML", "releases": ["v1", "v2"], "interrupted_writes": 1}
    return {**state, **changes}


def test_status_lists_every_stage_in_full():
    from sysrev.cli.status import format_status

    assert format_status(_state()) == "\n".join([
        "Searches:",
        "  pubmed (pubmed): 2 runs, last 2026-01-02 (1 record)",
        "  scopus (scopus): never run",
        "    draft: the query is still the starting point `sysrev init` built; write the real strategy, then delete "
        "the 'draft' line (a draft is never sent)",
        "  searches/bad.toml: not TOML",
        "  central (imported): 1 import, last 2026-01-03 (5 records)",
        "  old (pubmed, a query no strategy file holds now): 2 runs, last 2025-12-01 (1 record)",
        "Dedup:",
        "  1 record",
        "  11 records left the review when their search runs were deleted (R000002, R000003, R000004, R000005, "
        "R000006, R000007, R000008, R000009, R000010, R000011, …; kept in records/gone_records.jsonl): restore the "
        "runs and run `sysrev dedup` to bring them back",
        "  runs not deduplicated yet: 2026-01-02-pubmed, 2026-01-03-central (`sysrev dedup`)",
        "Screening:",
        "  title_abstract: 8 records; 3 decided (2 include, 1 exclude), 5 unscreened, 1 conflict, 2 awaiting a "
        "second reviewer",
        "    alice: 5 left to screen",
        "  full_text: 0 records; 0 decided (none), 0 unscreened, 0 conflicts, 0 awaiting a second reviewer",
        "Studies: 2 included",
        "  note: two records name one study",
        "  not linked to any record (studies.csv 'records' empty): S3, S4",
        "  warning: Park 2013 has extraction rows for pain, which the analyses read, but …",
        "Pending (2; settle one in analysis/exemptions.csv with a reason):",
        "  Kim 2015: extraction pain — no rows",
        "  r12: study — included, not assigned",
        "Exempted (1):",
        "  Lee 2016: rob2 pain — abstract only",
        "Analyses:",
        "  pain (pain): not run yet: run `sysrev meta run`",
        "  odi (disability): complete; inputs changed (extraction rows): run `sysrev meta run`; awaiting "
        "extraction: Kim 2015, Lee 2016",
        "  harms (adverse events): complete",
        "  analysis/analyses.toml: not TOML",
        "Releases: v1, v2 (`sysrev diff` compares the last with now)",
        "Interrupted writes: 1 temporary file left by commands killed mid-write; the saved files are unaffected "
        "(`sysrev check` lists them, `sysrev check --remove-leftovers` deletes them)"])


@pytest.mark.parametrize("dedup, lines", [
    ({"records": None, "error": "records/records.jsonl, line 3: invalid JSON", "runs_not_deduplicated": []},
     ["  the records file cannot be read: records/records.jsonl, line 3: invalid JSON",
      "  mend that line, or restore the file from git (`git checkout -- records/records.jsonl`); `sysrev dedup` reads "
      "it to keep the record IDs, so it cannot rebuild it while it is broken"]),
    ({"records": None, "missing": True, "runs_not_deduplicated": []},
     ["  records/records.jsonl is missing, but the screening logs name its records: restore it from git "
      "(`git checkout -- records/records.jsonl`); `sysrev dedup` will not build it anew, as the records would get "
      "IDs the decisions do not mean"]),
    ({"records": 3, "runs_not_deduplicated": [], "gone": ["R000004", "R000005"]},
     ["  3 records", "  2 records left the review when their search runs were deleted (R000004, R000005; kept in "
      "records/gone_records.jsonl): restore the runs and run `sysrev dedup` to bring them back"]),
    ({"records": 3, "runs_not_deduplicated": [], "gone": [f"R{n:06d}" for n in range(4, 14)]},
     ["  3 records", "  10 records left the review when their search runs were deleted (R000004, R000005, R000006, "
      "R000007, R000008, R000009, R000010, R000011, R000012, R000013; kept in records/gone_records.jsonl): restore "
      "the runs and run `sysrev dedup` to bring them back"]),  # all ten shown: no "…"
    ({"records": 3, "runs_not_deduplicated": [], "gone": [], "decisions_not_applied": 2},
     ["  3 records", "  2 duplicate-pair decisions are not applied to the records yet (made since the last dedup): "
      "run `sysrev dedup`"]),
    ({"records": 3, "runs_not_deduplicated": [], "gone": [], "decisions_not_applied": 1},
     ["  3 records", "  1 duplicate-pair decision is not applied to the records yet (made since the last dedup): "
      "run `sysrev dedup`"]),
])
def test_status_of_a_broken_lost_or_shrunk_records_file_in_full(dedup, lines):
    from sysrev.cli.status import format_status

    text = format_status(_state(dedup=dedup))
    assert text.split("Dedup:\n", 1)[1].split("\nScreening:", 1)[0] == "\n".join(lines)


def test_status_of_a_review_before_dedup_releases_and_studies():
    from sysrev.cli.status import format_status

    text = format_status(_state(searches=[], imports=None, dedup={"records": None, "runs_not_deduplicated": []},
                                studies=None, analyses=[], error=None, releases=None, interrupted_writes=0))
    assert text == "\n".join(["Searches:", "Dedup:", "  not run yet (`sysrev dedup`)", "Screening:",
                              TA_LINE, "    alice: 5 left to screen", FT_LINE, "Analyses:",
                              "Releases: none yet (`sysrev release VERSION`)"])
    two = format_status(_state(interrupted_writes=2, studies={**STUDIES, "pending": [], "exempted": [],
                                                              "unlinked": [], "notes": [], "not_included": []}))
    assert "Interrupted writes: 2 temporary files left by" in two
    assert "Studies: 2 included\nPending: none\nAnalyses:" in two


TA_LINE = ("  title_abstract: 8 records; 3 decided (2 include, 1 exclude), 5 unscreened, 1 conflict, 2 awaiting a "
           "second reviewer")
FT_LINE = "  full_text: 0 records; 0 decided (none), 0 unscreened, 0 conflicts, 0 awaiting a second reviewer"


def test_a_screening_error_is_shown_once_not_again_among_the_studies_notes():
    from sysrev.cli.status import format_status

    error = "screening/title_abstract/alice.csv, line 3: unknown decision 'yes'"
    text = format_status(_state(screening={"error": error},
                                studies={**STUDIES, "notes": [f"included studies not known: {error}", "other"]}))
    assert f"Screening:\n  {error}\nStudies: 2 included\n  note: other\n  not linked" in text
    assert text.count(error) == 1


# ----------------------------------------------------------------------------------------------- sysrev refresh


def _outcome(**changes):
    from sysrev.living.refresh import RefreshOutcome

    todo = {"screening": {"title_abstract": {"unscreened": 0, "awaiting_second_reviewer": 0, "conflicts": 0,
                                             "reviewers": {}},
                          "full_text": {"unscreened": 0, "awaiting_second_reviewer": 0, "conflicts": 0,
                                        "reviewers": {}}},
            "studies": {"pending": []}, "analyses": []}
    return RefreshOutcome(**{"status": todo, **changes})


SEARCHES = [
    {"name": "pubmed", "database": "pubmed", "action": "update", "snapshot": "2026-01-05T100000Z-pubmed",
     "retrieved": 12, "new": 3, "gaps": []},
    {"name": "scopus", "database": "scopus", "action": "first", "snapshot": "2026-01-05T100100Z-scopus",
     "retrieved": 40, "new": 40, "gaps": [{"from": 1}]},
    {"name": "wos", "database": "scopus", "action": "update", "snapshot": "2026-01-05T100200Z-wos",
     "retrieved": 2, "new": 0, "gaps": [{"from": 1}, {"from": 2}]},
    {"name": "embase", "database": "pubmed", "action": "skip", "snapshot": None, "retrieved": None, "new": None,
     "gaps": []},
    {"name": "draft", "database": "pubmed", "action": "draft", "why": "the query is a draft", "snapshot": None,
     "retrieved": None, "new": None, "gaps": []},
    {"name": "broken", "database": "scopus", "action": "failed", "snapshot": None, "retrieved": None, "new": None,
     "gaps": []}]


def test_what_a_refresh_did_then_the_to_do_list():
    from sysrev.cli.refresh import format_refresh

    imports = [{"strategy": "central", "files": ["a.ris", "b.ris"], "records": 5, "snapshot": "2026-central",
                "action": "imported", "warnings": ["a.ris: one record has no title"]},
               {"strategy": "embase", "files": ["e.ris"], "records": 1, "snapshot": None,
                "action": "already imported", "warnings": []}]
    ids = [f"r{i:02d}" for i in range(1, 12)]
    dedup = {"records": 20, "new_record_ids": ids, "uncertain_pairs": 1, "gone": "", "merged": ""}
    assert format_refresh(_outcome(searches=SEARCHES, imports=imports, dedup=dedup)) == "\n".join([
        "Searches:",
        "  pubmed (pubmed): 12 retrieved, 3 new → 2026-01-05T100000Z-pubmed",
        "  scopus (scopus): 40 retrieved, 40 new → 2026-01-05T100100Z-scopus, 1 gap (fetched again next time)",
        "  wos (scopus): 2 retrieved, 0 new → 2026-01-05T100200Z-wos, 2 gaps (fetched again next time)",
        "  embase (pubmed): already run today without gaps; skipped",
        "  draft (pubmed): not run: the query is a draft",
        "  broken (scopus): FAILED (see below)",
        "  inbox/central: imported 2 files, 5 records → 2026-central",
        "    warning: a.ris: one record has no title",
        "  inbox/embase: already imported 1 file, 1 record",
        "Dedup: 20 records; 11 new queued for screening (r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, … (11 in "
        "all))",
        "  1 uncertain duplicate pair: `sysrev dedup review`",
        "",
        "To do:",
        "  title/abstract: 0 records waiting",
        "  full texts to assess: 0 records waiting",
        "  nothing waits: the review is up to date"])


def test_the_new_records_are_listed_up_to_ten_and_uncertain_pairs_only_when_there_are_some():
    from sysrev.cli.refresh import format_refresh

    ten = [f"r{i:02d}" for i in range(1, 11)]
    text = format_refresh(_outcome(dedup={"records": 10, "new_record_ids": ten, "uncertain_pairs": 2, "gone": "",
                                          "merged": ""}))
    assert ("Searches:\nDedup: 10 records; 10 new queued for screening (r01, r02, r03, r04, r05, r06, r07, r08, r09, "
            "r10)\n  2 uncertain duplicate pairs: `sysrev dedup review`\n\nTo do:\n") in text
    text = format_refresh(_outcome(dedup={"records": 1, "new_record_ids": [], "uncertain_pairs": 0, "gone": "",
                                          "merged": ""}))
    assert text.startswith("Searches:\nDedup: 1 record; 0 new queued for screening\n\nTo do:\n")
    text = format_refresh(_outcome(dedup={"records": 1, "new_record_ids": [], "uncertain_pairs": 0,
                                          "gone": "2 records of the last dedup left the review",
                                          "merged": "merged R000004 into R000002 (…)"}))
    assert text.startswith("Searches:\nDedup: 1 record; 0 new queued for screening\n  warning: 2 records of the "
                           "last dedup left the review\n  note: merged R000004 into R000002 (…)\n\nTo do:\n")


def test_a_dry_run_says_what_it_would_search_and_import():
    from sysrev.cli.refresh import format_refresh

    imports = [{"strategy": "central", "files": ["a.ris"], "records": 5, "snapshot": None, "action": "would import",
                "warnings": []}]
    text = format_refresh(_outcome(searches=SEARCHES[:2] + SEARCHES[3:5], imports=imports, dry_run=True))
    assert text.split("\n\nTo do:\n")[0] == "\n".join([
        "Dry run: nothing searched or written.",
        "  pubmed (pubmed): would run a living update since its last run",
        "  scopus (scopus): would run a full search (first run)",
        "  embase (pubmed): already run today without gaps; skipped",
        "  draft (pubmed): not run: the query is a draft",
        "  inbox/central: would import 1 file, 5 records"])


def _todo_status(ta=None, pending=()):
    stage = {"unscreened": 0, "awaiting_second_reviewer": 0, "conflicts": 0, "reviewers": {}}
    return {"screening": {"title_abstract": {**stage, **(ta or {})}, "full_text": stage},
            "studies": {"pending": list(pending)}, "analyses": []}


def test_one_record_or_one_conflict_already_waits():
    from sysrev.cli.refresh import format_todo

    nothing = "  nothing waits: the review is up to date"
    assert nothing not in format_todo(_todo_status({"unscreened": 1}))
    assert nothing not in format_todo(_todo_status({"awaiting_second_reviewer": 1}))
    assert nothing not in format_todo(_todo_status({"conflicts": 1}))
    assert format_todo(_todo_status({"unscreened": 2, "reviewers": {"ana": {"left": 1}, "ben": {"left": 2},
                                                                  "cy": {"left": 0}}}))[0] == (
        "  title/abstract: 2 records waiting (left per reviewer: ana 1, ben 2)")


def test_missing_risk_of_bias_and_extraction_wait_one_line_each():
    from sysrev.cli.refresh import format_todo

    pending = [{"stage": "rob2", "study": "Kim 2015", "outcome": "pain"},
               {"stage": "rob2", "study": "Lee 2016", "outcome": ""},
               {"stage": "extraction", "study": "Lee 2016", "outcome": "pain"}]
    assert format_todo(_todo_status(pending=pending))[2:] == ["  extraction missing: Lee 2016 (pain)",
                                                               "  RoB 2 missing: Kim 2015 (pain); Lee 2016"]
    for one in pending:
        assert "  nothing waits: the review is up to date" not in format_todo(_todo_status(pending=[one]))


# ------------------------------------------------------------------------------------------------ sysrev screen

SCREENING_TOML = """[review]
title = "Test review"

[screening]
reviewers = ["alice", "bob", "carol"]
exclusion_reasons = ["wrong population", "full text not retrieved"]
highlight_terms = ["ultrasound"]
"""
LOG_HEADER = "record_id,decision,reason,reviewer,timestamp\n"


def _screening_project(root, logs=None, abstract="Patients were randomised."):
    records = [{"record_id": f"r{i:02d}", "source_id": str(i), "title": f"Trial {i} of ultrasound guidance",
                "abstract": abstract, "authors": ["Kim, J"], "year": 2020, "sources": []} for i in range(1, 9)]
    _project(root, **{"records__records.jsonl": "".join(json.dumps(r) + "\n" for r in records)})
    (root / "review.toml").write_text(SCREENING_TOML, encoding="utf-8")
    for relative, rows in (logs or {}).items():
        path = root / "screening" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LOG_HEADER + "".join(f"{row},2026-01-0{n + 1}T10:00:00Z\n" for n, row in enumerate(rows)),
                        encoding="utf-8")
    return root


def test_screen_status_of_a_stage_in_full():
    from sysrev.cli.screen import _format_status

    summary = {"stage": "title_abstract", "records": 8, "decided": 3,
               "decisions": {"include": 2, "exclude": 1, "maybe": 0}, "conflicts": 1, "awaiting_second_reviewer": 1,
               "unscreened": 4, "reconciled": 0,
               "reviewers": {"christopher": {"screened": 4, "left": 4, "include": 2, "exclude": 1, "maybe": 1},
                             "al": {"screened": 3, "left": 5, "include": 1, "exclude": 2, "maybe": 0}},
               "agreement": [{"reviewers": ["christopher", "al"], "n": 3, "percent_agreement": 2 / 3, "kappa": None,
                              "kappa_ci_low": None, "kappa_ci_high": None, "pabak": 1 / 3, "ac1": 0.5},
                             {"reviewers": ["al", "bo"], "n": 1, "percent_agreement": 1.0, "kappa": 0.5,
                              "kappa_ci_low": -0.1, "kappa_ci_high": 0.9, "pabak": 1.0, "ac1": 1.0}],
               "stopping": {}, "stopping_withheld": {"bo": 1},
               "stops_recorded": [{"reviewer": "al", "timestamp": "2026-01-05T10:00:00Z", "screened": 5,
                                   "statement": "the stopping rule was met"}],
               "outside_stage": ["r01", "r02", "r03", "r04", "r05", "r06"]}
    assert _format_status(summary) == "\n".join([
        "title/abstract: 8 records · 3 decided (include 2, exclude 1, maybe 0) · 1 conflict · 1 awaiting another "
        "reviewer · 4 unscreened · 0 reconciled",
        "  reviewer     screened   left  include  exclude  maybe",
        "  christopher         4      4        2        1      1",
        "  al                  3      5        1        2      0",
        "  agreement christopher × al on 3 records: 66.7% · kappa n/a (one category only) · PABAK 0.333 · AC1 0.500",
        "  agreement al × bo on 1 record: 100.0% · kappa 0.500 [95% CI -0.100, 0.900] · PABAK 1.000 · AC1 1.000",
        "  stopping rule, bo: not assessed (bo's log has rows that cannot be counted: 1 problem, listed below)",
        "  stopped: al on 2026-01-05T10:00:00Z after 5 records (the stopping rule was met)",
        "  note: decisions on 6 records this stage does not screen: r01, r02, r03, r04, r05"])


def test_conflicts_show_each_reviewers_vote_with_its_reason_and_a_dash_for_none(tmp_path):
    included = [f"{r},include,,{name}" for r in ("r01", "r02") for name in ("alice", "bob", "carol")]
    root = _screening_project(tmp_path / "p", {
        "title_abstract/alice.csv": [row for row in included if row.endswith("alice")],
        "title_abstract/bob.csv": [row for row in included if row.endswith("bob")],
        "title_abstract/carol.csv": [row for row in included if row.endswith("carol")],
        "full_text/alice.csv": ["r01,exclude,wrong population,alice", "r02,include,,alice"],
        "full_text/bob.csv": ["r01,include,,bob"],
        "full_text/carol.csv": ["r02,exclude,full text not retrieved,carol"]})
    result = _invoke("screen", "conflicts", "--stage", "full_text", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "2 conflicts at full text:\n"
        "  r01  alice: exclude (wrong population)  bob: include  carol: —\n"
        "      Trial 1 of ultrasound guidance\n"
        "  r02  alice: include  bob: —  carol: exclude (full text not retrieved)\n"
        "      Trial 2 of ultrasound guidance\n"
        "Settle them with: sysrev screen reconcile --reviewer NAME --stage full_text\n")


def test_the_screen_needs_a_terminal_and_says_how_else_to_bring_decisions(tmp_path):
    root = _screening_project(tmp_path / "p")
    result = _invoke("screen", "--reviewer", "alice", "--project", root)
    assert result.exit_code == 2
    assert result.stderr.endswith("error: the interactive screen needs a terminal (stdin is not one); to load "
                                  "decisions made elsewhere use `sysrev screen import`\n")


def _on_a_terminal(args, keys, monkeypatch, lines=30, columns=100, output=None):
    """Run ``sysrev ARGS`` in this process with a pseudo-terminal as its stdin and stdout (or stdout redirected
    to the file ``output``), ``keys`` typed ahead (kept: the screen holds the terminal from the start): (exit
    code, what it showed). In this process, not a child one, so that mutation testing sees which functions
    the test reaches."""
    import os
    import sys
    import threading

    pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal")
    master, slave = os.openpty()
    shown = []

    def drain():  # the terminal's output, read as it comes so that a full buffer never blocks the screen
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # every end of the terminal's other side is closed
                return
            if not data:
                return
            shown.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    os.write(master, keys.encode())
    monkeypatch.setenv("LINES", str(lines))
    monkeypatch.setenv("COLUMNS", str(columns))
    with open(slave, encoding="utf-8", closefd=False) as stdin, \
            open(output or os.dup(slave), "w", encoding="utf-8", buffering=1) as stdout:
        monkeypatch.setattr(sys, "stdin", stdin)
        monkeypatch.setattr(sys, "stdout", stdout)
        try:
            code = cli.main([str(a) for a in args], prog_name="sysrev", standalone_mode=False) or 0
        except SystemExit as exc:
            code = exc.code
        stdout.flush()
        monkeypatch.undo()
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return code, b"".join(shown).decode("utf-8", "replace")


def test_the_screen_on_a_terminal_logs_the_decision_in_the_order_asked_with_colour_and_pages(tmp_path, monkeypatch):
    long = " ".join(f"Sentence {n} of a long abstract about ultrasound." for n in range(1, 120))
    root = _screening_project(tmp_path / "p", abstract=long)
    code, shown = _on_a_terminal(["screen", "--reviewer", "alice", "--order", "random", "--project", root], "iq",
                                 monkeypatch)
    assert code == 0, shown
    assert "sysrev screen · title/abstract · alice" in shown
    assert "\x1b[1m" in shown  # bold titles and highlighted terms: the terminal is shown colour
    assert shown.count("\x1b[2J") >= 2  # the screen cleared for each record
    assert "[space] more" in shown  # the abstract is paged to the terminal's 30 lines
    assert "─" * 100 in shown and "─" * 101 not in shown  # the terminal's width
    log = (root / "screening" / "title_abstract" / "alice.csv").read_text(encoding="utf-8").splitlines()
    assert log[0] == "record_id,decision,reason,reviewer,timestamp,note,rank,model"
    assert len(log) == 2 and log[1].split(",")[1:4] == ["include", "", "alice"]
    assert log[1].split(",")[6:] == ["1", "random"]  # shown first, in the random order asked for
    assert "1 decision logged to " in " ".join(shown.split())  # the summary, wrapped to the width


# ------------------------------------------------------------------------------------------------- sysrev dedup

TWINS = ('ID,title,authors,year,journal\n'
         't1,Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial,'
         '"Smith, John; Doe, Anna",2015,Pain Physician\n'
         't2,Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial,'
         '"Smith, J.; Doe, Joan",2015,Journal of Interventional Pain Studies\n'
         't3,Radiofrequency denervation of the sacroiliac joint,"Lee, Kim",2018,Spine\n'
         't4,Radiofrequency denervation of the sacroiliac joint,"Lee, Kim",2018,Spine\n')


def test_dedup_help_is_the_groups_with_its_commands():
    for flag in ("-h", "--help"):
        result = _invoke("dedup", flag)
        assert result.exit_code == 0
        assert result.output.startswith("Usage: cli dedup [OPTIONS] COMMAND [ARGS]...\n")  # the group's, not run's
        assert "Commands:" in result.output and "review" in result.output


def test_a_project_folder_named_review_is_a_folder_not_the_subcommand(tmp_path, monkeypatch):
    root = _project(tmp_path / "review")
    monkeypatch.chdir(tmp_path)
    result = _invoke("dedup", "--project", "review")
    assert result.exit_code == 2  # deduplicating that project, which has no search runs yet
    assert "no search-run snapshots" in result.stderr
    assert _invoke("dedup", "review", "--project", "review").output.startswith("no uncertain pairs to review")
    assert root.is_dir()


def test_files_are_clustered_numbered_from_one_with_their_uncertain_pairs(tmp_path):
    (tmp_path / "u.csv").write_text(TWINS, encoding="utf-8")
    out, queue = tmp_path / "clusters.csv", tmp_path / "queue.csv"
    result = _invoke("dedup", tmp_path / "u.csv", "--clusters", out, "--uncertain", queue)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("records: 4; clusters: 3 (1 duplicates); uncertain pairs: 1; related pairs: 0\n"
                             f"written: {out}\n")
    assert out.read_bytes() == b"record_id,cluster_id\nt1,1\nt2,2\nt3,3\nt4,3\n"
    title = "Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial"
    with open(queue, encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["record_a"], row["record_b"], row["title_a"], row["title_b"]) == ("t1", "t2", title, title)
    assert row["reason"] == "same title, author and year but a different journal"
    assert re.fullmatch(r"0\.\d\d", row["score"])


def test_input_files_without_records_are_an_error_naming_them(tmp_path):
    empty = '<?xml version="1.0"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
    for name in ("a.xml", "b.xml"):
        (tmp_path / name).write_text(empty, encoding="utf-8")
    result = _invoke("dedup", tmp_path / "a.xml", tmp_path / "b.xml", "--clusters", tmp_path / "c.csv")
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'a.xml'}, {tmp_path / 'b.xml'}: no records in the input files\n"
    assert not (tmp_path / "c.csv").exists()


def test_shared_record_ids_are_warned_about_on_stderr(tmp_path):
    (tmp_path / "a.csv").write_text("ID,title,year\n1,Ultrasound for back pain,2019\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("ID,title,year\n1,Ketamine for depression,2018\n", encoding="utf-8")
    result = _invoke("dedup", tmp_path / "a.csv", tmp_path / "b.csv", "--clusters", tmp_path / "c.csv")
    assert result.exit_code == 0
    assert "more than once across the inputs" in result.stderr and "more than once" not in result.stdout


def test_the_id_column_may_name_the_readers_own_id_or_an_identifier_field(tmp_path):
    from sysrev.cli.dedup import _own_id
    from sysrev.records import Record

    record = Record(source_id="a1", source="", title="T", doi="10.1000/one", pmid="111", pmcid="PMC123",
                    extra={"fields": {"Accession": "EMB-7", "empty": "", "ID": "", "PMID": ""}})  # empty: the reader's
    path = tmp_path / "x.ris"
    assert _own_id(record, None, path) == "a1"
    assert _own_id(record, "Accession", path) == "EMB-7"
    for column in ("id", "ID", "Record ID", "record_id", "key"):  # the reader took that column as the record's ID
        assert _own_id(record, column, path) == "a1"
    for column, value in (("PMID", "111"), ("pmid", "111"), ("DOI", "10.1000/one"), ("PMCID", "PMC123")):
        assert _own_id(record, column, path) == value
    for column in ("empty", "accession number"):
        with pytest.raises(InputError) as caught:
            _own_id(record, column, path)
        assert str(caught.value) == f"{path}, column '{column}': record 'a1' has no value in column '{column}'"


def test_warnings_of_a_file_ten_shown_then_counted(tmp_path):
    one = "TY  - JOUR\nID  - a1\nTI  - One trial of ultrasound\nPY  - 2020\nER  - \n"
    for name, strays in (("ten.ris", 10), ("eleven.ris", 11)):
        (tmp_path / name).write_text(one + "ER  - \n" * strays, encoding="utf-8")
    ten = _invoke("dedup", tmp_path / "ten.ris", "--clusters", tmp_path / "c.csv").stderr.splitlines()
    assert len(ten) == 10 and ten[0] == (f"warning: {tmp_path / 'ten.ris'}, line 6: 'ER' without a "
                                   "record before it (ignored)")
    eleven = _invoke("dedup", tmp_path / "eleven.ris", "--clusters", tmp_path / "c.csv").stderr.splitlines()
    assert len(eleven) == 11 and eleven[-1] == f"warning: … and 1 more warnings about {tmp_path / 'eleven.ris'}"


def test_records_without_titles_ten_named_then_counted(tmp_path):
    (tmp_path / "nt.csv").write_text("ID,title,year\n" + "".join(f"n{i},,2020\n" for i in range(12)),
                                     encoding="utf-8")
    lines = _invoke("dedup", tmp_path / "nt.csv", "--clusters", tmp_path / "c.csv").stderr.splitlines()
    assert lines[1] == "warning: n0: no title: merged only by a reviewer's decision or an identifier"
    assert lines[-1] == ("warning: … and 2 more records with unusable fields (they are only merged on strong "
                         "evidence)")
    assert len(lines) == 12  # the file's own warning, ten records named, the count


def test_the_review_keys_each_accepted_in_either_case_the_prompt_on_one_line(capsys):
    import io

    from sysrev.cli.dedup import _ask_key
    from sysrev.screening.keys import PipedKeys

    for typed, key in (("s", "s"), ("D", "d"), ("r", "r"), ("K", "k"), ("q", "q")):
        assert _ask_key(PipedKeys(io.StringIO(typed))) == key
        assert capsys.readouterr().out == f"[s]ame, [d]ifferent, [r]elated, s[k]ip, [q]uit: {key}\n"
    assert _ask_key(PipedKeys(io.StringIO("x?r"))) == "r"
    assert capsys.readouterr().out == ("[s]ame, [d]ifferent, [r]elated, s[k]ip, [q]uit: \n'x' is not a choice; press "
                                       "s, d, r, k or q: \n'?' is not a choice; press s, d, r, k or q: r\n")


def test_a_pair_side_by_side_at_the_terminals_width(monkeypatch):
    from types import SimpleNamespace

    from sysrev.cli.dedup import side_by_side
    from sysrev.records import Record

    monkeypatch.setenv("COLUMNS", "72")  # 60 characters for the two columns: 28 each
    title = "A randomised trial of ultrasound guidance for facet joint injections"
    a = SimpleNamespace(label="pubmed:111", record=Record(
        source_id="111", title=title, authors=["Smith, John", "Doe, Anna", "Lee, K", "Park, S", "Cho, M"], year=2015,
        journal="Pain Physician", volume="18", pages="575-86", doi="10.1000/x", pmid="111"))
    b = SimpleNamespace(label="scopus:2-s2.0-1", record=Record(
        source_id="2-s2.0-1", title=title, authors=["Smith, J.", "Doe, Joan"], year=None,
        journal="Journal of Interventional Pain Studies"))
    row = "{:11}| {:28} | {}".format
    assert side_by_side(a, b).splitlines() == [
        row("", "pubmed:111", "scopus:2-s2.0-1"),
        row("source_id", "111", "2-s2.0-1"),
        row("title     =", "A randomised trial of", "A randomised trial of"),
        row("", "ultrasound guidance for", "ultrasound guidance for"),
        row("", "facet joint injections", "facet joint injections"),
        row("authors", "Smith, John; Doe, Anna; Lee,", "Smith, J.; Doe, Joan"),
        row("", "K; Park, S; et al.", ""),
        row("year", "2015", ""),
        row("journal", "Pain Physician", "Journal of Interventional"),
        row("", "", "Pain Studies"),
        row("volume", "18", ""),
        row("issue", "", ""),
        row("pages", "575-86", ""),
        row("doi", "10.1000/x", ""),
        row("pmid", "111", "")]
    four = SimpleNamespace(label="x", record=Record(source_id="x", authors=["A, B", "C, D", "E, F", "G, H"]))
    four_named = "A, B; C, D; E, F; G, H"  # four authors: all named, no "et al."
    assert row("authors   =", four_named, four_named) in side_by_side(four, four).splitlines()


def test_notes_name_records_by_the_ids_of_the_clusters_file(tmp_path):
    # A-2 duplicates A-1 (same DOI) and A-3 (title, author and year), but differ in their first
    # page: the note a reviewer reads names them as the --id-column does, as the clusters file does
    title = "Ultrasound-guided facet joint injections for chronic low back pain: a randomised trial"
    (tmp_path / "chain.csv").write_text(
        "ID,accession,title,authors,year,journal,volume,pages,doi\n"
        f'1,A-1,{title},"Smith, John",2015,Pain Physician,18,575-86,10.1000/pp.575\n'
        f'2,A-2,{title},"Smith, John",2015,Pain Physician,,,10.1000/pp.575\n'
        f'3,A-3,{title},"Smith, John",2015,Pain Physician,18,812-20,\n', encoding="utf-8")
    out, queue = tmp_path / "c.csv", tmp_path / "q.csv"
    result = _invoke("dedup", tmp_path / "chain.csv", "--clusters", out, "--uncertain", queue, "--id-column",
                     "accession")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "record_id,cluster_id\nA-1,1\nA-2,1\nA-3,2\n"
    with open(queue, encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["record_a"], row["record_b"]) == ("A-2", "A-3")
    assert "; but records A-1 and A-3 in the joined cluster conflict (" in row["reason"]


def test_a_record_without_a_value_in_the_id_column_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "a.csv").write_text("ID,accession,title\n1,A-1,One trial\n2,,Another trial\n", encoding="utf-8")
    result = _invoke("dedup", tmp_path / "a.csv", "--clusters", tmp_path / "c.csv", "--id-column", "accession")
    assert result.exit_code == 2
    assert result.stderr == (f"error: {tmp_path / 'a.csv'}, column 'accession': record '2' has no value in column "
                             "'accession'\n")
    assert not (tmp_path / "c.csv").exists()


def test_the_screen_writes_no_colour_codes_when_its_output_goes_to_a_file(tmp_path, monkeypatch):
    root = _screening_project(tmp_path / "p")
    saved = tmp_path / "screen.txt"
    code, _ = _on_a_terminal(["screen", "--reviewer", "alice", "--project", root], "eq", monkeypatch, output=saved)
    assert code == 0
    text = saved.read_text(encoding="utf-8")
    assert "sysrev screen · title/abstract · alice" in text and "Trial 1 of ultrasound guidance" in text
    assert "\x1b" not in text  # keys are still read from the terminal, but `> file` gets plain text
    log = (root / "screening" / "title_abstract" / "alice.csv").read_text(encoding="utf-8").splitlines()
    assert log[1].startswith("r01,exclude,,alice,")


# -------------------------------------------------- the commands' own bodies (click commands mutmut leaves alone)

TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
# the same title, authors and year in another journal, without volume or pages: a reviewer must decide
DOUBT = dict(TRIAL, journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
             authors=["Smith, J.", "Doe, Joan"])


def _dedup_project(root, *records):
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot

    _project(root)
    write_snapshot(root / "searches" / "runs", "pubmed", [Record(source="pubmed", **r) for r in records],
                   database="pubmed", query="facet joint")
    return root


def test_dedup_points_to_the_review_only_when_pairs_wait(tmp_path):
    alone = _invoke("dedup", "--project", _dedup_project(tmp_path / "one", dict(TRIAL, source_id="111")))
    assert alone.exit_code == 0, alone.output
    assert "uncertain pairs: 0; related publications linked: 0\n" in alone.stdout
    assert "sysrev dedup review" not in alone.stdout
    root = _dedup_project(tmp_path / "two", dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112"))
    both = _invoke("dedup", "--project", root)
    assert both.stdout.endswith("uncertain pairs: 1; related publications linked: 0\n"
                                f"written: {root / 'records' / 'records.jsonl'}, dedup_summary.json, dedup_queue.csv\n"
                                "review the uncertain pairs with `sysrev dedup review`\n")


def test_dedup_review_counts_the_decisions_it_recorded(tmp_path):
    root = _dedup_project(tmp_path / "p", dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112"))
    assert _invoke("dedup", "--project", root).exit_code == 0
    result = CliRunner().invoke(cli, ["dedup", "review", "--reviewer", "anna", "--project", str(root)], input="s")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"\n1 decision recorded in {root / 'records' / 'dedup_decisions.csv'}; run "
                                  "`sysrev dedup` to apply them\n")


def test_dedup_review_skips_a_pair_whose_record_left_the_search_runs(tmp_path):
    import shutil

    from sysrev.records import Record
    from sysrev.search.snapshot import list_snapshots, write_snapshot

    root = _dedup_project(tmp_path / "p", dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112"))
    assert _invoke("dedup", "--project", root).exit_code == 0
    for run in list_snapshots(root / "searches" / "runs"):
        shutil.rmtree(run)  # the run is replaced by one without record 112
    write_snapshot(root / "searches" / "runs", "pubmed", [Record(source="pubmed", source_id="111", **TRIAL)],
                   database="pubmed", query="facet joint")
    result = CliRunner().invoke(cli, ["dedup", "review", "--reviewer", "anna", "--project", str(root)], input="s")
    assert result.exit_code == 0, result.output
    assert result.stderr == "skipped pubmed:111 / pubmed:112: no longer in the search runs\n"
    assert "[s]ame" not in result.stdout and "\n0 decisions recorded in " in result.stdout


def test_no_conflicts_are_said_so(tmp_path):
    root = _screening_project(tmp_path / "p", {"title_abstract/alice.csv": ["r01,include,,alice"]})
    result = _invoke("screen", "conflicts", "--project", root)
    assert (result.exit_code, result.output) == (0, "No conflicts at title/abstract.\n")


def test_stopping_for_an_unknown_reviewer_is_refused_naming_the_reviewers(tmp_path):
    root = _screening_project(tmp_path / "p")
    result = _invoke("screen", "stop", "--reviewer", "zed", "--force", "--project", root)
    assert result.exit_code == 2
    assert result.stderr.endswith("error: unknown reviewer 'zed'; review.toml lists alice, bob, carol\n")
    assert not (root / "screening" / "title_abstract" / "stopping.jsonl").exists()


def test_a_prior_row_past_the_data_is_refused(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("title,abstract,label_included\n" + "".join(f"Title {i},Abstract {i},{i % 2}\n"
                                                                 for i in range(4)), encoding="utf-8")
    result = _invoke("screen", "simulate", data, "--out", tmp_path / "o.csv", "--prior", "1", "--prior", "4")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"error: --prior 4: {data} has data rows 0–3\n")
    assert not (tmp_path / "o.csv").exists()


def _json_project(root):
    _project(root, **{"searches__médline.toml": 'database = "file"\nfile = "exports/médline.ris"\n'})
    return root


def test_status_as_json_is_indented_and_keeps_accented_names(tmp_path):
    result = _invoke("status", "--json", "--project", _json_project(tmp_path / "p"))
    assert result.exit_code == 0
    assert result.stdout.startswith('{\n  "searches": [\n    {\n      "name": "médline",\n')
    assert json.loads(result.stdout)["searches"][0]["name"] == "médline"


def test_refresh_as_json_is_indented_and_keeps_accented_names(tmp_path):
    result = _invoke("refresh", "--dry-run", "--json", "--project", _json_project(tmp_path / "p"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "dry_run": true,\n  "searches": [],\n')
    assert '"name": "médline"' in result.stdout


def test_an_interrupted_refresh_says_what_is_kept_and_exits_130(tmp_path, monkeypatch):
    import sysrev.living.refresh

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sysrev.living.refresh, "refresh", interrupted)
    result = _invoke("refresh", "--project", _project(tmp_path / "p"))
    assert result.exit_code == 130
    assert result.stderr == "\ninterrupted: what was fetched is saved; run `sysrev refresh` again to continue\n"
