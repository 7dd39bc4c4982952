"""`sysrev import --source` with a name close to a strategy of the project (a typo): the import would stand in
PRISMA as a database of its own beside the one it belongs to, so the summary says which strategy was likely
meant. A name like no strategy (a source without a strategy file: hand searching, a trial register) is left
alone."""

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.search.snapshot import read_snapshot

WARNING = ("warning: --source 'cochrane-centrl' names no strategy of this project; did you mean 'cochrane-central' "
           "(searches/cochrane-central.toml)? As given, PRISMA counts this import as a source of its own; import "
           "with --source cochrane-central (and delete the snapshot written under this name)")


def _project(tmp_path):
    tmp_path.mkdir()
    (tmp_path / "review.toml").write_text('[review]\ntitle = "Test review"\n', encoding="utf-8")
    (tmp_path / "searches").mkdir()
    for name in ("cochrane-central", "pubmed"):
        database = "file" if name != "pubmed" else "pubmed"
        (tmp_path / "searches" / f"{name}.toml").write_text(f'database = "{database}"\nquery = "x"\n',
                                                            encoding="utf-8")
    return tmp_path


def _import(project, source, *extra):
    return CliRunner().invoke(cli, ["import", str(project.parent / "refs.ris"), "--source", source,
                                    "--project", str(project), *extra])


def test_a_source_close_to_a_strategy_is_pointed_at_it(tmp_path, own_fixtures):
    project = _project(tmp_path / "p")
    (tmp_path / "refs.ris").write_bytes((own_fixtures / "formats" / "central_layout.ris").read_bytes())
    dry = _import(project, "cochrane-centrl", "--dry-run")
    assert dry.exit_code == 0 and WARNING in dry.output
    written = _import(project, "cochrane-centrl")
    assert written.exit_code == 0 and WARNING in written.output
    (run,) = (project / "searches" / "runs").iterdir()
    manifest, _ = read_snapshot(run)
    assert manifest["warnings"][-1] == WARNING.removeprefix("warning: ")


def test_the_strategys_own_name_or_a_name_like_none_gets_no_warning(tmp_path, own_fixtures):
    project = _project(tmp_path / "p")
    (tmp_path / "refs.ris").write_bytes((own_fixtures / "formats" / "central_layout.ris").read_bytes())
    # cochrane-library/-reviews are as close to cochrane-central as difflib's default cutoff (0.6) allows: other
    # databases, not typos, so the cutoff is stricter
    for source in ("cochrane-central", "handsearch", "clinicaltrials-gov", "cochrane-library", "cochrane-reviews"):
        result = _import(project, source, "--dry-run")
        assert result.exit_code == 0 and "names no strategy" not in result.output, (source, result.output)
