"""The ranking model's parts checked against independent references: the TF-IDF features against
scikit-learn's TfidfVectorizer, the SVM against scikit-learn's LinearSVC, the class weights by hand."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from sysrev.screening.features import tfidf_features
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


def _sklearn(texts, **options):
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", **options)
    return vectorizer.fit_transform(texts).toarray(), vectorizer.vocabulary_


@pytest.mark.parametrize("options", [{}, {"min_df": 2}, {"max_df": 0.3}, {"min_df": 2, "max_df": 0.95}])
def test_tfidf_features_equal_scikit_learns(options):
    features = tfidf_features(TEXTS, ngram_max=2, **{"min_df": 1, "max_df": 1.0, **options})
    expected, vocabulary = _sklearn(TEXTS, **options)
    terms = features.terms()
    assert sorted(terms) == sorted(vocabulary)  # the same terms (accents stripped: "cafe", "naive bayes")
    columns = [vocabulary[t] for t in terms]
    np.testing.assert_allclose(features.matrix.toarray(), expected[:, columns], rtol=1e-12, atol=1e-12)


def test_tfidf_features_of_a_project_without_words_have_one_empty_column():
    features = tfidf_features(["", "a 1", None])
    assert features.matrix.shape == (3, 1) and features.matrix.nnz == 0


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


def test_svm_scores_do_not_depend_on_earlier_trainings():
    svm = LinearSVM(tfidf_features(TEXTS).matrix, C=0.11, relevant_weight_ratio=9.8)
    rows, y = [0, 1, 2, 4, 5, 6], [1, 0, 0, 1, 0, 0]
    first = svm.scores(rows, y)
    svm.scores([0, 5], [1, 0])  # another training in between (the solver draws its visiting order)
    assert np.array_equal(svm.scores(rows, y), first)
    # and labels that separate the texts differently give other scores
    assert not np.allclose(svm.scores(rows, [0, 0, 1, 0, 1, 1]), first)


def test_tfidf_features_refuse_an_n_gram_length_they_cannot_code():
    with pytest.raises(ValueError, match="ngram_max"):
        tfidf_features(["a b c d e"], ngram_max=4)
