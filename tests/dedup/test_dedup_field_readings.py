"""How single fields are read before a verdict (docs/dedup.md, steps 1 and 3, and *Vetoes*): first authors
(typos, compound names, a first author dropped by one database), journal names (a misspelt word), fields
shifted by one place, and the co-author evidence of a conference paper dated a year apart.

Expected answers come from the documented rule named beside each case, never from running the code.
"""

import pytest

from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import DISTINCT, DUPLICATE, RELATED, UNCERTAIN, Verdict, author_match, compare, journal_match
from sysrev.records import Record

TITLE = ("Early mobilisation after total knee arthroplasty and length of hospital stay: a multicentre "
         "randomised trial")


def keys(**fields):
    return record_keys(Record(source_id="x", **fields))


def both_ways(fn, a, b):
    """``fn(a, b)``, checked to be the same as ``fn(b, a)``: the comparisons are symmetric (a verdict's reason
    names the two records' values in their order, so for a verdict the kind and score are compared)."""
    forward, backward = fn(a, b), fn(b, a)
    if isinstance(forward, Verdict):
        assert (forward.kind, forward.score) == (backward.kind, backward.score)
    else:
        assert forward == backward
    return forward


# --- first authors ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("first, other", [
    # a compound family name written joined by one database and cut to its first part by another
    # ("allowing … compound names"): "Dias" is the start of "DiasFerreira", "Rodriguez" of "RodriguezGarcia"
    ("Dias, A.", "DiasFerreira, Ana"),
    ("Rodriguez, J.", "RodriguezGarcia, Juan"),
])
def test_a_compound_family_name_cut_to_its_first_part_is_the_same_first_author(first, other):
    assert both_ways(author_match, keys(authors=[first]), keys(authors=[other])) == "match"


@pytest.mark.parametrize("dropped", [
    ["Park, Soo-jin", "Kim, Min"],      # a three-letter family name
    ["Lindqvist, Per", "Karlsson, Ingrid"],
])
def test_a_first_author_dropped_by_one_database_still_matches(dropped):
    # one database lost the first author, so its first author is the other record's second: the family
    # name of one record's first author among the other's authors is the same author list
    kept = [dropped[1]]
    assert both_ways(author_match, keys(authors=dropped), keys(authors=kept)) == "match"


def test_first_authors_that_share_no_name_are_a_mismatch():
    # the near miss beside the two tests above: neither family name is among the other's names
    assert both_ways(author_match, keys(authors=["Park, Soo-jin", "Lee, Min"]),
                     keys(authors=["Kim, Min"])) == "mismatch"
    assert both_ways(author_match, keys(authors=["Dias, A."]), keys(authors=["Ferreira, A."])) == "mismatch"


@pytest.mark.parametrize("first, other", [
    (["Smith, John"], ["Brown, John"]),
    (["Dias, Ana"], ["Ferreira, Ana"]),
    (["Müller, Thomas", "Weber, Anna"], ["Schneider, Thomas", "Weber, Anna"]),
])
def test_first_authors_who_share_only_a_given_name_are_two_people(first, other):
    # "first authors that differ (after allowing typos, compound names and initials)": a given name written
    # out in full on both sides is no part of a family name, so John Smith and John Brown are two people
    assert both_ways(author_match, keys(authors=first), keys(authors=other)) == "mismatch"
    # so two records of one title, year and journal by them are not merged (first authors differ)
    article = dict(title=TITLE, year=2018, journal="Journal of Bone and Joint Surgery")
    v = both_ways(compare, keys(**dict(article, authors=first)), keys(**dict(article, authors=other)))
    assert v.kind == DISTINCT and "first author" in v.reason


def test_a_first_author_dropped_by_one_database_does_not_block_a_merge():
    # no volume or pages to place them: title, year, journal and (after allowing for the dropped name) the first
    # author agree, so this is the near-identical-title rule's duplicate, not a first-author conflict
    article = dict(title=TITLE, authors=["Karlsson, Ingrid", "Novak, Petr"], year=2018,
                   journal="Journal of Bone and Joint Surgery")
    dropped = dict(article, authors=["Novak, Petr"])
    assert compare(keys(**article), keys(**dropped)).kind == DUPLICATE
    assert compare(keys(**article), keys(**dict(article, authors=["Berg, Lars"]))).kind != DUPLICATE


