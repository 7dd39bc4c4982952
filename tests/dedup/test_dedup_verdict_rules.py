"""The pair verdicts of docs/dedup.md ("How decisions are made", step 3), rule by rule, through ``compare``.

Every test builds one article by hand and changes only the fields the rule is about, so the documented
rule alone decides the pair; each merge has a near miss beside it that must not merge (dedup's target is
zero false merges). Where a verdict goes to a human, the reason it carries must say why.
"""

from dataclasses import replace

import pytest
from rapidfuzz import fuzz

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


def keys(**fields):
    return record_keys(Record(source_id="x", **fields))


def verdict(a: dict, b: dict) -> Verdict:
    """The verdict on a pair, checked to be the same both ways round (``compare`` is symmetric)."""
    forward = compare(record_keys(Record(source_id="a", **a)), record_keys(Record(source_id="b", **b)))
    backward = compare(record_keys(Record(source_id="b", **b)), record_keys(Record(source_id="a", **a)))
    assert forward.kind == backward.kind
    # the score is the strength of the evidence for a duplicate ("higher = surer it is a duplicate"): a pair
    # that must stay apart has none, a duplicate or a pair queued for a human some
    if forward.kind in (RELATED, DISTINCT):
        assert forward.score == backward.score == 0.0
    else:
        assert forward.score > 0 and backward.score > 0
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


def test_a_preprint_known_by_its_doi_and_its_copy_naming_the_server_merge():
    # "preprint (server or DOI prefix)": a record known as a preprint by its DOI beside one naming a venue
    # that is no preprint server is the posted and the published version; beside the server, the same item
    posted = dict(ARTICLE, journal="", volume="", issue="", pages="", doi="10.1101/2018.03.01.123456",
                  publication_types=["Preprint"])
    server = dict(ARTICLE, journal="medRxiv", volume="", issue="", pages="")
    assert verdict(posted, server).kind == DUPLICATE
    v = verdict(dict(posted, publication_types=[]), ARTICLE)
    assert v.kind == RELATED and "preprint" in v.reason


def test_another_kind_at_the_same_position_in_the_volume_is_related_whatever_its_title():
    # a reply printed on the article's volume and first page under a title of its own
    reply = dict(ARTICLE, title=OTHER_TITLE, publication_types=["Comment"], issue="")
    v = verdict(ARTICLE, reply)
    assert v.kind == RELATED and "comment" in v.reason


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
    assert v.kind == RELATED and "issue differs" in v.reason and "erratum" in v.reason
    for other in (dict(ARTICLE, issue="8", authors=["Berg, Lars"]),   # another first author
                  dict(ARTICLE, issue="8", title=OTHER_TITLE)):       # another title
        v = verdict(ARTICLE, other)
        assert v.kind == DISTINCT and "issue differs" in v.reason


@pytest.mark.parametrize("title", [TYPO, ARTICLE["title"].split(":")[0]])
def test_a_veto_with_a_near_identical_or_similar_title_and_the_same_author_is_related(title):
    v = verdict(ARTICLE, dict(ARTICLE, title=title, issue="8"))
    assert v.kind == RELATED and "issue differs" in v.reason


# three typos after the notice's prefix: still similar (ratio 88-95) to the article's title
MISTYPED = (ARTICLE["title"].replace("length", "lenght").replace("stay", "sty").replace("knee", "kne")
            .replace("total", "totl"))


@pytest.mark.parametrize("title", [TYPO, MISTYPED])
def test_an_erratum_without_the_articles_authors_is_related_by_its_kind(title):
    # a correction notice often carries no author, or the journal's: its kind and title link it
    notice = dict(ERRATUM, title="Erratum: " + title, authors=[])
    v = verdict(ARTICLE, notice)
    assert v.kind == RELATED and "erratum" in v.reason and "issue differs" in v.reason


@pytest.mark.parametrize("title_b", ["Editorial comment", "Editorial comments"])
def test_a_veto_on_a_recurring_title_is_distinct_even_with_the_same_author(title_b):
    # "(and the title is not a recurring one)": one record's title being a recurring heading is enough
    column = dict(ARTICLE, title="Editorial comment", pages="")
    v = verdict(column, dict(column, title=title_b, issue="8"))
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
    # the reason lists exactly the fields that differ
    assert v.kind == DISTINCT and v.reason.endswith(" differ")
    assert set(v.reason.removesuffix(" differ").split(", ")) == set(named)


