"""With pooled_sd = true the forest plot's SD columns show the SDs the studies reported (Normand 1999,
Table VIII), not the pooled SD the variance is computed from; each data column has one number of decimals."""

from pathlib import Path

from sysrev.analyses import run_project
from sysrev.meta.plots.table import forest_table
from sysrev.project import load_project

REPO = Path(__file__).resolve().parents[2]


def test_pooled_sd_analysis_plots_the_reported_sds():
    (outcome,) = run_project(load_project(REPO / "examples" / "normand1999"), ["los_dl"], write=False)
    table = forest_table(outcome.result, label1="SU", label2="RC", decimals=2)
    rows = {row.study: row.cells for row in table.rows if row.kind == "study"}
    # Table VIII: Edinburgh SD 47 (stroke unit) and 64 (routine care); Orpington-Mild 7 and 4
    assert (rows["Edinburgh"]["sd1"], rows["Edinburgh"]["sd2"]) == ("47", "64")
    assert (rows["Orpington-Mild"]["sd1"], rows["Orpington-Mild"]["sd2"]) == ("7", "4")
    # the estimate still uses the pooled SD: Normand's fixed/random figures are reproduced
    assert outcome.status == "reproduced"


def test_reported_values_keep_one_number_of_decimals_per_column(tmp_path):
    root = tmp_path / "p"
    (root / "analysis" / "extraction").mkdir(parents=True)
    (root / "review.toml").write_text('[review]\ntitle = "t"\n\n[arms]\ngroup1 = "A"\ngroup2 = "B"\n')
    (root / "analysis" / "analyses.toml").write_text(
        '[analyses.md]\noutcome = "pain"\nmeasure = "MD"\npooled_sd = true\n')
    (root / "analysis" / "extraction" / "data.csv").write_text(
        "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"
        "S1,pain,,,A,30,3.25,1.5,,VAS,T2,,,,\nS1,pain,,,B,31,4,2,,VAS,T2,,,,\n"
        "S2,pain,,,A,45,2.2,1.25,,VAS,T2,,,,\nS2,pain,,,B,44,3.5,1.3,,VAS,T2,,,,\n")
    (outcome,) = run_project(load_project(root), write=False)
    table = forest_table(outcome.result, label1="A", label2="B", decimals=2)
    rows = [row.cells for row in table.rows if row.kind == "study"]
    assert [r["sd1"] for r in rows] == ["1.50", "1.25"]  # as reported, two decimals in the column
    assert [r["sd2"] for r in rows] == ["2.0", "1.3"]
    assert [r["mean1"] for r in rows] == ["3.25", "2.20"]
