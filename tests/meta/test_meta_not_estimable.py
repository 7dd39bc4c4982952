"""What a reviewer reads when the pooled effect cannot be estimated (meta_oracles.md row 16: no events anywhere).

metafor refuses the Peto odds ratio and returns NA for the Mantel–Haenszel OR and RR of such data; sysrev stops
with an error that says which estimate failed and why, in full, so the reviewer can tell a data problem from a
bug (the message is the contract: a garbled or truncated one is a failure here).
"""

import re

import pandas as pd
import pytest

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis

NO_EVENTS = pd.DataFrame({"study": list("abcd"), "events1": [0, 0, 0, 0], "n1": [10, 15, 20, 25],
                          "events2": [0, 0, 0, 0], "n2": [10, 10, 30, 20]})

PETO = ("the Peto odds ratio cannot be estimated: no study has events in one arm and non-events in the other")


@pytest.mark.parametrize("measure", ["PETO", "OR"])
@pytest.mark.parametrize("zero", ["revman", "metafor"])
def test_peto_without_events_names_the_estimate_and_the_reason(measure, zero):
    with pytest.raises(SysrevError, match=f"^{re.escape(PETO)}$"):
        meta_analysis(NO_EVENTS, measure, method="PETO", zero=zero)


@pytest.mark.parametrize("measure,what", [("OR", "odds ratio"), ("RR", "risk ratio")])
def test_mantel_haenszel_on_raw_counts_without_events_names_the_estimate_and_the_way_out(measure, what):
    """metafor's convention pools the raw counts (no 0.5 added), so both MH sums are 0."""
    message = (f"the Mantel–Haenszel {what} cannot be estimated: one group has no events (or no non-events) in "
               "any study; use --method IV or check the data")
    with pytest.raises(SysrevError, match=f"^{re.escape(message)}$"):
        meta_analysis(NO_EVENTS, measure, method="MH", zero="metafor")
