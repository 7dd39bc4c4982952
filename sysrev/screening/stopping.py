"""When may screening stop? The statistical stopping criterion of Callaghan & Müller-Hansen (2020).

Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated screening in systematic reviews.
Syst Rev 2020;9:273. The null hypothesis is that recall is *below* the target τ (e.g. 0.95). Treat the last
n records screened as a sample drawn from the records that were still unscreened before them (an urn of
N_urn records). If r records have been found relevant in total and k of them in the sample, H0 needs at
least K = ⌊r/τ − (r − k) + 1⌋ relevant records in that urn, and the chance of seeing k or fewer relevant
records in n draws from it is the hypergeometric ``P(X ≤ k; N_urn, K, n)``. Recall ≥ τ can be claimed with
confidence 1 − α when that p-value is below α.

For records ordered by a model, following the authors' ``buscar`` implementation, every n (every tail of
the screening sequence) is tested and the smallest p-value is used: a model that ranks relevant records
earlier than chance puts *more* relevant records into any tail than a random draw would if many were still
missing, which makes treating the last n as a random sample conservative.

A sequence that ends in records drawn at random (``sysrev screen --order random``) is tested on those draws
alone: they are a random sample of the records unscreened when the first of them was drawn, and the test of
that one sample is exact. Letting the tail start anywhere else is not: a tail that starts inside the sample
is chosen after seeing where its relevant records fell, and one that reaches back into the ranked records
before it rests on the ranking's bias, which the switch to random draws was made to do without. Checked
after every decision, as a team does, the smallest p-value over those tails claimed recall ≥ 95 % while
recall was below it in up to 13 % of simulated screenings at 95 % confidence; the random draws alone kept it
near 5 % (``benchmarks/stopping_validity.py``; docs/screening.md, *Stopping*).

Nothing here excludes a record: the figures say whether the team *may* stop; stopping is their decision.
"""

from dataclasses import asdict, dataclass, fields

import numpy as np

from sysrev.wording import counted

REFERENCE = ("Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated screening in "
             "systematic reviews. Syst Rev 2020;9:273")


def h0_pvalue(labels, n_total: int, recall_target: float = 0.95, longest: int | None = None,
              random_run: int = 0) -> float:
    """The smallest p-value, over every tail of ``labels``, of H0 "recall is below ``recall_target``".

    ``labels`` are 1 (relevant) / 0 (not), in the order screened; ``n_total`` is the number of records the
    screening covers (screened and unscreened). 1.0 when nothing has been screened. ``longest`` caps the
    tails: only the last ``longest`` records were drawn from the records unscreened now (records added
    since the ones before, by a refresh, were never in their urn); None: every tail. ``random_run``: how
    many of the last records were drawn at random; when some were, they alone are the tail tested (see the
    module docstring).

    Only the longest tail holding each count of relevant records needs testing: extending a tail by one
    irrelevant record never raises its p-value (the p-value is then a mixture of the old one and a smaller
    one), so the minimum over all tails is the minimum over the tails that reach back to just after a
    relevant record, and the whole sequence.
    """
    labels = np.asarray(labels, dtype=np.int64)
    sizes = _tail_sizes(labels, n_total, longest, random_run)
    if len(sizes) == 0:
        return 1.0
    return float(_tail_pvalues(labels, sizes, n_total, recall_target, int(labels.sum())).min())


def h0_rejected(labels, n_total: int, recall_target: float = 0.95, confidence: float = 0.95,
                longest: int | None = None, random_run: int = 0) -> bool:
    """True when :func:`h0_pvalue` is below 1 − ``confidence``: the same answer, computed only for the tails
    that could give it.

    A tail holding more relevant records than its draws are expected to hold cannot have a small p-value:
    by Cantelli's inequality, P(X ≥ k + 1) ≤ σ² / (σ² + (k + 1 − μ)²) for k + 1 > μ (μ and σ² the mean and
    variance of the hypergeometric X), so P(X ≤ k) is at least α once that bound is at most 1 − α. In a
    screening that still finds relevant records, most tails are such tails; only the others are summed.
    """
    labels = np.asarray(labels, dtype=np.int64)
    sizes = _tail_sizes(labels, n_total, longest, random_run)
    if len(sizes) == 0:
        return False
    alpha = 1 - confidence
    in_tail, urn, k_hat = _tail_urns(labels, sizes, n_total, recall_target, int(labels.sum()))
    if (k_hat > urn).any():  # H0 would need more relevant records than the urn holds: p = 0
        return True
    undecided = ~cannot_fire(in_tail, urn, k_hat, sizes, alpha)
    if not undecided.any():
        return False
    p = hypergeom_cdf(in_tail[undecided], urn[undecided], k_hat[undecided], sizes[undecided])
    return bool(p.min() < alpha)


