"""The order in which the interactive screen shows a reviewer's records: ``relevance``, ``random`` or ``file``.

``relevance`` retrains the ranking model (:mod:`sysrev.screening.ranking`) in a background thread after every
decision, so the next record appears without waiting; the record shown is chosen by the newest finished model,
and the screen waits only if that model is more than one update behind (so a record is never ranked by a
model older than the decision before last). The model learns from the reviewer's own decisions only.

``random`` draws each next record at random from the reviewer's undecided records (the sample the stopping
rule's test assumes); ``file`` keeps the order of ``records/records.jsonl``.
"""

import random
import threading

from sysrev.screening.config import ORDERS
from sysrev.screening.ranking import Ranker, Ranking, has_both_classes, rank_records, record_text


class BackgroundRanker:
    """Runs ``rank(decisions) -> Ranking`` in a worker thread, newest request first.

    :meth:`update` hands over the reviewer's decisions after a key press and returns at once; requests that
    pile up while a training runs are merged (only the newest is trained). :meth:`ranking` returns the
    newest finished ranking that is at most ``lag`` updates behind, waiting for it if needed.
    """

    def __init__(self, rank):
        self._rank = rank
        self._cond = threading.Condition()
        self._pending = None  # (update number, decisions) not yet started
        self._result = None  # (update number, Ranking)
        self._error = None
        self._updates = 0
        self._busy = False

    def update(self, decisions: dict):
        with self._cond:
            self._updates += 1
            self._pending = (self._updates, dict(decisions))
            if not self._busy:
                self._busy = True
                threading.Thread(target=self._work, daemon=True, name="sysrev-ranking").start()

    def ranking(self, lag: int = 1, *, waiting=None, patience: float = 0.5) -> Ranking:
        """The newest ranking at most ``lag`` updates older than the last :meth:`update`; if none is there
        after ``patience`` seconds, ``waiting()`` is called (to tell the reviewer) and the wait goes on."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._ready(lag), timeout=patience) and waiting:
                waiting()
            self._cond.wait_for(lambda: self._ready(lag))
            if self._error is not None:
                raise self._error
            return self._result[1]

    def _ready(self, lag):
        return self._error is not None or (self._result is not None and self._result[0] >= self._updates - lag)

    def _work(self):
        while True:
            with self._cond:
                if self._pending is None:
                    self._busy = False
                    return
                number, decisions = self._pending
                self._pending = None
            try:
                ranking = self._rank(decisions)
            except Exception as exc:  # handed to the screen, which reports it
                with self._cond:
                    self._error, self._busy = exc, False
                    self._cond.notify_all()
                return
            with self._cond:
                self._result = (number, ranking)
                self._cond.notify_all()


class RecordOrder:
    """Chooses the next record for one reviewer at one stage and says at what rank and by what model."""

    def __init__(self, order, eligible, records_by_id, decisions, *, rank=None, rng=None):
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
        self.order = order
        self.eligible = list(eligible)
        self.rng = rng or random.SystemRandom()
        self.background = None
        if order == "relevance":
            self.background = BackgroundRanker(rank or RelevanceRanking(self.eligible, records_by_id))
            self.background.update(decisions)

    def update(self, decisions: dict):
        """Called after every decision (the reviewer's own decisions, {record_id: decision})."""
        if self.background is not None:
            self.background.update(decisions)

    def next(self, candidates, undecided, *, waiting=None, lag: int = 1) -> tuple:
        """``(record_id, rank, model)`` of the next record among ``candidates`` (undecided records not yet
        shown in this session); ``rank`` is its 1-based place among all of the reviewer's ``undecided``
        records (skipped ones too) in the order used — 1 unless records were skipped. A random draw has
        rank 1: it is drawn first from what remains. ``waiting()`` is called if a model is slow to come.
        ``lag``: how many updates older than the newest the model may be (0 when the record is chosen ahead,
        while the reviewer still reads the one before it, as the web app does)."""
        candidates = list(candidates)
        if self.order == "random":
            return self.rng.choice(candidates), "1", "random"
        if self.order == "file":
            ranked, model = list(undecided), "file"
        else:
            ranking = self.background.ranking(lag=lag, waiting=waiting)
            open_ = set(undecided)  # the ranking may still hold the record decided a moment ago
            ranked, model = [rid for rid in ranking.record_ids if rid in open_], ranking.model
        place = {rid: i for i, rid in enumerate(ranked, start=1)}
        unranked = len(place) + 1  # undecided again since the ranking was made: after the ranked ones
        _, chosen = min(enumerate(candidates), key=lambda item: (place.get(item[1], unranked), item[0]))
        return chosen, str(place.get(chosen, unranked)), model


class RelevanceRanking:
    """``rank(decisions) -> Ranking`` over ``eligible`` records, the update the screen and the web app run after
    each decision; the features are built on first use (in the worker thread, so a large project does not
    hold up the screen) and kept in :attr:`ranker` for the updates after it."""

    def __init__(self, eligible, records_by_id):
        self.eligible, self.records_by_id = list(eligible), records_by_id
        self._eligible_set = set(self.eligible)  # once: a set per decision made each update quadratic
        self.ranker = None

    def __call__(self, decisions: dict) -> Ranking:
        if self.ranker is None and has_both_classes(
                {rid: d for rid, d in decisions.items() if rid in self._eligible_set}):
            self.ranker = Ranker([record_text(self.records_by_id[rid]) for rid in self.eligible])
        return rank_records(self.eligible, self.records_by_id, decisions, ranker=self.ranker)
