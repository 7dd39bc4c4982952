"""The configuration schema in detail (mutation tests of the onboarding module): the reference pages generated
from it, the loose spelling of RoB 2 judgements, and the exact message of every kind of problem."""

import locale
import sys
import tomllib
from pathlib import Path

import pytest

from sysrev.config_schema import (
    FILE_KINDS,
    KIND_BY_NAME,
    OTHER_CHECKED_FILES,
    ConfigError,
    FileKind,
    Key,
    Problem,
    Table,
    check_data,
    check_file,
    ensure_valid,
    loose_choice,
    reference_page,
    reference_pages,
    write_reference,
)
from sysrev.project import load_project

GENERATED = "<!-- Generated from sysrev/config_schema.py by `python -m sysrev.config_schema`; do not edit. -->"

TINY = FileKind("tiny", "tiny/*.toml", "tiny-page", "A made-up kind. Second sentence.", (
    Table("", "Top keys.", keys=(Key("name", "string", "The name | or alias.", required=True, default="x"),)),
    Table("one", "A required table.", required=True, keys=(
        Key("kind", "list of strings", "Kinds.", choices=("a", "b|c")),
    )),
    Table("many", "An array.", array=True),
    Table("labels", "User-named entries.", entries="string or list of strings"),
    Table("cols.<name>", "A column.", shorthand="string"),
))


def test_a_reference_page_lists_every_table_and_key_of_its_kind():
    assert reference_page(TINY) == "\n".join([
        "# `tiny/*.toml`", "", GENERATED, "", "A made-up kind. Second sentence.", "",
        "Every key is checked: an unknown key, a wrong type, a value outside the allowed list or a missing "
        "required key is an error naming the file and line (with a \"did you mean …?\" for a misspelt key). "
        "`sysrev check` lists every problem of every file of the project.", "",
        "## Top level", "", "Top keys.", "",
        "| key | type | required | allowed values | default | meaning |", "|---|---|---|---|---|---|",
        "| `name` | string | yes |  | x | The name \\| or alias. |", "",
        "## `[one]` (required)", "", "A required table.", "",
        "| key | type | required | allowed values | default | meaning |", "|---|---|---|---|---|---|",
        "| `kind` | list of strings | no | `a`, `b\\|c` |  | Kinds. |", "",
        "## `[[many]]`", "", "An array.", "",
        "## `[labels]`", "", "User-named entries.", "", "Each entry: a string or a list of strings.", "",
        "## `[cols.<name>]`", "", "A column.", "", "May be written as a string (the `type`) instead of a table.",
    ]) + "\n"


def test_the_reference_index_names_every_file_kind_and_every_other_file_checked(tmp_path):
    pages = reference_pages()
    assert list(pages) == [f"{kind.page}.md" for kind in FILE_KINDS] + ["README.md"]
    assert all(pages[f"{kind.page}.md"] == reference_page(kind) for kind in FILE_KINDS)
    index = pages["README.md"].split("\n")
    assert index[:8] == ["# Configuration reference", "", GENERATED, "",
                         "Every TOML file of a review project, checked against one schema (`sysrev check`).", "",
                         "| file | what it holds |", "|---|---|"]
    # each kind's first sentence, with its one full stop
    assert index[8] == ("| [`review.toml`](review-toml.md) | The protocol of the review: question, eligibility, "
                        "databases, outcomes, arms and screening settings. |")
    assert index[9] == ("| [`searches/*.toml`](search-strategy.md) | One search: the database and the query exactly "
                        "as submitted. |")
    assert index[8 + len(FILE_KINDS):8 + len(FILE_KINDS) + 6] == [
        "", "`sysrev check` also reads the project's other files that hold the team's settings or decisions, "
            "with the rules the stages apply (sysrev/project_check.py):", "", "| file | checked |", "|---|---|",
        "| `analysis/extraction/*.csv` | extraction rows: columns, numbers, scales, arms, outcomes "
        "(docs/extraction.md) |"]
    assert index[-2:] == [f"| `{OTHER_CHECKED_FILES[-1][0]}` | {OTHER_CHECKED_FILES[-1][1]} |", ""]
    assert len(index) == 8 + len(FILE_KINDS) + 5 + len(OTHER_CHECKED_FILES) + 1
    written = write_reference(tmp_path / "new")
    assert written == [tmp_path / "new" / name for name in pages]
    assert {p.name: p.read_text(encoding="utf-8") for p in written} == pages