# --- journal names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("misspelt", ["Jounral of Bone and Joint Surgery", "Journal of Bone and Joint Surgary"])
def test_a_misspelt_journal_name_is_the_same_journal(misspelt):
    # "same (equal, one an abbreviation of the other, or a near-identical spelling)": a transposed or wrong
    # letter in one word of a four-word name is neither an abbreviation nor another journal
    assert both_ways(journal_match, keys(journal="Journal of Bone and Joint Surgery"),
                     keys(journal=misspelt)) == "same"


def test_a_journal_name_that_shares_words_but_names_another_journal_is_different():
    assert both_ways(journal_match, keys(journal="Journal of Bone and Joint Surgery"),
                     keys(journal="Journal of Bone and Mineral Research")) == "different"


# --- fields shifted by one place --------------------------------------------------------------------------

ARTICLE = dict(title=TITLE, authors=["Karlsson, Ingrid", "Novak, Petr"], year=2018,
               journal="Journal of Bone and Joint Surgery")


def test_a_record_with_shifted_fields_merges_with_its_copy():
    # "A record with no volume whose issue field holds the other record's volume and whose single page holds
    # the other's issue … is read with its fields in their places before the comparison"
    placed = dict(ARTICLE, volume="100", issue="7", extra={"article_number": "e101"})
    shifted = dict(ARTICLE, issue="100", pages="7", extra={"article_number": "e101"})
    assert both_ways(compare, keys(**placed), keys(**shifted)).kind == DUPLICATE


def test_a_record_read_with_its_fields_in_place_must_still_agree_on_its_article_number():
    # "read that way it must still agree on everything": the article number (RIS C7) is a field of its own,
    # not shifted, and two records stating different article numbers are two publications (the article
    # number veto), related here because title and first author agree
    placed = dict(ARTICLE, volume="100", issue="7", extra={"article_number": "e101"})
    shifted = dict(ARTICLE, issue="100", pages="7", extra={"article_number": "e202"})
    v = both_ways(compare, keys(**placed), keys(**shifted))
    assert v.kind == RELATED and "article number" in v.reason


# --- a conference paper dated a year apart: the co-authors ---------------------------------------------------

HELD = dict(title="Algorithmic management and worker voice on ride-hailing platforms", year=2019,
            journal="ICIS 2019 Proceedings", extra={"ENTRYTYPE": "inproceedings"})
PUBLISHED = dict(HELD, year=2020, journal="International Conference on Information Systems ICIS")


def test_a_conference_paper_a_year_apart_with_no_name_words_to_share_is_not_merged():
    # "same first author and at least half of all name words shared": a one-letter family name and initials
    # leave no name word (words have two letters or more) on either side, so nothing is shared
    v = both_ways(compare, keys(**dict(HELD, authors=["O, J."])), keys(**dict(PUBLISHED, authors=["O, J."])))
    assert v.kind == UNCERTAIN and "years one apart" in v.reason
    # the same pair with its authors' names written out merges by the year-shift rule
    named = ["Oh, Jiwon", "Rossi, Marco"]
    v = both_ways(compare, keys(**dict(HELD, authors=named)), keys(**dict(PUBLISHED, authors=named)))
    assert v.kind == DUPLICATE and "dated by the conference" in v.reason


def test_a_two_letter_word_is_no_distinctive_venue_word():
    # without pages, a conference paper dated a year apart needs "the conference year (the earlier of the two)
    # named in a venue and a distinctive venue word in common (an acronym such as icis, not conference/
    # proceedings/international)": "at" in both venue names is no such word
    named = ["Oh, Jiwon", "Rossi, Marco"]
    held = dict(HELD, authors=named, journal="Papers presented at the 2019 Nordic Health Informatics Meeting")
    published = dict(PUBLISHED, authors=named, journal="Research at Scale: Proceedings of the Systems Conference")
    v = both_ways(compare, keys(**held), keys(**published))
    assert v.kind == UNCERTAIN and "years one apart" in v.reason
    # a distinctive word in common (the meeting's field) is the evidence the rule asks for
    published = dict(published, journal="Nordic Health Informatics Proceedings")
    v = both_ways(compare, keys(**held), keys(**published))
    assert v.kind == DUPLICATE and "dated by the conference" in v.reason


