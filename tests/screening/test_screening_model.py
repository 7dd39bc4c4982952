"""The ranking model's parts checked against independent references: the TF-IDF features against
scikit-learn's TfidfVectorizer, the SVM against scikit-learn's LinearSVC, the class weights by hand."""

import math

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from sysrev.screening import features as features_module
from sysrev.screening.features import codable, tfidf_features
from sysrev.screening.linear_svm import LinearSVM

TEXTS = [
    "Ultrasound-guided sacroiliac joint injection: a randomised trial. Ultrasound versus fluoroscopy.",
    "Fluoroscopy-guided facet joint injection in chronic low back pain",
    "Café au lait spots and naïve Bayes: an unrelated record about crème brûlée",
    "",
    "Randomised controlled trial of ultrasound guidance for lumbar injections; pain fell",
    "Soil nitrogen and crop yields in a field survey",
    "Crop yields, soil nitrogen, soil nitrogen again: fertiliser trial in the field",
    "A a I 1 2",  # single characters only: no token
    "Chronic back pain: injections guided by CT versus fluoroscopy, a randomized trial",
]


def _sklearn(texts, ngram_max=2, **options):
    vectorizer = TfidfVectorizer(ngram_range=(1, ngram_max), strip_accents="unicode",
                                 **{"sublinear_tf": True, **options})
    return vectorizer.fit_transform(texts).toarray(), vectorizer.vocabulary_


def _assert_equal_to_sklearn(features, texts, **options):
    expected, vocabulary = _sklearn(texts, features.ngram_max, **options)
    terms = features.terms()
    assert sorted(terms) == sorted(vocabulary)  # the same terms (accents stripped: "cafe", "naive bayes")
    columns = [vocabulary[t] for t in terms]
    assert features.matrix.shape == (len(texts), len(terms))
    np.testing.assert_allclose(features.matrix.toarray(), expected[:, columns], rtol=1e-12, atol=1e-12)


# Ten records, so that max_df 0.2 is exactly two of them: "soil" is in two, and kept (df ≤ max_df · n).
TEN = [*TEXTS, "Nitrogen"]


@pytest.mark.parametrize("options", [{}, {"min_df": 2}, {"max_df": 0.3}, {"min_df": 2, "max_df": 0.95},
                                     {"max_df": 0.2}, {"sublinear_tf": False}])
@pytest.mark.parametrize("ngram_max", [1, 2, 3])
def test_tfidf_features_equal_scikit_learns(options, ngram_max):
    features = tfidf_features(TEN, ngram_max=ngram_max, **{"min_df": 1, "max_df": 1.0, **options})
    _assert_equal_to_sklearn(features, TEN, **options)
    if options.get("max_df") == 0.2:
        assert "soil" in features.terms() and "nitrogen" not in features.terms()  # in two records, in three


def test_tfidf_features_by_default_are_words_and_pairs_with_sublinear_counts_and_nothing_pruned():
    features = tfidf_features(TEN)
    assert features.ngram_max == 2
    _assert_equal_to_sklearn(features, TEN)


def test_the_first_pair_of_a_repeated_first_word_is_named_as_a_pair():
    # "alpha alpha" is coded right after the last single word (its code equals the single words' bound)
    assert sorted(tfidf_features(["alpha alpha beta"]).terms()) == ["alpha", "alpha alpha", "alpha beta", "beta"]


def test_records_without_words_at_the_end_keep_their_rows():
    texts = ["ultrasound guided injection", "fluoroscopy guided injection", "", None, "1 2"]
    features = tfidf_features(texts)
    assert features.matrix.shape[0] == 5 and features.matrix[2:].nnz == 0
    _assert_equal_to_sklearn(features, [t or "" for t in texts])


def test_when_pruning_would_leave_no_term_every_term_is_kept():
    texts = ["ultrasound guided injection", "fluoroscopy guided"]
    pruned = tfidf_features(texts, min_df=3)  # no term is in three records
    unpruned = tfidf_features(texts)
    assert pruned.terms() == unpruned.terms()
    assert (pruned.matrix != unpruned.matrix).nnz == 0


def test_tfidf_features_of_a_project_without_words_have_one_empty_column():
    features = tfidf_features(["", "a 1", None])
    assert features.matrix.shape == (3, 1) and features.matrix.nnz == 0
    assert features.terms() == [""] and features.codes.dtype == np.int64


def test_class_weights_by_hand():
    # 2 relevant and 8 excluded records, ratio 9.8: before scaling a relevant record weighs 1 and an excluded
    # one 2 / (9.8 * 8) = 0.025510; the sum 2 + 8 * 0.025510 = 2.204082 is scaled to 10 records,
    # so w1 = 10 / 2.204082 = 4.537037 and w0 = 0.025510 * 4.537037 = 0.115741.
    svm = LinearSVM(tfidf_features(TEXTS).matrix, C=0.11, relevant_weight_ratio=9.8)
    w1, w0 = svm.class_weights(np.array([1, 1] + [0] * 8))
    assert w1 == pytest.approx(4.537037, abs=1e-6) and w0 == pytest.approx(0.115741, abs=1e-6)
    assert 2 * w1 == pytest.approx(9.8 * 8 * w0)


