"""Relevance ranking for screening: a text classifier trained on one reviewer's decisions reorders the rest.

Features are TF-IDF weights of the words and word pairs of each record's title, abstract and keywords
(scikit-learn ``TfidfVectorizer``, sublinear term frequency, fitted once on all records of the stage — no
labels are used for that). The classifier is scikit-learn's ``LogisticRegression`` with class weights
balanced between included and excluded records, retrained after every decision on the decisions made so
far; the unscreened records are then shown most-probably-relevant first (certainty-based active learning).
``include`` and ``maybe`` count as relevant, ``exclude`` as not relevant.

Blinding: :func:`rank_for_reviewer` reads only the reviewer's own log, never a co-reviewer's, so in dual
screening each reviewer's order is learnt from their own decisions alone.

The small API (:class:`Ranker`, :func:`rank_for_reviewer`) is what the terminal screen, ``sysrev screen
simulate`` and other front ends call.
"""

from dataclasses import dataclass

import numpy as np

RELEVANT = ("include", "maybe")
MODEL_NAME = "tfidf-logreg"
MODEL_REVISION = 1  # bump when the features or the classifier change, so logs say which model ordered them


@dataclass(frozen=True)
class RankingSettings:
    """The model's settings (the defaults are what ``sysrev screen`` uses and the docs describe)."""

    ngram_max: int = 2  # words and pairs of adjacent words
    min_df: int = 2  # a word seen in one record only cannot move any other record's rank
    C: float = 1.0  # inverse regularisation strength of the logistic regression

    def describe(self) -> str:
        """The model in a sentence fragment for a methods section."""
        import sklearn

        grams = "words" if self.ngram_max == 1 else "words and word pairs"
        return (f"a logistic regression classifier (scikit-learn {sklearn.__version__}, L2 penalty, C = "
                f"{self.C:g}, class weights balanced between included and excluded records) on TF-IDF "
                f"features (sublinear term frequency) of the {grams} of each record's title, abstract and "
                f"keywords that occur in at least {self.min_df} records")


DEFAULT_SETTINGS = RankingSettings()


def record_text(record) -> str:
    """Title, abstract and keywords of a record (a dict) as one string for the features."""
    keywords = record.get("keywords") or ""
    if isinstance(keywords, (list, tuple)):
        keywords = " ".join(str(k) for k in keywords)
    parts = (record.get("title"), record.get("abstract"), keywords)
    return " ".join(str(p) for p in parts if p and str(p).lower() != "nan")


def model_version(n_decisions: int) -> str:
    """The model column of a decision row: model name, revision and how many decisions it learnt from."""
    return f"{MODEL_NAME}.{MODEL_REVISION}/{n_decisions}"


class Ranker:
    """Ranks a fixed set of texts for relevance from labels given on some of them.

    The features are computed once (construction); :meth:`scores` retrains the classifier on the labels
    it is given and is cheap enough to call after every decision.
    """

    def __init__(self, texts, settings: RankingSettings = DEFAULT_SETTINGS, *, seed: int = 0):
        self.settings = settings
        self.seed = seed
        texts = [t or "" for t in texts]
        self.size = len(texts)
        self.features = _tfidf(texts, settings)
        # A fixed random order breaks ties between equal scores, so the same seed gives the same ranking.
        self._tiebreak = np.random.default_rng(seed).permutation(len(texts))

    def scores(self, labelled: dict) -> np.ndarray | None:
        """A relevance score for every text (higher: more probably relevant), from ``labelled``
        ({index: 1 relevant / 0 not}); None while the labels do not hold both classes (nothing to learn a
        contrast from)."""
        index = np.fromiter(labelled.keys(), dtype=np.int64, count=len(labelled))
        y = np.fromiter(labelled.values(), dtype=np.int64, count=len(labelled))
        if len(np.unique(y)) < 2:
            return None
        model = _classifier(self.settings, self.seed)
        model.fit(self.features[index], y)
        return model.decision_function(self.features)

    def order(self, labelled: dict) -> list:
        """The unlabelled indices, most probably relevant first; in index order while there is no model."""
        scores = self.scores(labelled)
        open_ = np.ones(self.size, dtype=bool)
        open_[list(labelled)] = False
        rest = np.flatnonzero(open_)
        if scores is None or not len(rest):
            return rest.tolist()
        # Sort by score (descending), ties by the seeded permutation.
        keys = np.lexsort((self._tiebreak[rest], -scores[rest]))
        return rest[keys].tolist()


@dataclass(frozen=True)
class Ranking:
    """The order in which a reviewer's unscreened records are shown, and the model that made it."""

    record_ids: list  # unscreened records, first shown first
    model: str  # the model column written with each decision ("file" while there is no model yet)
    trained_on: int  # decisions the model learnt from


def training_labels(decisions: dict) -> dict:
    """{record_id: 1 relevant / 0 not} from {record_id: decision} (include and maybe are relevant)."""
    return {rid: int(d in RELEVANT) for rid, d in decisions.items()}


def has_both_classes(decisions: dict) -> bool:
    """True when ``decisions`` ({record_id: decision}) hold at least one relevant and one excluded record."""
    values = set(training_labels(decisions).values())
    return values == {0, 1}


def rank_records(eligible, records_by_id, decisions: dict, *, ranker=None) -> Ranking:
    """Rank the undecided records of ``eligible`` (record IDs) from ``decisions`` ({record_id: decision}).

    Until the decisions hold at least one include (or maybe) and one exclude, the records keep their file
    order (``model`` is then ``"file"``). ``ranker`` (a :class:`Ranker` over ``eligible``, in that order)
    reuses features across calls; without one, they are built here.
    """
    position = {rid: i for i, rid in enumerate(eligible)}
    decided = {rid: d for rid, d in decisions.items() if rid in position}
    if not has_both_classes(decided):
        return Ranking([rid for rid in eligible if rid not in decided], "file", 0)
    if ranker is None:
        ranker = Ranker([record_text(records_by_id[rid]) for rid in eligible])
    labelled = {position[rid]: y for rid, y in training_labels(decided).items()}
    return Ranking([eligible[i] for i in ranker.order(labelled)], model_version(len(labelled)), len(labelled))


def rank_for_reviewer(screening, reviewer: str, stage: str = "title_abstract", *, ranker=None) -> Ranking:
    """Rank ``reviewer``'s undecided records at ``stage`` from that reviewer's own decisions only (blinding:
    a co-reviewer's decisions are never read). ``screening`` is a :class:`sysrev.screening.state.Screening`."""
    state = screening.stages[stage]
    own = {rid: d.decision for rid, d in state.latest.get(reviewer, {}).items()}
    return rank_records(state.eligible, screening.records_by_id, own, ranker=ranker)


def _classifier(settings, seed):
    """A fresh logistic regression for ``settings``. The dual liblinear solver is the fast one when the
    features (tens of thousands of words and word pairs) far outnumber the labelled records."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=settings.C, class_weight="balanced", solver="liblinear", dual=True,
                              random_state=seed)


def _tfidf(texts, settings):
    """The TF-IDF matrix of ``texts`` (CSR). A tiny project where no term reaches ``min_df`` records keeps
    every term; texts without any word give one empty column (every record then scores the same)."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    for min_df in dict.fromkeys((settings.min_df, 1)):
        vectorizer = TfidfVectorizer(ngram_range=(1, settings.ngram_max), min_df=min_df, sublinear_tf=True,
                                     strip_accents="unicode", dtype=np.float64)
        try:
            return vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # no term left after pruning, or no term at all
            continue
    return csr_matrix((len(texts), 1))