def test_a_record_read_with_its_fields_in_place_is_no_longer_printed_like_an_abstract():
    # "read that way it must still agree on everything": the single "page" of a shifted record was its issue,
    # so read in place it states no page at all, and is no more "printed like an abstract" (one page or a
    # supplement) than the same record exported correctly. Beside a meeting abstract of the same title it is
    # the journal article: related, not the same abstract indexed twice. Placed in the abstract's own volume
    # and issue, it is that abstract as a database that names the journal alone indexes it (Blood prints the
    # ASH abstracts as issue 21 of its November volume; a full paper is printed in another issue).
    title = "Eculizumab for atypical haemolytic uraemic syndrome in children: results of a prospective trial"
    authors = ["Lapeyraque, Anne-Laure", "Malina, Michal"]
    abstract = dict(title=title, authors=authors, year=2011, volume="118", issue="21",
                    journal="Blood.Conference: 53rd ASH Annual Meeting")
    placed = dict(title=title, authors=authors, year=2011, journal="Blood", volume="118", issue="21")
    shifted = dict(placed, volume="", issue="118", pages="21")
    assert both_ways(compare, keys(**abstract), keys(**placed)).kind == DUPLICATE
    assert both_ways(compare, keys(**abstract), keys(**shifted)).kind == DUPLICATE  # judged as read in place
    for elsewhere in (dict(placed, issue="22"), dict(placed, volume="119", issue="3"), dict(placed, issue="")):
        assert both_ways(compare, keys(**abstract), keys(**elsewhere)).kind == RELATED, elsewhere
        assert both_ways(compare, keys(**abstract), keys(**dict(elsewhere, volume="", issue=elsewhere["volume"],
                                                                    pages=elsewhere["issue"]))).kind == RELATED
    # a supplement stays a supplement when read in place: "Suppl" marks the volume, not the page
    supplement = dict(shifted, issue="118 Suppl")
    assert both_ways(compare, keys(**abstract), keys(**supplement)).kind == DUPLICATE


ABSTRACT_TITLE = "Plasticity of the incretin receptor in the vascular wall of diabetic mice"
ABSTRACT_AUTHORS = ["Berglund, L. M.", "Kotova, O.", "Gomez, M. F."]


@pytest.mark.parametrize("issue", ["Meeting Abstracts", "MeetingAbstracts", "Meeting Astracts", "3 Meeting Abstract"])
def test_an_issue_named_meeting_abstracts_is_an_abstract_book(issue):
    # Embase names the meeting after the journal ("FASEB Journal. Conference: Experimental Biology"), another
    # database the journal alone; the issue "Meeting Abstracts" (so written, run together, or with Embase's own
    # typo) says the journal record is printed like an abstract, as "Suppl" does: the same abstract twice
    common = dict(title=ABSTRACT_TITLE, authors=ABSTRACT_AUTHORS, year=2011, volume="25", issue=issue)
    embase = keys(**common, journal="FASEB Journal. Conference: Experimental Biology 2011")
    other = keys(**common, journal="FASEB Journal")
    assert other.supplement and other.abstract_like
    assert both_ways(compare, embase, other).kind == DUPLICATE
    assert not keys(**dict(common, issue="Meeting report 3"), journal="FASEB Journal").supplement


