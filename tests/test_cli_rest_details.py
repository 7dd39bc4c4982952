"""The other commands' helpers in detail (`sysrev extract`, `meta`, `rob`, `grade`, `prisma`, `init`, `export`,
`search` and the top-level group): what each prints, to which stream, with which exit code, and what it parses,
writes or leaves unwritten."""

import errno
import importlib
import shutil
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

import sysrev
from sysrev.cli.main import _COMMANDS, _Group, cli
from sysrev.cli.prisma import _format as prisma_text


def _invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def _project(root, toml='[review]\ntitle = "T"\n', **files):
    root.mkdir(parents=True, exist_ok=True)
    (root / "review.toml").write_text(toml, encoding="utf-8")
    for name, text in files.items():
        path = root / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


SCREENING = ('[review]\ntitle = "T"\n[screening]\nreviewers = ["alice", "bob"]\n'
             'exclusion_reasons = ["wrong population"]\nhighlight_terms = []\n')

# ------------------------------------------------------------------------------------------------ the group


def _commands_text(group, width):
    formatter = click.HelpFormatter(width=width)
    group.format_commands(click.Context(group), formatter)
    return formatter.getvalue()


def test_the_lazy_command_list_reads_as_click_writes_it_from_the_commands_themselves():
    """Nothing loaded, every line comes from the short-help table; click's own list from the loaded commands is
    the reference, at several widths (the short help is cut to what the width leaves)."""
    ctx = click.Context(cli)
    loaded = click.Group("sysrev")
    for name in _COMMANDS:
        loaded.add_command(cli.get_command(ctx, name), name)
    for width in (50, 80, 120):
        lazy = _Group("sysrev")
        assert lazy.commands == {}
        assert _commands_text(lazy, width) == _commands_text(loaded, width), width
        assert lazy.commands == {}  # listing imported nothing


def test_a_loaded_command_is_listed_from_itself_and_a_hidden_one_not_at_all():
    group = _Group("sysrev")
    group.add_command(click.Command("aaa", help="A command of its own.  More text."), "aaa")
    group.add_command(click.Command("aab", help="Not listed.", hidden=True), "aab")
    text = _commands_text(group, 80)
    lines = text.splitlines()
    assert lines[0] == "Commands:"
    assert lines[1].split() == ["aaa", "A", "command", "of", "its", "own."]
    assert "aab" not in text and "Not listed" not in text
    assert [line.split()[0] for line in lines[1:] if line.startswith("  ") and not line.startswith("   ")] == \
        sorted(["aaa", *_COMMANDS])


def test_a_loaded_command_of_the_table_is_listed_from_its_own_help():
    group = _Group("sysrev")
    group.add_command(click.Command("check", help="Words of its own."), "check")
    lines = _commands_text(group, 80).splitlines()
    assert [line.split(None, 1) for line in lines if line.split()[0] == "check"] == [["check", "Words of its own."]]


def test_the_top_level_help_lists_every_command_in_order():
    result = _invoke("-h")
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:\n", 1)[1].splitlines()
    names = [line.split()[0] for line in listed if line.startswith("  ") and not line.startswith("   ")]
    assert names == sorted(_COMMANDS)


def test_each_command_is_found_under_its_own_name():
    ctx = click.Context(cli)
    for name, (module, attribute) in _COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is getattr(importlib.import_module(f"sysrev.cli.{module}"), attribute), name
        assert command.name == name
        assert cli.commands[name] is command
    assert cli.get_command(ctx, "nosuch") is None


def test_version_is_printed_and_nothing_else():
    result = _invoke("--version", "meta")
    assert result.exit_code == 0
    assert result.stdout == f"sysrev, version {sysrev.__version__}\n"
    assert result.stderr == ""


def test_version_is_not_printed_while_completing_a_command_line():
    ctx = cli.make_context("sysrev", ["--version"], resilient_parsing=True)
    assert ctx.resilient_parsing  # no exit, nothing printed: the shell is only completing


def test_a_usage_error_prints_usage_a_hint_and_one_error_line():
    result = _invoke("meta", "pool")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("Usage: cli meta pool [OPTIONS] DATA.csv\nTry 'cli meta pool -h' for help.\n\n"
                             "error: Missing argument 'DATA.csv'.\n")
    top = _invoke("--bogus")
    assert top.exit_code == 2
    assert top.stderr == ("Usage: cli [OPTIONS] COMMAND [ARGS]...\nTry 'cli -h' for help.\n\n"
                          "error: No such option '--bogus'.\n")


def test_a_click_error_that_is_not_a_usage_error_keeps_its_exit_code_and_has_no_usage_lines():
    @click.command("boom")
    def boom():
        raise click.ClickException("the machine said no")

    group = _Group("sysrev")
    group.add_command(boom)
    result = CliRunner().invoke(group, ["boom"])
    assert result.exit_code == 1
    assert result.stderr == "error: the machine said no\n"


def test_a_usage_error_without_a_context_is_one_error_line(capsys):
    """click attaches the context to the usage errors it raises; one raised without it (no usage to show) is
    still printed as the one error line, not a crash while printing."""
    from sysrev.cli.main import _OnePrefix

    wrapped = _OnePrefix(click.UsageError("no context here"))
    assert wrapped.exit_code == 2
    wrapped.show()
    assert capsys.readouterr().err == "error: no context here\n"


def test_a_command_without_a_help_option_gets_no_hint(tmp_path):
    @click.command("bare", add_help_option=False)
    @click.argument("thing")
    def bare(thing):
        """Needs a thing."""

    group = _Group("sysrev")
    group.add_command(bare)
    result = CliRunner().invoke(group, ["bare"])
    assert result.exit_code == 2
    assert result.stderr == "Usage: sysrev bare [OPTIONS] THING\nerror: Missing argument 'THING'.\n"


