"""The pair verdicts of docs/dedup.md ("How decisions are made", step 3), rule by rule, through ``compare``.

Every test builds one article by hand and changes only the fields the rule is about, so the documented
rule alone decides the pair; each merge has a near miss beside it that must not merge (dedup's target is
zero false merges). Where a verdict goes to a human, the reason it carries must say why.
"""

import pytest

from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import DISTINCT, DUPLICATE, RELATED, UNCERTAIN, Verdict, compare
from sysrev.records import Record

ARTICLE = dict(title="Early mobilisation after total knee arthroplasty and length of hospital stay: a multicentre "
                     "randomised trial",
               authors=["Karlsson, Ingrid", "Novak, Petr", "Haddad, Samir"], year=2018,
               journal="Journal of Bone and Joint Surgery", volume="100", issue="7", pages="561-570")
# the same title with one typo: "high" similarity, not exact
TYPO = ARTICLE["title"].replace("hospital", "hospitl")
# another study altogether
OTHER_TITLE = "Hip fracture surgery within two days and mortality in older adults"


def verdict(a: dict, b: dict) -> Verdict:
    """The verdict on a pair, checked to be the same both ways round (``compare`` is symmetric)."""
    forward = compare(record_keys(Record(source_id="a", **a)), record_keys(Record(source_id="b", **b)))
    backward = compare(record_keys(Record(source_id="b", **b)), record_keys(Record(source_id="a", **a)))
    assert forward.kind == backward.kind
    return forward


# --- Cochrane reviews and parts of a series ------------------------------------------------------------

REVIEW = dict(title="Exercise therapy for treatment of non-specific low back pain", authors=["Hayden, Jill"],
              year=2005, journal="Cochrane Database of Systematic Reviews",
              doi="10.1002/14651858.CD000335.pub2")


def test_two_versions_of_one_cochrane_review_are_related():
    # "two versions of one Cochrane review → related" — by the version number, even in the same year
    assert verdict(REVIEW, dict(REVIEW, doi="10.1002/14651858.CD000335.pub3")).kind == RELATED
    update = verdict(REVIEW, dict(REVIEW, year=2021, doi="10.1002/14651858.CD000335.pub3"))
    assert update.kind == RELATED and "Cochrane" in update.reason


@pytest.mark.parametrize("year", [2006, 2009])
def test_one_cochrane_review_number_in_other_years_is_an_update(year):
    # no version stated (review number as the page), but another year: another version of the review
    by_number = dict(REVIEW, doi="", pages="CD000335")
    assert verdict(by_number, dict(by_number, year=year)).kind == RELATED


def test_one_version_of_a_cochrane_review_from_two_databases_merges():
    by_number = dict(REVIEW, doi="", pages="CD000335")
    assert verdict(by_number, dict(by_number)).kind == DUPLICATE
    # a version stated by one record only says nothing about another version
    assert verdict(REVIEW, by_number).kind == DUPLICATE
    # another review number is another review, not an update of this one
    assert verdict(REVIEW, dict(REVIEW, doi="10.1002/14651858.CD000336.pub2")).kind == DISTINCT


def test_different_parts_of_a_series_are_distinct():
    part_one = dict(ARTICLE, title="Management of chronic pain after knee arthroplasty. Part I: assessment")
    part_two = dict(part_one, title=part_one["title"].replace("Part I", "Part II"))
    v = verdict(part_one, part_two)
    assert v.kind == DISTINCT and "part 1" in v.reason and "2" in v.reason
    assert verdict(part_one, dict(part_one)).kind == DUPLICATE
    # a part number on one side only is no difference of parts
    unnumbered = dict(part_one, title="Management of chronic pain after knee arthroplasty: assessment")
    assert verdict(part_one, unnumbered).kind == DUPLICATE


# --- a shared identifier -------------------------------------------------------------------------------

DOI = "10.2106/JBJS.17.01234"


@pytest.mark.parametrize("title", [ARTICLE["title"], TYPO, ARTICLE["title"].split(":")[0]])
def test_a_shared_doi_merges_when_the_titles_agree(title):
    # exact, near-identical or similar (a title without its subtitle): the identifier decides
    other = dict(title=title, authors=["Karlsson I"], year=2018, doi=DOI.lower(), issue="8", pages="1")
    v = verdict(dict(ARTICLE, doi=DOI), other)
    assert v.kind == DUPLICATE and "DOI" in v.reason