@pytest.mark.parametrize("ratio", [1.0, 9.8])
def test_svm_scores_equal_scikit_learns_linear_svc(ratio):
    matrix = tfidf_features(TEXTS).matrix
    rows, y = np.array([0, 1, 2, 5, 6, 8]), np.array([1, 0, 0, 0, 0, 1])
    svm = LinearSVM(matrix, C=0.5, relevant_weight_ratio=ratio, tolerance=1e-8)
    w1, w0 = svm.class_weights(y)
    reference = LinearSVC(C=0.5, loss="squared_hinge", dual=True, tol=1e-8, max_iter=100000)
    reference.fit(matrix[rows], y, sample_weight=np.where(y == 1, w1, w0))
    np.testing.assert_allclose(svm.scores(rows, y), reference.decision_function(matrix), atol=1e-6)
    np.testing.assert_allclose(svm.scores(rows, y, [3, 4]), reference.decision_function(matrix[[3, 4]]),
                               atol=1e-6)


def test_svm_scores_equal_scikit_learns_when_the_first_label_is_an_exclusion():
    # LIBLINEAR numbers the classes in the order it meets them; the scores are turned to "higher is more
    # relevant" whichever comes first.
    matrix = tfidf_features(TEXTS).matrix
    rows, y = np.array([1, 0, 2, 5, 6, 8]), np.array([0, 1, 0, 0, 0, 1])
    svm = LinearSVM(matrix, C=0.5, relevant_weight_ratio=9.8, tolerance=1e-8)
    w1, w0 = svm.class_weights(y)
    reference = LinearSVC(C=0.5, loss="squared_hinge", dual=True, tol=1e-8, max_iter=100000)
    reference.fit(matrix[rows], y, sample_weight=np.where(y == 1, w1, w0))
    np.testing.assert_allclose(svm.scores(rows, y), reference.decision_function(matrix), atol=1e-6)


def test_svm_defaults_are_liblinears_tolerance_and_a_fixed_seed():
    matrix = tfidf_features(TEXTS).matrix
    rows, y = [0, 1, 2, 4, 5, 6, 8], [1, 0, 0, 1, 0, 0, 1]

    def scores(**options):
        return LinearSVM(matrix, C=0.11, relevant_weight_ratio=9.8, **options).scores(rows, y)

    default = scores()
    assert np.array_equal(default, scores(seed=0, tolerance=0.1))
    assert not np.allclose(default, scores(tolerance=1.1), atol=1e-4)  # the tolerance matters on these data
    # the seed decides the solver's visiting order: the same seed gives the same model, another seed another
    assert np.array_equal(scores(seed=5), scores(seed=5))
    assert not np.allclose(scores(seed=5), default, atol=1e-4)


def test_svm_scores_do_not_depend_on_earlier_trainings():
    svm = LinearSVM(tfidf_features(TEXTS).matrix, C=0.11, relevant_weight_ratio=9.8)
    rows, y = [0, 1, 2, 4, 5, 6], [1, 0, 0, 1, 0, 0]
    first = svm.scores(rows, y)
    svm.scores([0, 5], [1, 0])  # another training in between (the solver draws its visiting order)
    assert np.array_equal(svm.scores(rows, y), first)
    # and labels that separate the texts differently give other scores
    assert not np.allclose(svm.scores(rows, [0, 0, 1, 0, 1, 1]), first)


def test_tfidf_features_refuse_an_n_gram_length_they_cannot_code():
    for ngram_max in (0, 4):
        with pytest.raises(ValueError, match=r"^ngram_max must be 1, 2 or 3$"):
            tfidf_features(["a b c d e"], ngram_max=ngram_max)


def test_n_gram_codes_fit_in_64_bits_up_to_the_exact_number_of_tokens(monkeypatch):
    # n + n² + n³ < 2⁶³: 2,097,151 distinct tokens can be coded as trigrams, 2,097,152 = 2²¹ cannot (its cube
    # alone is 2⁶³); pairs and single tokens go much further.
    assert codable(2 ** 21 - 1, 3) and not codable(2 ** 21, 3)
    biggest_pairs = (math.isqrt(4 * 2 ** 63 + 1) - 1) // 2  # the largest n with n + n² < 2⁶³ (3,037,000,499)
    assert codable(biggest_pairs, 2) and not codable(biggest_pairs + 1, 2)
    assert codable(2 ** 63 - 1, 1) and not codable(2 ** 63, 1)
    # Two million distinct tokens are too many to build here: the refusal is checked with the limit moved.
    monkeypatch.setattr(features_module, "codable", lambda n_words, ngram_max: n_words < 3)
    tfidf_features(["a word pair"], ngram_max=3)  # 2 distinct tokens ("a" is too short): codable
    with pytest.raises(ValueError, match=r"^3 distinct tokens are too many to code 3-grams as 64-bit integers$"):
        tfidf_features(["three word text"], ngram_max=3)
