"""`sysrev check` in detail (mutation tests of the onboarding module): each stage's problems reach the listing
with their severity and exact words, one problem never hides the others, and the files counted."""

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_config_schema import REVIEW  # the smallest valid review.toml

from sysrev.cli.main import cli
from sysrev.project import project_at
from sysrev.project_check import check_project

OUTCOME = REVIEW + '\n[[outcomes]]\nname = "pain"\ntype = "continuous"\n'
ROWS = "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"
NO_ROWS = "warning: {root}/analysis/extraction: no extraction rows yet (in *.csv files other than studies.csv)"
LOG = "record_id,decision,reason,reviewer,timestamp\n"
DRAFT = ("warning: {root}/searches/{name}.toml: the query is still the starting point `sysrev init` built "
         "(draft = true); write the real search strategy, then delete the 'draft' line (search run and refresh "
         "leave it out)")


def write_files(root: Path, files: dict) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (root / name).write_bytes(text)
        else:
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
     [NO_ROWS, "error: {root}/analysis/exemptions.csv, line 3: every exemption needs a study and a reason",
      "error: {root}/analysis/exemptions.csv, line 4, column 'study': study 'S2' is not in "
      "analysis/extraction/studies.csv, so this exemption applies to nothing"]),
    ({"analysis/exemptions.csv": "study,stage,outcome,reason\nS1,rob2,*,no study table yet\n"}, []),
    ({"analysis/exemptions.csv": "study,stage,outcome,reason\nS1,rob2,*,x\n",
      "analysis/extraction/studies.csv": b"study\nS\xe9\n"},
     ["error: {root}/analysis/extraction/studies.csv, line 2: not valid UTF-8 (byte 0xe9: invalid continuation "
      "byte); save the table as UTF-8 (Excel: CSV UTF-8)"]),
    # analyses: a stage rule broken; the exemptions' outcomes are then not checked against them
    ({"analysis/analyses.toml": '[analyses.main]\noutcome = "pain"\nmeasure = "MD"\nlevel = 120\n',
      "analysis/exemptions.csv": "study,stage,outcome,reason\nS1,rob2,nope,x\n"},
     ["error: {root}/analysis/analyses.toml, line 4: level must be a confidence level in percent, e.g. 95"]),
    # extraction: a finding of no file, one of a line without a column, none twice
    ({"review.toml": OUTCOME, "analysis/extraction/form.toml": '[scales.VAS]\nhigher = "worse"\n[scales.QOL]\n'
                                                               'higher = "better"\n',
      "analysis/extraction/pain.csv": ROWS + "S1,pain,,,A,20,3.0,1,,VAS,T,,,,\nS1,pain,,,B,20,4.0,1.0,,VAS,T,,,,\n"
                                             "S2,pain,,,A,20,3.0,1,,QOL,T,,,,\nS2,pain,,,B,20,4.0,1.0,,QOL,T,,,,\n"},
     ["error: analysis 'pain' mixes scale directions (higher is better: QOL; higher is worse: VAS); reverse one "
      "set of values and record it in 'method'"]),
    ({"review.toml": OUTCOME, "analysis/extraction/form.toml": '[scales.VAS]\nhigher = "worse"\nzzz = 1\n',
      "analysis/extraction/pain.csv": ROWS + "S1,pain,,,A,20,3.0,1,,VAS,T,,,,\nS1,pain,,,B,20,4.0,1.0,,VAS,T,,,,\n"
                                             "S1,pain,,,B,20,4.0,1.0,,VAS,T,,,,\n"},
     ["error: {root}/analysis/extraction/form.toml, line 3: unknown key 'zzz' in [scales.VAS] (allowed: higher, "
      "range, description)",
      "error: {root}/analysis/extraction/pain.csv, line 4: duplicate row for study='S1' outcome='pain' item='' "
      "timepoint='' arm='B' (first at line 3)"]),
    # full texts, web accounts and the refresh inbox
    ({"fulltext/manifest.csv": "record_id,status\nR1,lost\nR2,gone\n", ".sysrev/web-users.json": '{"ann": "h", '
                                                                                                '"carol": "h"}',
      "searches/a.toml": 'database = "file"\nfile = "x.ris"\n', "searches/inbox/wrong/x.ris": ""},
     ["error: {root}/fulltext/manifest.csv, line 2, column 'status': status 'lost' is not one of retrieved, "
      "needs_library_access, failed",
      "error: {root}/fulltext/manifest.csv, line 3, column 'status': status 'gone' is not one of retrieved, "
      "needs_library_access, failed",
      "warning: {root}/.sysrev/web-users.json: account 'carol' is not a reviewer in review.toml [screening] "
      "reviewers, so it cannot screen",
      "error: {root}/searches/inbox/wrong: the inbox takes one folder per database = \"file\" strategy, named "
      "after it (a); move the export into {root}/searches/inbox/<strategy>/"]),
    ({"fulltext/manifest.csv": "record_id,state\nR1,lost\n", ".sysrev/web-users.json": '{"ann": ',
      "searches/a.toml": 'database = "file"\nzzz = 1\n', "searches/inbox/wrong/x.ris": ""},
     ["error: {root}/searches/a.toml, line 2: unknown key 'zzz' in the top level (allowed: name, database, query, "
      "datetype, mindate, maxdate, file, description, source, reconstruction, draft)",
      "error: {root}/fulltext/manifest.csv, line 1: the header lacks status",
      "error: {root}/.sysrev/web-users.json: not valid JSON (Expecting value: line 1 column 9 (char 8))"]),
    # a file that is not TOML at all
    ({"searches/a.toml": "database = \n"},
     ["error: {root}/searches/a.toml: invalid TOML: Invalid value (at line 1, column 12)"]),
])
def test_each_stage_problem_is_listed_once_with_its_severity(tmp_path, files, expected):
    write_files(tmp_path, {"review.toml": REVIEW, **files})
    issues, _ = check_project(project_at(tmp_path))
    assert [str(issue) for issue in issues] == [line.replace("{root}", str(tmp_path)) for line in expected]