def test_a_doi_two_abstracts_on_different_pages_share_is_the_supplement_s():
    # Wiley gives a whole abstract supplement one DOI: two abstracts of one group on pages 51 and 52 of it are
    # two abstracts (the page veto holds); the same DOI on two articles still overrides a page typo
    doi = "10.1002/dmrr.2604"
    common = dict(title=ABSTRACT_TITLE, authors=ABSTRACT_AUTHORS, year=2014, journal="Diabetes Metab Res Rev",
                  volume="30", issue="Suppl 3", doi=doi)
    first, second = keys(**common, pages="51"), keys(**common, pages="52")
    verdict = both_ways(compare, first, second)
    assert verdict.kind == RELATED and "first page differs (51 vs 52)" in verdict.reason
    assert both_ways(compare, first, keys(**common, pages="51")).kind == DUPLICATE
    articles = dict(common, issue="3")
    assert both_ways(compare, keys(**articles, pages="151-160"), keys(**articles, pages="115-124")).kind == DUPLICATE
    # no supplement: one article's number and its page count (a single "page" each) under its DOI
    article = dict(common, issue="", journal="Computers in Human Behavior")
    assert both_ways(compare, keys(**article, pages="106482"), keys(**article, pages="11")).kind == DUPLICATE
    with_pmid = both_ways(compare, keys(**common, pages="51", pmid="24000001"), keys(**common, pages="52",
                                                                                     pmid="24000001"))
    assert with_pmid.kind == DUPLICATE  # a shared PMID names the abstract itself


@pytest.mark.parametrize("volume, issue, read", [
    ("10 (11) (no pagination)", "e0143396", ("10", "11", "e143396")),  # the article number was put in the issue
    ("11 (3) (no pagination)", "791", ("11", "3", "791")),
    ("38 (Supplement 1)", "", ("38", "1", "")),  # the issue only in the volume's brackets
    ("12 (3)", "4", ("12", "4", "")),  # two issues stated, no "(no pagination)": both kept as evidence
    ("10", "11", ("10", "11", "")),
])
def test_a_volume_that_names_its_issue_in_brackets(volume, issue, read):
    k = keys(title=TITLE, volume=volume, issue=issue)
    assert (k.volume, k.issue, k.article_number) == read


def test_embase_s_no_pagination_record_is_the_article_it_numbers():
    # "PLoS ONE 10 (11) (no pagination)" split by a tool into volume "10 (11) (no pagination)" and issue
    # "e0143396": the same article as volume 10, issue 11, e-locator e0143396, not one in "issue 143396"
    common = dict(title=TITLE, authors=["Terasaki, M", "Hiromura, M"], year=2015, journal="PLoS One")
    split = keys(**common, volume="10 (11) (no pagination)", issue="e0143396")
    assert both_ways(compare, split, keys(**common, volume="10", issue="11", pages="e0143396")).kind == DUPLICATE
    assert both_ways(compare, split, keys(**common, volume="10", issue="12", pages="e0143396")).kind != DUPLICATE
    assert both_ways(compare, split, keys(**common, volume="10", issue="11", pages="e0143397")).kind != DUPLICATE


def test_an_abstract_book_without_author_is_placed_by_its_exact_title_and_issue():
    # the record of a whole abstract book names no author; Embase gives it with the meeting after the journal
    book = dict(title="Abstracts of the 79th EAS Congress", authors=["Anonymous"], year=2011, volume="12",
                issue="1")
    embase = keys(**book, journal="Atherosclerosis Supplements. Conference: 79th EAS Congress")
    assert both_ways(compare, embase, keys(**book, journal="Atherosclerosis Supplements")).kind == DUPLICATE
    # another issue, or a title only alike, is no longer placed: the author evidence is missing
    assert both_ways(compare, embase, keys(**dict(book, issue="2"), journal="Atherosclerosis Supplements")
                     ).kind != DUPLICATE
    assert both_ways(compare, embase, keys(**dict(book, title="Abstracts of the 79th EAS Congress, part 2"),
                                           journal="Atherosclerosis Supplements")).kind != DUPLICATE


