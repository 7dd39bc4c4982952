"""`sysrev search pubmed|scopus|run` end to end against the local fake server."""

import json

import pytest
from click.testing import CliRunner
from search_fake_servers import SyntheticPubmed, SyntheticScopus

from sysrev.cli.main import cli
from sysrev.search.snapshot import list_snapshots, read_snapshot


@pytest.fixture
def server(make_server):
    return make_server(pubmed=SyntheticPubmed(12), scopus=SyntheticScopus(7))


@pytest.fixture
def env(server, tmp_path):
    return {"SYSREV_EUTILS_URL": server.url, "SYSREV_SCOPUS_URL": server.scopus_url,
            "SYSREV_CONFIG": str(tmp_path / "no-config.toml"), "NCBI_API_KEY": "", "NCBI_EMAIL": "",
            "ELSEVIER_API_KEY": "ELSKEY42", "ELSEVIER_INSTTOKEN": ""}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "review"
    (root / "searches").mkdir(parents=True)
    (root / "review.toml").write_text('[review]\ntitle = "t"\nquestion = "q"\n')
    (root / "searches" / "pubmed.toml").write_text(
        'database = "pubmed"\nquery = "back pain"\nmindate = "2000"\nmaxdate = "2026-12-31"\n')
    (root / "searches" / "scopus.toml").write_text('database = "scopus"\nquery = "TITLE-ABS-KEY(pain)"\n')
    (root / "searches" / "central.toml").write_text('database = "file"\nfile = "searches/central.ris"\n')
    return root


