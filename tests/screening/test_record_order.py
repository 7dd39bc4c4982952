"""The order the screen shows records in: the background retraining (how stale a ranking may be, merged
requests, one worker, errors handed over), the choice of the next record and its rank in each order, and the
features built once per session.

The thread tests hold the ranking function on events, so what each call sees is decided by the test, not by
timing; every wait has a timeout, so a fault fails the test instead of hanging it.
"""

import random
import threading

import pytest

from sysrev.screening import ordering, ranking
from sysrev.screening.ordering import BackgroundRanker, RecordOrder, RelevanceRanking
from sysrev.screening.ranking import Ranking

TIMEOUT = 10


class HeldRanker:
    """``rank(decisions)`` that waits until the test releases that call; records what it was asked and how
    many calls ran at once."""

    def __init__(self):
        self.calls, self.release, self.started = [], [], threading.Semaphore(0)
        self.running = self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, decisions):
        with self.lock:
            self.calls.append(dict(decisions))
            self.release.append(threading.Event())
            event = self.release[-1]
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.started.release()
        assert event.wait(TIMEOUT)
        with self.lock:
            self.running -= 1
        return Ranking(sorted(decisions), f"m/{len(decisions)}", len(decisions))

    def wait_started(self, n):
        for _ in range(n):
            assert self.started.acquire(timeout=TIMEOUT)


def _in_thread(function):
    """Run ``function`` in a thread; returns (thread, result list)."""
    out = []
    thread = threading.Thread(target=lambda: out.append(function()), daemon=True)
    thread.start()
    return thread, out


def _waits_for_the_next_training(held, ask):
    """``ask()``'s answer, after checking that it waits while the next training is held."""
    thread, out = _in_thread(ask)
    held.wait_started(1)
    thread.join(0.2)
    assert thread.is_alive() and not out
    held.release[-1].set()
    thread.join(TIMEOUT)
    return out[0]


def test_a_ranking_one_update_old_is_used_and_one_two_updates_old_is_waited_for():
    held = HeldRanker()
    background = BackgroundRanker(held)
    background.update({"a": "include"})
    held.wait_started(1)
    background.update({"a": "include", "b": "exclude"})  # pending while the first trains
    held.release[0].set()
    first = background.ranking(lag=1)  # update 1 is done; one update behind the newest is allowed
    assert first.trained_on == 1
    assert _waits_for_the_next_training(held, lambda: background.ranking(lag=0)).trained_on == 2


def test_by_default_a_ranking_two_updates_old_is_waited_for():
    held = HeldRanker()
    background = BackgroundRanker(held)
    background.update({"a": "include"})
    held.wait_started(1)
    background.update({"a": "include", "b": "exclude"})
    background.update({"a": "include", "b": "exclude", "c": "exclude"})  # merged with the one before
    held.release[0].set()
    # update 1 is done and 3 the newest: two behind, so the default lag waits
    assert _waits_for_the_next_training(held, background.ranking).trained_on == 3


def test_requests_that_pile_up_are_merged_and_one_worker_trains_at_a_time():
    held = HeldRanker()
    background = BackgroundRanker(held)
    before = set(threading.enumerate())  # other tests' workers may still be ending
    background.update({"a": "include"})
    held.wait_started(1)
    workers = [t for t in set(threading.enumerate()) - before if t.name == "sysrev-ranking"]
    assert len(workers) == 1 and workers[0].daemon  # never keeps a closed screen's process alive
    for n in range(2, 6):  # four more decisions while the first model trains: no second worker
        background.update({f"r{i}": "exclude" for i in range(n)})
    assert [t for t in set(threading.enumerate()) - before if t.name == "sysrev-ranking"] == workers
    held.release[0].set()
    held.wait_started(1)  # only the newest request is trained next
    held.release[1].set()
    assert background.ranking(lag=0).trained_on == 5
    assert [len(c) for c in held.calls] == [1, 5] and held.most_at_once == 1


def test_waiting_is_announced_only_when_the_model_is_late():
    held = HeldRanker()
    background = BackgroundRanker(held)
    background.update({"a": "include"})
    held.wait_started(1)
    told = []
    thread, out = _in_thread(lambda: background.ranking(lag=0, waiting=lambda: told.append(1), patience=0.05))
    thread.join(0.5)
    assert told == [1] and not out  # told once, still waiting
    held.release[0].set()
    thread.join(TIMEOUT)
    assert out[0].trained_on == 1
    assert background.ranking(lag=0, waiting=lambda: told.append(2), patience=0.05).trained_on == 1
    assert told == [1]  # ready at once: nothing to announce