# --- titles that disagree, matched on venue + pages + authors -------------------------------------------

REWORDED = ("Length of hospital stay and early mobilisation following total knee replacement: a randomised "
            "multicentre study")
TRANSLATED = ("Frühmobilisation nach Knieendoprothetik und Krankenhausverweildauer: eine multizentrische "
              "randomisierte Studie")
SAME_RANGE = "same author, year, issue and page range of one volume"


@pytest.mark.parametrize("pages", ["561-570", "561-562", "561-621"])
def test_a_reworded_title_on_the_same_page_range_of_one_volume_merges(pages):
    # "same first author, year, journal, volume and the same multi-page range of at most 60 pages":
    # 561-562 is two pages, 561-621 is 60 pages on from the first
    v = verdict(dict(ARTICLE, pages=pages), dict(ARTICLE, title=REWORDED, pages=pages))
    assert v.kind == DUPLICATE and SAME_RANGE in v.reason and "title reworded or translated" in v.reason
    # most words are shared, so no issue is needed on either side
    assert verdict(dict(ARTICLE, pages=pages, issue=""), dict(ARTICLE, title=REWORDED, pages=pages, issue="")).kind \
        == DUPLICATE


@pytest.mark.parametrize("a_pages, b_pages", [
    ("561", "561"),          # a single page does not hold one article only (abstracts share pages)
    ("561-561", "561-561"),  # the same, written as a range
    ("561-0561", "561-0561"),  # ... with its end zero-padded
    ("561-622", "561-622"),  # more than 60 pages: an abstract book's whole range
    ("561", "561-570"),      # the range stated by one record only
])
def test_a_reworded_title_needs_one_multi_page_range_of_an_article(a_pages, b_pages):
    assert verdict(dict(ARTICLE, pages=a_pages), dict(ARTICLE, title=REWORDED, pages=b_pages)).kind == DISTINCT


@pytest.mark.parametrize("change", [dict(authors=["Berg, Lars"]), dict(year=2019), dict(journal=""),
                                    dict(volume="")])
def test_a_reworded_title_needs_author_year_journal_and_volume(change):
    assert verdict(ARTICLE, dict(ARTICLE, title=REWORDED, **change)).kind == DISTINCT


def test_a_reworded_title_merges_journal_articles_only():
    # conference papers share page ranges of abstract books: the rule is for articles
    paper = dict(ARTICLE, extra={"ENTRYTYPE": "inproceedings"})
    assert verdict(paper, dict(paper, title=REWORDED)).kind == DISTINCT


def test_a_reworded_title_with_another_number_never_merges():
    numbered = dict(ARTICLE, title=ARTICLE["title"] + " in 12 hospitals")
    assert verdict(numbered, dict(ARTICLE, title=REWORDED + " in 14 hospitals")).kind == DISTINCT


def test_a_reworded_title_shares_enough_words_from_a_token_set_ratio_of_60():
    # "sharing most words: token-set ratio ≥ 60" decides without an issue on either side
    plain = dict(ARTICLE, title="Early mobilisation after total knee arthroplasty and length of hospital stay",
                 issue="")
    at_60 = "Accelerated rehabilitation and discharge home after total knee replacement"
    below = "Early ambulation and hospital stay after joint replacement surgery in Sweden"
    assert fuzz.token_set_ratio(keys(**plain).title, keys(title=at_60).title) == 60.0
    assert 59 < fuzz.token_set_ratio(keys(**plain).title, keys(title=below).title) < 60
    v = verdict(plain, dict(plain, title=at_60))
    assert v.kind == DUPLICATE and "title reworded or translated" in v.reason
    assert verdict(plain, dict(plain, title=below)).kind == DISTINCT


