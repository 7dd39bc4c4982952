"""Status logic (reproduced / differs / partial / incomplete / computed) and assembly of extraction rows."""

import json

import pytest
from analyses_helpers import continuous, dichotomous, make_project

from sysrev.analyses import load_analyses, run_project
from sysrev.analyses.assemble import UNKNOWN_PLACE, assemble
from sysrev.analyses.run import STATUSES, decide_status
from sysrev.analyses.summary import format_summary
from sysrev.extraction.table import load_extraction
from sysrev.project import load_project

SMD_BY_TIME = """
[analyses.pain]
outcome = "pain"
measure = "SMD"
subgroup = "timepoint"
[analyses.pain.subgroups]
"2 weeks" = ["2 weeks"]
"3 months" = ["3 months", "12 weeks"]
"""

# Two complete two-arm comparisons; pooled by hand in test_reproduced_and_differs below.
COMPLETE = [
    continuous("Alpha 2001", "A", 20, 3.0, 1.0, "2 weeks"), continuous("Alpha 2001", "B", 20, 4.0, 1.0, "2 weeks"),
    continuous("Beta 2002", "A", 30, 2.5, 2.0, "12 weeks"), continuous("Beta 2002", "B", 30, 3.0, 2.0, "12 weeks"),
]


def project_with(tmp_path, analyses, rows):
    return load_project(make_project(tmp_path / "p", analyses, rows))


def run_one(tmp_path, analyses, rows):
    project = project_with(tmp_path, analyses, rows)
    (outcome,) = run_project(project, write=False)
    return outcome


def test_computed_without_a_target(tmp_path):
    outcome = run_one(tmp_path, SMD_BY_TIME, COMPLETE)
    assert outcome.status == "computed"
    assert outcome.result["k"] == 2 and set(outcome.result["subgroups"]) == {"2 weeks", "3 months"}
    assert not outcome.data.missing and outcome.comparison == []


def _with_target(estimate, low, high):
    return SMD_BY_TIME + f'[analyses.pain.target]\nsource = "test"\nestimate = "{estimate}"\nci = ["{low}", "{high}"]\n'


def test_reproduced_and_differs(tmp_path):
    first = run_one(tmp_path, SMD_BY_TIME, COMPLETE).result
    printed = [f"{first[k]:.2f}" for k in ("estimate", "ci_low", "ci_high")]
    agreeing = run_one(tmp_path / "a", _with_target(*printed), COMPLETE)
    assert agreeing.status == "reproduced"
    assert all(row["agrees"] for row in agreeing.comparison)
    off = f"{first['estimate'] + 0.02:.2f}"
    differing = run_one(tmp_path / "b", _with_target(off, printed[1], printed[2]), COMPLETE)
    assert differing.status == "differs"
    estimate_row = differing.comparison[0]
    assert estimate_row["field"] == "estimate" and not estimate_row["agrees"]
    assert estimate_row["printed"] == off and estimate_row["computed_rounded"] == printed[0]


def test_partial_pools_complete_rows_only_and_skips_the_target_comparison(tmp_path):
    rows = COMPLETE + [continuous("Gamma 2003", "A", 25, None, None, "2 weeks"),
                       continuous("Gamma 2003", "B", 25, 4.1, None, "2 weeks")]
    outcome = run_one(tmp_path, _with_target("-0.40", "-0.80", "0.00"), rows)
    assert outcome.status == "partial"
    assert outcome.result["k"] == 2
    assert outcome.comparison == []  # a partial pool is never judged as the reproduction
    assert [m.describe() for m in outcome.data.missing] == [
        "Gamma 2003, Table 2, VAS at 2 weeks, A arm: mean, SD",
        "Gamma 2003, Table 2, VAS at 2 weeks, B arm: SD",
    ]
    assert outcome.data.missing_cell_count == 3 and outcome.data.studies_missing == ["Gamma 2003"]


def test_incomplete_when_nothing_can_be_pooled(tmp_path):
    rows = [continuous("Alpha 2001", "A", 20, None, None, "2 weeks", source="abstract"),
            continuous("Alpha 2001", "B", None, None, None, "2 weeks", source="")]
    outcome = run_one(tmp_path, _with_target("0.10", "-0.20", "0.40"), rows)
    assert outcome.status == "incomplete" and outcome.result is None
    assert outcome.data.missing[0].describe() == f"Alpha 2001, {UNKNOWN_PLACE}, VAS at 2 weeks, A arm: mean, SD"
    assert outcome.data.missing[1].cells == ("n", "mean", "SD")
    assert outcome.consistency["consistent"]  # the target is still checked


