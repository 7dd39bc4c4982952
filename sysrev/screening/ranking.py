"""Relevance ranking for screening: a text classifier trained on one reviewer's decisions reorders the rest.

Features are TF-IDF weights of the words and word pairs of each record's title and abstract
(:mod:`sysrev.screening.features`: sublinear term frequency, computed once on all records of the stage — no
labels are used for that). The classifier is a linear support vector machine (:mod:`sysrev.screening.
linear_svm`, LIBLINEAR) whose relevant records weigh more than the excluded ones, retrained after every
decision on the decisions made so far; the unscreened records are then shown most-probably-relevant first
(certainty-based active learning). ``include`` and ``maybe`` count as relevant, ``exclude`` as not relevant.

Blinding: :func:`rank_for_reviewer` reads only the reviewer's own log, never a co-reviewer's, so in dual
screening each reviewer's order is learnt from their own decisions alone.

The small API (:class:`Ranker`, :func:`rank_for_reviewer`) is what the terminal screen, ``sysrev screen
simulate`` and other front ends call.
"""

from dataclasses import dataclass

import numpy as np

RELEVANT = ("include", "maybe")
MODEL_NAME = "tfidf-svm"
MODEL_REVISION = 3  # bump when the features or the classifier change, so logs say which model ordered them
EARLIER_MODELS = ("tfidf-logreg",)  # names earlier sysrev versions wrote into the model column
KEYWORD_REVISIONS = ("tfidf-logreg.1", "tfidf-svm.2")  # earlier models that read the keywords too (record_text)


@dataclass(frozen=True)
class RankingSettings:
    """The model's settings (the defaults are what ``sysrev screen`` uses and the docs describe)."""

    ngram_max: int = 2  # words and pairs of adjacent words
    min_df: int = 1  # keep every term ...
    max_df: float = 0.95  # ... but those in more than 95 % of the records (they tell no record apart)
    C: float = 0.11  # inverse regularisation strength of the SVM
    relevant_weight_ratio: float = 9.8  # relevant records together weigh this many times the excluded ones

    def describe(self) -> str:
        """The model in a sentence fragment for a methods section."""
        from importlib.metadata import version

        grams = {1: "words", 2: "words and word pairs"}.get(self.ngram_max, "words, word pairs and word triples")
        return (f"a linear support vector machine (LIBLINEAR via liblinear-official {version('liblinear-official')}"
                f", L2-regularised squared hinge loss, C = {self.C:g}, relevant records weighted to carry "
                f"{self.relevant_weight_ratio:g} times the total weight of the excluded ones) on TF-IDF features "
                f"(sublinear term frequency) of the {grams} of each record's title and abstract "
                f"(terms found in more than {self.max_df:.0%} of the records left out)")


DEFAULT_SETTINGS = RankingSettings()


def record_text(record) -> str:
    """Title and abstract of a record (a dict) as one string for the features.

    Keywords are left out, as ASReview LAB leaves them out: added to the text (sysrev's model revision 2) they
    lifted mean WSS@95 on the eleven benchmark sets they were chosen on and lowered it on six labelled reviews
    that played no part in the choice (docs/screening.md, *How the settings were chosen*).
    """
    parts = (record.get("title"), record.get("abstract"))
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
        # Imported here: every `sysrev screen` command imports this module, few of them rank.
        from sysrev.screening.features import tfidf_features
        from sysrev.screening.linear_svm import LinearSVM

        texts = [t or "" for t in texts]
        self.size = len(texts)
        features = tfidf_features(texts, ngram_max=settings.ngram_max, min_df=settings.min_df,
                                  max_df=settings.max_df).matrix
        self.model = LinearSVM(features, C=settings.C, relevant_weight_ratio=settings.relevant_weight_ratio,
                               seed=seed)
        # A fixed random order breaks ties between equal scores, so the same seed gives the same ranking.
        self._tiebreak = np.random.default_rng(seed).permutation(len(texts))

    def scores(self, labelled: dict, rows=None) -> np.ndarray | None:
        """A relevance score for every text, or for ``rows`` (higher: more probably relevant), from
        ``labelled`` ({index: 1 relevant / 0 not}); None while the labels do not hold both classes (nothing
        to learn a contrast from)."""
        index = np.fromiter(labelled.keys(), dtype=np.int64, count=len(labelled))
        y = np.fromiter(labelled.values(), dtype=np.int64, count=len(labelled))
        if len(np.unique(y)) < 2:
            return None
        return self.model.scores(index, y, rows)

    def order(self, labelled: dict) -> list:
        """The unlabelled indices, most probably relevant first; in index order while there is no model."""
        open_ = np.ones(self.size, dtype=bool)
        open_[list(labelled)] = False
        rest = np.flatnonzero(open_)
        if not len(rest):
            return []
        scores = self.scores(labelled)  # all rows: cheaper than slicing the matrix
        if scores is None:
            return rest.tolist()
        return self.by_score(rest, scores[rest]).tolist()

    def by_score(self, rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """``rows`` sorted by their ``scores`` (highest first), ties broken by the seeded permutation."""
        return rows[np.lexsort((self._tiebreak[rows], -scores))]


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

