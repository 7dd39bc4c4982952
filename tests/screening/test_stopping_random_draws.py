"""The stopping test once a reviewer switches to records drawn at random (docs/screening.md "Stopping"): the
random draws at the end of the sequence are one random sample of the records unscreened when the first of them
was drawn, and they alone are tested. Until 5 December 2026 every tail was tested, as for ranked records, and
the smallest p-value used: a tail starting just after a relevant record drawn at random, or reaching back into
the ranked records before the switch. Checked after every decision, that claimed recall ≥ 95 % while recall was
below it in over a tenth of simulated screenings (the Monte Carlo check below; benchmarks/stopping_validity.py
prints more scenarios)."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom

from sysrev.project import load_project
from sysrev.screening.prioritisation import reviewer_stopping
from sysrev.screening.state import load_screening
from sysrev.screening.stopping import (
    first_firing,
    h0_pvalue,
    h0_rejected,
    more_draws_needed,
    stopping_status,
    tail_pvalues,
)

# 20 relevant then 20 irrelevant records in relevance order, then 212 drawn at random from the 260 left, the
# 11th of them relevant; 300 records in all.
RANKED = [1] * 20 + [0] * 20
DRAWN = [0] * 10 + [1] + [0] * 201
TOTAL = 300


def test_a_random_sample_is_tested_whole_not_from_just_after_its_relevant_record():
    """Worked by hand: 21 relevant found, 1 in the sample, so H0 needs K = ⌊21/0.95 − 20 + 1⌋ = 3 relevant
    records among the 260 the sample was drawn from; P(X ≤ 1) for 212 draws is 0.089: no claim. The old rule's
    best tail, the 201 draws after the relevant one, gave 0.037 and claimed recall ≥ 95 %."""
    labels = RANKED + DRAWN
    expected = hypergeom(260, 3, 212).cdf(1)
    assert h0_pvalue(labels, TOTAL, random_run=len(DRAWN)) == pytest.approx(expected)
    assert expected == pytest.approx(0.0886, abs=1e-4)
    assert h0_pvalue(labels, TOTAL) < 0.05  # every tail, as for ranked records
    status = stopping_status(labels, TOTAL, random_draws=len(DRAWN))
    assert not status.can_stop and status.p_value == pytest.approx(expected)
    # further draws join the same sample: the fewest all-irrelevant ones m with P(X ≤ 1; 260, 3, 212 + m) < 0.05
    needed = next(m for m in range(1, 49) if hypergeom(260, 3, 212 + m).cdf(1) < 0.05)
    assert status.more_draws == needed
    assert status.sentence() == (f"recall ≥ 95 % can be claimed with 95 % confidence after screening {needed} more "
                                 "randomly drawn records, if none of them is relevant")


@st.composite
def sequences(draw):
    """(labels, n_total, random_run): a prioritised start, then a run of random draws with a few relevant."""
    head = [int(x) for x in draw(st.lists(st.booleans(), min_size=0, max_size=30))]
    run = [0] * draw(st.integers(1, 250))
    for position in draw(st.lists(st.integers(0, 249), max_size=3)):
        if position < len(run):
            run[position] = 1
    labels = head + run
    return labels, len(labels) + draw(st.integers(0, 60)), len(run)


@settings(max_examples=200, deadline=None)
@given(sequences(), st.one_of(st.none(), st.integers(0, 300)), st.sampled_from([(0.95, 0.95), (0.9, 0.8)]))
def test_a_random_run_is_the_one_tail_tested(case, longest, levels):
    labels, n_total, run = case
    target, confidence = levels
    every = tail_pvalues(labels, n_total, target)  # every tail's p-value, the last 1, 2, … records
    size = min(run, len(labels) if longest is None else longest)
    expected = every[size - 1] if size else 1.0
    got = h0_pvalue(labels, n_total, target, longest, random_run=run)
    assert got == pytest.approx(expected, abs=1e-12)
    assert h0_rejected(labels, n_total, target, confidence, longest, random_run=run) == (expected < 1 - confidence)


@settings(max_examples=120, deadline=None)
@given(sequences(), st.sampled_from([(0.95, 0.95), (0.9, 0.8)]))
def test_more_draws_needed_extends_the_random_sample(case, levels):
    labels, n_total, run = case
    target, confidence = levels
    remaining = n_total - len(labels)
    brute = next((m for m in range(remaining + 1)
                  if h0_pvalue(labels + [0] * m, n_total, target, random_run=run + m) < 1 - confidence), remaining)
    assert more_draws_needed(labels, n_total, target, confidence, random_run=run) == brute


@settings(max_examples=150, deadline=None)
@given(sequences(), st.sampled_from([(0.95, 0.95), (0.9, 0.8)]))
def test_first_firing_switches_to_the_random_sample_where_the_draws_start(case, levels):
    labels, n_total, run = case
    target, confidence = levels
    switch = len(labels) - run

    def fires(i):
        return h0_pvalue(labels[:i], n_total, target, random_run=max(0, i - switch)) < 1 - confidence

    brute = next((i for i in range(1, len(labels) + 1) if fires(i)), None)
    assert first_firing(labels, n_total, target, confidence, random_from=switch) == brute


def test_a_claim_reached_in_relevance_order_just_before_the_switch_stands():
    """10 relevant then 86 irrelevant records of 100 in relevance order: the ranked rule fires at the 96th (p =
    4/90 = 0.044). Three random draws follow; the first firing is still the 96th, not a later one and not none
    (the draws' own sample, of 1 to 3 records, could never fire)."""
    ranked = [1] * 10 + [0] * 86
    assert first_firing(ranked, 100) == 96
    assert first_firing(ranked + [0] * 3, 100, random_from=96) == 96
    assert h0_pvalue(ranked + [0] * 3, 100, random_run=3) > 0.05


def test_a_cut_without_a_time_names_no_time():
    """``draws`` (records added since) without ``draws_since``: the sentence gives no date it does not have."""
    status = stopping_status([1] * 5 + [0] * 5, 40, draws=0)
    assert status.draws_since == "" and "added on" not in status.sentence()
    assert status.sentence().endswith("more records, if none of them is relevant")


def _false_claims(rng, runs, n_total, relevant, ranked_share, old_rule):
    """Share of simulated screenings in which the rule, checked after every record, first lets recall ≥ 95 % be
    claimed while recall is below 95 %. A weak model (relevance score = label + standard normal noise) orders
    the first ``ranked_share`` of the records; the rest are drawn at random."""
    wrong = 0
    for _ in range(runs):
        labels = np.zeros(n_total, dtype=np.int64)
        labels[:relevant] = 1
        ranked = labels[np.argsort(-(labels + rng.normal(size=n_total)))]
        switch = int(ranked_share * n_total)
        drawn = rng.permutation(ranked[switch:])
        sequence = np.concatenate([ranked[:switch], drawn])
        fired = first_firing(sequence, n_total, random_from=None if old_rule else switch)
        wrong += fired is not None and sequence[:fired].sum() < 0.95 * relevant
    return wrong / runs


@pytest.mark.parametrize("ranked_share", [0.0, 0.2])
def test_checked_after_every_decision_the_random_sample_keeps_false_claims_near_five_percent(ranked_share):
    """Monte Carlo, fixed seed: 2,000 records, 50 relevant, a weak model's order for the first ``ranked_share``
    of them and random draws after. With the random draws tested alone the rule claims recall ≥ 95 % while it
    is below in at most 5 % of runs plus two standard errors of that share; testing every tail (the rule
    before 5 December 2026) does so in more than 10 %, which the same check refuses."""
    runs = 400
    allowed = 0.05 + 2 * (0.05 * 0.95 / runs) ** 0.5  # 0.072
    new = _false_claims(np.random.default_rng(1), runs, 2000, 50, ranked_share, old_rule=False)
    old = _false_claims(np.random.default_rng(1), runs, 2000, 50, ranked_share, old_rule=True)
    assert new <= allowed < 0.1 < old


REVIEW = ('[review]\ntitle = "t"\nquestion = "q"\n[screening]\nreviewers = ["ann"]\n'
          'exclusion_reasons = ["wrong design"]\nhighlight_terms = []\n')


def test_a_reviewer_who_switched_to_random_draws_is_tested_on_them(tmp_path):
    """ann's log: the 40 ranked decisions, then the 212 random draws (model ``random``), in one search's 300
    records; the status is that of the random sample alone, and goes back to every tail once she screens in
    relevance order again."""
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    records = [{"record_id": f"R{n:06d}", "title": f"Record {n}",
                "sources": [{"run": "20261201T090000Z-pubmed", "source": "pubmed", "source_id": str(n)}]}
               for n in range(1, TOTAL + 1)]
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                        encoding="utf-8")
    log = tmp_path / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True)
    models = ["tfidf-svm.3/2"] * len(RANKED) + ["random"] * len(DRAWN)
    log.write_text("record_id,decision,reason,reviewer,timestamp,note,rank,model\n" + "".join(
        f"R{n:06d},{'include' if label else 'exclude'},,ann,2026-12-02T{9 + n // 60:02d}:{n % 60:02d}:00Z,,1,"
        f"{model}\n" for n, (label, model) in enumerate(zip(RANKED + DRAWN, models), start=1)), encoding="utf-8")
    project = load_project(tmp_path)
    status = reviewer_stopping(project, load_screening(project), "ann")
    assert status == stopping_status(RANKED + DRAWN, TOTAL, random_draws=len(DRAWN))
    assert status.random_draws == 212 and not status.can_stop
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"R{len(RANKED + DRAWN) + 1:06d},exclude,,ann,2026-12-02T14:00:00Z,,1,tfidf-svm.3/253\n")
    status = reviewer_stopping(project, load_screening(project), "ann")
    assert status.random_draws == 0
    assert status == stopping_status(RANKED + DRAWN + [0], TOTAL) and status.can_stop
