"""Field normalisers (sysrev.normalise): DOI, PMID/PMCID, ISSN, pages, years, markup, author names."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sysrev.normalise import (
    clean_text,
    expand_pages,
    is_plain_number,
    normalise_doi,
    normalise_issn,
    normalise_pmcid,
    normalise_pmid,
    parse_author,
    parse_year,
    split_list,
    strip_markup,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("10.1016/J.MEX.2018.03.007", "10.1016/j.mex.2018.03.007"),
        ("https://doi.org/10.1002/14651858.CD001234.pub2", "10.1002/14651858.cd001234.pub2"),
        ("http://dx.doi.org/10.1056/NEJMoa1234", "10.1056/nejmoa1234"),
        ("doi: 10.1097/AJP.0000000000000123.", "10.1097/ajp.0000000000000123"),
        ("DOI:10.1000/xyz123 [doi]", "10.1000/xyz123"),
        ("https://doi.org/10.1002%2Fabc.123", "10.1002/abc.123"),
        ("10.1016/S0140-6736(20)30183-5", "10.1016/s0140-6736(20)30183-5"),
        ("(see 10.1000/abc)", "10.1000/abc"),
        ("doi:10.1000/x(1).", "10.1000/x(1)"),  # a closing parenthesis the DOI opened is kept ...
        ("(10.1000/x(1)))", "10.1000/x(1)"),  # ... one it did not open is dropped
        ("", ""),
        (None, ""),
        ("not a doi", ""),
    ],
)
def test_normalise_doi(raw, expected):
    assert normalise_doi(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("30042925", "30042925"),
        ("PMID: 30042925", "30042925"),
        ("30042925 [pmid]", "30042925"),
        ("https://pubmed.ncbi.nlm.nih.gov/30042925/", "30042925"),
        ("30042925.0", "30042925"),
        ("PMC6055010", ""),
        ("", ""),
        ("n/a", ""),
        ("PMID: 0012340", "12340"),  # leading zeros dropped, trailing ones kept
        ("PMID: 12345 (2019/05/01)", "12345"),  # a slash without "10." is no DOI
        ("10.1000/182", ""),  # a DOI is not taken for a PMID
        ("PubMed 12345, doi 10.1/x", "12345"),  # ... unless the value says PubMed
    ],
)
def test_normalise_pmid(raw, expected):
    assert normalise_pmid(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("PMC6055010", "PMC6055010"), ("6055010", "PMC6055010"), ("pmc 123", "PMC123"), ("PMID 5", ""), ("", ""),
     ("PMC0012340", "PMC12340"), ("6055010.0", "PMC6055010")],
)
def test_normalise_pmcid(raw, expected):
    assert normalise_pmcid(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("0028-0836", "0028-0836"), ("1234567x", "1234-567X"), ("1234-567X (Linking)", "1234-567X"), ("abc", "")],
)
def test_normalise_issn(raw, expected):
    assert normalise_issn(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("575-86", "575-586"),
        ("575-586", "575-586"),
        ("1234-5", "1234-1235"),
        ("12\u201315", "12-15"),
        ("R12-5", "R12-R15"),
        ("S1-S9", "S1-S9"),
        ("e1234", "e1234"),
        ("575-", "575"),
        ("575-575", "575"),
        ("575-5", "575"),  # an end that expands to the start
        ("iii-xii", "iii-xii"),
        ("99-10", "99-10"),
        ("", ""),
        (" 1 - 9 ", "1-9"),
        ("1–2–3", "1-2-3"),  # not a pair: dashes made hyphens, nothing expanded
        ("12 - xiv", "12-xiv"),  # one side not a number: cleaned, as given
        ("R12-S15", "R12-S15"),  # two different prefixes
        ("r12-R15", "r12-r15"),  # one prefix, in either case
    ],
)
def test_expand_pages(raw, expected):
    assert expand_pages(raw) == expected


@pytest.mark.parametrize("shown, pages", [
    # a range a spreadsheet made a date, given back when one range alone can have made it
    ("Jan-13", "1-13"), ("Nov-19", "11-19"), ("oct-17", "10-17"),  # month and year: always the range typed
    ("01-Apr", "1-4"), ("04-Jan", "1-4"),  # 1-4 typed where days or months come first (4-1 runs backwards)
    ("31-Dec", "12-31"), ("05-May", "5"), ("1-Jan", "1"), ("Dec-12", "12"),
    ("29-Jan", "1-29"),  # 29-1 is 29-21, backwards: only 1-29 can have made it
    # two ranges could have made it (21-8 is MEDLINE's 21-28; 8-21): left as shown, unusable as pages
    ("21-Aug", "21-Aug"), ("11-Sep", "11-Sep"), ("01-Nov", "01-Nov"), ("10-Jun", "10-Jun"),
    # not a spreadsheet date
    ("Dec-05", "Dec-05"), ("e01-Apr", "e01-Apr"), ("Apr", "Apr"), ("12-Xyz", "12-Xyz"), ("Sep-Oct", "Sep-Oct"),
    ("123-Apr", "123-Apr"), ("Apr-123", "Apr-123"),
])
def test_a_page_range_a_spreadsheet_turned_into_a_date(shown, pages):
    assert expand_pages(shown) == pages


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2018 Jul-Sep", 2018),
        ("2018/05/01", 2018),
        ("Spring 2019", 2019),
        ("1998 Dec 7-21", 1998),
        ("Start date: 20170812", 2017),
        (2020, 2020),
        (2020.0, 2020),
        (20170812, 2017),  # a compact date a spreadsheet keeps as a number (was None)
        (1500, 1500), (2100, 2100), (1499, None), (2101, None), ("1499", None), ("2101", None),
        (True, None),
        ("in press", None),
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_year(raw, expected):
    assert parse_year(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("<i>In vitro</i> study of H<sub>2</sub>O", "In vitro study of H2O"),
        ("Effect of <mml:math><mml:mi>x</mml:mi></mml:math> on y", "Effect of x on y"),
        ("<p>One.</p><p>Two.</p>", "One. Two."),
        ("p<0.05 and a > b", "p<0.05 and a > b"),
        ("Crohn&#x27;s &amp; colitis", "Crohn's & colitis"),
        ("&lt;i&gt; is a tag", "<i> is a tag"),
        ("  many\n  spaces\u00a0here ", "many spaces here"),
        (None, ""),
    ],
)
def test_strip_markup(raw, expected):
    assert strip_markup(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Smith, John A.", "Smith, John A."),
        ("Smith JA", "Smith, JA"),
        ("Smith J.A.", "Smith, J.A."),
        ("Brownstein C D", "Brownstein, C D"),
        ("van der Berg J", "van der Berg, J"),
        ("John A. Smith", "Smith, John A."),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Smith, Jr., John", "Smith, John Jr."),
        ("Martin Luther King Jr.", "King, Martin Luther Jr."),
        ("Plato", "Plato"),
        ("The ABC Trial Group", "The ABC Trial Group"),
        ("Müller, Jörg", "Müller, Jörg"),
        ("Smith,", "Smith"),
        ("van den Hoven,null", "van den Hoven"),
        ("", ""),
        # a family name with its particle and no given name stays whole (was "Beethoven, van")
        ("van Beethoven", "van Beethoven"),
        ("de la Cruz", "de la Cruz"),
        ("Bin Zhao", "Zhao, Bin"),  # a capitalised first word is a given name, even one spelt like a particle
        ("Anna Maria van Beethoven", "van Beethoven, Anna Maria"),
        ("Anna Maria de la Cruz", "de la Cruz, Anna Maria"),  # five words: still a name
        ("Jean Paul Marie de la Tour", "Jean Paul Marie de la Tour"),  # six: kept as written
        ("van der Berg J A", "van der Berg, J A"),
        ("John Smith Jr", "Smith, John Jr"),
        ("Smith Jr", "Smith, Jr"),  # as "Smith, Jr" reads (was "Jr, Smith")
        ("Xu, X", "Xu, X"),
        ("Smith, J;", "Smith, J"),
        ("Smith, John, A", "Smith, John A"),  # only a suffix moves behind the given names
    ],
)
def test_parse_author(raw, expected):
    assert parse_author(raw) == expected


def test_split_list_and_clean_text():
    assert split_list("a; b ;; c") == ["a", "b", "c"]
    assert split_list("Xu, X; Xiao, Y") == ["Xu, X", "Xiao, Y"]  # the default splits at ';' alone
    assert clean_text("caf\u00e9\u00a0\u00a0au\u200b lait\u00ad ") == "café au lait"  # NBSP, zero-width, soft hyphen
    assert split_list("a, b|c", separators=[",", "|"]) == ["a", "b", "c"]
    assert split_list(None) == []
    assert clean_text(" a \n\t b ") == "a b"


@given(st.text())
def test_normalisers_never_raise(text):
    for func in (normalise_doi, normalise_pmid, normalise_pmcid, normalise_issn, expand_pages, strip_markup,
                 parse_author, clean_text):
        assert isinstance(func(text), str)
    assert parse_year(text) is None or 1500 <= parse_year(text) <= 2100


@given(st.integers(1, 99999), st.integers(1, 999))
def test_expand_pages_undoes_medline_abbreviation(start, delta):
    """MEDLINE drops the leading digits the end shares with the start; expansion restores the full range."""
    first, last = str(start), str(start + delta)
    shared = 0
    if len(first) == len(last):
        while shared < len(first) - 1 and first[shared] == last[shared]:
            shared += 1
    assert expand_pages(f"{first}-{last[shared:]}") == f"{first}-{last}"


@given(st.text(max_size=12))
def test_is_plain_number_is_exactly_what_int_reads_as_ascii_digits(text):
    """True exactly for non-empty ASCII digit strings, and then int() reads it (superscripts and other
    scripts' digits, which str.isdigit() accepts, are not plain numbers)."""
    expected = bool(text) and all("0" <= ch <= "9" for ch in text)
    assert is_plain_number(text) == expected
    if expected:
        assert int(text) >= 0
    assert not is_plain_number("²") and not is_plain_number("١٢") and is_plain_number("012")


# The definitions clean_text and strip_markup must keep while they skip work on values that are already
# clean (their fast paths): NBSP to a space, invisible characters dropped, NFC, white space collapsed and
# trimmed; then block tags to a space, inline tags dropped, entities decoded, cleaned again.
def _clean_by_definition(text):
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", re.sub("[\u200b\u2060\ufeff\u00ad]", "", text.replace("\u00a0", " ")))
    return re.sub(r"\s+", " ", text).strip()


def _strip_by_definition(text):
    import html

    from sysrev import normalise

    text = _clean_by_definition(text)
    text = normalise._TAG.sub("", normalise._BLOCK_TAG.sub(" ", text))
    return _clean_by_definition(html.unescape(text))


_PIECES = list("ab <>/&;#x1p \t\n\r\x0b\x0c\x1c\x1f\x7f\u00a0\u200b\u00ad\u2028e\u0301\u00e9") + [
    "<i>", "</p>", "&amp;", "&lt;", "  "]
_MESSY = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)


@given(st.one_of(_MESSY, st.text(max_size=40)))
def test_clean_text_and_strip_markup_keep_their_definitions(text):
    assert clean_text(text) == _clean_by_definition(text)
    assert strip_markup(text) == _strip_by_definition(text)
