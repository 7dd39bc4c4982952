"""Replay a finished screening to check prioritisation and the stopping rule (``sysrev screen simulate``).

A labelled data set (title, abstract, optional keywords, a 0/1 label per record) is screened as if a
reviewer followed sysrev's order: start from prior records (by default 1 included and 1 excluded, drawn with
a seed), then repeatedly retrain the model (:mod:`sysrev.screening.ranking`) on every label seen so far and
screen the record it ranks first, until every record is screened. Along the way the stopping criterion
(:mod:`sysrev.screening.stopping`) is tested after each record; the first point at which it fires is where
the team could have stopped. Same seeds, same data: same order.
"""

from dataclasses import dataclass

import numpy as np

from sysrev.errors import InputError
from sysrev.screening.labelled_csv import LabelledSet, read_labelled_csv
from sysrev.screening.ranking import DEFAULT_SETTINGS, Ranker
from sysrev.screening.stopping import h0_pvalue

__all__ = ["LabelledSet", "SimulationResult", "draw_priors", "read_labelled_csv", "simulate"]

REFIT_FRACTION = 50  # retrain once the records screened since the last training reach 1/50 of all labels


@dataclass
class SimulationResult:
    """The order screened (0-based data rows, priors first) and where the stopping rule fired."""

    order: list
    priors: list
    stopped_at: int | None  # records screened, priors excluded, when the rule first fired
    recall_at_stop: float | None  # included records found by then / included records (priors excluded)

    def summary(self) -> dict:
        return {"priors": self.priors, "screened": len(self.order) - len(self.priors),
                "stopped_at": self.stopped_at, "recall_at_stop": self.recall_at_stop}


def draw_priors(labels, n_included: int = 1, n_excluded: int = 1, seed: int | None = None) -> list:
    """Prior rows drawn at random with ``seed``: ``n_included`` included records, then ``n_excluded``
    excluded ones."""
    labels = np.asarray(labels)
    included, excluded = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    if n_included > len(included) or n_excluded > len(excluded):
        raise InputError(f"cannot draw {n_included} included and {n_excluded} excluded prior records from a set "
                         f"with {len(included)} included and {len(excluded)} excluded")
    rng = np.random.default_rng(seed)
    return ([int(i) for i in rng.choice(included, n_included, replace=False)]
            + [int(i) for i in rng.choice(excluded, n_excluded, replace=False)])


def simulate(data: LabelledSet, priors, *, seed: int = 0, recall_target: float = 0.95,
             confidence: float = 0.95, settings=DEFAULT_SETTINGS, progress=None) -> SimulationResult:
    """Screen ``data`` in sysrev's order from ``priors``; ``progress(n)`` is called after each record.

    The model is retrained after every relevant record and otherwise once the records screened since the
    last training reach a fiftieth of all labels (at least one): a shortcut that keeps a 2,000-record
    simulation within seconds and gave the same results as retraining after every record, as the
    interactive screen does (docs/screening.md, *How the settings were chosen*).
    """
    labels = data.labels
    n = len(labels)
    for row in priors:
        if not 0 <= row < n:
            raise InputError(f"prior row {row} is outside the data rows 0–{n - 1}")
    if len(set(priors)) != len(priors):
        raise InputError("a prior row is given twice")
    ranker = Ranker(data.texts, settings, seed=seed)
    labelled = {row: labels[row] for row in priors}
    order, queue, since_fit = list(priors), [], 0
    sequence = [labels[row] for row in priors]
    alpha = 1 - confidence
    stopped_at = None
    total_relevant = sum(labels) - sum(labels[row] for row in priors)
    while len(order) < n:
        if not queue or since_fit >= max(1, len(labelled) // REFIT_FRACTION) or labels[order[-1]] == 1:
            queue, since_fit = ranker.order(labelled)[::-1], 0  # reversed: pop() takes the best
        row = queue.pop()
        labelled[row] = labels[row]
        order.append(row)
        sequence.append(labels[row])
        since_fit += 1
        if stopped_at is None and h0_pvalue(sequence, n, recall_target) < alpha:
            stopped_at = len(order) - len(priors)
        if progress:
            progress(1)
    recall_at_stop = None
    if stopped_at is not None:
        found = sum(labels[row] for row in order[len(priors):len(priors) + stopped_at])
        recall_at_stop = found / total_relevant if total_relevant else 1.0
    return SimulationResult(order, list(priors), stopped_at, recall_at_stop)
