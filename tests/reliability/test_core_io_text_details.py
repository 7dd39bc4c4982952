"""The Record contract, CSV quote states, credential scrubbing and TOML line lookup, exactly (mutation tests of
core_io).

Expected values come from the modules' documented rules and, for the quote states, from the csv module itself
(a text it refuses with "unexpected end of data" under ``strict`` ends inside a quoted cell).
"""

import csv
import io
import os
import subprocess
import sys

import pytest

from sysrev import toml_lines
from sysrev.credentials import scrub, scrub_text
from sysrev.csv_quotes import AFTER_QUOTE, OPEN, OUTSIDE, dialect_quote_state, offset_of_line, quote_state_at_end
from sysrev.errors import InputError
from sysrev.records import Record
from sysrev.toml_lines import Locator, key_lines, line_of

# --- sysrev.records -------------------------------------------------------------------------------------------

EMPTY = {"source_id": "PMID1", "source": "", "title": "", "abstract": "", "authors": [], "year": None,
         "journal": "", "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "", "pmid": "",
         "pmcid": "", "issn": "", "language": "", "publication_types": [], "keywords": [], "url": "", "extra": {}}


def test_a_record_has_every_field_of_the_contract_with_its_empty_value():
    assert Record("PMID1").to_dict() == EMPTY
    assert list(Record("PMID1").to_dict()) == list(EMPTY)  # the order records.jsonl is written in


def test_records_never_share_their_lists():
    first, second = Record("1"), Record("2")
    first.authors.append("Smith, J")
    first.extra["x"] = 1
    assert second.authors == [] and second.extra == {}


def test_a_record_read_back_is_the_record_written():
    record = Record("e1", source="embase", title="T", authors=["Roe, R", "Doe, D"], year=2020, keywords=["k"],
                    publication_types=["Journal Article"], extra={"N1": "note"})
    assert Record.from_dict(record.to_dict()) == record


def test_unknown_keys_go_to_extra_beside_what_extra_held():
    data = {"source_id": "e1", "title": "T", "extra": {"N1": "note", "C3": "old"}, "C3": "new", "M3": "x"}
    record = Record.from_dict(data)
    assert record.title == "T"
    assert record.extra == {"N1": "note", "C3": "new", "M3": "x"}  # the key of the line itself wins
    assert data == {"source_id": "e1", "title": "T", "extra": {"N1": "note", "C3": "old"}, "C3": "new", "M3": "x"}
    assert Record.from_dict({"source_id": "e2", "M3": "x"}).extra == {"M3": "x"}
    assert Record.from_dict({"source_id": "e3", "extra": {"N1": "n"}}).extra == {"N1": "n"}


def test_missing_or_null_lists_are_empty_lists():
    record = Record.from_dict({"source_id": "e1", "authors": None, "keywords": None, "publication_types": None})
    assert (record.authors, record.keywords, record.publication_types) == ([], [], [])
    assert Record.from_dict({"source_id": "e1"}).to_dict() == {**EMPTY, "source_id": "e1"}
    assert Record.from_dict({"source_id": "e1", "year": None, "title": None}).title is None  # only lists


def test_a_line_without_source_id_is_refused():
    with pytest.raises(ValueError, match=r"^record has no source_id$"):
        Record.from_dict({"title": "T", "authors": None})


# --- sysrev.csv_quotes ----------------------------------------------------------------------------------------

def _csv_says_open(text, **dialect) -> bool:
    """Whether the csv module, reading strictly, finds ``text`` ending inside a quoted cell."""
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True, **dialect))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


