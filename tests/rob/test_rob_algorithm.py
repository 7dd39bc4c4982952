"""Every path of each RoB 2 domain algorithm, tabulated from the guidance's flowcharts, and the overall rule.

Each table lists the flowchart's paths as answer *classes* (Y/PY, N/PN, NI) per question. The tests
enumerate every complete, valid set of answers of a domain (NA where a question's condition is not met),
check that exactly one tabulated path matches it (so the table is exhaustive and unambiguous) and that
the implementation returns that path's judgement.
"""

import itertools

import pytest

from sysrev.rob.algorithm import (
    HIGH,
    LOW,
    SOME_CONCERNS,
    domain_judgement,
    overall_judgement,
    worst,
)
from sysrev.rob.questions import DOMAIN_BY_KEY, applies

Y = {"Y", "PY"}
N = {"N", "PN"}
NI = {"NI"}
ANY = Y | N | NI

# Domain 1 (randomization process): 1.2 concealment first, then 1.1 random sequence and 1.3 baseline.
D1_PATHS = [
    ({"1.2": N}, HIGH),
    ({"1.2": NI, "1.3": Y}, HIGH),
    ({"1.2": NI, "1.3": N | NI}, SOME_CONCERNS),
    ({"1.2": Y, "1.1": N}, SOME_CONCERNS),
    ({"1.2": Y, "1.1": Y | NI, "1.3": Y}, SOME_CONCERNS),
    ({"1.2": Y, "1.1": Y | NI, "1.3": N | NI}, LOW),
]
# Domain 2, part 1 (2.1–2.5: deviations arising from the trial context).
D2_PART1_PATHS = [
    ({"2.1": N, "2.2": N}, LOW),
    ({"aware": True, "2.3": N}, LOW),
    ({"aware": True, "2.3": NI}, SOME_CONCERNS),
    ({"aware": True, "2.3": Y, "2.4": N}, SOME_CONCERNS),
    ({"aware": True, "2.3": Y, "2.4": Y | NI, "2.5": Y}, SOME_CONCERNS),
    ({"aware": True, "2.3": Y, "2.4": Y | NI, "2.5": N | NI}, HIGH),
]
# Domain 2, part 2 (2.6–2.7: analysis for the effect of assignment).
D2_PART2_PATHS = [
    ({"2.6": Y}, LOW),
    ({"2.6": N | NI, "2.7": N}, SOME_CONCERNS),
    ({"2.6": N | NI, "2.7": Y | NI}, HIGH),
]
D3_PATHS = [
    ({"3.1": Y}, LOW),
    ({"3.1": N | NI, "3.2": Y}, LOW),
    ({"3.1": N | NI, "3.2": N, "3.3": N}, LOW),
    ({"3.1": N | NI, "3.2": N, "3.3": Y | NI, "3.4": N}, SOME_CONCERNS),
    ({"3.1": N | NI, "3.2": N, "3.3": Y | NI, "3.4": Y | NI}, HIGH),
]
D4_PATHS = [
    ({"4.1": Y}, HIGH),
    ({"4.1": N | NI, "4.2": Y}, HIGH),
    # 4.2 N/PN: the best reachable judgement is low
    ({"4.1": N | NI, "4.2": N, "4.3": N}, LOW),
    ({"4.1": N | NI, "4.2": N, "4.3": Y | NI, "4.4": N}, LOW),
    ({"4.1": N | NI, "4.2": N, "4.3": Y | NI, "4.4": Y | NI, "4.5": N}, SOME_CONCERNS),
    ({"4.1": N | NI, "4.2": N, "4.3": Y | NI, "4.4": Y | NI, "4.5": Y | NI}, HIGH),
    # 4.2 NI: the best reachable judgement is some concerns
    ({"4.1": N | NI, "4.2": NI, "4.3": N}, SOME_CONCERNS),
    ({"4.1": N | NI, "4.2": NI, "4.3": Y | NI, "4.4": N}, SOME_CONCERNS),
    ({"4.1": N | NI, "4.2": NI, "4.3": Y | NI, "4.4": Y | NI, "4.5": N}, SOME_CONCERNS),
    ({"4.1": N | NI, "4.2": NI, "4.3": Y | NI, "4.4": Y | NI, "4.5": Y | NI}, HIGH),
]
D5_PATHS = [
    ({"5.2": Y}, HIGH),
    ({"5.2": N | NI, "5.3": Y}, HIGH),
    ({"5.2": NI, "5.3": N | NI}, SOME_CONCERNS),
    ({"5.2": N, "5.3": NI}, SOME_CONCERNS),
    ({"5.2": N, "5.3": N, "5.1": Y}, LOW),
    ({"5.2": N, "5.3": N, "5.1": N | NI}, SOME_CONCERNS),
]


def all_answer_sets(domain_key):
    """Every complete, valid answer set of a domain: each applicable question gets each allowed answer."""
    questions = DOMAIN_BY_KEY[domain_key].questions

    def extend(index, answers):
        if index == len(questions):
            yield dict(answers)
            return
        q = questions[index]
        if applies(q, answers) is False:
            yield from extend(index + 1, {**answers, q.id: "NA"})
            return
        for value in q.allowed:
            yield from extend(index + 1, {**answers, q.id: value})

    return list(extend(0, {}))


