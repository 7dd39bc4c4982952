"""A study label mended in studies.csv (``Park 2013`` → ``Park 2013a``) leaves the old label in extraction rows,
RoB 2 forms and exemptions: each check points at the label it most likely meant, and never at another study."""

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_extraction_check import GOOD, findings, make_project

from sysrev.cli.main import cli
from sysrev.extraction.check import WARNING
from sysrev.extraction.study_labels import renamed_study_hint, same_study_label
from sysrev.project import load_project
from sysrev.rob.check import form_outcomes
from sysrev.rob.form import Assessment, form_path, write_form

HINT = ("; did you mean 'Park 2013a'? A study renamed in studies.csv keeps its old label in the extraction rows, "
        "RoB 2 forms and exemptions until they are renamed too")


@pytest.mark.parametrize("written, listed", [
    ("Park 2013", "Park 2013a"),      # a letter added to tell two reports of one year apart
    ("Park 2013a", "Park 2013"),
    ("Park, 2013", "Park 2013"),      # punctuation, case, spaces
    ("park 2013", "Park  2013"),
    ("Parc 2013", "Park 2013"),       # a misspelt name, same year
    ("Muller 2010", "Müller 2010"),
    ("Smith et al. 2019", "Smith 2019"),
])
def test_one_study_written_two_ways(written, listed):
    assert same_study_label(written, listed) and same_study_label(listed, written)


@pytest.mark.parametrize("written, listed", [
    ("Lee 2020a", "Lee 2020b"),       # two studies by convention
    ("Smith 2019", "Smith 2018"),     # another year
    ("Lee 2020", "Kim 2020"),         # another author
    ("Lee 2014", "Lei 2014"),         # names too short to tell a typo from another author
    ("Parc 2013", "Park 2013a"),      # a letter added and the name changed: too far
    ("Trial C", "Trial A"),           # no year: nothing to anchor a guess
    ("Wang 2019", "Wang 2019 (abstract)"),
])
def test_different_studies_are_not_taken_for_one(written, listed):
    assert not same_study_label(written, listed) and not same_study_label(listed, written)


@given(st.text(min_size=1, max_size=12), st.integers(1900, 2099), st.integers(1900, 2099))
def test_labels_of_different_years_are_never_one_study(name, year_a, year_b):
    if year_a != year_b:
        assert not same_study_label(f"{name} {year_a}", f"{name} {year_b}")


def test_the_hint_names_the_first_match_in_label_order_or_nothing():
    assert renamed_study_hint("Park 2013", {"Park 2013a", "Jee 2014"}) == HINT
    assert renamed_study_hint("Park 2013", ["Zhu 2013", "Park 2013b", "Park 2013a"]).startswith(
        "; did you mean 'Park 2013a'?")
    assert renamed_study_hint("Trial C", {"Trial A"}) == ""


def test_the_extraction_check_counts_the_rows_and_points_at_the_renamed_study(tmp_path):
    rows = GOOD + ["Trial  a,pain,,8 weeks,US,30,3.1,1.2,,VAS 0-10,Table 3,,,,",
                   "Trial  a,pain,,8 weeks,FL,29,3.4,1.5,,VAS 0-10,Table 3,,,,",
                   "Trial 2020,pain,,8 weeks,US,30,3.1,1.2,,VAS 0-10,Table 3,,,,"]
    found = [f for f in findings(make_project(tmp_path, rows)) if f[0] == WARNING and f[3] == "study"]
    assert found == [(WARNING, "pain.csv", 4, "study", "study 'Trial  a' is not in studies.csv (2 extraction rows)"),
                     (WARNING, "pain.csv", 6, "study", "study 'Trial 2020' is not in studies.csv (1 extraction row)")]


