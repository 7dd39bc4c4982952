"""The click commands' own bodies, third part: what the survivors of a run of every mutant of `sysrev import`,
`dedup`, `dedup review`, `status`, `refresh` and (sampled) `screen` showed unchecked (benchmarks/
decorated_mutation.py mutates these bodies, which mutmut skips). Each test asserts what a user sees: the
output, its stream, the exit code, the files written."""

import csv
import getpass
import io
import json
import re
import sys

import pytest
from project_files import project_with as _project
from shared_inputs import DOUBT, THIRD, TRIAL, write_labelled_set
from test_cli_command_bodies import _invoke

# ------------------------------------------------------------------------------------------------ sysrev import

RIS_A = ("TY  - JOUR\nID  - 1\nTI  - Caudal epidural injection under ultrasound: a randomised trial\nPY  - 2013\n"
         "DO  - 10.1000/a1\nER  - \n")
RIS_B = "TY  - JOUR\nID  - 2\nTI  - Facet joint injections under fluoroscopy\nPY  - 2015\nER  - \n"


def _exports(tmp_path):
    a, b = tmp_path / "a.ris", tmp_path / "b.ris"
    a.write_text(RIS_A, encoding="utf-8")
    b.write_text(RIS_B, encoding="utf-8")
    return a, b


def _runs(root):
    return sorted(p.name for p in (root / "searches" / "runs").iterdir())


def test_import_refuses_files_imported_before_naming_every_file_and_every_earlier_import(tmp_path):
    root = _project(tmp_path / "p")
    a, b = _exports(tmp_path)
    first = _invoke("import", a, "--source", "central", "--project", root)
    assert first.exit_code == 0, first.output
    (earlier,) = _runs(root)
    # the same file again, with another, as another search (--again): kept, with a note naming the first import
    again = _invoke("import", a, b, "--source", "central", "--project", root, "--again")
    assert again.exit_code == 0, again.output
    later = next(name for name in _runs(root) if name != earlier)
    assert again.stderr == (f"note: an identical file (same SHA-256) was imported before as {earlier}; both "
                            "snapshots are kept, delete the new one if the import was a mistake\n")
    assert again.stdout.startswith("Imported 1 record from a.ris (ris, utf-8)\nImported 1 record from b.ris "
                                   "(ris, utf-8)\nTotal: 2 records from 2 files\n")
    refused = _invoke("import", a, b, "--source", "central", "--project", root)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == (f"error: a.ris, b.ris: imported before as {earlier}, {later} (the same file, by its "
                              "SHA-256); importing it again would make PRISMA count its records twice, so nothing "
                              "was imported (give --again if it really is another search that returned the same "
                              "file)\n")
    assert len(_runs(root)) == 2


def test_import_dry_run_of_a_strategy_s_file_names_the_strategy_and_the_snapshot_it_would_write(tmp_path):
    root = _project(tmp_path / "p", **{"searches__central.toml": 'database = "file"\nquery = "facet joint"\n'
                                                                  'file = "exports/a.ris"\n',
                                       "exports__a.ris": RIS_A})
    result = _invoke("import", "--source", "central", "--project", root, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Imported 1 record from a.ris (ris, utf-8)\n"
                             "       1  Journal Article\n"
                             "Missing: title 0, abstract 1, year 0, DOI 0\n"
                             "Strategy: searches/central.toml (its query is stored in the manifest)\n"
                             f"Dry run: nothing written (the snapshot would be {root / 'searches' / 'runs'}/"
                             "<timestamp>-central)\n")
    assert not (root / "searches" / "runs").exists()