def test_a_translated_title_also_needs_the_same_issue_stated_by_both():
    # "a title sharing under 60 % of its words (a translation) also needs the same issue stated by both"
    v = verdict(ARTICLE, dict(ARTICLE, title=TRANSLATED))
    assert v.kind == DUPLICATE and SAME_RANGE in v.reason
    assert verdict(dict(ARTICLE, issue=""), dict(ARTICLE, title=TRANSLATED)).kind == DISTINCT
    assert verdict(dict(ARTICLE, issue=""), dict(ARTICLE, title=TRANSLATED, issue="")).kind == DISTINCT


RUNNERS = dict(title="Knee pain in runners: a prospective cohort of marathon participants",
               authors=["Berg, Lars", "Olsen, Kari"], year=2016, pages="45-52",
               journal="Proceedings of the Nordic Sports Medicine Congress", extra={"ENTRYTYPE": "inproceedings"})
CUT = dict(RUNNERS, title="Knee pain in runners")


@pytest.mark.parametrize("change", [{}, dict(year=2017), dict(volume="3")])
def test_a_title_cut_after_its_first_clause_merges_on_venue_first_page_and_author(change):
    # "the same venue, the same first page (stated by both), the same first author and year (±1)"; a volume
    # on one side only is no conflict
    v = verdict(RUNNERS, dict(CUT, **change))
    assert v.kind == DUPLICATE and "first clause" in v.reason


@pytest.mark.parametrize("change", [
    dict(year=2019), dict(pages=""), dict(pages="47-52"), dict(authors=["Lindqvist, Per"]),
    dict(journal="Scandinavian Journal of Medicine and Science in Sports"),
])
def test_a_title_cut_after_its_first_clause_never_merges_on_the_title_alone(change):
    assert verdict(RUNNERS, dict(CUT, **change)).kind == DISTINCT


def test_a_cut_title_with_another_number_is_distinct():
    numbered = dict(RUNNERS, title="Knee pain in 12 runners: a prospective cohort of marathon participants")
    assert verdict(numbered, dict(numbered, title="Knee pain in 12 runners")).kind == DUPLICATE
    assert verdict(numbered, dict(numbered, title="Knee pain in 14 runners")).kind == DISTINCT


def test_a_cut_title_in_two_volumes_is_distinct():
    assert verdict(dict(RUNNERS, volume="3"), dict(CUT, volume="4")).kind == DISTINCT


# --- a conference paper dated by the conference and by the proceedings ---------------------------------

HELD = dict(title="Algorithmic management and worker voice on ride-hailing platforms",
            authors=["Tan, Wei", "Rossi, Marco", "Khan, Sara"], year=2019,
            journal="ICIS 2019 Proceedings", extra={"ENTRYTYPE": "inproceedings"})
PROCEEDINGS = dict(HELD, year=2020, journal="International Conference on Information Systems ICIS")
YEAR_SHIFT = "dated by the conference"


@pytest.mark.parametrize("held, published", [
    # the conference year named by one venue only, and "icis" in both
    (HELD, PROCEEDINGS),
    # a three-letter acronym is a distinctive venue word too
    (dict(HELD, journal="CHI 2019 Proceedings"),
     dict(PROCEEDINGS, journal="Conference on Human Factors in Computing Systems CHI")),
    # exactly half of all name words shared: tan wei rossi marco of tan wei rossi marco khan sara li jun
    (HELD, dict(PROCEEDINGS, authors=["Tan, Wei", "Rossi, Marco", "Li, Jun"])),
    # a one-letter word in a venue ("Track B") is no venue word and no trouble
    (dict(HELD, journal="ICIS 2019 Proceedings, Track B"), PROCEEDINGS),
])
def test_a_conference_paper_a_year_apart_merges_on_venue_and_authors(held, published):
    v = verdict(held, published)
    assert v.kind == DUPLICATE and YEAR_SHIFT in v.reason


