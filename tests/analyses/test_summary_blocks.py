"""The whole text `sysrev meta run` prints, block by block: the status line, the result's label, the target
comparison row by row, the missing cells (cut at --max-missing), the rows left out by reason, notes, files,
the full texts to read and the tally."""

from analyses_helpers import REVIEW_TOML, continuous, make_project

from sysrev.analyses import run_project
from sysrev.analyses.summary import FIELD_NAMES, _consistency_line, _p, format_result, format_summary, format_target
from sysrev.project import load_project

ROWS = [continuous("Alpha 2001", "A", 20, 3.0, 1.0), continuous("Alpha 2001", "B", 22, 4.0, 1.5),
        continuous("Beta 2002", "A", 30, 2.5, 1.2), continuous("Beta 2002", "B", 30, 3.5, 1.4)]


def _run(tmp_path, analyses, rows, studies=None):
    root = make_project(tmp_path / "p", analyses, rows, review=REVIEW_TOML)
    if studies:
        (root / "analysis" / "extraction" / "studies.csv").write_text(studies, encoding="utf-8")
    project = load_project(root)
    return project, run_project(project)


def test_a_partial_analysis_in_full(tmp_path):
    analyses = ('[analyses.pain]\ntitle = "Pain"\noutcome = "pain"\nmeasure = "MD"\n\n[analyses.pain.target]\n'
                'source = "Table 2"\nestimate = "-1.00"\nci = ["-1.50", "-0.50"]\n')
    rows = ROWS + [continuous("Gamma 2003", "A", 20, None, None), continuous("Gamma 2003", "B", 20, 3.0, None),
                   dict(continuous("Delta 2004", "A", 20, 3.0, 1.0), arm="C"),
                   dict(continuous("Delta 2004", "B", 20, 3.0, 1.0), arm="D"),
                   dict(continuous("Epsilon 2005", "A", 20, 3.0, 1.0), arm="C")]
    project, [outcome] = _run(tmp_path, analyses, rows, studies="study,citation\nGamma 2003,Gamma G. J Test 2003\n")
    text = format_summary([outcome], project.root, max_missing=1)
    spec = outcome.spec
    first, *rest = outcome.data.missing
    assert len(rest) == 1  # arm A's mean and SD, then arm B's SD
    assert text == "\n".join([
        "pain: Pain (MD, IV, fixed effect)",
        "  status: PARTIAL — 2 of 3 comparisons complete; 1 study with 3 missing cells",
        f"  target:   {format_target(spec)}  (Table 2)",
        f"  PARTIAL (complete comparisons only, not the reproduction): {format_result(spec, outcome.result)}",
        "  " + _consistency_line(outcome),
        "  missing (enter in the extraction files, then re-run):",
        f"    - {first.describe()}",
        "    … and 1 more (see the results file or --json)",
        "  not in this analysis:",
        "    - arm 'C' is neither group 1 (A) nor group 2 (B): Delta 2004, Epsilon 2005",
        "    - arm 'D' is neither group 1 (A) nor group 2 (B): Delta 2004",
        "  files: analysis/results/pain.json, analysis/results/pain.svg, analysis/results/pain.png",
        "",
        "full texts that hold the missing cells:",
        "  - Gamma 2003: Gamma G. J Test 2003",
        "",
        "1 analysis: 1 partial"])
    every = format_summary([outcome], project.root)
    assert "… and" not in every and all(f"    - {m.describe()}" in every for m in outcome.data.missing)


def test_a_differing_analysis_shows_each_printed_figure_beside_the_computed_one(tmp_path):
    analyses = ('[analyses.pain]\noutcome = "pain"\nmeasure = "MD"\n\n[analyses.pain.target]\nsource = "Fig. 2"\n'
                'estimate = "-1.00"\nci = ["-1.50", "-0.50"]\np = "0.01"\ntau2 = "0.10"\n\n'
                '[analyses.odi]\noutcome = "odi"\nmeasure = "MD"\n')
    rows = ROWS + [continuous("Alpha 2001", "A", 20, 3.0, 1.0, outcome="odi", source="")]
    for row in rows[-1:]:
        row["source_url"] = "https://example.org/alpha"
    project, (pain, odi) = _run(tmp_path, analyses, rows)
    assert pain.status == "differs" and odi.status == "incomplete"
    rows_of = {r["field"]: r for r in pain.comparison}
    text = format_summary([pain, odi], project.root)
    blocks = text.split("\n\n")
    lines = blocks[0].split("\n")
    assert lines[1:3] == ["  status: DIFFERS", f"  target:   {format_target(pain.spec)}  (Fig. 2)"]
    assert lines[3] == f"  computed: {format_result(pain.spec, pain.result)}"
    mark = {True: "ok", False: "DIFFERS"}
    expected = [f"    {FIELD_NAMES[field]:<9} printed {rows_of[field]['printed']:>8}  computed "
                f"{rows_of[field]['computed_rounded'] or 'NA':>8}  {mark[rows_of[field]['agrees']]}"
                for field in ("estimate", "ci_low", "ci_high", "p", "tau2")]
    assert lines[4:9] == expected
    assert "NA" not in lines[4] and "DIFFERS" in "\n".join(lines[4:9])  # a fixed effect has no tau²: NA, differs
    assert lines[8].endswith("computed       NA  DIFFERS")
    assert blocks[1].startswith("odi: odi (MD, IV, fixed effect)\n  status: INCOMPLETE — 0 of 1 comparisons complete; "
                                "1 study with ")
    assert blocks[2] == "full texts that hold the missing cells:\n  - Alpha 2001: https://example.org/alpha"
    assert blocks[3] == "2 analyses: 1 differs, 1 incomplete"


def test_without_citation_or_url_the_full_text_is_still_named(tmp_path):
    rows = [continuous("Alpha 2001", "A", 20, None, 1.0), continuous("Alpha 2001", "B", 20, 3.0, 1.0)]
    project, [outcome] = _run(tmp_path, '[analyses.pain]\noutcome = "pain"\nmeasure = "MD"\n', rows)
    assert format_summary([outcome], project.root).split("\n\n")[1] == (
        "full texts that hold the missing cells:\n  - Alpha 2001: no citation in analysis/extraction/studies.csv")


def test_p_values_below_one_in_a_thousand():
    assert [_p(v) for v in (0.0004, 0.001, 0.0123)] == ["p < 0.001", "p = 0.001", "p = 0.012"]
