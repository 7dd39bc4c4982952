"""The Summary of findings table (Cochrane / GRADEpro layout) as rows, Markdown and HTML.

Columns, as in the Cochrane Handbook chapter 14 (Schünemann et al.) and GRADEpro GDT's SoF table:
outcome; anticipated absolute effects (95% CI) — risk with the comparator, risk with the intervention, the
difference; relative effect (95% CI); № of participants (studies); certainty of the evidence (GRADE); the
informative statement (Santesso et al. 2020). Every downgrade and upgrade carries a footnote with its reason:
the team's justification where it gave one, else the reasons of sysrev's proposal. Continuous outcomes show
the mean difference on the outcome's own scale (MD) and, where the studies used different scales, the SMD.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from sysrev.grade.certainty import Certainty, certainty, effect_size, statement
from sysrev.grade.evidence import Evidence
from sysrev.grade.files import TITLES, GradeFile, domains_for

RATIO_NAMES = {"RR": "RR", "OR": "OR", "PETO": "Peto OR"}


@dataclass
class SofRow:
    """One outcome of the table, every cell as text, and the footnote letters it cites."""

    outcome: str
    comparator: str
    intervention: str
    difference: str
    relative: str
    participants: str
    certainty: Certainty
    certainty_text: str
    statement: str
    notes: list[str] = field(default_factory=list)   # footnote texts, lettered when the table is drawn


@dataclass
class SofTable:
    title: str
    population: str
    intervention: str
    comparator: str
    rows: list[SofRow]
    footnotes: list[str] = field(default_factory=list)

    def letter(self, text: str) -> str:
        """The footnote letter of ``text`` (a, b, …), adding it to the table's footnotes if new."""
        if text not in self.footnotes:
            self.footnotes.append(text)
        return footnote_label(self.footnotes.index(text))


