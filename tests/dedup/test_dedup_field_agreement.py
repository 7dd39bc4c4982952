"""What counts as the same title, first author and journal (docs/dedup.md, "How decisions are made").

Each comparison is checked through the public functions of ``sysrev.dedup.scoring`` on records built by
hand; the expected answer is the documented rule, and every "same" has a near miss that must not be.
"""

import pytest

from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import author_match, journal_match, title_band, unshifted
from sysrev.records import Record

TITLE = ("Early mobilisation after total knee arthroplasty and length of hospital stay: "
         "results of 12 randomised trials")


def keys(**fields):
    return record_keys(Record(source_id="x", **fields))


def band(title_a: str, title_b: str) -> str:
    return title_band(keys(title=title_a), keys(title=title_b))[0]


def authors(a: list, b: list) -> str:
    return author_match(keys(authors=a), keys(authors=b))


def journals(a: str, b: str) -> str:
    return journal_match(keys(journal=a), keys(journal=b))


# --- titles --------------------------------------------------------------------------------------------


def test_titles_equal_after_folding_are_exact():
    # capitalisation and British spelling are folded before comparing ("randomise" -> "randomize")
    assert title_band(keys(title=TITLE), keys(title=TITLE.upper().replace("RANDOMISED", "RANDOMIZED"))) \
        == ("exact", 100.0)


def test_a_title_too_short_to_compare_is_missing_with_no_similarity():
    # no usable title: nothing to measure, so no similarity either
    assert title_band(keys(title="Letter"), keys(title=TITLE)) == ("missing", 0.0)
    assert title_band(keys(title=TITLE), keys(title="")) == ("missing", 0.0)


def test_a_typo_is_high_and_another_number_is_a_conflict():
    typo = TITLE.replace("hospital", "hospitl")
    name, ratio = title_band(keys(title=TITLE), keys(title=typo))
    assert name == "high" and 95 <= ratio < 100
    # "different numbers (HPV16 vs HPV18, Paper 41 vs Paper 45)" are another study however alike the rest
    assert band(TITLE, TITLE.replace("12", "14")) == "numbers"


def test_a_number_in_one_title_only_is_no_conflict_but_no_longer_high():
    # one title states a number the other leaves out (a subset, not another number): similar, not the same
    without = TITLE.replace("of 12 ", "of ")
    assert band(TITLE, without) == "medium"
    assert band(without, TITLE) == "medium"
    # one number set inside the other is still no conflict ("12 trials, 2 countries" vs "12 trials")
    more = TITLE.replace("trials", "trials in 2 countries")
    assert band(TITLE, more) == "medium"
    assert band(more, TITLE) == "medium"


def test_a_contrasting_word_makes_alike_titles_a_conflict():
    # men/women, in vivo/in vitro ...: one word that names another population or setting
    assert band("Statin use in men with type 2 diabetes", "Statin use in women with type 2 diabetes") == "numbers"
    assert band("Bone loss after ovariectomy in rats: an in vivo study",
                "Bone loss after ovariectomy in rats: an in vitro study") == "numbers"


def test_the_similarity_bands_include_their_lower_bounds():
    # docs/dedup.md: near-identical is "rapidfuzz ratio ≥ 95", similar is "ratio 88–95"; the ratios below are
    # worked out by hand (ratio = 2 × matching letters / letters of both): one letter of 20 changed gives
    # 2 × 19 / 40 = 95 %, three letters of 25 changed give 2 × 22 / 50 = 88 %
    assert title_band(keys(title="Knee pain in runners"), keys(title="Knee pain in rinners")) == ("high", 95.0)
    assert title_band(keys(title="Shoulder pain in swimmers"), keys(title="Shouldar pein in swymmers")) \
        == ("medium", 88.0)


def test_a_contrasting_word_counts_from_a_ratio_of_80():
    # "acute" -> "chronic" (acute/chronic is a contrast): the letters in common are the 18 of the shared
    # " pain after surgery" plus "c" and the space, 2 × 20 / (24 + 26) = 80 %; at 83 % likewise
    assert title_band(keys(title="Acute pain after surgery"), keys(title="Chronic pain after surgery")) \
        == ("numbers", 80.0)
    assert band("Acute pain after knee surgery", "Chronic pain after knee surgery") == "numbers"


def test_a_title_cut_short_is_medium_when_the_kept_part_is_long_enough():
    # "one title contained in the other: truncation, subtitle" counts as similar (medium) ...
    cut = "Early mobilisation after total knee arthroplasty"
    assert band(cut, TITLE) == "medium"
    assert band(TITLE, cut) == "medium"
    # exactly 30 letters kept is long enough
    assert band("Knee arthroplasty and recovery", "Knee arthroplasty and recovery of function in older adults") \
        == "medium"
    # ... but a short kept part (under 30 letters) is contained in too many titles to say anything
    assert band("Total knee arthroplasty", TITLE) == "low"


def test_unrelated_titles_are_low():
    assert band(TITLE, "Hip fracture surgery within two days and mortality in older adults") == "low"


# --- first authors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [
    (["Karlsson, Ingrid", "Novak, Petr"], ["Karlsson I"]),              # initials, truncated list
    (["Li, W"], ["Li, Wei"]),                                            # a short family name, the same
    (["González, María"], ["González-López, M."]),                       # one part of a compound name
    (["Lopez, Rubio M."], ["Rubio, M. L."]),                             # family name among the other's names
    (["Goicoechea de, Jorge E."], ["de Jorge, E. G."]),                  # compound name split differently
    (["Johansson, Erik"], ["Johanson, K"]),                              # a typo in a long name
    (["Brown, Alice"], ["Browm, A"]),                # one letter of five mistyped: 2 × 4 / 10 = 80 %
])
def test_first_authors_that_are_one_person(a, b):
    assert authors(a, b) == "match"
    assert authors(b, a) == "match"


