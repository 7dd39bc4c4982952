"""The one configuration schema: misspelt keys in every file kind, wrong types, missing keys, `sysrev check`,
and the generated reference pages."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.analyses import load_analyses
from sysrev.cli.main import cli
from sysrev.config_schema import ConfigError, reference_pages
from sysrev.extraction.form import load_form
from sysrev.project import load_project
from sysrev.rob.form import load_assessment
from sysrev.search.strategies import load_strategy
from sysrev.toml_lines import key_lines

REPO = Path(__file__).resolve().parents[2]

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

ANALYSES = """[analyses.main]
outcome = "pain"
measure = "MD"
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(load, *args) -> str:
    with pytest.raises(ConfigError) as info:
        load(*args)
    return str(info.value)


def test_review_toml_typo_is_refused_with_line_and_suggestion(tmp_path):
    # the issue's own example: a typo turned dual screening into single screening without a word
    write(tmp_path, "review.toml", REVIEW.replace("reviewers_per_record", "reviewers_per_recrod"))
    message = refused(load_project, tmp_path)
    assert "review.toml, line 12: unknown key 'reviewers_per_recrod' in [screening]" in message
    assert "did you mean 'reviewers_per_record'?" in message


def test_strategy_typo_is_refused(tmp_path):
    path = write(tmp_path, "searches/pubmed.toml", 'database = "pubmed"\nquery = "x"\nmaxdat = "2020"\n')
    message = refused(load_strategy, path)
    assert "pubmed.toml, line 3: unknown key 'maxdat'" in message and "did you mean 'maxdate'?" in message


def test_analyses_typo_is_refused(tmp_path):
    write(tmp_path, "review.toml", REVIEW)
    write(tmp_path, "analysis/analyses.toml", ANALYSES + 'modle = "random"\n\n[analyses.main.target]\n'
                                                         'source = "paper"\nestimat = "1.0"\n')
    message = refused(load_analyses, load_project(tmp_path))
    assert "analyses.toml, line 4: unknown key 'modle' in [analyses.main]; did you mean 'model'?" in message
    # every problem of the file, not only the first
    assert "line 8: unknown key 'estimat' in [analyses.main.target]; did you mean 'estimate'?" in message


def test_extraction_form_typo_is_refused(tmp_path):
    write(tmp_path, "form.toml", '[scales.VAS]\nhigher = "worse"\nrnage = [0, 10]\n')
    message = refused(load_form, tmp_path)
    assert "form.toml, line 3: unknown key 'rnage' in [scales.VAS]; did you mean 'range'?" in message


def test_rob_form_typo_is_refused(tmp_path):
    path = write(tmp_path, "rob2/Trial--pain.toml",
                 'study = "Trial"\noutcome = "pain"\n\n[D2]\njustifcation = "x"\n[D2.answers]\n"2.1" = "N"\n')
    message = refused(load_assessment, path)
    assert "Trial--pain.toml, line 5: unknown key 'justifcation' in [D2]; did you mean 'justification'?" in message


def test_grade_file_typo_is_refused(tmp_path):
    from sysrev.grade.files import read_grade_file

    path = write(tmp_path, "grade/main.toml", 'analysis = "main"\n\n[imprecision]\nproposed = "serious"\n'
                                              'finale = "serious"\n')
    message = refused(read_grade_file, path)
    assert "main.toml, line 5: unknown key 'finale' in [imprecision]; did you mean 'final'?" in message