def cannot_fire(k, population, successes, draws, alpha: float) -> np.ndarray:
    """Per tail, whether Cantelli's inequality shows P(X ≤ k) ≥ ``alpha`` without summing it (X hypergeometric:
    ``draws`` from ``population`` holding ``successes``; every urn holds at least one record).

    For k + 1 above the mean μ, P(X ≥ k + 1) ≤ σ² / (σ² + (k + 1 − μ)²), so P(X ≤ k) ≥ 1 − that bound; the
    tail cannot fire once the bound is at most 1 − α. A margin of 1e-9 keeps rounding in the bound from
    clearing a tail whose p-value is just below α. A tail with no variance (X certain: its urn drawn whole,
    or holding no relevant record) is never cleared but summed: a μ of exactly k + 1 rounded a hair below it
    would make the bound 0 and clear a tail whose p-value is 0.
    """
    share = successes / population
    mean = draws * share
    finite = np.divide(population - draws, population - 1, out=np.zeros(len(population)), where=population > 1)
    variance = draws * share * (1 - share) * finite
    excess = k + 1 - mean
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0 when X is certainly k + 1
        bound = variance / (variance + excess**2)
    return (excess > 0) & (variance > 0) & (bound <= (1 - alpha) * (1 - 1e-9))


def _tail_sizes(labels, n_total, longest=None, random_run=0):
    """The tail sizes :func:`h0_pvalue` tests: the tails that start just after a relevant record, and the
    whole sequence (up to ``longest`` records, when given); only the last ``random_run`` records (up to
    ``longest``) when the sequence ends in that many random draws."""
    seen = len(labels)
    if seen > n_total:
        raise ValueError(f"{seen} records screened out of {n_total}")
    whole = seen if longest is None else min(longest, seen)
    if random_run > 0:
        size = min(random_run, whole)
        return np.array([size] if size > 0 else [], dtype=np.int64)
    sizes = np.unique(np.append(seen - 1 - np.flatnonzero(labels), whole))
    return sizes[(sizes > 0) & (sizes <= whole)]


def first_firing(labels, n_total: int, recall_target: float = 0.95, confidence: float = 0.95,
                 start: int = 0, random_from: int | None = None) -> int | None:
    """The smallest i > ``start`` for which the first i records of ``labels`` let recall ≥ ``recall_target``
    be claimed (:func:`h0_pvalue` below 1 − ``confidence``); None if no i up to ``len(labels)`` does.
    ``random_from``: the records from that index on were drawn at random (a switch to ``--order random``).

    The same answer as testing after every record, with far fewer tests: after an irrelevant record every tail
    is one irrelevant draw longer (same urn, same K), and drawing more cannot make "k or fewer relevant" more
    likely, so the p-value never rises between two relevant records. Each stretch that starts at a relevant
    record (or at the switch to random draws, where the tails tested change) is tested at its end, and only a
    stretch whose end fires is searched by bisection.
    """
    labels = np.asarray(labels, dtype=np.int64)

    def fires(i):
        run = 0 if random_from is None else max(0, i - random_from)
        return h0_rejected(labels[:i], n_total, recall_target, confidence, random_run=run)

    starts = [start + 1] + [int(i) + 1 for i in np.flatnonzero(labels[start + 1:]) + start + 1]
    if random_from is not None and start < random_from < len(labels):
        starts = sorted(set(starts) | {random_from + 1})
    for first, after in zip(starts, starts[1:] + [len(labels) + 1]):
        last = after - 1
        if first > last or not fires(last):
            continue
        while first < last:  # fires(last) holds; find the first i that fires
            mid = (first + last) // 2
            if fires(mid):
                last = mid
            else:
                first = mid + 1
        return first
    return None


def tail_pvalues(labels, n_total: int, recall_target: float = 0.95) -> np.ndarray:
    """The p-value of every tail (the last 1, 2, … records screened); :func:`h0_pvalue` is their minimum."""
    labels = np.asarray(labels, dtype=np.int64)
    return _tail_pvalues(labels, np.arange(1, len(labels) + 1), n_total, recall_target, int(labels.sum()))