def footnote_label(index: int) -> str:
    """The letter of the footnote at ``index``: a … z, then aa, ab, … (as an HTML list of type "a" numbers
    them), so the row's superscript and the footnote list agree however many notes there are."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("a") + rest) + label
    return label


def _f(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace("-", "−")


def _count(x: float) -> str:
    return f"{round(x):,}"


def _signed_per_1000(x: float) -> str:
    n = round(abs(x))
    return f"{n:,} fewer" if x < 0 and n else f"{n:,} more" if n else "0 fewer"


def _direction(x: float) -> str:
    return "lower" if x < 0 else "higher"


def _cells(ev: Evidence) -> tuple[str, str, str, str]:
    """(comparator, intervention, difference, relative) for one outcome."""
    spec = ev.spec
    if ev.estimate is None:
        why = ev.problem or "not estimable"
        return "—", "—", "—", f"not pooled: {why}"
    low, high = ev.ci
    if spec.measure in RATIO_NAMES:
        relative = f"{RATIO_NAMES[spec.measure]} {_f(ev.estimate)} ({_f(low)} to {_f(high)})"
    else:
        relative = "—"
    if ev.absolute is not None:
        a = ev.absolute
        comparator = f"{_count(a.control_per_1000)} per 1,000"
        intervention = (f"{_count(a.intervention_per_1000)} per 1,000 "
                        f"({_count(a.intervention_low)} to {_count(a.intervention_high)})")
        difference = (f"{_signed_per_1000(a.difference)} per 1,000 "
                      f"({_signed_per_1000(a.difference_low)} to {_signed_per_1000(a.difference_high)})")
        if spec.measure == "RD":
            relative = f"RD {_f(ev.estimate, 3)} ({_f(low, 3)} to {_f(high, 3)})"
        return comparator, intervention, difference, relative
    if spec.is_continuous:
        units = f" {ev.units}" if ev.units and spec.measure == "MD" else ""
        lo_mean, hi_mean = ev.comparator_means
        comparator = ("—" if spec.measure == "SMD" else  # means on different scales: no common range
                      f"mean {_f(lo_mean, 1)}{units}" if lo_mean == hi_mean else
                      f"means ranged from {_f(lo_mean, 1)} to {_f(hi_mean, 1)}{units}")
        name = "MD" if spec.measure == "MD" else "SMD"
        intervention = (f"the mean was {_f(abs(ev.estimate))}{units if name == 'MD' else ' SD'} "
                        f"{_direction(ev.estimate)} ({_f(abs(low))} {_direction(low)} to {_f(abs(high))} "
                        f"{_direction(high)})")
        return comparator, intervention, f"{name} {_f(ev.estimate)}{units} ({_f(low)} to {_f(high)})", "—"
    return "—", "—", "—", relative


def _notes(grade: GradeFile) -> list[str]:
    """A footnote for each domain that changes the certainty, and one for each pending input."""
    notes = []
    for domain in domains_for(grade.design):
        record = grade.domains.get(domain)
        if record is None:
            continue
        levels = record.levels
        title = TITLES[domain]
        if levels is None and domain in ("dose_response", "confounding"):
            continue  # not rating up is the default (sysrev.grade.certainty)
        if levels is None:
            missing = "; ".join(record.pending) or "not yet rated by the team"
            notes.append(f"{title}: pending — {missing}.")
            continue
        if levels == 0:
            continue
        why = record.justification if record.final and record.justification else "; ".join(record.reasons)
        why = why[:1].upper() + why[1:]
        kind = "downgraded" if levels < 0 else "upgraded"
        rating = record.rating
        whose = "" if record.final else " (proposed by sysrev, not yet confirmed by the team)"
        notes.append(f"{title}: {kind} {abs(levels)} level{'s' if abs(levels) > 1 else ''} ({rating}){whose}. "
                     f"{why}.")
    return notes


def build_table(project, evidence: list[Evidence], grades: dict[str, GradeFile]) -> SofTable:
    """The table for the given analyses (in analyses.toml order)."""
    question = project.config.get("question", {}) if isinstance(project.config.get("question"), dict) else {}
    arms = project.config.get("arms", {}) if isinstance(project.config.get("arms"), dict) else {}
    intervention = question.get("intervention") or arms.get("group1_label") or arms.get("group1") or "intervention"
    comparator = question.get("comparator") or arms.get("group2_label") or arms.get("group2") or "comparator"
    population = question.get("population", "")
    short = arms.get("group1_label") or arms.get("group1") or intervention
    table = SofTable(title=f"{intervention} compared with {comparator}", population=population,
                     intervention=intervention, comparator=comparator, rows=[])
    for ev in evidence:
        grade = grades[ev.name]
        cert = certainty(grade)
        comparator_cell, intervention_cell, difference, relative = _cells(ev)
        participants = f"{ev.participants:,} ({ev.studies} {'study' if ev.studies == 1 else 'studies'})" \
            if ev.studies else "—"
        size = effect_size(ev.spec.measure, ev.estimate, ev.spec.mid) if ev.estimate is not None else None
        text = cert.label + ("" if cert.confirmed or cert.level is None else " (proposed)")
        importance = ev.spec.grade.get("importance")
        outcome = ev.spec.title + (f" ({importance})" if importance else "")
        row = SofRow(outcome=outcome, comparator=comparator_cell, intervention=intervention_cell,
                     difference=difference, relative=relative, participants=participants, certainty=cert,
                     certainty_text=text, statement=statement(cert.level, size, short, ev.spec.title.lower()))
        notes = _notes(grade) + [f"Flag — {flag}." for flag in grade.flags()]
        row.notes = sorted(table.letter(note) for note in notes)
        table.rows.append(row)
    return table


HEADERS = ("Outcome", "Risk with comparator", "Risk with intervention", "Difference",
           "Relative effect (95% CI)", "№ of participants (studies)", "Certainty of the evidence (GRADE)",
           "What happens")


def _row_cells(row: SofRow) -> list[str]:
    sup = ",".join(row.notes)
    certainty_cell = row.certainty_text + (f"<sup>{sup}</sup>" if sup else "")
    return [row.outcome, row.comparator, row.intervention, row.difference, row.relative, row.participants,
            certainty_cell, row.statement]


def to_markdown(table: SofTable) -> str:
    """A GitHub-flavoured Markdown table with its title, setting and footnotes."""
    out = [f"## Summary of findings: {table.title}", ""]
    if table.population:
        out.append(f"**Patient or population:** {table.population}  ")
    out += [f"**Intervention:** {table.intervention}  ", f"**Comparison:** {table.comparator}", ""]
    out.append("| " + " | ".join(HEADERS) + " |")
    out.append("|" + "---|" * len(HEADERS))
    for row in table.rows:
        cells = [c.replace("|", "\\|") for c in _row_cells(row)]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("Anticipated absolute effects with their 95% CIs: the risk with the intervention follows from "
               "the assumed comparator risk and the relative effect (and its CI). GRADE certainty: HIGH — very "
               "confident the true effect is close to the estimate; MODERATE — moderately confident; LOW — "
               "limited confidence; VERY LOW — very little confidence.")
    out.append("")
    for i, note in enumerate(table.footnotes):
        out.append(f"{footnote_label(i)}. {note}  ")
    return "\n".join(out).rstrip() + "\n"


CSS = """
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 13px; margin: 24px; color: #111; }
h1 { font-size: 18px; margin-bottom: 4px; }
p.setting { margin: 2px 0; }
table { border-collapse: collapse; width: 100%; margin-top: 12px; }
th, td { border: 1px solid #9aa5b1; padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: #dfe8f1; }
th.group { text-align: center; }
td.certainty { white-space: nowrap; }
td.certainty .pending { color: #8a5a00; }
sup { color: #1f4e79; }
ol.notes { font-size: 12px; padding-left: 20px; }
p.legend { font-size: 12px; color: #333; }
"""


def to_html(table: SofTable) -> str:
    """A standalone HTML page with the table in the Cochrane/GRADEpro layout."""
    e = html.escape
    parts = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>Summary of findings: {e(table.title)}</title><style>{CSS}</style></head><body>",
             f"<h1>Summary of findings: {e(table.title)}</h1>"]
    if table.population:
        parts.append(f"<p class=\"setting\"><b>Patient or population:</b> {e(table.population)}</p>")
    parts.append(f"<p class=\"setting\"><b>Intervention:</b> {e(table.intervention)}</p>")
    parts.append(f"<p class=\"setting\"><b>Comparison:</b> {e(table.comparator)}</p>")
    parts.append("<table><thead><tr><th rowspan=\"2\">Outcome</th>"
                 "<th class=\"group\" colspan=\"3\">Anticipated absolute effects (95% CI)</th>"
                 "<th rowspan=\"2\">Relative effect<br>(95% CI)</th><th rowspan=\"2\">№ of participants<br>"
                 "(studies)</th><th rowspan=\"2\">Certainty of the evidence<br>(GRADE)</th>"
                 "<th rowspan=\"2\">What happens</th></tr>"
                 "<tr><th>Risk with comparator</th><th>Risk with intervention</th><th>Difference</th></tr>"
                 "</thead><tbody>")
    for row in table.rows:
        sup = f"<sup>{','.join(row.notes)}</sup>" if row.notes else ""
        cls = " class=\"pending\"" if row.certainty.level is None else ""
        parts.append(
            f"<tr><td>{e(row.outcome)}</td><td>{e(row.comparator)}</td><td>{e(row.intervention)}</td>"
            f"<td>{e(row.difference)}</td><td>{e(row.relative)}</td><td>{e(row.participants)}</td>"
            f"<td class=\"certainty\"><span{cls}>{e(row.certainty_text)}</span>{sup}</td>"
            f"<td>{e(row.statement)}</td></tr>")
    parts.append("</tbody></table>")
    parts.append("<p class=\"legend\">The risk with the intervention (and its 95% CI) follows from the assumed "
                 "comparator risk and the relative effect of the intervention (and its 95% CI). "
                 "<b>GRADE certainty</b> — High: very confident that the true effect lies close to the "
                 "estimate. Moderate: moderately confident; the true effect is likely close to the estimate "
                 "but may be substantially different. Low: limited confidence; the true effect may be "
                 "substantially different. Very low: very little confidence; the true effect is likely to be "
                 "substantially different.</p>")
    if table.footnotes:
        parts.append("<ol class=\"notes\" type=\"a\">" + "".join(f"<li>{e(n)}</li>" for n in table.footnotes)
                     + "</ol>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
