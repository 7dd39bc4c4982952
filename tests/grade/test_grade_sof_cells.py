"""The Summary of findings table cell by cell, footnote by footnote, and drawn whole as Markdown and HTML
(sysrev/grade/sof.py), on small made-up bodies of evidence; test_grade_sof.py runs it on the examples."""

from types import SimpleNamespace

import pytest

from sysrev.analyses.spec import AnalysisSpec
from sysrev.grade import sof
from sysrev.grade.absolute import absolute_effect
from sysrev.grade.evidence import Evidence
from sysrev.grade.files import DomainRecord, GradeFile


def _spec(measure, title="Pain", mid=None, **grade):
    return AnalysisSpec(name=title.lower(), title=title, outcome=title.lower(), measure=measure, method="IV",
                        model="random", tau2="REML", ci="wald", smd="hedges", level=95.0, subgroup=None, mid=mid,
                        grade=grade)


def _ev(measure, estimate, ci, **kw):
    return Evidence(spec=kw.pop("spec", None) or _spec(measure), status="complete", estimate=estimate, ci=ci, **kw)


# ---------------------------------------------------------------- cells


def test_cells_of_a_risk_ratio_with_its_absolute_effect():
    ev = _ev("RR", 0.8, (0.64, 1.0), absolute=absolute_effect("RR", 0.2, 0.8, 0.64, 1.0))
    assert sof._cells(ev) == ("200 per 1,000", "160 per 1,000 (128 to 200)",
                              "40 fewer per 1,000 (72 fewer to 0 fewer)", "RR 0.80 (0.64 to 1.00)")


def test_cells_of_an_odds_ratio_and_a_peto_odds_ratio_without_a_comparator_risk():
    assert sof._cells(_ev("OR", 1.5, (1.1, 2.25))) == ("—", "—", "—", "OR 1.50 (1.10 to 2.25)")
    assert sof._cells(_ev("PETO", 0.5, (0.3, 0.8))) == ("—", "—", "—", "Peto OR 0.50 (0.30 to 0.80)")


def test_cells_of_a_risk_difference():
    ev = _ev("RD", -0.05, (-0.08, -0.02), absolute=absolute_effect("RD", 0.3, -0.05, -0.08, -0.02))
    assert sof._cells(ev) == ("300 per 1,000", "250 per 1,000 (220 to 280)",
                              "50 fewer per 1,000 (80 fewer to 20 fewer)", "RD −0.050 (−0.080 to −0.020)")
    assert sof._cells(_ev("RD", -0.05, (-0.08, -0.02))) == ("—", "—", "—", "—")


def test_cells_of_a_mean_difference_in_its_units():
    ev = _ev("MD", -3.49, (-5.03, 1.96), comparator_means=(20.0, 31.25), units="days")
    assert sof._cells(ev) == ("means ranged from 20.0 to 31.2 days",
                              "the mean was 3.49 days lower (5.03 lower to 1.96 higher)",
                              "MD −3.49 days (−5.03 to 1.96)", "—")
    one = _ev("MD", 0.5, (0.1, 0.9), comparator_means=(4.0, 4.0))
    assert sof._cells(one) == ("mean 4.0", "the mean was 0.50 higher (0.10 higher to 0.90 higher)",
                               "MD 0.50 (0.10 to 0.90)", "—")


def test_a_mean_difference_of_exactly_zero_reads_higher():
    ev = _ev("MD", 0.0, (-1.0, 1.0), comparator_means=(4.0, 4.0))
    assert sof._cells(ev)[1] == "the mean was 0.00 higher (1.00 lower to 1.00 higher)"


def test_cells_of_a_standardised_mean_difference_are_in_sd_units():
    ev = _ev("SMD", -0.4, (-0.7, -0.1), comparator_means=(3.0, 60.0), units="points")
    assert sof._cells(ev) == ("—", "the mean was 0.40 SD lower (0.70 lower to 0.10 lower)",
                              "SMD −0.40 (−0.70 to −0.10)", "—")


def test_cells_of_an_outcome_not_pooled_say_why():
    ev = Evidence(spec=_spec("MD"), status="incomplete", problem="nothing pooled yet: 5 cells missing")
    assert sof._cells(ev) == ("—", "—", "—", "not pooled: nothing pooled yet: 5 cells missing")
    assert sof._cells(Evidence(spec=_spec("MD"), status="complete")) == ("—", "—", "—", "not pooled: not estimable")


