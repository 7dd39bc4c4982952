"""The forest plot's x axis: symmetric limits around the null and RevMan-like ticks.

RevMan draws a symmetric scale around the line of no effect (−1…1, −10…10; 0.1…10, 0.01…100 for ratios).
The limits cover every point estimate and every pooled interval; a study interval that is much wider than
the rest does not stretch the scale — it runs off the axis and gets an arrow, as in RevMan.
"""

import math
from dataclasses import dataclass

import numpy as np

#: Linear half-widths are m × 10^k with these mantissas; ticks at 0, ±half and ±full extent.
_LINEAR_MANTISSAS = (1.0, 2.0, 4.0, 5.0)

#: Ratio extents (the axis runs from 1/extent to extent) with the ticks RevMan labels on them.
_RATIO_TICKS = (
    (2.0, (0.5, 0.7, 1.0, 1.5, 2.0)),
    (5.0, (0.2, 0.5, 1.0, 2.0, 5.0)),
    (10.0, (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)),
    (20.0, (0.05, 0.2, 1.0, 5.0, 20.0)),
    (100.0, (0.01, 0.1, 1.0, 10.0, 100.0)),
    (1000.0, (0.001, 0.1, 1.0, 10.0, 1000.0)),
)


@dataclass(frozen=True)
class Scale:
    """Axis limits (on the reporting scale), tick positions, and whether the axis is logarithmic."""

    low: float
    high: float
    ticks: tuple[float, ...]
    log: bool
    null: float


def _target(points: list[float], pooled: list[float], intervals: list[float]) -> float:
    """How far from the null the axis must reach: all estimates and pooled bounds, and every study
    interval unless it reaches beyond twice the larger of what the estimates need and the median bound
    (such an outlier gets an arrow instead of squeezing everyone else)."""
    needed = max([abs(v) for v in points + pooled] or [0.0])
    typical = float(np.median([abs(v) for v in intervals])) if intervals else 0.0
    full = max([abs(v) for v in intervals] or [0.0])
    return max(needed, min(full, 2.0 * max(needed, typical)))


def _finite(values) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def linear_scale(points, pooled, intervals) -> Scale:
    """A symmetric linear scale around 0 (MD, SMD, RD, generic estimates)."""
    target = _target(_finite(points), _finite(pooled), _finite(intervals))
    if target <= 0.0:
        extent = 1.0
    else:
        exponent = math.floor(math.log10(target))
        candidates = [m * 10.0 ** e for e in (exponent - 1, exponent, exponent + 1) for m in _LINEAR_MANTISSAS]
        extent = min(c for c in candidates if c >= target * (1 - 1e-9))
    half = extent / 2.0
    return Scale(-extent, extent, (-extent, -half, 0.0, half, extent), log=False, null=0.0)


def ratio_scale(points, pooled, intervals) -> Scale:
    """A symmetric log scale around 1 (RR, OR, Peto OR); inputs are ratios, non-positive ones are ignored."""

    def logs(values):
        return [math.log10(v) for v in _finite(values) if v > 0.0]

    target = 10.0 ** _target(logs(points), logs(pooled), logs(intervals))
    for entry in _RATIO_TICKS:
        extent, ticks = entry
        if extent >= target * (1 - 1e-9):
            break
    else:
        power = math.ceil(math.log10(target))
        extent = 10.0 ** power
        ticks = tuple(10.0 ** e for e in sorted({-power, -math.ceil(power / 2), 0, math.ceil(power / 2), power}))
    return Scale(1.0 / extent, extent, ticks, log=True, null=1.0)


def tick_label(value: float) -> str:
    """A tick label: ``0.5``, ``−1``, ``0.01``, ``100`` (Unicode minus, no trailing zeros)."""
    return np.format_float_positional(round(value, 10), precision=10, trim="-").replace("-", "\u2212")
