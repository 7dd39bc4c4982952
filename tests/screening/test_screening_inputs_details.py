"""What screening reads, in detail: every check of review.toml's [screening] table and its wording, the
default not-retrieved reason, record IDs read twice, and how an import's rows are matched to records (DOI,
then PMID, then title; an ambiguous key matches nothing and says so)."""

from pathlib import Path

import pytest

from sysrev.errors import InputError
from sysrev.project import Project
from sysrev.screening.config import ScreeningConfig, screening_config
from sysrev.screening.records import RecordMatcher, normalise_title

ROOT = Path("/review")
GOOD = {"reviewers": ["alice", "bob", "carol"], "exclusion_reasons": ["wrong population", "wrong design"],
        "highlight_terms": ["ultrasound"]}


def _config(**changes):
    table = {**GOOD, **changes}
    return screening_config(Project(root=ROOT, config={"screening": {k: v for k, v in table.items()
                                                                      if v is not None}}))


def _refused(**changes) -> str:
    with pytest.raises(InputError) as caught:
        _config(**changes)
    return str(caught.value)


def test_a_valid_table_is_read_into_tuples_with_the_defaults():
    assert _config() == ScreeningConfig(reviewers=("alice", "bob", "carol"),
                                        exclusion_reasons=("wrong population", "wrong design"),
                                        highlight_terms=("ultrasound",), reviewers_per_record=1,
                                        not_retrieved_reason=None)


def test_entries_are_read_without_their_surrounding_spaces():
    config = _config(reviewers=[" alice", "bob "], exclusion_reasons=[" wrong population "],
                     highlight_terms=["  ultrasound"])
    assert config.reviewers == ("alice", "bob")
    assert config.exclusion_reasons == ("wrong population",)
    assert config.highlight_terms == ("ultrasound",)


def test_no_screening_table_is_an_error_naming_its_keys():
    message = f"{ROOT / 'review.toml'}: missing [screening] table (keys: reviewers, exclusion_reasons, highlight_terms)"
    for config in ({}, {"screening": "alice"}, {"screening": ["alice"]}):
        with pytest.raises(InputError) as caught:
            screening_config(Project(root=ROOT, config=config))
        assert str(caught.value) == message
        assert caught.value.path == ROOT / "review.toml"


@pytest.mark.parametrize("key", ["reviewers", "exclusion_reasons", "highlight_terms"])
def test_each_required_key_missing_is_named(key):
    assert _refused(**{key: None}) == f"{ROOT / 'review.toml'}: [screening] has no '{key}' key"


@pytest.mark.parametrize("key", ["reviewers", "exclusion_reasons", "highlight_terms"])
@pytest.mark.parametrize("value", ["alice", ["alice", 3], ["alice", ""], ["alice", "   "], [None]])
def test_a_key_that_is_not_a_list_of_non_empty_strings_is_named(key, value):
    assert _refused(**{key: value}) == (f"{ROOT / 'review.toml'}: [screening] {key} must be a list of non-empty "
                                        "strings")


@pytest.mark.parametrize("key", ["reviewers", "exclusion_reasons"])
def test_no_reviewers_or_no_exclusion_reasons_is_an_error(key):
    assert _refused(**{key: []}) == f"{ROOT / 'review.toml'}: [screening] {key} is empty"


def test_no_highlight_terms_is_allowed():
    assert _config(highlight_terms=[]).highlight_terms == ()


@pytest.mark.parametrize("key,value", [("reviewers", ["alice", "bob", "alice"]),
                                       ("exclusion_reasons", ["wrong design", "wrong design"]),
                                       ("highlight_terms", ["pain", "pain"])])
def test_an_entry_listed_twice_is_an_error(key, value):
    assert _refused(**{key: value}) == f"{ROOT / 'review.toml'}: [screening] {key} lists the same entry twice"


@pytest.mark.parametrize("key,value", [("reviewers", ["alice", "alice "]),
                                       ("exclusion_reasons", ["wrong design", " wrong design"])])
def test_entries_that_differ_only_in_surrounding_spaces_are_the_same_entry(key, value):
    # "alice " is read as alice: two entries would be one reviewer (one log file) counted as two
    assert _refused(**{key: value}) == f"{ROOT / 'review.toml'}: [screening] {key} lists the same entry twice"


@pytest.mark.parametrize("name", ["al ice", ".alice", "-alice", "_alice", "alice/bob", "../alice", "alice:1",
                                  "élodie"])
def test_a_reviewer_name_that_cannot_be_a_file_name_is_refused(name):
    assert _refused(reviewers=["bob", name]) == (
        f"{ROOT / 'review.toml'}: [screening] reviewers: {name!r} is not usable as a file name "
        "(letters, digits, '.', '_', '-')")


@pytest.mark.parametrize("name", ["a", "9", "Alice", "alice.b", "alice_b", "alice-b", "A1.b_c-d"])
def test_reviewer_names_of_letters_digits_dots_underscores_and_dashes_are_usable(name):
    assert _config(reviewers=[name]).reviewers == (name,)


