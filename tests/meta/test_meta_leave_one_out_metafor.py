"""Leave-one-out of every τ² estimator (sysrev.meta.leave_one_out.without_each) against metafor 3.8-1.

The BCG trials' log risk ratios (tests/fixtures/meta/bcg.csv; yi = log((a/n1)/(c/n2)), vi = 1/a − 1/n1 + 1/c − 1/n2,
no zero cells). Reference: metafor 3.8-1, control threshold 1e-12, maxiter 10000, tol 1e-12,

    l <- leave1out(rma(yi, vi, data=es, method=M, control=TIGHT))    # rows 1, 2 and 13
    confint(rma(yi, vi, data=es[-i, ], method="REML", control=TIGHT), control=list(tol=1e-12), level=80)

All omissions are computed together in blocks of rows; the result must not depend on the block size, so each
case also runs with blocks of one and of two rows.
"""

import numpy as np
import pandas as pd
import pytest

from sysrev.meta import leave_one_out as leave_one_out_module
from sysrev.meta.leave_one_out import without_each

FIELDS = ("estimate", "se", "tau2", "I2", "H2", "Q")
ROWS = (0, 1, 12)  # omitting the 1st, 2nd and 13th study

#: metafor's (estimate, se, tau2, I2, H2, QE) without study 1, 2 and 13, per estimator
METAFOR = {
    "DL": [
        (-0.705125198417451, 0.184250067451655, 0.312171499040679,
         92.7432291188567, 13.7802338861008, 151.582572747109),
        (-0.654515875087971, 0.18253833132074, 0.29997459082211,
         92.4303735959073, 13.2106916063826, 145.317607670209),
        (-0.778923740057073, 0.188918704126077, 0.317703279923814,
         92.6563083320647, 13.6171294386758, 149.788423825434),
    ],
    "HS": [
        (-0.695986913279823, 0.162872732132201, 0.230095317988657,
         90.4031195766747, 10.4200527243154, 151.582572747109),
        (-0.647999527181817, 0.161349659727209, 0.220519513131889,
         89.9763570707516, 9.97641283771249, 145.317607670209),
        (-0.768022043670028, 0.166593146054713, 0.231306590502398,
         90.1826122589967, 10.1860090115764, 149.788423825434),
    ],
    "HE": [
        (-0.710373215421272, 0.20091026677462, 0.384546428007187,
         94.0274431385273, 16.7432478784876, 151.582572747109),
        (-0.654867153342977, 0.183908474225242, 0.305528891124744,
         92.5577427526084, 13.4367835827024, 145.317607670209),
        (-0.778568172048141, 0.188032299677633, 0.314012466854236,
         92.5764004014602, 13.4705540988053, 149.788423825434),
    ],
    "SJ": [
        (-0.71021085979553, 0.200322368155568, 0.381868263496568,
         93.9880739260585, 16.6336044006674, 151.582572747109),
        (-0.655840693051264, 0.187869157081706, 0.321867550506283,
         92.908737372654, 14.1018610161709, 145.317607670209),
        (-0.780276494373939, 0.19242471415997, 0.332511042047523,
         92.9603236165191, 14.2051984427376, 149.788423825434),
    ],
    "PM": [
        (-0.708512483665968, 0.194482918045269, 0.355758936442236,
         93.5752030298483, 15.5646941785988, 151.582572747109),
        (-0.654235390850454, 0.181465268254159, 0.295659763111636,
         92.3283781251397, 13.0350532952747, 145.317607670209),
        (-0.777538364962301, 0.185541135846131, 0.303754432083995,
         92.3448908278158, 13.0631709817232, 149.788423825434),
    ],
    "EB": [
        (-0.70851248366597, 0.194482918045278, 0.355758936442273,
         93.5752030298489, 15.5646941786004, 151.582572747109),
        (-0.654235390850454, 0.18146526825416, 0.295659763111639,
         92.3283781251397, 13.0350532952749, 145.317607670209),
        (-0.777538364962301, 0.185541135846131, 0.303754432083998,
         92.3448908278158, 13.0631709817233, 149.788423825434),
    ],
    "ML": [
        (-0.703785014116424, 0.180622587186583, 0.297385320543194,
         92.4098043341443, 13.1748909253878, 151.582572747109),
        (-0.651581753897719, 0.172122132024155, 0.25939951687966,
         91.3487720079828, 11.5590526676992, 145.317607670209),
        (-0.773580750765268, 0.176877837010516, 0.269403101152593,
         91.4522296152598, 11.6989572132779, 149.788423825434),
    ],
    "REML": [
        (-0.707083784699262, 0.189961014528878, 0.336156701803671,
         93.2259340939757, 14.7621829175101, 151.582572747109),
        (-0.654031200293526, 0.180695386232994, 0.292583083996311,
         92.2539554674382, 12.9098147550835, 145.317607670209),
        (-0.777536184894368, 0.185535977367926, 0.303733366367168,
         92.3444005461043, 13.0623343870365, 149.788423825434),
    ],
}

#: confint(level=80) of REML τ² without study 1, 2 and 13
REML_TAU2_80 = [
    (0.188573723812847, 0.838059095634935),
    (0.155955705562453, 0.706922736813814),
    (0.159259428272216, 0.731344670181227),
]


