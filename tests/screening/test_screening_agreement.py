"""Agreement statistics against published, hand-worked examples.

Sources of the expected numbers:

* Gwet KL (2014). Handbook of Inter-Rater Reliability, 4th ed., Advanced Analytics — the "cont3x3abstractors"
  table (100 pregnancies classified Ectopic / AIU / NIU by two abstractors), as printed with Gwet's own irrCAC
  package (README, kappa2.table / gwet.ac1.table / bp2.table / pa2.table): percent agreement 0.89,
  Cohen's kappa 0.7964094 (SE 0.05891072), Gwet's AC1 0.8493305 (SE 0.04321747), Brennan–Prediger 0.835.
* SAS/STAT User's Guide, PROC FREQ, "Getting Started: Agreement Study" — skin condition rated by two
  dermatologists (88 patients, 4 categories): simple kappa 0.3449, ASE 0.0724, 95% CL 0.2030–0.4868. SAS's
  ASE is the Fleiss, Cohen & Everitt (1969) large-sample standard error, the one sysrev reports.
* Feinstein AR, Cicchetti DV (1990). High agreement but low kappa: I. The problems of two paradoxes. J Clin
  Epidemiol 43:543–549 — two 2×2 tables with p_o = 0.85 and κ = 0.70 vs 0.32 (reprinted with p_e in Gerstman,
  Epidemiology Kept Simple, Table 10.6).
* Byrt T, Bishop J, Carlin JB (1993). Bias, prevalence and kappa. J Clin Epidemiol 46:423–429 — PABAK = 2p_o − 1
  for two categories, 0.70 for both tables above (the q-category form (q p_o − 1)/(q − 1) is Brennan &
  Prediger's coefficient, checked against Gwet's 0.835 above).
* Gwet KL (2008). Br J Math Stat Psychol 61:29–48 — AC1 with chance agreement Σ π_k(1 − π_k)/(q − 1); worked by
  hand below (our own table, not a published one) for an extreme "high agreement, low kappa" case.
"""

import numpy as np
import pytest

from sysrev.screening.agreement import Agreement, agreement, contingency_table, pabak

GWET_ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
SAS_SKIN = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]


def test_gwet_handbook_abstractors_table():
    a = agreement(GWET_ABSTRACTORS)
    assert a.n == 100
    assert a.percent_agreement == pytest.approx(0.89)
    assert a.kappa == pytest.approx(0.7964094, abs=5e-8)
    assert a.kappa_se == pytest.approx(0.05891072, abs=5e-8)
    assert a.ac1 == pytest.approx(0.8493305, abs=5e-8)
    assert a.ac1_se == pytest.approx(0.04321747, abs=5e-8)
    assert a.pabak == pytest.approx(0.835)  # Brennan–Prediger, q = 3


def test_sas_skin_condition_kappa_and_fleiss_cohen_everitt_ci():
    a = agreement(SAS_SKIN)
    assert a.n == 88
    assert round(a.kappa, 4) == 0.3449
    assert round(a.kappa_se, 4) == 0.0724
    assert round(a.kappa_ci_low, 4) == 0.2030
    assert round(a.kappa_ci_high, 4) == 0.4868


def test_feinstein_cicchetti_paradox_tables_kappa_and_pabak():
    # Feinstein & Cicchetti (1990), J Clin Epidemiol 43:543–549, the two tables of the first paradox (as
    # reprinted in Gerstman, Epidemiology Kept Simple, 3rd ed., Table 10.6): both p_o = 0.85; table A
    # p_e = 0.50, κ = 0.70; table B p_e = 0.78, κ = 0.32. PABAK = 2p_o − 1 = 0.70 for both (Byrt et al. 1993).
    table_a = agreement([[40, 9], [6, 45]])
    table_b = agreement([[80, 10], [5, 5]])
    for a in (table_a, table_b):
        assert a.n == 100 and a.percent_agreement == pytest.approx(0.85)
        assert a.pabak == pytest.approx(0.70)
    assert round(table_a.kappa, 2) == 0.70
    assert round(table_b.kappa, 2) == 0.32
    assert pabak(0.85) == pytest.approx(0.70)


def test_high_agreement_low_kappa_paradox_by_hand():
    # 125 records: both include 118, A only 5, B only 2, neither 0. p_o = 118/125 = 0.944.
    # Cohen: p_e = (123·120 + 2·5)/125² = 14770/15625 = 0.94528; κ = (0.944 − 0.94528)/(1 − 0.94528) = −0.02339.
    # Gwet: π = (123 + 120)/250 = 0.972; p_e = 2·0.972·0.028 = 0.054432; AC1 = 0.889568/0.945568 = 0.94078.
    a = agreement([[118, 5], [2, 0]])
    assert a.percent_agreement == pytest.approx(0.944)
    assert a.kappa == pytest.approx((0.944 - 14770 / 15625) / (1 - 14770 / 15625))
    assert a.kappa == pytest.approx(-0.02339, abs=5e-6)
    assert a.ac1 == pytest.approx(0.889568 / 0.945568)
    assert a.pabak == pytest.approx(0.888)


