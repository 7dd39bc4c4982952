"""Strategies and living updates: --since, overlap, the previous run's gaps."""

from datetime import UTC, date

import pytest
from search_fake_servers import SyntheticPubmed, SyntheticScopus

from sysrev.errors import InputError, SysrevError
from sysrev.records import Record
from sysrev.search.runner import resolve_since, run_strategy
from sysrev.search.snapshot import read_snapshot, write_snapshot
from sysrev.search.strategies import load_strategy


def _strategy(tmp_path, text, name="s"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return load_strategy(path)


def test_strategy_dates_and_errors(tmp_path):
    s = _strategy(tmp_path, 'database = "pubmed"\nquery = "x"\nmindate = "2000-05"\nmaxdate = "2001"\n'
                            'datetype = "edat"\n')
    window = s.pubmed_window(date(2026, 1, 1))
    assert (window.mindate, window.maxdate, window.field) == (date(2000, 5, 1), date(2001, 12, 31), "edat")
    assert s.scopus_years(date(2026, 1, 1)) == (2000, 2001) and s.name == "s"
    with pytest.raises(InputError, match="'database'"):
        _strategy(tmp_path, 'database = "embase"\nquery = "x"\n')
    with pytest.raises(SysrevError, match="invalid mindate"):
        _strategy(tmp_path, 'database = "pubmed"\nquery = "x"\nmindate = "May 2000"\n')
    with pytest.raises(InputError, match="after maxdate"):
        _strategy(tmp_path, 'database = "pubmed"\nquery = "x"\nmindate = "2010"\nmaxdate = "2000"\n')
    with pytest.raises(InputError, match="'datetype'"):
        _strategy(tmp_path, 'database = "pubmed"\nquery = "x"\ndatetype = "mhda"\n')


def test_resolve_since_uses_last_run_day_minus_overlap(tmp_path):
    from datetime import datetime

    write_snapshot(tmp_path, "pubmed", [Record(source_id="1")], database="pubmed", query="x",
                   extra={"gaps": [{"kind": "batch", "window": None}]},
                   now=datetime(2026, 3, 10, 23, 59, tzinfo=UTC))
    strategy = _strategy(tmp_path, 'database = "pubmed"\nquery = "x"\n', name="pubmed")
    day, gaps = resolve_since("last", tmp_path, strategy, 3)
    assert day == date(2026, 3, 7) and gaps == [{"kind": "batch", "window": None}]
    assert resolve_since("2026-01-05", tmp_path, strategy, 0)[0] == date(2026, 1, 5)
    with pytest.raises(SysrevError, match="'last' or a date"):
        resolve_since("yesterday", tmp_path, strategy, 3)
    assert resolve_since(None, tmp_path, strategy, 3) == (None, [])


def test_scopus_living_update_after_a_gap_runs_in_full(make_server, scopus_for, tmp_path, monkeypatch):
    from datetime import datetime

    from sysrev.search import runner

    corpus = SyntheticScopus(30)
    server = make_server(scopus=corpus)
    strategy = _strategy(tmp_path, 'database = "scopus"\nquery = "pain"\n', name="scopus")
    runs = tmp_path / "runs"
    write_snapshot(runs, "scopus", [Record(source_id="2-s2.0-1")], database="scopus", query="pain",
                   extra={"gaps": [{"kind": "page", "years": None, "start": 0}]},
                   now=datetime(2026, 3, 10, tzinfo=UTC))
    api = scopus_for(server)
    monkeypatch.setattr(runner, "search_scopus", _with_api(runner.search_scopus, api))
    outcome = run_strategy(strategy, runs, since="last")
    manifest, records = read_snapshot(outcome.snapshot)
    assert manifest["full_run_because"] == "the previous run had gaps" and manifest["since"] is None
    assert len(records) == 30
    assert "ORIG-LOAD-DATE" not in server.requests("scopus")[0][2]["query"]


def test_scopus_living_update_adds_load_date(make_server, scopus_for, tmp_path, monkeypatch):
    from sysrev.search import runner

    server = make_server(scopus=SyntheticScopus(5))
    strategy = _strategy(tmp_path, 'database = "scopus"\nquery = "pain"\n', name="scopus")
    monkeypatch.setattr(runner, "search_scopus", _with_api(runner.search_scopus, scopus_for(server)))
    outcome = run_strategy(strategy, tmp_path / "runs", since="2026-02-10", overlap_days=3)
    assert server.requests("scopus")[0][2]["query"] == "(pain) AND ORIG-LOAD-DATE AFT 20260207"
    assert read_snapshot(outcome.snapshot)[0]["overlap_days"] == 3


def test_pubmed_strategy_run(make_server, eutils_for, tmp_path, monkeypatch):
    from sysrev.search import runner

    corpus = SyntheticPubmed(8)
    server = make_server(pubmed=corpus)
    strategy = _strategy(tmp_path, 'database = "pubmed"\nquery = "pain"\nmindate = "1999"\n', name="pm")
    monkeypatch.setattr(runner, "search_pubmed", _with_eutils(runner.search_pubmed, eutils_for(server)))
    outcome = run_strategy(strategy, tmp_path / "runs", today=date(2026, 1, 1))
    manifest, records = read_snapshot(outcome.snapshot)
    assert len(records) == 8 and manifest["strategy_file"] == "pm.toml"
    assert manifest["date_window"] == {"field": "pdat", "mindate": "1999-01-01", "maxdate": "2028-12-31"}


def _with_api(function, api):
    return lambda *args, **kwargs: function(*args, **{**kwargs, "api": api})


def _with_eutils(function, eutils):
    return lambda *args, **kwargs: function(*args, **{**kwargs, "eutils": eutils})


def test_changes_since_previous(tmp_path):
    from datetime import datetime

    from sysrev.search.runner import changes_since_previous

    first = write_snapshot(tmp_path, "pubmed", [Record(source_id=i) for i in "123"], database="pubmed",
                           now=datetime(2026, 1, 1, tzinfo=UTC))
    assert changes_since_previous(tmp_path, first) is None
    second = write_snapshot(tmp_path, "pubmed", [Record(source_id=i) for i in "2345"], database="pubmed",
                            now=datetime(2026, 2, 1, tzinfo=UTC))
    assert changes_since_previous(tmp_path, second) == {"previous": first.name, "new": 2, "gone": 1}
    update = write_snapshot(tmp_path, "pubmed", [Record(source_id="9")], database="pubmed",
                            extra={"since": "2026-01-29"}, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert changes_since_previous(tmp_path, update) == {"previous": second.name, "new": 1, "gone": None}


def test_snapshots_are_matched_to_their_strategy_by_name_database_and_query(tmp_path):
    """An import whose folder carries the strategy's name (an NBIB file detected as 'pubmed') and a run of an
    edited query are not earlier runs of the strategy; the issue saw '1088 new, 6 no longer found'."""
    from datetime import datetime

    from sysrev.search.runner import changes_since_previous, strategy_identity, strategy_runs

    strategy = _strategy(tmp_path, 'database = "pubmed"\nquery = "pain"\n', name="pubmed")
    runs = tmp_path / "runs"
    ours = write_snapshot(runs, "pubmed", [Record(source_id=i) for i in "12"], database="pubmed", query="pain",
                          extra={"strategy": strategy_identity(strategy)},
                          now=datetime(2026, 1, 1, tzinfo=UTC))
    write_snapshot(runs, "pubmed", [Record(source_id=str(i)) for i in range(100, 110)], database="file",
                   now=datetime(2026, 1, 2, tzinfo=UTC))  # an imported export named 'pubmed'
    write_snapshot(runs, "pubmed", [Record(source_id="7")], database="pubmed", query="pain OR ache",
                   now=datetime(2026, 1, 3, tzinfo=UTC))  # an older version of the query
    latest = write_snapshot(runs, "pubmed", [Record(source_id=i) for i in "123"], database="pubmed",
                            query="pain", extra={"strategy": strategy_identity(strategy)},
                            now=datetime(2026, 2, 1, tzinfo=UTC))
    assert strategy_runs(runs, strategy) == [ours, latest]
    assert changes_since_previous(runs, latest, strategy) == {"previous": ours.name, "new": 1, "gone": 0}


def test_living_update_with_a_window_that_ends_before_it_starts_is_an_error(make_server, eutils_for, tmp_path,
                                                                          monkeypatch):
    """`--since last` on a strategy whose entry-date maxdate has passed built 2026-11-30 … 2014-12-31 and
    reported '0 new'; it is an error naming the empty window, and nothing is written."""
    from datetime import datetime

    from sysrev.search import runner

    server = make_server(pubmed=SyntheticPubmed(5))
    monkeypatch.setattr(runner, "search_pubmed", _with_eutils(runner.search_pubmed, eutils_for(server)))
    strategy = _strategy(tmp_path, 'database = "pubmed"\nquery = "pain"\ndatetype = "edat"\nmaxdate = "2014"\n',
                         name="pm")
    runs = tmp_path / "runs"
    write_snapshot(runs, "pm", [Record(source_id="1")], database="pubmed", query="pain",
                   now=datetime(2026, 12, 3, tzinfo=UTC))
    with pytest.raises(SysrevError, match=r"window 2026-11-30 … 2014-12-31 .* is empty"):
        run_strategy(strategy, runs, since="last", today=date(2026, 12, 3))
    from sysrev.search.snapshot import list_snapshots

    assert len(list_snapshots(runs)) == 1 and not list(runs.glob(".partial-*")) and not server.requests()