@pytest.mark.parametrize("a, b", [
    (["Lin, Jun"], ["Lindqvist, Per"]),   # a short family name that starts the other: another person
    (["Li, Wei"], ["Chen, Li"]),          # a two-letter family name equal to the other's given name
    (["Jensen, Erik"], ["Hansen, Karl"]),  # alike but not a typo
    (["Chen, Yu"], ["Chan, Mei"]),        # one letter in a short name is another name
])
def test_first_authors_that_are_two_people(a, b):
    assert authors(a, b) == "mismatch"
    assert authors(b, a) == "mismatch"


def test_no_author_on_either_side_is_missing():
    assert authors(["Jensen, E"], []) == "missing"
    assert authors([], ["Jensen, E"]) == "missing"


# --- journals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [
    ("J Am Soc Nephrol", "Journal of the American Society of Nephrology"),
    ("Dtsch Med Wochenschr", "Deutsche Medizinische Wochenschrift"),
    ("Proc Natl Acad Sci", "Proceedings of the National Academy of Sciences"),
    ("Nephron", "Nephron Clinical Practice"),
    ("Jpn J Clin Oncol", "Japanese Journal of Clinical Oncology"),        # a contraction of three letters
    ("J Pain Res", "Journal of Pain Research"),
    ("Anesthesiology", "Anesthesiolgy"),                                   # a near-identical spelling
    ("Anesthesiology", "Anesthesiolagy"),
    # one letter in ten: 2 × 9 / 20 = 90 %, the least a near-identical spelling may have
    ("Nephrology", "Nephrolagy"),
    ("Blood. Conference: 52nd ASH Annual Meeting", "52nd ASH Annual Meeting"),  # the meeting as venue
])
def test_journals_that_are_one_venue(a, b):
    assert journals(a, b) == "same"
    assert journals(b, a) == "same"


@pytest.mark.parametrize("a, b", [
    ("Nephrology", "Neurology"),
    ("Workshop on Information Systems", "Journal of Information Systems"),  # anchored at the first word
    ("Nephrology", "Pediatric Nephrology"),                                  # ... a word added in front
    ("J Urol", "Journal of Neurology"),              # "urol" is in "neurology", but not from its first letter
    ("Anesth Surg J", "Aesthetic Surgery Journal"),  # "anesth" is no contraction of "aesthetic" (no n)
    # every word of the short name in the long one, but not in order
    ("J Pain Res", "Journal of Research on Pain and Symptom Management"),
    ("ECIS 2019 Proceedings", "ECIS 2020 Proceedings"),                    # two editions of a conference
    ("27th European Conference on Information Systems", "28th European Conference on Information Systems"),
])
def test_journals_that_are_two_venues(a, b):
    assert journals(a, b) == "different"
    assert journals(b, a) == "different"


def test_a_journal_on_one_side_only_is_missing():
    assert journals("", "Nephron") == "missing"
    assert journals("Nephron", "") == "missing"


# --- locator fields shifted by one place ---------------------------------------------------------------

ABSTRACT = dict(title="The treatment of atypical haemolytic uraemic syndrome in children", authors=["Roux, C"],
                year=2011, journal="Pediatric Nephrology")
IN_PLACE = dict(ABSTRACT, volume="26", issue="9", pages="1746")


def test_fields_shifted_by_one_place_are_read_in_their_places():
    # "A record with no volume whose issue field holds the other record's volume and whose single page holds
    # the other's issue … is read with its fields in their places": volume 26, issue 9, and no page
    shifted = keys(**dict(ABSTRACT, issue="26", pages="9"))
    read = unshifted(shifted, keys(**IN_PLACE))
    assert (read.volume, read.issue, read.issue_numbers) == ("26", "9", frozenset({"9"}))
    assert (read.first_page, read.last_page, read.page_prefix, read.article_number) == ("", "", "", "")
    assert (read.title, read.first_author, read.year) == (shifted.title, shifted.first_author, shifted.year)
    # the single page may be written as a range of one page ("9-09"): still no page once read in place
    read = unshifted(keys(**dict(ABSTRACT, issue="26", pages="9-09")), keys(**IN_PLACE))
    assert (read.issue, read.first_page, read.last_page) == ("9", "", "")


@pytest.mark.parametrize("fields", [
    dict(issue="26", pages="10"),              # the page is not the other's issue
    dict(issue="27", pages="9"),               # the issue is not the other's volume
    dict(issue="26", pages="S9"),              # a supplement page, not an issue number
    dict(issue="26", pages="9-12"),            # a page range, not an issue number
    dict(volume="26", issue="26", pages="9"),  # it has a volume of its own
])
def test_fields_that_only_look_shifted_are_left_as_they_are(fields):
    record = keys(**dict(ABSTRACT, **fields))
    assert unshifted(record, keys(**IN_PLACE)) is record


def test_only_a_record_without_a_volume_is_read_against_one_with_a_volume():
    in_place = keys(**IN_PLACE)
    assert unshifted(in_place, keys(**dict(ABSTRACT, issue="26", pages="9"))) is in_place
    shifted = keys(**dict(ABSTRACT, issue="26", pages="9"))
    assert unshifted(shifted, keys(**dict(IN_PLACE, volume=""))) is shifted
