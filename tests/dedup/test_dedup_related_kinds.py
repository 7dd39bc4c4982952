"""The related-kind rule of scoring (b) (docs/dedup.md "Accuracy", sysrev/dedup/related_kinds.py), kind by kind.

A labelled pair is taken out of scoring (b) only when the two records themselves show a related publication;
each test states the records and the kind (and evidence) the documented rule gives, worked out by hand.
"""

from sysrev.dedup.related_kinds import classify, related_pairs
from sysrev.records import Record

ARTICLE = dict(title="Eculizumab in atypical haemolytic uraemic syndrome", authors=["Legendre, C. M."], year=2013,
               journal="N Engl J Med", volume="368", issue="23", pages="2169-2181")
# An Embase conference abstract: the meeting is appended to the journal (longer than the 60 characters the
# evidence shows of a venue).
ASH_2013 = "Blood. Conference: 55th Annual Meeting of the American Society of Hematology, ASH 2013"
ASH_2014 = "Blood. Conference: 56th Annual Meeting of the American Society of Hematology, ASH 2014"


def rec(source_id, **changes):
    return Record(source_id=source_id, **dict(ARTICLE, **changes))


def plain(source_id, **fields):
    return Record(source_id=source_id, **fields)


def kind(a, b):
    return classify(a, b)[0]


# --- erratum -----------------------------------------------------------------------------------------------

def test_a_correction_notice_beside_its_article_is_an_erratum_naming_the_notice():
    article = rec("a")
    notice = rec("e", title="Erratum: " + ARTICLE["title"], issue="25", pages="2450")
    evidence = f"e is a correction notice: 'Erratum: {ARTICLE['title']}'"
    assert classify(article, notice) == ("erratum", evidence)
    assert classify(notice, article) == ("erratum", evidence)  # whichever side the notice is on


def test_a_correction_is_recognised_by_a_cited_article_or_its_publication_type():
    article = rec("a")
    cited = rec("e", title=ARTICLE["title"] + " (vol 368, pg 2169, 2013)", issue="25", pages="2450")
    assert kind(article, cited) == "erratum"
    typed = rec("e", issue="25", pages="2450", publication_types=["Published Erratum"])
    assert kind(article, typed) == "erratum"
    both = rec("f", title="Correction: " + ARTICLE["title"], issue="26", pages="2590")
    assert kind(rec("e", title="Erratum: " + ARTICLE["title"], issue="25", pages="2450"), both) != "erratum"


def test_a_notice_without_pages_is_still_a_notice():
    # the same volume, no first page on either side: not "the same place", so the kinds decide
    article = rec("a", pages="")
    notice = rec("e", title="Erratum: " + ARTICLE["title"], issue="25", pages="")
    assert kind(article, notice) == "erratum"


def test_the_same_first_page_in_another_issue_is_not_the_same_place():
    # journals that number every issue from page 1: issue 1 p. 1-10 and issue 3 p. 1 are two items
    article = rec("a", volume="12", issue="1", pages="1-10")
    notice = rec("e", title="Erratum: " + ARTICLE["title"], volume="12", issue="3", pages="1")
    assert kind(article, notice) == "erratum"
    assert kind(notice, article) == "erratum"
    # the same volume, first page and issue: one item indexed twice, one database marking it an erratum
    assert classify(rec("a", volume="12", issue="3", pages="1-10"), notice) == ("", "")


# --- reply -------------------------------------------------------------------------------------------------

def test_a_reply_or_comment_beside_the_article_is_a_reply_naming_the_reply():
    article = rec("a")
    for title in (ARTICLE["title"] + " - Reply", "Reply to: " + ARTICLE["title"], "In reply",
                  "Response to " + ARTICLE["title"], "Comment on " + ARTICLE["title"], "Author's reply"):
        reply = rec("r", title=title, issue="25", pages="2451")
        assert classify(reply, article) == ("reply", f"r is a reply or comment: {title!r}"), title
        assert classify(article, reply) == ("reply", f"r is a reply or comment: {title!r}"), title
    typed = rec("r", issue="25", pages="2451", publication_types=["Comment"])
    assert kind(article, typed) == "reply"


# --- notice in another issue -------------------------------------------------------------------------------

