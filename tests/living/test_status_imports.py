"""`sysrev status` lists the exports brought in with `sysrev import` beside the strategies: a review built from
Embase, CENTRAL and PsycINFO exports used to read "pubmed: never run, scopus: never run" and nothing else (the
dashboard's side: tests/web/test_web_pages.py)."""

import json

from click.testing import CliRunner

from sysrev.cli.main import cli

RIS = "TY  - JOUR\nTI  - Trial {n} of ultrasound guidance\nPY  - 2020\nDO  - 10.1000/t{n}\nER  - \n"


def _imported_project(tmp_path):
    root = tmp_path / "review"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root), "--no-input", "--no-git"]).exit_code == 0
    for source, count in (("embase", 3), ("embase", 2), ("central", 1)):
        export = tmp_path / f"{source}{count}.ris"
        export.write_text("\n".join(RIS.format(n=f"{source}{n}") for n in range(count)), encoding="utf-8")
        done = runner.invoke(cli, ["import", "--project", str(root), "--source", source, str(export)])
        assert done.exit_code == 0, done.output
    return root


def test_status_lists_each_imported_source_with_its_last_import(tmp_path):
    root = _imported_project(tmp_path)
    text = CliRunner().invoke(cli, ["status", "--project", str(root)]).output
    assert "pubmed (pubmed): never run" in text  # the strategies stay listed
    assert "embase (imported): 2 imports, last 20" in text and "(2 records)" in text  # the later file
    assert "central (imported): 1 import," in text and "(1 record)" in text
    state = json.loads(CliRunner().invoke(cli, ["status", "--project", str(root), "--json"]).output)
    assert [(i["name"], i["runs"], i["last_run_records"], i["database"]) for i in state["imports"]] == [
        ("central", 1, 1, "file"), ("embase", 2, 2, "file")]