@pytest.mark.parametrize("held, published", [
    # no venue names the conference year
    (dict(HELD, journal="ICIS Proceedings"), PROCEEDINGS),
    # no distinctive venue word in common
    (HELD, dict(PROCEEDINGS, journal="Information Systems Research")),
    # only generic words ("conference", "proceedings", "international") in common
    (dict(HELD, journal="Proceedings of the International Conference 2019"),
     dict(PROCEEDINGS, journal="Annual Conference Proceedings")),
    # fewer than half of the name words shared (4 of 10)
    (HELD, dict(PROCEEDINGS, authors=["Tan, Wei", "Rossi, Marco", "Li, Jun", "Chen, Yu"])),
    # pages on both sides that do not start on the same page
    (dict(HELD, pages="1021-1037"), dict(PROCEEDINGS, journal="Proc. Int. Conf. Inf. Syst.", pages="1023-1037")),
])
def test_a_conference_paper_a_year_apart_without_that_evidence_is_uncertain(held, published):
    v = verdict(held, published)
    assert v.kind == UNCERTAIN and "years one apart" in v.reason


def test_a_conference_paper_and_a_journal_article_a_year_apart_are_not_merged_as_one_conference_paper():
    # the year-shift rule is for "both conference papers"; a conference paper and a journal article in
    # another venue a year later (the extended version?) stay for a human, even on the same volume and pages
    paper = dict(HELD, journal="Proceedings of the European Conference on Information Systems", volume="11",
                 pages="100-110")
    article = dict(paper, year=2020, journal="Information Systems Journal", extra={})
    v = verdict(paper, article)
    assert v.kind == UNCERTAIN and "years one apart" in v.reason


def test_a_conference_paper_a_year_apart_needs_a_readable_first_author_on_both():
    # "same first author and at least half of all name words shared": the co-authors alone are not enough
    unreadable = dict(HELD, authors=["-", "Rossi, Marco", "Khan, Sara"])
    v = verdict(unreadable, PROCEEDINGS)
    assert v.kind == UNCERTAIN and "years one apart" in v.reason


# --- near-identical titles: what else must agree ---------------------------------------------------------

BARE = dict(ARTICLE, volume="", issue="", pages="")  # as CENTRAL or a register gives it: no locator


def test_a_near_identical_title_with_first_author_and_year_merges():
    # "near-identical title + first author + same year → duplicate"
    for title in (ARTICLE["title"], TYPO):
        v = verdict(BARE, dict(BARE, title=title))
        assert v.kind == DUPLICATE and "title, author and year agree" in v.reason


def test_no_author_at_all_needs_two_other_agreeing_fields():
    # "except: no author at all and fewer than two other agreeing fields … → uncertain"
    anonymous = dict(ARTICLE, authors=[])
    for pages in ("", "561-570"):  # journal + volume, journal + volume + page
        assert verdict(dict(anonymous, pages=pages), dict(ARTICLE, pages=pages)).kind == DUPLICATE
    for other in (BARE, dict(BARE, journal="")):  # journal alone, nothing
        v = verdict(dict(other, authors=[]), other)
        assert v.kind == UNCERTAIN and "no author" in v.reason


def test_a_different_journal_without_a_matching_volume_and_page_is_uncertain():
    # "a different journal with no matching volume and page (nor volume and issue) → uncertain"
    for a, b in ((BARE, dict(BARE, journal="Acta Orthopaedica")),
                 (dict(ARTICLE, pages="", issue=""), dict(ARTICLE, journal="Acta Orthopaedica", pages=""))):
        v = verdict(a, b)
        assert v.kind == UNCERTAIN and "different journal" in v.reason
    # volume and page agree: the journal name is written two ways
    assert verdict(ARTICLE, dict(ARTICLE, journal="Acta Orthopaedica")).kind == DUPLICATE


def test_a_short_title_needs_something_besides_author_and_year():
    # "a short title (< 5 words) with nothing else agreeing → uncertain"
    short = dict(BARE, title="Knee arthroplasty outcomes", journal="")
    v = verdict(short, short)
    assert v.kind == UNCERTAIN and "short title" in v.reason
    assert verdict(dict(short, journal="Acta Orthopaedica"), dict(short, journal="Acta Orthopaedica")).kind \
        == DUPLICATE
    five_words = dict(short, title="Knee arthroplasty outcomes in Sweden")
    assert verdict(five_words, five_words).kind == DUPLICATE


ONLINE_FIRST = "years one apart (online first)"


