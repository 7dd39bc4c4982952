"""Replay a finished screening to check prioritisation and the stopping rule (``sysrev screen simulate``).

A labelled data set (title, abstract and a 0/1 label per record) is screened as if a
reviewer followed sysrev's order: start from prior records (by default 1 included and 1 excluded, drawn with
a seed), then repeatedly retrain the model (:mod:`sysrev.screening.ranking`) on every label seen so far and
screen the record it ranks first, until every record is screened. The stopping criterion
(:mod:`sysrev.screening.stopping`) is then found for every point of that order; the first point at which it
fires is where the team could have stopped. Same seeds, same data: same order.
"""

from dataclasses import dataclass

import numpy as np

from sysrev.errors import InputError
from sysrev.screening.labelled_csv import LabelledSet, read_labelled_csv
from sysrev.screening.ranking import DEFAULT_SETTINGS, Ranker
from sysrev.screening.stopping import first_firing

__all__ = ["LabelledSet", "SimulationResult", "draw_priors", "read_labelled_csv", "simulate"]

REFIT_FRACTION = 50  # retrain once 1/50 of the labels, or of the relevant labels, are new since the last training


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

    The model is retrained once the records screened since the last training reach a fiftieth of all labels
    (at least one), and after a relevant record once the relevant records found since then reach a fiftieth
    of the relevant labels (at least one: after every relevant record while fewer than 100 are known): a
    shortcut that keeps a 2,000-record simulation within seconds and gave the same results as retraining
    after every record, as the interactive screen does (docs/screening.md, *How the settings were chosen*);
    in a review where a third of the records are relevant, it spares a retraining every third record. Once
    every included record has been screened, the model ranks the rest once more and they follow in that order
    without further training: every measure and the stopping rule depend only on where the included records
    fall (the rest are all excluded, in whatever order), and ASReview LAB's simulation stops at that point
    altogether.
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
    order, queue, since_fit, relevant_since_fit = list(priors), [], 0, 0
    total_relevant = sum(labels) - sum(labels[row] for row in priors)
    known_relevant = sum(labels[row] for row in priors)
    found, final = 0, False  # included records screened after the priors; the queue is the last ranking
    while len(order) < n:
        if not final and (not queue or since_fit >= max(1, len(labelled) // REFIT_FRACTION)
                          or labels[order[-1]] == 1
                          and relevant_since_fit >= max(1, known_relevant // REFIT_FRACTION)):
            queue, since_fit, relevant_since_fit = ranker.order(labelled)[::-1], 0, 0  # pop() takes the best
            final = found == total_relevant
        row = queue.pop()
        labelled[row] = labels[row]
        order.append(row)
        found += labels[row]
        known_relevant += labels[row]
        since_fit += 1
        relevant_since_fit += labels[row]
        if progress:
            progress(1)
    fired = first_firing([labels[row] for row in order], n, recall_target, confidence, start=len(priors))
    stopped_at = recall_at_stop = None
    if fired is not None:
        stopped_at = fired - len(priors)
        found_by_stop = sum(labels[row] for row in order[len(priors):fired])
        recall_at_stop = found_by_stop / total_relevant if total_relevant else 1.0
    return SimulationResult(order, list(priors), stopped_at, recall_at_stop)
