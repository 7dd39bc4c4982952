"""Details of running a saved strategy, pinned one by one: the search settings (base URLs, deadlines, keys from
the environment or the user file, never shown), the strategy files, which earlier run a living update starts
from, what a run records, and the progress bar."""

import hashlib
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from search_fake_servers import SyntheticPubmed, SyntheticScopus

from sysrev.errors import InputError, SysrevError
from sysrev.records import Record
from sysrev.search.config import SearchConfig, load_config, user_config_path
from sysrev.search.progress import Progress
from sysrev.search.runner import (
    changes_since_previous,
    query_sha256,
    resolve_since,
    run_strategy,
    strategy_identity,
    strategy_runs,
)
from sysrev.search.snapshot import list_snapshots, read_snapshot, write_snapshot
from sysrev.search.strategies import Strategy, load_strategies, load_strategy

# ------------------------------------------------------------------------------------------- settings

# setting -> (environment variable, user-file text setting it)
SOURCES = {
    "eutils_url": ("SYSREV_EUTILS_URL", '[urls]\neutils = "{}"\n'),
    "scopus_url": ("SYSREV_SCOPUS_URL", '[urls]\nscopus = "{}"\n'),
    "ncbi_api_key": ("NCBI_API_KEY", '[ncbi]\napi_key = "{}"\n'),
    "ncbi_email": ("NCBI_EMAIL", '[ncbi]\nemail = "{}"\n'),
    "ncbi_tool": ("NCBI_TOOL", '[ncbi]\ntool = "{}"\n'),
    "elsevier_api_key": ("ELSEVIER_API_KEY", '[elsevier]\napi_key = "{}"\n'),
    "elsevier_insttoken": ("ELSEVIER_INSTTOKEN", '[elsevier]\ninsttoken = "{}"\n'),
}


def test_the_defaults_are_the_documented_ones(tmp_path):
    config = load_config(env={}, path=tmp_path / "none.toml")
    assert config == SearchConfig()
    assert (config.eutils_url, config.scopus_url, config.ncbi_tool) == (
        "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", "https://api.elsevier.com/content/search/scopus", "sysrev")
    assert (config.request_deadline, config.run_deadline) == (300.0, 3600.0)
    assert config.secrets() == [] and (config.ncbi_api_key, config.elsevier_api_key) == ("", "")


@pytest.mark.parametrize("setting", sorted(SOURCES))
def test_each_setting_comes_from_the_file_and_the_environment_wins(tmp_path, setting):
    var, text = SOURCES[setting]
    path = tmp_path / "config.toml"
    path.write_text(text.format("from-file"))
    assert getattr(load_config(env={}, path=path), setting) == "from-file"
    assert getattr(load_config(env={var: "  from-env\n"}, path=path), setting) == "from-env"  # stripped
    others = {v for name, (v, _) in SOURCES.items() if name != setting}
    assert getattr(load_config(env=dict.fromkeys(others, "other"), path=path), setting) == "from-file"


def test_secrets_are_listed_for_redaction_and_never_shown(tmp_path):
    env = {"NCBI_API_KEY": "NKEY1", "NCBI_EMAIL": "me@example.org", "ELSEVIER_API_KEY": "EKEY2",
           "ELSEVIER_INSTTOKEN": "ITOK3", "NCBI_TOOL": "mytool", "SYSREV_EUTILS_URL": "http://127.0.0.1:9/"}
    config = load_config(env=env, path=tmp_path / "none.toml")
    assert config.secrets() == ["NKEY1", "me@example.org", "EKEY2", "ITOK3"]
    assert all(secret not in repr(config) for secret in config.secrets())
    assert "mytool" in repr(config) and "http://127.0.0.1:9/" in repr(config)
    assert load_config(env={"NCBI_EMAIL": "me@example.org"}, path=tmp_path / "none.toml").secrets() == \
        ["me@example.org"]


