"""The words and numbers a forest or funnel plot prints, formatted as RevMan 5 prints them.

Kept apart from the drawing so the exact strings (``−0.01 [−0.11, 0.10]``, ``Chi² = 4.33, df = 11
(P = 0.96); I² = 0%``) can be tested without rendering. Negative numbers use the Unicode minus sign, as
matplotlib's tick labels do, so a column of numbers lines up.
"""

import math

import numpy as np

from sysrev.meta.table import MEASURE_NAMES, METHOD_NAMES

MINUS = "\u2212"

#: Measures analysed on the log scale and reported as ratios (the null is 1, the axis is logarithmic).

#: Measures whose per-study columns are events and totals per arm.
DICHOTOMOUS_MEASURES = frozenset({"RR", "OR", "RD", "PETO"})

#: Measures whose per-study columns are mean, SD and total per arm.
CONTINUOUS_MEASURES = frozenset({"MD", "SMD"})


def is_missing(value) -> bool:
    """True for None and NaN: a number the result does not have (e.g. a non-estimable study)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int) -> str:
    """``value`` with ``decimals`` decimals and a Unicode minus sign (``-0.004`` → ``−0.00``, as RevMan)."""
    return f"{value:.{decimals}f}".replace("-", MINUS)


def effect_with_ci(estimate, low, high, decimals: int) -> str:
    """The effect column's text: ``−0.01 [−0.11, 0.10]``, or ``Not estimable`` when there is no estimate."""
    if is_missing(estimate) or is_missing(low) or is_missing(high):
        return "Not estimable"
    return f"{number(estimate, decimals)} [{number(low, decimals)}, {number(high, decimals)}]"


def data_cell(value) -> str:
    """An input cell (n, mean, SD, events, SE) as the reviewer entered it: no trailing zeros, at most 4 decimals."""
    if is_missing(value) or value == "":
        return ""
    if isinstance(value, str):
        return value
    text = np.format_float_positional(float(value), precision=4, trim="-")
    return text.replace("-", MINUS)


def data_column(values) -> list[str]:
    """A column of input cells with one number of decimals (the most any cell needs, at most 4), so
    2.0 next to 1.9 prints as ``2.0`` and the column lines up; missing cells stay empty, text stays text."""
    shown = [data_cell(v) for v in values]
    decimals = max((len(s.partition(".")[2]) for s in shown), default=0)
    return [number(float(v), decimals) if s and not isinstance(v, str) else s for s, v in zip(shown, values)]


def p_value(p) -> str:
    """RevMan's P: ``= 0.91``, ``= 0.003``, ``= 0.0004``, ``< 0.00001`` (one significant digit below 0.01)."""
    if is_missing(p):
        return "= n/a"
    if p < 0.00001:
        return "< 0.00001"
    decimals = 2 if p >= 0.01 else -math.floor(math.log10(p))
    return f"= {p:.{decimals}f}"


def percent(value, decimals: int = 0) -> str:
    """A percentage such as an I² or a weight: ``0%``, ``43%``, ``12.5%``."""
    return f"{value:.{decimals}f}%"


def heterogeneity_line(summary: dict, model: str) -> str:
    """``Heterogeneity: Tau² = …; Chi² = …, df = … (P = …); I² = …%`` for a total or subtotal.

    Tau² is printed for random-effects models only, as RevMan does. I² is RevMan's (Q − df)/Q: the
    engine's ``I2_revman`` when it gives one (it differs from ``I2`` for τ² estimators other than DL),
    otherwise ``I2``. With one study (df = 0) heterogeneity is "Not applicable".
    """
    q, df = summary.get("Q"), summary.get("Q_df")
    if is_missing(q) or is_missing(df) or df < 1:
        return "Heterogeneity: Not applicable"
    i2 = summary.get("I2_revman", summary.get("I2"))
    parts = []
    if model == "random" and not is_missing(summary.get("tau2")):
        parts.append(f"Tau\u00b2 = {number(summary['tau2'], 2)}; ")
    parts.append(f"Chi\u00b2 = {number(q, 2)}, df = {int(df)} (P {p_value(summary.get('Q_p'))})")
    if not is_missing(i2):
        parts.append(f"; I\u00b2 = {percent(i2)}")
    return "Heterogeneity: " + "".join(parts)


def overall_effect_line(summary: dict, *, statistic: str = "Z") -> str:
    """``Test for overall effect: Z = 0.12 (P = 0.91)`` (|Z|, as RevMan prints it); "Not applicable" without one.

    Under HKSJ (``statistic="t"``) the line names the t distribution's k − 1 degrees of freedom, as the
    readable table does: ``t = 2.50, df = 4 (P = 0.07)``.
    """
    z = summary.get("z")
    if is_missing(z):
        return "Test for overall effect: Not applicable"
    df = ""
    if statistic == "t" and not is_missing(summary.get("k")):
        df = f", df = {int(summary['k']) - 1}"
    return f"Test for overall effect: {statistic} = {number(abs(z), 2)}{df} (P {p_value(summary.get('p'))})"


def subgroup_test_line(test: dict) -> str:
    """``Test for subgroup differences: Chi² = …, df = … (P = …), I² = …%`` (I² to one decimal, as RevMan)."""
    q, df = test.get("Q"), test.get("df")
    if is_missing(q) or is_missing(df) or df < 1:
        return "Test for subgroup differences: Not applicable"
    i2 = test.get("I2")
    line = f"Test for subgroup differences: Chi\u00b2 = {number(q, 2)}, df = {int(df)} (P {p_value(test.get('p'))})"
    if not is_missing(i2):
        line += f", I\u00b2 = {percent(i2, 0 if i2 == 0 else 1)}"
    return line


def level_text(level) -> str:
    """A confidence level as printed in "95% CI" (``95``, ``99``, ``97.5``)."""
    level = float(level)
    return f"{level:g}"


def effect_heading(result: dict) -> tuple[str, str]:
    """The two heading lines of the effect column and graph: ``Std. Mean Difference`` / ``IV, Fixed, 95% CI``."""
    measure = result.get("measure")
    name = MEASURE_NAMES.get(measure, str(measure))
    method = METHOD_NAMES.get(result.get("method"), result.get("method") or "IV")
    model = "Random" if result.get("model") == "random" else "Fixed"
    return name, f"{method}, {model}, {level_text(result.get('level', 95))}% CI"