@pytest.mark.parametrize(("value", "choices", "expected"), [
    ("high", ("low", "some concerns", "high"), "high"),
    ("High risk", ("low", "some concerns", "high"), "high"),
    ("  LOW  risk of bias ", ("low", "some concerns", "high"), "low"),
    ("Some_concerns", ("low", "some concerns", "high"), "some concerns"),
    ("some-Concerns", ("low", "some concerns", "high"), "some concerns"),
    ("na", ("NA", "favours experimental"), "NA"),
    ("Low Risk", ("low risk", "high"), "low risk"),  # a choice that itself ends in "risk"
    ("Favours_Experimental", ("NA", "favours experimental"), "favours experimental"),
    ("moderate", ("low", "some concerns", "high"), None),
    ("risk", ("low", "high"), None),
    (3, ("low", "high"), None),
    (None, ("low", "high"), None),
])
def test_a_loose_value_is_read_as_the_choice_it_spells(value, choices, expected):
    assert loose_choice(value, choices) == expected


ROB = 'study = "S"\noutcome = "pain"\n\n[D1]\n'


def problems_of(kind: FileKind, text: str) -> list[str]:
    """Each problem of ``text`` read as a file of ``kind``, without the file's name."""
    path = Path("folder") / "f.toml"
    return [str(p).removeprefix(f"{path}, ").removeprefix(f"{path}: ")
            for p in check_data(kind, tomllib.loads(text), text, path)]