def test_a_key_of_the_wrong_type_or_a_section_that_is_not_a_table_is_refused_without_its_value(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[ncbi]\napi_key = 123456789\n")
    with pytest.raises(InputError, match=r"\[ncbi\] api_key must be a string") as info:
        load_config(env={}, path=path)
    assert "config.toml" in str(info.value) and "123456789" not in str(info.value)
    for section in ("ncbi", "elsevier", "urls", "search"):
        path.write_text(f'{section} = "SECRETVALUE"\n')
        with pytest.raises(InputError, match=rf"\[{section}\] must be a table") as info:
            load_config(env={}, path=path)
        assert str(path) in str(info.value) and "SECRETVALUE" not in str(info.value)
    path.write_text('[ncbi]\napi_key = "SECRETVALUE\n')  # unterminated string
    with pytest.raises(InputError, match="invalid TOML") as info:
        load_config(env={}, path=path)
    assert str(path) in str(info.value) and "SECRETVALUE" not in str(info.value)
    path.write_bytes(b'[ncbi]\napi_key = "\xff"\n')
    with pytest.raises(InputError, match="invalid TOML"):
        load_config(env={}, path=path)


def test_deadlines_from_the_environment_or_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[search]\nrequest_deadline = 12\nrun_deadline = 0.5\n")
    config = load_config(env={}, path=path)
    assert (config.request_deadline, config.run_deadline) == (12.0, 0.5)
    config = load_config(env={"SYSREV_REQUEST_DEADLINE": "7.5", "SYSREV_RUN_DEADLINE": "60"}, path=path)
    assert (config.request_deadline, config.run_deadline) == (7.5, 60.0)
    config = load_config(env={"SYSREV_REQUEST_DEADLINE": "", "SYSREV_RUN_DEADLINE": ""}, path=path)
    assert (config.request_deadline, config.run_deadline) == (12.0, 0.5)  # an empty variable is not set
    path.write_text('[search]\nrun_deadline = ""\n')
    assert load_config(env={}, path=path).run_deadline == 3600.0  # nor is an empty value in the file


@pytest.mark.parametrize(("env", "text", "message"), [
    ({"SYSREV_REQUEST_DEADLINE": "0"}, "", "SYSREV_REQUEST_DEADLINE must be a positive number of seconds, not '0'"),
    ({"SYSREV_RUN_DEADLINE": "-3"}, "", "SYSREV_RUN_DEADLINE must be a positive number of seconds, not '-3'"),
    ({"SYSREV_RUN_DEADLINE": "soon"}, "", "SYSREV_RUN_DEADLINE must be a positive number of seconds, not 'soon'"),
    ({"SYSREV_RUN_DEADLINE": "nan"}, "", "not 'nan'"),
    ({}, '[search]\nrun_deadline = "an hour"\n', "[search] run_deadline in {path} must be a positive number"),
    ({}, "[search]\nrequest_deadline = 0\n", "[search] request_deadline in {path} must be a positive number of "
                                             "seconds, not 0"),
    ({}, "[search]\nrequest_deadline = [1]\n", "not [1]"),
])
def test_a_deadline_that_is_not_a_positive_number_is_refused(tmp_path, env, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_config(env=env, path=path)
    assert message.format(path=path) in str(info.value)


def test_the_user_file_is_found_from_the_environment(tmp_path, monkeypatch):
    assert user_config_path({"SYSREV_CONFIG": "~/my.toml"}) == Path.home() / "my.toml"
    assert user_config_path({"SYSREV_CONFIG": "", "XDG_CONFIG_HOME": "~/xdg"}) == \
        Path.home() / "xdg" / "sysrev" / "config.toml"
    assert user_config_path({}) == Path.home() / ".config" / "sysrev" / "config.toml"
    path = tmp_path / "user.toml"
    path.write_text('[ncbi]\nemail = "me@example.org"\n')
    monkeypatch.setenv("SYSREV_CONFIG", str(path))
    monkeypatch.delenv("NCBI_EMAIL", raising=False)
    assert user_config_path() == path
    assert load_config().ncbi_email == "me@example.org"  # os.environ and the file it names
    other = tmp_path / "other.toml"
    other.write_text('[ncbi]\nemail = "other@example.org"\n')
    assert load_config(env={"SYSREV_CONFIG": str(other)}).ncbi_email == "other@example.org"  # the env given


# ----------------------------------------------------------------------------------------- strategies

def _write(folder, name, text):
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def test_a_strategy_file_read_with_every_key(tmp_path):
    path = _write(tmp_path, "pm", 'name = "medline"\ndatabase = "pubmed"\nquery = """\n  pain[tiab]\n"""\n'
                                  'datetype = "edat"\nmindate = "2001-02"\nmaxdate = "2003"\ndraft = true\n'
                                  'description = "for people"\n')
    assert load_strategy(path) == Strategy(name="medline", database="pubmed", query="pain[tiab]", path=path,
                                           datetype="edat", mindate="2001-02", maxdate="2003", draft=True)
    path = _write(tmp_path, "central", 'database = "file"\nfile = "searches/central.ris"\n')
    assert load_strategy(path) == Strategy(name="central", database="file", query="", path=path,
                                           file="searches/central.ris")
    plain = load_strategy(_write(tmp_path, "sc", 'database = "scopus"\nquery = "x"\n'))
    undated = _write(tmp_path, "export", 'database = "file"\nmindate = "since 2010"\n')  # never searched: unchecked
    assert load_strategy(undated).mindate == "since 2010"
    empty = _write(tmp_path, "empty", 'database = "pubmed"\nquery = " "\n')
    with pytest.raises(InputError) as info:
        load_strategy(empty)
    assert str(info.value) == f"{empty}: key 'query' is missing or empty"
    assert (plain.name, plain.datetype, plain.mindate, plain.maxdate, plain.file, plain.draft) == \
        ("sc", "pdat", None, None, None, False)


@pytest.mark.parametrize(("text", "message"), [
    ('database = "pubmed"\nquery = "  "\n', "key 'query' is missing or empty"),
    ('database = "scopus"\n', "key 'query' is missing or empty"),
    ('database = "embase"\nquery = "x"\n', "'database'"),
    ('database = "pubmed"\nquery = "x"\ndraft = "yes"\n', "draft"),
    # month 13 was read as January of the next year, month 0 as December of the year before
    ('database = "pubmed"\nquery = "x"\nmaxdate = "2001-13"\n', "'2001-13': month must be in 1..12"),
    ('database = "pubmed"\nquery = "x"\nmaxdate = "2001-00"\n', "'2001-00': month must be in 1..12"),
    ('database = "pubmed"\nquery = "x"\nmindate = "2010"\nmaxdate = "2009-12-31"\n',
     "mindate 2010 is after maxdate 2009-12-31"),
    # a date left out was named 'None'
    ('database = "pubmed"\nquery = "x"\nmindate = "2999"\n', "mindate 2999 is after maxdate "),
    ('database = "pubmed"\nquery = "x"\nmaxdate = "1700"\n',
     "mindate 1780-01-01 (the default) is after maxdate 1700"),
])
def test_a_bad_strategy_is_refused_naming_the_file_and_key(tmp_path, text, message):
    path = _write(tmp_path, "bad", text)
    with pytest.raises(SysrevError, match="bad.toml") as info:
        load_strategy(path)
    assert message in str(info.value)


def test_date_windows_of_a_strategy():
    today = date(2026, 6, 1)

    def window(**dates):
        return Strategy("s", "pubmed", "x", Path("s.toml"), **dates).pubmed_window(today)

    assert window() is None
    assert Strategy("s", "scopus", "x", Path("s.toml")).scopus_years(today) is None
    only_min = window(mindate="2020-02")
    assert (only_min.mindate, only_min.maxdate, only_min.field) == (date(2020, 2, 1), date(2028, 12, 31), "pdat")
    only_max = window(maxdate="1999-02", datetype="edat")
    assert (only_max.mindate, only_max.maxdate, only_max.field) == (date(1780, 1, 1), date(1999, 2, 28), "edat")
    same_day = window(mindate="2020-03-04", maxdate="2020-03-04")
    assert (same_day.mindate, same_day.maxdate) == (date(2020, 3, 4), date(2020, 3, 4))
    assert Strategy("s", "scopus", "x", Path("s.toml"), mindate="2019-06").scopus_years(today) == (2019, 2028)
    with pytest.raises(SysrevError, match="invalid mindate in s.toml 'x'"):
        window(mindate="x")
    with pytest.raises(SysrevError, match="invalid maxdate in s.toml 'y'"):
        window(maxdate="y")
    with pytest.raises(InputError) as info:
        window(mindate="2029-01")
    assert str(info.value) == "s.toml: mindate 2029-01 is after maxdate 2028-12-31 (the default: two years ahead)"


def test_a_draft_says_what_to_do_and_is_never_sent(tmp_path, make_server):
    server = make_server(pubmed=SyntheticPubmed(3))
    strategy = load_strategy(_write(tmp_path, "pm", 'database = "pubmed"\nquery = "x"\ndraft = true\n'))
    assert strategy.draft_message() == (
        f"{tmp_path / 'pm.toml'}: the query is still the starting point `sysrev init` built (draft = true); "
        "write the real search strategy, then delete the 'draft' line")
    with pytest.raises(SysrevError) as info:
        run_strategy(strategy, tmp_path / "runs", config=SearchConfig(eutils_url=server.url))
    assert str(info.value) == strategy.draft_message() and server.requests() == []


def test_the_strategies_of_a_folder_all_or_by_name(tmp_path):
    with pytest.raises(SysrevError, match=f"no search strategies \\(\\*.toml\\) in {tmp_path}"):
        load_strategies(tmp_path)
    with pytest.raises(SysrevError, match="no search strategy named a in .* \\(available: none\\)"):
        load_strategies(tmp_path, ["a"])
    for stem in ("b", "a", "c"):
        _write(tmp_path, stem, f'name = "n{stem}"\ndatabase = "pubmed"\nquery = "x"\n')
    (tmp_path / "notes.txt").write_text("not a strategy")
    assert [s.name for s in load_strategies(tmp_path)] == ["na", "nb", "nc"]
    assert [s.name for s in load_strategies(str(tmp_path), ["nc", "na"])] == ["nc", "na"]
    with pytest.raises(SysrevError) as info:
        load_strategies(tmp_path, ["nb", "x", "y"])
    assert str(info.value) == f"no search strategy named x, y in {tmp_path} (available: na, nb, nc)"


# -------------------------------------------------------------------------------- runs of a strategy

def test_the_query_hash_ignores_surrounding_whitespace_only():
    assert query_sha256(None) == query_sha256("") == hashlib.sha256(b"").hexdigest()
    assert query_sha256("  pain\n") == hashlib.sha256(b"pain").hexdigest()
    assert query_sha256("douleur é") == hashlib.sha256("douleur é".encode()).hexdigest()
    strategy = Strategy("pm", "pubmed", "pain", Path("pm.toml"))
    assert strategy_identity(strategy) == {"name": "pm", "database": "pubmed",
                                           "query_sha256": hashlib.sha256(b"pain").hexdigest()}


def _run(runs, name, ids, *, day, database="pubmed", query="pain", **extra):
    return write_snapshot(runs, name, [Record(source_id=i) for i in ids], database=database, query=query,
                          extra=extra or None, now=datetime(2026, *day, tzinfo=UTC))


def test_which_snapshots_are_runs_of_a_strategy(tmp_path):
    pm = Strategy("pm", "pubmed", "pain", Path("pm.toml"))
    other = {**strategy_identity(pm), "query_sha256": query_sha256("other")}
    old_style = _run(tmp_path, "pm", "1", day=(1, 1), query=" pain ")  # no `strategy` key: the query text counts
    _run(tmp_path, "pm", "2", day=(1, 2), query="pain", strategy=other)  # the key wins over the query text
    _run(tmp_path, "pm", "3", day=(1, 3), database="scopus")
    _run(tmp_path, "pm", "4", day=(1, 4), query="pain OR ache")
    _run(tmp_path, "pmx", "5", day=(1, 5))
    keyed = _run(tmp_path, "pm", "6", day=(1, 6), query="ignored", strategy=strategy_identity(pm))
    assert strategy_runs(tmp_path, pm) == [old_style, keyed]
    central = Strategy("central", "file", "", Path("central.toml"))
    imports = [_run(tmp_path, "central", "7", day=(1, 7), database="file", query=None),
               _run(tmp_path, "central", "8", day=(1, 8), database="file", query="anything")]
    _run(tmp_path, "central", "9", day=(1, 9), database="pubmed")
    assert strategy_runs(tmp_path, central) == imports


def test_a_living_update_starts_from_the_last_run_and_takes_its_gaps(tmp_path):
    pm = Strategy("pm", "pubmed", "pain", Path("pm.toml"))
    gap = {"kind": "batch", "window": {"field": "edat", "mindate": "2026-02-01", "maxdate": "2026-02-02"}}
    _run(tmp_path, "pm", "1", day=(1, 10), gaps=[{"kind": "esearch", "window": None}])
    _run(tmp_path, "pm", "1", day=(2, 20), gaps=[gap])
    _run(tmp_path, "pm", "1", day=(3, 1), query="edited")  # another query: not a run of this strategy
    assert resolve_since("last", tmp_path, pm, 3) == (date(2026, 2, 17), [gap])
    assert resolve_since("last", tmp_path, pm, 0) == (date(2026, 2, 20), [gap])
    assert resolve_since("2026-01-05", tmp_path, pm, 2) == (date(2026, 1, 3), [gap])
    latest = _run(tmp_path, "pm", "1", day=(3, 2))
    assert resolve_since("last", tmp_path, pm, 1) == (date(2026, 3, 1), [])
    manifest = json.loads((latest / "manifest.json").read_text())
    del manifest["gaps"]  # as a manifest written before runs recorded their gaps
    (latest / "manifest.json").write_text(json.dumps(manifest))
    assert resolve_since("last", tmp_path, pm, 1) == (date(2026, 3, 1), [])


def test_since_last_without_an_earlier_run_and_a_bad_since(tmp_path):
    pm = Strategy("pm", "pubmed", "pain", Path("pm.toml"))
    with pytest.raises(SysrevError) as info:
        resolve_since("last", tmp_path, pm, 3)
    assert str(info.value) == (f"--since last: search 'pm' has no earlier run of this query in {tmp_path}; "
                               "run it once in full")
    assert resolve_since("2026-01-05", tmp_path, pm, 3) == (date(2026, 1, 2), [])
    with pytest.raises(SysrevError) as info:
        resolve_since("2026-1-5", tmp_path, pm, 3)
    assert str(info.value) == "--since must be 'last' or a date YYYY-MM-DD (found '2026-1-5')"


LATER = date(2031, 6, 1)  # `today` of a run, in another year than the clock's


def _pubmed(monkeypatch, server, eutils):
    from sysrev.search import runner

    real = runner.search_pubmed
    monkeypatch.setattr(runner, "search_pubmed", lambda *a, **k: real(*a, **{**k, "eutils": eutils}))


def _scopus(monkeypatch, api):
    from sysrev.search import runner

    real = runner.search_scopus
    monkeypatch.setattr(runner, "search_scopus", lambda *a, **k: real(*a, **{**k, "api": api}))


def test_a_pubmed_living_update_records_how_it_was_made(make_server, eutils_for, tmp_path, monkeypatch):
    server = make_server(pubmed=SyntheticPubmed(6))
    _pubmed(monkeypatch, server, eutils_for(server))
    strategy = load_strategy(_write(tmp_path, "pm", 'database = "pubmed"\nquery = "pain"\n'))
    runs = tmp_path / "runs"
    gap = {"kind": "batch", "window": {"field": "pdat", "mindate": "2001-01-01", "maxdate": "2001-12-31"},
           "retstart": 0, "retmax": 5, "detail": "HTTP 500"}
    _run(runs, "pm", "1", day=(5, 10), gaps=[gap], strategy=strategy_identity(strategy))
    outcome = run_strategy(strategy, runs, since="last", overlap_days=2, today=LATER)
    manifest = read_snapshot(outcome.snapshot)[0]
    assert (manifest["since"], manifest["overlap_days"], manifest["strategy_file"]) == ("2026-05-08", 2, "pm.toml")
    assert manifest["strategy"] == strategy_identity(strategy) and "full_run_because" not in manifest
    windows = {(p.get("datetype"), p.get("mindate"), p.get("maxdate")) for _, _, p, _ in server.requests("esearch")}
    assert ("edat", "2026/05/08", "2033/12/31") in windows  # new entries since, up to two years ahead of today
    assert ("pdat", "2001/01/01", "2001/12/31") in windows  # the previous run's gap, fetched again
    full = run_strategy(strategy, runs, today=LATER)
    manifest = read_snapshot(full.snapshot)[0]
    assert manifest["since"] is None and "overlap_days" not in manifest and manifest["date_window"] is None
    assert changes_since_previous(runs, full.snapshot, strategy)["gone"] == 0


def test_a_scopus_strategy_runs_in_full_only_when_an_update_follows_gaps(make_server, scopus_for, tmp_path,
                                                                        monkeypatch):
    server = make_server(scopus=SyntheticScopus(4))
    _scopus(monkeypatch, scopus_for(server))
    strategy = load_strategy(_write(tmp_path, "sc", 'database = "scopus"\nquery = "pain"\nmindate = "2001"\n'))
    runs = tmp_path / "runs"
    _run(runs, "sc", ["2-s2.0-1"], day=(5, 10), database="scopus", gaps=[{"kind": "page", "start": 0}],
         strategy=strategy_identity(strategy))
    full = read_snapshot(run_strategy(strategy, runs, today=LATER).snapshot)[0]
    assert "full_run_because" not in full and full["since"] is None
    assert full["date_window"] == {"field": "pubyear", "first": 2001, "last": 2033}
    update = read_snapshot(run_strategy(strategy, runs, since="2026-05-20", overlap_days=1,
                                        today=LATER).snapshot)[0]
    assert update["since"] == "2026-05-19" and update["overlap_days"] == 1 and "full_run_because" not in update
    assert server.requests("scopus")[-1][2]["query"].endswith("ORIG-LOAD-DATE AFT 20260519")


@pytest.mark.parametrize("database", ["pubmed", "scopus"])
def test_a_run_uses_the_settings_progress_and_day_it_is_given_and_resumes(make_server, tmp_path, monkeypatch,
                                                                         database):
    from sysrev.search.partial import PartialRun

    server = make_server(pubmed=SyntheticPubmed(4), scopus=SyntheticScopus(4))
    config = SearchConfig(eutils_url=server.url, scopus_url=server.scopus_url, elsevier_api_key="K3Y")
    strategy = load_strategy(_write(tmp_path, "s", f'database = "{database}"\nquery = "pain"\nmindate = "2001"\n'))
    runs = tmp_path / "runs"
    real_add = PartialRun.add_lines
    for var, value in {"SYSREV_CONFIG": str(tmp_path / "none.toml"), "SYSREV_EUTILS_URL": "http://127.0.0.1:9/",
                       "SYSREV_SCOPUS_URL": "http://127.0.0.1:9/", "ELSEVIER_API_KEY": "",
                       "SYSREV_REQUEST_DEADLINE": "1", "SYSREV_RUN_DEADLINE": "2"}.items():
        monkeypatch.setenv(var, value)  # settings not given would fail at once

    def interrupted(self, key, rows):  # Ctrl-C once the first batch is saved
        real_add(self, key, rows)
        raise KeyboardInterrupt

    monkeypatch.setattr(PartialRun, "add_lines", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_strategy(strategy, runs, config=config, today=LATER)
    monkeypatch.setattr(PartialRun, "add_lines", real_add)
    with pytest.raises(SysrevError, match="--resume"):
        run_strategy(strategy, runs, config=config, today=LATER)
    terminal = _Terminal()
    outcome = run_strategy(strategy, runs, config=config, today=LATER, resume=True,
                           progress=Progress(f"{database} s", stream=terminal))
    manifest, records = read_snapshot(outcome.snapshot)
    assert manifest["resumed"] is True and len(records) == 3 and f"{database} s: 100%" in terminal.getvalue()
    last = {"pubmed": "2033-12-31", "scopus": 2033}[database]
    assert last in manifest["date_window"].values()  # two years after the day given, not the clock's
    assert server.requests()  # the base URLs of the settings given (one of the 4 records is from 2000)


def test_a_run_without_a_day_takes_the_utc_day(make_server, scopus_for, tmp_path, monkeypatch):
    from sysrev.search import runner

    class Clock(datetime):  # 23:00 UTC on 31 December 2030; the local clock is 14 hours ahead
        @classmethod
        def now(cls, tz=None):
            return datetime(2030, 12, 31, 23, 0, tzinfo=UTC) if tz is UTC else datetime(2031, 1, 1, 13, 0)

    monkeypatch.setattr(runner, "datetime", Clock)
    server = make_server(scopus=SyntheticScopus(2))
    _scopus(monkeypatch, scopus_for(server))
    strategy = load_strategy(_write(tmp_path, "sc", 'database = "scopus"\nquery = "pain"\nmindate = "2001"\n'))
    manifest = read_snapshot(run_strategy(strategy, tmp_path / "runs").snapshot)[0]
    assert manifest["date_window"]["last"] == 2032  # 2030 + 2, not 2031 + 2


def test_a_file_strategy_is_not_searched(tmp_path):
    strategy = load_strategy(_write(tmp_path, "central", 'database = "file"\nfile = "x.ris"\n'))
    with pytest.raises(SysrevError) as info:
        run_strategy(strategy, tmp_path / "runs", today=date(2026, 6, 1))
    assert str(info.value) == f"{tmp_path / 'central.toml'}: database 'file' is not searched by sysrev search"


def test_changes_are_counted_against_the_run_just_before(tmp_path):
    first = _run(tmp_path, "pm-a", "123", day=(1, 1))
    _run(tmp_path, "a", "9", day=(1, 15))  # another search's run is never the previous one
    second = _run(tmp_path, "pm-a", "234", day=(2, 1))
    third = _run(tmp_path, "pm-a", "2345", day=(3, 1))
    assert changes_since_previous(tmp_path, str(second)) == {"previous": first.name, "new": 1, "gone": 1}
    assert changes_since_previous(tmp_path, third) == {"previous": second.name, "new": 1, "gone": 0}


# ----------------------------------------------------------------------------------------- progress

class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_bar_is_drawn_on_a_terminal_only():
    terminal = _Terminal()
    assert Progress("x", stream=terminal).total is None  # not known yet
    with Progress("PubMed pm", stream=terminal) as progress:
        progress.advance(3)  # resumed: records fetched before the total is known
        progress.set_total(10)
        assert "PubMed pm:  30%" in terminal.getvalue() and "3/10" in terminal.getvalue()
        progress.advance(2)
        progress.set_total(20)  # a slice's count changed: shown at once
        assert "5/20" in terminal.getvalue()
        progress.advance(15)
        assert not terminal.getvalue().endswith("\n")
    text = terminal.getvalue()
    assert "20/20" in text and "rec/s" in text and text.endswith("\n")  # the bar is closed on leaving
    assert (progress.done, progress.total) == (20, 20)
    progress.close()  # closing twice is harmless
    assert terminal.getvalue() == text
    forced = io.StringIO()
    with Progress("x", stream=forced, enabled=True) as progress:
        progress.set_total(4)
    assert "0/4" in forced.getvalue()
    with Progress("x", stream=_Terminal(), enabled=False) as progress:
        progress.set_total(4)
        progress.advance(4)
        assert progress.stream.getvalue() == "" and progress.done == 4


def test_the_bar_goes_to_standard_error_by_default(capsys, monkeypatch):
    monkeypatch.setattr("sys.stderr", _Terminal())
    import sys

    with Progress("Scopus sc") as progress:
        progress.set_total(2)
        progress.advance(2)
    assert "Scopus sc: 100%" in sys.stderr.getvalue() and capsys.readouterr().out == ""


# ------------------------------------------------------------------------------------ forked processes

def _search_in_child(url, out):
    from sysrev.search.pubmed import search_pubmed

    search_pubmed("pain", out_dir=out, config=SearchConfig(eutils_url=url))


def test_a_forked_process_searches_with_its_own_shared_limiter(make_server, tmp_path):
    """A process forked after a search (a multiprocessing pool, a test runner's fork server) failed every
    request: the parent's shared limiter held a file lock the child may not use ('inherited across fork')."""
    import multiprocessing

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(2))
    search_pubmed("pain", out_dir=tmp_path / "parent", config=SearchConfig(eutils_url=server.url))
    child = multiprocessing.get_context("fork").Process(target=_search_in_child,
                                                         args=(server.url, tmp_path / "child"))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    assert len(read_snapshot(list_snapshots(tmp_path / "child")[0])[1]) == 2


def test_a_scopus_run_split_by_year_ends_its_years_after_the_day_given(make_server, scopus_for, tmp_path,
                                                                      monkeypatch):
    """Without the cursor, more than 5,000 results are split by publication year up to the year after `today`."""
    server = make_server(scopus=SyntheticScopus(5001, cursor_allowed=False))
    _scopus(monkeypatch, scopus_for(server, count=200))
    strategy = load_strategy(_write(tmp_path, "sc", 'database = "scopus"\nquery = "pain"\n'))
    manifest = read_snapshot(run_strategy(strategy, tmp_path / "runs", today=LATER).snapshot)[0]
    assert max(year for s in manifest["slices"] for year in s["years"]) == 2032
