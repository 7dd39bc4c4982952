"""Prioritised screening: ranking, blinding, the model lag, the decision-log columns, the stopping rule and
its commands, and a small simulation."""

import csv
import itertools
import json
import threading
import time

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom
from shared_inputs import write_labelled_set

from sysrev.cli.main import cli
from sysrev.screening.log import HEADER_WITH_RANK, Decision, append_decisions, log_path, read_log
from sysrev.screening.ranking import Ranking, rank_for_reviewer
from sysrev.screening.session import ScreenSession
from sysrev.screening.state import load_screening
from sysrev.screening.stopping import (
    first_firing,
    h0_pvalue,
    h0_rejected,
    hypergeom_cdf,
    more_draws_needed,
    stopping_status,
    tail_pvalues,
)

H = "record_id,decision,reason,reviewer,timestamp\n"


def _log(rows, reviewer):
    return H + "".join(f"{rid},{d},,{reviewer},2024-05-01T09:00:00Z\n" for rid, d in rows)


# --- the stopping rule --------------------------------------------------------------------------------------

def test_pvalue_of_a_hand_worked_sequence():
    # 10 relevant records, then 40 irrelevant, out of 100. The longest tail without a relevant record is the
    # last 40: H0 (recall < 95 %) needs K = floor(10/0.95 - 10 + 1) = 1 relevant record among the 90 records
    # of that tail plus the 50 unscreened, and P(0 relevant in 40 draws from 90 holding 1) = 50/90.
    labels = [1] * 10 + [0] * 40
    assert abs(h0_pvalue(labels, 100) - 50 / 90) < 1e-9
    # The tail of 41 (with the last relevant record): K = floor(10/0.95 - 9 + 1) = 2 among 91;
    # P(X <= 1) = 1 - C(41,2)/C(91,2) = 1 - 820/4095.
    assert abs(tail_pvalues(labels, 100)[40] - (1 - 820 / 4095)) < 1e-9


def test_minimum_over_reduced_tails_equals_minimum_over_all_tails():
    import numpy as np

    rng = np.random.default_rng(7)
    for _ in range(200):
        seen = int(rng.integers(1, 120))
        total = seen + int(rng.integers(0, 200))
        labels = (rng.random(seen) < rng.random()).astype(int)
        assert abs(h0_pvalue(labels, total) - tail_pvalues(labels, total).min()) < 1e-12


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=120), st.integers(0, 80), st.integers(0, 3),
       st.sampled_from([0.8, 0.9, 0.95]))
def test_first_firing_is_the_first_record_after_which_the_rule_fires(flags, unscreened, start, target):
    """first_firing tests only the ends of the stretches between relevant records and bisects one of them:
    it must give the first point that testing after every record gives."""
    import numpy as np

    labels = [int(f) for f in flags]
    start = min(start, len(labels) - 1)
    total = len(labels) + unscreened
    brute = next((i for i in range(start + 1, len(labels) + 1)
                  if h0_pvalue(np.asarray(labels[:i]), total, target) < 0.05), None)
    assert first_firing(labels, total, target, 0.95, start=start) == brute


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), min_size=0, max_size=300), st.floats(0.0, 1.0), st.integers(0, 400),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]), st.sampled_from([0.5, 0.9, 0.95, 0.99]))
def test_h0_rejected_gives_the_answer_of_the_smallest_pvalue(flags, tail_share, unscreened, target, confidence):
    """h0_rejected skips the tails Cantelli's inequality clears; its answer must be h0_pvalue's. The
    sequences end in a run of irrelevant records of any length, where the rule is close to firing."""
    import numpy as np

    labels = [int(f) for f in flags]
    labels += [0] * int(tail_share * 3 * len(labels))
    total = len(labels) + unscreened
    assert h0_rejected(labels, total, target, confidence) == (h0_pvalue(np.asarray(labels), total, target)
                                                              < 1 - confidence)


def test_h0_rejected_with_thousands_of_relevant_records_matches_the_pvalue():
    import numpy as np

    rng = np.random.default_rng(11)
    for _ in range(20):
        seen = int(rng.integers(3000, 8000))
        labels = (rng.random(seen) < np.linspace(0.6, 0.0, seen) ** rng.uniform(1, 4)).astype(int)
        total = seen + int(rng.integers(0, 20000))
        assert h0_rejected(labels, total) == (h0_pvalue(labels, total) < 0.05)