@pytest.mark.parametrize("text, state", [
    ("", OUTSIDE), ("a", OUTSIDE), ("a,", OUTSIDE), ('"', OPEN), ('""', AFTER_QUOTE), ('"""', OPEN),
    ('""""', AFTER_QUOTE), ('"a"', AFTER_QUOTE), ('"a",', OUTSIDE), ('"a"\n', OUTSIDE), ('"a"\r', OUTSIDE),
    ('"a"\r\n', OUTSIDE), ('"a,b', OPEN), ('"a\nb', OPEN), ('"a\r\nb', OPEN), ('"a""b', OPEN),
    ('a,"b', OPEN), ('a,"b"', AFTER_QUOTE), ('a,b"c', OUTSIDE), ('a,b"', OUTSIDE), ('"a"\n"', OPEN),
    ('x\r"', OPEN), ('x\n"b"', AFTER_QUOTE),
])
def test_quote_states_of_the_default_dialect(text, state):
    assert quote_state_at_end(text) == state
    assert _csv_says_open(text) == (state == OPEN)


@pytest.mark.parametrize("text, state", [
    ('"a" ', OUTSIDE), ('"a"x"', OUTSIDE),  # a stray character after a closed cell belongs to the cell
])
def test_a_stray_character_after_a_closed_cell_is_outside_quotes(text, state):
    assert quote_state_at_end(text) == state
    assert list(csv.reader(io.StringIO(text))) == [[text.replace('"', "", 2)]]


@pytest.mark.parametrize("text, kwargs, state", [
    ('a;"b', {"delimiter": ";"}, OPEN),
    ('a,"b', {"delimiter": ";"}, OUTSIDE),  # a comma is part of the cell then
    ('a\t"b', {"delimiter": "\t"}, OPEN),
    ("a;'b", {"delimiter": ";", "quotechar": "'"}, OPEN),
    ("a;'b'", {"delimiter": ";", "quotechar": "'"}, AFTER_QUOTE),
    ('a,"b', {"quotechar": None}, OUTSIDE),
    ('"a"', {"doublequote": False}, AFTER_QUOTE),
    ('"a""', {"doublequote": False}, OUTSIDE),
    ('"a""', {}, OPEN),
    ('"a\\', {"escapechar": "\\"}, OPEN),  # dangling escape inside quotes
    ('"a\\"', {"escapechar": "\\"}, OPEN),  # an escaped quote closes nothing
    ('"a\\""', {"escapechar": "\\"}, AFTER_QUOTE),
    ('"a\\"', {"escapechar": "\\", "doublequote": False}, OPEN),
    ('"a\\""', {"escapechar": "\\", "doublequote": False}, AFTER_QUOTE),
    ("a\\", {"escapechar": "\\"}, OPEN),  # dangling escape outside quotes
    ("a\\,", {"escapechar": "\\"}, OUTSIDE),
    ('\\,"b', {"escapechar": "\\"}, OUTSIDE),  # the escaped comma starts no new cell, so the quote opens none
    ('\\\\,"b', {"escapechar": "\\"}, OPEN),  # an escaped escape: the comma does start one
    ('"a\\\\"', {"escapechar": "\\"}, AFTER_QUOTE),
])
def test_quote_states_of_other_dialects(text, kwargs, state):
    assert quote_state_at_end(text, **kwargs) == state


def test_the_state_of_a_dialect_is_read_with_its_own_settings():
    class Semicolons(csv.Dialect):
        delimiter, quotechar, doublequote, escapechar = ";", "'", False, "\\"
        lineterminator, quoting, skipinitialspace = "\n", csv.QUOTE_MINIMAL, False

    class NoQuotes(csv.excel):
        quoting = csv.QUOTE_NONE

    assert dialect_quote_state('a,"b', csv.excel) == OPEN
    assert dialect_quote_state('a\t"b', csv.excel_tab) == OPEN
    assert dialect_quote_state('a,"b', csv.excel_tab) == OUTSIDE
    assert dialect_quote_state('a,"b', NoQuotes) == OUTSIDE
    assert dialect_quote_state("x;'a''", Semicolons) == OUTSIDE  # no doubled quotes in this dialect
    assert dialect_quote_state("x;'a\\'", Semicolons) == OPEN
    assert dialect_quote_state("x;'a'", Semicolons) == AFTER_QUOTE


