"""The click commands' own bodies, second part: what the survivors of a run of every mutant of `sysrev meta
cumulative`, `meta tsa`, `meta pool`, `meta run`, `search` and `prisma` showed unchecked (benchmarks/
decorated_mutation.py mutates these bodies, which mutmut skips). Each test asserts what a user sees: the
output, its stream, the exit code, the files written.

Expected values come from the formulas as published, written out here, never from sysrev's own output."""

import json
import shutil
from datetime import UTC, date, datetime

import pytest
from project_files import project_with as _project
from test_cli_command_bodies import BCG_LIVING, MD_TRIALS, Z, _invoke, _searched

# ------------------------------------------------------------------------------------------ sysrev meta cumulative

SMD_TRIALS = ("study,year,n1,mean1,sd1,n2,mean2,sd2\nA,2001,50,10,2,50,11,2\nB,2002,60,10.5,2.2,58,11.2,2.1\n"
              "C,2004,40,9,2.5,42,11,2.4\n")


def _csv(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _hedges_g_exact(n1, m1, s1, n2, m2, s2):
    """Hedges' g with the exact small-sample correction Γ(m/2) / (√(m/2) Γ((m−1)/2)), m = n1 + n2 − 2."""
    from math import exp, lgamma, sqrt

    m = n1 + n2 - 2
    pooled = sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / m)
    return exp(lgamma(m / 2) - lgamma((m - 1) / 2)) / sqrt(m / 2) * (m1 - m2) / pooled


def test_meta_cumulative_passes_every_pooling_option_given_on_to_the_analysis(tmp_path):
    data = _csv(tmp_path, SMD_TRIALS)
    options = ["--measure", "SMD", "--method", "IV", "--model", "random", "--tau2", "REML", "--ci", "hksj",
               "--smd", "exact", "--level", "90", "--zero", "metafor"]
    result = _invoke("meta", "cumulative", data, *options, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {key: summary[key] for key in ("measure", "method", "model", "tau2_method", "ci_method", "level", "smd")} \
        == {"measure": "SMD", "method": "IV", "model": "random", "tau2_method": "REML", "ci_method": "hksj",
            "level": 90.0, "smd": "exact"}
    first = summary["steps"][0]  # study A alone: its own Hedges' g, exact correction
    assert first["estimate"] == pytest.approx(_hedges_g_exact(50, 10, 2, 50, 11, 2), abs=1e-9)
    table = _invoke("meta", "cumulative", data, *options)
    assert table.exit_code == 0, table.output
    assert table.stdout.startswith("Cumulative meta-analysis: Std. Mean Difference (IV, Random (REML), 90% CI), "
                                   "studies added in ascending order of 'year'\n")


def test_meta_cumulative_zero_cells_follow_the_zero_convention_given(tmp_path):
    # a study with no event in either arm: RevMan leaves it out of a risk ratio; metafor's convention adds 1/2
    data = _csv(tmp_path, "study,year,events1,n1,events2,n2\nA,2001,0,20,0,20\nB,2003,8,120,14,118\n")
    revman = json.loads(_invoke("meta", "cumulative", data, "--measure", "RR", "--method", "IV", "--json").stdout)
    metafor = _invoke("meta", "cumulative", data, "--measure", "RR", "--method", "IV", "--zero", "metafor", "--json")
    assert metafor.exit_code == 0, metafor.output
    assert revman["zero"] == "revman" and json.loads(metafor.stdout)["zero"] == "metafor"


def test_meta_cumulative_names_the_file_and_line_of_bad_input(tmp_path):
    bad = _csv(tmp_path, "study,year,events1,n1,events2,n2\nA,2001,10,100,15,100\nB,2003,8,-120,14,118\n", "bad.csv")
    result = _invoke("meta", "cumulative", bad, "--measure", "RR")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"error: {bad}, line 3, column 'n1' (study 'B'): a group needs at least 2 participants "
                             "(got -120)\n")
    # an error about a whole column is placed on the header line of the file
    mixed = _csv(tmp_path, "study,year,yi,se\nA,2001,1,1\nB,2003-05-01,2,1\n", "mixed.csv")
    result = _invoke("meta", "cumulative", mixed, "--measure", "GEN")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"error: {mixed}, line 1: column 'year': order values mix numbers and dates; use one "
                             "kind for every study\n")
    # an error about neither a cell nor a column keeps its own wording
    empty = _csv(tmp_path, "study,year,yi,se\n", "empty.csv")
    result = _invoke("meta", "cumulative", empty, "--measure", "GEN")
    assert result.exit_code == 2 and result.stderr == "error: the study table has no rows\n"


