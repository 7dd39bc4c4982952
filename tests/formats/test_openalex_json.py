"""OpenAlex works JSON: an API page, an array and a single work read whole; cut-off files and other JSON."""

import json

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references
from sysrev.formats.detect import detect_format

WORK = {
    "id": "https://openalex.org/W1234567890",
    "doi": "https://doi.org/10.36076/PPJ.2013/16/213",
    "title": "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
    "display_name": "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
    "publication_year": 2013,
    "publication_date": "2013-05-01",
    "language": "en",
    "type": "article",
    "type_crossref": "journal-article",
    "ids": {"openalex": "https://openalex.org/W1234567890", "doi": "https://doi.org/10.36076/ppj.2013/16/213",
            "pmid": "https://pubmed.ncbi.nlm.nih.gov/23703408", "pmcid": "https://www.ncbi.nlm.nih.gov/pmc/articles/"
                                                                          "1234567"},
    "primary_location": {"landing_page_url": "https://example.org/park2013",
                         "source": {"display_name": "Pain Physician", "issn_l": "1533-3159",
                                    "issn": ["2150-1149", "1533-3159"], "type": "journal"}},
    "authorships": [{"author_position": "first", "author": {"display_name": "Ki Deok Park"}},
                    {"author_position": "last", "author": {"display_name": "Tae Kyun Kim"}}],
    "biblio": {"volume": "16", "issue": "3", "first_page": "213", "last_page": "221"},
    "abstract_inverted_index": {"Background:": [0], "a": [1], "randomised": [2], "trial.": [3, 5], "Another": [4]},
    "keywords": [{"display_name": "Epidural injection", "score": 0.6}],
    "mesh": [{"descriptor_name": "Low Back Pain", "is_major_topic": True},
             {"descriptor_name": "Epidural injection", "is_major_topic": False}],
    "is_retracted": False,
    "is_paratext": False,
    "open_access": {"is_oa": True, "oa_url": "https://example.org/park2013.pdf"},
    "cited_by_count": 42,
}
BARE = {"id": "https://openalex.org/W42", "display_name": "Only a name", "publication_year": None,
        "authorships": [], "is_retracted": True, "primary_location": None}


def _write(write_file, data, name="works.json"):
    return write_file(name, json.dumps(data))


def test_an_api_page_is_read_work_by_work(write_file):
    path = _write(write_file, {"meta": {"count": 2}, "results": [WORK, BARE], "group_by": []})
    parsed = load_references(path)
    assert (parsed.format, parsed.dialect) == ("openalex_json", "openalex")
    full, bare = (r.to_dict() for r in parsed.records)
    assert full == {
        "source_id": "W1234567890", "source": "openalex",
        "title": "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
        "abstract": "Background: a randomised trial. Another trial.",
        "authors": ["Park, Ki Deok", "Kim, Tae Kyun"], "year": 2013, "journal": "Pain Physician",
        "journal_abbrev": "", "volume": "16", "issue": "3", "pages": "213-221",
        "doi": "10.36076/ppj.2013/16/213", "pmid": "23703408", "pmcid": "PMC1234567", "issn": "1533-3159",
        "language": "en", "publication_types": ["article"], "keywords": ["Epidural injection", "Low Back Pain"],
        "url": "https://example.org/park2013",
        "extra": {"type": "article", "fields": {"publication_date": "2013-05-01", "type_crossref": "journal-article",
                                                "oa_url": "https://example.org/park2013.pdf", "cited_by_count": 42}},
    }
    # the display name when there is no title; a retracted work says so; missing objects are nothing, not errors
    assert (bare["source_id"], bare["title"], bare["year"], bare["authors"], bare["journal"]) == (
        "W42", "Only a name", None, [], "")
    assert bare["extra"] == {"fields": {"is_retracted": True}}


def test_an_array_and_a_single_work_are_read_and_detected_by_content(write_file):
    as_array = load_references(_write(write_file, [BARE, WORK], "array.txt"))
    assert [r.source_id for r in as_array.records] == ["W42", "W1234567890"]
    one = load_references(_write(write_file, WORK, "one.json"))
    assert [r.source_id for r in one.records] == ["W1234567890"]
    # a work has a "title" as CSL-JSON items do: the OpenAlex id decides
    assert detect_format(json.dumps([WORK])) == "openalex_json"
    assert detect_format(json.dumps([{"title": "A CSL item", "id": "item-1"}])) == "csl_json"


