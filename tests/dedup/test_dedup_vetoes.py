"""The veto principle (issue 12) and the title variants matched on venue + pages + authors.

Two records that both state an issue, a page range or an article number, and state different ones, are two
publications unless a shared DOI/PMID says otherwise; a title a venue repeats (a column, an editorial) also
needs its year to agree and an issue, page or article number to locate both records.
"""

import pytest

from sysrev.dedup.engine import deduplicate
from sysrev.dedup.keys import first_clause, record_keys
from sysrev.dedup.related_kinds import classify
from sysrev.dedup.scoring import DISTINCT, DUPLICATE, RELATED, UNCERTAIN, compare
from sysrev.records import Record

ARTICLE = dict(title="Platform work and the erosion of occupational identity among software developers",
               authors=["Müller, Anna", "Okafor, Chidi", "Lindqvist, Per"], year=2019,
               journal="Information Systems Journal", volume="29", issue="4", pages="812-839")
COLUMN = dict(title="Editor's Comments", authors=["Rai, Arun"], year=2017, journal="MIS Quarterly", volume="41")


def verdict(a: dict, b: dict):
    return compare(record_keys(Record(source_id="a", **a)), record_keys(Record(source_id="b", **b)))


def test_copies_of_one_record_merge():
    assert verdict(ARTICLE, dict(ARTICLE)).kind == DUPLICATE


def test_a_differing_issue_is_a_veto_unless_an_identifier_is_shared():
    other_issue = dict(ARTICLE, issue="5")
    assert verdict(ARTICLE, other_issue).kind in (RELATED, DISTINCT)
    assert "issue differs" in verdict(ARTICLE, other_issue).reason
    # a combined issue shares a number with a single one; a missing issue is no evidence
    assert verdict(ARTICLE, dict(ARTICLE, issue="4-5")).kind == DUPLICATE
    assert verdict(ARTICLE, dict(ARTICLE, issue="")).kind == DUPLICATE
    doi = "10.1111/isj.12345"
    assert verdict(dict(ARTICLE, doi=doi), dict(other_issue, doi=doi)).kind == DUPLICATE


def test_differing_article_numbers_are_a_veto():
    a = dict(ARTICLE, pages="e0212345", issue="")
    assert verdict(a, dict(a, pages="e0212399")).kind in (RELATED, DISTINCT)
    stated = dict(ARTICLE, pages="", issue="", extra={"article_number": "103245"})
    assert verdict(stated, dict(stated, extra={"article_number": "103246"})).kind in (RELATED, DISTINCT)
    assert verdict(stated, dict(stated)).kind == DUPLICATE


@pytest.mark.parametrize("given, stated", [
    ("e0212345", "e0212345"),  # PubMed's PG and Scopus' C7 for one PLoS article (was "e212345 vs e0212345")
    ("e42692", "42692"),       # an e-locator and a database's article number without its letter
])
def test_one_article_number_written_as_pages_or_stated_is_no_veto(given, stated):
    a = dict(ARTICLE, pages=given, issue="")
    b = dict(ARTICLE, pages="", issue="", extra={"article_number": stated})
    assert verdict(a, b).kind == DUPLICATE
    assert verdict(a, dict(b, extra={"article_number": "e0212399"})).kind in (RELATED, DISTINCT)


@pytest.mark.parametrize("pages_b, vetoed", [
    ("840-861", True),     # the next article, sharing no page
    ("839-850", True),     # sharing only the boundary page: where one ends and the next begins
    ("813-839", False),    # a typo in the first page (same last page)
    ("812-39", False),     # the same range abbreviated
    ("839", False),        # the last page given alone
    ("S14", True),         # a supplement page against an issue page
])
def test_page_ranges(pages_b, vetoed):
    v = verdict(ARTICLE, dict(ARTICLE, pages=pages_b))
    assert (v.kind != DUPLICATE) == vetoed, v


def test_recurring_column_of_different_issues_never_merges():
    # "Editor's Comments" by the same editor, same journal, volume and year, issue 1 vs 2, no pages or DOI
    issues = [Record(source_id=str(n), **dict(COLUMN, issue=str(n))) for n in (1, 2, 3, 4)]
    result = deduplicate(issues, progress=False)
    assert all(len(c) == 1 for c in result.clusters)
    # without an issue on one side it is not known which instalment it is: queued, not merged
    assert verdict(dict(COLUMN, issue="1"), dict(COLUMN)).kind == UNCERTAIN
    assert verdict(COLUMN, dict(COLUMN)).kind == UNCERTAIN
    # one year apart is another instalment too (for an article it could be online-first)
    assert verdict(dict(COLUMN, issue="1"), dict(COLUMN, issue="1", year=2018)).kind == DISTINCT
    # the same instalment, located by issue or page in both records, merges
    assert verdict(dict(COLUMN, issue="2"), dict(COLUMN, issue="2", journal="MIS Q")).kind == DUPLICATE


