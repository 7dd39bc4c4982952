"""`sysrev export r NAME`: the script runs in R and metafor reproduces sysrev's pooled estimate, CI and τ².

Runs where R with metafor is installed (Debian: r-cran-metafor); skips with the reason elsewhere.
"""

import math
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.analyses import run_project
from sysrev.cli.main import cli
from sysrev.export.analysis import r_script
from sysrev.project import load_project

REPO = Path(__file__).resolve().parents[2]


def _metafor_missing() -> str | None:
    if shutil.which("Rscript") is None:
        return "Rscript is not installed (Debian: apt-get install r-cran-metafor)"
    probe = subprocess.run(["Rscript", "-e", "library(metafor)"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"R cannot load metafor: {probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else '?'}"
    return None


MISSING = _metafor_missing()
needs_r = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


def run_script(project_root: Path, name: str, tmp_path: Path) -> dict:
    script = tmp_path / f"{name}.R"
    result = CliRunner().invoke(cli, ["export", "r", name, "--project", str(project_root), "--out", str(script)])
    assert result.exit_code == 0, result.output
    ran = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    values = {}
    table = ran.stdout.split("\npooled ", 1)[1]  # the comparison the script prints after metafor's summary
    for line in table.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("estimate", "ci_low", "ci_high", "tau2"):
            values[parts[0]] = math.nan if parts[1] == "NA" else float(parts[1])
    assert set(values) == {"estimate", "ci_low", "ci_high", "tau2"}, ran.stdout
    return values


def assert_reproduced(metafor: dict, result: dict):
    for key in ("estimate", "ci_low", "ci_high"):
        assert abs(metafor[key] - result[key]) <= 1e-6, (key, metafor[key], result[key])
    if result["tau2"] is None:
        assert math.isnan(metafor["tau2"])
    else:
        assert abs(metafor["tau2"] - result["tau2"]) <= 1e-6


@needs_r
def test_normand_analyses_are_reproduced_by_metafor(tmp_path):
    root = REPO / "examples" / "normand1999"
    outcomes = run_project(load_project(root), write=False)
    assert [o.spec.name for o in outcomes] == ["los_fixed", "los_dl", "los_reml"]
    for outcome in outcomes:
        assert_reproduced(run_script(root, outcome.spec.name, tmp_path), outcome.result)


ANALYSES = """
[analyses.smd_revman]
outcome = "pain"
measure = "SMD"
model = "random"

[analyses.smd_exact_reml_hksj]
outcome = "pain"
measure = "SMD"
smd = "exact"
model = "random"
tau2 = "REML"
ci = "hksj"

[analyses.md_pm_90]
outcome = "pain"
measure = "MD"
model = "random"
tau2 = "PM"
level = 90

[analyses.rr_mh_fixed]
outcome = "harm"
measure = "RR"

[analyses.rr_mh_random]
outcome = "harm"
measure = "RR"
model = "random"

[analyses.or_iv_random]
outcome = "harm"
measure = "OR"
method = "IV"
model = "random"

[analyses.peto]
outcome = "harm"
measure = "PETO"

[analyses.or_mh_fixed]
outcome = "harm"
measure = "OR"

[analyses.rd_mh_random]
outcome = "harm"
measure = "RD"
model = "random"
"""

ROWS = """study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note
S1,pain,,,A,30,3.1,1.4,,VAS,T2,,,,
S1,pain,,,B,31,4.0,1.6,,VAS,T2,,,,
S2,pain,,,A,45,2.2,1.1,,VAS,T2,,,,
S2,pain,,,B,44,3.5,1.3,,VAS,T2,,,,
S3,pain,,,A,20,3.9,2.0,,VAS,T2,,,,
S3,pain,,,B,22,3.7,1.9,,VAS,T2,,,,
S4,pain,,,A,60,2.8,1.2,,VAS,T2,,,,
S4,pain,,,B,58,3.0,1.5,,VAS,T2,,,,
S1,harm,,,A,30,,,4,patients,T3,,,,
S1,harm,,,B,31,,,9,patients,T3,,,,
S2,harm,,,A,45,,,0,patients,T3,,,,
S2,harm,,,B,44,,,3,patients,T3,,,,
S3,harm,,,A,20,,,5,patients,T3,,,,
S3,harm,,,B,22,,,4,patients,T3,,,,
S4,harm,,,A,60,,,2,patients,T3,,,,
S4,harm,,,B,58,,,10,patients,T3,,,,
S5,harm,,,A,25,,,0,patients,T3,,,,
S5,harm,,,B,25,,,0,patients,T3,,,,
"""


def _branches_project(tmp_path) -> Path:
    """A project with one analysis per branch of the script (ANALYSES), on ROWS."""
    root = tmp_path / "p"
    (root / "analysis" / "extraction").mkdir(parents=True)
    (root / "review.toml").write_text('[review]\ntitle = "t"\n\n[arms]\ngroup1 = "A"\ngroup2 = "B"\n')
    (root / "analysis" / "analyses.toml").write_text(ANALYSES)
    (root / "analysis" / "extraction" / "data.csv").write_text(ROWS)
    return root


@needs_r
def test_every_model_branch_of_the_script_matches_sysrev(tmp_path):
    root = _branches_project(tmp_path)
    for outcome in run_project(load_project(root), write=False):
        assert_reproduced(run_script(root, outcome.spec.name, tmp_path), outcome.result)


def test_each_measure_writes_its_own_effect_sizes(tmp_path):
    """The escalc line of every branch, pinned as text so CI (without R) still sees a changed measure, zero-cell
    rule or variance type; the lines themselves are checked against metafor above wherever R is installed."""
    project = load_project(_branches_project(tmp_path))
    continuous = 'm1i = mean1, sd1i = sd1, n1i = n1, m2i = mean2, sd2i = sd2, n2i = n2, data = dat'
    counts = 'ai = events1, n1i = n1, ci = events2, n2i = n2, data = dat, add = 1/2, to = "only0"'
    expected = {
        "smd_revman": "dat$yi <- (1 - 3 / (4 * N - 9)) * (dat$mean1 - dat$mean2) / sp",
        "smd_exact_reml_hksj": f'dat <- escalc(measure = "SMD", {continuous})',
        "md_pm_90": f'dat <- escalc(measure = "MD", {continuous}, vtype = "LS")',
        "rr_mh_fixed": f'dat <- escalc(measure = "RR", {counts}, drop00 = TRUE)',
        "rr_mh_random": f'dat <- escalc(measure = "RR", {counts}, drop00 = TRUE)',
        "or_iv_random": f'dat <- escalc(measure = "OR", {counts}, drop00 = TRUE)',
        "or_mh_fixed": f'dat <- escalc(measure = "OR", {counts}, drop00 = TRUE)',
        "peto": f'dat <- escalc(measure = "OR", {counts}, drop00 = FALSE)',
        "rd_mh_random": f'dat <- escalc(measure = "RD", {counts}, drop00 = FALSE)',
    }
    for name, line in expected.items():
        assert line in r_script(project, name).splitlines(), name
