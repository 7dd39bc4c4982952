"""TF-IDF features of record texts, computed the way scikit-learn's ``TfidfVectorizer`` computes them.

Why not scikit-learn itself: importing it costs about two CPU seconds (it pulls in scipy.stats and
pandas), more than a whole 2,000-record screening simulation is allowed to take. The arithmetic is short
and standard, and a test checks that the matrix equals ``TfidfVectorizer``'s (the same terms and values;
the columns come in another order, which no linear model cares about):

* text lower-cased, accents stripped (Unicode NFKD, combining marks dropped), tokens of two or more word
  characters (``(?u)\\b\\w\\w+\\b``), terms are single tokens and pairs of adjacent tokens;
* terms kept when they occur in at least ``min_df`` records and at most ``max_df`` (a share) of them;
* weight = (1 + ln tf) · idf with idf = ln((1 + n) / (1 + df)) + 1 (sublinear tf, smoothed idf), each
  record's vector scaled to unit length.
"""

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

TOKEN = re.compile(r"(?u)\b\w\w+\b")


def strip_accents(text: str) -> str:
    """``text`` without accents: NFKD-decomposed, combining marks dropped (ASCII text is returned as is)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list:
    """The tokens of ``text``: lower-cased, accents stripped, runs of two or more word characters."""
    return TOKEN.findall(strip_accents(text.lower()))


@dataclass(frozen=True)
class Features:
    """A TF-IDF matrix (records × terms, CSR) and what its columns are: n-grams coded as integers over the
    list of distinct tokens (see :meth:`terms`)."""

    matrix: csr_matrix
    codes: np.ndarray
    words: list
    ngram_max: int

    def terms(self) -> list:
        """The text of each column: a token, or adjacent tokens joined by a space (worked out on demand:
        the model needs only the matrix)."""
        n_words, names = len(self.words), []
        bounds = [0] + [sum(n_words ** k for k in range(1, n + 1)) for n in range(1, self.ngram_max + 1)]
        for code in self.codes.tolist():
            n = next(n for n in range(1, self.ngram_max + 1) if code < bounds[n])
            code -= bounds[n - 1]
            parts = []
            for _ in range(n):
                code, last = divmod(code, n_words)
                parts.append(self.words[last])
            names.append(" ".join(reversed(parts)))
        return names


def codable(n_words: int, ngram_max: int) -> bool:
    """Whether every n-gram of up to ``ngram_max`` of ``n_words`` distinct tokens gets its own 64-bit code (the
    codes of n-grams of each length follow those of the shorter ones: n_words + n_words² + … must stay below
    2⁶³)."""
    return sum(n_words ** n for n in range(1, ngram_max + 1)) < 2 ** 63


def tfidf_features(texts, *, ngram_max: int = 2, min_df: int = 1, max_df: float = 1.0,
                   sublinear_tf: bool = True) -> Features:
    """The TF-IDF features of ``texts`` (1 ≤ ``ngram_max`` ≤ 3).

    When no term is left after pruning (a tiny or empty project), the pruning is dropped; when there is no
    term at all, the matrix has one empty column (every record then scores the same).
    """
    if not 1 <= ngram_max <= 3:
        raise ValueError("ngram_max must be 1, 2 or 3")
    words, ids, lengths = {}, [], []
    for text in texts:
        found = [words.setdefault(w, len(words)) for w in tokens(text or "")]
        ids += found
        lengths.append(len(found))
    n_docs, n_words = len(lengths), len(words)
    if not n_words:
        return Features(csr_matrix((n_docs, 1)), np.zeros(1, dtype=np.int64), [""], ngram_max)
    if not codable(n_words, ngram_max):
        raise ValueError(f"{n_words} distinct tokens are too many to code {ngram_max}-grams as 64-bit integers")
    ids = np.asarray(ids, dtype=np.int64)
    doc = np.repeat(np.arange(n_docs), lengths)
    # A term is coded as one integer: n-grams of word ids in base n_words, offset past the shorter n-grams.
    codes, rows, offset = [ids], [doc], n_words
    for n in range(2, ngram_max + 1):
        starts = np.arange(len(ids) - n + 1)
        starts = starts[doc[starts] == doc[starts + n - 1]]  # n-grams within one record only
        code = np.zeros(len(starts), dtype=np.int64)
        for k in range(n):
            code = code * n_words + ids[starts + k]
        codes.append(code + offset)
        rows.append(doc[starts])
        offset += n_words ** n
    codes, rows = np.concatenate(codes), np.concatenate(rows)
    unique, column = np.unique(codes, return_inverse=True)
    counts = csr_matrix((np.ones(len(codes)), (rows, column.ravel())), shape=(n_docs, len(unique)))
    counts.sum_duplicates()  # one entry per (record, term), holding the term's count
    df = np.bincount(counts.indices)  # every column holds at least one record's count
    keep = (df >= min_df) & (df <= max_df * n_docs)
    if not keep.any():
        keep[:] = True
    kept = np.flatnonzero(keep)
    matrix = counts[:, kept].tocsr()
    matrix.sort_indices()
    idf = np.log((1 + n_docs) / (1 + df[kept])) + 1
    values = np.log(matrix.data) + 1 if sublinear_tf else matrix.data
    matrix.data = values * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))  # a record without any kept term stays an empty row
    return Features(matrix, unique[kept], list(words), ngram_max)

