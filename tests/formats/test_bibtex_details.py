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
