"""`sysrev screen simulate`'s replay in detail: when the model is retrained, what it is given, the priors drawn,
the recall reported at the stop, and every refusal word for word.

The retraining schedule is what makes a simulation fast yet equal to retraining after every record
(docs/screening.md); it is checked here against its own statement in ``simulate``'s docstring, replayed
independently on the order the simulation produced.
"""

import numpy as np
import pytest

from sysrev.errors import InputError
from sysrev.screening import simulate as simulate_module
from sysrev.screening.ranking import DEFAULT_SETTINGS, Ranker, RankingSettings
from sysrev.screening.simulate import REFIT_FRACTION, LabelledSet, draw_priors, simulate
from sysrev.screening.stopping import h0_pvalue


class SpyRanker(Ranker):
    """The real ranker, noting what each retraining was given."""

    trainings: list = []
    settings_seen: list = []

    def __init__(self, texts, settings=DEFAULT_SETTINGS, *, seed=0):
        super().__init__(texts, settings, seed=seed)
        SpyRanker.settings_seen.append((settings, seed))

    def order(self, labelled):
        SpyRanker.trainings.append(dict(labelled))
        return super().order(labelled)


@pytest.fixture
def spy(monkeypatch):
    SpyRanker.trainings, SpyRanker.settings_seen = [], []
    monkeypatch.setattr(simulate_module, "Ranker", SpyRanker)
    return SpyRanker


