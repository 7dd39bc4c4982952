"""The readable result table of ``sysrev meta pool`` (without ``--json``), laid out like RevMan 5's.

It works from :meth:`MetaResult.to_dict`, so what a reviewer reads is exactly what ``--json`` reports:
per-study arm data, weight and estimate [CI]; per-subgroup subtotal, heterogeneity and overall-effect lines;
the total; and the test for subgroup differences.
"""

from __future__ import annotations

import math

import numpy as np

#: Long names of the effect measures, as RevMan 5 heads the effect column (the table, the plots' titles).
MEASURE_NAMES = {
    "MD": "Mean Difference",
    "SMD": "Std. Mean Difference",
    "RR": "Risk Ratio",
    "OR": "Odds Ratio",
    "RD": "Risk Difference",
    "PETO": "Peto Odds Ratio",
    "GEN": "Estimate",
}
#: Short names of the pooling methods, as in RevMan's "M-H, Fixed, 95% CI".
METHOD_NAMES = {"IV": "IV", "MH": "M-H", "PETO": "Peto"}


def format_p(p) -> str:
    """A P value as RevMan prints it: ``P < 0.00001`` or ``P = 0.003``."""
    if p is None:
        return "P not applicable"
    if p < 0.00001:
        return "P < 0.00001"
    if p >= 0.01:
        return f"P = {p:.2f}"
    if p >= 0.001:
        return f"P = {p:.3f}"
    return f"P = {p:.{-math.floor(math.log10(p))}f}"


def _digits(result) -> int:
    values = [abs(result[k]) for k in ("estimate", "ci_low", "ci_high") if result.get(k) is not None]
    return 4 if values and max(values) < 0.1 else 2


def _interval(est, low, high, digits) -> str:
    if est is None:
        return "Not estimable"
    return f"{est:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def _arm_columns(measure):
    if measure in ("MD", "SMD"):
        return [("mean1", "Mean"), ("sd1", "SD"), ("n1", "Total"), ("mean2", "Mean"), ("sd2", "SD"), ("n2", "Total")]
    if measure == "GEN":
        return [("yi", "Estimate"), ("se", "SE"), ("vi", "Var")]
    return [("events1", "Events"), ("n1", "Total"), ("events2", "Events"), ("n2", "Total")]


def _cell(value, decimals=None) -> str:
    """An input cell as entered (at most 4 decimals); with ``decimals``, a number gets exactly that many.

    Every study of a result has every column the table lists (the input table had them all), so there is
    no missing cell to print."""
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if isinstance(value, int):
        return str(value)
    return np.format_float_positional(value, precision=4, trim="-")


def _column_decimals(studies, key) -> int:
    """The decimals column ``key`` needs: the most any of its cells has (at most 4), so that 2.0 next to 1.9
    prints as ``2.0``, not ``2`` (whole numbers arrive as int), as the forest plot prints the column."""
    return max(len(_cell(s["data"][key]).partition(".")[2]) for s in studies)


def heterogeneity_line(group) -> str:
    """``Heterogeneity: Tau² = …; Chi² = …, df = … (P …); I² = …%`` (which I² is meant is spelled out)."""
    if group["k"] is None or group["k"] < 2:
        return "Heterogeneity: Not applicable"
    parts = []
    if group["tau2"] is not None:
        tau = f"Tau² = {group['tau2']:.4g}"
        if group.get("tau2_ci_low") is not None:
            tau += f" [{group['tau2_ci_low']:.4g}, {group['tau2_ci_high']:.4g}]"
        parts.append(tau)
    parts.append(f"Chi² = {group['Q']:.2f}, df = {group['Q_df']} ({format_p(group['Q_p'])})")
    line = "Heterogeneity: " + "; ".join(parts) + f"; I² = {group['I2_revman']:.0f}%"
    if group["tau2_method"] not in (None, "DL"):
        line += f" (RevMan (Q−df)/Q); I² from τ² (metafor) = {group['I2']:.0f}%"
    return line


def overall_effect_line(group) -> str:
    if group["z"] is None:
        return "Test for overall effect: Not applicable"
    if group["ci"] == "hksj":
        return f"Test for overall effect: t = {abs(group['z']):.2f}, df = {group['k'] - 1} ({format_p(group['p'])})"
    return f"Test for overall effect: Z = {abs(group['z']):.2f} ({format_p(group['p'])})"


