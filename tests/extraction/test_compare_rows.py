"""Double extraction of outcome rows, in full: the consensus row of each kind of agreement and disagreement,
the discrepancies and counts, and a row only one extractor has (its values kept in the marker, not counted)."""

from pathlib import Path

from sysrev.extraction.compare import compare_rows
from sysrev.extraction.discrepancy import Discrepancy
from sysrev.extraction.table import COLUMNS, OutcomeRow


def _row(arm, **cells):
    values = dict(study="Park 2013", outcome="pain", item="", timepoint="3 months", arm=arm, n=20.0, mean=3.1,
                  sd=1.2, events=None, scale="VAS", source="Table 2", source_url="", raw="", method="", note="",
                  path=Path("a.csv"), line=2)
    return OutcomeRow(**{**values, **cells})


def _consensus(**cells):
    base = {c: "" for c in COLUMNS}
    return {**base, "study": "Park 2013", "outcome": "pain", "timepoint": "3 months", **cells}


def test_every_kind_of_agreement_and_disagreement(tmp_path):
    ana = [_row("US", n=20.0, mean=3.1, source="Table  2", note="checked"),
           _row("FL", n=21.0, mean=3.4, sd=1.5, source="Table 2", raw="SE 0.3", method="from SE", note="A's"),
           _row("CT", n=19.0, mean=None, sd=None, scale="", source="Fig. 2")]
    ben = [_row("US", n=20.000000000001, mean=3.1, source="Table 2", source_url="https://doi.org/x", note=""),
           _row("FL", n=22.0, mean=3.4, sd=None, source="Table 3", raw="", method="from SE", note="B's"),
           _row("SH", n=None, mean=None, sd=None, scale="", source="")]
    result = compare_rows(ana, ben, "Ana", "Ben")
    assert result.consensus == [
        _consensus(arm="US", n="20", mean="3.1", sd="1.2", scale="VAS", source="Table 2",
                   source_url="https://doi.org/x", note="checked"),
        _consensus(arm="FL", mean="3.4", scale="VAS", source="Ana: Table 2 | Ben: Table 3", raw="SE 0.3",
                   method="from SE", note="[DISAGREEMENT] n: Ana=21, Ben=22; sd: Ana=1.5, Ben=(empty). "
                                          "Ana: A's | Ben: B's"),
        _consensus(arm="CT", source="Fig. 2", note="[DISAGREEMENT] row extracted by Ana only (n=19)."),
        _consensus(arm="SH", note="[DISAGREEMENT] row extracted by Ben only (no values)."),
    ]
    key = ("Park 2013", "pain", "", "3 months")
    assert result.discrepancies == [
        Discrepancy((*key, "FL"), "n", "21", "22"), Discrepancy((*key, "FL"), "sd", "1.5", ""),
        Discrepancy((*key, "FL"), "source", "Table 2", "Table 3"),
        Discrepancy((*key, "CT"), "(row)", "present", "missing"),
        Discrepancy((*key, "SH"), "(row)", "missing", "present"),
    ]
    # US: n, mean, sd, scale agree; FL: mean and scale agree, n and sd differ
    assert (result.cells_compared, result.cells_agreed) == (8, 6)


def test_default_extractor_names():
    result = compare_rows([_row("US", note="x")], [_row("US", note="y")])
    assert result.consensus[0]["note"] == "A: x | B: y" and result.discrepancies == []
