"""CSV exports: the layouts' own rules, each checked on a small made-up file with every value compared."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references
from sysrev.formats.csv_export import split_names


def test_surplus_funding_texts_are_kept_under_their_numbers_and_the_columns_after_stay_aligned(write_file):
    """Older Scopus CSVs give some rows 'Funding Text 2', '3' … as cells the header does not name."""
    text = ("Authors,Title,Year,Funding Text 1,Document Type,DOI,EID\n"
            "Park K.,A Scopus trial,2013,Grant A,Grant B,Grant C,Article,10.1000/a.1,2-s2.0-1\n"
            "Lee S.,Another trial,2014,,Review,10.1000/b.2,2-s2.0-2\n")
    parsed = load_references(write_file("scopus.csv", text))
    first, second = parsed.records
    assert (first.source_id, first.doi, first.publication_types) == ("2-s2.0-1", "10.1000/a.1", ["Article"])
    assert first.extra["fields"] == {"Funding Text 1": "Grant A", "Funding Text 2": "Grant B",
                                     "Funding Text 3": "Grant C"}
    assert (second.source_id, second.doi, second.publication_types) == ("2-s2.0-2", "10.1000/b.2", ["Review"])
    assert "fields" not in second.extra and parsed.warnings == []


def test_springer_names_written_without_a_separator_are_split(write_file):
    text = ("Item Title,Publication Title,Item DOI,Authors,Publication Year,URL,Content Type\n"
            "A Springer chapter,Spine Book,10.1007/978-3-030-00001-1_1,"
            "Araz R. AlievNigar T. IsmayilovaJohn Smith,2020,http://link.springer.com/x,Chapter\n")
    parsed = load_references(write_file("springer.csv", text))
    assert parsed.dialect == "springer"
    assert parsed.records[0].authors == ["Aliev, Araz R.", "Ismayilova, Nigar T.", "Smith, John"]


def test_a_file_with_only_an_abstract_column_is_read_and_a_pubmed_record_id_becomes_the_pmid_form(write_file):
    path = write_file("abstracts.csv", "Abstract,Record ID\nOnly an abstract here.,pubmed:31234567\n"
                                       "Second abstract.,R2\n")
    parsed = load_references(path)
    assert [(r.source_id, r.abstract) for r in parsed.records] == [("31234567", "Only an abstract here."),
                                                                   ("R2", "Second abstract.")]
    assert parsed.warnings == [f"{path}: 2 records have no title"]


def test_author_cells_in_every_convention():
    assert split_names("['Park, K', ' ', 'Lee, S']") == ["Park, K", "Lee, S"]  # a Python list, blanks left out
    assert split_names("[unbalanced, list") == ["[unbalanced, list"]  # not a list after all: one name
    assert split_names("Smith, J; et al.") == ["Smith, J"]
    assert split_names("Smith J, Roe R, et al") == ["Smith J", "Roe R"]
    assert split_names("Hao, Jie (57221302630); Li, Wei (57221302631)") == ["Hao, Jie", "Li, Wei"]
    assert split_names("Marx, Karl, Lindgren, Astrid") == ["Marx, Karl", "Lindgren, Astrid"]
    assert split_names("Park K and Lee S") == ["Park K", "Lee S"]
    assert split_names("A | B") == ["A", "B"] and split_names("  ") == [] and split_names("...") == []


def test_zotero_pmids_in_extra_or_notes(write_file):
    text = ("Key,Item Type,Publication Year,Author,Title,Extra,Notes,Manual Tags\n"
            'K1,journalArticle,2020,"Park, K",Zotero one,PMID: 31234567,,a; b\n'
            'K2,journalArticle,2021,"Lee, S",Zotero two,,"<p>PMID: 32345678</p>",\n')
    parsed = load_references(write_file("zotero.csv", text))
    assert parsed.dialect == "zotero"
    assert [(r.source_id, r.pmid, r.keywords) for r in parsed.records] == [("K1", "31234567", ["a", "b"]),
                                                                           ("K2", "32345678", [])]


def test_excel_text_guards_and_a_list_of_keywords_are_undone(write_file):
    """Excel writes '="007"' to keep a leading zero; some tools write keywords as a Python list."""
    text = 'Title,DOI,Keywords,ID\n="00123 title",="10.1000/x.1","[\'alpha\', \'beta\']",="007"\n'
    parsed = load_references(write_file("guarded.csv", text))
    [record] = parsed.records
    assert (record.source_id, record.title, record.doi, record.keywords) == ("007", "00123 title", "10.1000/x.1",
                                                                            ["alpha", "beta"])


def test_a_numbered_file_s_abstract_paragraphs_are_not_taken_for_swallowed_rows(write_file):
    # ASReview's Kitchenham_2010.csv: a structured abstract whose paragraphs each hold as many commas as the
    # header has columns; the file was refused as an unclosed quote. Its rows start with a record ID, and a row
    # a quote swallowed would too; paragraphs starting with words are prose.
    header = "record_id,title,abstract,year,label_included,duplicate_record_id\n"
    prose = ("1,First,\"Background\nWe built a system, a tool, a test, a form, and a report.\n\nMethods\n"
             "We asked users, clinicians, nurses, managers, and patients.\",2009,0,\n2,Second,Plain,2010,1,\n")
    parsed = load_references(write_file("kitchenham.csv", header + prose))
    assert [r.title for r in parsed.records] == ["First", "Second"] and parsed.warnings == []
    swallowed = "1,First,\"Unclosed,2009,0,\n2,Second,Plain,2010,1,\n3,Third,Plain,2011,0,\n4,Fourth,\"Q\",2012,0,\n"
    with pytest.raises(InputError) as info:
        load_references(write_file("swallowed.csv", header + swallowed))
    assert info.value.line == 2 and "look like whole rows: an unclosed quote?" in str(info.value)