def test_a_one_page_item_of_the_same_volume_in_another_issue_is_a_notice():
    article = rec("a")
    notice = rec("n", issue="25", pages="2450")
    assert classify(article, notice) == (
        "notice in another issue", "volume 368: issue 23 p. 2169-2181 vs issue 25 p. 2450 of N Engl J Med")
    assert kind(article, rec("n", issue="25", pages="2450-2450")) == "notice in another issue"  # one page


def test_no_notice_without_a_single_page_another_issue_the_same_volume_or_pages():
    article = rec("a")
    assert classify(article, rec("n", issue="25", pages="2450-2451")) == ("", "")  # two pages
    assert classify(article, rec("n", issue="23", pages="2450")) == ("", "")       # same issue
    assert classify(article, rec("n", volume="369", issue="25", pages="2450")) == ("", "")
    assert classify(article, rec("n", issue="25", pages="")) == ("", "")


# --- conference abstract -----------------------------------------------------------------------------------

def abstract(source_id, **changes):
    """A meeting abstract (Embase: the meeting appended to the journal)."""
    return rec(source_id, **dict(dict(journal=ASH_2013, volume="122", issue="21", pages="1234"), **changes))


def test_a_meeting_abstract_beside_the_article_on_another_page_with_evidence():
    paper = rec("p", journal="Blood", volume="123", issue="4", pages="2000-2011")
    venue = ASH_2013[:60]
    assert venue == "Blood. Conference: 55th Annual Meeting of the American Socie"
    assert classify(abstract("c"), paper) == (
        "conference abstract",
        f"c abstract ({venue} 122(21) p. 1234) vs p article (Blood 123(4) p. 2000-2011)")
    assert classify(paper, abstract("c")) == (
        "conference abstract",
        f"p article (Blood 123(4) p. 2000-2011) vs c abstract ({venue} 122(21) p. 1234)")


def test_an_abstract_beside_an_item_starting_on_another_page_even_a_one_page_one():
    assert kind(abstract("c"), rec("p", journal="Blood", volume="123", issue="4", pages="2000")) == \
        "conference abstract"


def test_an_abstract_without_pages_beside_an_article_of_3_to_60_pages():
    for pages, expected in (("2000-2002", "conference abstract"), ("2000-2059", "conference abstract"),
                            ("2000-2001", ""), ("2000-2060", ""),  # two pages; a 61-page abstract book
                            ("2000", "")):
        paper = rec("p", journal="Blood", volume="123", issue="4", pages=pages)
        assert kind(abstract("c", pages=""), paper) == expected, pages
        assert kind(paper, abstract("c", pages="")) == expected, pages


def test_an_abstract_with_a_page_beside_a_record_without_pages_is_not_classified():
    assert classify(abstract("c"), rec("p", journal="Blood", volume="123", issue="4", pages="")) == ("", "")


def test_what_marks_a_meeting_abstract():
    paper = rec("p", journal="Lancet", volume="381", issue="9", pages="2000-2011")
    marked = [
        plain("c", title=ARTICLE["title"], journal="ASCO Annual Meeting", pages="1234"),
        plain("c", title=ARTICLE["title"], extra={"booktitle": "Proceedings of the 12th Symposium on Nephrology"},
              pages="1234"),
        plain("c", title=ARTICLE["title"], journal="Kidney Int", publication_types=["Meeting Abstract"],
              pages="1234"),
        plain("c", title=ARTICLE["title"], journal="Kidney Int", publication_types=["Conference Paper"],
              pages="1234"),
        plain("c", title=ARTICLE["title"], journal="Kidney Int", volume="83 Suppl 1", pages="1234"),
        plain("c", title=ARTICLE["title"], journal="Kidney Int", volume="83", issue="S1", pages="1234"),
        plain("c", title=ARTICLE["title"], journal="Kidney Int", volume="83", issue="Suppl 1", pages="1234-1235"),
        plain("c", title=ARTICLE["title"], journal="Kidney Int", volume="83", issue="4", pages="S12"),
    ]
    marked += [plain("c", title=ARTICLE["title"], pages="1234", extra={"ENTRYTYPE": entry})
               for entry in ("inproceedings", "conference", "proceedings")]
    for record in marked:
        assert kind(record, paper) == "conference abstract", record
    # a supplement article of three pages is an article; a supplement record without pages is not known to
    # be one or two pages
    for record in (plain("c", title=ARTICLE["title"], journal="Kidney Int", volume="83", issue="S1",
                         pages="S12-S14"),
                   plain("c", title=ARTICLE["title"], journal="Kidney Int", volume="83", issue="Suppl 1")):
        assert classify(record, paper) == ("", ""), record