def test_hypergeometric_cdf_agrees_with_scipy():
    import numpy as np

    rng = np.random.default_rng(3)
    population = rng.integers(1, 2000, 500)
    successes = rng.integers(0, population + 1)
    draws = rng.integers(0, population + 1)
    k = rng.integers(0, 40, 500)
    assert np.allclose(hypergeom_cdf(k, population, successes, draws),
                       hypergeom.cdf(k, population, successes, draws), atol=1e-10)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3000).flatmap(lambda big_n: st.tuples(
    st.just(big_n), st.integers(0, big_n), st.integers(0, big_n), st.integers(-2, big_n + 2))))
def test_hypergeometric_cdf_agrees_with_scipy_on_both_sides_of_k(case):
    """Every urn and every k, including k below the smallest and above the largest value X can take: the sum
    over j ≤ k and the shorter 1 − sum over j > k must both give scipy's values."""
    big_n, big_k, n, k = case
    assert abs(hypergeom_cdf(k, big_n, big_k, n)[0] - hypergeom.cdf(k, big_n, big_k, n)) < 1e-10


def test_hypergeometric_cdf_is_the_same_in_small_blocks(monkeypatch):
    """Sums are computed in blocks of at most _BLOCK_TERMS cells: tiny blocks must give the same values."""
    import numpy as np

    from sysrev.screening import stopping

    rng = np.random.default_rng(11)
    population = rng.integers(1, 600, 300)
    successes = rng.integers(0, population + 1)
    draws = rng.integers(0, population + 1)
    k = rng.integers(0, 300, 300)
    whole = hypergeom_cdf(k, population, successes, draws)
    monkeypatch.setattr(stopping, "_BLOCK_TERMS", 7)
    assert np.allclose(hypergeom_cdf(k, population, successes, draws), whole, rtol=0, atol=1e-13)
    assert np.allclose(whole, hypergeom.cdf(k, population, successes, draws), atol=1e-10)


def test_stopping_pvalue_with_hundreds_of_relevant_records_agrees_with_scipy():
    """A screening that found hundreds of relevant records (a review where a seventh of the records are
    relevant): every tail's p-value equals scipy's hypergeometric CDF of that tail's urn."""
    import numpy as np

    rng = np.random.default_rng(5)
    labels = (rng.random(1500) < np.linspace(0.5, 0.01, 1500)).astype(int)
    total, tau = 2000, 0.95
    r = labels.sum()
    got = tail_pvalues(labels, total, tau)
    for size in range(1, len(labels) + 1, 37):
        k = labels[len(labels) - size:].sum()
        urn = total - len(labels) + size
        big_k = int(np.floor(r / tau - (r - k) + 1))
        expected = 0.0 if big_k > urn else hypergeom.cdf(k, urn, big_k, size)
        assert abs(got[size - 1] - expected) < 1e-10, size


def test_more_draws_needed_by_hand():
    # Nothing found yet among 0 screened of 100: H0 needs K = 1; n irrelevant draws give p = (100 - n)/100,
    # below 0.05 from n = 96.
    assert more_draws_needed([], 100) == 96
    # The hand-worked sequence above: m more irrelevant records in the same (ranked) order give
    # p = (90 - 40 - m)/90 < 0.05 from m = 46.
    assert more_draws_needed([1] * 10 + [0] * 40, 100) == 46
    status = stopping_status([1] * 10 + [0] * 40, 100)
    assert status.sentence() == ("recall ≥ 95 % can be claimed with 95 % confidence after screening 46 more "
                                 "records, if none of them is relevant")
    one = stopping_status([1] * 10 + [0] * 85, 100)  # p = (90 - 85)/90 = 0.056 now, 0.044 after one more
    assert one.sentence() == ("recall ≥ 95 % can be claimed with 95 % confidence after screening 1 more "
                              "record, if none of them is relevant")
    done = stopping_status([1] * 10 + [0] * 86, 100)  # p = (90 - 86)/90 = 0.044 < 0.05
    assert done.can_stop and done.sentence().startswith("recall ≥ 95 % can be claimed with 95 % confidence now")


# --- ranking and blinding -----------------------------------------------------------------------------------

