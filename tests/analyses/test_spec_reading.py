"""analysis/analyses.toml read into AnalysisSpec: every default and every setting as written, and each
problem the schema cannot see (ranges, blank strings, keys that must agree) refused in full at its line."""

import pytest
from analyses_helpers import REVIEW_TOML, make_project

from sysrev.analyses.spec import AnalysisSpec, load_analyses
from sysrev.analyses.targets import PrintedValue, Target
from sysrev.errors import InputError
from sysrev.project import load_project

MINIMAL = '[analyses.pain]\noutcome = " pain "\nmeasure = "SMD"\n'
LABELLED_ARMS = REVIEW_TOML.replace('group2 = "B"', 'group2 = "B"\ngroup1_label = "Ultrasound"\n'
                                    'group2_label = "Fluoroscopy"')


def read(tmp_path, text, review=REVIEW_TOML):
    return load_analyses(load_project(make_project(tmp_path / "p", text, [], review=review)))


def error_of(project) -> str:
    """The error loading ``project``'s analyses raises."""
    with pytest.raises(InputError) as info:
        load_analyses(project)
    return str(info.value)


def refusal(tmp_path, text):
    project = load_project(make_project(tmp_path / "p", text, []))
    return error_of(project).replace(str(project.analyses_path), "analyses.toml")


def test_a_minimal_analysis_gets_every_default(tmp_path):
    [spec] = read(tmp_path, MINIMAL)
    assert spec == AnalysisSpec(
        name="pain", title="pain", outcome="pain", measure="SMD", method="IV", model="fixed", tau2="DL", ci="z",
        smd="revman", level=95.0, subgroup=None, subgroups={}, group1="A", group2="B", group1_label="A",
        group2_label="B", direction="lower is better", pooled_sd=False, target=None, note="", mid=None, grade={},
        path=tmp_path / "p" / "analysis" / "analyses.toml", line=1)
    assert isinstance(spec.level, float)


@pytest.mark.parametrize("measure, method", [("MD", "IV"), ("RR", "MH"), ("OR", "MH"), ("RD", "MH"),
                                             ("PETO", "PETO")])
def test_the_default_method_follows_the_measure(tmp_path, measure, method):
    [spec] = read(tmp_path, MINIMAL.replace('"SMD"', f'"{measure}"'))
    assert spec.method == method


def test_every_setting_is_read_as_written(tmp_path):
    text = """# the review's first analysis
[analyses.ttp-2]
title = "Time to pain relief"
outcome = "pain"
measure = "MD"
method = "IV"
model = "random"
tau2 = "REML"
ci = "hksj"
smd = "exact"
level = 90
subgroup = "item"
direction = "higher is better"
group1 = "B"
group2 = "A"
pooled_sd = true
note = "SDs imputed for one trial"
mid = -1.5

[analyses.ttp-2.subgroups]
"rest" = "at rest"
"moving" = ["on movement", "walking"]

[analyses.ttp-2.target]
source = " Table 3 "
estimate = "-0.50"
ci = ["-0.90", "-0.10"]

[analyses.ttp-2.grade]
design = "non-randomised"
ois_power = 0.8
"""
    [spec] = read(tmp_path, text, review=LABELLED_ARMS)
    assert spec == AnalysisSpec(
        name="ttp-2", title="Time to pain relief", outcome="pain", measure="MD", method="IV", model="random",
        tau2="REML", ci="hksj", smd="exact", level=90.0, subgroup="item",
        subgroups={"rest": ("at rest",), "moving": ("on movement", "walking")},
        # the arms swapped: each keeps its own display label
        group1="B", group2="A", group1_label="B", group2_label="A",
        direction="higher is better", pooled_sd=True,
        target=Target(source="Table 3", values={"estimate": PrintedValue.parse("-0.50"),
                                                "ci_low": PrintedValue.parse("-0.90"),
                                                "ci_high": PrintedValue.parse("-0.10")}),
        note="SDs imputed for one trial", mid=-1.5, grade={"design": "non-randomised", "ois_power": 0.8},
        path=tmp_path / "p" / "analysis" / "analyses.toml", line=2)
    assert list(spec.subgroups) == ["rest", "moving"]  # display order as written
    assert spec.subgroup_of("walking") == "moving" and spec.subgroup_of("jogging") is None