def _tail_urns(labels, sizes, n_total, recall_target, r_seen):
    """Per tail of ``sizes``: the relevant records in it (k), its urn (the tail plus everything still
    unscreened) and the relevant records H0 needs in that urn (K)."""
    in_tail = np.concatenate(([0], labels[::-1].cumsum()))[sizes]
    urn = n_total - len(labels) + sizes
    k_hat = np.floor(r_seen / recall_target - (r_seen - in_tail) + 1).astype(np.int64)
    return in_tail, urn, k_hat


def _tail_pvalues(labels, sizes, n_total, recall_target, r_seen):
    in_tail, urn, k_hat = _tail_urns(labels, sizes, n_total, recall_target, r_seen)
    impossible = k_hat > urn  # H0 would need more relevant records than the urn holds
    p = hypergeom_cdf(in_tail, urn, np.minimum(k_hat, urn), sizes)
    return np.where(impossible, 0.0, p)


def hypergeom_cdf(k, population, successes, draws) -> np.ndarray:
    """P(X ≤ k) for X hypergeometric (``draws`` from ``population`` holding ``successes``), element-wise.

    The same values as ``scipy.stats.hypergeom.cdf`` (the tests compare them), without scipy's per-call
    overhead, which dominates when the test runs after every record. Each value is a sum of probabilities
    P(X = j), over j ≤ k or, when that is the shorter sum, 1 minus the sum over j > k: the stopping test asks
    about urns holding K = k + ⌊r(1/τ − 1) + 1⌋ relevant records, so the sum above k has a handful of terms
    where the sum below has as many as relevant records were found. A sum starts from its first term in
    log-binomials; each further term is the one before times P(X = j + 1) / P(X = j) = (K − j)(n − j) /
    ((j + 1)(N − K − n + j + 1)).
    """
    k, big_n, big_k, n = (np.atleast_1d(np.asarray(a, dtype=np.int64)) for a in (k, population, successes, draws))
    low = np.maximum(0, n - (big_n - big_k))  # the smallest and largest values X can take
    top = np.minimum(big_k, n)
    high = np.minimum(k, top)
    below = np.maximum(high - low + 1, 0)  # terms j = low … high
    above = top - high  # terms j = high + 1 … top
    upper = above < below
    result = _pmf_sums(big_n, big_k, n, np.where(upper, high + 1, low), np.where(upper, above, below))
    return np.clip(np.where(upper, 1.0 - result, result), 0.0, 1.0)  # rounding can step just past 0 or 1


_BLOCK_TERMS = 1 << 20  # cells of one block of sums (8 MB of float64)


def _pmf_sums(big_n, big_k, n, first, counts) -> np.ndarray:
    """Σ P(X = j) for j from ``first`` to ``first + counts − 1``, element-wise (0 for an empty sum).

    The sums are computed in blocks, rows of a matrix with one term per column; sorting them by length keeps
    the padding small and a block within :data:`_BLOCK_TERMS` cells.
    """
    result = np.zeros(len(counts))
    rows = np.flatnonzero(counts)
    rows = rows[np.argsort(counts[rows], kind="stable")]
    start = 0
    while start < len(rows):
        stop = start + 1
        while stop < len(rows) and (stop - start + 1) * counts[rows[stop]] <= _BLOCK_TERMS:
            stop += 1
        block = rows[start:stop]
        result[block] = _block_sums(*(a[block] for a in (big_n, big_k, n, first, counts)))
        start = stop
    return result


def _block_sums(big_n, big_k, n, first, counts) -> np.ndarray:
    """:func:`_pmf_sums` of one block, by the ratio recurrence along each row."""
    column = np.arange(counts.max())
    j = (first[:, None] + column[None, :] - 1).astype(np.float64)  # the term before each column's term
    fk, fn, fnn = (a[:, None].astype(np.float64) for a in (big_k, n, big_n))
    with np.errstate(divide="ignore", invalid="ignore"):  # cells past a row's last term are masked below
        step = np.log((fk - j) * (fn - j)) - np.log((j + 1) * (fnn - fk - fn + j + 1))
    step[:, 0] = _log_choose(big_k, first) + _log_choose(big_n - big_k, n - first) - _log_choose(big_n, n)
    valid = column[None, :] < counts[:, None]
    return np.where(valid, np.exp(np.cumsum(np.where(valid, step, 0.0), axis=1)), 0.0).sum(axis=1)