def test_meta_cumulative_of_an_analysis_names_the_column_of_mixed_order_values_without_a_line(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    studies = root / "analysis" / "extraction" / "studies.csv"
    studies.write_text(studies.read_text(encoding="utf-8").replace(",1948,", ",1948-01-01,", 1), encoding="utf-8")
    result = _invoke("meta", "cumulative", "--analysis", "tb", "--project", root)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "error: column 'year': order values mix numbers and dates; use one kind for every study\n"


# --------------------------------------------------------------------------------------------------- sysrev search


class _Outcome:
    def __init__(self, gaps=(), snapshot="runs/snap"):
        self.reported, self.retrieved, self.snapshot, self.warnings, self.gaps = 2, 2, snapshot, [], list(gaps)


def _record_calls(monkeypatch, target, outcome=None, error=None):
    """Replace ``target`` (a dotted name) by a function recording its keyword arguments: the command's own work,
    without a network."""
    calls = []

    def fake(*args, **kwargs):
        calls.append((args, kwargs))
        if error is not None:
            raise error
        return outcome if outcome is not None else _Outcome()

    monkeypatch.setattr(target, fake)
    return calls


class _Clock(datetime):
    """Late on 31 December 2030 in UTC, already 1 January 2031 on the local clock: a search's day is UTC's."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2030, 12, 31, 23, 30, tzinfo=UTC) if tz is UTC else datetime(2031, 1, 1, 9, 30)


def test_search_pubmed_passes_every_option_on_and_takes_the_day_in_utc(tmp_path, monkeypatch):
    from sysrev.search.progress import Progress

    monkeypatch.setattr("sysrev.cli.search.datetime", _Clock)
    calls = _record_calls(monkeypatch, "sysrev.search.pubmed.search_pubmed")
    result = _invoke("search", "pubmed", "--query", "back pain", "--out", tmp_path / "o", "--name", "bp",
                     "--batch-size", "50", "--resume", "--mindate", "2020")
    assert result.exit_code == 0, result.output
    assert result.stdout == "PubMed bp: 2 reported, 2 retrieved → runs/snap\n"
    ((query,), kwargs), = calls
    assert query == "back pain"
    assert (kwargs["out_dir"], kwargs["name"], kwargs["batch_size"], kwargs["resume"]) == (str(tmp_path / "o"), "bp",
                                                                                          50, True)
    assert kwargs["today"] == date(2030, 12, 31)
    # no --maxdate: two years ahead of the UTC day's year
    assert (kwargs["window"].mindate, kwargs["window"].maxdate) == (date(2020, 1, 1), date(2032, 12, 31))
    assert isinstance(kwargs["progress"], Progress) and kwargs["progress"].desc == "PubMed bp"


def _scopus(monkeypatch):
    config = {"scopus_api_key": "key"}
    monkeypatch.setattr("sysrev.cli.search.load_config", lambda: config)
    monkeypatch.setattr("sysrev.search.scopus.ScopusAPI", lambda config, view, count: ("api", config, view, count))
    return config


def test_search_scopus_builds_its_client_from_the_config_and_passes_every_option_on(tmp_path, monkeypatch):
    config = _scopus(monkeypatch)
    monkeypatch.setattr("sysrev.cli.search.datetime", _Clock)
    calls = _record_calls(monkeypatch, "sysrev.search.scopus.search_scopus")
    result = _invoke("search", "scopus", "--query", "TITLE(pain)", "--out", tmp_path / "o", "--name", "sc",
                     "--view", "COMPLETE", "--batch-size", "25", "--resume", "--mindate", "2020-06")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Scopus sc: 2 reported, 2 retrieved → runs/snap\n"
    ((query,), kwargs), = calls
    assert query == "TITLE(pain)"
    assert kwargs["api"] == ("api", config, "COMPLETE", 25)
    assert (kwargs["out_dir"], kwargs["name"], kwargs["resume"]) == (str(tmp_path / "o"), "sc", True)
    assert kwargs["today"] == date(2030, 12, 31) and kwargs["years"] == (2020, 2032)
    assert kwargs["progress"].desc == "Scopus sc"


def test_search_scopus_refuses_a_batch_larger_than_its_view_returns(tmp_path, monkeypatch):
    _scopus(monkeypatch)
    calls = _record_calls(monkeypatch, "sysrev.search.scopus.search_scopus")
    refused = _invoke("search", "scopus", "--query", "q", "--out", tmp_path, "--view", "COMPLETE", "--batch-size", "26")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == "error: --batch-size 26: the Scopus COMPLETE view returns at most 25 records per request\n"
    largest = _invoke("search", "scopus", "--query", "q", "--out", tmp_path, "--batch-size", "200")
    assert largest.exit_code == 0, largest.output
    assert len(calls) == 1 and calls[0][1]["api"][3] == 200


def test_an_interrupted_scopus_search_names_its_folder_and_how_to_resume(tmp_path, monkeypatch):
    _scopus(monkeypatch)
    _record_calls(monkeypatch, "sysrev.search.scopus.search_scopus", error=KeyboardInterrupt())
    result = _invoke("search", "scopus", "--query", "q", "--out", tmp_path)
    assert result.exit_code == 130 and result.stdout == ""
    assert result.stderr == (f"\ninterrupted: the records fetched so far are saved in {tmp_path}; run the same command "
                             "with --resume to continue\n")


def test_search_run_passes_the_config_and_options_on_and_says_what_each_run_changed(tmp_path, monkeypatch):
    from sysrev.search import runner

    root = _project(tmp_path / "p", **{f"searches__{name}.toml": f'database = "pubmed"\nquery = "{name} trial"\n'
                                       for name in ("alpha", "beta")})
    config = {"email": "me@example.org"}
    monkeypatch.setattr("sysrev.cli.search.load_config", lambda: config)
    ran, compared = [], []

    def run_strategy(strategy, runs_dir, **options):
        ran.append((strategy.name, runs_dir, options))
        return _Outcome(snapshot=runs_dir / f"run-{strategy.name}")

    def changes_since_previous(runs_dir, snapshot, strategy):
        compared.append((runs_dir, snapshot, strategy.name))
        return {"previous": "2026-01-01-x", "new": 4, "gone": None if strategy.name == "alpha" else 0}

    monkeypatch.setattr(runner, "run_strategy", run_strategy)
    monkeypatch.setattr(runner, "changes_since_previous", changes_since_previous)
    result = _invoke("search", "run", "--project", root, "--since", "last", "--overlap", "3", "--resume")
    assert result.exit_code == 0, result.output
    runs = root / "searches" / "runs"
    assert [(name, where) for name, where, _ in ran] == [("alpha", runs), ("beta", runs)]
    for (_, _, options), label in zip(ran, ("pubmed alpha", "pubmed beta")):
        assert (options["config"], options["since"], options["overlap_days"], options["resume"]) == (config, "last",
                                                                                                    3, True)
        assert options["progress"].desc == label  # the bar a terminal shows is labelled so
    assert compared == [(runs, runs / "run-alpha", "alpha"), (runs, runs / "run-beta", "beta")]
    # the count of records no longer found is left out when the comparison cannot tell it
    assert result.stdout == (f"pubmed alpha: 2 reported, 2 retrieved → {runs / 'run-alpha'}\n"
                             "  compared with 2026-01-01-x: 4 new\n"
                             f"pubmed beta: 2 reported, 2 retrieved → {runs / 'run-beta'}\n"
                             "  compared with 2026-01-01-x: 4 new, 0 no longer found\n")


def test_search_run_skips_imported_file_strategies_saying_how_to_import_each(tmp_path, monkeypatch):
    from sysrev.search import runner

    root = _project(tmp_path / "p", **{"searches__central.toml": 'database = "file"\nfile = "searches/inbox/c.ris"\n',
                                       "searches__hand.toml": 'database = "file"\n',
                                       "searches__pubmed.toml": 'database = "pubmed"\nquery = "pain"\n'})
    ran = _record_calls(monkeypatch, "sysrev.search.runner.run_strategy")
    monkeypatch.setattr(runner, "changes_since_previous", lambda *args: None)
    result = _invoke("search", "run", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout == ('central: skipped; database = "file" strategies come in by `sysrev import '
                             'searches/inbox/c.ris --source central`\n'
                             'hand: skipped; database = "file" strategies come in by `sysrev import --source hand`\n'
                             "pubmed pubmed: 2 reported, 2 retrieved → runs/snap\n")
    assert [args[0].name for args, _ in ran] == ["pubmed"]  # the strategies after a skipped one still run


def test_an_interrupted_search_run_names_the_project_s_runs_folder(tmp_path, monkeypatch):
    root = _project(tmp_path / "p", **{"searches__pubmed.toml": 'database = "pubmed"\nquery = "pain"\n'})
    _record_calls(monkeypatch, "sysrev.search.runner.run_strategy", error=KeyboardInterrupt())
    result = _invoke("search", "run", "--project", root)
    assert result.exit_code == 130 and result.stdout == ""
    assert result.stderr == (f"\ninterrupted: the records fetched so far are saved in {root / 'searches' / 'runs'}; "
                             "run the same command with --resume to continue\n")


# -------------------------------------------------------------------------------------------------- sysrev meta tsa


def test_meta_tsa_passes_every_pooling_option_given_on_to_the_analysis(tmp_path):
    data = _csv(tmp_path, SMD_TRIALS)
    options = ["--measure", "SMD", "--method", "IV", "--model", "random", "--tau2", "REML", "--ci", "z",
               "--smd", "exact", "--level", "90", "--zero", "metafor", "--mid", "-0.5"]
    result = _invoke("meta", "tsa", data, *options, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {key: summary[key] for key in ("measure", "method", "model", "tau2_method", "level")} == {
        "measure": "SMD", "method": "IV", "model": "random", "tau2_method": "REML", "level": 90.0}
    first = summary["looks"][0]  # study A alone: its own Hedges' g (exact correction), a 90 % interval
    assert first["estimate"] == pytest.approx(_hedges_g_exact(50, 10, 2, 50, 11, 2), abs=1e-9)
    assert first["ci_high"] - first["estimate"] == pytest.approx(Z(0.95) * first["estimate"] / first["z"], rel=1e-9)
    # HKSJ intervals are refused: the analysis monitors a Z statistic
    hksj = _invoke("meta", "tsa", data, *options[:6], "--ci", "hksj", "--mid", "-0.5")
    assert hksj.exit_code == 2 and hksj.stdout == ""
    assert hksj.stderr == "error: trial sequential analysis monitors a Z statistic; use --ci z (not HKSJ)\n"


def test_meta_tsa_of_an_analysis_takes_its_mid_unless_one_is_given(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    own = _invoke("meta", "tsa", "--analysis", "tb", "--project", root)
    assert own.exit_code == 0, own.output
    assert "relative risk reduction 25.0% (from mid = 0.75)" in own.stdout.splitlines()[1]
    given = _invoke("meta", "tsa", "--analysis", "tb", "--project", root, "--mid", "0.5")
    assert given.exit_code == 0, given.output
    assert "relative risk reduction 50.0% (from mid = 0.5)" in given.stdout.splitlines()[1]


def test_meta_tsa_takes_the_alpha_and_beta_given_and_ends_its_report_in_one_line_break(tmp_path):
    data = _csv(tmp_path, MD_TRIALS)
    result = _invoke("meta", "tsa", data, "--measure", "MD", "--mid", "-1", "--variance", "4", "--alpha", "0.01",
                     "--beta", "0.1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Assumptions: difference -1, variance 4, alpha 0.01, beta 0.1"
    required = 4 * (Z(0.995) + Z(0.9)) ** 2 * 4 / 1 ** 2  # 4 (z_α/2 + z_β)² σ² / δ²
    assert lines[2].startswith(f"Required information size: {required:,.0f} participants;")
    assert result.stdout.endswith(" participants)\n") and not result.stdout.endswith("\n\n")


def test_meta_tsa_names_the_file_and_line_of_a_bad_cell(tmp_path):
    bad = _csv(tmp_path, "study,year,n1,mean1,sd1,n2,mean2,sd2\nA,2001,50,10,2,50,11,2\n"
                         "B,2002,60,10.5,-2.2,58,11.2,2.1\n", "bad.csv")
    result = _invoke("meta", "tsa", bad, "--measure", "MD", "--mid", "-1")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: {bad}, line 3, column 'sd1' (study 'B'): SD must be positive (got -2.2)\n"


def test_meta_tsa_places_an_error_about_a_column_on_the_header_line_as_pool_does(tmp_path):
    """It named the column without the file (`error: column 'vi': …`)."""
    both = _csv(tmp_path, "study,year,yi,se,vi\nA,2001,1,1,1\nB,2002,2,1,1\n", "both.csv")
    result = _invoke("meta", "tsa", both, "--measure", "GEN", "--mid", "1", "--variance", "4")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"error: {both}, line 1: column 'vi': measure GEN takes either an 'se' or a 'vi' column, "
                             "not both\n")


# ------------------------------------------------------------------------------------------------- sysrev meta pool

ZERO_CELLS = "study,events1,n1,events2,n2\nA,0,20,3,20\nB,8,120,14,118\nC,0,30,0,30\n"


def test_meta_pool_follows_the_zero_cell_convention_given(tmp_path):
    # Mantel–Haenszel risk ratio; metafor's convention pools the raw counts (no 1/2 added to study A's cells):
    # weights e2·n1/N, pooled RR = Σ e1·n2/N / Σ e2·n1/N
    data = _csv(tmp_path, ZERO_CELLS)
    result = _invoke("meta", "pool", data, "--measure", "RR", "--zero", "metafor")
    assert result.exit_code == 0, result.output
    w_a, w_b = 3 * 20 / 40, 14 * 120 / 238
    rows = {line.split()[0]: line for line in result.stdout.splitlines()
            if line[:2] in ("A ", "B ") or line.startswith("Total (")}
    assert f"{100 * w_a / (w_a + w_b):.1f}%" in rows["A"]
    assert f"100.0%   {(8 * 118 / 238) / (w_a + w_b):.2f} [" in rows["Total"]
    summary = json.loads(_invoke("meta", "pool", data, "--measure", "RR", "--zero", "metafor", "--json").stdout)
    assert summary["zero"] == "metafor"


def test_meta_pool_sections_are_separated_by_one_blank_line_and_end_in_one_line_break(tmp_path):
    data = _csv(tmp_path, "study,yi,se\nA,1,1\nB,2,1\nC,4,2\nD,3,1.5\n")
    plain = _invoke("meta", "pool", data, "--measure", "GEN")
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.endswith(")\n") and not plain.stdout.endswith("\n\n")
    result = _invoke("meta", "pool", data, "--measure", "GEN", "--leave-one-out", "--bias")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(plain.stdout + "\nLeave-one-out (each study omitted in turn)\n")
    assert "%\n\nSmall-study effects (k = 4)\n" in result.stdout and "\n\n\n" not in result.stdout
    assert result.stdout.endswith("]\n") and not result.stdout.endswith("\n\n")
    alone = _invoke("meta", "pool", data, "--measure", "GEN", "--leave-one-out")
    assert alone.stdout.endswith("%\n") and not alone.stdout.endswith("\n\n")


def test_meta_pool_places_an_error_about_a_column_on_the_header_line(tmp_path):
    both = _csv(tmp_path, "study,yi,se,vi\nA,1,1,1\nB,2,1,1\n", "both.csv")
    result = _invoke("meta", "pool", both, "--measure", "GEN")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"error: {both}, line 1: column 'vi': measure GEN takes either an 'se' or a 'vi' column, "
                             "not both\n")
    # an error about neither a cell nor a column keeps its own wording
    empty = _csv(tmp_path, "study,yi,se\n", "empty.csv")
    result = _invoke("meta", "pool", empty, "--measure", "GEN")
    assert result.exit_code == 2 and result.stderr == "error: the study table has no rows\n"


def test_meta_pool_json_is_indented_keeps_names_and_pools_with_the_options_given(tmp_path):
    data = _csv(tmp_path, "study,n1,mean1,sd1,n2,mean2,sd2\nMüller,50,10,2,50,11,2\nB,60,10.5,2.2,58,11.2,2.1\n")
    result = _invoke("meta", "pool", data, "--measure", "SMD", "--smd", "exact", "--level", "90", "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "measure": "SMD",\n  "method": "IV",\n')
    assert '"study": "Müller"' in result.stdout
    summary = json.loads(result.stdout)
    assert (summary["smd"], summary["level"]) == ("exact", 90.0)
    first = summary["studies"][0]  # Müller's own Hedges' g (exact correction), a 90 % interval
    assert first["yi"] == pytest.approx(_hedges_g_exact(50, 10, 2, 50, 11, 2), abs=1e-9)
    assert first["ci_high"] - first["yi"] == pytest.approx(Z(0.95) * first["vi"] ** 0.5, rel=1e-9)


def test_meta_pool_checks_a_plot_s_file_name_before_reading_the_data(tmp_path):
    bad = _csv(tmp_path, "study,yi,se\nA,1,x\n", "bad.csv")
    for option in ("--forest", "--funnel"):
        result = _invoke("meta", "pool", bad, "--measure", "GEN", option, tmp_path / "plot.txt")
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == (f"error: {tmp_path / 'plot.txt'}: cannot write a plot with '.txt'; use a file name "
                                 "ending in .png, .svg or .pdf\n")


# ---------------------------------------------------------------------------------------------------- sysrev prisma


def _released_three_times(tmp_path):
    """``_searched``'s project, released as v1, v2 and v3, one new record found before each later release and one
    after the last: an update since v3 identified 1 record, since v2 two."""
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot

    root = _searched(tmp_path)
    with (root / "review.toml").open("a", encoding="utf-8") as toml:
        toml.write('[arms]\ngroup1 = "T"\ngroup2 = "C"\n')  # a release needs the arms and an analysis
    (root / "analysis" / "extraction").mkdir(parents=True)
    (root / "analysis" / "analyses.toml").write_text('[analyses.pain]\ntitle = "Pain"\noutcome = "pain"\n'
                                                     'measure = "MD"\n', encoding="utf-8")
    (root / "analysis" / "extraction" / "studies.csv").write_text("study,citation,records\n", encoding="utf-8")
    for number, version in enumerate(("v1", "v2", "v3")):
        released = _invoke("release", version, "--project", root)
        assert released.exit_code == 0, released.output
        write_snapshot(root / "searches" / "runs", "lilacs", [Record(source_id=f"1{number}", title=f"Nuevo {number}",
                                                                    year=2022)], database="LILACS")
        assert _invoke("dedup", "--project", root).exit_code == 0
    return root


def test_prisma_update_counts_since_the_last_release_without_running_the_analyses(tmp_path):
    root = _released_three_times(tmp_path)
    # the update's boxes need no analysis: a broken analyses file does not stop them
    (root / "analysis" / "analyses.toml").write_text("[analyses.pain]\ntitle = \n", encoding="utf-8")
    result = _invoke("prisma", "--update", "--json", "--project", root)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["identified"] == {"LILACS": 1} and counts["updated_review"] is True
    text = _invoke("prisma", "--update", "--project", root)
    assert text.exit_code == 0, text.output
    assert "Records identified: 1\n  LILACS: 1\n" in text.stdout


def test_prisma_update_refusals_are_the_last_line_of_stderr(tmp_path):
    root = _searched(tmp_path)
    both = _invoke("prisma", "--update", "--previous", "8", "--project", root)
    assert both.exit_code == 2 and both.stdout == ""
    assert both.stderr.endswith("\nerror: --update takes the previous version from the last release; drop --previous\n")
    alone = _invoke("prisma", "--update", "--project", root)
    assert alone.exit_code == 2 and alone.stdout == ""
    assert alone.stderr.endswith("\nerror: --update needs a release to compare with; make one with `sysrev release`\n")


# ------------------------------------------------------------------------------------- --json of the meta commands


@pytest.mark.parametrize("command, target, fake", [
    (("pool", "--leave-one-out"), "sysrev.meta.sensitivity.leave_one_out", lambda result: [{"estimate": float("nan")}]),
    (("cumulative",), "sysrev.meta.cumulative.cumulative_analysis",
     lambda *args, **kwargs: type("Result", (), {"to_dict": lambda self: {"estimate": float("inf")}})()),
    (("tsa", "--mid", "-1"), "sysrev.living.sequential.trial_sequential_analysis",
     lambda *args, **kwargs: {"z": float("-inf")}),
])
def test_meta_json_never_prints_a_number_json_cannot_read(tmp_path, monkeypatch, command, target, fake):
    """The engine refuses non-finite results and turns NaN into null; should one slip through, --json fails
    rather than print NaN or Infinity, which no JSON reader accepts."""
    data = _csv(tmp_path, MD_TRIALS)
    monkeypatch.setattr(target, fake)
    result = _invoke("meta", command[0], data, "--measure", "MD", *command[1:], "--json")
    assert result.exit_code != 0
    assert isinstance(result.exception, ValueError) and "not JSON compliant" in str(result.exception)
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout


# ------------------------------------------------------------------------------------------------- sysrev meta run


def test_meta_run_json_is_indented_and_names_the_files_it_wrote_relative_to_the_project(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    result = _invoke("meta", "run", "--json", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('[\n  {\n    "name": "tb",\n')
    (outcome,) = json.loads(result.stdout)
    assert outcome["files"] == ["analysis/results/tb.json", "analysis/results/tb.svg", "analysis/results/tb.png"]
    assert all((root / name).is_file() for name in outcome["files"])


def _two_analyses(tmp_path):
    """The living-review test project with a second analysis (odi): Able 2020 (record 1, included at full text)
    has pain rows, Baker 2021 (record 2, excluded at full text) has only odi rows."""
    import csv
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent / "living"))
    from living_project import EXTRACTION_COLUMNS, decide, make_project, record_ids, snapshot_and_dedup, write_studies

    root = make_project(tmp_path / "review")
    with (root / "analysis" / "analyses.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[analyses.odi]\ntitle = "Disability"\noutcome = "odi"\nmeasure = "MD"\n')
    ids = record_ids(snapshot_and_dedup(root, [1, 2]))
    able, baker = ids["40000001"], ids["40000002"]
    decide(root, "title_abstract", "ann", {able: "include", baker: "include"})
    decide(root, "full_text", "ann", {able: "include", baker: ("exclude", "wrong population")})
    write_studies(root, [("Able 2020", "", able), ("Baker 2021", "", baker)])
    for outcome, study in (("pain", "Able 2020"), ("odi", "Baker 2021")):
        with (root / "analysis" / "extraction" / f"{outcome}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(EXTRACTION_COLUMNS.split(","))
            writer.writerows([study, outcome, "", "4 weeks", arm, 20, 3.0, 1.0, "", "", "Table 2", "", "", "", ""]
                             for arm in ("T", "C"))
    return root, baker


def test_meta_run_of_named_analyses_warns_only_of_studies_those_analyses_pool(tmp_path):
    root, baker = _two_analyses(tmp_path)
    warning = (f"warning: Baker 2021 has extraction rows for odi, which the analyses read, but none of its reports "
               f"is included at full text ({baker} excluded (wrong population)): include a report, or take the "
               "study's rows out of the extraction\n")
    pain = _invoke("meta", "run", "pain", "--project", root)
    assert pain.exit_code == 0, pain.output
    assert "Baker 2021" not in pain.stderr and "Baker 2021" not in pain.stdout
    odi = _invoke("meta", "run", "odi", "--project", root)
    assert odi.exit_code == 0, odi.output
    assert warning in odi.stderr
    refused = _invoke("meta", "run", "odi", "--strict", "--project", root)
    assert refused.exit_code == 2
    assert warning in refused.stderr
    assert refused.stderr.endswith("error: --strict: 1 study read by the analyses but not included at full text "
                                   "(above)\n")
    (root / "analysis" / "exemptions.csv").write_text("study,stage,outcome,reason\nAble 2020,rob2,pain,not assessed\n",
                                                      encoding="utf-8")
    strict = _invoke("meta", "run", "pain", "--strict", "--project", root)  # nothing pending for pain
    assert strict.exit_code == 0, strict.output
    assert "error" not in strict.stderr
    # an exemption for another analysis's outcome is no error when only odi runs (it exited 2, results written)
    other = _invoke("meta", "run", "odi", "--project", root)
    assert other.exit_code == 0, other.output
    assert "error" not in other.stderr and warning in other.stderr


def test_meta_run_lists_at_most_the_missing_cells_asked_for_and_names_its_files_relative_to_the_project(tmp_path):
    import csv

    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    table = root / "analysis" / "extraction" / "tuberculosis.csv"
    rows = list(csv.reader(table.read_text(encoding="utf-8").splitlines()))
    events = rows[0].index("events")
    for row in rows[1:]:
        if row[0] in ("Aronson 1948", "Ferguson & Simes 1949"):  # both arms: four missing cells
            row[events] = ""
    with table.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    result = _invoke("meta", "run", "--project", root, "--max-missing", "1")
    assert result.exit_code == 0, result.output
    listed = result.stdout.split("  missing (enter in the extraction files, then re-run):\n")[1].splitlines()
    assert listed[0].startswith("    - Aronson 1948, ") and listed[0].endswith(", BCG arm: events")
    assert listed[1] == "    … and 3 more (see the results file or --json)"
    assert listed[2] == "  files: analysis/results/tb.json, analysis/results/tb.svg, analysis/results/tb.png"