@pytest.mark.parametrize("x, text", [(-40.2, "40 fewer"), (12.5, "12 more"), (1234.6, "1,235 more"), (0.6, "1 more"),
                                     (-0.4, "0 fewer"), (0.4, "0 fewer"), (0.0, "0 fewer"), (-1500.0, "1,500 fewer")])
def test_signed_counts_per_1000(x, text):
    assert sof._signed_per_1000(x) == text


# ---------------------------------------------------------------- footnotes


def _grade(design="randomised", **domains):
    return GradeFile(analysis="pain", title="Pain", design=design, inputs={},
                     domains={name: DomainRecord(name, **fields) for name, fields in domains.items()})


def test_notes_for_downgrades_upgrades_and_what_is_pending():
    grade = _grade(
        "non-randomised",
        risk_of_bias={"proposed": "serious", "reasons": ["weight at low risk 40%", "half or more elsewhere"]},
        inconsistency={"proposed": "serious", "final": "very serious", "justification": "opposite effects"},
        indirectness={"final": "not serious"},
        imprecision={"proposed": "pending", "pending": ["mid not set", "no SD"]},
        publication_bias={"proposed": "undetected"},
        large_effect={"proposed": "very large", "reasons": ["RR 0.15: a 6.7-fold change"]},
        dose_response={"final": "yes", "justification": "a gradient across doses"},
    )
    assert sof._notes(grade) == [
        "Risk of bias: downgraded 1 level (serious) (proposed by sysrev, not yet confirmed by the team). "
        "Weight at low risk 40%; half or more elsewhere.",
        "Inconsistency: downgraded 2 levels (very serious). Opposite effects.",
        "Imprecision: pending — mid not set; no SD.",
        "Large effect: upgraded 2 levels (very large) (proposed by sysrev, not yet confirmed by the team). "
        "RR 0.15: a 6.7-fold change.",
        "Dose-response gradient: upgraded 1 level (yes). A gradient across doses.",
    ]


def test_a_domain_not_yet_rated_by_the_team_is_a_pending_note():
    assert sof._notes(_grade(indirectness={})) == ["Indirectness: pending — not yet rated by the team."]


def test_a_final_rating_without_a_justification_gives_the_proposals_reasons():
    grade = _grade(risk_of_bias={"proposed": "serious", "final": "serious", "reasons": ["most weight at high risk"]})
    assert sof._notes(grade) == ["Risk of bias: downgraded 1 level (serious). Most weight at high risk."]


