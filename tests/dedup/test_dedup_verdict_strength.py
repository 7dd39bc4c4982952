"""The strength (``Verdict.score``) of the pair verdicts of docs/dedup.md, compared across rules.

A verdict's score is "its strength (higher = surer it is a duplicate)" (``scoring.Verdict``). It is what orders
the work: duplicate pairs are joined strongest first, so in a chain A≈B≈C whose ends conflict the stronger
link wins (docs/dedup.md, *Clusters*), and the review queue lists its pairs strongest first. So the scores of
different rules must rank the evidence the way the rules do:

* a pair the rules merge is surer than any pair they leave to a human (the queue holds both kinds: an
  uncertain pair, and a duplicate pair the chain check refused);
* nothing the rules conclude is surer than a reviewer's own ``same`` decision, which overrides the rules;
* with every other field equal, more of the title agreeing, or the year agreeing, is surer evidence.

Each pair is built by hand from one article, and its verdict kind is checked first (the rule that decides it
is named beside it), so the comparison is between the rules named, not between accidents of the data.
"""

import pytest

from sysrev.dedup.clustering import human_verdict
from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import DUPLICATE, UNCERTAIN, Verdict, compare
from sysrev.records import Record

ARTICLE = dict(title="Early mobilisation after total knee arthroplasty and length of hospital stay: a multicentre "
                     "randomised trial",
               authors=["Karlsson, Ingrid", "Novak, Petr", "Haddad, Samir"], year=2018,
               journal="Journal of Bone and Joint Surgery", volume="100", issue="7", pages="561-570")
TITLE = ARTICLE["title"]
# one letter changed: a near-identical ("high") title
TYPO = TITLE.replace("hospital", "hospitl")
# three words left out or changed: a "similar" title (rapidfuzz ratio 88-95), not a near-identical one
SIMILAR = TITLE.replace("total knee", "knee").replace("length of hospital stay", "length of stay")
# another study altogether
OTHER_TITLE = "Hip fracture surgery within two days and mortality in older adults"
DOI = "10.2106/JBJS.17.01234"
# the same article without a volume, issue or pages (a CENTRAL-style record)
BARE = dict(ARTICLE, volume="", issue="", pages="")

# a conference paper dated by the conference (2019) in one database and by the proceedings (2020) in another,
# both on page 233 of volume 12 of the proceedings, under two different proceedings titles
HELD = dict(title="Algorithmic management and worker voice on ride-hailing platforms",
            authors=["Tan, Wei", "Rossi, Marco", "Khan, Sara"], year=2019, volume="12", pages="233-241",
            journal="ICIS 2019 Proceedings", extra={"ENTRYTYPE": "inproceedings"})
PUBLISHED = dict(HELD, year=2020, journal="International Conference on Information Systems ICIS")

# a short clause ("Knee pain in runners") a database kept as the whole title, and the full title
RUNNERS = dict(title="Knee pain in runners: a prospective cohort of marathon participants",
               authors=["Berg, Lars", "Olsen, Kari"], year=2016, volume="31", issue="2", pages="45-52",
               journal="Scandinavian Journal of Sports Medicine")


def verdict(a: dict, b: dict) -> Verdict:
    return compare(record_keys(Record(source_id="a", **a)), record_keys(Record(source_id="b", **b)))


def duplicates() -> dict:
    """One pair for every rule that merges, named by the rule (docs/dedup.md, step 3), with a word the
    reason must contain to show that this rule decided it."""
    return {
        "shared DOI, same title": (dict(ARTICLE, doi=DOI), dict(ARTICLE, doi=DOI), "DOI"),
        "shared DOI, one title missing, same first author": (
            dict(ARTICLE, doi=DOI), dict(title="", authors=["Karlsson, I."], doi=DOI), "DOI"),
        "every field agrees": (ARTICLE, dict(ARTICLE), "title, author and year"),
        "title, journal, volume, page and year agree; a group author": (
            ARTICLE, dict(ARTICLE, authors=["Nordic Arthroplasty Trial Group"]), "authors differ"),
        "same title, journal, volume and page; years one apart (online first)": (
            ARTICLE, dict(ARTICLE, year=2019), "online first"),
        "conference paper a year apart, same first page": (HELD, PUBLISHED, "proceedings"),
        "conference paper a year apart, no pages, the year and 'icis' in the venues": (
            dict(HELD, volume="", pages=""), dict(PUBLISHED, volume="", pages=""), "proceedings"),
        "same title, author, journal, volume and page; a year missing": (
            ARTICLE, dict(ARTICLE, year=None), "year missing"),
        "similar title; author, year, volume and page agree": (ARTICLE, dict(ARTICLE, title=SIMILAR), "similar"),
        "title cut after its first clause; venue, page and author agree": (
            RUNNERS, dict(RUNNERS, title="Knee pain in runners", pages="45"), "first clause"),
        "title translated; same author, year, issue and page range": (
            ARTICLE, dict(ARTICLE, title="Fruehmobilisierung nach Knieendoprothetik: eine Studie"), "translated"),
    }