@pytest.mark.parametrize(("kind", "text", "messages"), [
    # a loose key accepts any spelling of a choice; a strict one only the choice itself
    ("RoB 2 form", ROB + 'judgement = "High risk"\noverride = "some_concerns"\ndirection = "NA"\n', []),
    ("RoB 2 form", ROB + 'judgement = "moderate"\n',
     ["line 5: judgement = 'moderate' is not a judgement; use one of 'low', 'some concerns', 'high' "
      "(key 'judgement' in [D1])"]),
    ("RoB 2 form", ROB + 'direction = "up"\n',
     ["line 5: direction = 'up' is not one of 'NA', 'favours experimental', 'favours comparator', "
      "'towards null', 'away from null', 'unpredictable' (key 'direction' in [D1])"]),
    ("review.toml", '[review]\ntitle = "T"\n[[outcomes]]\nname = "p"\ntype = "Continuous"\n',
     ["line 5: type = 'Continuous' is not one of 'continuous', 'dichotomous'; did you mean 'continuous'? "
      "(key 'type' in [[outcomes]] #1)"]),
    # the same letters in another case are the first suggestion, before any close spelling
    ("analysis/analyses.toml", '[analyses.a]\noutcome = "p"\nmeasure = "smd"\n',
     ["line 3: measure = 'smd' is not one of 'MD', 'SMD', 'RR', 'OR', 'RD', 'PETO'; did you mean 'SMD'? "
      "(key 'measure' in [analyses.a])"]),
    ("analysis/analyses.toml", '[analyses.a]\noutcome = "p"\nmeasure = "Peto"\n',
     ["line 3: measure = 'Peto' is not one of 'MD', 'SMD', 'RR', 'OR', 'RD', 'PETO'; did you mean 'PETO'? "
      "(key 'measure' in [analyses.a])"]),
    # a list's items are each checked against the choices
    ("extraction form", '[outcome_data]\ncontinuous = ["n", "median"]\n',
     ["line 2: continuous = 'median' is not one of 'n', 'mean', 'sd', 'events'; did you mean 'mean'? "
      "(key 'continuous' in [outcome_data])"]),
    # the hint of a published figure
    ("analysis/analyses.toml", '[analyses.a]\noutcome = "p"\nmeasure = "MD"\n[analyses.a.target]\n'
                               'source = "x"\nestimate = 0.1\nci = ["1", 2]\n',
     ["line 6: estimate must be a string, not float 0.1; write it in quotes exactly as printed, e.g. \"0.10\", "
      "so its decimals are kept (key 'estimate' in [analyses.a.target])",
      "line 7: ci must be a list of two strings, not list ['1', 2]; write it in quotes exactly as printed, e.g. "
      "\"0.10\", so its decimals are kept (key 'ci' in [analyses.a.target])"]),
    # every type's own wording
    ("extraction form", '[scales.a]\nhigher = "worse"\nrange = [0, true]\n[scales.b]\nhigher = "worse"\n'
                        'range = [0, 1, 2]\n[scales.c]\nhigher = "worse"\nrange = [0, "9"]\n',
     ["line 3: range must be a list of two numbers, [low, high], not list [0, True] (key 'range' in [scales.a])",
      "line 6: range must be a list of two numbers, [low, high], not list [0, 1, 2] (key 'range' in [scales.b])",
      "line 9: range must be a list of two numbers, [low, high], not list [0, '9'] (key 'range' in [scales.c])"]),
    ("review.toml", '[review]\ntitle = 1\n[screening]\nreviewers = ["a", 2]\nexclusion_reasons = []\n'
                    'highlight_terms = []\nreviewers_per_record = true\n',
     ["line 2: title must be a string, not int 1 (key 'title' in [review])",
      "line 4: reviewers must be a list of strings, not list ['a', 2] (key 'reviewers' in [screening])",
      "line 7: reviewers_per_record must be a whole number, not bool True (key 'reviewers_per_record' in "
      "[screening])"]),
    ("review.toml", '[review]\ntitle = "T"\n[screening]\nreviewers = []\nexclusion_reasons = []\n'
                    'highlight_terms = []\nreviewers_per_record = 2.0\n',
     ["line 7: reviewers_per_record must be a whole number, not float 2.0 (key 'reviewers_per_record' in "
      "[screening])"]),
    ("analysis/analyses.toml", '[analyses.a]\noutcome = "p"\nmeasure = "MD"\nlevel = true\npooled_sd = "no"\n'
                               '[analyses.b]\noutcome = "p"\nmeasure = "MD"\nlevel = 90\n'
                               '[analyses.c]\noutcome = "p"\nmeasure = "MD"\nlevel = 90.5\n',
     ["line 4: level must be a number, not bool True (key 'level' in [analyses.a])",
      "line 5: pooled_sd must be true or false, not str 'no' (key 'pooled_sd' in [analyses.a])"]),
    ("analysis/analyses.toml", '[analyses.a]\noutcome = "p"\nmeasure = "MD"\n[analyses.a.subgroups]\n'
                               'young = "<40"\nold = [">60", ">70"]\nnone = 3\nbad = ["x", 1]\n',
     ["line 7: 'none' in [analyses.a.subgroups] must be a string or a list of strings",
      "line 8: 'bad' in [analyses.a.subgroups] must be a string or a list of strings"]),
    ("GRADE file", 'analysis = "a"\n[inputs]\nrrr = 0.25\nlabels = ["a"]\ntable = { x = 1 }\n',
     ["line 5: 'table' in [inputs] must be a string, number, true/false or list"]),
    ("search strategy", 'database = "file"\nsource = ["a"]\nreconstruction = "yes"\n',
     ["line 2: source must be a string, not list ['a'] (key 'source' in the top level)",
      "line 3: reconstruction must be true or false, not str 'yes' (key 'reconstruction' in the top level)"]),
])
def test_each_wrong_value_is_named_with_its_type_and_place(kind, text, messages):
    assert problems_of(KIND_BY_NAME[kind], text) == messages