def test_a_reviewers_ranking_learns_from_their_own_decisions_only(make_project):
    alice = [("r01", "include"), ("r04", "exclude")]
    project = make_project({"title_abstract/alice.csv": _log(alice, "alice"),
                            "title_abstract/bob.csv": _log([("r06", "include"), ("r07", "exclude"),
                                                            ("r05", "exclude")], "bob")})
    with_bob = rank_for_reviewer(load_screening(project), "alice")
    (project.screening_dir / "title_abstract" / "bob.csv").write_text(
        _log([("r06", "exclude"), ("r07", "include"), ("r03", "include"), ("r08", "include")], "bob"))
    other_bob = rank_for_reviewer(load_screening(project), "alice")
    (project.screening_dir / "title_abstract" / "bob.csv").unlink()
    without_bob = rank_for_reviewer(load_screening(project), "alice")
    assert with_bob == other_bob == without_bob
    assert with_bob.model == "tfidf-svm.3/2" and with_bob.trained_on == 2
    assert set(with_bob.record_ids) == {"r02", "r03", "r05", "r06", "r07", "r08"}
    # ... and the ranking does follow alice's own decisions: reversing them reverses who comes first.
    (project.screening_dir / "title_abstract" / "alice.csv").write_text(
        _log([("r01", "exclude"), ("r04", "include")], "alice"))
    reversed_ranking = rank_for_reviewer(load_screening(project), "alice")
    assert reversed_ranking.record_ids[0] != with_bob.record_ids[0]
    assert reversed_ranking.record_ids == with_bob.record_ids[::-1]


def test_ranking_keeps_file_order_until_both_classes_are_seen(make_project):
    project = make_project({"title_abstract/alice.csv": _log([("r03", "include")], "alice")})
    ranking = rank_for_reviewer(load_screening(project), "alice")
    assert ranking == Ranking(["r01", "r02", "r04", "r05", "r06", "r07", "r08"], "file", 0)


def test_the_screens_ranking_builds_features_once_and_agrees_with_a_fresh_ranking(make_project):
    # the update the screen and the web app run after each decision (RelevanceRanking) keeps its features
    # between updates, and ranks as rank_for_reviewer does from scratch
    from sysrev.screening.ordering import RelevanceRanking

    project = make_project({"title_abstract/alice.csv": _log([("r01", "include"), ("r04", "exclude")], "alice")})
    screening = load_screening(project)
    state = screening.stages["title_abstract"]
    update = RelevanceRanking(state.eligible, screening.records_by_id)
    assert update({"r01": "include"}).model == "file" and update.ranker is None  # one class: no features yet
    first = update({"r01": "include", "r04": "exclude"})
    built = update.ranker
    assert first == rank_for_reviewer(screening, "alice")
    second = update({"r01": "include", "r04": "exclude", "r05": "exclude"})
    assert update.ranker is built and second.trained_on == 3 and "r05" not in second.record_ids


def _session(project, reviewer, keys, **options):
    pressed = iter(keys)
    ticks = itertools.count(0, 10)
    return ScreenSession(project, reviewer, "title_abstract", getkey=lambda: next(pressed),
                         echo=lambda _text: None, clock=lambda: next(ticks), width=90, color=False, **options)


def test_session_never_shows_a_record_ranked_by_a_model_more_than_one_update_old(make_project):
    project = make_project({"title_abstract/bob.csv": _log([("r02", "include"), ("r05", "exclude")], "bob")})
    seen_inputs = []
    lock = threading.Lock()

    def slow_rank(decisions):  # a model that takes a while; its version is the number of decisions
        with lock:
            seen_inputs.append(dict(decisions))
        time.sleep(0.05)
        undecided = [rid for rid in load_screening(project).stages["title_abstract"].eligible
                     if rid not in decisions]
        return Ranking(undecided[::-1], f"fake/{len(decisions)}", len(decisions))

    _session(project, "alice", ["i", "e", "e", "i", "e", "e", "q"], rank=slow_rank).run()
    rows, problems = read_log(log_path(project.screening_dir, "title_abstract", "alice"), stage="title_abstract",
                              config=load_screening(project).config)
    assert not problems and len(rows) == 6
    for made_before, row in enumerate(rows):
        assert row.model.startswith("fake/")
        assert int(row.model.split("/")[1]) >= made_before - 1, (made_before, row)
        assert row.rank == "1"
    # Blinding in the session too: the model only ever saw alice's decisions, never bob's r02/r05 votes.
    own = {r.record_id: r.decision for r in rows}
    assert seen_inputs and all(d.items() <= own.items() for d in seen_inputs)


def test_decision_rows_record_rank_and_model_and_old_logs_stay_readable(make_project):
    old = H.strip() + ",note\nr08,exclude,,alice,2024-05-01T09:00:00Z,imported from rayyan\n"
    project = make_project({"title_abstract/alice.csv": old})
    _session(project, "alice", ["i", "e", "i", "q"], order="relevance").run()
    path = log_path(project.screening_dir, "title_abstract", "alice")
    with path.open(newline="") as fh:
        table = list(csv.reader(fh))
    assert tuple(table[0]) == HEADER_WITH_RANK
    assert table[1] == ["r08", "exclude", "", "alice", "2024-05-01T09:00:00Z", "imported from rayyan", "", ""]
    # Only r08 (exclude) was decided: nothing to learn a contrast from, so file order. After the r01 include
    # the next record is ranked by the model of those two decisions, or (at most one update behind) still by
    # file order; the one after that by a model of two or three decisions.
    assert table[2][0] == "r01" and table[2][6:] == ["1", "file"]
    assert table[3][6] == "1" and table[3][7] in ("tfidf-svm.3/2", "file")
    assert table[4][7] in ("tfidf-svm.3/3", "tfidf-svm.3/2")
    rows, problems = read_log(path, stage="title_abstract", config=load_screening(project).config)
    assert not problems and [r.record_id for r in rows][:2] == ["r08", "r01"]


