"""`sysrev check` in detail (mutation tests of the onboarding module): each stage's problems reach the listing
with their severity and exact words, one problem never hides the others, and the files counted."""

from pathlib import Path

from click.testing import CliRunner

from sysrev.cli.main import cli

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
DRAFT = ("warning: {root}/searches/{name}.toml: the query is still the starting point `sysrev init` built "
         "(draft = true); write the real search strategy, then delete the 'draft' line (search run and refresh "
         "leave it out)")


def write_files(root: Path, files: dict) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


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