def test_wrong_types_choices_and_missing_keys_are_all_listed(tmp_path):
    write(tmp_path, "review.toml", """[review]
question = "q"

[[databases]]
name = "PubMed"

[[databases]]
nme = "Scopus"

[[outcomes]]
name = "pain"
type = "continous"
timepoints = "1 week"
""")
    problems = [str(p) for p in pytest.raises(ConfigError, load_project, tmp_path).value.problems]
    assert len(problems) == 5
    assert any("line 1: [review] needs 'title'" in p for p in problems)
    assert any("line 8: unknown key 'nme' in [[databases]] #2; did you mean 'name'?" in p for p in problems)
    assert any("line 7: [[databases]] #2 needs 'name'" in p for p in problems)
    assert any("line 12: type = 'continous' is not one of 'continuous', 'dichotomous'; did you mean 'continuous'?"
               in p for p in problems)
    assert any("line 13: timepoints must be a list of strings, not str '1 week'" in p for p in problems)


def test_check_lists_every_problem_of_every_file(tmp_path):
    write(tmp_path, "review.toml", REVIEW)
    write(tmp_path, "searches/pubmed.toml", 'database = "pubmed"\nquery = "x"\nmindat = "2000"\n')
    write(tmp_path, "searches/scopus.toml", 'database = "scopuss"\nquery = "x"\n')
    write(tmp_path, "analysis/analyses.toml", ANALYSES + "level = 95\npooled_sd = 1\n")
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4, result.stderr  # three problems and the summary
    assert "pubmed.toml, line 3: unknown key 'mindat'" in errors[0]
    assert "scopus.toml, line 1: database = 'scopuss'" in errors[1] and "did you mean 'scopus'?" in errors[1]
    assert "analyses.toml, line 5: pooled_sd must be true or false, not int 1" in errors[2]
    assert errors[3].startswith("error: 3 errors")


def test_check_lists_stage_problems_too(tmp_path):
    write(tmp_path, "review.toml", REVIEW + '\n[[outcomes]]\nname = "pain"\ntype = "continuous"\n')
    write(tmp_path, "analysis/extraction/pain.csv",
          "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"
          "S1,pain,,,A,20,3.0,-1,,VAS,T2,,,,\nS1,pain,,,B,20,4.0,1.0,,VAS,T2,,,,\n")
    write(tmp_path, "analysis/rob2/S1--pain.toml", 'study = "S1"\noutcome = "pain"\n[D1.answers]\n"1.1" = "Maybe"\n')
    write(tmp_path, "searches/pubmed.toml", 'database = "pubmed"\nquery = "x"\nmindate = "2030"\nmaxdate = "2020"\n')
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any("pubmed.toml: mindate 2030 is after maxdate 2020" in e for e in errors)
    assert any("pain.csv, line 2, column 'sd'" in e for e in errors)
    assert any("S1--pain.toml, line 4" in e and "'Maybe'" in e for e in errors)
    assert errors[-1].startswith("error: 3 errors")


def test_check_passes_a_valid_project(tmp_path):
    write(tmp_path, "review.toml", REVIEW)
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert result.exit_code == 0 and "1 configuration file valid" in result.output


def test_bundled_review_and_example_pass_the_schema():
    for root in (REPO, *sorted(p for p in (REPO / "examples").iterdir() if (p / "review.toml").is_file())):
        result = CliRunner().invoke(cli, ["check", "--project", str(root)])
        assert result.exit_code == 0, result.output


def test_reference_pages_match_the_schema():
    """docs/reference/ is generated from the schema; regenerate with `python -m sysrev.config_schema`."""
    folder = REPO / "docs" / "reference"
    for name, text in reference_pages().items():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"docs/reference/{name} is out of date: run `python -m sysrev.config_schema`")
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(reference_pages())


def test_key_lines_follow_arrays_dotted_keys_and_multiline_values():
    text = '\n'.join([
        'a = """',            # 1
        'b = 1',              # 2: inside a string, not a key
        '"""',                # 3
        '[[db]]',             # 4
        'name = "x"',         # 5
        '[[db]]',             # 6
        'list = [',           # 7
        '  "c = 2",',         # 8: inside an array
        ']',                  # 9
        '[t."a b"]',          # 10
        'x.y = { z = 1 }',    # 11
    ])
    lines = key_lines(text)
    assert lines[("a",)] == 1 and ("b",) not in lines
    assert lines[("db", 0, "name")] == 5 and lines[("db", 1)] == 6 and lines[("db", 1, "list")] == 7
    assert ("db", 1, "c") not in lines
    assert lines[("t", "a b")] == 10 and lines[("t", "a b", "x", "y", "z")] == 11