@pytest.mark.parametrize("year", [2018, 2019, None])
def test_a_shared_doi_without_a_title_merges_when_the_first_author_agrees(year):
    # "a shared DOI/PMID/PMCID → duplicate when … one [title] is missing and the first author agrees"
    bare = dict(title="", authors=["Karlsson, I."], year=year, doi=DOI)
    assert verdict(dict(ARTICLE, doi=DOI), bare).kind == DUPLICATE


def test_a_shared_doi_without_a_title_is_uncertain_when_nothing_else_agrees():
    for bare in (dict(title="", authors=["Berg, Lars"], year=2018, doi=DOI),   # another first author
                 dict(title="", authors=["Karlsson, I."], year=2012, doi=DOI),  # years far apart
                 dict(title="", year=2018, doi=DOI)):                           # no author to compare
        v = verdict(dict(ARTICLE, doi=DOI), bare)
        assert v.kind == UNCERTAIN and "title is missing" in v.reason


def test_a_shared_doi_with_titles_that_differ_is_uncertain():
    v = verdict(dict(ARTICLE, doi=DOI), dict(ARTICLE, title=OTHER_TITLE, doi=DOI))
    assert v.kind == UNCERTAIN and "titles differ" in v.reason


def test_a_shared_doi_years_far_apart_needs_the_exact_title():
    # year veto "overridden by a shared DOI/PMID with the exact same title (otherwise uncertain)"
    assert verdict(dict(ARTICLE, doi=DOI), dict(ARTICLE, doi=DOI, year=2021)).kind == DUPLICATE
    v = verdict(dict(ARTICLE, doi=DOI), dict(ARTICLE, title=TYPO, doi=DOI, year=2021))
    assert v.kind == UNCERTAIN and "years" in v.reason


def test_a_shared_identifier_is_the_strongest_evidence():
    # duplicate pairs are joined strongest first: a shared DOI outranks any agreement of the other fields
    by_doi = verdict(dict(ARTICLE, doi=DOI), dict(title=TYPO, doi=DOI))
    by_fields = verdict(ARTICLE, dict(ARTICLE))
    assert by_doi.kind == by_fields.kind == DUPLICATE
    assert by_doi.score > by_fields.score


# --- different kinds of publication --------------------------------------------------------------------

ERRATUM = dict(ARTICLE, title="Erratum: " + ARTICLE["title"], issue="9", pages="801")


def test_an_erratum_under_the_articles_title_is_related():
    # another issue and page: the veto fires, and the kind names what the other record is
    v = verdict(ARTICLE, ERRATUM)
    assert v.kind == RELATED and "erratum" in v.reason and "issue differs" in v.reason
    # no locator on the erratum: still related, by its kind alone
    v = verdict(ARTICLE, dict(ERRATUM, issue="", pages=""))
    assert v.kind == RELATED and "erratum" in v.reason


def test_one_item_indexed_as_two_kinds_on_the_same_volume_and_page_merges():
    # "… unless volume and first page are identical (then it is the same item indexed differently)"
    assert verdict(ARTICLE, dict(ERRATUM, issue="7", pages="561-570")).kind == DUPLICATE
    # but not when the years are far apart: then it is a notice about the article
    assert verdict(ARTICLE, dict(ERRATUM, issue="7", pages="561-570", year=2015)).kind == RELATED


def test_a_comment_under_another_title_is_distinct_and_says_why():
    comment = dict(title=OTHER_TITLE, authors=ARTICLE["authors"], year=2018, journal=ARTICLE["journal"],
                   publication_types=["Comment"])
    v = verdict(ARTICLE, comment)
    assert v.kind == DISTINCT and "different titles" in v.reason and "comment" in v.reason


ABSTRACT = dict(ARTICLE, journal="Journal of Bone and Joint Surgery. Conference: EFORT Congress", volume="",
                issue="", pages="S12")
PRINTED_ABSTRACT = dict(ARTICLE, issue="", pages="S12")


@pytest.mark.parametrize("title", [ARTICLE["title"], TYPO])
def test_a_conference_abstract_and_its_copy_printed_as_an_abstract_merge(title):
    # "a record marked as a conference abstract and one printed like an abstract (one page or a supplement)
    # in the same journal and year may still merge"
    assert verdict(ABSTRACT, dict(PRINTED_ABSTRACT, title=title)).kind == DUPLICATE


@pytest.mark.parametrize("change", [
    dict(year=2019),                         # another year: the abstract and a later paper
    dict(authors=["Berg, Lars"]),            # another first author
    dict(journal="Acta Orthopaedica"),       # another journal
    dict(pages="561-570"),                   # printed as an article, not as an abstract
])
def test_a_conference_abstract_and_a_record_differing_in_one_field_stay_apart(change):
    v = verdict(ABSTRACT, dict(PRINTED_ABSTRACT, **change))
    assert v.kind == RELATED and "conference abstract" in v.reason