@pytest.mark.parametrize("a, b", [
    (ARTICLE, dict(ARTICLE, year=2019)),                                    # same volume and page
    (ARTICLE, dict(ARTICLE, year=2019, journal="")),                        # ... journal on one side only
    (dict(ARTICLE, volume="", issue="", pages="1-10"), dict(ARTICLE, year=2019)),  # page 1, no volume yet
    (dict(ARTICLE, volume="", issue=""), dict(ARTICLE, year=2019)),         # no volume yet, same pages
    (dict(ARTICLE, pages=""), dict(ARTICLE, year=2019)),                    # same journal, no pages
    (ARTICLE, dict(ARTICLE, year=2019, pages="563-570")),                   # same journal, first-page typo
])
def test_years_one_apart_merge_as_online_first_and_print(a, b):
    # "years one apart → duplicate only with the same volume and page, or the same journal with page 1 /
    # missing volume (online first)"
    v = verdict(a, b)
    assert v.kind == DUPLICATE and ONLINE_FIRST in v.reason


@pytest.mark.parametrize("a, b", [
    (ARTICLE, dict(ARTICLE, year=2019, journal="Acta Orthopaedica")),       # another journal
    (dict(ARTICLE, pages=""), dict(ARTICLE, year=2019, journal="")),       # no journal, no page to compare
    (ARTICLE, dict(ARTICLE, year=2019, pages="563-570", journal="")),       # a page typo, no journal
    (BARE, dict(BARE, year=2019, journal="Acta Orthopaedica")),
    (dict(BARE, authors=[]), dict(BARE, year=2019)),                         # no author to compare
])
def test_years_one_apart_otherwise_are_uncertain(a, b):
    v = verdict(a, b)
    assert v.kind == UNCERTAIN and "years one apart" in v.reason


def test_a_missing_year_needs_author_and_two_other_fields():
    for pages in ("561-570", ""):  # journal, volume (and page) agree
        v = verdict(dict(ARTICLE, year=None, pages=pages), dict(ARTICLE, pages=pages))
        assert v.kind == DUPLICATE and "year missing" in v.reason
    for a, b in ((dict(BARE, year=None), BARE),                                # journal only
                 (dict(ARTICLE, year=None, authors=[]), ARTICLE)):             # no author
        v = verdict(a, b)
        assert v.kind == UNCERTAIN and "year missing" in v.reason


def test_more_agreeing_evidence_makes_a_stronger_duplicate():
    # duplicate pairs are joined strongest first, so the score must grow with the evidence
    def score(a, b):
        v = verdict(a, b)
        assert v.kind == DUPLICATE
        return v.score
    full = score(ARTICLE, dict(ARTICLE))
    no_page = score(dict(ARTICLE, pages=""), dict(ARTICLE, pages=""))
    journal_only = score(BARE, dict(BARE))
    nothing = score(dict(BARE, journal=""), dict(BARE, journal=""))
    assert full > no_page > journal_only > nothing
    assert score(ARTICLE, dict(ARTICLE)) > score(ARTICLE, dict(ARTICLE, title=TYPO))
    # a year apart, or no year to compare, is weaker than the same year, all else equal
    assert score(ARTICLE, dict(ARTICLE, year=2019)) < full
    assert score(dict(ARTICLE, year=None), ARTICLE) < full
    # a similar title (the subtitle dropped) is weaker than the same title, all else equal
    assert score(ARTICLE, dict(ARTICLE, title=ARTICLE["title"].split(":")[0])) < full


def test_of_two_similar_titles_queued_the_more_alike_comes_first():
    # the review queue lists uncertain pairs strongest first: with nothing else to tell them apart, the pair
    # whose titles are more alike is the stronger candidate
    no_page = dict(ARTICLE, pages="")
    closer = verdict(ARTICLE, dict(no_page, title=ARTICLE["title"].replace(" multicentre", "")))  # a word left out
    farther = verdict(ARTICLE, dict(no_page, title=ARTICLE["title"].split(":")[0]))  # the subtitle dropped
    assert closer.kind == farther.kind == UNCERTAIN
    assert closer.reason == farther.reason
    assert closer.score > farther.score


# --- no usable title, recurring titles -----------------------------------------------------------------