@pytest.mark.parametrize("line, offset", [(-1, 0), (0, 0), (1, 0), (2, 3), (3, 5), (4, 7), (5, 8), (9, 8)])
def test_the_offset_of_a_line_counts_crlf_cr_and_lf_as_the_csv_module_does(line, offset):
    text = "a\r\nb\rc\nd"
    assert offset_of_line(text, line) == offset


def test_the_offset_of_the_line_after_a_final_line_break_is_the_end():
    assert offset_of_line("a,b\n", 2) == 4
    assert offset_of_line("a,b\n", 3) == 4
    assert offset_of_line("", 2) == 0


# --- sysrev.credentials ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "apiKey", "api_key", "API-KEY", "apikey", "ApiKey", "insttoken", "inst_token", "InstToken", "access_token",
    "accessToken", "access-token", "auth_token", "authtoken", "id_token", "refresh_token", "bearer_token",
    "session_token", "client_secret", "clientSecret", "password", "PASSWORD", "passwd", "x-els-apikey",
    "X-ELS-Insttoken", "xelsapikey", "x_els_api_key",
])
def test_every_credential_parameter_is_removed_in_any_spelling(name):
    assert scrub_text(f"https://a.org/x?{name}=S3CRET") == "https://a.org/x"
    assert scrub_text(f"https://a.org/x?view=full&{name}=S3CRET") == "https://a.org/x?view=full"
    assert scrub_text(f"https://a.org/x?{name}=S3CRET&view=full") == "https://a.org/x?view=full"
    assert scrub_text(f"https://a.org/x?a=1;{name}=S3CRET;b=2") == "https://a.org/x?a=1;b=2"
    assert scrub_text(f"https://a.org/cb#{name}=S3CRET") == "https://a.org/cb"


@pytest.mark.parametrize("text", [
    "https://a.org/x?key=value", "https://a.org/x?token=1", "https://a.org/x?passwords=1",
    "https://a.org/x?mypassword=1", "https://a.org/x?api=1&keyword=pain",
    "Smith & Jones; the apiKey field & more", "https://doi.org/10.1002/(SICI)1097-0258(19980415)17:7<1;x=2",
    "an e-mail to j.smith@example.org", "https://user@example.org/x", "mailto:someone@example.org",
    "x = 1, y = 2", "",
])
def test_text_without_a_credential_is_kept_as_it_is(text):
    assert scrub_text(text) == text


@pytest.mark.parametrize("text, expected", [
    ("https://a.org/x?apiKey=K&insttoken=T", "https://a.org/x"),
    ("https://a.org/x?apiKey=K&insttoken=T&view=full", "https://a.org/x?view=full"),
    ("https://a.org/x?a=1&apiKey=K&b=2&insttoken=T&c=3", "https://a.org/x?a=1&b=2&c=3"),
    ("https://a.org/x?a=1&apiKey=K&&b=2", "https://a.org/x?a=1&b=2"),
    ("https://a.org/x?apiKey=&b=2", "https://a.org/x?b=2"),  # an empty value names the parameter all the same
    ("https://a.org/x?a=1#access_token=K", "https://a.org/x?a=1"),
    ("https://a.org/cb#access_token=K&state=s", "https://a.org/cb#state=s"),
    ("https://a.org/cb#state=s&access_token=K", "https://a.org/cb#state=s"),
    ('<a href="https://a.org/x?apiKey=K">link</a>', '<a href="https://a.org/x">link</a>'),
    ("'https://a.org/x?b=1&apiKey=K'", "'https://a.org/x?b=1'"),
    ("GET https://a.org/x?apiKey=K failed: HTTP 401 (see https://b.org/y?password=P&page=2)",
     "GET https://a.org/x failed: HTTP 401 (see https://b.org/y?page=2)"),
    ("https://me:S3CRET@files.example.org/e1.pdf", "https://files.example.org/e1.pdf"),
    ("FTP://me:S3CRET@a.org/f and sftp://u:p@b.org", "FTP://a.org/f and sftp://b.org"),
    ("git+ssh://me:S3CRET@host/repo", "git+ssh://host/repo"),
    ("https://me:S3CRET@a.org/x?apiKey=K&view=1", "https://a.org/x?view=1"),
    ("first\thttps://a.org/x?apiKey=K\nsecond", "first\thttps://a.org/x\nsecond"),
])
def test_credentials_are_removed_and_the_rest_of_the_text_is_kept(text, expected):
    assert scrub_text(text) == expected