def _separable_set(n=420, every=3, lean=5, seed=8):
    """Relevant records (every ``every``-th) have ``lean`` of their ten words from a vocabulary of their own,
    so they tend to come first (the fewer, the more excluded records are met among them)."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(80)]
    labels = [int(i % every == 0) for i in range(n)]
    texts = [" ".join(rng.choice(words[:25], lean).tolist() + rng.choice(words, 10 - lean).tolist()) if y
             else " ".join(rng.choice(words[20:], 10)) for y in labels]
    return LabelledSet(texts, labels)


def _expected_trainings(order, labels, n_priors, looked_back=1):
    """The number of records screened at each retraining, from the rule as ``simulate`` states it: retrain
    when the records screened since the last training reach a fiftieth of the labels (at least one), or after
    a relevant record once the relevant records since then reach a fiftieth of the relevant labels known (at
    least one); never again once every included record has been screened."""
    total_relevant = sum(labels)
    points, since, relevant_since = [], 0, 0
    known = sum(labels[row] for row in order[:n_priors])
    final = False
    for screened in range(n_priors, len(order)):
        last = labels[order[screened - looked_back]]  # the record screened last (looked_back=1)
        due = (not points or since >= max(1, screened // REFIT_FRACTION)
               or last == 1 and relevant_since >= max(1, known // REFIT_FRACTION))
        if not final and due:
            points.append(screened)
            since = relevant_since = 0
            final = sum(labels[row] for row in order[:screened]) == total_relevant
        row = order[screened]
        since += 1
        relevant_since += labels[row]
        known += labels[row]
    return points


def test_the_model_is_retrained_exactly_when_the_stated_schedule_says(spy):
    data = _separable_set(n=900, every=3, lean=2)
    result = simulate(data, [0, 1], seed=3)
    points = [len(labelled) for labelled in spy.trainings]
    assert points == _expected_trainings(result.order, data.labels, 2)
    # The set is large enough for every part of the rule to act: gaps of three and more records between
    # trainings (a fiftieth of 150 labels and more), and retrainings after a relevant record sooner than that,
    # among them one with more than a hundred relevant records known (a fiftieth of them is two).
    gaps = np.diff(points)
    assert gaps.max() >= 3
    early = [points[i + 1] for i, gap in enumerate(gaps) if gap < points[i] // REFIT_FRACTION]
    assert any(sum(data.labels[row] for row in result.order[:at]) > 100 for at in early)
    # each training learnt from exactly the records screened so far, with their labels
    for labelled in spy.trainings:
        screened = result.order[:len(labelled)]
        assert labelled == {row: data.labels[row] for row in screened}


def test_a_relevant_record_triggers_retraining_when_it_is_the_last_one_screened(spy):
    # on this set the rule gives other trainings if it looks at the record before the last one
    data = _separable_set(n=1200, every=3, lean=1)
    result = simulate(data, [0, 1], seed=3)
    points = [len(labelled) for labelled in spy.trainings]
    assert points == _expected_trainings(result.order, data.labels, 2)
    assert points != _expected_trainings(result.order, data.labels, 2, looked_back=2)


def test_the_stopping_rule_is_run_at_the_target_and_confidence_asked_for_after_the_priors():
    from sysrev.screening.stopping import first_firing

    data = _separable_set(n=240, every=9)
    seen = []
    result = simulate(data, [0, 1], seed=1, recall_target=0.8, confidence=0.9, progress=seen.append)
    labels = [data.labels[row] for row in result.order]
    fired = first_firing(labels, 240, 0.8, 0.9, start=2)
    assert fired != first_firing(labels, 240, 0.95, 0.95, start=2)  # the levels make a difference here
    assert result.stopped_at == fired - 2
    assert seen == [1] * 238  # one call per record screened after the priors


def test_the_schedule_retrains_after_every_record_while_labels_are_few(spy):
    data = _separable_set(n=60, every=4)
    result = simulate(data, [0, 1], seed=0)
    points = [len(labelled) for labelled in spy.trainings]
    last_relevant = max(i for i, row in enumerate(result.order) if data.labels[row])
    assert points == list(range(2, last_relevant + 2))  # after every record up to the last included one


def test_simulate_passes_its_settings_and_seed_to_the_model(spy):
    data = _separable_set(n=60)
    settings = RankingSettings(ngram_max=1, C=0.5)
    simulate(data, [0, 1], seed=7, settings=settings)
    simulate(data, [0, 1])
    assert spy.settings_seen == [(settings, 7), (DEFAULT_SETTINGS, 0)]


def test_recall_at_the_stop_is_the_share_of_the_included_records_after_the_priors_found_by_then():
    data = _separable_set(n=240, every=9)
    result = simulate(data, [0, 1], seed=1)
    labels = [data.labels[row] for row in result.order]
    fired = next(i for i in range(3, len(labels) + 1) if h0_pvalue(labels[:i], len(labels)) < 0.05)
    assert result.stopped_at == fired - 2
    after_priors = sum(labels[2:])
    assert after_priors > 1
    assert result.recall_at_stop == pytest.approx(sum(labels[2:fired]) / after_priors, abs=1e-12)
    assert result.summary() == {"priors": [0, 1], "screened": 238, "stopped_at": fired - 2,
                                "recall_at_stop": result.recall_at_stop}


def test_when_the_priors_hold_every_included_record_the_recall_at_the_stop_is_one():
    data = LabelledSet(["ultrasound trial", "soil survey", "crop yields", "field nitrogen"], [1, 0, 0, 0])
    result = simulate(data, [0, 1])
    assert result.stopped_at is not None and result.recall_at_stop == 1.0


def test_prior_rows_outside_the_data_or_given_twice_are_refused_word_for_word():
    data = LabelledSet(["a trial", "b survey", "c survey", "d trial", "e survey"], [1, 0, 0, 1, 0])
    with pytest.raises(InputError) as outside:
        simulate(data, [0, 5])
    assert str(outside.value) == "prior row 5 is outside the data rows 0–4"
    with pytest.raises(InputError) as negative:
        simulate(data, [-1, 1])
    assert str(negative.value) == "prior row -1 is outside the data rows 0–4"
    simulate(data, [4, 3])  # the last row is a row
    with pytest.raises(InputError) as twice:
        simulate(data, [1, 1])
    assert str(twice.value) == "a prior row is given twice"


def test_priors_by_default_are_one_included_then_one_excluded_record_drawn_with_the_seed():
    labels = [0, 1, 0, 0, 1, 0, 1, 0]
    drawn = draw_priors(labels, seed=4)
    assert len(drawn) == 2 and labels[drawn[0]] == 1 and labels[drawn[1]] == 0
    assert draw_priors(labels, seed=4) == drawn
    assert {tuple(draw_priors(labels, seed=s)) for s in range(30)} != {tuple(drawn)}  # the seed draws


def test_priors_are_distinct_records_and_may_take_every_record_of_a_class():
    labels = [0, 1, 0, 0, 1, 0, 1, 0]
    for seed in range(20):
        drawn = draw_priors(labels, n_included=3, n_excluded=5, seed=seed)
        assert sorted(drawn[:3]) == [1, 4, 6] and sorted(drawn[3:]) == [0, 2, 3, 5, 7]


@pytest.mark.parametrize("n_included, n_excluded", [(4, 1), (1, 6), (4, 6)])
def test_more_priors_than_a_class_holds_are_refused_word_for_word(n_included, n_excluded):
    with pytest.raises(InputError) as refused:
        draw_priors([0, 1, 0, 0, 1, 0, 1, 0], n_included=n_included, n_excluded=n_excluded)
    assert str(refused.value) == (f"cannot draw {n_included} included and {n_excluded} excluded prior records "
                                  "from a set with 3 included and 5 excluded")
