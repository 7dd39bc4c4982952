"""The Normand (1999) example project reproduces its published figures end to end."""

import json

import pandas as pd
import pytest
from analyses_helpers import REPO, copy_project
from click.testing import CliRunner

from sysrev.analyses import run_project
from sysrev.cli.main import cli
from sysrev.extraction.table import load_extraction
from sysrev.project import load_project

EXAMPLE = REPO / "examples" / "normand1999"


def test_example_reproduces_table_ix(tmp_path):
    project = copy_project(EXAMPLE, tmp_path / "normand1999")
    result = CliRunner().invoke(cli, ["meta", "run", "--project", str(project), "--json"])
    assert result.exit_code == 0, result.output
    objects = {o["name"]: o for o in json.loads(result.output)}
    assert {name: o["status"] for name, o in objects.items()} == {
        "los_fixed": "reproduced", "los_dl": "reproduced", "los_reml": "reproduced"}
    dl = objects["los_dl"]
    assert dl["result"]["k"] == 9 and dl["missing"] == []
    assert {row["field"]: row["computed_rounded"] for row in dl["comparison"]} == {
        "estimate": "-14.10", "ci_low": "-24.45", "ci_high": "-3.75", "tau2": "218.72"}
    # metafor 3.8-1 on dat.normand1999 with pooled SDs (meta_oracles.md row 7): REML tau2 685.1965
    assert objects["los_reml"]["result"]["tau2"] == pytest.approx(685.1965, abs=5e-4)
    results = project / "analysis" / "results"
    for name in objects:
        for suffix in (".json", ".svg", ".png"):
            assert (results / f"{name}{suffix}").stat().st_size > 0


def test_example_summary_text(tmp_path):
    project = copy_project(EXAMPLE, tmp_path / "normand1999")
    out = CliRunner().invoke(cli, ["meta", "run", "--project", str(project)]).output
    assert out.count("status: REPRODUCED") == 3
    assert "computed: MD -3.49 [-5.03, -1.96]" in out
    assert out.rstrip().endswith("3 analyses: 3 reproduced")


def test_without_pooled_sd_the_fixed_effect_differs_and_both_values_are_shown(tmp_path):
    project = copy_project(EXAMPLE, tmp_path / "normand1999")
    spec = project / "analysis" / "analyses.toml"
    spec.write_text(spec.read_text().replace("pooled_sd = true", "pooled_sd = false"))
    outcomes = {o.spec.name: o for o in run_project(load_project(project), write=False)}
    fixed = outcomes["los_fixed"]
    assert fixed.status == "differs"
    row = fixed.comparison[0]
    assert row["printed"] == "-3.49" and row["computed_rounded"] != "-3.49" and not row["agrees"]
    out = CliRunner().invoke(cli, ["meta", "run", "--project", str(project)]).output
    assert "status: DIFFERS" in out and "printed    -3.49" in out


def test_example_data_match_metadat_and_the_quick_start_csv(shared_fixtures):
    """The typed extraction agrees with metadat's dat.normand1999 and with the quick-start CSV."""
    metadat = pd.read_csv(shared_fixtures / "meta" / "metadat_csv" / "dat.normand1999.csv")
    rows = load_extraction(load_project(EXAMPLE))
    typed = {(r.study, r.arm): (r.n, r.mean, r.sd) for r in rows}
    quick = pd.read_csv(EXAMPLE / "normand1999.csv")
    for _, ref in metadat.iterrows():
        assert typed[(ref["source"], "SU")] == (ref["n1i"], ref["m1i"], ref["sd1i"])
        assert typed[(ref["source"], "RC")] == (ref["n2i"], ref["m2i"], ref["sd2i"])
        line = quick[quick["study"] == ref["source"]].iloc[0]
        assert tuple(line[["n1", "mean1", "sd1", "n2", "mean2", "sd2"]]) == tuple(
            ref[["n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i"]])
    assert all(r.source.startswith("Normand 1999, Table VIII") and r.source_url for r in rows)
