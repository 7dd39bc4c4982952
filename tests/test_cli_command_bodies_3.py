"""The click commands' own bodies, third part: what the survivors of a run of every mutant of `sysrev import`,
`dedup`, `dedup review`, `status`, `refresh` and (sampled) `screen` showed unchecked (benchmarks/
decorated_mutation.py mutates these bodies, which mutmut skips). Each test asserts what a user sees: the
output, its stream, the exit code, the files written."""

import csv
import getpass
import io
import sys

import pytest
from project_files import project_with as _project
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

TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
# the same title, authors and year in other journals, without volume or pages: a reviewer must decide
DOUBT = dict(TRIAL, journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
             authors=["Smith, J.", "Doe, Joan"])
THIRD = dict(TRIAL, journal="Interventional Pain Reports", volume="", issue="", pages="", authors=["Smith, J."])
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
