"""What a reviewer reads when the pooled effect cannot be estimated (meta_oracles.md row 16: no events anywhere).

metafor refuses the Peto odds ratio and returns NA for the Mantel–Haenszel OR and RR of such data; sysrev stops
with an error that says which estimate failed and why, in full, so the reviewer can tell a data problem from a
bug (the message is the contract: a garbled or truncated one is a failure here).
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis
from sysrev.meta.effects import peto_log_odds_ratio

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


ONE_ARM_WITHOUT_EVENTS = {
    # group 1 has no events in any study: Σ a·d/N = 0 (OR) and Σ a·n2/N = 0 (RR), the ratio would be 0 (log −∞)
    "group 1": pd.DataFrame({"study": list("abc"), "events1": [0, 0, 0], "n1": [20, 30, 25],
                             "events2": [3, 5, 2], "n2": [20, 30, 25]}),
    # group 2 has no events in any study: Σ b·c/N = 0 (OR) and Σ c·n1/N = 0 (RR), the ratio would be infinite
    "group 2": pd.DataFrame({"study": list("abc"), "events1": [3, 5, 2], "n1": [20, 30, 25],
                             "events2": [0, 0, 0], "n2": [20, 30, 25]}),
}


@pytest.mark.parametrize("which", ONE_ARM_WITHOUT_EVENTS)
@pytest.mark.parametrize("measure,what", [("OR", "odds ratio"), ("RR", "risk ratio")])
def test_mantel_haenszel_ratio_on_raw_counts_stops_when_one_arm_never_has_events(which, measure, what):
    message = (f"the Mantel–Haenszel {what} cannot be estimated: one group has no events (or no non-events) in "
               "any study; use --method IV or check the data")
    with pytest.raises(SysrevError, match=f"^{re.escape(message)}$"):
        meta_analysis(ONE_ARM_WITHOUT_EVENTS[which], measure, method="MH", zero="metafor")


def test_peto_study_without_events_has_no_estimate_and_raises_no_numpy_warning():
    """V = 0 (no events in either arm, or only events): O − E = 0 too, so (O − E)/V and 1/V are undefined.

    The study gets NaN for both (documented), silently: a numpy division warning would reach the reviewer's
    terminal for an ordinary double-zero study.
    """
    a, b, c, d = (np.array(x, dtype=float) for x in ([0, 3, 10], [10, 7, 0], [0, 1, 12], [12, 11, 0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yi, vi = peto_log_odds_ratio(a, b, c, d)
    assert np.isnan(yi[[0, 2]]).all() and np.isnan(vi[[0, 2]]).all()
    # study 2 by hand: n1 = 10, n2 = 12, N = 22, 4 events and 18 non-events, E = 4·10/22,
    # V = 4·18·(10/22)·(12/22)/21 (Yusuf et al. 1985)
    expected_v = 4 * 18 * (10 / 22) * (12 / 22) / 21
    assert vi[1] == pytest.approx(1 / expected_v, rel=1e-12)
    assert yi[1] == pytest.approx((3 - 40 / 22) / expected_v, rel=1e-12)


@pytest.mark.parametrize("measure", ["OR", "RR"])
def test_a_study_where_every_participant_of_one_arm_had_the_event_is_still_estimable(measure):
    """Only a study with no events in both arms, or only events in both, has no contrast (RevMan, metafor
    ``drop00``). Study "all in one arm": 10/10 vs 5/10, so b = 0 and 0.5 is added to every cell:
    OR = 10.5·5.5/(0.5·5.5) = 21, RR = (10.5/11)/(5.5/11) = 21/11."""
    frame = pd.DataFrame({"study": ["all in one arm", "ordinary", "all in both arms"],
                          "events1": [10, 4, 12], "n1": [10, 20, 12], "events2": [5, 6, 9], "n2": [10, 20, 9]})
    effects = meta_analysis(frame, measure, method="IV").effects
    want = {"OR": (np.log(21), 1 / 10.5 + 1 / 0.5 + 1 / 5.5 + 1 / 5.5),
            "RR": (np.log(21 / 11), 1 / 10.5 - 1 / 11 + 1 / 5.5 - 1 / 11)}[measure]
    assert effects.yi[0] == pytest.approx(want[0], rel=1e-12) and effects.vi[0] == pytest.approx(want[1], rel=1e-12)
    assert effects.estimable.tolist() == [True, True, False]