@pytest.mark.parametrize(("kind", "text", "messages"), [
    # tables of the wrong shape
    ("review.toml", 'review = "T"\n[[arms]]\ngroup1 = "a"\n',
     ["line 1: 'review' in the top level must be a table [review]",
      "line 2: 'arms' in the top level must be a table [arms]"]),
    ("review.toml", '[review]\ntitle = "T"\n[databases]\nname = "x"\n',
     ["line 3: 'databases' in the top level must be [[databases]] tables"]),
    ("review.toml", 'databases = ["PubMed", {name = "x"}]\n[review]\ntitle = "T"\n',
     ["line 1: 'databases' in the top level must be [[databases]] tables"]),
    ("extraction form", '[characteristics.columns]\nstudy = "text"\nage = 3\nsex = { type = "text" }\n',
     ["line 3: 'age' in [characteristics.columns] must be a table [age]"]),
    # unknown keys: what is allowed, or the nearest
    ("review.toml", 'reviews = 1\n[review]\ntitle = "T"\n',
     ["line 1: unknown top-level key or table 'reviews'; did you mean 'review'?"]),
    ("review.toml", 'zzz = 1\n[review]\ntitle = "T"\n',
     ["line 1: unknown top-level key or table 'zzz' (allowed: review, question, eligibility, databases, "
      "outcomes, arms, screening)"]),
    ("search strategy", 'database = "pubmed"\nzzz = 1\n',
     ["line 2: unknown key 'zzz' in the top level (allowed: name, database, query, datetype, mindate, maxdate, "
      "file, description, source, reconstruction, draft)"]),
    ("analysis/analyses.toml", '[analyses.a]\noutcome = "p"\nmeasure = "MD"\n[analyses.a.grade]\nzzz = 1\n',
     ["line 5: unknown key 'zzz' in [analyses.a.grade] (allowed: design, importance, control_risk, "
      "control_risk_source, absolute_mid, ois_rrr, ois_alpha, ois_power, ois_delta, ois_sd)"]),
    ("analysis/analyses.toml", '[analyses.a]\noutcome = "p"\nmeasure = "MD"\nzzz = 1\n',
     ["line 4: unknown key 'zzz' in [analyses.a] (allowed: title, outcome, measure, method, model, tau2, ci, smd, "
      "level, subgroup, direction, group1, group2, pooled_sd, note, mid, grade, subgroups, target)"]),
    ("extraction form", '[characteristics]\nzzz = 1\n',
     ["line 2: unknown key 'zzz' in [characteristics] (allowed: columns)"]),
    ("extraction form", '[characteristics.columns.study]\ntype = "text"\nzzz = 1\n',
     ["line 3: unknown key 'zzz' in [characteristics.columns.study] (allowed: type, required, description)"]),
    ("RoB 2 form", ROB + '[D1.answers]\n"1.1" = "Y"\n[[D1.support]]\nx = 1\n',
     ["line 7: 'support' in [D1] must be a table [support]"]),
    # missing required keys and tables, each with what it is for
    ("review.toml", '[review]\ntitle = "T"\n[arms]\n',
     ["line 3: [arms] needs 'group1' (required: Arm label of group 1 in extraction rows)",
      "line 3: [arms] needs 'group2' (required: Arm label of group 2 in extraction rows)"]),
    ("review.toml", '[arms]\ngroup1 = "a"\n',
     ["line 1: [arms] needs 'group2' (required: Arm label of group 2 in extraction rows)",
      "missing required table [review]"]),
    ("analysis/analyses.toml", 'x = 1\n',
     ["line 1: unknown top-level key or table 'x' (allowed: analyses)", "missing required table [analyses]"]),
    ("RoB 2 form", 'study = "S"\n', ["the top level needs 'outcome' (required: Outcome name, as in review.toml "
                                     "[[outcomes]])"]),
])
def test_each_misplaced_unknown_or_missing_entry_is_named(kind, text, messages):
    assert problems_of(KIND_BY_NAME[kind], text) == messages


def test_a_config_error_lists_every_problem_and_points_at_the_first(tmp_path):
    first = Problem(tmp_path / "a.toml", 3, "one", "screening")
    error = ConfigError([first, Problem(tmp_path / "a.toml", None, "two")])
    assert str(error) == f"{tmp_path}/a.toml, line 3: one\nerror: {tmp_path}/a.toml: two"
    assert (error.path, error.line, error.column, error.problems[0]) == (tmp_path / "a.toml", 3, "screening", first)
    assert ConfigError([Problem(Path("b.toml"), None, "three")]).column is None