def test_an_error_in_training_reaches_the_screen():
    def failing(_decisions):
        raise RuntimeError("features could not be built")

    background = BackgroundRanker(failing)
    background.update({"a": "include"})
    thread, out = _in_thread(lambda: pytest.raises(RuntimeError, background.ranking))
    thread.join(TIMEOUT)
    assert not thread.is_alive() and str(out[0].value) == "features could not be built"


def test_an_unknown_order_is_refused_with_the_orders_there_are():
    with pytest.raises(ValueError) as refused:
        RecordOrder("alphabetical", ["r1"], {}, {})
    assert str(refused.value) == "unknown order 'alphabetical'; use one of relevance, random, file"


def test_random_order_draws_with_the_generator_given_at_rank_one():
    candidates = [f"r{i}" for i in range(20)]
    order = RecordOrder("random", candidates, {}, {}, rng=random.Random(3))
    drawn = [order.next(candidates, candidates) for _ in range(5)]
    expected = random.Random(3)
    assert drawn == [(expected.choice(candidates), "1", "random") for _ in range(5)]
    assert RecordOrder("random", candidates, {}, {}).rng is not None  # a system generator by default


def test_file_order_shows_the_first_candidate_and_its_place_among_the_undecided():
    order = RecordOrder("file", ["r1", "r2", "r3", "r4"], {}, {})
    assert order.next(["r2", "r3"], ["r1", "r2", "r3", "r4"]) == ("r2", "2", "file")  # r1 skipped this session
    assert order.next(["r4", "r3"], ["r3", "r4"]) == ("r3", "1", "file")


def test_relevance_order_follows_the_ranking_and_puts_records_it_does_not_hold_after_it():
    rankings = [Ranking(["r3", "r1", "r2"], "m/2", 2)]
    order = RecordOrder("relevance", ["r1", "r2", "r3", "r4", "r5"], {}, {"x": "include"},
                        rank=lambda decisions: rankings[-1])
    assert order.next(["r1", "r2", "r3"], ["r1", "r2", "r3"]) == ("r3", "1", "m/2")
    # r3 was decided a moment ago: the ranking still holds it, the place counts only what is undecided
    assert order.next(["r1", "r2"], ["r1", "r2"]) == ("r1", "1", "m/2")
    # r5 and r4 were undone since the ranking was made: after every ranked record, in the candidates' order
    assert order.next(["r5", "r4"], ["r2", "r4", "r5"]) == ("r5", "2", "m/2")
    assert order.next(["r4", "r5", "r2"], ["r2", "r4", "r5"]) == ("r2", "1", "m/2")


def test_relevance_order_asks_for_the_lag_and_passes_the_waiting_notice():
    asked = []

    class Spy(BackgroundRanker):
        def ranking(self, lag=1, *, waiting=None, patience=0.5):
            asked.append((lag, waiting))
            return Ranking(["r1"], "m/1", 1)

    order = RecordOrder("relevance", ["r1"], {}, {}, rank=lambda d: Ranking(["r1"], "m/1", 1))
    order.background = Spy(lambda d: None)
    notice = object()
    order.next(["r1"], ["r1"], waiting=notice, lag=0)
    order.next(["r1"], ["r1"])
    assert asked == [(0, notice), (1, None)]


def test_features_are_built_once_a_session_and_only_once_both_classes_are_among_the_eligible(monkeypatch):
    built = []

    class Counting(ranking.Ranker):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(ordering, "Ranker", Counting)
    monkeypatch.setattr(ranking, "Ranker", Counting)
    records = {f"r{i}": {"title": f"topic {'ultrasound' if i % 2 else 'soil'} {i}"} for i in range(6)}
    update = RelevanceRanking(list(records)[:4], records)
    # decisions on records outside the stage's eligible ones teach nothing
    outside = update({"r4": "include", "r5": "exclude", "r1": "include"})
    assert outside.model == "file" and update.ranker is None and built == []
    for decisions in ({"r1": "include", "r0": "exclude"}, {"r1": "include", "r0": "exclude", "r2": "exclude"},
                      {"r1": "include", "r0": "exclude", "r2": "exclude", "r3": "include"}):
        assert update(decisions).trained_on == len(decisions)
    assert built == [1]