def test_every_string_of_a_json_value_is_scrubbed_and_nothing_else_changes():
    url = "https://a.org/x?apiKey=K&view=1"
    value = {"url": url, "links": [url, {"href": url}], "pair": (url, 3), url: "key", 7: url, "n": 1.5,
             "flag": True, "none": None, "authors": ["Roe, R"]}
    assert scrub(value) == {"url": "https://a.org/x?view=1", "links": ["https://a.org/x?view=1",
                                                                        {"href": "https://a.org/x?view=1"}],
                            "pair": ("https://a.org/x?view=1", 3), "https://a.org/x?view=1": "key",
                            7: "https://a.org/x?view=1", "n": 1.5, "flag": True, "none": None, "authors": ["Roe, R"]}
    assert isinstance(scrub(value)["pair"], tuple)
    assert value["url"] == url  # the value given is not changed
    assert scrub(url) == "https://a.org/x?view=1" and scrub(5) == 5 and scrub(None) is None


# --- sysrev.toml_lines ----------------------------------------------------------------------------------------

def test_headers_dotted_and_quoted_keys_are_found_on_their_lines():
    text = "\n".join([
        "# a comment = 1",           # 1
        "title = 'x'",               # 2
        "[ review . 'sub part' ]",   # 3
        '  "quoted key" = 1',        # 4
        "a . b.c = 2",               # 5
        "[other]",                   # 6
        "title = 'y'",               # 7
        "title2 = [1, [2, 3]]",      # 8
        "after = 1",                 # 9
    ])
    assert key_lines(text) == {("title",): 2, ("review", "sub part"): 3, ("review", "sub part", "quoted key"): 4,
                               ("review", "sub part", "a", "b", "c"): 5, ("other",): 6, ("other", "title"): 7,
                               ("other", "title2"): 8, ("other", "after"): 9}


def test_arrays_of_tables_count_their_elements_and_nest():
    text = "\n".join([
        "[[db]]",              # 1
        "name = 'a'",          # 2
        "[db.limits]",         # 3
        "max = 1",             # 4
        "[[db]]",              # 5
        "name = 'b'",          # 6
        "[[db.runs]]",         # 7
        "n = 1",               # 8
        "[[db.runs]]",         # 9
        "n = 2",               # 10
        "[db.limits]",         # 11
        "max = 2",             # 12
        "[[other]]",           # 13
    ])
    assert key_lines(text) == {
        ("db",): 1, ("db", 0): 1, ("db", 0, "name"): 2, ("db", 0, "limits"): 3, ("db", 0, "limits", "max"): 4,
        ("db", 1): 5, ("db", 1, "name"): 6, ("db", 1, "runs"): 7, ("db", 1, "runs", 0): 7,
        ("db", 1, "runs", 0, "n"): 8, ("db", 1, "runs", 1): 9, ("db", 1, "runs", 1, "n"): 10,
        ("db", 1, "limits"): 11, ("db", 1, "limits", "max"): 12, ("other",): 13, ("other", 0): 13}


def test_multiline_strings_and_arrays_hide_what_looks_like_keys():
    text = "\n".join([
        "a = '''",                   # 1
        "b = 1",                     # 2
        "[not.a.table]",             # 3
        "'''",                       # 4
        'c = """one line"""',        # 5
        "d = 1",                     # 6
        "e = [ # a comment with [",  # 7
        '  "] is text", \'[\',',     # 8
        '  "a \\" ]",',              # 9
        "  [1, 2], {x = 1},",        # 10
        "  f = 2,",                  # 11
        "]",                         # 12
        "g = 'has [ inside'",        # 13
        "h = 1",                     # 14
        'i = """',                   # 15
        'j = 2 """',                 # 16
        "k = 3",                     # 17
    ])
    assert key_lines(text) == {("a",): 1, ("c",): 5, ("d",): 6, ("e",): 7, ("g",): 13, ("h",): 14, ("i",): 15,
                               ("k",): 17}


