"""The rows of one log with the same problem are shown on one line that names them all. The case behind it: a
reviewer renamed in review.toml (alice → ann) and in the log's file name, but not in its rows, made one
"unknown reviewer" error per row — 12,000 identical lines from `sysrev check` on a 17,364-record project, which
buried every other problem. Each row stays a problem of its own (nothing of it is counted); only the display
groups them, and the message says what to do."""

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.project import load_project
from sysrev.screening.log import LogProblem, ScreeningLogError, grouped
from sysrev.screening.state import load_screening

HEADER = "record_id,decision,reason,reviewer,timestamp\n"


def _renamed(make_project, rows: int):
    """alice renamed ann in review.toml and in her log's name; the log's rows still say alice."""
    project = make_project()
    toml = project.root / "review.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"alice", "bob"', '"ann", "bob"'), encoding="utf-8")
    log = project.root / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(HEADER + "".join(f"r0{i % 8 + 1},exclude,,alice,2026-12-01T10:00:00Z\n" for i in range(rows))
                   + "r01,perhaps,,ann,2026-12-02T10:00:00Z\n", encoding="utf-8")
    return load_project(project.root), log


def test_a_renamed_reviewer_is_one_line_that_names_every_row_and_says_what_to_do(make_project):
    project, log = _renamed(make_project, 40)
    screening = load_screening(project, strict=False)
    assert len(screening.problems) == 41  # each row is still a problem of its own: none of them counts
    renamed = ("unknown reviewer 'alice': not in [screening] reviewers of review.toml (if 'alice' is now 'ann', "
               "whose log this is, change the name in the log's rows too)")
    assert grouped(screening.problems) == [
        f"{log}, lines 2–41 (40 rows): {renamed}",
        f"{log}, line 42: decision 'perhaps' is not one of include, exclude, maybe"]
    result = CliRunner().invoke(cli, ["check", "--project", str(project.root)])
    assert f"error: {log}, lines 2–41 (40 rows): {renamed}\n" in result.output
    assert f"error: {log}, line 42: decision 'perhaps'" in result.output
    assert result.output.count(f"error: {log}") == 2  # before: 41 lines


def test_the_error_that_stops_a_command_lists_the_groups_and_counts_the_rows(make_project):
    project, log = _renamed(make_project, 3)
    message = str(ScreeningLogError(load_screening(project, strict=False).problems))
    assert message.startswith("4 problems in the screening logs (fix or remove the rows; nothing was counted):\n"
                              f"  {log}, lines 2–4 (3 rows): unknown reviewer 'alice'")
    assert message.endswith(f"\n  {log}, line 5: decision 'perhaps' is not one of include, exclude, maybe")


def test_rows_apart_are_named_as_ranges_and_a_long_list_is_cut(tmp_path):
    log = tmp_path / "bob.csv"
    same = [LogProblem(log, line, "row of reviewer 'ann' in the log of 'bob'") for line in (9, 2, 3, 4, 7)]
    other = LogProblem(log, 5, "empty record_id")
    assert grouped([same[0], other, *same[1:]]) == [
        f"{log}, lines 2–4, 7, 9 (5 rows): row of reviewer 'ann' in the log of 'bob'",
        f"{log}, line 5: empty record_id"]
    scattered = [LogProblem(log, line, "empty record_id") for line in range(2, 40, 2)]
    assert grouped(scattered) == [f"{log}, lines 2, 4, 6, 8, 10, 12, … (19 rows): empty record_id"]


def test_the_same_problem_in_two_files_or_at_file_level_is_not_merged(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    problems = [LogProblem(a, 2, "empty record_id"), LogProblem(b, 2, "empty record_id"),
                LogProblem(a, None, "header must be …"), LogProblem(a, None, "header must be …")]
    assert grouped(problems) == [f"{a}, line 2: empty record_id", f"{b}, line 2: empty record_id",
                                 f"{a}: header must be …", f"{a}: header must be …"]