def _log_choose(n, k):
    from scipy.special import gammaln  # imported here: `sysrev screen` starts without scipy

    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def more_draws_needed(labels, n_total: int, recall_target: float = 0.95, confidence: float = 0.95,
                      longest: int | None = None, random_run: int = 0) -> int:
    """How many more records, all found irrelevant, would let recall ≥ target be claimed (0: it can be claimed
    now), screened in the order of the last ones: drawn at random when ``labels`` end in ``random_run``
    random draws (the further draws lengthen that sample), ranked otherwise. Records beyond the unscreened
    ones are impossible: screening everything always lets it be claimed. ``longest`` as in
    :func:`h0_pvalue` (the further records lengthen it)."""
    labels = list(labels)
    remaining = n_total - len(labels)

    def fires(extra):
        return h0_rejected(labels + [0] * extra, n_total, recall_target, confidence,
                           None if longest is None else longest + extra, random_run + extra if random_run else 0)

    if fires(0) or remaining <= 0:
        return 0
    low, high = 0, 1  # fires(low) is False; find a high that fires
    while high < remaining and not fires(high):
        low, high = high, min(high * 2, remaining)
    # fires(remaining) holds without asking: drawing every unscreened record leaves nothing unseen (p = 0)
    while high - low > 1:
        mid = (low + high) // 2
        if fires(mid):
            high = mid
        else:
            low = mid
    return high


@dataclass(frozen=True)
class StoppingStatus:
    """Where a screening sequence stands against the stopping criterion."""

    n_total: int  # records the stage screens
    screened: int
    relevant_found: int
    random_draws: int  # records at the end of the sequence drawn at random (``--order random``)
    p_value: float
    recall_target: float
    confidence: float
    more_draws: int  # more records (all irrelevant, in the order of the last ones) needed; 0: can claim now
    draws_since: str = ""  # when records were last added (a refresh): only decisions since then are draws

    @property
    def can_stop(self) -> bool:
        return self.more_draws == 0

    def sentence(self) -> str:
        """What ``sysrev screen status`` prints."""
        claim = (f"recall ≥ {percent(self.recall_target)} % can be claimed with "
                 f"{percent(self.confidence)} % confidence")
        if self.screened >= self.n_total:
            return f"{claim} now (every record screened)"
        since = (f"; only the decisions made since records were added on {self.draws_since[:10]} count as draws "
                 "from the records left" if self.draws_since else "")
        if self.can_stop:
            return f"{claim} now (p = {self.p_value:.3g}{since})"
        more = counted(self.more_draws, "more randomly drawn record" if self.random_draws else "more record")
        return f"{claim} after screening {more}, if none of them is relevant" + (f" ({since[2:]})" if since else "")

    def to_dict(self) -> dict:
        return {**asdict(self), "can_stop": self.can_stop}

    @classmethod
    def from_dict(cls, figures) -> "StoppingStatus":
        """The status recorded in ``figures`` (a line of stopping.jsonl; one written before ``draws_since`` was
        kept has none)."""
        return cls(**{f.name: figures[f.name] for f in fields(cls) if f.name in figures or f.name != "draws_since"})


def stopping_status(labels, n_total, *, random_draws=0, recall_target=0.95, confidence=0.95,
                    draws=None, draws_since="") -> StoppingStatus:
    """The :class:`StoppingStatus` of a sequence of 1/0 ``labels`` (in the order screened) out of
    ``n_total`` records; ``random_draws``: how many of the last labels were drawn at random (they alone are
    then tested); ``draws``: how many of the last labels were drawn from the records unscreened now (those
    since records were last added, at ``draws_since``), None when all were."""
    _check_levels(recall_target, confidence)
    labels = [int(x) for x in labels]
    return StoppingStatus(n_total=n_total, screened=len(labels), relevant_found=sum(labels),
                          random_draws=random_draws,
                          p_value=h0_pvalue(labels, n_total, recall_target, draws, random_draws),
                          recall_target=recall_target, confidence=confidence,
                          more_draws=more_draws_needed(labels, n_total, recall_target, confidence, draws,
                                                       random_draws),
                          draws_since=draws_since if draws is not None else "")


def _check_levels(recall_target, confidence):
    for name, value in (("recall target", recall_target), ("confidence", confidence)):
        if not 0 < value < 1:
            raise ValueError(f"the {name} must lie strictly between 0 and 1 (got {value})")


def percent(value) -> str:
    """A fraction as a percentage without a needless decimal (0.95 -> "95", 0.975 -> "97.5")."""
    text = f"{value * 100:.1f}"
    return text[:-2] if text.endswith(".0") else text