def test_arms_labels_come_from_review_toml_unless_the_analysis_names_other_arms(tmp_path):
    text = MINIMAL + '\n[analyses.other]\noutcome = "pain"\nmeasure = "MD"\ngroup1 = "C"\n'
    same, other = read(tmp_path, text, review=LABELLED_ARMS)
    assert (same.group1_label, same.group2_label) == ("Ultrasound", "Fluoroscopy")
    assert (other.group1, other.group2, other.group1_label, other.group2_label) == ("C", "B", "C", "Fluoroscopy")
    assert (same.line, other.line) == (1, 5)


@pytest.mark.parametrize("level", [50, 99.9])
def test_confidence_levels_from_50_to_below_100_are_accepted(tmp_path, level):
    [spec] = read(tmp_path, MINIMAL + f"level = {level}\n")
    assert spec.level == level


def test_a_negative_mid_is_a_difference_for_a_difference_measure(tmp_path):
    [md, rd] = read(tmp_path, MINIMAL + "mid = -2\n" + MINIMAL.replace("pain]", "harm]").replace("SMD", "RD")
                    + "mid = -0.05\n")
    assert (md.mid, rd.mid) == (-2.0, -0.05)


MID_RATIO = "mid (minimal important difference) must be a number on the reporting scale (a ratio > 0)"


@pytest.mark.parametrize("text, line, message", [
    (MINIMAL.replace('" pain "', '"  "'), 2, "analysis 'pain' needs 'outcome'"),
    (MINIMAL.replace("[analyses.pain]", '[analyses."pain 2"]'), 1,
     "analysis name 'pain 2' must be usable as a file name (letters, digits, '.', '_', '-')"),
    (MINIMAL.replace("[analyses.pain]", '[analyses."-pain"]'), 1,
     "analysis name '-pain' must be usable as a file name (letters, digits, '.', '_', '-')"),
    (MINIMAL + "level = 49.9\n", 4, "level must be a confidence level in percent, e.g. 95"),
    (MINIMAL + "level = 100\n", 4, "level must be a confidence level in percent, e.g. 95"),
    (MINIMAL + 'method = "MH"\n', 4, 'SMD is pooled by inverse variance (method = "IV"), not MH'),
    (MINIMAL.replace("SMD", "RR") + 'method = "PETO"\n', 4,
     'the Peto method goes with measure = "PETO" and only with it'),
    (MINIMAL.replace("SMD", "PETO") + 'method = "MH"\n', 4,
     'the Peto method goes with measure = "PETO" and only with it'),
    (MINIMAL.replace("SMD", "RR") + "pooled_sd = true\n", 4,
     'pooled_sd = true is only for measure = "MD" (true or false)'),
    (MINIMAL + 'group1 = "B"\n', 4, "group1 and group2 name the same arm"),
    (MINIMAL + 'group2 = "A"\n', 4, "group1 and group2 name the same arm"),
    (MINIMAL + 'group1 = "C"\ngroup2 = "C"\n', 5, "group1 and group2 name the same arm"),
    (MINIMAL.replace("SMD", "RR") + "mid = 0\n", 4, MID_RATIO),
    (MINIMAL.replace("SMD", "PETO") + "mid = -1.2\n", 4, MID_RATIO),
    (MINIMAL + 'subgroup = "timepoint"\n', 4,
     'subgroup = "timepoint" needs a [analyses.pain.subgroups] table mapping labels to the extraction values'),
    (MINIMAL + '\n[analyses.pain.subgroups]\n"early" = "2 weeks"\n', 5,
     'a subgroups table needs subgroup = "timepoint" or "item"'),
    (MINIMAL + 'subgroup = "timepoint"\n\n[analyses.pain.subgroups]\n', 6,
     "subgroups must be a table of 'label = [values…]'"),
    (MINIMAL + 'subgroup = "timepoint"\n\n[analyses.pain.subgroups]\n"early" = ""\n', 7,
     "subgroup 'early' must list the extraction values it takes, e.g. [\"12 weeks\"]"),
    (MINIMAL + 'subgroup = "timepoint"\n\n[analyses.pain.subgroups]\n"early" = ["2 weeks", ""]\n', 7,
     "subgroup 'early' must list the extraction values it takes, e.g. [\"12 weeks\"]"),
    (MINIMAL + 'subgroup = "timepoint"\n\n[analyses.pain.subgroups]\n"early" = ["2 weeks"]\n'
     '"late" = ["12 weeks", "2 weeks"]\n', 8, "'2 weeks' is in subgroups 'early' and 'late'"),
    (MINIMAL + '\n[analyses.pain.target]\nsource = "Table 2"\nci = ["0.5", "0.1"]\n', 7,
     "target ci: the lower limit is above the upper limit"),
    (MINIMAL + '\n[analyses.pain.target]\nsource = "Table 2"\np = "high"\n', 7,
     "target p: 'high' is not a printed number (e.g. \"-0.01\", \"0.10\", \"<0.001\", \"0%\")"),
])
def test_what_the_schema_cannot_see_is_refused_in_full_at_its_line(tmp_path, text, line, message):
    assert refusal(tmp_path, text) == f"analyses.toml, line {line}: {message}"


