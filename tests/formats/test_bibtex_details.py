"""BibTeX beyond the fields: keyless and spaced keys named by their lines, macros and concatenation, a preamble,
Web of Science's identifiers, keywords and notes."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references

BIB = """\
@string{pre = "Ultra"}
@preamble{"\\newcommand{\\noop}[1]{}"}
@article{,
  title = {First keyless},
  year = {2001},
}

@article{,
  title = pre # "sound" # { guided},
  keywords = {alpha, beta},
  annote = {PMID: 31234567},
}
@article{my key 1,
  title = {Spaced key},
}
@article{other key,
  title = {Another spaced key},
}
@article{park2020,
  author = {Park, K},
  title = {A Web of Science record},
  year = {2020},
  unique-id = {WOS:000123456700001},
  earlyaccessdate = {MAR 2020},
}
"""


def test_keys_lines_and_values(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    parsed = load_references(path)
    assert [(r.source_id, r.source, r.title, r.keywords, r.pmid, r.year) for r in parsed.records] == [
        ("refs.bib:3", "file", "First keyless", [], "", 2001),  # no key: named by its line
        ("refs.bib:8", "file", "Ultrasound guided", ["alpha", "beta"], "31234567", None),  # macro # strings
        ("my_key_1", "file", "Spaced key", [], "", None),
        ("other_key", "file", "Another spaced key", [], "", None),
        # Web of Science: its accession number, not the key, identifies the record
        ("WOS:000123456700001", "web-of-science", "A Web of Science record", [], "", 2020)]
    assert parsed.warnings == [
        f"{path}, line 13: entry key 'my key 1' contains spaces; read as 'my_key_1'",
        f"{path}, line 16: entry key 'other key' contains spaces; read as 'other_key'",
        f"{path}: 2 entries have no key (as in '@article{{,'); each is named by its file and line"]


def test_one_keyless_entry_is_counted_in_the_singular(tmp_path):
    path = tmp_path / "one.bib"
    path.write_text("@article{,\n  title = {Alone},\n}\n", encoding="utf-8")
    parsed = load_references(path)
    assert [r.source_id for r in parsed.records] == ["one.bib:1"]
    assert parsed.warnings == [f"{path}: 1 entry has no key (as in '@article{{,'); each is named by its file and line"]


def test_a_nonstandard_entry_type_is_read_and_month_macros_are_expanded(write_file):
    parsed = load_references(write_file("online.bib", "@online{web1,\n  title = {A web page},\n  month = jan,\n"
                                                      "  year = 2021,\n}\n"))
    [record] = parsed.records
    assert (record.source_id, record.title, record.year, record.publication_types) == ("web1", "A web page", 2021,
                                                                                       ["online"])
    assert record.extra["fields"] == {"month": "January"}


def test_an_entry_too_long_to_be_a_reference_is_refused_with_its_size(write_file):
    path = write_file("huge.bib", "@article{big,\n  abstract = {" + "x" * 1_100_000 + "},\n}\n")
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value) == (f"{path}, line 1: BibTeX entry 'big' is 1100 KB long; no reference is, so this is not "
                               "a BibTeX export (or braces are unbalanced)")


def test_a_macro_the_file_does_not_define_is_read_as_its_name_with_a_warning(write_file):
    # A library's @string definitions often live in another file ('journal = jomch', as in biblatex's examples):
    # the whole file was refused with "BibTeX could not be parsed: 'jomch'" and no line. BibTeX itself warns
    # and goes on; the field is kept under the macro's name. A defined macro and a month still expand.
    path = write_file("macros.bib", "@string{jcp = {J Chem Phys}}\n@article{a,\n  title = {One},\n"
                                    "  journal = jomch,\n  month = jan,\n}\n@article{b,\n  title = {Two},\n"
                                    "  journal = jcp # { } # suppl,\n  note = jomch,\n}\n")
    parsed = load_references(path)
    assert [(r.title, r.journal) for r in parsed.records] == [("One", "jomch"), ("Two", "J Chem Phys suppl")]
    assert parsed.records[0].extra["fields"] == {"month": "January"}
    assert parsed.warnings == [
        f"{path}, line 4: the string macro 'jomch' is used but not defined in this file (no @string{{jomch = …}}); "
        "its name is read as its value",
        f"{path}, line 9: the string macro 'suppl' is used but not defined in this file (no @string{{suppl = …}}); "
        "its name is read as its value"]


def test_more_undefined_macros_than_any_library_has_are_refused(write_file, monkeypatch):
    monkeypatch.setattr("sysrev.formats.bibtex.MAX_UNDEFINED_MACROS", 2)
    path = write_file("words.bib", "@article{a,\n  title = {T},\n  journal = one # two # three,\n}\n")
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value) == (f"{path}: BibTeX uses more than 2 string macros it does not define (such as "
                               "'three'); not a BibTeX export, or its @string definitions are missing")


def test_an_entry_without_fields_is_left_out_with_a_warning(write_file):
    # JabRef saves '@Misc{one,\n}'; bibtexparser drops such an entry, and the file was refused as unparsable.
    path = write_file("empty.bib", "@Misc{full,\n  title = {Full}\n}\n\n@Misc{one,\n}\n@misc{two}\n"
                                   "@misc{three,\n  title = {Three}\n}\n")
    parsed = load_references(path)
    assert [r.title for r in parsed.records] == ["Full", "Three"]
    assert parsed.warnings == [f"{path}, line 5: entry 'one' has no fields; left out",
                               f"{path}, line 7: entry 'two' has no fields; left out"]


def test_one_field_per_line_entries_with_unbalanced_braces_are_read_line_by_line(write_file):
    # EBSCO writes one field per line and copies text with stray braces into a value; the line structure says
    # where each value ends. Both a brace too many (the entry ended early and its last fields were "outside every
    # entry") and one too few (the value ran on into the next fields) are read so, the braces kept as text, with
    # a warning naming the fields; the entries around them are untouched.
    path = write_file("ebsco.bib", "@article{a,\nTitle = {Before},\n}\n\n@article{b,\nTitle = {Too many}},\n"
                                   "Keywords = {x {y},\n\nYear = 2001,\nAuthor = {Smith, J},\n}\n"
                                   "@article{c,\nTitle = {After {DNA}},\n}\n")
    parsed = load_references(path)
    assert [(r.title, r.keywords, r.year, r.authors) for r in parsed.records] == [
        ("Before", [], None, []), ("Too many}", ["x {y"], 2001, ["Smith, J"]), ("After DNA", [], None, [])]
    assert parsed.warnings == [
        f"{path}, line 5: the braces of entry 'b' do not balance in the fields 'Title' (line 6), 'Keywords' (line "
        "7); as the entry writes one field per line (as EBSCO does), each line was read as one field, its braces as "
        "text"]


@pytest.mark.parametrize("entry", [
    "@article{b,\nTitle = {Too many}},\nAbstract = {wrapped onto\n  a second line},\n}\n",  # a value over two lines
    "@article{b, Title = {Too many}},\nYear = {2001},\n}\n",  # a field on the opening line
    "@article{b,\nTitle = {Too many}}, Year = {2001},\n}\n",  # two fields on one line
    "@article{b,\nTitle = {Balanced}\nYear = {2001},\n}\n",  # braces balance: a missing comma is no stray brace
])
def test_entries_not_laid_out_one_field_per_line_stay_an_error(write_file, entry):
    path = write_file("broken.bib", "@article{a,\nTitle = {Before},\n}\n" + entry + "@article{c,\nTitle = {C},\n}\n")
    with pytest.raises(InputError) as info:
        load_references(path)
    assert info.value.line in (4, 5, 6)


def test_a_one_field_per_line_entry_without_its_closing_line_is_not_read_by_line(write_file):
    # the stray brace closed the entry, so the file does not end inside it; the year after it, a bare number,
    # was lost without a word before (only braced and quoted values counted as fields outside every entry)
    path = write_file("cut.bib", "@article{a,\nTitle = {Whole},\n}\n@article{b,\nTitle = {Stray}},\nYear = 2001,\n")
    with pytest.raises(InputError) as info:
        load_references(path)
    assert info.value.line == 6 and "the field 'Year' after entry 'b' is outside every entry" in str(info.value)


def test_a_free_text_line_with_a_number_between_entries_is_still_a_comment(write_file):
    path = write_file("notes.bib", "Total = 3 records, see below\n@article{a,\nTitle = {One},\n}\n")
    assert [r.title for r in load_references(path).records] == ["One"]
