"""The one "did you mean …?" rule: a name equal but for case first, else the most similar above the cutoff."""

from sysrev.did_you_mean import closest


def test_a_name_equal_but_for_case_is_meant_even_when_it_shares_no_letter_with_the_typed_case():
    assert closest("BOB", ["alice", "bob"]) == "bob"
    assert closest("Wrong Population", ["wrong comparator", "wrong population"]) == "wrong population"


def test_else_the_most_similar_name_above_the_cutoff_as_written():
    assert closest("wrong populations", ["wrong comparator", "Wrong population"]) == "Wrong population"
    assert closest("cochrane-centrl", ["cochrane-central", "pubmed"], cutoff=0.8) == "cochrane-central"
    assert closest("cochrane-reviews", ["cochrane-central"], cutoff=0.8) is None  # ratio 0.625
    assert closest("cochrane-reviews", ["cochrane-central"]) == "cochrane-central"  # at the default 0.6
    assert closest("zed", ["alice", "bob"]) is None


def test_names_that_are_not_text_are_passed_over_and_the_first_of_two_in_different_case_counts():
    assert closest("smd", [1.5, None, "SMD", "smd"]) == "SMD"
    assert closest(12, ["12", "13"]) == "12"
    assert closest("x", []) is None