def test_an_empty_analyses_table_is_refused(tmp_path):
    assert refusal(tmp_path, "[analyses]\n") == "analyses.toml: no analyses defined; add an [analyses.NAME] table"


def test_the_second_analysis_is_blamed_at_its_own_lines(tmp_path):
    text = MINIMAL + "level = 95\n\n" + MINIMAL.replace("pain]", "harm]") + "level = 100\n"
    assert refusal(tmp_path, text) == "analyses.toml, line 9: level must be a confidence level in percent, e.g. 95"


def test_a_blank_arm_label_in_review_toml_is_refused_at_its_line(tmp_path):
    project = load_project(make_project(tmp_path / "p", MINIMAL, [],
                                        review=REVIEW_TOML.replace('group2 = "B"', 'group2 = "  "')))
    assert error_of(project) == (f"{project.config_path}, line 8: [arms] group2 must be a non-empty string (the arm "
                                 "label used in extraction rows)")


def test_a_missing_analyses_file_is_named(tmp_path):
    project = load_project(make_project(tmp_path / "p", MINIMAL, []))
    project.analyses_path.unlink()
    assert error_of(project) == (f"{project.analyses_path}: no analyses file; define the review's analyses there "
                                 "(see docs/analyses.md)")


def test_every_unknown_name_asked_for_is_listed(tmp_path):
    from sysrev.analyses.spec import select_analyses
    from sysrev.errors import SysrevError

    project = load_project(make_project(tmp_path / "p", MINIMAL, []))
    with pytest.raises(SysrevError) as info:
        select_analyses(project, ["pian", "pain", "odi"])
    assert str(info.value) == f"no analysis named 'pian', 'odi' in {project.analyses_path} (defined: pain)"
    assert [spec.name for spec in select_analyses(project, ["pain"])] == ["pain"]


@pytest.mark.parametrize("grade, refused", [
    ("control_risk = 0", True), ("control_risk = 1", True), ("control_risk = 0.001", False),
    ("control_risk = 0.999", False), ("ois_power = 0.5", True), ("ois_power = 0.51", False),
    ("ois_alpha = -0.05", True), ("ois_delta = 1e9", False), ("ois_sd = -1", True),
])
def test_grade_numbers_lie_strictly_inside_their_range(tmp_path, grade, refused):
    text = MINIMAL + f"\n[analyses.pain.grade]\n{grade}\n"
    if refused:
        assert refusal(tmp_path, text).startswith(f"analyses.toml, line 6: grade {grade.split(' =')[0]} = ")
    else:
        [spec] = read(tmp_path, text)
        assert spec.grade == {grade.split(" =")[0]: float(grade.split("= ")[1])}


def test_a_ci_printed_as_one_value_is_read(tmp_path):
    [spec] = read(tmp_path, MINIMAL + '\n[analyses.pain.target]\nsource = "Table 2"\nci = ["0.10", "0.10"]\n')
    assert (spec.target.values["ci_low"].text, spec.target.values["ci_high"].text) == ("0.10", "0.10")


def test_the_locator_finds_keys_sub_tables_and_headers(tmp_path):
    from sysrev.toml_lines import Locator

    path = tmp_path / "analyses.toml"
    path.write_text('# é\n[analyses.pain]\noutcome = "pain"\n  [analyses.pain.target]\nsource = "x"\n'
                    '\n[analyses."odi"]\n"measure" = "MD"\n', encoding="utf-8")
    loc = Locator(path)
    assert loc.line("analyses", "pain") == 2 and loc.line("analyses", "odi") == 7
    assert loc.line("analyses", "pain", key="outcome") == 3
    assert loc.line("analyses", "pain", key="source") == 2  # below an indented header: another table's key
    assert loc.line("analyses", "pain", key="target") == 4  # the sub-table
    assert loc.line("analyses", "odi", key="measure") == 8  # a quoted key
    assert loc.line("analyses", "odi", key="note") == 7  # not there, in the last table: its header
    assert loc.line("analyses", "gait", key="note") is None
    assert Locator(tmp_path / "gone.toml").line("analyses", "pain", key="x") is None