def test_import_dry_run_outside_a_project_names_no_snapshot(tmp_path, monkeypatch):
    a, _ = _exports(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = _invoke("import", a, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Missing: title 0, abstract 1, year 0, DOI 0\nDry run: nothing written\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ris", "b.ris"]


# ------------------------------------------------------------------------------------------------- sysrev dedup

REASON = "same title, author and year but a different journal"


def _three_doubtful(root, **files):
    """A project whose one search run holds three records any two of which a reviewer must decide (pubmed:111,
    112, 113), deduplicated: three pairs queued."""
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot

    _project(root, **files)
    write_snapshot(root / "searches" / "runs", "pubmed",
                   [Record(source="pubmed", source_id=f"11{i}", **r) for i, r in enumerate((TRIAL, DOUBT, THIRD), 1)],
                   database="pubmed", query="facet joint")
    result = _invoke("dedup", "--project", root)
    assert result.exit_code == 0, result.output
    assert "uncertain pairs: 3;" in result.stdout
    return root


def _decisions(root):
    with open(root / "records" / "dedup_decisions.csv", encoding="utf-8", newline="") as f:
        return [(row["record_a"], row["record_b"], row["decision"], row["reviewer"]) for row in csv.DictReader(f)]


def test_dedup_of_files_without_clusters_is_refused_in_those_words(tmp_path):
    a, _ = _exports(tmp_path)
    result = _invoke("dedup", a)
    assert result.exit_code == 2
    assert result.stderr.endswith("\nerror: --clusters OUT.csv is required when input FILEs are given\n")


def test_dedup_of_a_project_refuses_each_option_that_needs_files(tmp_path):
    root = _project(tmp_path / "p")
    for option in (["--id-column", "ID"], ["--uncertain", str(tmp_path / "u.csv")], ["--allow-truncated"],
                   ["--clusters", str(tmp_path / "c.csv")]):
        result = _invoke("dedup", *option, "--project", root)
        assert result.exit_code == 2, option
        assert result.stderr.endswith("\nerror: --clusters, --id-column, --uncertain and --allow-truncated need "
                                      "input FILEs\n"), option
    assert not (root / "records").exists() and not (tmp_path / "u.csv").exists()


def test_dedup_notes_on_stderr_a_merge_of_records_the_screening_decisions_name(tmp_path):
    root = _three_doubtful(tmp_path / "p")
    log = root / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True)
    log.write_text("record_id,decision,reason,reviewer,timestamp\nR000001,include,,ann,2026-12-01T09:00:00Z\n"
                   "R000002,include,,ann,2026-12-01T09:01:00Z\n", encoding="utf-8")
    (root / "records" / "dedup_decisions.csv").write_text(
        "record_a,record_b,decision,reviewer,timestamp,note\npubmed:111,pubmed:112,same,anna,2026-12-02T09:00:00Z,\n",
        encoding="utf-8")
    result = _invoke("dedup", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "note: merged R000002 into R000001 (a `same` decision in records/dedup_decisions.csv); 1 screening decision "
        "names the records merged away and counts for the records they joined now. A record whose copies a "
        "reviewer decided differently comes back to that reviewer's screen (`sysrev screen status` lists them)\n")
    assert result.stdout.startswith("identified: PubMed 3 (3 source records)\nrecords: 2 (1 duplicate removed, ")


# ------------------------------------------------------------------------------------------ sysrev dedup review


def test_dedup_review_numbers_the_pairs_skips_with_k_and_records_the_reviewer_named(tmp_path):
    root = _three_doubtful(tmp_path / "p")
    # k skips the first pair, s decides the second, the end of the keys quits at the third
    result = _invoke("dedup", "review", "--reviewer", "anna", "--project", root, input="ks")
    assert result.exit_code == 0, result.output
    headers = [line for line in result.stdout.splitlines() if line.startswith("pair ")]
    assert headers == [f"pair {n} of 3 – {REASON}" for n in (1, 2, 3)]
    assert _decisions(root) == [("pubmed:111", "pubmed:113", "same", "anna")]
    assert result.stdout.endswith("[s]ame, [d]ifferent, [r]elated, s[k]ip, [q]uit: q\n\n1 decision recorded in "
                                  f"{root / 'records' / 'dedup_decisions.csv'}; run `sysrev dedup` to apply them\n")


def test_dedup_review_quit_at_once_still_says_how_many_were_recorded(tmp_path):
    root = _three_doubtful(tmp_path / "p")
    result = _invoke("dedup", "review", "--reviewer", "anna", "--project", root, input="q")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"\n0 decisions recorded in {root / 'records' / 'dedup_decisions.csv'}; run "
                                  "`sysrev dedup` to apply them\n")
    assert not (root / "records" / "dedup_decisions.csv").exists()