@pytest.mark.parametrize("per_record", [1, 2, 3])
def test_reviewers_per_record_from_one_to_the_number_of_reviewers(per_record):
    assert _config(reviewers_per_record=per_record).reviewers_per_record == per_record


@pytest.mark.parametrize("per_record", [0, -1, 4, True, False, 1.0, 2.5, "2"])
def test_reviewers_per_record_outside_the_range_or_not_a_whole_number_is_refused(per_record):
    assert _refused(reviewers_per_record=per_record) == (
        f"{ROOT / 'review.toml'}: [screening] reviewers_per_record must be a whole number from 1 to 3")


def test_the_range_of_reviewers_per_record_follows_the_number_of_reviewers():
    assert _refused(reviewers=["alice"], reviewers_per_record=2) == (
        f"{ROOT / 'review.toml'}: [screening] reviewers_per_record must be a whole number from 1 to 1")


@pytest.mark.parametrize("reason", ["full text not retrieved", "Could not RETRIEVE the report", "not obtained",
                                    "report not available", "no full text", "No fulltext", "no full-text"])
def test_the_default_not_retrieved_reason_is_the_first_that_mentions_retrieval(reason):
    config = _config(exclusion_reasons=["wrong population", reason, "not retrieved either"])
    assert config.not_retrieved_reason == reason


def test_without_a_reason_that_mentions_retrieval_there_is_no_not_retrieved_reason():
    assert _config(exclusion_reasons=["wrong population", "full text in Chinese", "available only as abstract"]
                   ).not_retrieved_reason is None


def test_a_named_not_retrieved_reason_is_kept_when_it_is_an_exclusion_reason():
    config = _config(exclusion_reasons=["not retrieved", "paywalled"], not_retrieved_reason="paywalled")
    assert config.not_retrieved_reason == "paywalled"


def test_a_named_not_retrieved_reason_that_is_no_exclusion_reason_is_refused():
    assert _refused(not_retrieved_reason="paywalled") == (
        f"{ROOT / 'review.toml'}: [screening] not_retrieved_reason 'paywalled' is not one of exclusion_reasons")


# ---------------------------------------------------------------------------------------------- the records


@pytest.mark.parametrize("title,folded", [
    ("Ultrasound-Guided  Injection: a RANDOMISED trial!", "ultrasound guided injection a randomised trial"),
    ("Éfficacité de l'échographie", "efficacite de l echographie"),
    ("  COVID-19 (SARS-CoV-2)  ", "covid 19 sars cov 2"),
    ("", ""), (None, ""), (2020, "2020")])
def test_a_title_is_folded_to_lower_case_letters_and_digits_between_single_spaces(title, folded):
    assert normalise_title(title) == folded


RECORDS = [
    {"record_id": "r1", "doi": "10.1000/ABC", "pmid": "111", "title": "Caudal epidural injection"},
    {"record_id": "r2", "doi": "10.1000/def", "pmid": "222", "title": "Facet joint injection"},
    {"record_id": "r3", "doi": "", "pmid": "", "title": "Facet joint injection"},  # a second record, same title
    {"record_id": "r4", "doi": "10.1000/same", "pmid": "444", "title": "A"},
    {"record_id": "r5", "doi": "10.1000/same", "pmid": "555", "title": "B"},
]


def test_a_row_is_matched_by_doi_first_then_pmid_then_title():
    matcher = RecordMatcher(RECORDS)
    assert matcher.match(doi="https://doi.org/10.1000/abc", pmid="222", title="Facet joint injection") == ("r1",
                                                                                                          "doi")
    assert matcher.match(doi="10.1000/nowhere", pmid="PMID: 222", title="Caudal") == ("r2", "pmid")
    assert matcher.match(title="CAUDAL epidural injection.") == ("r1", "title")


def test_an_ambiguous_key_matches_nothing_and_the_next_is_tried():
    matcher = RecordMatcher(RECORDS)
    assert matcher.match(doi="10.1000/same", pmid="555") == ("r5", "pmid")
    assert matcher.match(doi="10.1000/same", title="Facet joint injection") == (
        None, "doi matches 2 records; title matches 2 records")


def test_what_was_tried_is_said_when_nothing_matches():
    matcher = RecordMatcher(RECORDS)
    assert matcher.match(doi="10.1000/x", pmid="999", title="Unknown") == (
        None, "doi not found; pmid not found; title not found")
    assert matcher.match(pmid="999") == (None, "pmid not found")
    assert matcher.match() == (None, "no DOI, PMID or title to match on")
    assert matcher.match(doi="not a doi", title="!!!") == (None, "no DOI, PMID or title to match on")


def test_records_without_a_key_are_not_matched_by_an_empty_one():
    matcher = RecordMatcher([{"record_id": "r1", "title": ""}, {"record_id": "r2"}])
    assert matcher.match(title="") == (None, "no DOI, PMID or title to match on")
    assert matcher.match(title="r1") == (None, "title not found")