def test_search_pubmed_command(server, env, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["search", "pubmed", "--query", "back pain", "--mindate", "2000",
                                      "--maxdate", "2030", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    [snap] = list_snapshots(out)
    manifest, records = read_snapshot(snap)
    assert len(records) == 12 and manifest["date_window"]["mindate"] == "2000-01-01"
    assert "12 reported, 12 retrieved" in result.output
    assert "%|" not in result.output  # no progress bar when not on a terminal


def test_search_scopus_command_and_missing_key(server, env, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["search", "scopus", "--query", "x", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert len(read_snapshot(list_snapshots(out)[0])[1]) == 7
    result = CliRunner().invoke(cli, ["search", "scopus", "--query", "x", "--out", str(out)],
                                env={**env, "ELSEVIER_API_KEY": ""})
    assert result.exit_code == 2 and "ELSEVIER_API_KEY" in result.output


def test_search_run_project_then_living_update(server, env, project):
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "run", "--project", str(project)], env=env)
    assert result.exit_code == 0, result.output
    assert "central: skipped" in result.output and "sysrev import searches/central.ris" in result.output
    runs = project / "searches" / "runs"
    assert [p.name.split("-", 1)[1] for p in list_snapshots(runs)] == ["pubmed", "scopus"]
    manifest = read_snapshot(list_snapshots(runs, "pubmed")[0])[0]
    assert manifest["strategy_file"] == "pubmed.toml"
    result = runner.invoke(cli, ["search", "run", "pubmed", "--project", str(project), "--since", "last"], env=env)
    assert result.exit_code == 0, result.output
    assert "compared with " in result.output and ": 0 new" in result.output
    latest = list_snapshots(runs, "pubmed")[-1]
    manifest = read_snapshot(latest)[0]
    assert manifest["since"] is not None and manifest["overlap_days"] == 3
    text = "".join(p.read_text() for p in runs.rglob("manifest.json"))
    assert "ELSKEY42" not in text


def test_search_run_errors_name_file_and_key(server, env, project):
    (project / "searches" / "bad.toml").write_text('database = "pubmed"\nquery = ""\n')
    result = CliRunner().invoke(cli, ["search", "run", "--project", str(project)], env=env)
    assert result.exit_code == 2 and "bad.toml" in result.output and "'query'" in result.output
    (project / "searches" / "bad.toml").unlink()
    result = CliRunner().invoke(cli, ["search", "run", "nosuch", "--project", str(project)], env=env)
    assert result.exit_code == 2 and "available: central, pubmed, scopus" in result.output


def test_search_run_since_last_without_earlier_run(server, env, project):
    result = CliRunner().invoke(cli, ["search", "run", "pubmed", "--project", str(project), "--since", "last"],
                                env=env)
    assert result.exit_code == 2 and "no earlier run" in result.output


def test_gaps_give_exit_status_1_and_are_listed(server, env, tmp_path):
    server.fault("efetch", "body", status=400, body=b"bad")  # an unretryable batch failure
    result = CliRunner().invoke(cli, ["search", "pubmed", "--query", "x", "--out", str(tmp_path / "o")], env=env)
    assert result.exit_code == 1
    assert "gap (batch)" in result.output and "next run fetches them again" in result.output
    manifest = json.loads(next((tmp_path / "o").glob("*/manifest.json")).read_text())
    assert manifest["gaps"][0]["retstart"] == 0


def test_ctrl_c_says_how_to_resume(server, env, tmp_path, monkeypatch):
    from sysrev.search import pubmed  # the command imports search_pubmed from here when it runs

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pubmed, "search_pubmed", interrupted)
    result = CliRunner().invoke(cli, ["search", "pubmed", "--query", "x", "--out", str(tmp_path)], env=env)
    assert result.exit_code == 130 and "--resume" in result.output


def test_progress_bar_shows_fetched_of_expected_on_a_terminal():
    import io

    from sysrev.search.progress import Progress

    stream = io.StringIO()
    with Progress("PubMed pubmed", stream=stream, enabled=True) as progress:
        progress.set_total(1200)
        progress.advance(500)
        progress.advance(700)
    assert "1200/1200" in stream.getvalue() and "PubMed pubmed" in stream.getvalue()
    quiet = io.StringIO()
    with Progress("x", stream=quiet) as progress:  # a StringIO is not a TTY
        progress.set_total(10)
        progress.advance(10)
    assert quiet.getvalue() == ""


def test_one_failing_database_does_not_stop_the_others(server, env, project):
    result = CliRunner().invoke(cli, ["search", "run", "--project", str(project)],
                                env={**env, "ELSEVIER_API_KEY": ""})
    assert result.exit_code == 2
    assert "error: scopus: Scopus needs an API key" in result.output
    assert "1 search failed: scopus" in result.output
    assert [p.name.split("-", 1)[1] for p in list_snapshots(project / "searches" / "runs")] == ["pubmed"]


def test_query_warnings_are_printed_before_the_query_is_sent_as_written(server, env, project):
    strategy = project / "searches" / "pubmed.toml"
    strategy.write_text(strategy.read_text().replace('"back pain"', "'back pain or lumbago'"))
    result = CliRunner().invoke(cli, ["search", "run", "pubmed", "--project", str(project)], env=env)
    assert result.exit_code == 0, result.output
    warning = (f"warning: {strategy}: the query: 'or' in lower case: PubMed searches it as a word; its Boolean "
               "operators are upper case (OR)")
    assert result.stderr.splitlines()[0] == warning
    manifest = json.loads(next((project / "searches" / "runs").glob("*-pubmed/manifest.json")).read_text())
    assert manifest["query"] == "back pain or lumbago"


def test_bad_run_name_is_refused_before_searching(server, env, tmp_path):
    result = CliRunner().invoke(cli, ["search", "pubmed", "--query", "x", "--name", "a/b", "--out", str(tmp_path)],
                                env=env)
    assert result.exit_code == 2 and "invalid snapshot name" in result.output
    assert server.requests() == []


def test_interrupted_command_resumes_with_every_record_once(server, env, tmp_path, monkeypatch):
    from sysrev.search.partial import PartialRun

    real_add = PartialRun.add_lines
    calls = {"n": 0}

    def interrupt_on_second_batch(self, key, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real_add(self, key, rows)

    out = tmp_path / "out"
    command = ["search", "pubmed", "--query", "back pain", "--batch-size", "5", "--out", str(out)]
    monkeypatch.setattr(PartialRun, "add_lines", interrupt_on_second_batch)
    result = CliRunner().invoke(cli, command, env=env)
    assert result.exit_code == 130 and "--resume" in result.output and list_snapshots(out) == []
    monkeypatch.setattr(PartialRun, "add_lines", real_add)
    result = CliRunner().invoke(cli, command, env=env)
    assert result.exit_code == 2 and "--resume" in result.output  # nothing fetched so far is thrown away
    result = CliRunner().invoke(cli, command + ["--resume"], env=env)
    assert result.exit_code == 0, result.output
    manifest, records = read_snapshot(list_snapshots(out)[0])
    ids = [r.source_id for r in records]
    assert len(ids) == len(set(ids)) == 12 and manifest["resumed"] is True
