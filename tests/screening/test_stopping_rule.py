"""The stopping rule against brute force on screening-shaped sequences, at targets and confidences other than
the defaults: the first record after which it fires, the random draws still needed, the Cantelli shortcut, and
the figures `sysrev screen status` and `screen stop` record (sysrev/screening/stopping.py).

The sequences look like prioritised screening — relevant records dense at first, then a long run of
irrelevant ones with now and then a late relevant record — so that the rule actually fires in most
examples; uniformly random sequences almost never let it fire and test little."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom

from sysrev.screening.stopping import (
    StoppingStatus,
    cannot_fire,
    first_firing,
    h0_pvalue,
    h0_rejected,
    hypergeom_cdf,
    more_draws_needed,
    percent,
    stopping_status,
)

LEVELS = st.sampled_from([(0.95, 0.95), (0.9, 0.9), (0.8, 0.99), (0.99, 0.8), (0.975, 0.95)])


def _screening(head, tail, late, unscreened_share, extra):
    """A sequence of ``head`` (1 relevant / 0 not), then ``tail`` irrelevant records with relevant ones at the
    positions ``late``; the stage holds ``unscreened_share`` × tail + ``extra`` records more. The rule can
    only fire once the irrelevant run is most of what was left, hence a small unscreened share."""
    labels = [int(x) for x in head] + [0] * tail
    for position in late:
        if position < tail:
            labels[len(head) + position] = 1  # a late relevant record, after the rule may have fired
    return labels, len(labels) + int(unscreened_share * tail) + extra


@st.composite
def screenings(draw):
    """(labels, n_total) of a prioritised screening (see :func:`_screening`)."""
    return _screening(draw(st.lists(st.booleans(), min_size=1, max_size=30)), draw(st.integers(0, 250)),
                      draw(st.lists(st.integers(0, 249), max_size=3)), draw(st.floats(0, 0.1)),
                      draw(st.integers(0, 3)))


def _fires(labels, n_total, target, confidence):
    return h0_pvalue(np.asarray(labels), n_total, target) < 1 - confidence


def test_the_generated_screenings_let_the_rule_fire_often():
    """A guard on this file's own strength: the properties below mean little if the rule seldom fires. The
    same recipe as the strategy, drawn with numpy: the rule fires on the whole sequence in about a third."""
    rng = np.random.default_rng(0)
    fired = 0
    for _ in range(200):
        labels, n_total = _screening(rng.random(int(rng.integers(1, 31))) < 0.5, int(rng.integers(0, 251)),
                                     rng.integers(0, 250, int(rng.integers(0, 4))).tolist(), rng.uniform(0, 0.1),
                                     int(rng.integers(0, 4)))
        fired += _fires(labels, n_total, 0.95, 0.95)
    assert fired >= 50


@settings(max_examples=250, deadline=None)
@given(screenings(), st.integers(0, 20), LEVELS)
def test_first_firing_is_the_first_record_after_which_the_rule_fires(case, start, levels):
    labels, n_total = case
    target, confidence = levels
    start = min(start, len(labels) - 1)
    brute = next((i for i in range(start + 1, len(labels) + 1)
                  if _fires(labels[:i], n_total, target, confidence)), None)
    assert first_firing(labels, n_total, target, confidence, start=start) == brute


def test_first_firing_after_a_start_past_the_first_claim_is_the_next_record():
    """The rule fires at the 96th of 100 records (10 relevant, then irrelevant) and at every one after it: asked
    for the first firing after the 97th, the answer is the 98th, never an earlier record."""
    labels = [1] * 10 + [0] * 89
    assert first_firing(labels, 100) == 96
    assert first_firing(labels, 100, start=97) == 98


@settings(max_examples=150, deadline=None)
@given(screenings(), LEVELS)
def test_more_draws_needed_is_the_fewest_irrelevant_draws_that_let_the_claim_be_made(case, levels):
    labels, n_total = case
    target, confidence = levels
    remaining = n_total - len(labels)
    brute = next((m for m in range(remaining + 1) if _fires(labels + [0] * m, n_total, target, confidence)),
                 remaining)
    assert more_draws_needed(labels, n_total, target, confidence) == brute


@pytest.mark.parametrize("labels, n_total, expected", [
    ([1] * 10 + [0] * 85, 100, 1),   # p = (90 - 85 - m)/90 < 0.05 from m = 1 (4/90)
    ([1] * 10 + [0] * 86, 100, 0),   # fires now
    ([1] * 10 + [0] * 89, 100, 0),   # one record left, and the rule already fires
    ([1] * 10 + [0] * 10, 21, 1),    # one record left: screening it is all that is left to do
    ([1] * 10, 10, 0),               # every record screened
])
def test_more_draws_needed_at_the_ends(labels, n_total, expected):
    assert more_draws_needed(labels, n_total) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 400).flatmap(lambda big_n: st.tuples(
    st.just(big_n), st.integers(0, big_n), st.integers(0, big_n), st.integers(0, big_n))),
    st.sampled_from([0.01, 0.05, 0.2]))
def test_the_cantelli_shortcut_is_the_bound_of_the_hypergeometric_moments_and_never_clears_a_firing_tail(
        case, alpha):
    big_n, big_k, n, k = case
    cleared = cannot_fire(np.array([k]), np.array([big_n]), np.array([big_k]), np.array([n]), alpha)[0]
    with np.errstate(divide="ignore", invalid="ignore"):  # scipy's moments divide by N − 1 (an urn of one: nan)
        mean, variance = hypergeom.mean(big_n, big_k, n), np.nan_to_num(hypergeom.var(big_n, big_k, n))
    excess = k + 1 - mean
    expected = excess > 0 and variance > 0 and variance / (variance + excess**2) <= (1 - alpha) * (1 - 1e-9)
    assert cleared == expected
    if cleared:
        assert hypergeom.cdf(k, big_n, big_k, n) >= alpha


def test_the_cantelli_shortcut_is_its_bound_on_every_urn_of_up_to_40_records():
    """Every (N, K, n, k) with N ≤ 40, at three levels (382,570 cases each): the shortcut clears exactly the tails
    whose Cantelli bound from scipy's moments allows it, and none it clears has P(X ≤ k) below α. Exhaustive,
    so the cases near the threshold, which random examples seldom reach, are all there."""
    rows = [(big_n, big_k, n, k) for big_n in range(1, 41) for big_k in range(big_n + 1) for n in range(big_n + 1)
            for k in range(n + 1)]
    big_n, big_k, n, k = (np.array(column) for column in zip(*rows))
    with np.errstate(divide="ignore", invalid="ignore"):  # scipy divides by N − 1: an urn of one gives nan
        mean, variance = hypergeom.mean(big_n, big_k, n), np.nan_to_num(hypergeom.var(big_n, big_k, n))
        for alpha in (0.01, 0.05, 0.2):
            cleared = cannot_fire(k, big_n, big_k, n, alpha)
            excess = k + 1 - mean
            expected = (excess > 0) & (variance > 0) & (variance / (variance + excess**2) <= (1 - alpha) * (1 - 1e-9))
            assert np.array_equal(cleared, expected) and cleared.sum() > 100_000
            assert (hypergeom.cdf(k[cleared], big_n[cleared], big_k[cleared], n[cleared]) >= alpha).all()


def test_more_records_screened_than_the_stage_holds_is_refused_by_name():
    with pytest.raises(ValueError, match="^5 records screened out of 3$"):
        h0_pvalue([1, 0, 0, 0, 0], 3)


def test_the_cantelli_shortcut_clears_the_tails_it_is_meant_to():
    """Not a shortcut that clears nothing: a tail holding many more relevant records than expected is cleared,
    one holding none is summed."""
    assert cannot_fire(np.array([8, 0]), np.array([200, 200]), np.array([10, 10]), np.array([20, 20]), 0.05).tolist() \
        == [True, False]


@pytest.mark.parametrize("big_n", [49, 3, 10, 100, 1000])
def test_an_urn_drawn_whole_is_summed_not_cleared_by_a_rounded_mean(big_n):
    """Drawing every record of an urn holding one relevant record finds it for certain, so P(X ≤ 0) = 0; the
    mean n·K/N rounds to a hair below 1 for some N (49 · (1/49) = 0.999…), which once made the bound 0 and
    cleared the tail: `more_draws_needed` then said 48 more draws where 46 let the claim be made."""
    assert not cannot_fire(np.array([0]), np.array([big_n]), np.array([1]), np.array([big_n]), 0.05)[0]
    assert h0_rejected([0] * big_n, big_n, random_run=big_n)


def test_hypergeometric_cdf_stays_a_probability():
    """Sums of many terms can round just past 1 (or 1 − sum just below 0): every value is clipped to [0, 1]."""
    rng = np.random.default_rng(2)
    big_n = rng.integers(1, 5000, 4000)
    big_k = rng.integers(0, big_n + 1)
    n = rng.integers(0, big_n + 1)
    k = rng.integers(-1, n + 2)
    values = hypergeom_cdf(k, big_n, big_k, n)
    assert values.min() >= 0.0 and values.max() <= 1.0
    assert np.allclose(values, hypergeom.cdf(k, big_n, big_k, n), atol=1e-9)


def test_nothing_screened_claims_nothing():
    assert h0_pvalue([], 100) == 1.0
    assert not h0_rejected([], 100)
    assert first_firing([], 100) is None


def test_status_carries_its_target_and_confidence_through_every_figure():
    labels = [1] * 12 + [0] * 60 + [1] + [0] * 40
    status = stopping_status(labels, 300, random_draws=40, recall_target=0.9, confidence=0.9)
    assert status == StoppingStatus(
        n_total=300, screened=len(labels), relevant_found=13, random_draws=40,
        p_value=h0_pvalue(labels, 300, 0.9, random_run=40), recall_target=0.9, confidence=0.9,
        more_draws=more_draws_needed(labels, 300, 0.9, 0.9, random_run=40))
    # the figures differ from the defaults' (so a target or confidence dropped on the way would show)
    default = stopping_status(labels, 300)
    assert (status.p_value, status.more_draws) != (default.p_value, default.more_draws)
    figures = status.to_dict()
    assert figures["can_stop"] is status.can_stop and StoppingStatus.from_dict(figures) == status


@pytest.mark.parametrize("labels, n_total, sentence", [
    ([1] * 3, 3, "recall ≥ 97.5 % can be claimed with 90 % confidence now (every record screened)"),
    ([1] * 10 + [0] * 86, 100, "recall ≥ 97.5 % can be claimed with 90 % confidence now (p = 0.0444)"),
    ([1] * 10 + [0] * 40, 100, "recall ≥ 97.5 % can be claimed with 90 % confidence after screening 41 more "
                               "records, if none of them is relevant"),
])
def test_status_sentences(labels, n_total, sentence):
    assert stopping_status(labels, n_total, recall_target=0.975, confidence=0.9).sentence() == sentence


@pytest.mark.parametrize("value, text", [(0.95, "95"), (0.975, "97.5"), (0.999, "99.9"), (0.5, "50")])
def test_percent(value, text):
    assert percent(value) == text


@pytest.mark.parametrize("target, confidence, named", [
    (0.0, 0.95, "recall target"), (1.0, 0.95, "recall target"), (1.5, 0.95, "recall target"),
    (0.95, 0.0, "confidence"), (0.95, 1.0, "confidence"), (0.95, -0.1, "confidence"),
])
def test_levels_outside_zero_to_one_are_refused_by_name(target, confidence, named):
    with pytest.raises(ValueError, match=f"the {named} must lie strictly between 0 and 1"):
        stopping_status([1, 0], 10, recall_target=target, confidence=confidence)


@pytest.mark.parametrize("labels, n_total", [
    ([1] + [0] * 150 + [1, 0, 0], 158),
    ([0] * 226 + [1, 0, 0], 229),
])
def test_the_rule_can_fire_in_a_stretch_before_a_late_relevant_record(labels, n_total):
    """Found by running first_firing's mutants against brute force: the rule first fires in the stretch just
    before a relevant record that comes late, which a search that merges or skips stretches misses. Rare in
    random sequences, so written out."""
    brute = next((i for i in range(1, len(labels) + 1) if _fires(labels[:i], n_total, 0.95, 0.95)), None)
    assert brute is not None and brute <= len(labels) - 3  # before the late relevant record
    assert first_firing(labels, n_total) == brute