def format_table(result: dict, label1: str = "Group 1", label2: str = "Group 2") -> str:
    """The RevMan-style text table of a ``MetaResult.to_dict()`` object."""
    measure = result["measure"]
    level = f"{result['level']:g}%"
    model = "Random" if result["model"] == "random" else "Fixed"
    title = f"{MEASURE_NAMES[measure]} ({METHOD_NAMES[result['method']]}, {model}, {level} CI)"
    if result["ci_method"] == "hksj":
        title += ", Hartung–Knapp–Sidik–Jonkman"
    if result["tau2_method"]:
        title += f", τ² by {result['tau2_method']}"
    digits = _digits(result)
    columns = _arm_columns(measure)
    if measure == "GEN":
        columns = [c for c in columns if any(c[0] in s["data"] for s in result["studies"])]
    names = [s["study"] for s in result["studies"]] + [f"Subtotal ({level} CI)", f"Total ({level} CI)"]
    name_width = max(len(n) for n in names) + 2
    widths = [max(8, len(label) + 1) for _, label in columns]

    def row(name, cells, weight, interval):
        text = f"{name:<{name_width}}" + "".join(f"{c:>{w}}" for c, w in zip(cells, widths))
        return text + f"{weight:>9}   {interval}"

    lines = [title, f"{label1} vs {label2} (effects are {label1} relative to {label2})", ""]
    if measure != "GEN":
        half = len(columns) // 2
        arm_header = f"{label1:^{sum(widths[:half])}}{label2:^{sum(widths[half:])}}"
        lines.append(" " * name_width + arm_header)
    lines.append(row("Study or Subgroup", [label for _, label in columns], "Weight", MEASURE_NAMES[measure]))

    decimals = {key: _column_decimals(result["studies"], key) for key, _ in columns}

    def study_lines(studies, indent):
        for s in studies:
            cells = [_cell(s["data"][key], decimals[key]) for key, _ in columns]
            lines.append(row(indent + s["study"], cells, f"{s['weight']:.1f}%",
                             _interval(s["estimate"], s["ci_low"], s["ci_high"], digits)))

    def total(studies, key):
        return _cell(sum(s["data"][key] for s in studies))

    def summary_lines(label, group, indent, weight, studies):
        # RevMan's subtotal row carries the arm totals, followed by the total events for dichotomous data
        cells = [total(studies, key) if key in ("n1", "n2") else "" for key, _ in columns]
        lines.append(row(indent + label, cells, f"{weight:.1f}%",
                         _interval(group["estimate"], group["ci_low"], group["ci_high"], digits)))
        if "events1" in dict(columns):
            events = [total(studies, key) if key.startswith("events") else "" for key, _ in columns]
            lines.append(row(indent + "Total events", events, "", ""))
        if group.get("pi_low") is not None:
            lines.append(indent + f"Prediction interval: [{group['pi_low']:.{digits}f}, {group['pi_high']:.{digits}f}]")
        lines.append(indent + heterogeneity_line(group))
        lines.append(indent + overall_effect_line(group))

    if result.get("subgroups"):
        for label, group in result["subgroups"].items():
            lines.append(f"{result['subgroup_column']}: {label}")
            members = [s for s in result["studies"] if s["subgroup"] == label]
            study_lines(members, "  ")
            summary_lines(f"Subtotal ({level} CI)", group, "  ", group["weight"], members)
            lines.append("")
    else:
        study_lines(result["studies"], "")
    summary_lines(f"Total ({level} CI)", result, "", 100.0, result["studies"])
    test = result.get("subgroup_test")
    if test:
        lines.append(f"Test for subgroup differences: Chi² = {test['Q']:.2f}, df = {test['df']} "
                     f"({format_p(test['p'])}), I² = {test['I2']:.1f}%")
    elif result.get("subgroups") is not None:
        lines.append("Test for subgroup differences: Not applicable")
    return "\n".join(lines) + "\n"


def format_leave_one_out(result: dict, rows: list[dict]) -> str:
    """One line per omitted study: the pooled estimate [CI] without it, τ² and I²."""
    digits = _digits(result)
    width = max([len("Study omitted")] + [len(r["omitted"]) for r in rows]) + 2
    heading = f"Estimate [{result['level']:g}% CI]"
    lines = ["Leave-one-out (each study omitted in turn)",
             f"{'Study omitted':<{width}}{heading:<30}{'p':>10}{'Tau²':>10}{'I²':>7}"]
    for r in rows:
        tau2 = "" if r["tau2"] is None else f"{r['tau2']:.4g}"
        i2 = "" if r["I2"] is None else f"{r['I2']:.0f}%"
        p = "" if r["p"] is None else f"{r['p']:.3g}"
        lines.append(f"{r['omitted']:<{width}}{_interval(r['estimate'], r['ci_low'], r['ci_high'], digits):<30}"
                     f"{p:>10}{tau2:>10}{i2:>7}")
    return "\n".join(lines) + "\n"


def format_small_study_tests(result: dict, tests: dict) -> str:
    """Egger's and Begg's tests and trim-and-fill, one line each."""
    digits = _digits(result)
    egger, classic, begg, fill = tests["egger"], tests["egger_classic"], tests["begg"], tests["trim_and_fill"]
    egger_df = "" if egger["df"] is None else f", df = {egger['df']}"
    filled = _interval(fill["estimate"], fill["ci_low"], fill["ci_high"], digits)
    return "\n".join([
        f"Small-study effects (k = {tests['k']})",
        f"Egger's regression test ({egger['model']} model, SE as predictor): {egger['test']} = "
        f"{egger['statistic']:.2f}{egger_df} ({format_p(egger['p'])}); classical weighted regression: "
        f"t = {classic['t']:.2f}, df = {classic['df']} ({format_p(classic['p'])})",
        f"Begg's rank correlation test: Kendall's tau = {begg['tau']:.3f} ({format_p(begg['p'])})",
        f"Rosenthal's fail-safe N: {tests['fail_safe_n']['n']} (one-sided alpha = 0.05; "
        f"combined {format_p(tests['fail_safe_n']['p'])})",
        f"Trim-and-fill (L0): {fill['k0']} studies imputed on the {fill['side']}; adjusted estimate {filled}",
    ]) + "\n"