def test_an_array_cut_off_is_refused_then_its_complete_works_kept(write_file):
    text = json.dumps([WORK, BARE], indent=1)
    path = write_file("cut.json", text[:text.index('"Only a name"')])
    with pytest.raises(InputError, match="cut off"):
        load_references(path)
    kept = load_references(path, allow_truncated=True)
    assert [r.source_id for r in kept.records] == ["W1234567890"]


@pytest.mark.parametrize("data, message", [
    ({"results": [WORK, {"id": "https://openalex.org/A5023888391", "display_name": "An author",
                         "publication_year": 2020}]},
     "not OpenAlex JSON: item 2 of 2 is not a work (an object whose 'id' is https://openalex.org/W…)"),
    ({"results": [WORK, "W42"]}, "not OpenAlex JSON: item 2 of 2 is not a work"),
])
def test_what_is_not_a_work_is_refused_naming_it(write_file, data, message):
    path = _write(write_file, data)
    with pytest.raises(InputError) as info:
        load_references(path, format="openalex_json")
    assert str(info.value).startswith(f"{path}: {message}")


def test_the_title_and_doi_come_from_their_own_fields_first(write_file):
    titled = dict(WORK, title="The title", display_name="The display name", doi=None,
                  ids={"doi": "https://doi.org/10.1000/FROM.IDS"})
    record = load_references(_write(write_file, [titled])).records[0]
    assert (record.title, record.doi) == ("The title", "10.1000/from.ids")
    only_top = dict(WORK, ids={}, doi="https://doi.org/10.1000/top")
    assert load_references(_write(write_file, [only_top], "top.json")).records[0].doi == "10.1000/top"


def test_fields_a_work_may_lack_or_hold_in_another_shape(write_file):
    work = {"id": "https://openalex.org/W7", "title": {"not": "text"}, "display_name": "The display name",
            "publication_year": "2015", "ids": {"pmid": "https://pubmed.ncbi.nlm.nih.gov/1"},
            "primary_location": {"source": {"display_name": ["no"], "issn": ["", "2150-1149"]}},
            "biblio": {"first_page": None, "last_page": "221"}, "is_paratext": True, "cited_by_count": "42",
            "authorships": ["a name without its object", {"author": None}, {"author": {"display_name": "Ann Lee"}}]}
    record = load_references(_write(write_file, [work])).records[0].to_dict()
    assert record == {
        "source_id": "W7", "source": "openalex", "title": "The display name", "abstract": "", "authors": ["Lee, Ann"],
        "year": 2015, "journal": "", "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "",
        "pmid": "1", "pmcid": "", "issn": "2150-1149", "language": "", "publication_types": [], "keywords": [],
        "url": "", "extra": {"fields": {"is_paratext": True}}}
    # the first page alone is the pages; a year that is no year is none
    alone = dict(work, biblio={"first_page": "e1042"}, publication_year={"year": 2015})
    record = load_references(_write(write_file, [alone], "alone.json")).records[0]
    assert (record.pages, record.year) == ("e1042", None)


def test_detection_needs_an_openalex_work_id_and_a_work_s_field():
    from sysrev.formats.openalex_json import is_openalex_json

    assert is_openalex_json('{"id": "https://openalex.org/W1", "publication_year": 2020}')
    assert not is_openalex_json('{"id": "https://openalex.org/W1", "display_name": "no work field"}')
    assert not is_openalex_json('{"id": "https://openalex.org/A1", "authorships": []}')  # an author, not a work
    assert not is_openalex_json('x{"id": "https://openalex.org/W1", "publication_year": 2020}')


def test_json_that_holds_no_works_is_refused_naming_the_file(write_file):
    path = write_file("string.json", '"just a string"')
    with pytest.raises(InputError) as info:
        load_references(path, format="openalex_json")
    assert str(info.value) == (f"{path}: not OpenAlex JSON: expected works (objects with an 'id' "
                               "https://openalex.org/W…)")
    broken = write_file("broken.json", '[{"id": "https://openalex.org/W1", "publication_year": 2020,}]')
    with pytest.raises(InputError) as info:
        load_references(broken)
    assert str(info.value).startswith(f"{broken}, line 1: not valid JSON")
