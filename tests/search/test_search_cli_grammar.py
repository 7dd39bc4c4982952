"""One grammar for `search pubmed` and `search scopus`: --project, snapshots in the project by default, the same
date and limit options (the old Scopus year options still work, with a warning)."""

import pytest
from click.testing import CliRunner
from search_fake_servers import SyntheticPubmed, SyntheticScopus

from sysrev.cli.main import cli
from sysrev.search.snapshot import list_snapshots, read_snapshot


@pytest.fixture
def env(make_server, tmp_path):
    server = make_server(pubmed=SyntheticPubmed(12), scopus=SyntheticScopus(7))
    return {"SYSREV_EUTILS_URL": server.url, "SYSREV_SCOPUS_URL": server.scopus_url,
            "SYSREV_CONFIG": str(tmp_path / "no-config.toml"), "NCBI_API_KEY": "", "NCBI_EMAIL": "",
            "ELSEVIER_API_KEY": "ELSKEY42", "ELSEVIER_INSTTOKEN": ""}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "review"
    root.mkdir()
    (root / "review.toml").write_text('[review]\ntitle = "t"\n')
    return root


@pytest.mark.parametrize("database", ["pubmed", "scopus"])
def test_search_writes_into_the_project_by_default(env, project, database):
    result = CliRunner().invoke(cli, ["search", database, "--query", "x", "--project", str(project),
                                      "--mindate", "2020", "--maxdate", "2021", "--batch-size", "5"], env=env)
    assert result.exit_code == 0, result.output
    (snapshot,) = list_snapshots(project / "searches" / "runs")
    assert snapshot.name.endswith(f"-{database}")


def test_scopus_dates_use_the_pubmed_names_and_the_old_ones_still_work(env, tmp_path):
    new = CliRunner().invoke(cli, ["search", "scopus", "--query", "x", "--mindate", "2019", "--maxdate", "2021-06",
                                   "--out", str(tmp_path / "a")], env=env)
    old = CliRunner().invoke(cli, ["search", "scopus", "--query", "x", "--first-year", "2019", "--last-year",
                                   "2021", "--out", str(tmp_path / "b")], env=env)
    assert new.exit_code == 0 and old.exit_code == 0, new.output + old.output
    windows = [read_snapshot(list_snapshots(tmp_path / d)[0])[0]["date_window"] for d in "ab"]
    assert windows == [{"field": "pubyear", "first": 2019, "last": 2021}] * 2
    assert "--first-year is deprecated; use --mindate 2019" in old.stderr
    assert "--first-year" not in CliRunner().invoke(cli, ["search", "scopus", "--help"]).output


def test_search_outside_a_project_without_out_says_what_to_do(env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["search", "pubmed", "--query", "x"], env=env)
    assert result.exit_code == 2 and "review.toml" in result.stderr and "--project" in result.stderr


def test_scopus_batch_size_above_the_view_limit_is_refused(env, tmp_path):
    result = CliRunner().invoke(cli, ["search", "scopus", "--query", "x", "--view", "COMPLETE", "--batch-size", "50",
                                      "--out", str(tmp_path)], env=env)
    assert result.exit_code == 2 and "at most 25" in result.stderr