def matches(path, answers):
    for key, allowed in path.items():
        if key == "aware":
            if not (answers["2.1"] in Y | NI or answers["2.2"] in Y | NI):
                return False
        elif answers[key] not in allowed:
            return False
    return True


def expected(paths, answers):
    hits = [judgement for path, judgement in paths if matches(path, answers)]
    assert len(hits) == 1, f"{answers} matches {len(hits)} tabulated paths"
    return hits[0]


@pytest.mark.parametrize("key,paths", [("D1", D1_PATHS), ("D3", D3_PATHS), ("D4", D4_PATHS), ("D5", D5_PATHS)])
def test_every_answer_set_follows_its_tabulated_path(key, paths):
    sets = all_answer_sets(key)
    used = set()
    for answers in sets:
        want = expected(paths, answers)
        used.add(next(i for i, (p, _) in enumerate(paths) if matches(p, answers)))
        assert domain_judgement(key, answers) == want, answers
    assert used == set(range(len(paths))), "a tabulated path is never reached"


def test_domain2_is_the_worse_of_its_two_parts():
    sets = all_answer_sets("D2")
    assert len(sets) > 1000
    reached1, reached2 = set(), set()
    for answers in sets:
        part1 = expected(D2_PART1_PATHS, answers)
        part2 = expected(D2_PART2_PATHS, answers)
        reached1.add(part1)
        reached2.add(part2)
        assert domain_judgement("D2", answers) == worst(part1, part2), answers
    assert reached1 == reached2 == {LOW, SOME_CONCERNS, HIGH}


@pytest.mark.parametrize("key,answers,want", [
    # one concrete example per flowchart exit, written out by hand
    ("D1", {"1.1": "Y", "1.2": "Y", "1.3": "N"}, LOW),
    ("D1", {"1.1": "NI", "1.2": "PY", "1.3": "NI"}, LOW),
    ("D1", {"1.1": "Y", "1.2": "NI", "1.3": "PN"}, SOME_CONCERNS),
    ("D1", {"1.1": "Y", "1.2": "N", "1.3": "N"}, HIGH),
    ("D2", {"2.1": "N", "2.2": "N", "2.6": "Y"}, LOW),
    ("D2", {"2.1": "Y", "2.2": "Y", "2.3": "PN", "2.6": "N", "2.7": "N"}, SOME_CONCERNS),
    ("D2", {"2.1": "Y", "2.2": "N", "2.3": "Y", "2.4": "Y", "2.5": "N", "2.6": "Y"}, HIGH),
    ("D3", {"3.1": "N", "3.2": "N", "3.3": "PY", "3.4": "PN"}, SOME_CONCERNS),
    ("D4", {"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "N"}, LOW),
    ("D4", {"4.1": "N", "4.2": "NI", "4.3": "N"}, SOME_CONCERNS),
    ("D5", {"5.1": "Y", "5.2": "N", "5.3": "PN"}, LOW),
])
def test_hand_written_examples(key, answers, want):
    assert domain_judgement(key, answers) == want


@pytest.mark.parametrize("key,answers", [
    ("D1", {"1.2": "Y", "1.3": "N"}),                     # 1.1 needed once concealment is Y
    ("D2", {"2.1": "Y", "2.2": "N", "2.6": "Y"}),         # 2.3 applies and is missing
    ("D3", {"3.1": "N"}),
    ("D4", {"4.1": "N", "4.2": "N", "4.3": "Y"}),
    ("D5", {"5.2": "N", "5.3": "N"}),
    ("D2", {"2.1": "Y", "2.2": "N", "2.3": "NA", "2.6": "Y"}),  # NA to a question that applies
])
def test_missing_answers_give_no_judgement(key, answers):
    assert domain_judgement(key, answers) is None


def test_answers_to_questions_that_do_not_apply_are_ignored():
    # 3.1 = Y → low, whatever stray answers the later (not applicable) questions carry
    assert domain_judgement("D3", {"3.1": "Y", "3.2": "N", "3.3": "Y", "3.4": "Y"}) == LOW


ALL = (LOW, SOME_CONCERNS, HIGH)


@pytest.mark.parametrize("combo", list(itertools.product(ALL, repeat=5)))
def test_overall_rule_for_every_domain_combination(combo):
    domains = dict(zip(["D1", "D2", "D3", "D4", "D5"], combo))
    concerns = combo.count(SOME_CONCERNS)
    if HIGH in combo:
        want_unconfirmed = want_confirmed = HIGH
    elif concerns == 0:
        want_unconfirmed = want_confirmed = LOW
    else:
        want_unconfirmed = SOME_CONCERNS
        want_confirmed = HIGH if concerns >= 2 else SOME_CONCERNS
    assert overall_judgement(domains) == want_unconfirmed
    assert overall_judgement(domains, several_concerns_high=False) == want_unconfirmed
    assert overall_judgement(domains, several_concerns_high=True) == want_confirmed


def test_overall_needs_every_domain():
    assert overall_judgement({"D1": LOW, "D2": None, "D3": LOW, "D4": LOW, "D5": LOW}) is None
    assert overall_judgement({"D1": HIGH, "D2": None, "D3": LOW, "D4": LOW, "D5": LOW}) is None