def test_perfect_agreement_on_one_category_has_no_kappa():
    a = agreement([[7, 0], [0, 0]])
    assert a.percent_agreement == 1.0 and a.kappa is None and a.kappa_se is None
    assert a.ac1 == pytest.approx(1.0)


def test_contingency_table_from_pairs_keeps_scale_order():
    table, cats = contingency_table([("include", "exclude"), ("exclude", "exclude"), ("include", "include")],
                                    ["include", "exclude", "maybe"])
    assert cats == ("include", "exclude", "maybe")
    assert np.array_equal(table, [[1, 1, 0], [0, 1, 0], [0, 0, 0]])


def test_ci_is_truncated_to_kappa_range():
    a = agreement([[3, 1], [0, 4]])
    assert a.kappa + 1.96 * a.kappa_se > 1.0  # the Wald interval would pass 1 ...
    assert a.kappa_ci_high == 1.0  # ... and is cut at kappa's maximum
    assert a.kappa_ci_low == pytest.approx(a.kappa - 1.959964 * a.kappa_se, abs=1e-6)


def test_negative_kappa_has_a_ci_below_zero_worked_by_hand():
    # Two raters who disagree more than chance: [[10, 40], [40, 10]], n = 100.
    # p_o = 0.2; margins 0.5 and 0.5, p_e = 0.5·0.5 + 0.5·0.5 = 0.5; κ = (0.2 − 0.5)/(1 − 0.5) = −0.6.
    # Fleiss–Cohen–Everitt variance (module docstring), 1 − κ = 1.6:
    #   A = Σ p_ii (1 − (p_i. + p_.i)(1 − κ))² = 2 · 0.1 · (1 − 1·1.6)² = 0.072
    #   B = (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)² = 2.56 · (0.4·1² + 0.4·1²) = 2.048
    #   C = (κ − p_e(1 − κ))² = (−0.6 − 0.8)² = 1.96
    #   var = (A + B − C) / (n (1 − p_e)²) = 0.16 / 25 = 0.0064, SE = 0.08
    # 95% CI = −0.6 ∓ 1.959964·0.08 = [−0.756797, −0.443203]: wholly below 0, and it contains κ.
    a = agreement([[10, 40], [40, 10]])
    assert a.kappa == pytest.approx(-0.6)
    assert a.kappa_se == pytest.approx(0.08)
    assert a.kappa_ci_low == pytest.approx(-0.756797, abs=1e-6)
    assert a.kappa_ci_high == pytest.approx(-0.443203, abs=1e-6)
    # A Wald interval below −1 is cut at kappa's minimum, −1 (the same table with n = 10: SE = 0.253,
    # −0.6 − 1.96·0.253 = −1.096).
    small = agreement([[1, 4], [4, 1]])
    assert small.kappa_se == pytest.approx(0.4 ** 0.5 * 0.4)  # √(0.16 / 2.5) = 0.25298
    assert small.kappa_ci_low == -1.0


def test_contingency_table_scale_defaults_to_every_rating_either_rater_used():
    # "maybe" only by rater A, "exclude" only by rater B: both are on the scale, sorted
    table, cats = contingency_table([("maybe", "include"), ("include", "exclude"), ("include", "include")])
    assert cats == ("exclude", "include", "maybe")
    assert np.array_equal(table, [[0, 0, 0], [1, 1, 0], [0, 1, 0]])  # rows A, columns B


def test_a_table_that_is_not_square_is_refused():
    for table in ([[1, 2, 3], [4, 5, 6]], [1, 2, 3, 4], [[[1]]]):
        with pytest.raises(ValueError, match="^an agreement table must be square$"):
            agreement(table)


def test_an_empty_table_has_no_statistics():
    a = agreement([[0, 0], [0, 0]], ["include", "exclude"])
    assert a == Agreement(0, ("include", "exclude"), None, None, None, None, None, None, None, None)


def test_a_one_category_scale_has_no_chance_corrected_coefficient():
    # q = 1: every record in the one category. p_o = 1 but κ (p_e = 1), PABAK and AC1 (both divide by q − 1 = 0)
    # are undefined.
    a = agreement([[6]], ["include"])
    assert (a.n, a.percent_agreement) == (6, 1.0)
    assert (a.kappa, a.pabak, a.ac1, a.ac1_se) == (None, None, None, None)