def test_two_abstracts_of_different_meetings_or_one_volume_at_different_pages():
    assert kind(abstract("c"), abstract("d", journal=ASH_2014, volume="124", pages="99")) == "conference abstract"
    assert kind(abstract("c"), abstract("d", pages="99")) == "conference abstract"  # one volume, two pages
    # one journal: other volumes, or no volume to tell, are not evidence of two meetings
    assert classify(abstract("c"), abstract("d", volume="123", pages="99")) == ("", "")
    assert classify(abstract("c", volume=""), abstract("d", volume="", pages="99")) == ("", "")
    # one meeting appended by Embase, the bare journal of the other: the same venue
    assert classify(abstract("c"), rec("d", journal="Blood", volume="123", issue="S1", pages="99")) == ("", "")
    assert classify(rec("d", journal="Blood", volume="123", issue="S1", pages="99"), abstract("c")) == ("", "")
    # a proceedings entry names its conference in its own way: not compared with a journal's meeting
    proceedings = plain("d", title=ARTICLE["title"], extra={"ENTRYTYPE": "inproceedings",
                                                            "booktitle": "55th ASH Annual Meeting"}, pages="99")
    assert classify(abstract("c"), proceedings) == ("", "")


def test_two_articles_on_different_pages_or_in_different_journals_are_not_related_kinds():
    assert classify(rec("a"), rec("b", pages="2200-2210")) == ("", "")
    assert classify(rec("a"), rec("b", journal="Lancet", volume="381", issue="9", pages="100-110")) == ("", "")


# --- different registrations -------------------------------------------------------------------------------

TRIAL = "Open-label trial of drug X in adult patients"


def test_two_register_entries_naming_different_things_are_different_registrations():
    adult = plain("t1", title=TRIAL, journal="ClinicalTrials.gov")
    adolescent = plain("t2", title=TRIAL.replace("adult", "adolescent"), journal="ClinicalTrials.gov")
    assert classify(adult, adolescent) == ("different registrations", "titles differ in ['adolescent', 'adult']")
    # a register known by its publication type only ("Trials Register" is not "trial register")
    typed = dict(journal="EU Clinical Trials Register", publication_types=["Trial Registration"])
    assert kind(plain("t1", title=TRIAL, **typed), plain("t2", title=TRIAL.replace("adult", "adolescent"),
                                                         **typed)) == "different registrations"


def test_the_evidence_lists_at_most_six_differing_words():
    a = plain("t1", title="Alpha beta gamma delta epsilon in adult patients")
    b = plain("t2", title="Zeta eta theta iota kappa in adult patients")
    # differing words, sorted: alpha beta delta epsilon eta gamma iota kappa theta zeta
    assert classify(a, b) == ("different registrations",
                              "titles differ in ['alpha', 'beta', 'delta', 'epsilon', 'eta', 'gamma']")


def test_no_different_registrations_without_two_register_entries_and_two_titles():
    adult = plain("t1", title=TRIAL)
    assert classify(adult, plain("t2", title=TRIAL)) == ("", "")  # the same title
    assert classify(adult, plain("t2", title="")) == ("", "")     # nothing to compare
    assert classify(adult, rec("a")) == ("", "")                  # one is a journal article
    # a record stating a venue, a volume or pages is no register entry
    for fields in (dict(journal="Trials"), dict(volume="12"), dict(pages="12-20")):
        assert classify(plain("t1", title=TRIAL, **fields),
                        plain("t2", title=TRIAL.replace("adult", "adolescent"), **fields)) == ("", ""), fields


# --- related_pairs -----------------------------------------------------------------------------------------

def test_related_pairs_lists_each_labelled_pair_once_with_sorted_ids():
    records = [rec("a"), rec("e", title="Erratum: " + ARTICLE["title"], issue="25", pages="2450"),
               rec("b", authors=["Muller, A"])]
    # "z" is labelled but not among the records: skipped
    out = related_pairs(records, [["e", "b", "a", "z"], ["a"]])
    notice = f"e is a correction notice: 'Erratum: {ARTICLE['title']}'"
    assert out == {("a", "e"): ("erratum", notice), ("b", "e"): ("erratum", notice)}