def test_rob_forms_problems_are_listed_with_their_place_and_severity(tmp_path):
    """A form the schema refused is not checked again, and the forms after it still are."""
    write_files(tmp_path, {"review.toml": REVIEW,
                           "analysis/rob2/A--pain.toml": 'study = "A"\noutcome = "pain"\nzzz = 1\n',
                           "analysis/rob2/S1--pain.toml": 'study = "S1"\noutcome = "pain"\n[D1]\noverride = "low"\n'
                                                          'justification = "j"\n[D1.answers]\n"1.1" = "Y"\n'
                                                          '"1.2" = "Y"\n"1.3" = "N"\n'})
    shown = [str(issue).replace(str(tmp_path), "{root}") for issue in check_project(project_at(tmp_path))[0]]
    assert shown[:3] == [
        "error: {root}/analysis/rob2/A--pain.toml, line 3: unknown key 'zzz' in the top level (allowed: study, "
        "outcome, assessor, result, sources, effect, date, notes, D1, D2, D3, D4, D5, overall)",
        "warning: {root}/analysis/rob2/S1--pain.toml, line 4 [D1.override]: override 'low' equals the algorithm's "
        "judgement; it can be removed",
        "error: {root}/analysis/rob2/S1--pain.toml [D2.answers.2.1]: missing answer"]
    assert len(shown) == 11 and all(line.endswith(": missing answer") for line in shown[2:])


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


def test_the_records_are_read_once_and_a_merged_records_notice_is_a_warning(tmp_path, monkeypatch):
    """check reads records.jsonl once for the snapshots' check, the logs and studies.csv (it read it three times,
    seconds each at tens of thousands of records); a reviewer who decided two copies dedup later merged in two
    ways gets a warning naming both rows (a notice: the record is back in their queue), not an error."""
    import sysrev.dedup.project_run

    merged = {"dedup_replaces": ["R2"], "dedup_merged": {"R2": {"at": "2026-12-02T00:00:00Z", "first_source": "x"}}}
    write_files(tmp_path, {
        "review.toml": REVIEW, "records/records.jsonl": f'{{"record_id": "R1", "extra": {json.dumps(merged)}}}\n',
        "screening/title_abstract/ann.csv": LOG + "R1,include,,ann,2024-01-01T00:00:00Z\n"
                                                  "R2,exclude,,ann,2024-01-01T00:00:00Z\n",
        "analysis/extraction/studies.csv": "study,records\nAble 2020,R1\nBaker 2021,R7\n"})
    reads = []
    original = sysrev.dedup.project_run._read_records
    monkeypatch.setattr(sysrev.dedup.project_run, "_read_records", lambda path: reads.append(path) or original(path))
    issues, _ = check_project(project_at(tmp_path))
    assert len(reads) == 1
    listed = [(issue.severity, str(issue)) for issue in issues]
    assert ("error", f"error: {tmp_path}/analysis/extraction/studies.csv, line 3, column 'records': record R7 "
                     "(study 'Baker 2021') is not in records/records.jsonl") in listed  # against the records read once
    [(severity, notice)] = [entry for entry in listed if "R2" in entry[1]]
    assert severity == "warning" and notice.startswith(f"warning: {tmp_path}/screening/title_abstract/ann.csv")
    assert "line 2" in notice and "line 3" in notice and "include" in notice and "exclude" in notice