@pytest.fixture(scope="module")
def bcg_log_rr(own_fixtures):
    d = pd.read_csv(own_fixtures / "meta" / "bcg.csv")
    a, n1, c, n2 = (d[name].to_numpy(float) for name in ("events1", "n1", "events2", "n2"))
    return np.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2


@pytest.mark.parametrize("block_cells", [None, 13, 26])
@pytest.mark.parametrize("method", list(METAFOR))
def test_every_estimator_matches_metafor_leave1out(bcg_log_rr, monkeypatch, method, block_cells):
    if block_cells:
        monkeypatch.setattr(leave_one_out_module, "BLOCK_CELLS", block_cells)  # 13 studies: 1 or 2 rows a block
    out = without_each(*bcg_log_rr, method)
    for row, expected in zip(ROWS, METAFOR[method], strict=True):
        for name, value in zip(FIELDS, expected, strict=True):
            assert out[name][row] == pytest.approx(value, rel=1e-6), (method, row, name)
    assert out["Q_df"].tolist() == [11] * 13


@pytest.mark.parametrize("block_cells", [None, 13])
def test_reml_tau2_interval_at_80_percent_matches_metafor_confint(bcg_log_rr, monkeypatch, block_cells):
    if block_cells:
        monkeypatch.setattr(leave_one_out_module, "BLOCK_CELLS", block_cells)
    out = without_each(*bcg_log_rr, "REML", level=80, tau2_interval=True)
    for row, (low, high) in zip(ROWS, REML_TAU2_80, strict=True):
        assert out["tau2_ci_low"][row] == pytest.approx(low, rel=1e-6)
        assert out["tau2_ci_high"][row] == pytest.approx(high, rel=1e-6)


def test_fixed_effect_with_knapp_hartung_intervals_at_90_percent(bcg_log_rr):
    # leave1out(rma(yi, vi, data=es, method="FE", test="knha", level=90)): estimate, se, ci.lb, ci.ub, pval
    expected = [(-0.427961089641878, 0.150718507823902, -0.69863416974055, -0.157288009543207, 0.0160970481100134),
                (-0.420465882200755, 0.147823177652892, -0.685939282800174, -0.154992481601336, 0.0159562369943588),
                (-0.439994029565297, 0.151192559889481, -0.711518452571817, -0.168469606558777, 0.0141850507317218)]
    out = without_each(*bcg_log_rr, None, ci="hksj", level=90)
    for row, values in zip(ROWS, expected, strict=True):
        for name, value in zip(("estimate", "se", "ci_low", "ci_high", "p"), values, strict=True):
            assert out[name][row] == pytest.approx(value, rel=1e-6), (row, name)


# Data where the (RE)ML likelihood of some omissions is highest at τ² = 0 (issue 19's REML boundary case):
# metafor sets τ² = 0 there ("Fisher scoring algorithm may have gotten stuck at a local maximum").
BOUNDARY_YI = [0.045, -0.0688, 0.0895, -0.0162, 3.5604, 3.1722, 1.4508, 4.0603]
BOUNDARY_VI = [0.0088, 0.003, 0.0033, 0.0095, 2.3334, 0.8161, 5.8631, 9.2931]
BOUNDARY = {  # leave1out(rma(yi, vi, method=M, control=TIGHT)): τ² and estimate of each omission
    "REML": ([1.90351407065724665, 1.82910234317019782, 1.92870840430355894, 1.86573108396973075,
              0.00319834605376373, 0.00292667853603366, 0.0, 0.0],
             [1.0689729060036406, 1.0812517190157145, 1.0643214129790650, 1.0754997207744961,
              0.0202661505762997, 0.0151415403910484, 0.0156892022948373, 0.0154669877553890]),
    "ML": ([0.0, 0.0, 0.0, 0.0, 0.00152962832420213, 0.00140253294628958, 0.00158058166123386,
            0.00157317980009843],
           [0.0115388886192042, 0.0699169253078889, -0.0242305718876511, 0.0204789010929315,
            0.0175003056203175, 0.0135486726091125, 0.0196750405910536, 0.0193474535228505]),
    "PM": ([1.761944017388656, 1.698028007071723, 1.783588719424758, 1.729309028453879, 1.081743248119612,
            0.520951813946457, 1.961704382071094, 1.544640256439926],
           [1.042605761569045, 1.056059990350025, 1.037613192685957, 1.049661138647529, 0.521408351561239,
            0.241790787757842, 0.868287828183574, 0.733137096322898]),
}


@pytest.mark.parametrize("method", list(BOUNDARY))
def test_omissions_whose_likelihood_peaks_at_zero_take_tau2_zero(method):
    out = without_each(BOUNDARY_YI, BOUNDARY_VI, method)
    tau2, estimate = BOUNDARY[method]
    assert out["tau2"].tolist() == [pytest.approx(value, rel=1e-6, abs=1e-9) for value in tau2]
    assert out["estimate"].tolist() == [pytest.approx(value, rel=1e-6) for value in estimate]


def test_numbers_given_as_text_are_read_as_numbers(bcg_log_rr):
    yi, vi = bcg_log_rr
    out = without_each([str(float(y)) for y in yi], [str(float(v)) for v in vi], "DL")
    assert out["tau2"][0] == pytest.approx(METAFOR["DL"][0][2], rel=1e-6)
