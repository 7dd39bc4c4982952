"""The ranking's parts: the text a record is ranked by, which decisions count as relevant, that records like
the included ones come first, the settings reaching the features and the classifier, and the methods
sentence for each setting."""

import numpy as np
import pytest

from sysrev.screening.features import tfidf_features
from sysrev.screening.ranking import (
    DEFAULT_SETTINGS,
    Ranker,
    RankingSettings,
    rank_records,
    record_text,
    training_labels,
)

RECORDS = {
    "r1": {"title": "Ultrasound guided injection trial", "abstract": "Ultrasound guidance for back pain."},
    "r2": {"title": "Soil nitrogen survey", "abstract": "Crop yields in a field."},
    "r3": {"title": "Ultrasound guided nerve block", "abstract": "Injection under ultrasound guidance."},
    "r4": {"title": "Crop yields and fertiliser", "abstract": "A field survey of soil."},
    "r5": {"title": "Ultrasound injection for pain", "abstract": "Guided injection trial."},
    "r6": {"title": "Soil, crop and field", "abstract": "Nitrogen survey."},
}
ELIGIBLE = list(RECORDS)


def test_a_record_is_ranked_by_its_title_and_abstract_joined_by_a_space():
    assert record_text({"title": "Ultrasound", "abstract": "Guided injection", "keywords": ["Back pain"]}) == \
        "Ultrasound Guided injection"
    assert record_text({"abstract": "Only an abstract"}) == "Only an abstract"
    assert record_text({"title": "Only a title", "abstract": None}) == "Only a title"


@pytest.mark.parametrize("missing", ["nan", "NaN", "NAN", "", None])
def test_a_missing_value_as_pandas_writes_it_is_no_text(missing):
    assert record_text({"title": "A title", "abstract": missing}) == "A title"
    assert record_text({"title": missing, "abstract": "An abstract"}) == "An abstract"


def test_include_and_maybe_are_relevant_and_exclude_is_not():
    assert training_labels({"a": "include", "b": "maybe", "c": "exclude"}) == {"a": 1, "b": 1, "c": 0}


@pytest.mark.parametrize("relevant", ["include", "maybe"])
def test_records_like_the_included_one_come_first(relevant):
    ranking = rank_records(ELIGIBLE, RECORDS, {"r1": relevant, "r2": "exclude"})
    assert set(ranking.record_ids[:2]) == {"r3", "r5"} and set(ranking.record_ids[2:]) == {"r4", "r6"}
    assert ranking.trained_on == 2 and ranking.model == "tfidf-svm.3/2"
    flipped = rank_records(ELIGIBLE, RECORDS, {"r1": "exclude", "r2": relevant})
    assert set(flipped.record_ids[:2]) == {"r4", "r6"}


def test_the_ranker_builds_its_features_with_the_settings_given():
    texts = [record_text(r) for r in RECORDS.values()]
    settings = RankingSettings(ngram_max=1, min_df=2, max_df=1.0)
    ranker = Ranker(texts, settings, seed=5)
    expected = tfidf_features(texts, ngram_max=1, min_df=2, max_df=1.0).matrix
    assert ranker.model.features.shape == expected.shape
    assert (ranker.model.features != expected).nnz == 0
    assert ranker.model.C == settings.C and ranker.model.ratio == settings.relevant_weight_ratio
    assert ranker.model.seed == 5 and Ranker(texts).model.seed == 0


def test_a_record_without_text_has_no_features():
    ranker = Ranker(["ultrasound guided", None, "", "soil survey"])
    assert [ranker.model.features[i].nnz for i in range(4)] == [2 + 1, 0, 0, 2 + 1]


def test_scores_of_some_rows_are_those_rows_of_all_scores():
    ranker = Ranker([record_text(r) for r in RECORDS.values()])
    labelled = {0: 1, 1: 0}
    every = ranker.scores(labelled)
    np.testing.assert_allclose(ranker.scores(labelled, rows=[4, 2]), every[[4, 2]], rtol=1e-12)
    assert ranker.scores({0: 1, 2: 1}) is None  # one class only: nothing to learn a contrast from


def test_with_every_record_labelled_nothing_is_left_to_order():
    ranker = Ranker(["a trial", "b survey"])
    assert ranker.order({0: 1, 1: 0}) == []
    assert ranker.order({0: 1}) == [1]  # one class: file order


@pytest.mark.parametrize("ngram_max, grams", [(1, "of the words of each record's"),
                                              (2, "of the words and word pairs of each record's"),
                                              (3, "of the words, word pairs and word triples of each record's")])
def test_the_methods_sentence_names_the_terms_the_settings_use(ngram_max, grams):
    from importlib.metadata import version

    text = RankingSettings(ngram_max=ngram_max).describe()
    assert grams in text
    assert f"LIBLINEAR via liblinear-official {version('liblinear-official')}, " in text


def test_the_default_methods_sentence_in_full():
    from importlib.metadata import version

    assert DEFAULT_SETTINGS.describe() == (
        f"a linear support vector machine (LIBLINEAR via liblinear-official {version('liblinear-official')}, "
        "L2-regularised squared hinge loss, C = 0.11, relevant records weighted to carry 9.8 times the total "
        "weight of the excluded ones) on TF-IDF features (sublinear term frequency) of the words and word pairs "
        "of each record's title and abstract (terms found in more than 95% of the records left out)")


def test_a_reviewer_with_no_decisions_gets_the_file_order(make_project):
    from sysrev.screening.ranking import Ranking, rank_for_reviewer
    from sysrev.screening.state import load_screening

    ranking = rank_for_reviewer(load_screening(make_project()), "alice")
    assert ranking == Ranking([f"r0{i}" for i in range(1, 9)], "file", 0)


def test_the_reviewers_ranking_uses_the_ranker_it_is_given(make_project):
    # the screen keeps one ranker (its features built once) and hands it in with every update
    from sysrev.screening.ranking import rank_for_reviewer
    from sysrev.screening.state import load_screening

    log = ("record_id,decision,reason,reviewer,timestamp\nr01,include,,alice,2024-05-01T09:00:00Z\n"
           "r04,exclude,,alice,2024-05-01T09:01:00Z\n")
    screening = load_screening(make_project({"title_abstract/alice.csv": log}))
    eligible = screening.stages["title_abstract"].eligible
    calls = []

    class Counting(Ranker):
        def order(self, labelled):
            calls.append(dict(labelled))
            return super().order(labelled)

    ranker = Counting([record_text(screening.records_by_id[rid]) for rid in eligible])
    given = rank_for_reviewer(screening, "alice", ranker=ranker)
    assert len(calls) == 1 and given == rank_for_reviewer(screening, "alice")
