"""Published targets: pooled figures as a paper prints them, compared at the precision it printed them.

A target value is kept as the *printed text* (``"-0.01"``, ``"0.10"``, ``"<0.001"``, ``"0%"``), because the
number of printed decimals is the precision a reproduction can be held to: ``0.10`` promises two decimals
where TOML's float ``0.1`` would keep one. A computed value *agrees* with a printed one when it lies within
half a unit of the last printed digit (so −0.0061 agrees with "−0.01", and 0.0504 with "0.05"), the same
as "rounds to the printed value" but without arguing over the rounding rule at the exact midpoint.

The consistency check looks at the target alone: a 95% CI printed with its estimate fixes the standard error
(SE = (upper − lower) / (2 · 1.96) on the analysis scale, the log scale for ratios), which implies a p-value
and puts the estimate at the centre of the CI. Every printed number carries its rounding, so each check
carries it too: the implied p is an interval, and the centre test asks whether the rounding intervals overlap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sysrev.meta.inputs import RATIO_MEASURES

TARGET_FIELDS = ("estimate", "ci_low", "ci_high", "p", "I2", "tau2")
_PRINTED = re.compile(r"^\s*(?P<op>[<>]=?|≤|≥)?\s*(?P<num>[-+−]?\d+(?:\.(?P<dec>\d+))?)\s*(?P<pct>%)?\s*$")


@dataclass(frozen=True)
class PrintedValue:
    """A number as printed in a paper: its value, its decimals, and an optional bound (``<0.001``)."""

    text: str
    value: float
    decimals: int
    bound: str | None = None  # "<", "<=", ">", ">=" when printed as a bound

    @classmethod
    def parse(cls, text) -> PrintedValue:
        """Parse printed text; raise ValueError with a reason when it is not a printed number."""
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            raise ValueError(f"expected the number as printed, in quotes (e.g. \"0.10\"), not {text!r}")
        if isinstance(text, float):
            raise ValueError(f"write the number as printed, in quotes (\"{text}\"), so its decimals are kept")
        match = _PRINTED.match(str(text))
        if not match:
            raise ValueError(f"{text!r} is not a printed number (e.g. \"-0.01\", \"0.10\", \"<0.001\", \"0%\")")
        bound = {"≤": "<=", "≥": ">="}.get(match["op"], match["op"])
        value = float(match["num"].replace("−", "-"))
        return cls(text=str(text), value=value, decimals=len(match["dec"] or ""), bound=bound)

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed digit: how far the true value may lie from the printed one."""
        return 0.5 * 10.0 ** (-self.decimals)

    def agrees(self, computed: float | None) -> bool:
        """Whether a computed value is what this printed value says, at its printed precision."""
        if computed is None or not math.isfinite(computed):
            return False
        slack = 1e-9 * max(1.0, abs(self.value))  # floating-point noise at the half-unit boundary
        if self.bound == "<":
            return computed < self.value + slack
        if self.bound == "<=":
            return computed <= self.value + slack
        if self.bound == ">":
            return computed > self.value - slack
        if self.bound == ">=":
            return computed >= self.value - slack
        return abs(computed - self.value) <= self.half_unit + slack

    def rounded(self, computed: float | None) -> str | None:
        """The computed value printed the same way (same decimals), for a side-by-side display."""
        if computed is None or not math.isfinite(computed):
            return None
        return f"{computed:.{self.decimals}f}"

    def interval(self) -> tuple[float, float]:
        """The values this printed number stands for (its rounding interval)."""
        return self.value - self.half_unit, self.value + self.half_unit


@dataclass(frozen=True)
class Target:
    """The published figures of one analysis (any subset of :data:`TARGET_FIELDS`) and where they come from."""

    source: str
    values: dict  # field -> PrintedValue

    def to_dict(self) -> dict:
        out = {"source": self.source}
        out.update({name: pv.text for name, pv in self.values.items()})
        return out


def compare(target: Target, result: dict) -> list[dict]:
    """Each printed field beside the computed one: ``{field, printed, computed, computed_rounded, agrees}``.

    ``result`` is a :meth:`MetaResult.to_dict` object; estimates and CIs are compared on the reporting
    scale (ratios for RR/OR), as papers print them.
    """
    rows = []
    for name, printed in target.values.items():
        computed = result.get(name)
        rows.append({
            "field": name,
            "printed": printed.text,
            "computed": computed,
            "computed_rounded": printed.rounded(computed),
            "agrees": printed.agrees(computed),
        })
    return rows


