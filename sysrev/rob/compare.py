"""Double assessment: two assessors' RoB 2 forms compared field by field, and a consensus form.

What the two agree on is copied into the consensus; every disagreement is left EMPTY in the consensus
with a comment naming both answers, so ``sysrev rob check`` keeps reporting it until a human resolves it.
Nothing is ever chosen silently. Computed domain judgements are compared too, because two different
answer sets can still lead to the same judgement (and the reverse).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sysrev.errors import SysrevError
from sysrev.rob.algorithm import effective_answers
from sysrev.rob.form import Assessment, DomainForm, OverallForm, list_forms, load_assessment, write_form
from sysrev.rob.questions import DOMAIN_KEYS, DOMAINS, NA


@dataclass(frozen=True)
class Difference:
    field: str
    a: str
    b: str


@dataclass
class Comparison:
    """The field-by-field comparison of two forms for the same study and outcome."""

    a: Assessment
    b: Assessment
    differences: list[Difference] = field(default_factory=list)
    answers_compared: int = 0
    answers_agreed: int = 0
    consensus: Assessment | None = None
    comments: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def judgements_agreed(self) -> int:
        return sum(self.a.domain(k) == self.b.domain(k) for k in DOMAIN_KEYS)

    def report_lines(self) -> list[str]:
        name_a, name_b = self.a.assessor or "A", self.b.assessor or "B"
        lines = [f"{self.a.study} × {self.a.outcome}: answers agree {self.answers_agreed}/{self.answers_compared}, "
                 f"domain judgements agree {self.judgements_agreed}/{len(DOMAIN_KEYS)}"]
        for d in self.differences:
            lines.append(f"  {d.field}: {name_a}={d.a or '(empty)'}  {name_b}={d.b or '(empty)'}")
        return lines


def _label(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _merge_text(a: str, b: str, name_a: str, name_b: str) -> str:
    if a == b or not b:
        return a
    if not a:
        return b
    return f"[{name_a}] {a} | [{name_b}] {b}"


def compare_assessments(a: Assessment, b: Assessment) -> Comparison:
    """Compare two forms; build the consensus form (agreed fields copied, disagreements left empty)."""
    if (a.study, a.outcome) != (b.study, b.outcome):
        raise SysrevError(f"{a.path} is about {a.study!r} × {a.outcome!r} but {b.path} is about "
                          f"{b.study!r} × {b.outcome!r}; compare forms of the same study and outcome")
    name_a, name_b = a.assessor or "A", b.assessor or "B"
    result = Comparison(a, b)
    consensus = Assessment(study=a.study, outcome=a.outcome,
                           assessor=f"consensus of {name_a} and {name_b}",
                           result=_merge_text(a.result, b.result, name_a, name_b),
                           sources=sorted(set(a.sources) | set(b.sources)))

    def differ(field_name, va, vb, where):
        """Record a difference, and the comment the consensus form carries above ``where``: a question's
        own line names just the two answers; the domain (or overall) header names each field that differs."""
        result.differences.append(Difference(field_name, _label(va), _label(vb)))
        values = f"{name_a}={_label(va) or '(empty)'}, {name_b}={_label(vb) or '(empty)'}"
        if where[1] != "judgement":
            result.comments[where] = f"DISAGREEMENT: {values}; resolve and fill in"
            return
        what = field_name.split(".", 1)[1] if "." in field_name else "judgement"
        earlier = result.comments.get(where)
        text = f"{what}: {values}"
        result.comments[where] = f"{earlier}; {text}" if earlier else f"DISAGREEMENT on {text}"

    for domain in DOMAINS:
        fa, fb = a.domains[domain.key], b.domains[domain.key]
        ea, eb = effective_answers(domain.key, fa.answers), effective_answers(domain.key, fb.answers)
        merged = DomainForm(domain.key)
        for question in domain.questions:
            va, vb = ea[question.id], eb[question.id]
            if va == NA and vb == NA:
                merged.answers[question.id] = (NA if NA in (fa.answers.get(question.id), fb.answers.get(question.id))
                                               else "")
            else:
                result.answers_compared += 1
                if va == vb and va is not None:
                    result.answers_agreed += 1
                    merged.answers[question.id] = va
                else:
                    merged.answers[question.id] = ""
                    differ(f"{domain.key}.answers.{question.id}", fa.answers.get(question.id, ""),
                           fb.answers.get(question.id, ""), (domain.key, question.id))
            merged.support[question.id] = _merge_text(fa.support.get(question.id, ""),
                                                      fb.support.get(question.id, ""), name_a, name_b)
        if fa.override == fb.override:
            merged.override = fa.override
            merged.justification = _merge_text(fa.justification, fb.justification, name_a, name_b)
        else:
            differ(f"{domain.key}.override", fa.override, fb.override, (domain.key, "judgement"))
        if fa.direction == fb.direction:
            merged.direction = fa.direction
        else:
            differ(f"{domain.key}.direction", fa.direction, fb.direction, (domain.key, "judgement"))
        ja, jb = a.domain(domain.key), b.domain(domain.key)
        if ja != jb and fa.override == fb.override:  # a differing override is already reported
            differ(f"{domain.key} judgement", ja, jb, (domain.key, "judgement"))
        consensus.domains[domain.key] = merged
    oa, ob = a.overall, b.overall
    merged_overall = OverallForm()
    if oa.several_concerns_high == ob.several_concerns_high:
        merged_overall.several_concerns_high = oa.several_concerns_high
    else:
        differ("overall.several_concerns_high", oa.several_concerns_high, ob.several_concerns_high,
               ("overall", "judgement"))
    if oa.override == ob.override:
        merged_overall.override = oa.override
        merged_overall.justification = _merge_text(oa.justification, ob.justification, name_a, name_b)
    else:
        differ("overall.override", oa.override, ob.override, ("overall", "judgement"))
    if oa.direction == ob.direction:
        merged_overall.direction = oa.direction
    else:
        differ("overall.direction", oa.direction, ob.direction, ("overall", "judgement"))
    ja, jb = a.overall_final(), b.overall_final()
    if ja != jb and oa.override == ob.override:
        differ("overall judgement", ja, jb, ("overall", "judgement"))
    consensus.overall = merged_overall
    result.consensus = consensus
    return result


def compare_paths(a, b, out=None) -> tuple[list[Comparison], list[str]]:
    """Compare two form files, or two folders of forms paired by file name.

    Writes the consensus form (file) or forms (folder) to ``out`` when given. Returns the comparisons and a
    list of notes about forms present on one side only.
    """
    a, b = Path(a), Path(b)
    if a.is_dir() != b.is_dir():
        raise SysrevError(f"compare two files or two folders, not a file and a folder ({a}, {b})")
    notes: list[str] = []
    if a.is_dir():
        names_a = {p.name: p for p in list_forms(a)}
        names_b = {p.name: p for p in list_forms(b)}
        if not names_a and not names_b:
            raise SysrevError(f"no RoB 2 forms (*--*.toml) in {a} or {b}")
        for name in sorted(set(names_a) ^ set(names_b)):
            side = a if name in names_a else b
            notes.append(f"{name}: only in {side}")
        pairs = [(names_a[n], names_b[n]) for n in sorted(set(names_a) & set(names_b))]
    else:
        pairs = [(a, b)]
    comparisons = [compare_assessments(load_assessment(pa), load_assessment(pb)) for pa, pb in pairs]
    if out is not None:
        out = Path(out)
        for comparison, (pa, _) in zip(comparisons, pairs):
            target = out / pa.name if (a.is_dir() or out.is_dir()) else out
            write_form(target, comparison.consensus, comparison.comments)
    return comparisons, notes