def test_a_five_column_log_is_widened_only_when_a_row_needs_it(tmp_path):
    path = tmp_path / "alice.csv"
    path.write_text(H + "r01,include,,alice,2024-05-01T09:00:00Z\n")
    append_decisions(path, [Decision("r02", "exclude", "", "alice", "2024-05-02T09:00:00Z")])
    assert path.read_text().splitlines()[0] == H.strip()
    append_decisions(path, [Decision("r03", "include", "", "alice", "2024-05-03T09:00:00Z", rank="4",
                                     model="random")])
    assert path.read_text().splitlines() == [
        ",".join(HEADER_WITH_RANK),
        "r01,include,,alice,2024-05-01T09:00:00Z,,,",
        "r02,exclude,,alice,2024-05-02T09:00:00Z,,,",
        "r03,include,,alice,2024-05-03T09:00:00Z,,4,random",
    ]


def test_a_bad_rank_is_reported_with_file_and_line(make_project):
    text = ",".join(HEADER_WITH_RANK) + "\nr01,include,,alice,2024-05-01T09:00:00Z,,first,file\n"
    project = make_project({"title_abstract/alice.csv": text})
    problems = load_screening(project, strict=False).problems
    assert len(problems) == 1 and problems[0].line == 2 and "rank 'first'" in problems[0].message


def test_a_superscript_rank_is_a_reported_problem_not_a_crash(make_project):
    """str.isdigit() accepts '²' and int() refuses it: the log reader must report it like any other bad rank."""
    text = ",".join(HEADER_WITH_RANK) + "\nr01,include,,alice,2024-05-01T09:00:00Z,,²,file\n"
    problems = load_screening(make_project({"title_abstract/alice.csv": text}), strict=False).problems
    assert len(problems) == 1 and problems[0].line == 2 and "rank '²'" in problems[0].message


# --- status, stop and report --------------------------------------------------------------------------------

def test_status_prints_the_stopping_sentence_and_stop_records_the_decision(make_project, tmp_path):
    rows = [("r01", "include"), ("r02", "exclude"), ("r03", "include")]
    project = make_project({"title_abstract/alice.csv": _log(rows, "alice")})
    runner = CliRunner()
    result = runner.invoke(cli, ["screen", "status", "--project", str(project.root)])
    # 3 screened of 8, 2 relevant: H0 needs K = floor(2/0.95 - 2 + 1) = 2 of the 5 + tail; drawing all 5
    # remaining records always settles it, and fewer cannot (8 records are too few for a 95 % claim sooner).
    figures = stopping_status([1, 0, 1], 8)
    assert f"stopping rule, alice: {figures.sentence()}" in result.output
    assert "after screening" in figures.sentence() and figures.more_draws == 5
    refused = runner.invoke(cli, ["screen", "stop", "--reviewer", "alice", "--project", str(project.root)])
    assert refused.exit_code == 2 and "nothing recorded" in refused.output
    forced = runner.invoke(cli, ["screen", "stop", "--reviewer", "alice", "--force", "--note", "budget",
                                 "--project", str(project.root)])
    assert forced.exit_code == 0, forced.output
    entry = json.loads((project.screening_dir / "title_abstract" / "stopping.jsonl").read_text())
    assert entry["reviewer"] == "alice" and entry["screened"] == 3 and entry["criterion_met"] is False
    assert entry["note"] == "budget" and entry["more_draws"] == 5
    # Stopping excludes nothing: the five records are still unscreened.
    assert load_screening(project).stages["title_abstract"].status("r08") == "unscreened"
    out = tmp_path / "report.html"
    assert runner.invoke(cli, ["screen", "report", "--out", str(out), "--project", str(project.root)]
                         ).exit_code == 0
    assert "the team decided that alice would stop screening after 3 of 8 records" in out.read_text()