@pytest.mark.parametrize("issue, numbers", [
    ("Supplement H", {"suppl-h"}), ("Suppl_H", {"suppl-h"}), ("suppl. h", {"suppl-h"}), ("SUPPL. S", {"suppl-s"}),
    ("Suppl 2", {"2"}), ("10 SUPPL. 1", {"1", "10"}), ("H", set()), ("Supplementary", set()),
    ("Suppl Abstracts", set()), ("Suppl A1", {"1"}),
])
def test_a_supplement_named_by_a_letter_is_an_issue_of_its_own(issue, numbers):
    assert keys(title=TITLE, issue=issue).issue_numbers == numbers


def test_an_abstract_book_in_a_lettered_supplement_is_placed_by_it():
    # European Heart Journal letters its supplements: the abstract book of one meeting, indexed by Embase with
    # the meeting after the journal and by another database without it, is one record; another lettered
    # supplement is another issue
    book = dict(title="Heart of the Matter CardioAlex 2016 Conference Abstracts", authors=["Anonymous"], year=2016,
                volume="18", issue="Supplement H")
    embase = keys(**book, journal="European Heart Journal Supplement. Conference: CardioAlex")
    plain = keys(**book, journal="European Heart Journal Supplement")
    assert both_ways(compare, embase, plain).kind == DUPLICATE
    other = keys(**dict(book, issue="Supplement G"), journal="European Heart Journal Supplement")
    assert both_ways(compare, embase, other).kind != DUPLICATE
    assert both_ways(compare, plain, other).reason == "issue differs (suppl-h vs suppl-g)"


@pytest.mark.parametrize("author, title, same", [
    ("missing", "exact", True), ("match", "high", True),
    ("mismatch", "exact", False),  # the issue in common never stands in for a different author
    ("missing", "high", False),    # nor for a missing one under a title only alike
])
def test_the_same_issue_places_an_abstract_book_only_when_no_author_disagrees(author, title, same):
    from sysrev.dedup.scoring import _same_abstract

    common = dict(title="Heart of the Matter CardioAlex 2016 Conference Abstracts", year=2016, volume="18",
                  issue="Supplement H")
    embase = keys(**common, journal="European Heart Journal Supplement. Conference: CardioAlex")
    plain = keys(**common, journal="European Heart Journal Supplement")
    assert _same_abstract(embase, plain, title, "same", author, "same") is same
    assert _same_abstract(embase, keys(**dict(common, issue="Supplement G"), journal="European Heart Journal "
                                       "Supplement"), title, "same", author, "same") is (same and author == "match")


@pytest.mark.parametrize("volume, stated", [("1)", False), ("(10", False), ("61 (10 SUPPL. 1", False),
                                             ("61 (10 SUPPL. 1)", True), ("61", True)])
def test_a_volume_with_an_unbalanced_bracket_is_a_cut_fragment_not_stated(volume, stated):
    # a tool that cut Embase's source line "61 (10 SUPPL. 1)" left "1)" as the volume: read as no volume (with
    # a note), so it neither vetoes the record's other copies nor places it
    k = keys(title=TITLE, volume=volume)
    assert bool(k.volume) is stated
    assert any("unusable volume" in p for p in k.problems) is not stated
    common = dict(title=TITLE, authors=["Akita, K"], year=2013, journal="J Am Coll Cardiol", pages="E2048")
    verdict = both_ways(compare, keys(**common, volume=volume), keys(**common, volume="61", issue="10 SUPPL. 1"))
    assert verdict.kind == DUPLICATE


def test_a_volume_that_is_the_year_places_nothing():
    # one database gives Harvard Business Review's year as its volume ("2016", issue "May"), another its
    # volume 94, issue 5: the year in the volume field is no volume to veto with
    assert keys(title=TITLE, year=2016, volume="2016").volume == ""
    assert keys(title=TITLE, year=2016, volume="94").volume == "94"
    assert keys(title=TITLE, year=2017, volume="2016").volume == "2016"  # not the record's year: kept
    common = dict(title=TITLE, authors=["Kasriel, S"], year=2016, journal="Harvard Business Review")
    year_as_volume, numbered = keys(**common, volume="2016", issue="May"), keys(**common, volume="94", issue="5")
    assert "volume" not in both_ways(compare, year_as_volume, numbered).reason