def test_missing_arm_row_time_point_and_exclusions(tmp_path):
    rows = [
        continuous("Alpha 2001", "A", 20, 3.0, 1.0, "2 weeks"),                 # no B row at all
        continuous("Beta 2002", "A", 20, 3.0, 1.0, ""), continuous("Beta 2002", "B", 20, 3.0, 1.0, ""),
        continuous("Gamma 2003", "A", 20, 3.0, 1.0, "6 months"), continuous("Gamma 2003", "B", 20, 3, 1, "6 months"),
        continuous("Delta 2004", "C", 20, 3.0, 1.0, "2 weeks"),                  # a third arm
        continuous("Other 2005", "A", 20, 3.0, 1.0, "2 weeks", outcome="ODI"),   # another outcome: ignored
    ]
    project = project_with(tmp_path, SMD_BY_TIME, rows)
    (spec,) = load_analyses(project)
    data = assemble(spec, load_extraction(project))
    texts = [m.describe() for m in data.missing]
    assert texts == ["Alpha 2001, Table 2, VAS at 2 weeks, B arm: n, mean, SD",
                     "Beta 2002, Table 2, VAS: time point"]
    assert data.missing[0].line == 2  # the present arm's line locates the gap
    reasons = [e.describe() for e in data.excluded]
    assert "Gamma 2003 (6 months), A arm: time point '6 months' is not in any subgroup of this analysis" in reasons
    assert any(r.startswith("Delta 2004 (2 weeks), C arm: arm 'C' is neither group 1 (A) nor group 2 (B)")
               for r in reasons)
    assert not any("Other" in r for r in reasons)


def test_row_labels_are_unique_within_a_subgroup_and_no_longer_than_needed(tmp_path):
    rows = [continuous("Alpha 2001", arm, 20, 3.0 + (arm == "B"), 1.0, tp)
            for tp in ("12 weeks", "2 weeks", "3 months") for arm in ("A", "B")]
    outcome = run_one(tmp_path, SMD_BY_TIME, rows)
    studies = [(s["study"], s["subgroup"]) for s in outcome.result["studies"]]
    assert studies == [("Alpha 2001", "2 weeks"),                   # subgroup label says it all
                       ("Alpha 2001 (12 weeks)", "3 months"),       # two rows in one subgroup
                       ("Alpha 2001 (3 months)", "3 months")]
    one = run_one(tmp_path / "one", SMD_BY_TIME, rows[:2])
    assert one.result["studies"][0]["study"] == "Alpha 2001 (12 weeks)"  # the trial's own time point shown
    plain = run_one(tmp_path / "plain", '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n', rows[:4])
    assert [s["study"] for s in plain.result["studies"]] == ["Alpha 2001 (12 weeks)", "Alpha 2001 (2 weeks)"]


def test_dichotomous_rows_by_item_and_zero_events(tmp_path):
    analyses = """
[analyses.harm]
outcome = "harm"
measure = "RR"
subgroup = "item"
[analyses.harm.subgroups]
"headache" = ["headache"]
"""
    rows = [dichotomous("Alpha 2001", "A", 0, 50, "headache"), dichotomous("Alpha 2001", "B", 3, 50, "headache"),
            dichotomous("Beta 2002", "A", 2, 40, "headache"), dichotomous("Beta 2002", "B", 4, 40, "headache"),
            dichotomous("Beta 2002", "A", 1, 40, "flushing"), dichotomous("Beta 2002", "B", None, 40, "flushing")]
    outcome = run_one(tmp_path, analyses, rows)
    assert outcome.spec.method == "MH"  # the default for RR
    assert outcome.status == "computed" and outcome.result["k"] == 2
    assert [e.item for e in outcome.data.excluded] == ["flushing", "flushing"]


def test_pooled_sd_replaces_both_arms_sd(tmp_path):
    analyses = '[analyses.md]\noutcome = "pain"\nmeasure = "MD"\npooled_sd = true\n'
    rows = [continuous("Alpha 2001", "A", 10, 5.0, 1.0), continuous("Alpha 2001", "B", 30, 6.0, 3.0)]
    (study,) = run_one(tmp_path, analyses, rows).result["studies"]
    pooled_var = (9 * 1.0 + 29 * 9.0) / 38
    assert study["vi"] == pytest.approx(pooled_var * (1 / 10 + 1 / 30), rel=1e-12)