def test_a_parsed_file_is_checked_with_or_without_its_text(tmp_path):
    """A loader hands over what it parsed; the file's text gives the lines, and a file gone since still gets
    its problems listed."""
    path = tmp_path / "review.toml"
    path.write_text('[review]\ntitle = "T"\ntitel = "U"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        ensure_valid("review.toml", str(path), {"review": {"title": "T", "titel": "U"}})
    assert str(info.value) == f"{path}, line 3: unknown key 'titel' in [review]; did you mean 'title'?"
    with pytest.raises(ConfigError) as info:
        ensure_valid("review.toml", tmp_path / "gone.toml", {"review": {"titel": "U"}})
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path}/gone.toml: unknown key 'titel' in [review]; did you mean 'title'?",
        f"{tmp_path}/gone.toml: [review] needs 'title' (required: Title of the review (reports, PRISMA diagram))"]
    assert ensure_valid("review.toml", path, {"review": {"title": "T"}}) is None


@pytest.mark.parametrize(("kind", "path", "declared"), [
    ("review.toml", (), ""),
    ("review.toml", ("databases", 1), "databases"),
    ("review.toml", ("screening",), "screening"),
    ("analysis/analyses.toml", ("analyses", "pain", "target"), "analyses.<name>.target"),
    ("analysis/analyses.toml", ("analyses", "pain"), "analyses.<name>"),
    ("RoB 2 form", ("D3", "answers"), "D3.answers"),
    ("review.toml", ("screening", "reviewers"), None),
    ("review.toml", ("nope",), None),
    ("analysis/analyses.toml", ("nope", "pain"), None),
])
def test_a_concrete_table_path_finds_its_declaration(kind, path, declared):
    table = KIND_BY_NAME[kind].table(path)
    assert (table.path if table else None) == declared


@pytest.fixture
def c_locale():
    """A machine whose locale is not UTF-8 (a bare C locale; Windows' cp1252 alike)."""
    before = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
    except locale.Error:
        pytest.skip("the C locale cannot be set here")
    if sys.flags.utf8_mode or locale.getpreferredencoding(False).lower().replace("-", "") == "utf8":
        locale.setlocale(locale.LC_CTYPE, before)
        pytest.skip("Python reads files as UTF-8 here whatever the locale")
    yield
    locale.setlocale(locale.LC_CTYPE, before)


def test_configuration_files_are_read_as_utf8_whatever_the_locale(tmp_path, c_locale):
    path = tmp_path / "review.toml"
    path.write_text('[review]\ntitle = "Café"\ntitel = "Müller"\n', encoding="utf-8")
    message = f"{path}, line 3: unknown key 'titel' in [review]; did you mean 'title'?"
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path)
    assert str(info.value) == message
    data, problems = check_file(KIND_BY_NAME["review.toml"], path)
    assert data == {"review": {"title": "Café", "titel": "Müller"}} and [str(p) for p in problems] == [message]


NESTED = FileKind("nested", "n.toml", "nested", "Tables within an array of tables.", (
    Table("", "Top."), Table("top", "Top table."), Table("empty", "Nothing may go here."),
    Table("top.items", "Items.", array=True, keys=(Key("n", "integer", "A count."),)),
    Table("top.items.inner", "Inner.", keys=(Key("x", "string", "An x."),)),
    Table("top.items.inner.deep", "Deep.", keys=(Key("y", "string", "Y, the coordinate of X.", required=True),)),
))


@pytest.mark.parametrize(("text", "messages"), [
    ('[[top.items]]\nn = 1\n[[top.items]]\nn = "2"\n[top.items.inner]\nzzz = 1\n[top.items.inner.deep]\n',
     ["line 4: n must be a whole number, not str '2' (key 'n' in [[top.items]] #2)",
      "line 6: unknown key 'zzz' in [[top.items]] #2 inner (allowed: x, deep)",
      # the description's last letter stays, only its full stop goes
      "line 7: [[top.items]] #2 inner.deep needs 'y' (required: Y, the coordinate of X)"]),
    ('[top.items]\nn = 1\n[empty]\nzzz = 1\n',
     ["line 1: 'items' in [top] must be [[top.items]] tables",
      # nothing allowed, nothing to suggest
      "line 4: unknown key 'zzz' in [empty]"]),
])
def test_a_table_within_an_array_of_tables_is_named_by_the_element_and_its_path(text, messages):
    assert problems_of(NESTED, text) == messages