def test_a_sysrev_error_is_one_line_on_stderr_with_exit_code_2(tmp_path):
    result = _invoke("rob", "plot", "--project", _project(tmp_path / "p"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: nothing to draw: give --traffic-light FILE and/or --summary FILE\n"


@pytest.mark.parametrize(("error", "message"), [
    (OSError(errno.ENOSPC, "No space left on device", "/x/included.ris"),
     "error: /x/included.ris: No space left on device (free some space and run the command again; files are "
     "written whole or not at all, so nothing already saved was changed)\n"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"),
     "error: Disk quota exceeded (free some space and run the command again; files are written whole or not at "
     "all, so nothing already saved was changed)\n"),
    (OSError(errno.EROFS, "Read-only file system", "/x/included.ris"),
     "error: /x/included.ris: Read-only file system\n"),
    (OSError("no errno at all"), "error: no errno at all\n"),
    # the write's temporary sibling is refused: the message names the file being written
    (OSError(errno.EROFS, "Read-only file system", "/x/.Park_2013--pain.toml.sysrev-k3x9q2ab.tmp"),
     "error: /x/Park_2013--pain.toml: Read-only file system\n"),
])
def test_an_error_of_the_machine_names_the_file_and_what_it_means(tmp_path, monkeypatch, error, message):
    def fail(path, assessment):
        raise error

    monkeypatch.setattr("sysrev.rob.form.write_form", fail)
    result = _invoke("rob", "new", "Park 2013", "pain", "--dir", tmp_path / "forms")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


# ------------------------------------------------------------------------------------------------ options


def test_any_case_choice_reads_any_case_and_is_shown_as_documented(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("study,yi,se\nA,0.5,0.1\nB,0.3,0.2\n", encoding="utf-8")
    result = _invoke("meta", "pool", data, "--measure", "gen", "--model", "RANDOM", "--json")
    assert result.exit_code == 0, result.output
    assert '"measure": "GEN"' in result.stdout and '"model": "random"' in result.stdout
    bad = _invoke("meta", "pool", data, "--measure", "md2")
    assert bad.stderr.endswith("error: Invalid value for '--measure': 'md2' is not one of 'MD', 'SMD', 'RR', "
                               "'OR', 'RD', 'PETO', 'GEN'.\n")
    assert "  --measure [MD|SMD|RR|OR|RD|PETO|GEN]\n" in _invoke("meta", "pool", "-h").stdout


def test_a_file_command_writes_under_the_named_projects_lock_only(tmp_path, monkeypatch):
    import sysrev.locking

    locked, real = [], sysrev.locking.project_lock
    monkeypatch.setattr(sysrev.locking, "project_lock", lambda root, **kw: locked.append(root) or real(root, **kw))
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    header = "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"
    for path in (a, b):
        path.write_text(header + "S,pain,,,US,10,1,1,,,,,,,\n", encoding="utf-8")
    root = _project(tmp_path / "p")
    assert _invoke("extract", "compare", a, b).exit_code == 0
    assert _invoke("extract", "compare", a, b, "--project", root).exit_code == 0  # nothing written: no lock
    assert locked == []
    result = _invoke("extract", "compare", a, b, "--out", tmp_path / "c.csv", "--project", root)
    assert result.exit_code == 0, result.output
    assert locked == [root.resolve()] or locked == [root]


def test_a_named_project_is_checked_like_any_project(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("study,yi,se\nA,0.5,0.1\n", encoding="utf-8")
    result = _invoke("meta", "pool", a, "--measure", "GEN", "--project", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "review.toml" in result.stderr and result.stderr.startswith("error: ")


# ------------------------------------------------------------------------------------------------ sysrev prisma


def test_prisma_previous_counts_must_be_numbers_and_not_negative(tmp_path):
    root = _project(tmp_path / "p")
    for value, message in (("eight", "use STUDIES or STUDIES:REPORTS, e.g. 8 or 8:11"),
                           ("8:x", "use STUDIES or STUDIES:REPORTS, e.g. 8 or 8:11"),
                           ("-1", "counts cannot be negative"), ("3:-1", "counts cannot be negative")):
        result = _invoke("prisma", "--previous", value, "--project", root)
        assert result.exit_code == 2, (value, result.output)
        assert result.stderr.endswith(f"error: Invalid value: {message}\n"), (value, result.stderr)


def _counts(**changes):
    base = dict(in_progress=False, awaiting_detail=[], identified_total=10, registers=False,
                identified={"PubMed": 6, "Scopus": 4}, from_databases={}, from_registers={}, duplicates_removed=2,
                records_screened=8, records_excluded=3, records_awaiting=0, reports_sought=5,
                reports_not_retrieved=1, reports_assessed=4, reports_excluded={"wrong comparator": 1,
                                                                                "not randomised": 1},
                reports_awaiting=0, previous_studies=None, previous_reports=None, previous_reports_added=0,
                studies_included=2, reports_included=2, total_studies=None, total_reports=None)
    return SimpleNamespace(**(base | changes))


def test_prisma_text_of_a_finished_review():
    assert prisma_text(_counts()) == (
        "Records identified: 10\n  PubMed: 6\n  Scopus: 4\nDuplicate records removed: 2\nRecords screened: 8\n"
        "Records excluded: 3\nReports sought for retrieval: 5\nReports not retrieved: 1\n"
        "Reports assessed for eligibility: 4\nReports excluded: 2\n  wrong comparator: 1\n  not randomised: 1\n"
        "Studies included: 2 (reports: 2)")


def test_prisma_text_in_progress_with_registers_and_a_previous_version():
    text = prisma_text(_counts(
        in_progress=True, awaiting_detail=["title_abstract: 3 records await bob"], registers=True,
        from_databases={"PubMed": 6, "Scopus": 4}, from_registers={"ClinicalTrials.gov": 2}, identified_total=12,
        records_awaiting=3, reports_awaiting=1, previous_studies=5, previous_reports=7, previous_reports_added=1,
        total_studies=7, total_reports=9))
    assert text == (
        "IN PROGRESS: screening is not finished; the counts below are the counts so far\n"
        "  title_abstract: 3 records await bob\n"
        "Records identified: 12\n  Databases: 10\n    PubMed: 6\n    Scopus: 4\n  Registers: 2\n"
        "    ClinicalTrials.gov: 2\n"
        "Duplicate records removed: 2\nRecords screened: 8\nRecords excluded: 3\nRecords awaiting a decision: 3\n"
        "Reports sought for retrieval: 5\nReports not retrieved: 1\nReports assessed for eligibility: 4\n"
        "Reports excluded: 2\nReports awaiting a decision: 1\n  wrong comparator: 1\n  not randomised: 1\n"
        "New studies included: 2 (reports: 2)\n"
        "Studies in the previous version: 5 (reports: 7, 1 of them included by this update)\n"
        "Total studies included: 7 (reports: 9)")
    assert "of them included" not in prisma_text(_counts(previous_studies=5, previous_reports=7, total_studies=7,
                                                          total_reports=9))


# ------------------------------------------------------------------------------------------------ sysrev extract

HEADER = "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"


def _help_lines(*args):
    """The option lines of a command's help, each option's text joined onto one line."""
    result = _invoke(*args, "-h")
    assert result.exit_code == 0, result.output
    options, current = {}, None
    for line in result.stdout.split("Options:\n", 1)[1].splitlines():
        if line.startswith("  -"):
            name, _, text = line.strip().partition("  ")
            current = name.split()[0].rstrip(",")
            options[current] = text.strip()
        elif current:
            options[current] = f"{options[current]} {line.strip()}".strip()
    return options


def test_every_row_option_of_the_conversions_is_offered_with_its_help():
    options = _help_lines("extract", "convert", "sd-from-se")
    assert list(options) == ["--se", "--n", "--mean", "--project", "--study", "--outcome", "--item", "--timepoint",
                             "--arm", "--scale", "--source", "--source-url", "--note", "--append", "-h"]
    assert options["--study"] == "Study label, e.g. 'Park 2013'."
    assert options["--outcome"] == "Outcome name (review.toml [[outcomes]] name)."
    assert options["--item"] == "Sub-outcome, e.g. a complication type."
    assert options["--arm"] == "Arm label (review.toml [arms])."
    assert options["--source"] == "Page, table or figure the reported numbers come from."
    assert options["--append"] == ("Append the row to this extraction CSV (created when missing; a row with the "
                                   "same key is refused).")
    assert options["--project"].startswith("Review project whose settings give the defaults")
    table = _help_lines("extract", "from-table")
    row = ["--study", "--outcome", "--item", "--timepoint", "--arm", "--scale", "--source", "--source-url", "--note",
           "--append"]
    assert [name for name in table if name in row] == row
    assert all(table[name] == options[name] for name in row)


def test_export_commands_offer_out_with_its_help():
    for command in ("included", "decisions", "data", "r"):
        assert _help_lines("export", command)["--out"] == \
            "Write here instead of the project's exports/ folder; '-' prints it.", command


def test_append_to_a_folder_is_refused(tmp_path):
    result = _invoke("extract", "convert", "sd-from-se", "--se", "1", "--n", "4", "--append", tmp_path)
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_a_converted_row_carries_every_row_option_and_prints_as_one_csv_row():
    result = _invoke("extract", "convert", "sd-from-ci", "--lower", "1", "--upper", "3", "--n", "100",
                     "--study", "Park 2013", "--outcome", "pain", "--item", "rest", "--timepoint", "6 weeks",
                     "--arm", "US", "--scale", "VAS", "--source", "Table 2", "--source-url", "https://x.org/a",
                     "--note", "checked")
    assert result.exit_code == 0, result.output
    # n ≥ 60: z = 1.959964; SD = √100 × (3 − 1) / (2 × 1.959964) = 5.1021352…, rounded to 6 decimals
    assert result.stdout == (HEADER + "Park 2013,pain,rest,6 weeks,US,100,2,5.102135,,VAS,Table 2,https://x.org/a,"
                             "95% CI 1 to 3; n=100,SD = √n × (upper − lower) / (2 × z=1.9600); mean = CI midpoint "
                             "(Cochrane Handbook v6 §6.5.2.2),checked\n")
    assert result.stderr == ""
    assert result.stdout_bytes.count(b"\n") == 2 and b"\r" not in result.stdout_bytes  # lines end as the file's


def test_values_beside_the_row_go_to_stderr_and_only_the_kept_ones_into_the_row():
    result = _invoke("extract", "convert", "sd-from-p", "--md", "2", "--p", "0.05", "--n1", "20", "--n2", "22")
    assert result.exit_code == 0, result.output
    # t(40 df, two-sided P 0.05) = 2.021075; SE = 2 / 2.021075 = 0.989572; SD = SE / √(1/20 + 1/22) = 3.202943
    lines = result.stdout.splitlines()
    assert lines[0] == HEADER.rstrip("\n") and len(lines) == 2
    assert lines[1].startswith(",,,,,,,3.202943,,,,,MD=2; P=0.05; n1=20; n2=22,")
    assert result.stderr == "# also: se_md=0.9896, t=2.021\n"


def test_append_says_where_on_stderr_and_needs_the_key(tmp_path):
    target = tmp_path / "pain.csv"
    args = ["extract", "convert", "sd-from-se", "--se", "0.5", "--n", "25", "--append", target]
    for given, missing in (([], "study"), (["--study", "S"], "outcome"), (["--study", "S", "--outcome", "o"], "arm")):
        refused = _invoke(*args, *given)
        assert refused.exit_code == 2
        assert refused.stderr == f"error: --append needs --{missing}\n"
    assert not target.exists()
    done = _invoke(*args, "--study", "S", "--outcome", "o", "--arm", "US")
    assert done.exit_code == 0, done.output
    assert done.stderr == f"appended to {target}\n"
    assert done.stdout == HEADER + "S,o,,,US,25,,2.5,,,,,SE=0.5; n=25,SD = SE × √n (Cochrane Handbook v6 §6.5.2.2),\n"
    assert target.read_text(encoding="utf-8") == done.stdout
    again = _invoke(*args, "--study", "S", "--outcome", "o", "--arm", "US")
    assert again.exit_code == 2
    assert again.stderr == (f"error: {target} line 2 already holds this study/outcome/item/timepoint/arm; edit that "
                            "row instead\n")


def test_a_row_appended_for_a_project_is_written_under_its_lock(tmp_path, monkeypatch):
    import sysrev.locking

    root = _project(tmp_path / "p")
    elsewhere = tmp_path / "other" / "pain.csv"
    elsewhere.parent.mkdir()
    locked, real = [], sysrev.locking.project_lock
    monkeypatch.setattr(sysrev.locking, "project_lock",
                        lambda where, **kw: locked.append(str(where)) or real(where, **kw))
    result = _invoke("extract", "convert", "sd-from-se", "--se", "0.5", "--n", "25", "--study", "S", "--outcome",
                     "o", "--arm", "US", "--append", elsewhere, "--project", root)
    assert result.exit_code == 0, result.output
    assert str(root) in locked or str(root.resolve()) in locked


def test_a_row_for_a_project_must_name_its_outcomes_and_arms(tmp_path):
    root = _project(tmp_path / "p", '[review]\ntitle = "T"\n[arms]\ngroup1 = "US"\ngroup2 = "FL"\n'
                                    '[[outcomes]]\nname = "pain"\ntype = "continuous"\n'
                                    '[[outcomes]]\nname = "function"\ntype = "continuous"\n')
    args = ["extract", "convert", "sd-from-se", "--se", "0.5", "--n", "25", "--study", "S", "--append",
            root / "x.csv", "--project", root]
    outcome = _invoke(*args, "--outcome", "pian", "--arm", "US")
    assert outcome.exit_code == 2
    assert outcome.stderr == ("error: --outcome 'pian' is not an outcome of review.toml (one of: pain, "
                              "function)\n")
    arm = _invoke(*args, "--outcome", "function", "--arm", "us")
    assert arm.exit_code == 2
    assert arm.stderr == "error: --arm 'us' is not an arm of review.toml [arms] (one of: US, FL)\n"
    assert not (root / "x.csv").exists()


# ------------------------------------------------------------------------------------------------ sysrev meta tsa


def _tsa_summary(**information):
    return {"measure": "RR", "model": "random", "tau2_method": "DL",
            "information": {"alpha": 0.05, "beta": 0.2, "unadjusted": 12345.4, "adjustment": "D2",
                            "adjustment_value": 0.256, "required": 16597.6, **information},
            "looks": [{"study": "Alpha 2001", "participants": 1200, "fraction": 0.0723, "z": 1.234, "boundary": None,
                       "crossed": False},
                      {"study": "B 2005", "participants": 16600.2, "fraction": 1.0001, "z": -2.5, "boundary": 1.96,
                       "crossed": True}],
            "verdict": "Firm evidence."}


def test_tsa_report_of_a_dichotomous_analysis():
    from sysrev.cli.meta_tsa import format_tsa

    text = format_tsa(_tsa_summary(rrr=0.2, mid=None, control_rate=0.1234567, control_rate_observed=True))
    assert text == (
        "Trial sequential analysis (RR, random, DL)\n"
        "Assumptions: control event proportion 0.1235 (observed), relative risk reduction 20.0%, alpha 0.05, "
        "beta 0.2\n"
        "Required information size: 12,345 participants; diversity D² = 25.6% → 16,598\n"
        "\n"
        "Study added  Participants  Fraction      Z  Boundary\n"
        "Alpha 2001          1,200      7.2%   1.23         —\n"
        "B 2005             16,600    100.0%  -2.50     ±1.96  crossed\n"
        "\n"
        "Firm evidence.\n")
    given = format_tsa(_tsa_summary(rrr=0.25, mid=0.75, control_rate=0.1, control_rate_observed=False,
                                    adjustment="I2", adjustment_value=0.5))
    assert given.splitlines()[1:3] == [
        "Assumptions: control event proportion 0.1, relative risk reduction 25.0% (from mid = 0.75), alpha 0.05, "
        "beta 0.2",
        "Required information size: 12,345 participants; I² = 50.0% → 16,598"]


def test_tsa_report_of_a_continuous_analysis():
    from sysrev.cli.meta_tsa import format_tsa

    summary = _tsa_summary(difference=-1.5, variance=4.56789, variance_observed=True, adjustment="given",
                           adjustment_value=0.3, unadjusted=999.7)
    summary |= {"measure": "MD", "model": "fixed", "tau2_method": None}
    lines = format_tsa(summary).splitlines()
    assert lines[:3] == ["Trial sequential analysis (MD, fixed)",
                         "Assumptions: difference -1.5, variance 4.568 (observed), alpha 0.05, beta 0.2",
                         "Required information size: 1,000 participants; given adjustment = 30.0% → 16,598"]
    del summary["information"]["variance_observed"], summary["tau2_method"]
    summary["information"] |= {"adjustment": "none", "adjustment_value": 0.0}
    lines = format_tsa(summary).splitlines()
    assert lines[:3] == ["Trial sequential analysis (MD, fixed)",
                         "Assumptions: difference -1.5, variance 4.568, alpha 0.05, beta 0.2",
                         "Required information size: 1,000 participants; no adjustment = 0.0% → 16,598"]


def _trials_csv(path):
    path.write_text("study,year,events1,n1,events2,n2\nT1,2001,20,200,25,200\nT2,2002,18,180,30,190\n"
                    "T3,2003,15,210,27,205\n", encoding="utf-8")
    return path


def test_tsa_heterogeneity_takes_d2_i2_none_or_a_number(tmp_path):
    import json

    data = _trials_csv(tmp_path / "t.csv")
    seen = {}
    for value in ("d2", "i2", "I2", "None", "0.25"):
        result = _invoke("meta", "tsa", data, "--measure", "RR", "--rrr", "0.2", "--heterogeneity", value, "--json")
        assert result.exit_code == 0, (value, result.output)
        info = json.loads(result.stdout)["information"]
        seen[value] = (info["adjustment"], info["adjustment_value"])
    assert seen["d2"][0] == "D2" and seen["i2"] == seen["I2"] and seen["i2"][0] == "I2"
    assert seen["None"] == ("none", 0.0) and seen["0.25"] == ("given", 0.25)
    bad = _invoke("meta", "tsa", data, "--measure", "RR", "--rrr", "0.2", "--heterogeneity", "tau")
    assert bad.exit_code == 2
    assert bad.stderr.endswith("error: Invalid value: 'tau' is not D2, I2, none or a number in [0, 1)\n")


# ------------------------------------------------------------------------------------------------ sysrev export

REPO = Path(__file__).resolve().parents[1]


def _screened_project(tmp_path):
    """A project searched, deduplicated and screened by one reviewer: R000001 included, R000002 excluded at
    full text (built here, not copied from the repository's review, whose files other tests may add to)."""
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot

    root = _project(tmp_path / "review", '[review]\ntitle = "T"\n[screening]\nreviewers = ["alice"]\n'
                                         'reviewers_per_record = 1\nexclusion_reasons = ["wrong population"]\n'
                                         'highlight_terms = []\n')
    write_snapshot(root / "searches" / "runs", "pubmed", [
        Record(source_id="1", pmid="1", title="Ultrasound-guided facet joint injection trial", year=2020),
        Record(source_id="2", pmid="2", title="Fluoroscopic sacroiliac joint injection study", year=2019)],
        database="pubmed")
    assert _invoke("dedup", "--project", root).exit_code == 0
    head = "record_id,decision,reason,reviewer,timestamp\n"
    for stage, second in (("title_abstract", "include,"), ("full_text", "exclude,wrong population")):
        log = root / "screening" / stage / "alice.csv"
        log.parent.mkdir(parents=True)
        log.write_text(head + "R000001,include,,alice,2026-01-01T10:00:00Z\n"
                       f"R000002,{second},alice,2026-01-01T10:01:00Z\n", encoding="utf-8")
    return root


def test_export_writes_into_the_projects_exports_folder_or_prints_with_a_dash(tmp_path):
    root = _screened_project(tmp_path)
    written = _invoke("export", "included", "--project", root)
    assert written.exit_code == 0, written.output
    path = root / "exports" / "included.ris"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("TY  - JOUR\nID  - R000001\nTI  - Ultrasound-guided facet joint injection trial\n")
    assert text.count("ER  - ") == 1
    assert written.stdout == f"wrote 1 included record to {path}\n"
    printed = _invoke("export", "included", "--project", root, "--out", "-")
    assert printed.exit_code == 0 and printed.stdout == text  # as written: no line added
    assert _invoke("export", "included", "--project", root, "--out", "-", "--format", "csv").stdout.startswith(
        "record_id,title,authors")
    upper = _invoke("export", "included", "--project", root, "--out", tmp_path / "refs.BIB")
    assert upper.exit_code == 0
    assert (tmp_path / "refs.BIB").read_text(encoding="utf-8").startswith("@article{")
    clash = _invoke("export", "included", "--project", root, "--out", tmp_path / "refs.bib", "--format", "csv")
    assert clash.exit_code == 2
    assert clash.stderr.endswith(f"error: --format csv does not match --out {tmp_path / 'refs.bib'} (a .bib file); "
                                 "give --format bibtex, or an --out ending in .csv\n")


def test_export_data_and_script_name_their_default_files(tmp_path):
    root = tmp_path / "normand"
    shutil.copytree(REPO / "examples" / "normand1999", root)
    data = _invoke("export", "data", "los_dl", "--project", root)
    assert data.exit_code == 0, data.output
    assert data.stdout == f"wrote 9 comparisons to {root / 'exports' / 'los_dl-data.csv'}\n"
    script = _invoke("export", "r", "los_dl", "--project", root)
    assert script.stdout == f"wrote the metafor script of 'los_dl' to {root / 'exports' / 'los_dl.R'}\n"
    assert _invoke("export", "r", "los_dl", "--project", root, "--out", "-").stdout == \
        (root / "exports" / "los_dl.R").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------- options built at import


def test_any_case_choice_passes_the_choice_as_listed():
    from sysrev.cli.options import AnyCaseChoice

    choice = AnyCaseChoice(["MD", "SMD"])
    assert choice.convert("smd", None, None) == "SMD"
    assert choice.convert("Md", None, None) == "MD"
    assert choice.get_metavar(None, None) == "[MD|SMD]"
    assert choice.to_info_dict()["case_sensitive"] is False  # what tools documenting a CLI read
    with pytest.raises(click.BadParameter, match=r"^'rr' is not one of 'MD', 'SMD'\.$"):
        choice.convert("rr", None, None)


def _parameters(decorate):
    def command(**kwargs):
        """A command to decorate."""

    return [p.name for p in click.command()(decorate(command)).params]


def test_the_option_decorators_add_their_options_in_order():
    from sysrev.cli.extract import _convert_options, _row_options
    from sysrev.cli.meta_options import analysis_options

    row = ["study", "outcome", "item", "timepoint", "arm", "scale", "source", "source_url", "note", "append"]
    assert _parameters(_row_options) == row
    assert _parameters(_convert_options) == ["project_dir", *row]
    assert _parameters(analysis_options) == ["data_csv", "analysis_name", "project_dir", "measure", "method", "model",
                                             "tau2", "ci", "smd", "zero", "level"]


# ------------------------------------------------------------------------------------------------ sysrev rob


def test_rob_new_warns_of_an_outcome_neither_listed_nor_analysed(tmp_path):
    root = _project(tmp_path / "p", '[review]\ntitle = "T"\n[arms]\ngroup1 = "US"\ngroup2 = "FL"\n'
                                    '[[outcomes]]\nname = "pain"\ntype = "continuous"\n'
                                    '[[outcomes]]\nname = "function"\ntype = "continuous"\n'
                                    '[[outcomes]]\nname = ""\ntype = "continuous"\n',
                    **{"analysis__analyses.toml": '[analyses.a]\noutcome = "pain"\nmeasure = "MD"\n'})
    for outcome in ("pain", "function"):
        result = _invoke("rob", "new", "Park 2013", outcome, "--project", root)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
    other = _invoke("rob", "new", "Park 2013", "sleep", "--project", root)
    assert other.exit_code == 0
    assert other.stdout == f"wrote {root / 'analysis' / 'rob2' / 'Park_2013--sleep.toml'}\n"
    assert other.stderr == ("warning: outcome 'sleep' is not among review.toml's [[outcomes]] or the analysed "
                            "outcomes (function, pain; labels must match)\n")


# ------------------------------------------------------------------------------------------ sysrev meta cumulative, tsa


def test_a_study_table_or_an_analysis_not_both_nor_neither(tmp_path):
    data = _trials_csv(tmp_path / "t.csv")
    for args in ((), (data, "--analysis", "tb")):
        result = _invoke("meta", "cumulative", *args)
        assert result.exit_code == 2
        assert result.stderr == "error: give either DATA.csv or --analysis NAME (one of them)\n"
    result = _invoke("meta", "tsa", data, "--rrr", "0.2")
    assert result.exit_code == 2
    assert result.stderr == "error: --measure is required with DATA.csv\n"


def test_an_analysis_brings_its_settings_and_the_options_given_override_them():
    """BCG (metafor's dat.bcg), the example's analysis: RR, random effects, REML. metafor's rma() gives
    exp(−0.7145) = 0.4894 with REML and exp(−0.4303) = 0.6503 with a fixed effect."""
    import json

    bcg = REPO / "examples" / "bcg"
    own = _invoke("meta", "cumulative", "--analysis", "tb", "--project", bcg, "--json")
    assert own.exit_code == 0, own.output
    summary = json.loads(own.stdout)
    assert (summary["measure"], summary["method"], summary["model"], summary["tau2_method"], summary["level"]) == \
        ("RR", "IV", "random", "REML", 95.0)
    assert summary["steps"][-1]["estimate"] == pytest.approx(0.4894, abs=5e-5)
    fixed = json.loads(_invoke("meta", "cumulative", "--analysis", "tb", "--project", bcg, "--json", "--model",
                               "fixed", "--level", "90").stdout)
    assert (fixed["model"], fixed["level"]) == ("fixed", 90.0)
    assert fixed["steps"][-1]["estimate"] == pytest.approx(0.6503, abs=5e-5)
    assert [step["study"] for step in summary["steps"]][:2] == ["Aronson 1948", "Ferguson & Simes 1949"]  # by year


def test_an_analysis_is_ordered_by_the_day_each_study_entered(tmp_path):
    import json

    root = tmp_path / "bcg"
    shutil.copytree(REPO / "examples" / "bcg", root)
    studies = ["Aronson 1948", "Coetzee & Berjak 1968", "Comstock & Webster 1969", "Comstock et al 1974",
               "Comstock et al 1976", "Ferguson & Simes 1949", "Frimodt-Moller et al 1973", "Hart & Sutherland 1977",
               "Rosenthal et al 1960", "Rosenthal et al 1961", "Stein & Aronson 1953", "TPT Madras 1980",
               "Vandiviere et al 1973"]
    # entered in the reverse order of the names: the last name first
    (root / "analysis" / "extraction" / "studies.csv").write_text(
        "study,citation,records,entered\n" + "".join(f"{name},,,2026-01-{31 - i:02d}\n"
                                                     for i, name in enumerate(studies)), encoding="utf-8")
    result = _invoke("meta", "cumulative", "--analysis", "tb", "--project", root, "--order-by", "entered", "--json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["steps"]
    assert [step["study"] for step in steps] == studies[::-1]
    assert steps[0]["order"] == "2026-01-19"


# ------------------------------------------------------------------------------------------------ sysrev grade


def _set_final(path, domain, rating, justification=""):
    """Set a domain's final rating (and its justification) in a GRADE file, as a reviewer edits it by hand."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"[{domain}]")
    at = text.index('final = ""\njustification = ""', start)
    edited = f'final = "{rating}"\njustification = "{justification}"'
    path.write_text(text[:at] + edited + text[at + len('final = ""\njustification = ""'):], encoding="utf-8")


def test_grade_summary_says_what_each_file_holds_and_what_certainty_waits_for(tmp_path):
    root = tmp_path / "bcg"
    shutil.copytree(REPO / "examples" / "bcg", root, ignore=shutil.ignore_patterns("grade", "results"))
    first = _invoke("grade", "--project", root)
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0] == "tb: certainty pending  [analysis/grade/tb.toml: new]"
    assert lines[1] == "  Risk of bias: proposed pending; no final rating yet"
    assert lines[2].startswith("    pending: no complete RoB 2 assessment for this outcome of Aronson 1948, ")
    assert lines[3:] == ["  Inconsistency: proposed serious; no final rating yet",
                         "  Indirectness: no final rating yet",  # the team's alone: nothing proposed
                         "  Imprecision: proposed not serious; no final rating yet",
                         "  Publication bias: proposed undetected; no final rating yet",
                         "  certainty waits for: Risk of bias, Indirectness",
                         "1 analysis; 0 final ratings flagged for re-check"]
    again = _invoke("grade", "--project", root)
    assert again.stdout.splitlines()[0] == "tb: certainty pending  [analysis/grade/tb.toml: unchanged]"
    path = root / "analysis" / "grade" / "tb.toml"
    _set_final(path, "risk_of_bias", "not serious", "all trials assessed by hand")
    _set_final(path, "indirectness", "not serious")
    # randomised trials start high; the proposed serious inconsistency takes one level: moderate, from proposals
    proposed = _invoke("grade", "--project", root).stdout.splitlines()
    assert proposed[0] == "tb: certainty ⊕⊕⊕◯ MODERATE (proposed, not confirmed)  [analysis/grade/tb.toml: updated]"
    assert proposed[1] == "  Risk of bias: proposed pending; final not serious"
    assert "  Indirectness: final not serious" in proposed
    assert not any(line.startswith("  certainty waits for") for line in proposed)
    for domain, rating in (("inconsistency", "serious"), ("imprecision", "not serious"),
                           ("publication_bias", "undetected")):
        _set_final(path, domain, rating)
    confirmed = _invoke("grade", "--project", root).stdout.splitlines()
    assert confirmed[0] == "tb: certainty ⊕⊕⊕◯ MODERATE  [analysis/grade/tb.toml: updated]"
    assert "  Inconsistency: proposed serious; final serious" in confirmed


# ------------------------------------------------------------------------------------------------ sysrev prisma, again


def test_prisma_previous_takes_studies_and_reports_zero_included(tmp_path):
    root = _screened_project(tmp_path)
    for value, expected in (("0", "Studies in the previous version: 0 (reports: 0)"),
                            ("8", "Studies in the previous version: 8 (reports: 8)"),
                            ("8:11", "Studies in the previous version: 8 (reports: 11)")):
        result = _invoke("prisma", "--previous", value, "--project", root)
        assert result.exit_code == 0, (value, result.output)
        assert expected in result.stdout.splitlines(), value


# ------------------------------------------------------------------------------------------------ sysrev meta pool


def test_a_semicolon_table_with_decimal_commas_is_read_by_its_header(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("study;yi;se\nA;0,5;0,1\nB;0,3;0,2\n", encoding="utf-8")
    result = _invoke("meta", "pool", data, "--measure", "GEN")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (f"error: {data}, line 2, column 'yi' (study 'A'): not a number: '0,5' "
                                             "(a decimal comma? write 0.5: the decimal mark is a point)")


def test_a_comma_header_with_a_semicolon_in_a_name_is_read_with_commas(tmp_path):
    import json

    data = tmp_path / "d.csv"
    data.write_text("study,yi,se,notes (dose; route)\nA,0.5,0.1,x\nB,0.3,0.2,y\n", encoding="utf-8")
    result = _invoke("meta", "pool", data, "--measure", "GEN", "--json")
    assert result.exit_code == 0, result.output
    # fixed effect: weights 1/0.1² = 100 and 1/0.2² = 25; (100 × 0.5 + 25 × 0.3) / 125 = 0.46
    assert json.loads(result.stdout)["estimate"] == pytest.approx(0.46, abs=1e-12)


def test_the_group_names_come_from_the_options_else_the_projects_arms(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("study,yi,se\nA,0.5,0.1\nB,0.3,0.2\n", encoding="utf-8")

    def heading(*args):
        result = _invoke("meta", "pool", data, "--measure", "GEN", *args)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[1]

    plain = _project(tmp_path / "plain")
    named = _project(tmp_path / "named", '[review]\ntitle = "T"\n[arms]\ngroup1 = "US"\ngroup2 = "FL"\n')
    labelled = _project(tmp_path / "labelled", '[review]\ntitle = "T"\n[arms]\ngroup1 = "US"\ngroup2 = "FL"\n'
                                               'group1_label = "Ultrasound"\ngroup2_label = "Fluoroscopy"\n')
    assert heading() == "Group 1 vs Group 2 (effects are Group 1 relative to Group 2)"
    assert heading("--project", plain) == "Group 1 vs Group 2 (effects are Group 1 relative to Group 2)"
    assert heading("--project", named) == "US vs FL (effects are US relative to FL)"
    assert heading("--project", labelled) == "Ultrasound vs Fluoroscopy (effects are Ultrasound relative to " \
                                             "Fluoroscopy)"
    assert heading("--project", labelled, "--label1", "A", "--label2", "B") == "A vs B (effects are A relative to B)"


def test_a_tab_table_is_read_with_tabs_and_a_one_column_header_with_commas(tmp_path):
    import json

    tabs = tmp_path / "tabs.tsv"
    tabs.write_text("study\tyi\tse\nA\t0.5\t0.1\nB\t0.3\t0.2\n", encoding="utf-8")
    result = _invoke("meta", "pool", tabs, "--measure", "GEN", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["estimate"] == pytest.approx(0.46, abs=1e-12)  # as above
    one = tmp_path / "one.csv"
    one.write_text("study\nA,0.5,0.1\n", encoding="utf-8")
    refused = _invoke("meta", "pool", one, "--measure", "GEN")
    assert refused.exit_code == 2
    assert refused.stderr == f"error: {one}, line 2: 3 fields, but the header has 1\n"


def test_a_study_table_cut_off_in_its_last_row_is_refused_by_its_own_delimiter(tmp_path):
    data = tmp_path / "cut.csv"
    data.write_text("study;yi;se\nA;0.5;0.1\nB;0.3", encoding="utf-8")
    result = _invoke("meta", "pool", data, "--measure", "GEN")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {data}, line 3: the last row has 2 of the header's 3 cells and no line "
                                    "break after it: ")


# ------------------------------------------------------------------------------------------------ sysrev search


def _fake_search(monkeypatch, name, outcome=None, error=None):
    """Replace ``sysrev.search.<module>.<name>`` by a function that records its arguments and returns
    ``outcome`` (or raises ``error``): the command's own work, without a network."""
    calls = []

    def search(query, **kwargs):
        calls.append((query, kwargs))
        kwargs["progress"].advance(1)  # the bar the command made for this run
        if error is not None:
            raise error
        return outcome

    module = "pubmed" if name == "search_pubmed" else "scopus"
    monkeypatch.setattr(f"sysrev.search.{module}.{name}", search)
    return calls


def _outcome(reported=5, retrieved=5, warnings=(), gaps=()):
    return SimpleNamespace(reported=reported, retrieved=retrieved, snapshot="runs/2026-12-05-pubmed",
                           warnings=list(warnings), gaps=list(gaps))


def test_a_search_reports_its_counts_notes_and_gaps(tmp_path, monkeypatch):
    outcome = _outcome(reported=None, retrieved=3, warnings=["the count changed during the run"],
                       gaps=[{"kind": "batch", "detail": "records 1-3"}, {"kind": "count"}])
    _fake_search(monkeypatch, "search_pubmed", outcome)
    result = _invoke("search", "pubmed", "--query", "facet", "--out", tmp_path)
    assert result.exit_code == 1
    assert result.stdout == "PubMed pubmed: ? reported, 3 retrieved → runs/2026-12-05-pubmed\n"
    assert result.stderr == ("  note: the count changed during the run\n  gap (batch): records 1-3\n  gap (count): \n"
                             "  2 gaps recorded in the manifest; the next run fetches them again\n")
    calls = _fake_search(monkeypatch, "search_pubmed", _outcome(reported=7, retrieved=7))
    clean = _invoke("search", "pubmed", "--query", "facet", "--out", tmp_path, "--name", "facet")
    assert clean.exit_code == 0
    assert (clean.stdout, clean.stderr) == ("PubMed facet: 7 reported, 7 retrieved → runs/2026-12-05-pubmed\n", "")
    progress = calls[-1][1]["progress"]
    assert (progress.desc, progress.done) == ("PubMed facet", 1)  # the bar a terminal shows is labelled so


def test_an_interrupted_search_says_how_to_resume(tmp_path, monkeypatch):
    _fake_search(monkeypatch, "search_pubmed", error=KeyboardInterrupt())
    result = _invoke("search", "pubmed", "--query", "facet", "--out", tmp_path)
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr == (f"\ninterrupted: the records fetched so far are saved in {tmp_path}; run the same command "
                             "with --resume to continue\n")


def test_the_date_window_and_the_runs_folder_of_a_search(tmp_path, monkeypatch):
    from datetime import UTC, date, datetime

    calls = _fake_search(monkeypatch, "search_pubmed", _outcome())
    root = _project(tmp_path / "p")
    assert _invoke("search", "pubmed", "--query", "q", "--project", root).exit_code == 0
    assert calls[-1][1]["window"] is None and calls[-1][1]["out_dir"] == str(root / "searches" / "runs")
    assert _invoke("search", "pubmed", "--query", "q", "--out", tmp_path / "o", "--mindate", "2020",
                   "--datetype", "edat").exit_code == 0
    window = calls[-1][1]["window"]
    later = datetime.now(UTC).date().year + 2  # no upper bound: two years ahead (issues dated in the future)
    assert (window.mindate, window.maxdate, window.field) == (date(2020, 1, 1), date(later, 12, 31), "edat")
    assert calls[-1][1]["out_dir"] == str(tmp_path / "o")
    assert _invoke("search", "pubmed", "--query", "q", "--out", tmp_path, "--maxdate", "2019-06").exit_code == 0
    window = calls[-1][1]["window"]
    assert (window.mindate, window.maxdate, window.field) == (date(1780, 1, 1), date(2019, 6, 30), "pdat")
    reversed_ = _invoke("search", "pubmed", "--query", "q", "--out", tmp_path, "--mindate", "2020", "--maxdate",
                        "2019")
    assert reversed_.exit_code == 2
    assert reversed_.stderr == "error: --mindate 2020 is after --maxdate 2019\n"
    assert len(calls) == 3


def test_scopus_takes_the_deprecated_year_options_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr("sysrev.cli.search.load_config", lambda: {})
    monkeypatch.setattr("sysrev.search.scopus.ScopusAPI", lambda config, view, count: ("api", view, count))
    calls = _fake_search(monkeypatch, "search_scopus", _outcome())
    result = _invoke("search", "scopus", "--query", "q", "--out", tmp_path, "--first-year", "2001", "--last-year",
                     "2003")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("warning: --first-year is deprecated; use --mindate 2001 (the same option name as "
                             "`search pubmed`)\nwarning: --last-year is deprecated; use --maxdate 2003 (the same "
                             "option name as `search pubmed`)\n")
    assert calls[-1][1]["years"] == (2001, 2003)
    both = _invoke("search", "scopus", "--query", "q", "--out", tmp_path, "--first-year", "2001", "--mindate", "2002")
    assert both.exit_code == 2
    assert both.stderr.endswith("error: give --mindate only (--first-year is its deprecated alias)\n")
    assert len(calls) == 1


def test_search_warnings_are_logged_once_to_stderr_as_warning_lines(tmp_path, monkeypatch, capsys):
    import logging

    from sysrev.cli.search import _TqdmHandler

    logger = logging.getLogger("sysrev.search")
    monkeypatch.setattr(logger, "handlers", [h for h in logger.handlers if not isinstance(h, _TqdmHandler)])
    monkeypatch.setattr(logger, "propagate", True)
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    _fake_search(monkeypatch, "search_pubmed", _outcome())
    for _ in range(2):
        assert _invoke("search", "pubmed", "--query", "q", "--out", tmp_path).exit_code == 0
    assert sum(isinstance(h, _TqdmHandler) for h in logger.handlers) == 1
    assert (logger.level, logger.propagate) == (logging.WARNING, False)
    logging.getLogger("sysrev.search.http").info("not shown")
    logging.getLogger("sysrev.search.http").warning("retrying in %d s", 4)
    assert capsys.readouterr().err == "warning: retrying in 4 s\n"


# ------------------------------------------------------------------------------------------------ sysrev init


def test_init_asks_for_what_is_not_given_showing_defaults_that_exist(tmp_path):
    import tomllib

    answers = "\nWhat works?\nP\nI\nC\n pubmed ,, embase \nann,bob , \n\n\nFL\n"
    result = _invoke("init", tmp_path / "my-review", "--no-git", input=answers)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Title of the review [my review]: \nReview question: What works?\nPopulation (P): P\nIntervention (I): I\n"
        "Comparator (C): C\nDatabases, comma-separated [pubmed, scopus]:  pubmed ,, embase \n"
        "Reviewers, comma-separated [reviewer1, reviewer2]: ann,bob , \n"
        "Outcomes, comma-separated NAME:continuous|dichotomous [primary outcome:continuous]: \n"
        "Arm label of group 1 (experimental) [intervention]: \nArm label of group 2 (control) [control]: FL\n"
        f"created the review project {tmp_path / 'my-review'} (")
    config = tomllib.loads((tmp_path / "my-review" / "review.toml").read_text(encoding="utf-8"))
    assert config["review"]["title"] == "my review"  # the folder's name, the default taken
    assert config["review"]["question"] == "What works?"
    assert config["screening"]["reviewers"] == ["ann", "bob"]
    assert (config["arms"]["group1"], config["arms"]["group2"]) == ("intervention", "FL")
    assert [o["name"] for o in config["outcomes"]] == ["primary outcome"]
    assert sorted(p.name for p in (tmp_path / "my-review" / "searches").glob("*.toml")) == ["embase.toml",
                                                                                           "pubmed.toml"]


def test_init_whose_input_runs_out_says_how_to_go_on(tmp_path):
    result = _invoke("init", tmp_path / "r", "--no-git", "--title", "T", input="Q\n")
    assert result.exit_code == 2
    assert result.stdout == "Review question: Q\nPopulation (P): "
    assert result.stderr.endswith("error: no answer to 'Population (P)' (the input ended); give it as an option, or "
                                  "--no-input to take the defaults for whatever is not given\n")
    assert not (tmp_path / "r").exists()


# ------------------------------------------------------------------------------------------------ study tables refused


def test_a_study_table_that_cannot_be_read_names_the_file_line_and_column(tmp_path):
    cases = {
        "empty.csv": ("\n\n", "error: {path}: the file is empty (expected a header row and one row per study)\n"),
        "twice.csv": ("study,yi,yi,se\nA,1,1,0.1\n",
                      "error: {path}, line 1, column 'yi': the header names this column twice\n"),
        "huge.csv": ("study,yi,se\nA,0.5,0.1\n\"" + "x" * 140_000 + "\",0.3,0.2\n",
                     "error: {path}, line 3: malformed CSV: field larger than field limit (131072)\n"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = _invoke("meta", "pool", path, "--measure", "GEN")
        assert result.exit_code == 2, name
        assert result.stderr == message.format(path=path), name


def test_a_study_label_on_two_lines_of_a_spreadsheet_cell_keeps_its_line_break(tmp_path):
    import json

    data = tmp_path / "d.csv"
    data.write_text('study,yi,se\n"Park\n2013",0.5,0.1\nB,0.3,0.2\n', encoding="utf-8")
    result = _invoke("meta", "pool", data, "--measure", "GEN", "--json")
    assert result.exit_code == 0, result.output
    assert [s["study"] for s in json.loads(result.stdout)["studies"]] == ["Park\n2013", "B"]


def test_a_date_a_search_cannot_read_names_its_option_and_one_day_is_a_window(tmp_path, monkeypatch):
    from datetime import date

    calls = _fake_search(monkeypatch, "search_pubmed", _outcome())
    for option, value, message in (("--mindate", "2020-13", "month must be in 1..12"),
                                   ("--maxdate", "20x", "use YYYY, YYYY-MM or YYYY-MM-DD")):
        result = _invoke("search", "pubmed", "--query", "q", "--out", tmp_path, option, value)
        assert result.exit_code == 2
        assert result.stderr == f"error: invalid {option} '{value}': {message}\n"
    assert calls == []
    day = _invoke("search", "pubmed", "--query", "q", "--out", tmp_path, "--mindate", "2020-05-01", "--maxdate",
                  "2020-05-01")
    assert day.exit_code == 0, day.output
    window = calls[-1][1]["window"]
    assert (window.mindate, window.maxdate) == (date(2020, 5, 1), date(2020, 5, 1))
    assert _invoke("search", "pubmed", "--query", "q", "--out", tmp_path, "--maxdate", "2019").exit_code == 0
    assert calls[-1][1]["window"].maxdate == date(2019, 12, 31)  # a year ends on its last day


def test_studies_ordered_by_a_column_the_table_lacks_or_by_entry_dates_nobody_kept(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("study,yi,se\nA,0.5,0.1\nB,0.3,0.2\n", encoding="utf-8")
    result = _invoke("meta", "cumulative", data, "--measure", "GEN", "--order-by", "nosuch")
    assert result.exit_code == 2
    assert result.stderr == (f"error: {data}, line 1: no column 'nosuch' to order the studies by (use --order-by "
                             "COLUMN)\n")
    root = tmp_path / "bcg"
    shutil.copytree(REPO / "examples" / "bcg", root)
    entered = _invoke("meta", "cumulative", "--analysis", "tb", "--project", root, "--order-by", "entered")
    assert entered.exit_code == 2
    assert entered.stderr == (f"error: study 'Aronson 1948' has no 'entered' date in "
                              f"{root / 'analysis' / 'extraction' / 'studies.csv'} and none of its reports (column "
                              "'records') is included at full text in the screening logs: link its reports, or type "
                              "the date in an 'entered' column\n")


def test_grade_summary_of_several_analyses(tmp_path):
    root = tmp_path / "normand"
    shutil.copytree(REPO / "examples" / "normand1999", root, ignore=shutil.ignore_patterns("grade", "results"))
    result = _invoke("grade", "--project", root)
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if not line.startswith(" ")] == [
        "los_fixed: certainty pending  [analysis/grade/los_fixed.toml: new]",
        "los_dl: certainty pending  [analysis/grade/los_dl.toml: new]",
        "los_reml: certainty pending  [analysis/grade/los_reml.toml: new]",
        "3 analyses; 0 final ratings flagged for re-check"]
