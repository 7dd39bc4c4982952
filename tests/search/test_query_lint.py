"""A strategy pasted from a protocol: what the database will not read as the team meant (curly quotes, a curly
apostrophe, invisible characters, brackets or quotes left open, PubMed's lower-case operators) is named by
`sysrev check` and before `sysrev search run` sends it — sent as written, never repaired in silence — while
a clean query, quoted phrases and field tags raise nothing."""

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.cli.main import cli
from sysrev.search.query_lint import query_warnings

CLEAN = [
    '("low back pain"[tiab] OR lumbago[tiab]) AND (ultrasonography[mh] OR fluoroscop*[tiab])',
    'wit and humor[mh] AND "signs or symptoms"[tiab]',  # lower-case and in a heading; or inside a phrase
    'TITLE-ABS-KEY("low back pain" AND (ultrasound OR fluoroscop*)) AND PUBYEAR > 2000',
    "Crohn's disease[tiab] NOT child*[tiab]",
    "(a OR b)\nAND\n(c OR d)",
    'x[tiab] AND "bracket ( in a phrase" AND y[ti:~3]',
]


@pytest.mark.parametrize("query", CLEAN)
@pytest.mark.parametrize("database", ["pubmed", "scopus"])
def test_clean_queries_raise_nothing(query, database):
    assert query_warnings(query, database) == []


@pytest.mark.parametrize("query, database, expected", [
    ("(“back pain” OR lumbago)", "scopus",
     ['curly quotes “ ” (from a word processor) are not phrase marks to the database: write straight double quotes '
      '" (at character 2 of the query)']),
    ("„Rückenschmerz″ AND x", "pubmed",
     ['curly quotes „ ″ (from a word processor) are not phrase marks to the database: write straight double quotes '
      '" (at character 1 of the query)']),
    ("Crohn’s disease AND steroid*", "pubmed",
     ["a curly apostrophe in 'Crohn’s': the database indexes the straight ' (at character 6 of the query)"]),
    ("back\u00a0pain AND x", "scopus",
     ["a no-break space (U+00A0, invisible) at character 5 of the query: replace it with a plain space or delete "
      "it"]),
    ("back pain AND x\u200by", "pubmed",
     ["a zero-width space (U+200B, invisible) at character 16 of the query: replace it with a plain space or "
      "delete it"]),
    ("(a OR (b AND c)", "pubmed",
     ["an opening parenthesis never closed (at character 1 of the query): the query is grouped otherwise than it "
      "reads"]),
    ("((a OR b", "scopus",
     ["2 opening parentheses never closed (at character 1 of the query): the query is grouped otherwise than it "
      "reads"]),
    ("(a OR b)\nAND c)", "pubmed",
     ["a closing parenthesis with no opening one (at line 2, character 6 of the query): the query is grouped "
      "otherwise than it reads"]),
    ('"back pain OR lumbago', "pubmed",
     ["the straight double quotes do not pair up (an odd number, 1): a phrase is left open"]),
    ("(back pain or lumbago) AND injection", "pubmed",
     ["'or' in lower case: PubMed searches it as a word; its Boolean operators are upper case (OR)"]),
    ("back pain or lumbago not child", "pubmed",
     ["'not' and 'or' in lower case: PubMed searches them as words; its Boolean operators are upper case (NOT, OR)"]),
    ("back pain or lumbago", "scopus", []),  # Scopus reads its operators in any case
])
def test_each_problem_in_full(query, database, expected):
    assert query_warnings(query, database) == expected


def test_several_problems_in_the_order_of_the_list():
    warnings = query_warnings("(“back pain” or Crohn’s\u00ad", "pubmed")
    assert [w.split(" ")[0:2] for w in warnings] == [["curly", "quotes"], ["a", "curly"], ["a", "soft"],
                                                     ["an", "opening"], ["'or'", "in"]]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab ()"[]“”’\u00a0\nORorNOTnot', max_size=40), st.sampled_from(["pubmed", "scopus"]))