def _to_analysis_scale(measure: str, low: float, high: float) -> tuple[float, float] | None:
    """Map an interval of printed values to the analysis scale (log for ratios); None if not possible."""
    if measure in RATIO_MEASURES:
        if low <= 0:  # a printed "0.00" stands for (0, 0.005): any tiny positive ratio, never log(0)
            low = min(high, 1e-12)
        if high <= 0:
            return None
        return math.log(low), math.log(high)
    return low, high


def _p_two_sided(z: float) -> float:
    from scipy.stats import norm  # here, not at the top: reading analyses.toml should not load scipy.stats

    return float(2 * norm.sf(abs(z)))


def consistency(target: Target, measure: str, level: float = 95.0) -> dict | None:
    """Check that a target's estimate, CI and p agree with each other (normal approximation).

    Returns None when the target lacks an estimate or a CI; otherwise a dict with the SE implied by the CI,
    the p-value it implies (point value and the range the printed rounding allows), whether the printed p
    lies in that range, the CI's centre on the analysis scale and whether the estimate can sit there, and an
    overall ``consistent`` flag with plain-language ``notes``.
    """
    vals = target.values
    if not all(k in vals for k in ("estimate", "ci_low", "ci_high")):
        return None
    from scipy.stats import norm  # as in _p_two_sided

    z_crit = float(norm.ppf(0.5 + level / 200.0))
    scale = "log" if measure in RATIO_MEASURES else "identity"
    est, lo, hi = vals["estimate"], vals["ci_low"], vals["ci_high"]
    point = _to_analysis_scale(measure, lo.value, hi.value)
    est_iv = _to_analysis_scale(measure, *est.interval())
    lo_iv = _to_analysis_scale(measure, *lo.interval())
    hi_iv = _to_analysis_scale(measure, *hi.interval())
    notes: list[str] = []
    if None in (point, est_iv, lo_iv, hi_iv) or (measure in RATIO_MEASURES and est.value <= 0):
        return {"scale": scale, "consistent": False, "notes": ["a ratio target must be positive"]}

    se = (point[1] - point[0]) / (2 * z_crit)
    se_min = max((hi_iv[0] - lo_iv[1]) / (2 * z_crit), 1e-12)
    se_max = (hi_iv[1] - lo_iv[0]) / (2 * z_crit)
    est_scaled = math.log(est.value) if measure in RATIO_MEASURES else est.value
    abs_min = 0.0 if est_iv[0] <= 0 <= est_iv[1] else min(abs(est_iv[0]), abs(est_iv[1]))
    abs_max = max(abs(est_iv[0]), abs(est_iv[1]))
    p_point = _p_two_sided(est_scaled / se) if se > 0 else None
    p_range = [_p_two_sided(abs_max / se_min), _p_two_sided(abs_min / se_max)]

    centre = (point[0] + point[1]) / 2
    centre_iv = ((lo_iv[0] + hi_iv[0]) / 2, (lo_iv[1] + hi_iv[1]) / 2)
    centred = est_iv[0] <= centre_iv[1] and centre_iv[0] <= est_iv[1]
    if not centred:
        notes.append(f"the estimate is not at the centre of the CI on the {scale} scale "
                     f"(centre {_reporting_scale(centre, measure)}, estimate {est.text}): an asymmetric CI "
                     "suggests a different scale, a t-based interval or a typo")
    result = {
        "scale": scale,
        "se_from_ci": se,
        "se_range": [se_min, se_max],
        "p_implied": p_point,
        "p_implied_range": p_range,
        "ci_centre": _reporting_scale(centre, measure),
        "estimate_at_centre": centred,
    }
    p_ok = None
    if "p" in vals:
        p_lo, p_hi = vals["p"].interval()
        if vals["p"].bound in ("<", "<="):
            p_lo = 0.0
        elif vals["p"].bound in (">", ">="):
            p_hi = 1.0
        p_ok = p_lo <= p_range[1] + 1e-12 and p_range[0] - 1e-12 <= p_hi
        if not p_ok:
            notes.append(f"the printed p = {vals['p'].text} is outside the range the estimate and CI imply "
                         f"({p_range[0]:.3g} to {p_range[1]:.3g})")
    result["p_consistent"] = p_ok
    result["consistent"] = centred and p_ok is not False
    result["notes"] = notes
    return result


def _reporting_scale(value: float, measure: str) -> float:
    """An analysis-scale value back on the reporting scale (exp for ratios)."""
    return math.exp(value) if measure in RATIO_MEASURES else value