def test_check_lists_the_problems_of_the_files_later_stages_added(tmp_path):
    """studies.csv's records column, exemptions.csv, the full-text manifest, web accounts and the refresh
    inbox are checked too, every problem listed (not only the first of each file)."""
    write(tmp_path, "review.toml", REVIEW + '\n[[outcomes]]\nname = "pain"\ntype = "continuous"\n')
    write(tmp_path, "analysis/analyses.toml", ANALYSES)
    write(tmp_path, "records/records.jsonl", '{"record_id": "R1"}\n{"record_id": "R2"}\n')
    write(tmp_path, "analysis/extraction/studies.csv", "study,records\nS1,R1\nS2,R1; R9\n")
    write(tmp_path, "analysis/exemptions.csv", "study,stage,outcome,reason\nS1,extraction,pain,not reported\n"
                                               "S1,extract,pain,typo in stage\nS3,rob2,*,no such study\n"
                                               "S2,rob2,ODI,no such analysis\n")
    write(tmp_path, "fulltext/manifest.csv", "record_id,status\nR1,retrieved\nR2,lost\n")
    write(tmp_path, ".sysrev/web-users.json", '{"carol": "hash"}')
    write(tmp_path, "searches/pubmed.toml", 'database = "pubmed"\nquery = "x"\n')
    (tmp_path / "searches" / "inbox" / "pubmed").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.output.splitlines()  # errors (stderr) and warnings (stdout)
    expected = [
        "studies.csv, line 3, column 'records': record R1 is listed under study 'S2' and under study 'S1'",
        "studies.csv, line 3, column 'records': record R9 (study 'S2') is not in records/records.jsonl",
        "exemptions.csv, line 3, column 'stage': stage 'extract' must be one of extraction, rob2",
        "exemptions.csv, line 5, column 'outcome': outcome 'ODI' is not the outcome of any analysis",
        "exemptions.csv, line 4, column 'study': study 'S3' is not in analysis/extraction/studies.csv",
        "manifest.csv, line 3, column 'status': status 'lost' is not one of",
        "web-users.json: account 'carol' is not a reviewer in review.toml",
        "inbox/pubmed: the inbox takes one folder per database = \"file\" strategy",
    ]
    for text in expected:
        assert any(text in line for line in lines), (text, result.output)


def test_check_reads_every_snapshot_and_the_deduplicated_records(tmp_path):
    """A snapshot edited after it was written (records missing against its manifest) and a records file cut
    off mid-line passed `sysrev check` as valid; every later stage reads them."""
    project = tmp_path / "r"
    assert CliRunner().invoke(cli, ["init", str(project), "--no-input", "--no-git"]).exit_code == 0
    fixture = REPO / "tests" / "fixtures" / "formats" / "complete" / "three.nbib"
    for args in (["import", str(fixture), "--source", "pubmed"], ["dedup"]):
        assert CliRunner().invoke(cli, [*args, "--project", str(project)]).exit_code == 0
    check = ["check", "--project", str(project)]
    assert CliRunner().invoke(cli, check).exit_code == 0
    snapshot = next((project / "searches" / "runs").glob("*-pubmed")) / "records.jsonl"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    records = project / "records" / "records.jsonl"
    records.write_text(records.read_text(encoding="utf-8")[:40], encoding="utf-8")
    result = CliRunner().invoke(cli, check)
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert any("records.jsonl: holds 1 records but the manifest says 3" in e for e in errors), result.output
    assert sum("records/records.jsonl, line 1: invalid JSON" in e for e in errors) == 1, result.output