def test_any_text_gives_sentences_never_an_exception(query, database):
    for warning in query_warnings(query, database):
        assert isinstance(warning, str) and warning


def _project(tmp_path, query):
    root = tmp_path / "review"
    (root / "searches").mkdir(parents=True)
    (root / "review.toml").write_text('[review]\ntitle = "T"\n', encoding="utf-8")
    (root / "searches" / "pubmed.toml").write_text(f"database = \"pubmed\"\nquery = '''{query}'''\n",
                                                   encoding="utf-8")
    return root


def test_check_names_the_strategy_file_and_each_problem(tmp_path):
    root = _project(tmp_path, "(“back pain” or lumbago")
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    path = root / "searches" / "pubmed.toml"
    warnings = [line for line in result.output.splitlines() if "the query:" in line]
    assert warnings == [
        f'warning: {path}: the query: curly quotes “ ” (from a word processor) are not phrase marks to the database: '
        'write straight double quotes " (at character 2 of the query)',
        f"warning: {path}: the query: an opening parenthesis never closed (at character 1 of the query): the query "
        "is grouped otherwise than it reads",
        f"warning: {path}: the query: 'or' in lower case: PubMed searches it as a word; its Boolean operators are "
        "upper case (OR)"]


def test_a_draft_strategy_is_not_linted(tmp_path):
    root = _project(tmp_path, "(“T”")
    path = root / "searches" / "pubmed.toml"
    path.write_text(path.read_text(encoding="utf-8") + "draft = true\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert "the query:" not in result.output and "draft = true" in result.output


@pytest.mark.parametrize("query, expected", [
    # what a phrase or a field tag holds is blanked in place: positions after it still count from the start
    ('"a (b" AND x[ti:(] AND (c', "an opening parenthesis never closed (at character 24 of the query)"),
    ("(a OR b)\n(c\nAND d", "an opening parenthesis never closed (at line 2, character 1 of the query)"),
    ("\n(a", "an opening parenthesis never closed (at line 2, character 1 of the query)"),
    ("x\nyy\n)z\nw", "a closing parenthesis with no opening one (at line 3, character 1 of the query)"),
    ("“a” OR “b”", "curly quotes “ ” (from a word processor) are not phrase marks to the database: write straight "
                   'double quotes " (at character 1 of the query)'),
])
def test_where_each_problem_is(query, expected):
    assert query_warnings(query, "scopus")[0].startswith(expected)


def test_an_invisible_character_is_placed_at_its_first_occurrence():
    assert query_warnings("a\u00a0b AND c\u00a0d", "scopus") == [
        "a no-break space (U+00A0, invisible) at character 2 of the query: replace it with a plain space or delete it"]


@pytest.mark.parametrize("query, word", [
    ("Crohn’s disease", "Crohn’s"), ("the O’Brien score", "O’Brien"), ("O’Brien AND x", "O’Brien"),
    ("D’Ab x", "D’Ab"), ("l‘enfant x", "l‘enfant"), ("x ’b’c y", "’b’c"),
])
def test_the_word_with_a_curly_apostrophe_is_named_whole(query, word):
    assert query_warnings(query, "scopus")[0].startswith(f"a curly apostrophe in {word!r}:")


def test_what_a_field_tag_holds_is_no_operator():
    assert query_warnings("smith j[not an or tag] AND y[ti]", "pubmed") == []


def test_check_lints_scopus_strategies_too(tmp_path):
    root = _project(tmp_path, "x")
    (root / "searches" / "pubmed.toml").unlink()
    (root / "searches" / "scopus.toml").write_text("database = \"scopus\"\nquery = '''TITLE(“pain”)'''\n",
                                                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert f"warning: {root / 'searches' / 'scopus.toml'}: the query: curly quotes “ ”" in result.output