NO_TITLE = dict(ARTICLE, title="")


def test_a_record_without_a_title_is_never_merged_automatically():
    # "no usable title → never merged automatically (uncertain when author, year, volume and page agree)"
    for other in (ARTICLE, NO_TITLE, dict(NO_TITLE, journal="")):
        v = verdict(NO_TITLE, other)
        assert v.kind == UNCERTAIN and "title is missing" in v.reason
    for change in (dict(journal="Acta Orthopaedica"), dict(year=2019), dict(pages=""), dict(authors=[])):
        v = verdict(dict(NO_TITLE, **change), ARTICLE)
        assert v.kind == DISTINCT and "title is missing" in v.reason


COLUMN = dict(ARTICLE, title="Editor's comments", issue="", pages="")


def test_a_recurring_title_merges_only_when_a_stated_locator_agrees():
    # "a recurring title … with no issue, page or article number stated by both and agreeing → uncertain"
    for a, b in ((COLUMN, COLUMN), (dict(COLUMN, issue="7"), COLUMN),
                 (dict(COLUMN, title="Editorial comment"), dict(COLUMN, title="Editorial comments"))):
        v = verdict(a, b)
        assert v.kind == UNCERTAIN and "recurring title" in v.reason
    for locator in (dict(issue="7"), dict(pages="1"), dict(pages="e12")):
        assert verdict(dict(COLUMN, **locator), dict(COLUMN, **locator)).kind == DUPLICATE


# --- another number in the title: a typo only when the whole citation agrees ---------------------------

P16 = dict(ARTICLE, title="p16(INK4a) expression and the outcome of cervical intraepithelial neoplasia grade 2")
P6 = dict(P16, title="p6INK4a expression and the outcome of cervical intraepithelial neoplasia grade 2")


def test_another_number_is_a_typo_only_when_neither_record_is_printed_like_an_abstract():
    # "unless journal, volume, first page, year and first author all agree and neither record is printed like
    # an abstract (then it is a typo …)"
    assert verdict(P16, P6).kind == DUPLICATE
    for a_pages, b_pages in (("561", "561-570"), ("561-570", "561"), ("561", "561")):
        assert verdict(dict(P16, pages=a_pages), dict(P6, pages=b_pages)).kind == DISTINCT


@pytest.mark.parametrize("change", [dict(year=2019), dict(journal=""), dict(authors=["Berg, Lars"]),
                                    dict(volume="")])
def test_another_number_with_one_part_of_the_citation_missing_or_different_is_distinct(change):
    assert verdict(P16, dict(P6, **change)).kind == DISTINCT


def test_another_number_and_other_words_are_another_study_even_with_the_whole_citation():
    # not a typo: "2 years … in older adults" and "5 years … in adults" (ratio below 90)
    a = dict(ARTICLE, title="Knee function 2 years after total knee arthroplasty in older adults")
    b = dict(ARTICLE, title="Knee function 5 years after knee arthroplasty in adults")
    assert verdict(a, b).kind == DISTINCT


def test_a_shared_doi_merges_a_number_typo_only_with_the_whole_citation():
    doi = "10.1016/j.ygyno.2018.03.012"
    v = verdict(dict(P16, doi=doi), dict(P6, doi=doi))
    assert v.kind == DUPLICATE and "DOI" in v.reason
    v = verdict(dict(P16, doi=doi, pages=""), dict(P6, doi=doi))
    assert v.kind == UNCERTAIN and "titles differ" in v.reason


# --- similar titles (88-95, or one contained in the other) ------------------------------------------------

SIMILAR = dict(ARTICLE, title=ARTICLE["title"].split(":")[0])  # the subtitle dropped
SIMILAR_MERGE = "similar title; author, year, volume/pages agree"