def test_literal_strings_keep_backslashes():
    text = "path = ['C:\\\\dir\\\\', 'D:\\\\x\\\\']\nnext = 1\nw = 'C:\\\\'\nz = [\n'a\\\\'\n]\nlast = 1\n"
    assert key_lines(text) == {("path",): 1, ("next",): 2, ("w",): 3, ("z",): 4, ("last",): 7}


def test_inline_tables_give_their_keys_the_line_of_the_table():
    text = 'p = { a = 1, "b c" = 2 }\n[t]\nq = {x=1}\nr = 2\n'
    assert key_lines(text) == {("p",): 1, ("p", "a"): 1, ("p", "b c"): 1, ("t",): 2, ("t", "q"): 3,
                               ("t", "q", "x"): 3, ("t", "r"): 4}


def test_the_first_line_of_a_key_counts_and_crlf_files_are_read_alike():
    assert key_lines("a = 1\r\n[t]\r\nb = 2\r\n[t]\r\nb = 3\r\n") == {("a",): 1, ("t",): 2, ("t", "b"): 3}


def test_a_missing_key_is_placed_at_its_nearest_enclosing_table():
    lines = {("analyses",): 2, ("analyses", "pain"): 5, ("analyses", "pain", "measure"): 6}
    assert line_of(lines, ("analyses", "pain", "measure")) == 6
    assert line_of(lines, ("analyses", "pain", "model")) == 5
    assert line_of(lines, ("analyses", "odi", "model")) == 2
    assert line_of(lines, ("grade", "pain")) is None
    assert line_of(lines, ()) is None


def test_the_locator_names_the_file_and_line_in_its_errors(tmp_path):
    path = tmp_path / "analyses.toml"
    path.write_text("[analyses.pain]\nmeasure = 'MD'\n[analyses.pain.target]\nsource = 'x'\n", encoding="utf-8")
    locator = Locator(str(path))
    assert locator.path == path
    assert locator.line("analyses", "pain") == 1
    assert locator.line("analyses", "pain", key="measure") == 2
    assert locator.line("analyses", "pain", key="target") == 3
    assert locator.line("analyses", "pain", "target", key="source") == 4
    assert locator.line("analyses", "pain", key="model") == 1
    error = locator.error("measure must be MD or SMD", "analyses", "pain", key="measure")
    assert isinstance(error, InputError)
    assert str(error) == f"{path}, line 2: measure must be MD or SMD"
    assert (error.path, error.line) == (path, 2)
    assert str(locator.error("no analyses")) == f"{path}: no analyses"


def test_an_unreadable_file_gives_errors_without_a_line(tmp_path):
    folder = tmp_path / "analyses.toml"
    folder.mkdir()  # reading it fails
    locator = Locator(folder)
    assert locator.lines == {}
    assert str(locator.error("cannot be read", "analyses", key="pain")) == f"{folder}: cannot be read"


def test_the_locator_reads_utf8_whatever_the_locale(tmp_path):
    """review.toml is UTF-8 (TOML requires it): a reviewer's name with an accent before a key must not make the
    lines unreadable under an ASCII locale (a subprocess with LC_ALL=C and no UTF-8 mode)."""
    path = tmp_path / "review.toml"
    path.write_text("# Protocol by Zoë Müller\n[screening]\nreviewers = ['zoë']\n", encoding="utf-8")
    script = "import sys; from sysrev.toml_lines import Locator; print(Locator(sys.argv[1]).line('screening', " \
             "key='reviewers'))"
    package_root = os.path.dirname(os.path.dirname(toml_lines.__file__))  # the sysrev these tests import
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
           "PYTHONPATH": package_root}
    done = subprocess.run([sys.executable, "-c", script, str(path)], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "3\n", "")
    assert Locator(path).line("screening", key="reviewers") == 3  # and here, under this process's locale
