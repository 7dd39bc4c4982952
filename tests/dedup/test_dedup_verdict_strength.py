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
from verdict_pairs import HELD, PUBLISHED, duplicates, phrases, uncertain, verdict

from sysrev.dedup.clustering import human_verdict
from sysrev.dedup.scoring import DUPLICATE, UNCERTAIN


@pytest.fixture(scope="module")
def scored():
    """Every pair's verdict, checked to be of the kind, and to come from the rule, the pair was built for."""
    out = {}
    for kind, pairs in ((DUPLICATE, duplicates()), (UNCERTAIN, uncertain())):
        for name, (a, b, what) in pairs.items():
            v, w = verdict(a, b), verdict(b, a)
            assert (v.kind, w.kind) == (kind, kind), (name, v, w)
            assert all(phrase in v.reason for phrase in phrases(what)), (name, v)
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


@pytest.mark.parametrize("explained", ["same title, author, journal, volume and page; a year missing",
                                       "same title, journal, volume and page; years one apart (online first)"])
@pytest.mark.parametrize("rescued", ["title cut after its first clause; venue, page and author agree",
                                     "title translated; same author, year, issue and page range"])
def test_a_year_missing_or_one_apart_weakens_less_than_a_title_that_disagrees(scored, explained, rescued):
    # a year stated by one record only is no evidence either way, and one year apart is explained (online
    # first vs print); a title cut to its first clause or translated disagrees, and only the venue, pages
    # and author make that pair a duplicate
    assert scored[explained].score > scored[rescued].score


def test_an_agreeing_first_author_adds_to_the_evidence(scored):
    # the same pair (title, journal, volume, page and year agree) once with the first authors agreeing and once
    # with a group author on one side: the pair whose authors agree as well is the surer duplicate
    assert (scored["every field agrees"].score
            > scored["title, journal, volume, page and year agree; a group author"].score)