def test_dedup_review_records_the_login_name_without_reviewer(tmp_path, monkeypatch):
    root = _three_doubtful(tmp_path / "p")
    monkeypatch.setattr(getpass, "getuser", lambda: "zoe")
    result = _invoke("dedup", "review", "--project", root, input="drq")
    assert result.exit_code == 0, result.output
    assert _decisions(root) == [("pubmed:111", "pubmed:112", "different", "zoe"),
                                ("pubmed:111", "pubmed:113", "related", "zoe")]
    assert result.stdout.endswith(f"\n2 decisions recorded in {root / 'records' / 'dedup_decisions.csv'}; run "
                                  "`sysrev dedup` to apply them\n")


def test_dedup_review_of_a_queue_without_reasons_shows_none(tmp_path):
    root = _three_doubtful(tmp_path / "p")
    # a queue written by hand (or by an older version) with only the two columns the reader needs
    (root / "records" / "dedup_queue.csv").write_text("record_a,record_b\npubmed:112,pubmed:113\n", encoding="utf-8")
    result = _invoke("dedup", "review", "--reviewer", "anna", "--project", root, input="r")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\npair 1 of 1 – \n           | pubmed:112")
    assert _decisions(root) == [("pubmed:112", "pubmed:113", "related", "anna")]


def test_dedup_review_goes_on_past_pairs_whose_record_left_the_search_runs(tmp_path):
    import shutil

    from sysrev.records import Record
    from sysrev.search.snapshot import list_snapshots, write_snapshot

    root = _three_doubtful(tmp_path / "p")
    for run in list_snapshots(root / "searches" / "runs"):
        shutil.rmtree(run)  # the run is replaced by one without record 111: the first two pairs name it
    write_snapshot(root / "searches" / "runs", "pubmed",
                   [Record(source="pubmed", source_id=f"11{i}", **r) for i, r in ((2, DOUBT), (3, THIRD))],
                   database="pubmed", query="facet joint")
    result = _invoke("dedup", "review", "--reviewer", "anna", "--project", root, input="d")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("skipped pubmed:111 / pubmed:112: no longer in the search runs\n"
                             "skipped pubmed:111 / pubmed:113: no longer in the search runs\n")
    assert result.stdout.startswith(f"\npair 3 of 3 – {REASON}\n")
    assert _decisions(root) == [("pubmed:112", "pubmed:113", "different", "anna")]