def uncertain() -> dict:
    """One pair for every rule that queues a pair for a human, with a word its reason must contain."""
    recurring = dict(title="Editor's comments", authors=["Straub, Detmar"], year=2010,
                     journal="MIS Quarterly", volume="34")
    return {
        "shared DOI, near-identical title, years far apart": (
            dict(ARTICLE, doi=DOI), dict(ARTICLE, title=TYPO, doi=DOI, year=2022), "years far apart"),
        "shared DOI, one title missing, another first author": (
            dict(ARTICLE, doi=DOI), dict(title="", authors=["Berg, Lars"], doi=DOI), "title is missing"),
        "shared DOI, titles differ": (
            dict(ARTICLE, doi=DOI), dict(ARTICLE, title=OTHER_TITLE, doi=DOI), "titles differ"),
        "different DOIs, every other field agrees": (
            dict(ARTICLE, doi=DOI), dict(ARTICLE, doi=DOI + "x"), "every other field agrees"),
        "no title; author, year, volume and page agree": (ARTICLE, dict(ARTICLE, title=""), "title is missing"),
        "recurring title, nothing locates both": (recurring, dict(recurring, volume=""), "recurring title"),
        "same title and year, no author": (BARE, dict(BARE, authors=[]), "no author"),
        "same title, author and year, another journal": (
            BARE, dict(BARE, journal="Acta Orthopaedica"), "different journal"),
        "short title, nothing but author and year": (
            dict(BARE, title="Knee arthroplasty outcomes", journal=""),
            dict(BARE, title="Knee arthroplasty outcomes", journal=""), "short title"),
        "same title, years one apart, nothing else": (
            dict(BARE, journal=""), dict(BARE, journal="", year=2019), "years one apart"),
        "same title, year missing, nothing else": (
            dict(BARE, journal=""), dict(BARE, journal="", year=None), "year missing"),
        "similar title, nothing else": (
            dict(BARE, journal=""), dict(BARE, journal="", title=SIMILAR), "similar titles"),
    }


@pytest.fixture(scope="module")
def scored():
    """Every pair's verdict, checked to be of the kind, and to come from the rule, the pair was built for."""
    out = {}
    for kind, pairs in ((DUPLICATE, duplicates()), (UNCERTAIN, uncertain())):
        for name, (a, b, what) in pairs.items():
            v, w = verdict(a, b), verdict(b, a)
            assert (v.kind, w.kind) == (kind, kind), (name, v, w)
            assert what in v.reason, (name, v)
            assert v.score == w.score, name
            out[name] = v
    return out


def test_every_pair_the_rules_merge_outranks_every_pair_they_leave_to_a_human(scored):
    merged = {name: v.score for name, v in scored.items() if v.kind == DUPLICATE}
    queued = {name: v.score for name, v in scored.items() if v.kind == UNCERTAIN}
    weakest = min(merged, key=merged.get)
    strongest = max(queued, key=queued.get)
    assert merged[weakest] > queued[strongest], (weakest, strongest)
    # and every pair queued has some strength (it is a candidate), unlike a pair kept apart (0)
    assert min(queued.values()) > 0


def test_no_rule_is_surer_than_a_reviewers_same_decision(scored):
    reviewer = human_verdict("same")
    assert reviewer.kind == DUPLICATE
    for name, v in scored.items():
        assert v.score < reviewer.score, name


def test_a_shared_identifier_outranks_any_agreement_of_the_other_fields(scored):
    # a DOI names one publication; title, author, journal, volume, page and year can all agree for two items
    # (an erratum or reply printed under the article's title), so even a shared DOI with no title on one side
    # is surer than every field agreeing
    by_doi = min(scored["shared DOI, same title"].score,
                 scored["shared DOI, one title missing, same first author"].score)
    without = [v.score for name, v in scored.items() if v.kind == DUPLICATE and "DOI" not in name]
    assert by_doi > max(without)


@pytest.mark.parametrize("weaker", ["title cut after its first clause; venue, page and author agree",
                                    "title translated; same author, year, issue and page range"])
def test_a_title_that_agrees_less_is_weaker_evidence(scored, weaker):
    # a title with a few words changed (ratio 88-95) agrees more than a title cut to its first clause or
    # translated; the other fields agree in all three pairs (author, year, journal, volume, first page)
    assert scored["similar title; author, year, volume and page agree"].score > scored[weaker].score


def test_a_conference_paper_dated_a_year_apart_is_weaker_than_the_same_paper_in_one_year():
    # the year-shift rule accepts a year apart; the year agreeing is still the surer case
    one_year = verdict(HELD, dict(PUBLISHED, year=2019))
    year_apart = verdict(HELD, PUBLISHED)
    assert one_year.kind == year_apart.kind == DUPLICATE
    assert one_year.score > year_apart.score


@pytest.mark.parametrize("rescued", ["title cut after its first clause; venue, page and author agree",
                                     "title translated; same author, year, issue and page range"])
def test_a_field_missing_on_one_side_weakens_less_than_a_title_that_disagrees(scored, rescued):
    # a year stated by one record only is no evidence either way; a title cut to its first clause or
    # translated disagrees, and only the venue, pages and author make the pair a duplicate
    assert scored["same title, author, journal, volume and page; a year missing"].score > scored[rescued].score
