"""`sysrev check` in detail (mutation tests of the onboarding module): each stage's problems reach the listing
with their severity and exact words, one problem never hides the others, and the files counted."""

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.project import project_at
from sysrev.project_check import check_project

REVIEW = """[review]
title = "A review"

[arms]
group1 = "A"
group2 = "B"

[screening]
reviewers = ["ann", "bob"]
exclusion_reasons = ["wrong design"]
highlight_terms = []
reviewers_per_record = 2
"""
LOG = "record_id,decision,reason,reviewer,timestamp\n"
DRAFT = ("warning: {root}/searches/{name}.toml: the query is still the starting point `sysrev init` built "
         "(draft = true); write the real search strategy, then delete the 'draft' line (search run and refresh "
         "leave it out)")


def write_files(root: Path, files: dict) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("files", "expected"), [
    # decision logs: every problem of every log (not the first only), each an error of its own
    ({"records/records.jsonl": '{"record_id": "R1"}\n',
      "screening/title_abstract/ann.csv": LOG + "R1,include,,ann,2024-01-01T00:00:00Z\n"
                                                "R9,exclude,,ann,2024-01-01T00:00:00Z\n"
                                                "R1,perhaps,,ann,2024-01-01T00:00:00Z\n"},
     ["error: {root}/screening/title_abstract/ann.csv, line 3: unknown record_id 'R9': not in records/records.jsonl",
      "error: {root}/screening/title_abstract/ann.csv, line 4: decision 'perhaps' is not one of "
      "include, exclude, maybe"]),
    ({"screening/title_abstract/ann.csv": LOG},
     ["error: {root}/records/records.jsonl: no deduplicated records yet; run `sysrev dedup` first"]),
    ({"screening/title_abstract/notes.txt": "not a log"}, []),
    # strategies: one wrong (schema or stage rule) never hides the next; a draft is a warning
    ({"searches/a.toml": 'database = "pubmed"\nquery = "x"\nzzz = 1\n',
      "searches/b.toml": 'database = "pubmed"\nquery = "x"\nmindate = "2030"\nmaxdate = "2020"\n',
      "searches/c.toml": 'database = "pubmed"\nquery = "x"\ndraft = true\n',
      "searches/d.toml": 'database = "scopus"\nquery = "y"\ndraft = true\n'},
     ["error: {root}/searches/a.toml, line 3: unknown key 'zzz' in the top level (allowed: name, database, query, "
      "datetype, mindate, maxdate, file, description, source, reconstruction, draft)",
      "error: {root}/searches/b.toml: mindate 2030 is after maxdate 2020",
      DRAFT.replace("{name}", "c"), DRAFT.replace("{name}", "d")]),
    # exemptions: a row without a study is not also "not in studies.csv"; a blank line is no row
    ({"analysis/extraction/studies.csv": "study\nS1\n",
      "analysis/exemptions.csv": "study,stage,outcome,reason\n\n,rob2,*,no study\nS2,rob2,*,typo\nS1,rob2,*,ok\n"},
     ["error: {root}/analysis/exemptions.csv, line 3: every exemption needs a study and a reason",
      "error: {root}/analysis/exemptions.csv, line 4, column 'study': study 'S2' is not in "
      "analysis/extraction/studies.csv, so this exemption applies to nothing"]),
])
def test_each_stage_problem_is_listed_once_with_its_severity(tmp_path, files, expected):
    write_files(tmp_path, {"review.toml": REVIEW, **files})
    issues, _ = check_project(project_at(tmp_path))
    shown = [str(issue) for issue in issues if "no extraction rows yet" not in str(issue)]
    assert shown == [line.replace("{root}", str(tmp_path)) for line in expected]


def test_a_wrong_exemptions_header_does_not_hide_the_rest_of_the_check(tmp_path):
    """The header error of analysis/exemptions.csv stopped `sysrev check` there: the warnings and errors of
    every other file, and the summary, were never shown."""
    write_files(tmp_path, {"review.toml": REVIEW, "analysis/exemptions.csv": "study,stage,reason\nS1,rob2,x\n",
                           "analysis/extraction/studies.csv": "study\nS1\n",
                           "searches/c.toml": 'database = "pubmed"\nquery = "x"\ndraft = true\n',
                           ".sysrev/web-users.json": '{"carol": "hash"}'})
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {tmp_path}/analysis/exemptions.csv, line 1: the header must be study,stage,outcome,reason",
        f"error: 1 error, 3 warnings in {tmp_path}"]
    assert DRAFT.format(root=tmp_path, name="c") in result.stdout.splitlines()
    assert (f"warning: {tmp_path}/.sysrev/web-users.json: account 'carol' is not a reviewer in review.toml "
            "[screening] reviewers, so it cannot screen") in result.stdout.splitlines()


def test_a_wrong_review_toml_is_fixed_first_and_leftovers_are_always_listed(tmp_path):
    write_files(tmp_path, {"review.toml": REVIEW + "zzz = 1\n",
                           "searches/c.toml": 'database = "pubmed"\nquery = "x"\ndraft = true\n',
                           "searches/.c.toml.sysrev-abcd1234.tmp": "half"})
    hours_ago = time.time() - 5.5 * 3600
    os.utime(tmp_path / "searches" / ".c.toml.sysrev-abcd1234.tmp", (hours_ago, hours_ago))
    issues, checked = check_project(project_at(tmp_path))
    assert checked == 2
    assert [(issue.severity, str(issue)) for issue in issues] == [
        ("error", f"error: {tmp_path}/review.toml, line 13: unknown key 'zzz' in [screening] (allowed: reviewers, "
                  "exclusion_reasons, highlight_terms, reviewers_per_record, not_retrieved_reason)"),
        ("warning", f"warning: {tmp_path}/searches/.c.toml.sysrev-abcd1234.tmp: temporary file of a write of "
                    f"{tmp_path}/searches/c.toml that was interrupted (the process was killed or the computer "
                    "stopped) 5 h ago and never completed; c.toml is unaffected: it holds its last completed "
                    "write. It can be deleted (`sysrev check --remove-leftovers`)")]


def test_the_summary_counts_every_configuration_file(tmp_path):
    write_files(tmp_path, {"review.toml": REVIEW, "searches/a.toml": 'database = "pubmed"\nquery = "x"\n',
                           "searches/b.toml": 'database = "scopus"\nquery = "x"\n',
                           "analysis/analyses.toml": '[analyses.main]\noutcome = "pain"\nmeasure = "MD"\n'})
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path}: 4 configuration files valid, 0 warnings\n"