def test_the_methods_sentence_says_which_recorded_models_read_keywords(make_project):
    """Revision 2 of the model added the keywords to the text; revision 3 reads title and abstract. A log that
    holds rows of both must not be described as if every record had been ranked the newer way."""
    from sysrev.screening.prioritisation import methods_sentences

    header = ",".join(HEADER_WITH_RANK) + "\n"
    rows = ["r01,include,,alice,2024-05-01T09:00:00Z,,1,file", "r02,exclude,,alice,2024-05-01T09:01:00Z,,1,file",
            "r03,include,,alice,2024-05-01T09:02:00Z,,1,tfidf-svm.2/2"]
    project = make_project({"title_abstract/alice.csv": header + "\n".join(rows) + "\n"})
    [ordered, _counts] = methods_sentences(project, load_screening(project))
    assert "title and abstract" in ordered
    assert "(sysrev model tfidf-svm.2; tfidf-svm.2 also read the records' keywords)." in ordered
    rows[2] = rows[2].replace("tfidf-svm.2/2", "tfidf-svm.3/2")
    project = make_project({"title_abstract/alice.csv": header + "\n".join(rows) + "\n"})
    [ordered, _counts] = methods_sentences(project, load_screening(project))
    assert ordered.endswith("(sysrev model tfidf-svm.3).") and "keywords" not in ordered


# --- simulation ---------------------------------------------------------------------------------------------

def _labelled_set(path, n=60, relevant=(3, 11, 17, 25, 38, 44, 52)):
    """Records on two unrelated topics; the relevant ones share their vocabulary."""
    write_labelled_set(path, n, relevant)
    return len(relevant)


def test_simulate_writes_a_complete_order_with_priors_first_and_is_deterministic(tmp_path):
    data = tmp_path / "data.csv"
    relevant = _labelled_set(data)
    runner = CliRunner()
    args = ["screen", "simulate", str(data), "--out", str(tmp_path / "a.csv"), "--prior-seed", "4", "--seed", "2"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert set(summary) == {"priors", "screened", "stopped_at", "recall_at_stop"}
    assert summary["screened"] == 58 and len(summary["priors"]) == 2
    order = [int(r["row"]) for r in csv.DictReader((tmp_path / "a.csv").open())]
    assert sorted(order) == list(range(60)) and order[:2] == summary["priors"]
    # One relevant record is a prior; the other six are separable by their words, so they come first.
    labels = [1 if i in (3, 11, 17, 25, 38, 44, 52) else 0 for i in range(60)]
    assert [labels[row] for row in order[2:2 + relevant - 1]] == [1] * (relevant - 1)
    assert summary["recall_at_stop"] >= 0.95 and summary["stopped_at"] < 58
    again = runner.invoke(cli, args[:4] + [str(tmp_path / "b.csv")] + args[5:])
    assert again.output == first.output
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    priors = runner.invoke(cli, ["screen", "simulate", str(data), "--out", str(tmp_path / "c.csv"),
                                 "--prior", "11", "--prior", "0"])
    assert json.loads(priors.output)["priors"] == [11, 0]


def test_after_the_last_included_record_the_rest_follow_one_last_ranking():
    """Once every included record is screened the simulation stops retraining: the rest come in the order of
    one model trained on everything screened by then, and the stopping rule still sees every record."""
    import numpy as np

    from sysrev.screening.ranking import Ranker
    from sysrev.screening.simulate import LabelledSet, simulate

    rng = np.random.default_rng(8)
    words = [f"w{i}" for i in range(60)]
    labels = [int(i % 9 == 0) for i in range(240)]
    # Relevant records lean on the first twenty words; the others draw from all sixty, so the relevant ones
    # are found early and a long tail of excluded records follows the last of them.
    texts = [" ".join(rng.choice(words[:20], 6).tolist() + rng.choice(words, 6).tolist()) if y
             else " ".join(rng.choice(words, 12)) for y in labels]
    result = simulate(LabelledSet(texts, labels), [0, 1], seed=3)
    last = max(i for i, row in enumerate(result.order) if labels[row])
    assert last < len(labels) - 20  # a real tail
    screened = {row: labels[row] for row in result.order[:last + 1]}
    assert result.order[last + 1:] == Ranker(texts, seed=3).order(screened)
    sequence = [labels[row] for row in result.order]
    fired = next(i for i in range(3, len(sequence) + 1) if h0_pvalue(sequence[:i], len(labels)) < 0.05)
    assert result.stopped_at == fired - 2


def test_simulate_reports_bad_labels_with_file_and_line(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("title,abstract,label_included\nA,B,1\nC,D,maybe\n")
    result = CliRunner().invoke(cli, ["screen", "simulate", str(data), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "line 3" in result.output and "'maybe'" in result.output
    assert not (tmp_path / "o.csv").exists()