@pytest.mark.parametrize("other", [
    SIMILAR,                                           # volume and first page agree
    dict(SIMILAR, year=2019),                          # ... a year apart
    dict(SIMILAR, journal=""),                         # ... journal on one side only
    dict(SIMILAR, volume="", issue=""),                # same journal, first page, year; no volume on one side
    dict(SIMILAR, pages="563-570"),                    # a first-page typo with the same last page, one volume
])
def test_a_similar_title_merges_when_author_year_and_first_page_agree(other):
    # "a similar title … → duplicate only when the first author and year agree and so does the first page
    # (with the same volume, or the same journal and no conflicting volume; a first-page typo with the same
    # last page counts within one volume)"
    v = verdict(ARTICLE, other)
    assert v.kind == DUPLICATE and v.reason == SIMILAR_MERGE


@pytest.mark.parametrize("other", [
    dict(SIMILAR, volume="", issue="", year=2019),     # no volume to compare, and a year apart
    dict(SIMILAR, volume="", issue="", journal=""),    # no volume, no journal to compare
    dict(SIMILAR, pages="563-570", volume="", issue=""),  # a page typo is not enough without the volume
    dict(SIMILAR, pages="563-570", year=2019),
    dict(SIMILAR, pages=""),                           # no first page to compare
    dict(SIMILAR, authors=[]),                         # no first author to compare
    dict(SIMILAR, year=None),                          # no year to compare
])
def test_a_similar_title_without_that_evidence_is_uncertain(other):
    v = verdict(ARTICLE, other)
    assert v.kind == UNCERTAIN and "similar titles" in v.reason


def test_a_title_the_input_shows_recurring_needs_a_stated_locator_on_either_side():
    # "any title the input itself shows one venue printing twice … is treated as recurring for every record
    # of it in that venue": marked on either record, the pair is queued, not merged
    commentary = keys(**dict(COLUMN, title="Research commentary on platform ecosystems"))
    assert compare(commentary, keys(**dict(COLUMN, title="Research commentary on platform ecosystems"))).kind \
        == DUPLICATE
    for a, b in ((replace(commentary, recurring=True), commentary), (commentary, replace(commentary, recurring=True))):
        v = compare(a, b)
        assert v.kind == UNCERTAIN and "recurring title" in v.reason


def test_a_journal_named_in_two_languages_merges_when_volume_and_issue_agree():
    # one journal under its romanised and its English name (or a former title): the same title, authors and
    # year, and the same volume and issue stated by both, locate one item as a page would
    romanised = dict(ARTICLE, journal="Zhonghua Gu Ke Za Zhi", pages="")
    english = dict(ARTICLE, journal="Chinese Journal of Orthopaedics")
    assert verdict(romanised, english).kind == DUPLICATE
    assert "journal named differently" in verdict(romanised, english).reason
    # near misses: no issue on one side, another issue, another volume, another first page, a typo'd author
    assert verdict(dict(romanised, issue=""), english).kind == UNCERTAIN
    assert verdict(dict(romanised, issue="8"), english).kind != DUPLICATE
    assert verdict(dict(romanised, volume="101"), english).kind != DUPLICATE
    assert verdict(dict(romanised, pages="480-489"), english).kind != DUPLICATE
    assert verdict(dict(romanised, authors=["Lindqvist, Ola"]), english).kind != DUPLICATE


def test_without_a_venue_on_either_side_the_same_page_range_places_the_item():
    # proceedings exported without their title: a title cut after its first clause, or a similar title, by the
    # same authors in the same year on the same article-length page range is one item
    full = dict(ARTICLE, journal="", volume="", issue="", pages="4113-4122")
    cut = dict(full, title=ARTICLE["title"].split(":")[0])
    assert verdict(full, cut).kind == DUPLICATE and "no venue on either side" in verdict(full, cut).reason
    typo = dict(full, title=TYPO)
    assert verdict(full, typo).kind == DUPLICATE
    # near misses: a venue on one side, pages starting at 1 (a preprint's own pagination), another range,
    # another year, another first author
    assert verdict(dict(full, journal="Proceedings of CHI"), cut).kind != DUPLICATE
    assert verdict(dict(full, pages="1-10"), dict(cut, pages="1-10")).kind != DUPLICATE
    assert verdict(full, dict(cut, pages="4123-4132")).kind != DUPLICATE
    assert verdict(full, dict(cut, year=2019)).kind != DUPLICATE
    assert verdict(full, dict(cut, authors=["Lindqvist, Ola"])).kind != DUPLICATE
