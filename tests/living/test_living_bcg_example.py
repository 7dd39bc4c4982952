"""examples/bcg-living: the README's commands 4 and 5 (cumulative, TSA), run on a copy of the example.

Expected numbers come from metafor, not from sysrev: every cumulative step is metafor's cumul() on dat.bcg
ordered by year (validation/metafor/cumulative_reference.json, case bcg-RR-IV-random-REML).
"""

import json
import math
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bcg-living"
REFERENCE = json.loads((REPO / "validation/metafor/cumulative_reference.json").read_text(encoding="utf-8"))
CUMUL = next(c for c in REFERENCE["cases"] if c["id"] == "bcg-RR-IV-random-REML")["expected"]


def _run(*args):
    out = CliRunner().invoke(cli, list(args))
    assert out.exit_code == 0, out.output
    return out.output


def test_cumulative_and_sequential_analysis(tmp_path):
    project = tmp_path / "bcg-living"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("results", "releases"))
    steps = json.loads(_run("meta", "cumulative", "--analysis", "tb", "--project", str(project), "--json",
                            "--plot", str(tmp_path / "cumulative.svg")))["steps"]
    assert [math.log(s["estimate"]) for s in steps] == pytest.approx(CUMUL["estimate"], rel=1e-6)
    assert (tmp_path / "cumulative.svg").stat().st_size > 0
    tsa = json.loads(_run("meta", "tsa", "--analysis", "tb", "--project", str(project), "--json",
                          "--plot", str(tmp_path / "tsa.svg")))
    # the analysis's mid = 0.75 (RR 0.75 and 1/0.75) anticipates a relative risk reduction of 1 − 0.75 = 25%
    assert tsa["information"]["rrr"] == pytest.approx(0.25, rel=1e-12)
    assert tsa["status"] == "firm evidence" and tsa["first_crossed_at"] == "TPT Madras 1980"
    assert (tmp_path / "tsa.svg").stat().st_size > 0


def test_readme_names_the_five_commands():
    text = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    block = text.split("```")[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) == 5
    assert commands[0].startswith("python examples/bcg-living/replay.py")
    assert [c.split()[1] for c in commands[1:]] == ["diff", "diff", "meta", "meta"]