def test_results_file_is_written_and_stale_plots_removed(tmp_path):
    rows = [continuous("Alpha 2001", "A", 20, None, None, "2 weeks"),
            continuous("Alpha 2001", "B", 20, None, None, "2 weeks")]
    project = project_with(tmp_path, SMD_BY_TIME, rows)
    stale = project.results_dir / "pain.svg"
    stale.parent.mkdir(parents=True)
    stale.write_text("<svg/>")
    (outcome,) = run_project(project)
    saved = json.loads((project.results_dir / "pain.json").read_text())
    assert saved["status"] == "incomplete" and saved["files"] == ["analysis/results/pain.json"]
    assert saved["counts"]["cells_missing"] == 4 and len(saved["missing"]) == 2
    assert not stale.exists()
    before = (project.results_dir / "pain.json").read_bytes()
    run_project(project)
    assert (project.results_dir / "pain.json").read_bytes() == before  # no timestamps: re-runs are stable


def test_decide_status_covers_every_status(tmp_path):
    project = project_with(tmp_path, _with_target("0.10", "-0.20", "0.40"), COMPLETE)
    (spec,) = load_analyses(project)
    full = assemble(spec, load_extraction(project))
    agree, disagree = [{"agrees": True}], [{"agrees": True}, {"agrees": False}]
    seen = {decide_status(spec, full, agree), decide_status(spec, full, disagree)}
    partial = assemble(spec, load_extraction(project))
    partial.missing.append(object())
    seen.add(decide_status(spec, partial, []))
    empty = assemble(spec, [])
    seen.add(decide_status(spec, empty, []))
    untargeted = load_analyses(project_with(tmp_path / "u", SMD_BY_TIME, COMPLETE))[0]
    seen.add(decide_status(untargeted, full, []))
    assert seen == set(STATUSES)


def test_an_outcome_without_rows_is_incomplete_with_a_note(tmp_path):
    outcome = run_one(tmp_path, SMD_BY_TIME.replace('outcome = "pain"', 'outcome = "pian"'), COMPLETE)
    assert outcome.status == "incomplete" and outcome.comparisons_total == 0
    assert outcome.notes == [f"no extraction row has outcome 'pian' (outcomes in the extraction files: pain); "
                             f"check `outcome` in {outcome.spec.path}, line 2"]


def test_full_texts_to_read_name_each_study_once_with_its_citation(tmp_path):
    """The summary ends with the report behind every study with gaps: studies.csv citation, else a URL."""
    rows = COMPLETE + [
        continuous("Gamma 2003", "A", 25, None, None, "2 weeks") | {"source_url": "https://example.org/gamma"},
        continuous("Gamma 2003", "B", 25, None, None, "12 weeks") | {"source_url": "https://example.org/gamma"},
        continuous("Delta 2004", "A", 25, None, None, "2 weeks"), continuous("Delta 2004", "B", 25, 1, 1, "2 weeks"),
    ]
    root = make_project(tmp_path / "p", SMD_BY_TIME, rows)
    (root / "analysis" / "extraction" / "studies.csv").write_text(
        "study,citation\nDelta 2004,\"Delta D, Epsilon E. J Test 2004;1:1-9\"\nAlpha 2001,Alpha A. J Test 2001\n")
    project = load_project(root)
    outcomes = run_project(project, write=False)
    text = format_summary(outcomes, project.root)
    block = text[text.index("full texts that hold the missing cells:"):].splitlines()
    assert block[1:3] == ["  - Delta 2004: Delta D, Epsilon E. J Test 2004;1:1-9",
                          "  - Gamma 2003: https://example.org/gamma"]  # no citation: the rows' URL
    assert "Alpha 2001" not in "\n".join(block)  # complete: nothing to read
    missing = outcomes[0].to_dict(project.root)["missing"]
    assert {(m["study"], m["citation"]) for m in missing} == {("Gamma 2003", None),
                                                              ("Delta 2004", "Delta D, Epsilon E. J Test 2004;1:1-9")}


def test_no_full_texts_block_when_nothing_is_missing(tmp_path):
    project = project_with(tmp_path, SMD_BY_TIME, COMPLETE)
    assert "full texts" not in format_summary(run_project(project, write=False), project.root)


def test_status_line_counts_in_words(tmp_path):
    rows = COMPLETE + [continuous("Gamma 2003", "A", 25, 4.0, None, "2 weeks"),
                       continuous("Gamma 2003", "B", 25, 4.1, 1.0, "2 weeks")]
    project = project_with(tmp_path, SMD_BY_TIME, rows)
    text = format_summary(run_project(project, write=False), project.root)
    assert "status: PARTIAL — 2 of 3 comparisons complete; 1 study with 1 missing cell\n" in text
