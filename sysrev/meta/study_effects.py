"""From a checked study table to per-study effects and the inputs each pooling method needs.

Zero cells, two conventions (``zero=``):

* ``"revman"`` (default, RevMan 5): 0.5 is added to all four cells of a table with a zero cell, for the
  study's estimate and for Mantel–Haenszel pooling alike; a study with no events (or only events) in both
  arms is *not estimable* for RR and OR (no estimate, weight 0) and is kept for RD. Peto uses the raw counts.
* ``"metafor"``: per-study estimates as ``escalc`` (0.5 added to tables with a zero cell, ``to="only0"``),
  double-zero studies kept for inverse-variance pooling (``rma.uni``); Mantel–Haenszel and Peto pool the raw
  counts and leave double-zero studies out of the per-study estimates and Q (``rma.mh``/``rma.peto``
  defaults ``add=c(1/2, 0)``, ``drop00=c(TRUE, FALSE)``), and the MH risk difference uses the
  Sato–Greenland–Robins variance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sysrev.meta import effects
from sysrev.meta.inputs import BINARY_MEASURES, StudyTable
from sysrev.meta.settings import Settings


@dataclass(frozen=True)
class StudyEffects:
    """Per-study ``yi``/``vi`` (NaN where not estimable) and the cells the pooled estimate is built from.

    ``cells`` holds the 2×2 tables (a, b, c, d) Mantel–Haenszel or Peto pools, ``pooled_rows`` which
    studies enter that pooling; both are None for inverse-variance analyses.
    """

    table: StudyTable
    yi: np.ndarray
    vi: np.ndarray
    cells: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
    pooled_rows: np.ndarray | None = None

    @property
    def estimable(self) -> np.ndarray:
        return np.isfinite(self.yi) & np.isfinite(self.vi)

    def select(self, mask) -> StudyEffects:
        mask = np.asarray(mask, bool)
        cells = None if self.cells is None else tuple(cell[mask] for cell in self.cells)
        rows = None if self.pooled_rows is None else self.pooled_rows[mask]
        return StudyEffects(self.table.select(mask), self.yi[mask], self.vi[mask], cells, rows)


def _continuous(table: StudyTable, settings: Settings):
    args = [table.columns[name] for name in ("n1", "mean1", "sd1", "n2", "mean2", "sd2")]
    if settings.measure == "MD":
        return effects.mean_difference(*args)
    formula = effects.hedges_g_revman if settings.smd == "revman" else effects.hedges_g_exact
    return formula(*args)


def _binary(table: StudyTable, settings: Settings) -> StudyEffects:
    cols = table.columns
    raw = effects.two_by_two(cols["events1"], cols["n1"], cols["events2"], cols["n2"])
    adjusted = effects.zero_cell_adjusted(*raw)[:4]
    no_contrast = effects.double_zero(*raw)
    metafor = settings.zero == "metafor"

    if settings.method == "PETO" or settings.measure == "PETO":
        yi, vi = effects.peto_log_odds_ratio(*(adjusted if metafor else raw))
        if metafor and settings.method == "PETO":
            yi, vi = np.where(no_contrast, np.nan, yi), np.where(no_contrast, np.nan, vi)
    else:
        yi, vi = effects.BINARY_EFFECTS[settings.measure](*adjusted)
        drop = no_contrast if settings.measure in ("RR", "OR") else np.zeros_like(no_contrast)
        if metafor:
            drop = no_contrast if settings.method == "MH" else np.zeros_like(no_contrast)
        yi, vi = np.where(drop, np.nan, yi), np.where(drop, np.nan, vi)

    if settings.method == "IV":
        return StudyEffects(table, yi, vi)
    if settings.method == "PETO" or metafor:
        return StudyEffects(table, yi, vi, raw, np.ones(len(table), bool))
    return StudyEffects(table, yi, vi, adjusted, np.isfinite(yi))


def study_effects(table: StudyTable, settings: Settings) -> StudyEffects:
    """The per-study effects of ``table`` under ``settings`` (see the module docstring for zero cells)."""
    if settings.measure in BINARY_MEASURES:
        return _binary(table, settings)
    if settings.measure == "GEN":
        return StudyEffects(table, table.columns["yi"].copy(), table.columns["vi"].copy())
    yi, vi = _continuous(table, settings)
    return StudyEffects(table, yi, vi)
