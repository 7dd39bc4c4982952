"""Accuracy on the labelled sets in ../shared/fixtures/dedup (skipped when they are absent).

The target of issue 4 is zero false positives on every set; the sensitivity floors below are the figures
measured when the rules were written (benchmarks/dedup_accuracy.py prints them), so a change that loses
duplicates fails here. haematology's labels count errata, author replies and conference abstracts as
duplicates of the article, and four registrations of different trials as one; issue 4 requires those to be
kept apart (errata, replies, abstracts linked as related), which is why its pairwise sensitivity is lower by
design (docs/dedup.md lists every missed pair's kind).
"""

import json

import pytest

from sysrev.dedup.engine import deduplicate
from sysrev.dedup.evaluate import load_colrev_set, load_labelled_set, pairwise_score, record_from_row

FLOORS = {"cytology_screening": 0.998, "haematology": 0.79, "special_cases": 1.0}


def _score(records, truth):
    result = deduplicate(records, progress=False)
    ids = [r.source_id for r in records]
    return pairwise_score(len(records), [[ids[i] for i in c] for c in result.clusters], truth)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_bibdedupe_benchmark_sets(shared_fixtures, name):
    folder = shared_fixtures / "dedup" / "bibdedupe_benchmark" / name
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    score, fp, _fn = _score(*load_labelled_set(folder))
    assert fp == set(), f"{name}: wrongly merged {sorted(fp)[:5]}"
    assert score.sensitivity >= FLOORS[name]


def test_colrev_set(shared_fixtures):
    folder = shared_fixtures / "dedup" / "colrev"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    score, fp, fn = _score(*load_colrev_set(folder))
    assert (fp, fn) == (set(), set()) and score.true_pairs == 2


def test_curated_pairs(shared_fixtures):
    path = shared_fixtures / "dedup" / "bibdedupe_test_cases.json"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    wrong = []
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
        records = [record_from_row({k: ("" if v is None else str(v)) for k, v in case[side].items()}
                                   | {"ID": side}) for side in ("record_a", "record_b")]
        merged = len(deduplicate(records, progress=False).clusters) == 1
        if merged != case["expected_duplicate"]:
            wrong.append((case["id"], merged))
    # Every pair labelled "not a duplicate" stays apart. The one labelled duplicate left apart is two
    # versions of a Cochrane review (pub2 vs pub3), which issue 4 says to link as related, not merge.
    assert wrong == [("tan_2004_2005_pub2_vs_pub3", False)]