@pytest.mark.parametrize("title, serial", [
    ("Editor's comments", True), ("Editorial", True), ("In this issue", True), ("Letters to the editor", True),
    ("Meeting report", True), ("Editor's Note: Volume 12, Issue 3", True),
    ("Introduction to the minitrack on crowdsourcing and the gig economy", True),
    ("Report of the 23rd annual meeting of the European Society of Cardiology", True),
    ("Editorial leadership in medical journals: a survey", False),
    ("Letters of recommendation in residency selection", False),
])
def test_recurring_titles_are_recognised(title, serial):
    assert record_keys(Record(source_id="x", title=title)).serial is serial


def test_translated_title_merges_on_journal_volume_issue_pages_and_author():
    original = dict(title="Die Erosion beruflicher Identität durch Plattformarbeit bei Softwareentwicklern",
                    authors=["Müller, A"], year=2019, journal="Wirtschaftsinformatik", volume="61", issue="2",
                    pages="145-160")
    english = dict(original, title="[The erosion of occupational identity through platform work among "
                                   "software developers]", authors=["Muller, Anna"], doi="10.1007/s11576-019-1")
    assert verdict(original, english).kind == DUPLICATE
    # never on the title alone: another issue or another first author keeps them apart
    assert verdict(original, dict(english, issue="3")).kind != DUPLICATE
    assert verdict(original, dict(english, authors=["Schmidt, Jonas"])).kind != DUPLICATE


def test_title_cut_after_its_first_clause_merges_on_venue_pages_and_author():
    full = dict(title="Infrastructure in the wild: what mapping in post-colonial contexts teaches us about "
                      "infrastructure", authors=["Brown, Ellen", "Gomez, Luis"], year=2012,
                journal="Proceedings of the ACM Conference on Computer Supported Cooperative Work",
                pages="355-364", extra={"ENTRYTYPE": "inproceedings"})
    cut = dict(full, title="Infrastructure in the Wild")
    assert first_clause(full["title"]) == "infrastructure in the wild"
    assert verdict(full, cut).kind == DUPLICATE
    assert verdict(full, dict(cut, pages="400-409")).kind != DUPLICATE
    assert verdict(dict(full, pages=""), dict(cut, pages="")).kind != DUPLICATE


def test_conference_year_shift_with_differing_proceedings_titles():
    held = dict(title="Algorithmic management and worker voice on ride-hailing platforms",
                authors=["Tan, Wei", "Rossi, Marco", "Khan, Sara"], year=2019,
                journal="ICIS 2019 Proceedings", extra={"ENTRYTYPE": "inproceedings"})
    published = dict(held, year=2020, journal="40th International Conference on Information Systems, ICIS 2019")
    assert verdict(held, published).kind == DUPLICATE
    with_pages = dict(held, pages="1021-1037")
    assert verdict(with_pages, dict(published, journal="Proc. Int. Conf. Inf. Syst.", pages="1021-1037")).kind \
        == DUPLICATE
    # other pages, or another author team, are another paper
    assert verdict(with_pages, dict(published, pages="455-470")).kind != DUPLICATE
    assert verdict(held, dict(published, authors=["Tan, Wei", "Li, Jun", "Chen, Yu"])).kind != DUPLICATE


def test_a_doi_on_one_side_only_is_not_a_veto_even_a_preprint_servers():
    a = dict(ARTICLE)
    assert verdict(a, dict(a, doi="10.2139/ssrn.3312345")).kind == DUPLICATE
    # but a record known only as a preprint (server DOI, no venue) beside the journal article is related
    preprint = dict(ARTICLE, journal="", volume="", issue="", pages="", doi="10.1101/2019.01.01.123456")
    assert verdict(a, preprint).kind == RELATED


def test_related_kind_classification_for_scoring_b():
    article = Record(source_id="a", **ARTICLE)
    erratum = dict(ARTICLE, title="Erratum: " + ARTICLE["title"], issue="6", pages="1301")
    assert classify(article, Record(source_id="e", **erratum))[0] == "erratum"
    # one notice indexed twice, marked by one database only: the same item, not a related pair
    assert classify(Record(source_id="e", **erratum), Record(source_id="f", **dict(erratum, title=ARTICLE["title"]))) \
        == ("", "")
    reply = dict(ARTICLE, title=ARTICLE["title"] + " - Reply", authors=["Dubois, Élodie"], pages="840")
    assert classify(article, Record(source_id="r", **reply))[0] == "reply"
    notice = Record(source_id="n", **dict(ARTICLE, issue="6", pages="1201"))
    assert classify(article, notice)[0] == "notice in another issue"
    abstract = Record(source_id="c", **dict(ARTICLE, journal="Information Systems Journal. Conference: ECIS 2018",
                                              issue="", pages="S12"))
    assert classify(article, abstract)[0] == "conference abstract"
    trial = dict(title="Open-label trial of drug X in adult patients", authors=["Sponsor Inc"], year=2011)
    assert classify(Record(source_id="t1", **trial),
                    Record(source_id="t2", **dict(trial, title=trial["title"].replace("adult", "adolescent"))))[0] \
        == "different registrations"
    assert classify(article, Record(source_id="b", **dict(ARTICLE, authors=["Muller, A"]))) == ("", "")


