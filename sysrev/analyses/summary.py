"""The human-readable summary `sysrev meta run` prints: one block per analysis, status first."""

from __future__ import annotations

from pathlib import Path

from sysrev.analyses.assemble import relative_path
from sysrev.analyses.run import AnalysisOutcome
from sysrev.analyses.spec import AnalysisSpec
from sysrev.meta.inputs import RATIO_MEASURES
from sysrev.wording import counted

FIELD_NAMES = {"estimate": "estimate", "ci_low": "CI lower", "ci_high": "CI upper", "p": "p", "I2": "I²",
               "tau2": "tau²"}


def _settings(spec: AnalysisSpec) -> str:
    model = "fixed effect" if spec.model == "fixed" else f"random effects ({spec.tau2})"
    parts = [spec.measure, spec.method, model]
    if spec.subgroup:
        parts.append(f"subgroups by {'time point' if spec.subgroup == 'timepoint' else 'item'}")
    return ", ".join(parts)


def _num(value, digits: int = 2) -> str:
    return "NA" if value is None else f"{value:.{digits}f}"


def _p(value) -> str:
    """``p = 0.042`` or ``p < 0.001``, as journals print it."""
    if value is None:
        return "p = NA"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def format_result(spec: AnalysisSpec, result: dict) -> str:
    """``SMD -0.01 [-0.11, 0.10], p = 0.910, I² = 0%, k = 15`` from a MetaResult dict."""
    return (f"{spec.measure} {_num(result.get('estimate'))} [{_num(result.get('ci_low'))}, "
            f"{_num(result.get('ci_high'))}], {_p(result.get('p'))}, I² = {_num(result.get('I2'), 0)}%, "
            f"k = {result.get('k')}")


def format_target(spec: AnalysisSpec) -> str:
    values = spec.target.values
    text = spec.measure
    if "estimate" in values:
        text += f" {values['estimate'].text}"
    if "ci_low" in values:
        text += f" [{values['ci_low'].text}, {values['ci_high'].text}]"
    if "p" in values:
        text += f", p = {values['p'].text}"
    if "I2" in values:
        i2 = values["I2"].text
        text += f", I² = {i2}{'' if i2.endswith('%') else '%'}"
    if "tau2" in values:
        text += f", tau² = {values['tau2'].text}"
    return text


def _consistency_line(outcome: AnalysisOutcome) -> str:
    check = outcome.consistency
    if check is None:
        return "target consistency: not checked (the target needs an estimate and a CI)"
    if "se_from_ci" not in check:
        return f"target consistency: PROBLEM — {'; '.join(check['notes'])}"
    scale = "log scale" if outcome.spec.measure in RATIO_MEASURES else "analysis scale"
    lo, hi = check["p_implied_range"]
    text = (f"target consistency: SE from CI {check['se_from_ci']:.3g} ({scale}); implied p {check['p_implied']:.2g} "
            f"(the printed rounding allows {lo:.2g} to {hi:.2g})")
    if check["p_consistent"] is not None:
        text += f", printed p {'fits' if check['p_consistent'] else 'does NOT fit'}"
    text += f"; estimate {'at' if check['estimate_at_centre'] else 'NOT at'} the CI centre"
    text += " — consistent" if check["consistent"] else " — INCONSISTENT: " + "; ".join(check["notes"])
    return text


def format_outcome(outcome: AnalysisOutcome, root: Path | None = None, max_missing: int | None = None) -> str:
    """The block printed for one analysis."""
    spec, data = outcome.spec, outcome.data
    lines = [f"{spec.name}: {spec.title} ({_settings(spec)})"]
    total, done = outcome.comparisons_total, len(data.complete)
    status = outcome.status.upper()
    if outcome.status in ("incomplete", "partial"):
        lines.append(f"  status: {status} — {done} of {total} comparisons complete; "
                     f"{counted(len(data.studies_missing), 'study', 'studies')} with "
                     f"{counted(data.missing_cell_count, 'missing cell')}")
    else:
        lines.append(f"  status: {status}")
    if spec.target:
        lines.append(f"  target:   {format_target(spec)}  ({spec.target.source})")
    if outcome.result is not None:
        label = ("computed" if outcome.status != "partial"
                 else "PARTIAL (complete comparisons only, not the reproduction)")
        lines.append(f"  {label}: {format_result(spec, outcome.result)}")
    if outcome.status == "differs":
        for row in outcome.comparison:
            mark = "ok" if row["agrees"] else "DIFFERS"
            lines.append(f"    {FIELD_NAMES[row['field']]:<9} printed {row['printed']:>8}  computed "
                         f"{row['computed_rounded'] or 'NA':>8}  {mark}")
    if spec.target:
        lines.append("  " + _consistency_line(outcome))
    if data.missing:
        lines.append("  missing (enter in the extraction files, then re-run):")
        shown = data.missing if max_missing is None else data.missing[:max_missing]
        lines.extend(f"    - {m.describe()}" for m in shown)
        if len(shown) < len(data.missing):
            lines.append(f"    … and {len(data.missing) - len(shown)} more (see the results file or --json)")
    if data.excluded:
        reasons = {}
        for row in data.excluded:
            reasons.setdefault(row.reason, []).append(row.study)
        lines.append("  not in this analysis:")
        for reason, studies in reasons.items():
            lines.append(f"    - {reason}: {', '.join(dict.fromkeys(studies))}")
    lines.extend(f"  note: {note}" for note in outcome.notes)
    if outcome.files:
        lines.append(f"  files: {', '.join(relative_path(p, root) for p in outcome.files)}")
    return "\n".join(lines)


def format_full_texts(outcomes: list[AnalysisOutcome]) -> str | None:
    """Each study with missing cells once, with the report that holds them (studies.csv citation, else a URL)."""
    where: dict[str, str] = {}
    for outcome in outcomes:
        for missing in outcome.data.missing:
            if missing.study not in where:
                where[missing.study] = (outcome.citations.get(missing.study) or missing.source_url
                                        or "no citation in analysis/extraction/studies.csv")
    if not where:
        return None
    lines = ["full texts that hold the missing cells:"]
    lines.extend(f"  - {study}: {where[study]}" for study in sorted(where))
    return "\n".join(lines)


def format_summary(outcomes: list[AnalysisOutcome], root: Path | None = None, max_missing: int | None = None) -> str:
    """All analyses' blocks, the full texts still to read, and a one-line tally of the statuses."""
    blocks = [format_outcome(o, root, max_missing) for o in outcomes]
    full_texts = format_full_texts(outcomes)
    if full_texts:
        blocks.append(full_texts)
    tally = {}
    for o in outcomes:
        tally[o.status] = tally.get(o.status, 0) + 1
    statuses = ", ".join(f"{n} {s}" for s, n in tally.items())
    blocks.append(f"{counted(len(outcomes), 'analysis', 'analyses')}: {statuses}")
    return "\n\n".join(blocks)