# ----------------------------------------------------------------------------------------------- sysrev refresh


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_refresh_on_a_terminal_shows_each_search_s_progress_and_names_every_failed_search(tmp_path, monkeypatch):
    """Run in this process with stderr a terminal (CliRunner's is none), so the bar is drawn."""
    from sysrev.cli.main import cli
    from sysrev.errors import SysrevError
    from sysrev.search import runner

    root = _project(tmp_path / "p", **{f"searches__{name}.toml": f'database = "pubmed"\nquery = "{name} trial"\n'
                                       for name in ("alpha", "beta")})
    monkeypatch.setattr("sysrev.search.config.load_config", lambda: {"email": "me@example.org"})
    bars = []

    def run_strategy(strategy, runs_dir, progress, **options):
        bars.append((progress.desc, progress.enabled))
        progress.set_total(2)
        progress.advance(2)
        raise SysrevError(f"HTTP 500 from {strategy.name}")

    monkeypatch.setattr(runner, "run_strategy", run_strategy)
    stderr, stdout = _Terminal(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(sys, "stdout", stdout)
    with pytest.raises(SystemExit) as exited:
        cli.main(["refresh", "--project", str(root)], prog_name="sysrev")
    monkeypatch.undo()
    assert exited.value.code == 2
    assert bars == [("pubmed alpha", True), ("pubmed beta", True)]
    assert "pubmed alpha: 100%" in stderr.getvalue() and "pubmed beta: 100%" in stderr.getvalue()
    assert stderr.getvalue().endswith("error: 2 searches failed: alpha: HTTP 500 from alpha; beta: HTTP 500 from "
                                      "beta\n")
    assert stdout.getvalue().startswith("Searches:\n  alpha (pubmed): FAILED (see below)\n"
                                        "  beta (pubmed): FAILED (see below)\n")


# ------------------------------------------------------------------------------------------------ sysrev screen

SCREENING_TOML = """[review]
title = "Test review"

[screening]
reviewers = ["zoe", "adam", "carol"]
exclusion_reasons = ["wrong population", "full text not retrieved"]
highlight_terms = ["ultrasound"]
"""
LONG_TITLE = ("Ultrasound-guided versus fluoroscopy-guided lumbar facet joint injections in adults with chronic low "
              "back pain: a multicentre randomised trial")  # 131 characters: the list shows the first 100
TITLES = {"r01": "Échographie et douleur lombaire : essai randomisé", "r02": LONG_TITLE,
          "r03": "Trial 3 of ultrasound guidance", "r04": "Trial 4 of ultrasound guidance"}
LOG_HEADER = "record_id,decision,reason,reviewer,timestamp\n"


def _screening(root, logs):
    """A project of four records (r01 has an accented title, r02 a long one; DOIs 10.1000/r01 …) whose
    reviewers are listed zoe, adam, carol (not in alphabetical order), with the decision logs ``logs``
    ({"title_abstract/zoe.csv": ["r01,include,", …]})."""
    records = [{"record_id": rid, "source_id": rid, "title": title, "abstract": "Patients were randomised.",
                "doi": f"10.1000/{rid}", "authors": ["Kim, J"], "year": 2020, "sources": []}
               for rid, title in TITLES.items()]
    _project(root, **{"records__records.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)})
    (root / "review.toml").write_text(SCREENING_TOML, encoding="utf-8")
    for relative, rows in logs.items():
        path = root / "screening" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        reviewer = path.stem
        path.write_text(LOG_HEADER + "".join(f"{row},{reviewer},2026-01-0{n + 1}T10:00:00Z\n"
                                             for n, row in enumerate(rows)), encoding="utf-8")
    return root


def _zoe_decisions(root):
    """(record_id, decision) of each row of zoe's title/abstract log, as written."""
    with open(root / "screening" / "title_abstract" / "zoe.csv", encoding="utf-8", newline="") as f:
        return [(row["record_id"], row["decision"]) for row in csv.DictReader(f)]


# zoe and adam disagree on r01 and r02 at title/abstract; they both include r03; r04 is excluded by both
TWO_CONFLICTS = {"title_abstract/zoe.csv": ["r01,include,", "r02,include,", "r03,include,", "r04,exclude,"],
                 "title_abstract/adam.csv": ["r01,exclude,", "r02,exclude,", "r03,include,", "r04,exclude,"]}


def test_screen_conflicts_lists_reviewers_in_review_toml_order_with_titles_cut_at_100_characters(tmp_path):
    root = _screening(tmp_path / "p", TWO_CONFLICTS)
    result = _invoke("screen", "conflicts", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("2 conflicts at title/abstract:\n"
                             "  r01  zoe: include  adam: exclude\n"
                             f"      {TITLES['r01']}\n"
                             "  r02  zoe: include  adam: exclude\n"
                             f"      {LONG_TITLE[:100]}\n"
                             "Settle them with: sysrev screen reconcile --reviewer NAME\n")


def test_screen_conflicts_as_json_keeps_accents_and_every_vote(tmp_path):
    root = _screening(tmp_path / "p", TWO_CONFLICTS)
    result = _invoke("screen", "conflicts", "--project", root, "--json")
    assert result.exit_code == 0, result.output
    votes = {"zoe": {"decision": "include", "reason": ""}, "adam": {"decision": "exclude", "reason": ""}}
    assert json.loads(result.stdout) == [{"record_id": "r01", "title": TITLES["r01"], "votes": votes},
                                         {"record_id": "r02", "title": LONG_TITLE, "votes": votes}]
    assert result.stdout.startswith('[\n  {\n    "record_id": "r01",\n    "title": "Échographie et douleur')


def test_screen_conflicts_of_a_record_without_a_title_shows_an_empty_one(tmp_path):
    root = _screening(tmp_path / "p", TWO_CONFLICTS)
    records = root / "records" / "records.jsonl"
    lines = records.read_text(encoding="utf-8").splitlines()
    untitled = json.loads(lines[0])
    del untitled["title"]  # a record file written by another tool, without the key
    records.write_text("\n".join([json.dumps(untitled), *lines[1:]]) + "\n", encoding="utf-8")
    result = _invoke("screen", "conflicts", "--project", root, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["title"] == ""
    text = _invoke("screen", "conflicts", "--project", root)
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("2 conflicts at title/abstract:\n  r01  zoe: include  adam: exclude\n      \n")


def test_screen_import_of_an_unknown_reviewer_names_the_reviewers_listed(tmp_path):
    root = _screening(tmp_path / "p", {})
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("record_id,decision\nr01,include\n", encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zed", "--project", root, sheet)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.endswith("\nerror: unknown reviewer 'zed'; review.toml lists zoe, adam, carol\n")


def test_screen_import_counts_unmatched_and_out_of_stage_rows_together_on_stderr(tmp_path):
    root = _screening(tmp_path / "p", TWO_CONFLICTS)
    sheet = tmp_path / "sheet.csv"
    # at full text: r03 was included at title/abstract; r04 was not; r99 is no record
    sheet.write_text("record_id,decision\nr03,include\nr04,include\nr99,include\n", encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zoe", "--stage", "full_text", "--project", root, sheet)
    assert result.exit_code == 1
    log = root / "screening" / "full_text" / "zoe.csv"
    assert result.stdout == (f"decisions export {sheet}: added 1 decision to {log}; 0 unchanged; 0 rows without a "
                             "decision in the export\n")
    assert result.stderr.endswith("2 rows not imported (listed above): mend them in the export and import it again "
                                  "(decisions already imported are not added twice).\n")
    assert "  line 3: record r04 is not screened at full text (not included at title/abstract); not imported\n" \
        in result.stderr


def test_screen_import_takes_the_covidence_list_s_decision_given(tmp_path):
    root = _screening(tmp_path / "p", {})
    export = tmp_path / "export.csv"  # a name that does not say which list it is
    export.write_text("Title,DOI,Covidence #,Notes\nTrial 3 of ultrasound guidance,10.1000/r03,#3,\n",
                      encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zoe", "--decision", "maybe", "--project", root, export)
    assert result.exit_code == 0, result.output
    assert _zoe_decisions(root) == [("r03", "maybe")]


def test_screen_import_reads_the_format_given_rather_than_the_one_detected(tmp_path):
    root = _screening(tmp_path / "p", {})
    sheet = tmp_path / "sheet.csv"  # an 'included' column makes it look like an ASReview export
    sheet.write_text("record_id,decision,included\nr03,exclude,1\n", encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zoe", "--format", "decisions", "--project", root, sheet)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"decisions export {sheet}: added 1 decision")
    assert _zoe_decisions(root) == [("r03", "exclude")]


def test_screen_status_as_json_is_indented_by_two(tmp_path):
    root = _screening(tmp_path / "p", TWO_CONFLICTS)
    result = _invoke("screen", "status", "--project", root, "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "stages": [\n    {\n      "stage": "title_abstract",')
    assert json.loads(result.stdout)["stages"][0]["conflicts"] == 2


def _searched_and_screened(root):
    """A project with one PubMed run of two records, deduplicated (R000001, R000002), both screened by zoe at
    title/abstract (R000001 included) and R000001 included at full text: the PRISMA flow can be drawn."""
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot

    _project(root)
    (root / "review.toml").write_text(SCREENING_TOML, encoding="utf-8")
    write_snapshot(root / "searches" / "runs", "pubmed",
                   [Record(source="pubmed", source_id="1", title="Ultrasound-guided facet injections", year=2015),
                    Record(source="pubmed", source_id="2", title="Soil nitrogen in wheat fields", year=2019)],
                   database="pubmed", query="facet joint")
    assert _invoke("dedup", "--project", root).exit_code == 0
    for relative, rows in {"title_abstract/zoe.csv": ["R000001,include,", "R000002,exclude,"],
                           "full_text/zoe.csv": ["R000001,include,"]}.items():
        path = root / "screening" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LOG_HEADER + "".join(f"{row},zoe,2026-01-0{n + 1}T10:00:00Z\n" for n, row in enumerate(rows)),
                        encoding="utf-8")
    return root


def _diagram_words(html):
    lines = re.findall(r"<text [^>]*>([^<]*)</text>", html[html.index("<svg"):html.index("</svg>")])
    return " ".join(" ".join(lines).replace("\u00a0", " ").split())


def test_screen_report_draws_the_previous_reports_given_and_makes_the_folders_it_needs(tmp_path):
    root = _searched_and_screened(tmp_path / "p")
    out = tmp_path / "new" / "deeper" / "report.html"
    result = _invoke("screen", "report", "--previous", "3:5", "--out", out, "--project", root)
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (f"wrote {out}\n", "")
    words = _diagram_words(out.read_text(encoding="utf-8"))
    assert "Studies included in previous version of review (n = 3)" in words
    assert "Reports of studies included in previous version of review (n = 5)" in words


def test_screen_status_warns_on_stderr_of_records_decided_differently_before_a_merge(tmp_path):
    root = _three_doubtful(tmp_path / "p")
    (root / "review.toml").write_text(SCREENING_TOML, encoding="utf-8")
    log = root / "screening" / "title_abstract" / "zoe.csv"
    log.parent.mkdir(parents=True)
    log.write_text(LOG_HEADER + "R000001,include,,zoe,2026-12-01T09:00:00Z\n"
                   "R000002,exclude,,zoe,2026-12-01T09:01:00Z\n", encoding="utf-8")
    (root / "records" / "dedup_decisions.csv").write_text(
        "record_a,record_b,decision,reviewer,timestamp,note\npubmed:111,pubmed:112,same,anna,2026-12-02T09:00:00Z,\n",
        encoding="utf-8")
    assert _invoke("dedup", "--project", root).exit_code == 0  # R000002 merged into R000001
    result = _invoke("screen", "status", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"warning: {log}, line 3: R000001 was decided differently as records that dedup has "
                             "since merged into it (the same publication): R000001 include (line 2); R000002 exclude "
                             "(line 3). It counts as not yet screened by zoe and comes back to their screen: the "
                             "decision made there settles it\n")
    assert result.stdout.startswith("title/abstract: 2 records · 0 decided")
    as_json = _invoke("screen", "status", "--project", root, "--json")
    assert json.loads(as_json.stdout)["notices"] == [result.stderr[len("warning: "):-1]]


def test_screen_status_as_json_lists_the_rows_it_cannot_count_and_exits_1(tmp_path):
    root = _screening(tmp_path / "p", {"title_abstract/zoe.csv": ["r01,include,", "r77,include,"]})
    result = _invoke("screen", "status", "--project", root, "--json")
    assert result.exit_code == 1
    problem = (f"{root / 'screening' / 'title_abstract' / 'zoe.csv'}, line 3: unknown record_id 'r77': not in "
               "records/records.jsonl")
    assert json.loads(result.stdout)["problems"] == [problem]
    assert result.stderr == f"warning: not counted: {problem}\n"


def test_screen_stop_says_who_stopped_where_after_how_many_records(tmp_path):
    root = _screening(tmp_path / "p", TWO_CONFLICTS)
    result = _invoke("screen", "stop", "--reviewer", "zoe", "--force", "--note", "funding ended", "--recall", "0.9",
                     "--confidence", "0.8", "--project", root)
    assert result.exit_code == 0, result.output
    (entry,) = [json.loads(line) for line in
                (root / "screening" / "title_abstract" / "stopping.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (entry["reviewer"], entry["screened"], entry["n_total"], entry["note"]) == ("zoe", 4, 4, "funding ended")
    assert (entry["recall_target"], entry["confidence"]) == (0.9, 0.8)
    assert entry["statement"].startswith("recall ≥ 90 % can be claimed with 80 % confidence")
    assert result.stdout == (f"recorded: zoe stops at title/abstract after 4 of 4 records; {entry['statement']}. "
                             "Nothing was excluded.\n")


def _labelled(path, n=40, relevant=(3, 11, 17, 25)):
    """Records on two unrelated topics; the relevant ones share their vocabulary."""
    write_labelled_set(path, n, relevant)
    return path


def test_screen_simulate_passes_the_model_seed_and_stopping_rule_on(tmp_path, monkeypatch):
    import sysrev.screening.simulate as simulation

    real, calls = simulation.simulate, []

    def spy(labelled, priors, **options):
        calls.append((priors, {k: v for k, v in options.items() if k != "progress"}))
        return real(labelled, priors, **options)

    monkeypatch.setattr(simulation, "simulate", spy)
    data = _labelled(tmp_path / "data.csv")
    result = _invoke("screen", "simulate", data, "--out", tmp_path / "order.csv", "--prior", "3", "--prior", "0",
                     "--seed", "7", "--stop-recall", "0.9", "--stop-confidence", "0.8")
    assert result.exit_code == 0, result.output
    assert calls == [([3, 0], {"seed": 7, "recall_target": 0.9, "confidence": 0.8})]
    assert json.loads(result.stdout)["priors"] == [3, 0]


def test_screen_simulate_on_a_terminal_shows_its_progress_to_the_end(tmp_path, monkeypatch):
    from sysrev.cli.main import cli

    data = _labelled(tmp_path / "data.csv")
    stderr, stdout = _Terminal(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        code = cli.main(["screen", "simulate", str(data), "--out", str(tmp_path / "order.csv")], prog_name="sysrev",
                        standalone_mode=False)
    finally:
        monkeypatch.undo()
    assert code in (None, 0)
    assert "simulating: 100%" in stderr.getvalue() and "38/38" in stderr.getvalue()  # 40 records, 2 priors
    assert "record/s]" in stderr.getvalue()
    assert json.loads(stdout.getvalue())["screened"] == 38


def test_screen_reconcile_settles_the_conflicts_of_the_stage_asked_for(tmp_path, monkeypatch):
    from test_cli_core_details import _on_a_terminal

    root = _screening(tmp_path / "p", {**TWO_CONFLICTS, "full_text/zoe.csv": ["r03,include,"],
                                       "full_text/adam.csv": ["r03,exclude,wrong population"]})
    code, shown = _on_a_terminal(["screen", "reconcile", "--reviewer", "carol", "--stage", "full_text", "--project",
                                  root], "iq", monkeypatch)
    assert code == 0, shown
    settled = root / "screening" / "full_text" / "reconciliation" / "carol.csv"
    assert settled.read_text(encoding="utf-8").splitlines()[1].startswith("r03,include,,carol,")
    assert not (root / "screening" / "title_abstract" / "reconciliation").exists()


def test_screen_import_counts_the_decisions_the_log_holds_already_and_adds_one_made_at_the_same_time(tmp_path):
    root = _screening(tmp_path / "p", TWO_CONFLICTS)
    log = root / "screening" / "title_abstract" / "zoe.csv"
    sheet = tmp_path / "sheet.csv"
    # r01 and r02 as the log has them; r03 changed at the very time of the log's row (2026-01-03T10:00:00Z): not
    # older than it, so imported (only a decision dated before the log's is kept out)
    sheet.write_text("record_id,decision,timestamp\nr01,include,2026-01-01T10:00:00Z\nr02,include,2026-01-02T10:00:00Z\n"
                     "r03,exclude,2026-01-03T10:00:00Z\n", encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zoe", "--project", root, sheet)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"decisions export {sheet}: added 1 decision to {log}; 2 unchanged; 0 rows without a "
                             "decision in the export\n")
    assert log.read_text(encoding="utf-8").splitlines()[-1].startswith("r03,exclude,,zoe,2026-01-03T10:00:00Z")


def test_screen_import_lists_an_unmatched_row_by_the_first_80_characters_of_its_title(tmp_path):
    root = _screening(tmp_path / "p", {})
    sheet = tmp_path / "sheet.csv"
    title = "A randomised trial of something no record of the review is about with a very long title indeed"
    sheet.write_text(f"title,decision\n{title},include\n", encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zoe", "--project", root, sheet)
    assert result.exit_code == 1
    (listed,) = [line for line in result.stderr.splitlines() if line.startswith("  line 2: ")]
    assert listed.endswith(f" — {title[:80]}") and len(title) > 80


def test_screen_simulate_refuses_priors_both_given_and_drawn(tmp_path):
    data = _labelled(tmp_path / "data.csv")
    result = _invoke("screen", "simulate", data, "--out", tmp_path / "order.csv", "--prior", "3",
                     "--n-prior-included", "2")
    assert result.exit_code == 2 and not (tmp_path / "order.csv").exists()
    assert result.stderr.endswith("\nerror: give either --prior ROW … or --n-prior-included/--n-prior-excluded/"
                                  "--prior-seed\n")


def test_screen_simulate_reads_the_label_column_named(tmp_path):
    data = _labelled(tmp_path / "data.csv")
    data.write_text(data.read_text(encoding="utf-8").replace("label_included", "Gold"), encoding="utf-8")
    result = _invoke("screen", "simulate", data, "--out", tmp_path / "order.csv", "--label-column", "gold")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["screened"] == 38
    assert len((tmp_path / "order.csv").read_text(encoding="utf-8").splitlines()) == 41  # the header and 40 rows


def test_screen_without_a_reviewer_or_a_subcommand_is_refused_naming_both(tmp_path):
    root = _screening(tmp_path / "p", {})
    result = _invoke("screen", "--project", root)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.endswith("\nerror: give --reviewer NAME to screen, or a subcommand (status, conflicts, "
                                  "reconcile, import)\n")


def test_screen_status_assesses_the_stopping_rule_asked_for_of_each_reviewer_who_screened(tmp_path):
    # carol opened the screen and decided nothing: her log holds only its header, and the rule says nothing of her
    root = _screening(tmp_path / "p", {**TWO_CONFLICTS, "title_abstract/carol.csv": []})
    result = _invoke("screen", "status", "--recall", "0.9", "--confidence", "0.8", "--project", root)
    assert result.exit_code == 0, result.output
    rule = [line for line in result.stdout.splitlines() if line.startswith("  stopping rule")]
    assert rule == [f"  stopping rule, {name}: recall ≥ 90 % can be claimed with 80 % confidence now (every record "
                    "screened)" for name in ("zoe", "adam")]
    assert "  carol            0      4        0        0      0\n" in result.stdout


def test_screen_import_of_a_rayyan_export_takes_the_decisions_of_the_name_given(tmp_path):
    root = _screening(tmp_path / "p", {})
    export = tmp_path / "articles.csv"
    export.write_text('key,title,notes\n3,Trial 3 of ultrasound guidance,"RAYYAN-INCLUSION: {""Alice""=>""Included"", '
                      '""Bob""=>""Excluded""}"\n', encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zoe", "--rayyan-name", "Bob", "--project", root, export)
    assert result.exit_code == 0, result.output
    assert _zoe_decisions(root) == [("r03", "exclude")]


def test_screen_import_lists_an_unmatched_row_without_a_title_as_such(tmp_path):
    root = _screening(tmp_path / "p", {})
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("record_id,decision\nr99,include\n", encoding="utf-8")
    result = _invoke("screen", "import", "--reviewer", "zoe", "--project", root, sheet)
    assert result.exit_code == 1
    (listed,) = [line for line in result.stderr.splitlines() if line.startswith("  line 2: ")]
    assert listed.endswith(" — (no title)")


def test_screen_simulate_refuses_a_prior_seed_with_priors_given(tmp_path):
    data = _labelled(tmp_path / "data.csv")
    result = _invoke("screen", "simulate", data, "--out", tmp_path / "order.csv", "--prior", "3", "--prior-seed", "4")
    assert result.exit_code == 2 and not (tmp_path / "order.csv").exists()
    assert "error: give either --prior ROW … or" in result.stderr


def test_screen_simulate_draws_the_number_of_priors_asked_for(tmp_path):
    relevant = (3, 11, 17, 25)
    data = _labelled(tmp_path / "data.csv", relevant=relevant)
    result = _invoke("screen", "simulate", data, "--out", tmp_path / "order.csv", "--n-prior-included", "2",
                     "--n-prior-excluded", "3", "--prior-seed", "5")
    assert result.exit_code == 0, result.output
    priors = json.loads(result.stdout)["priors"]
    assert len(priors) == 5 and sum(row in relevant for row in priors) == 2