def test_research_in_progress_and_full_paper_at_two_editions_stay_apart():
    # the same title at ECIS 2019 (research in progress) and ECIS 2020 (full paper): two publications
    rip = dict(title="Algorithmic management and worker voice on ride-hailing platforms",
               authors=["Tan, Wei", "Rossi, Marco"], year=2019, journal="ECIS 2019 Proceedings",
               extra={"ENTRYTYPE": "inproceedings"})
    full = dict(rip, year=2020, journal="ECIS 2020 Proceedings")
    assert verdict(rip, full).kind != DUPLICATE
    assert verdict(dict(rip, journal="27th European Conference on Information Systems"),
                   dict(full, journal="28th European Conference on Information Systems")).kind != DUPLICATE


def test_locator_fields_shifted_by_one_place_are_read_in_their_places():
    # an export that wrote the volume into the issue field and the issue into the pages field
    abstract = dict(title="The treatment of atypical haemolytic uraemic syndrome in children", authors=["Roux, C"],
                    year=2011, journal="Pediatric Nephrology. Conference: 44th Annual Meeting of the ESPN")
    shifted = dict(abstract, volume="", issue="26", pages="9")
    assert verdict(shifted, dict(abstract, volume="26", issue="9", pages="1746")).kind == DUPLICATE
    # read in place, it must still agree: another issue is still another item
    assert verdict(shifted, dict(abstract, volume="26", issue="10", pages="1746")).kind != DUPLICATE


def test_a_title_one_venue_prints_in_two_issues_needs_a_locator_to_merge():
    # "Research commentary" is no known heading, but this input shows the journal printing it in issues 1
    # and 2 of one volume: a third record without issue or pages cannot be placed, so it is not merged
    column = dict(title="Research commentary on platform ecosystems", authors=["Rai, Arun"], year=2017,
                  journal="MIS Quarterly", volume="41")
    records = [Record(source_id="1", **dict(column, issue="1")), Record(source_id="2", **dict(column, issue="2")),
               Record(source_id="3", **column)]
    result = deduplicate(records, progress=False)
    assert all(len(c) == 1 for c in result.clusters)
    assert all(k.recurring for k in result.keys)
    # alone, the third record merges with a copy that agrees on everything
    assert len(deduplicate([records[0], Record(source_id="4", **dict(column, issue="1"))],
                           progress=False).clusters) == 1


REGISTRATION = dict(title="Ultrasound- versus fluoroscopy-guided facet joint injections: a randomised trial",
                    year=2019, publication_types=["Trial registration"])


@pytest.mark.parametrize("id_a, id_b, kind, reason", [
    # one trial from ClinicalTrials.gov's CSV and the ICTRP's export: its number is an identifier, as a DOI is
    ("NCT09999901", "NCT09999901", DUPLICATE, "same registration number"),
    # two trials of one register with the same public title: two trials, not one
    ("NCT09999901", "NCT09999902", DISTINCT, "different registration number"),
    # one trial in two registers (the number of one register says nothing about the other's): left to the title
    ("NCT09999901", "EUCTR2019-001234-12-DE", UNCERTAIN, "no author to compare"),
    ("EUCTR2019-001234-12-DE", "EUCTR2019-001234-12-FR", DUPLICATE, "same registration number"),  # per country
])
def test_trial_registration_numbers_compare_within_one_register(id_a, id_b, kind, reason):
    verdict_ab = compare(record_keys(Record(source_id=id_a, **REGISTRATION)),
                         record_keys(Record(source_id=id_b, **REGISTRATION)))
    assert verdict_ab.kind == kind and reason in verdict_ab.reason


def test_a_registration_number_is_no_identifier_of_an_article():
    article = record_keys(Record(source_id="NCT09999901", title=REGISTRATION["title"], year=2019,
                                 journal="Pain Medicine", volume="20", pages="575-586"))
    assert article.trial_id == ""  # an article whose export used the trial number as its id is still an article


def test_one_trial_from_two_register_exports_is_found_whatever_its_titles():
    """Blocked by its registration number: the ICTRP may give the scientific title where ClinicalTrials.gov gives
    the brief one, and titles this far apart share no title block."""
    from sysrev.dedup.blocking import blocking_keys

    public = record_keys(Record(source_id="NCT09999901", **REGISTRATION))
    scientific = record_keys(Record(source_id="NCT09999901", publication_types=["Trial registration"], year=2019,
                                    title="Effect of image guidance on pain after lumbar zygapophysial procedures"))
    assert ("trial", "NCT09999901") in set(blocking_keys(public)) & set(blocking_keys(scientific))