def test_a_conference_abstract_under_another_title_is_distinct():
    v = verdict(ABSTRACT, dict(PRINTED_ABSTRACT, title=OTHER_TITLE))
    assert v.kind == DISTINCT and "conference abstract" in v.reason


# --- vetoes --------------------------------------------------------------------------------------------


def test_a_veto_with_the_same_title_and_first_author_is_related():
    # "a veto … → related when the titles agree with the same first author, else distinct"
    v = verdict(ARTICLE, dict(ARTICLE, issue="8"))
    assert v.kind == RELATED and "issue differs" in v.reason
    for other in (dict(ARTICLE, issue="8", authors=["Berg, Lars"]),   # another first author
                  dict(ARTICLE, issue="8", title=OTHER_TITLE)):       # another title
        v = verdict(ARTICLE, other)
        assert v.kind == DISTINCT and "issue differs" in v.reason


def test_a_veto_on_a_recurring_title_is_distinct_even_with_the_same_author():
    column = dict(ARTICLE, title="Editor's comments", pages="")
    v = verdict(column, dict(column, issue="8"))
    assert v.kind == DISTINCT and "issue differs" in v.reason


# --- different identifiers -----------------------------------------------------------------------------


def test_different_pmids_are_uncertain_only_when_every_other_field_agrees():
    # "different DOIs/PMIDs → distinct (uncertain if every other field agrees)"
    a = dict(ARTICLE, pmid="29000001")
    for title in (ARTICLE["title"], TYPO):
        v = verdict(a, dict(ARTICLE, title=title, pmid="29000002"))
        assert v.kind == UNCERTAIN and "every other field agrees" in v.reason
    for change in (dict(year=2019), dict(authors=["Berg, Lars"]), dict(volume=""), dict(pages=""),
                   dict(title=ARTICLE["title"].split(":")[0])):
        v = verdict(a, dict(ARTICLE, pmid="29000002", **change))
        assert v.kind == DISTINCT and "DOI/PMID" in v.reason


# --- the group-author rule -----------------------------------------------------------------------------

GROUP = dict(ARTICLE, authors=["EFFORT Trial Group"])


@pytest.mark.parametrize("title", [ARTICLE["title"], TYPO])
def test_title_journal_volume_page_and_year_merge_whatever_the_author_field_says(title):
    # "identical/near-identical title + same journal, volume, first page and year → duplicate even when the
    # author fields differ (group author vs first author)"
    v = verdict(ARTICLE, dict(GROUP, title=title))
    assert v.kind == DUPLICATE and "authors differ" in v.reason


@pytest.mark.parametrize("change", [dict(journal=""), dict(year=2019), dict(volume=""), dict(pages=""),
                                    dict(title=ARTICLE["title"].split(":")[0])])
def test_without_the_full_citation_another_author_field_keeps_them_apart(change):
    v = verdict(ARTICLE, dict(GROUP, **change))
    assert v.kind == DISTINCT and "first author" in v.reason


# --- hard conflicts ------------------------------------------------------------------------------------


def test_another_volume_under_the_same_title_and_first_author_is_related():
    # "When only the volume or first page differs but title and first author agree, the pair is linked as
    # related (an erratum or reply printed under the article's title, an abstract, a reprint)"
    for title in (ARTICLE["title"], TYPO):
        v = verdict(ARTICLE, dict(ARTICLE, title=title, volume="101", issue=""))
        assert v.kind == RELATED and "volume differs" in v.reason


@pytest.mark.parametrize("change, named", [
    (dict(year=2015), ["year"]),
    (dict(authors=["Berg, Lars"], journal=""), ["first author"]),
    (dict(volume="101", issue="", title=ARTICLE["title"].split(":")[0]), ["volume"]),
    (dict(volume="101", issue="", authors=["Berg, Lars"]), ["volume", "first author"]),
    (dict(volume="101", issue="", year=2014), ["year", "volume"]),
    (dict(title=OTHER_TITLE, authors=["Berg, Lars"], issue="", pages=""), ["first author", "title"]),
])
def test_a_hard_conflict_is_distinct_and_named(change, named):
    v = verdict(ARTICLE, dict(ARTICLE, **change))
    assert v.kind == DISTINCT and v.reason.endswith("differ")
    assert all(field in v.reason for field in named)