def test_sysrev_check_points_every_stage_at_the_renamed_study(tmp_path):
    """Extraction rows, a RoB 2 form and an exemption all keep 'Park 2013' after studies.csv says 'Park 2013a'."""
    (tmp_path / "review.toml").write_text(
        '[review]\ntitle = "A review"\n\n[arms]\ngroup1 = "A"\ngroup2 = "B"\n\n[[outcomes]]\nname = "pain"\n'
        'type = "continuous"\n', encoding="utf-8")
    ext = tmp_path / "analysis" / "extraction"
    ext.mkdir(parents=True)
    (ext / "studies.csv").write_text("study\nPark 2013a\n", encoding="utf-8")
    (ext / "pain.csv").write_text(
        "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"
        "Park 2013,pain,,2 weeks,A,20,3.0,1,,VAS,T2,,,,\nPark 2013,pain,,2 weeks,B,20,4.0,1,,VAS,T2,,,,\n",
        encoding="utf-8")
    form = write_form(form_path(tmp_path / "analysis" / "rob2", "Park 2013", "pain"),
                      Assessment(study="Park 2013", outcome="pain"))
    (tmp_path / "analysis" / "exemptions.csv").write_text("study,stage,outcome,reason\nPark 2013,rob2,*,awaited\n",
                                                          encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    hinted = [line for line in result.output.splitlines() if line.endswith(HINT.removeprefix("; "))]
    assert [line.split(": study ")[0] for line in hinted] == [
        f"warning: {ext / 'pain.csv'}, line 2, column 'study'",
        f"warning: {form}, line 6 [study]",
        f"error: {tmp_path / 'analysis' / 'exemptions.csv'}, line 2, column 'study'"]


def test_rob_forms_of_an_outcome_renamed_in_review_toml_are_named(tmp_path):
    """review.toml's outcome 'pain' became 'pain_vas': the form for 'pain' no longer counts for any analysis, and
    `sysrev check` and `rob check` say so; a form for a listed outcome gets no such warning."""
    (tmp_path / "review.toml").write_text(
        '[review]\ntitle = "A review"\n\n[[outcomes]]\nname = "pain_vas"\ntype = "continuous"\n', encoding="utf-8")
    rob_dir = tmp_path / "analysis" / "rob2"
    old = write_form(form_path(rob_dir, "Park 2013", "pain"), Assessment(study="Park 2013", outcome="pain"))
    write_form(form_path(rob_dir, "Park 2013", "pain_vas"), Assessment(study="Park 2013", outcome="pain_vas"))
    warning = ("outcome 'pain' is not among review.toml's [[outcomes]] or the analysed outcomes (pain_vas; labels "
               "must match)")
    check = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert [line for line in check.output.splitlines() if "[outcome]" in line] == [
        f"warning: {old}, line 7 [outcome]: {warning}"]
    rob = CliRunner().invoke(cli, ["rob", "check", "--project", str(tmp_path)])
    assert [line for line in rob.output.splitlines() if "[outcome]" in line] == [
        f"warning: {old}:7 [outcome]: {warning}"]
    elsewhere = CliRunner().invoke(cli, ["rob", "check", "--dir", str(rob_dir), "--project", str(tmp_path)])
    assert "[outcome]" not in elsewhere.output  # a folder of forms given by hand is not the project's


def test_a_forms_outcome_may_be_listed_in_review_toml_or_analysed(tmp_path):
    """review.toml lists 'pain_vas', analyses.toml analyses 'odi': forms for either are known, a form for 'pain'
    is not, and the warning names both."""
    (tmp_path / "review.toml").write_text(
        '[review]\ntitle = "A review"\n\n[arms]\ngroup1 = "A"\ngroup2 = "B"\n\n[[outcomes]]\nname = "pain_vas"\n'
        'type = "continuous"\n', encoding="utf-8")
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "analyses.toml").write_text('[analyses.odi]\noutcome = "odi"\nmeasure = "SMD"\n',
                                                         encoding="utf-8")
    assert form_outcomes(load_project(tmp_path)) == {"pain_vas", "odi"}
    rob_dir = tmp_path / "analysis" / "rob2"
    for outcome in ("pain_vas", "odi", "pain"):
        write_form(form_path(rob_dir, "Park 2013", outcome), Assessment(study="Park 2013", outcome=outcome))
    check = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert [line.split("[outcome]: ", 1)[1] for line in check.output.splitlines() if "[outcome]" in line] == [
        "outcome 'pain' is not among review.toml's [[outcomes]] or the analysed outcomes (odi, pain_vas; labels "
        "must match)"]


def test_a_rob_problem_without_a_key_is_listed_without_brackets(tmp_path):
    (tmp_path / "review.toml").write_text('[review]\ntitle = "A review"\n', encoding="utf-8")
    form = tmp_path / "analysis" / "rob2" / "Park_2013--pain.toml"
    form.parent.mkdir(parents=True)
    form.write_text('study = "Park 2013"\noutcome = [\n', encoding="utf-8")
    check = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    [line] = [line for line in check.output.splitlines() if str(form) in line]
    assert line == f"error: {form}: invalid TOML: Invalid value (at end of document)"  # no line, no key: no " []"
