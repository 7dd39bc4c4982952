"""Double extraction end to end: two extractors' files → consensus in analysis/extraction/ → `sysrev meta run`.

The analysis must read the consensus file and nothing else: the extractors' own folders are ignored, an
unresolved disagreement leaves its cell empty (the analysis is partial, the check fails), and once a human
enters the agreed value the pooled mean difference is exactly the one computed by hand from the consensus.
"""

import json
import math
import textwrap

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.extraction.compare import MARKER
from sysrev.extraction.table import COLUMNS, read_outcome_rows, write_outcome_rows

HEADER = ",".join(COLUMNS)
REVIEW = textwrap.dedent("""
    [review]
    title = "consensus test"
    [[outcomes]]
    name = "pain"
    type = "continuous"
    [arms]
    group1 = "US"
    group2 = "FL"
""")
ANALYSES = textwrap.dedent("""
    [analyses.pain]
    outcome = "pain"
    measure = "MD"
    model = "fixed"
""")
FORM = '[scales."VAS 0-10"]\nhigher = "worse"\nrange = [0, 10]\n'
# Invented trials. The extractors agree on everything except Trial B's FL SD (2.0 vs 2.5): the SD changes
# Trial B's weight, so the pooled MD tells which value the analysis used.
ANNA = [
    "Trial A,pain,,2 weeks,US,30,3.0,1.0,,VAS 0-10,Table 2,,,,",
    "Trial A,pain,,2 weeks,FL,30,4.0,1.0,,VAS 0-10,Table 2,,,,",
    "Trial B,pain,,2 weeks,US,20,2.0,2.0,,VAS 0-10,Table 3,,,,",
    "Trial B,pain,,2 weeks,FL,20,4.5,2.0,,VAS 0-10,Table 3,,,,",
]
BEN = ANNA[:3] + ["Trial B,pain,,2 weeks,FL,20,4.5,2.5,,VAS 0-10,Table 3,,,,"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def make_project(tmp_path):
    (tmp_path / "review.toml").write_text(REVIEW)
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "analyses.toml").write_text(ANALYSES)
    ext = tmp_path / "analysis" / "extraction"
    for name, rows in (("anna", ANNA), ("ben", BEN)):
        folder = ext / "extractors" / name
        folder.mkdir(parents=True)
        (folder / "pain.csv").write_text(HEADER + "\n" + "".join(r + "\n" for r in rows))
    (ext / "form.toml").write_text(FORM)
    return ext


def fixed_md(studies):
    """Inverse-variance fixed-effect mean difference, by hand: var_i = sd1²/n1 + sd2²/n2."""
    weights, effects = [], []
    for (n1, m1, s1), (n2, m2, s2) in studies:
        weights.append(1 / (s1 ** 2 / n1 + s2 ** 2 / n2))
        effects.append(m1 - m2)
    return sum(w * y for w, y in zip(weights, effects)) / sum(weights), math.sqrt(1 / sum(weights))


def test_the_analysis_reads_the_resolved_consensus(tmp_path):
    ext = make_project(tmp_path)
    compared = run("extract", "compare", ext / "extractors" / "anna", ext / "extractors" / "ben", "--out", ext)
    assert compared.exit_code == 0, compared.output
    assert "pain.csv: 15/16 value cells agree (94%), 1 discrepancy(ies)" in compared.stdout

    # Unresolved: the check fails on the marker, and the analysis leaves the disputed cell out.
    check = run("extract", "check", "--project", tmp_path)
    assert check.exit_code == 2
    assert "pain.csv, line 5, column 'note'" in check.output and "unresolved double-extraction" in check.output
    assert run("meta", "run", "--project", tmp_path).exit_code == 0
    partial = json.loads((tmp_path / "analysis" / "results" / "pain.json").read_text())
    assert partial["status"] == "partial"
    assert partial["counts"]["studies_complete"] == ["Trial A"]

    # A human resolves it (SD 2.5, from the paper) and removes the marker.
    rows = read_outcome_rows(ext / "pain.csv")
    resolved = []
    for row in rows:
        cells = row.to_dict()
        if MARKER in cells["note"]:
            cells["sd"], cells["note"] = "2.5", "agreed after discussion: Table 3 gives 2.5"
        resolved.append(cells)
    write_outcome_rows(ext / "pain.csv", resolved)
    check = run("extract", "check", "--project", tmp_path)
    assert check.exit_code == 0, check.output
    assert "0 errors" in check.output

    assert run("meta", "run", "--project", tmp_path).exit_code == 0
    result = json.loads((tmp_path / "analysis" / "results" / "pain.json").read_text())
    assert result["status"] == "computed"  # complete, and no published target to compare with
    assert result["counts"]["studies_complete"] == ["Trial A", "Trial B"]
    want, want_se = fixed_md([((30, 3.0, 1.0), (30, 4.0, 1.0)), ((20, 2.0, 2.0), (20, 4.5, 2.5))])
    pooled = result["result"]
    assert math.isclose(pooled["estimate"], want, rel_tol=1e-12)
    assert math.isclose(pooled["se"], want_se, rel_tol=1e-12)
    # The agreed value (2.5) is what the analysis used, not Anna's 2.0, which would pool differently.
    with_anna, _ = fixed_md([((30, 3.0, 1.0), (30, 4.0, 1.0)), ((20, 2.0, 2.0), (20, 4.5, 2.0))])
    assert abs(pooled["estimate"] - with_anna) > 0.01