def test_footnote_letters_are_shared_and_run_past_z_as_the_lists_do():
    table = sof.SofTable("t", "", "i", "c", [])
    assert [table.letter(n) for n in ("x", "y", "x")] == ["a", "b", "a"]
    letters = [table.letter(str(i)) for i in range(30)]
    assert letters[:2] == ["c", "d"] and letters[23] == "z" and letters[24:26] == ["aa", "ab"]
    assert table.footnotes[:3] == ["x", "y", "0"]
    assert [sof.footnote_label(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["a", "z", "aa", "az", "ba", "zz",
                                                                              "aaa"]
    # the Markdown list letters its notes the same way
    markdown = sof.to_markdown(table)
    assert "\nz. 23  \naa. 24  \n" in markdown


# ---------------------------------------------------------------- the table


def _project(**config):
    return SimpleNamespace(config=config)


def _rated(confirmed=False):
    """Risk of bias serious, the rest not: every rating the team's own when ``confirmed``, else proposals."""
    def final(rating):
        return {"final": rating} if confirmed else {}

    return _grade(risk_of_bias={"proposed": "serious", "reasons": ["half the weight at high risk"], **final("serious")},
                  inconsistency={"proposed": "not serious", **final("not serious")},
                  indirectness={"final": "not serious"},
                  imprecision={"proposed": "not serious", **final("not serious")},
                  publication_bias={"proposed": "undetected", **final("undetected")})


def test_build_table_rows_in_full():
    project = _project(question={"population": "adults with low back pain", "intervention": "ultrasound guidance",
                                 "comparator": "fluoroscopy guidance"}, arms={"group1_label": "Ultrasound"})
    pain = _ev("MD", -1.5, (-2.5, -0.5), spec=_spec("MD", "Pain", mid=1.0, importance="critical"),
               comparator_means=(5.0, 6.0), units="points", participants=1234, studies=3)
    harms = _ev("RR", 1.0, (0.5, 2.0), spec=_spec("RR", "Complications"), participants=60, studies=1,
                absolute=absolute_effect("RR", 0.05, 1.0, 0.5, 2.0))
    table = sof.build_table(project, [pain, harms], {"pain": _rated(confirmed=True), "complications": _rated()})
    assert (table.title, table.population, table.intervention, table.comparator) == (
        "ultrasound guidance compared with fluoroscopy guidance", "adults with low back pain",
        "ultrasound guidance", "fluoroscopy guidance")
    first, second = table.rows
    assert (first.outcome, first.participants, first.certainty_text, first.statement, first.notes) == (
        "Pain (critical)", "1,234 (3 studies)", "⊕⊕⊕◯ MODERATE", "Ultrasound probably reduces pain.", ["a"])
    assert (second.outcome, second.participants, second.certainty_text, second.statement, second.notes) == (
        "Complications", "60 (1 study)", "⊕⊕⊕◯ MODERATE (proposed)",
        "Ultrasound probably results in little or no difference in complications.", ["b"])
    assert table.footnotes == [
        "Risk of bias: downgraded 1 level (serious). Half the weight at high risk.",
        "Risk of bias: downgraded 1 level (serious) (proposed by sysrev, not yet confirmed by the team). Half "
        "the weight at high risk."]


def test_build_table_falls_back_to_the_arm_labels_and_defaults():
    unpooled = Evidence(spec=_spec("MD", "Function"), status="incomplete", problem="5 cells missing")
    table = sof.build_table(_project(arms={"group1": "US", "group2": "FL"}), [unpooled], {"function": _grade()})
    assert (table.title, table.population) == ("US compared with FL", "")
    (row,) = table.rows
    assert (row.participants, row.certainty_text, row.statement) == (
        "—", "pending", "Statement pending: the certainty is not yet rated.")
    bare = sof.build_table(_project(question="not a table", arms=["nor", "this"]), [unpooled],
                           {"function": _grade()})
    assert bare.title == "intervention compared with comparator"


def _small_table():
    pain = _ev("MD", -1.5, (-2.5, -0.5), spec=_spec("MD", "Pain | at 4 weeks", mid=1.0),
               comparator_means=(5.0, 6.0), participants=100, studies=2)
    return sof.build_table(_project(question={"population": "adults <65", "intervention": "US", "comparator": "FL"}),
                           [pain], {"pain | at 4 weeks": _rated(confirmed=True)})


def test_markdown_table_in_full():
    assert sof.to_markdown(_small_table()) == (
        "## Summary of findings: US compared with FL\n\n"
        "**Patient or population:** adults <65  \n**Intervention:** US  \n**Comparison:** FL\n\n"
        "| Outcome | Risk with comparator | Risk with intervention | Difference | Relative effect (95% CI) | № of "
        "participants (studies) | Certainty of the evidence (GRADE) | What happens |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| Pain \\| at 4 weeks | means ranged from 5.0 to 6.0 | the mean was 1.50 lower (2.50 lower to 0.50 lower) | "
        "MD −1.50 (−2.50 to −0.50) | — | 100 (2 studies) | ⊕⊕⊕◯ MODERATE<sup>a</sup> | US probably reduces "
        "pain \\| at 4 weeks. |\n\n"
        "Anticipated absolute effects with their 95% CIs: the risk with the intervention follows from the assumed "
        "comparator risk and the relative effect (and its CI). GRADE certainty: HIGH — very confident the true "
        "effect is close to the estimate; MODERATE — moderately confident; LOW — limited confidence; VERY LOW — "
        "very little confidence.\n\n"
        "a. Risk of bias: downgraded 1 level (serious). Half the weight at high risk.\n")


def test_html_table_in_full_after_its_style():
    page = sof.to_html(_small_table())
    assert page.startswith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
                           "<title>Summary of findings: US compared with FL</title><style>")
    body = page.split("</style></head><body>\n", 1)[1]
    assert body == (
        "<h1>Summary of findings: US compared with FL</h1>\n"
        '<p class="setting"><b>Patient or population:</b> adults &lt;65</p>\n'
        '<p class="setting"><b>Intervention:</b> US</p>\n<p class="setting"><b>Comparison:</b> FL</p>\n'
        '<table><thead><tr><th rowspan="2">Outcome</th><th class="group" colspan="3">Anticipated absolute effects '
        '(95% CI)</th><th rowspan="2">Relative effect<br>(95% CI)</th><th rowspan="2">№ of participants<br>'
        '(studies)</th><th rowspan="2">Certainty of the evidence<br>(GRADE)</th><th rowspan="2">What happens</th>'
        "</tr><tr><th>Risk with comparator</th><th>Risk with intervention</th><th>Difference</th></tr></thead>"
        "<tbody>\n"
        "<tr><td>Pain | at 4 weeks</td><td>means ranged from 5.0 to 6.0</td><td>the mean was 1.50 lower (2.50 "
        "lower to 0.50 lower)</td><td>MD −1.50 (−2.50 to −0.50)</td><td>—</td><td>100 (2 studies)</td>"
        '<td class="certainty"><span>⊕⊕⊕◯ MODERATE</span><sup>a</sup></td><td>US probably reduces pain | at 4 '
        "weeks.</td></tr>\n"
        "</tbody></table>\n"
        '<p class="legend">The risk with the intervention (and its 95% CI) follows from the assumed comparator '
        "risk and the relative effect of the intervention (and its 95% CI). <b>GRADE certainty</b> — High: very "
        "confident that the true effect lies close to the estimate. Moderate: moderately confident; the true "
        "effect is likely close to the estimate but may be substantially different. Low: limited confidence; the "
        "true effect may be substantially different. Very low: very little confidence; the true effect is likely "
        "to be substantially different.</p>\n"
        '<ol class="notes" type="a"><li>Risk of bias: downgraded 1 level (serious). Half the weight at high '
        "risk.</li></ol>\n</body></html>\n")


def test_html_marks_a_pending_certainty_and_leaves_out_empty_parts():
    unpooled = Evidence(spec=_spec("MD", "Function"), status="incomplete", problem="5 cells missing")
    grade = _grade(**{d: {"proposed": "not serious", "final": "not serious"}
                      for d in ("risk_of_bias", "inconsistency", "indirectness", "imprecision")},
                   publication_bias={"proposed": "pending"})
    table = sof.build_table(_project(), [unpooled], {"function": grade})
    page = sof.to_html(table)
    assert '<td class="certainty"><span class="pending">pending</span><sup>a</sup></td>' in page
    assert "Patient or population" not in page
    markdown = sof.to_markdown(table)
    assert "Patient or population" not in markdown and "| pending<sup>a</sup> |" in markdown
    empty = sof.to_html(sof.SofTable("t", "", "i", "c", []))
    assert '<ol class="notes"' not in empty and "<tbody>\n</tbody>" in empty


def test_word_table_in_full():
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT

    from sysrev.grade.sof_docx import to_docx

    doc = Document(io.BytesIO(to_docx(_small_table())))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    texts = [p.text for p in doc.paragraphs]
    assert texts == ["Summary of findings: US compared with FL", "Patient or population: adults <65",
                     "Intervention: US", "Comparison: FL",
                     "a. Risk of bias: downgraded 1 level (serious). Half the weight at high risk."]
    assert [r.bold for r in doc.paragraphs[1].runs] == [True, None]
    (grid,) = doc.tables
    assert [c.text for c in grid.rows[0].cells] == list(sof.HEADERS)
    assert all(run.bold for c in grid.rows[0].cells for run in c.paragraphs[0].runs if run.text)
    assert [c.text for c in grid.rows[1].cells] == [
        "Pain | at 4 weeks", "means ranged from 5.0 to 6.0", "the mean was 1.50 lower (2.50 lower to 0.50 lower)",
        "MD −1.50 (−2.50 to −0.50)", "—", "100 (2 studies)", "⊕⊕⊕◯ MODERATE a",
        "US probably reduces pain | at 4 weeks."]
    superscript = grid.rows[1].cells[6].paragraphs[0].runs[-1]
    assert (superscript.text, superscript.font.superscript) == (" a", True)
    plain = Document(io.BytesIO(to_docx(sof.SofTable("t", "", "i", "", []))))
    assert [p.text for p in plain.paragraphs] == ["Summary of findings: t", "Intervention: i"]
