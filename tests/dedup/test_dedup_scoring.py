"""Pair verdicts on the hard cases: what must merge, what must be linked as related, what must stay apart."""

import csv

import pytest

from sysrev.dedup.engine import deduplicate
from sysrev.dedup.evaluate import pairwise_score, record_from_row
from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import DISTINCT, DUPLICATE, RELATED, UNCERTAIN, compare
from sysrev.records import Record

TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-586")


def verdict(a: dict, b: dict):
    return compare(record_keys(Record(source_id="a", **a)), record_keys(Record(source_id="b", **b)))


def test_same_article_from_two_databases_is_a_duplicate():
    other = dict(TRIAL, title=TRIAL["title"].upper().replace("RANDOMISED", "RANDOMIZED"), authors=["Smith J"],
                 journal="Pain Phys", pages="575-86")
    assert verdict(TRIAL, other).kind == DUPLICATE


def test_shared_doi_merges_even_when_other_fields_are_missing():
    a = dict(TRIAL, doi="10.1000/xyz")
    b = dict(title=TRIAL["title"], doi="https://doi.org/10.1000/XYZ")
    assert verdict(a, b).kind == DUPLICATE


def test_shared_doi_with_unrelated_titles_is_not_merged():
    a = dict(TRIAL, doi="10.1000/xyz")
    b = dict(title="A completely different paper about knee surgery outcomes", authors=["Lee, K"], year=2019,
             doi="10.1000/xyz")
    assert verdict(a, b).kind == UNCERTAIN


@pytest.mark.parametrize("b, expected", [
    (dict(TRIAL, title="Erratum: " + TRIAL["title"], issue="5", pages="701"), RELATED),
    (dict(TRIAL, title="Comment on: " + TRIAL["title"], authors=["Green, Paul"], pages="E12"), RELATED),
    (dict(TRIAL, title=TRIAL["title"].replace("a randomised trial", "study protocol for a randomised trial"),
          year=2013, journal="Trials", volume="14", issue="", pages="221"), RELATED),
    (dict(TRIAL, journal="medRxiv", volume="", issue="", pages="", year=2014,
          doi="10.1101/2014.01.01.000001"), RELATED),
    (dict(TRIAL, year=2014, journal="Regional Anesthesia and Pain Medicine. Conference: ASRA Annual Meeting",
          volume="39", pages="e101"), RELATED),
])
def test_look_alike_publications_are_related_not_merged(b, expected):
    assert verdict(TRIAL, b).kind == expected


def test_cochrane_review_updates_are_related():
    a = dict(title="Epidural steroid injections for sciatica", authors=["Jones, Mary"], year=2008,
             journal="Cochrane Database Syst Rev", pages="CD001234", doi="10.1002/14651858.CD001234.pub2")
    b = dict(a, year=2012, doi="10.1002/14651858.CD001234.pub3")
    v = verdict(a, b)
    assert v.kind == RELATED and "Cochrane" in v.reason


def test_parts_of_a_series_stay_apart():
    a = dict(TRIAL, title="Management of chronic low back pain. Part I: diagnosis")
    b = dict(TRIAL, title="Management of chronic low back pain. Part II: diagnosis")
    assert verdict(a, b).kind == DISTINCT


def test_numbers_in_titles_must_agree_unless_the_whole_citation_does():
    a = dict(TRIAL, title="HPV16 viral load and cervical lesions in a screening cohort", volume="", pages="")
    b = dict(a, title="HPV18 viral load and cervical lesions in a screening cohort")
    assert verdict(a, b).kind == DISTINCT
    # same journal, volume, first page, year and author: a typo in the number ("p6INK4a" for "p16INK4a")
    typo_a = dict(TRIAL, title="p16(INK4a) expression does not predict the outcome of CIN grade 2")
    typo_b = dict(TRIAL, title="p6INK4a expression does not predict the outcome of CIN grade 2")
    assert verdict(typo_a, typo_b).kind == DUPLICATE


def test_different_first_pages_in_the_same_volume_stay_apart():
    # same title and authors elsewhere in the volume: another item (erratum, abstract, reprint), linked
    v = verdict(TRIAL, dict(TRIAL, pages="601-610"))
    assert v.kind == RELATED and "first page" in v.reason
    assert verdict(TRIAL, dict(TRIAL, pages="601-610", authors=["Brown, Carl"])).kind == DISTINCT


def test_same_title_author_year_but_another_journal_is_only_uncertain():
    a = dict(title="Learning-based scheduling for digital work platforms", authors=["Smith, John"], year=2020,
             journal="Journal of Digital Studies")
    b = dict(a, journal="Digital Labour Review")
    assert verdict(a, b).kind == UNCERTAIN


def test_missing_title_or_only_an_id_never_merges_automatically():
    no_title = dict(TRIAL, title="")
    assert verdict(TRIAL, no_title).kind in (UNCERTAIN, DISTINCT)
    assert verdict({}, {}).kind == DISTINCT
    assert verdict(dict(title="UNKNOWN", year=2020), dict(title="UNKNOWN", year=2020)).kind == DISTINCT


def test_online_first_and_issue_versions_one_year_apart_merge():
    a = dict(title="How to develop and frame impactful review articles: key recommendations",
             authors=["Paré, Guy", "Wagner, Gerit"], journal="Journal of Decision Systems", year=2024,
             volume="33", pages="566-582", doi="10.1080/12460125.2023.2197701")
    b = dict(a, year=2023, volume="", pages="1-17", doi="")
    assert verdict(a, b).kind == DUPLICATE


def test_same_titles_in_different_years_without_locators_stay_apart():
    a = dict(title="Introduction to the minitrack on crowdsourcing and the gig economy",
             authors=["Deng, Xuefei"], year=2021, doi="10.24251/HICSS.2021.510")
    b = dict(a, year=2022, doi="10.24251/HICSS.2022.544")
    assert verdict(a, b).kind == DISTINCT



def _score_labelled_fixture(path):
    """Deduplicate a hand-labelled CSV (columns of the bib-dedupe layout plus `cluster`): the pairwise score, the
    false-positive and missed pairs, and the record-ID pairs linked as related publications."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    result = deduplicate([record_from_row(r) for r in rows], progress=False)
    ids = [r["ID"] for r in rows]
    truth = {}
    for r in rows:
        truth.setdefault(r["cluster"], []).append(r["ID"])
    score, fp, fn = pairwise_score(len(rows), [[ids[i] for i in c] for c in result.clusters], truth.values())
    related = {frozenset((ids[p.a], ids[p.b])) for p in result.related}
    return score, fp, fn, related


def test_own_hard_case_fixture_has_no_false_positive_and_no_miss(own_fixtures):
    score, fp, fn, related = _score_labelled_fixture(own_fixtures / "dedup" / "hard_cases.csv")
    assert (fp, fn) == (set(), set())
    assert score.true_pairs == 3
    for pair in (("h01", "h03"), ("h01", "h05"), ("h01", "h06"), ("h11", "h12"), ("h13", "h14")):
        assert frozenset(pair) in related, pair


def test_cluster_agreement_check_refuses_a_chain_that_joins_conflicting_records():
    # b bridges a and c: a~b and b~c are duplicates (b has no pages), but a and c have different first pages.
    a = Record(source_id="a", **TRIAL)
    b = Record(source_id="b", **dict(TRIAL, pages="", volume=""))
    c = Record(source_id="c", **dict(TRIAL, pages="601-610"))
    result = deduplicate([a, b, c], progress=False)
    assert not any({0, 2} <= set(cluster) for cluster in result.clusters)
    assert result.uncertain, "the refused join is queued for a human"


NO_LOCATOR = dict(authors=["Andersen, Karl", "Lund, Mette"], year=2017, journal="Stroke")


@pytest.mark.parametrize("title_a, title_b", [
    ("Risk of stroke in men with atrial fibrillation: a cohort study",
     "Risk of stroke in women with atrial fibrillation: a cohort study"),
    ("Activity of silver nanoparticles against Staphylococcus aureus in vitro",
     "Activity of silver nanoparticles against Staphylococcus aureus in vivo"),
    ("Outcomes of total knee arthroplasty with patellar resurfacing",
     "Outcomes of total knee arthroplasty without patellar resurfacing"),
    ("Dupilumab in adults with moderate-to-severe atopic dermatitis",
     "Dupilumab in adolescents with moderate-to-severe atopic dermatitis"),
    ("Increased risk of hip fracture with proton pump inhibitors",
     "Decreased risk of hip fracture with proton pump inhibitors"),
    ("Hepatitis B vaccination coverage among health care workers in Nigeria",
     "Hepatitis C vaccination coverage among health care workers in Nigeria"),
    ("Immunotherapy for small cell lung cancer: a systematic review",
     "Immunotherapy for non-small cell lung cancer: a systematic review"),
    ("Postoperative delirium after hip fracture surgery in older patients",
     "Preoperative delirium after hip fracture surgery in older patients"),
    ("Exercise reduces depressive behaviour in rats after chronic stress",
     "Exercise reduces depressive behaviour in mice after chronic stress"),
    ("Outcomes of liver transplantation in patients with atypical haemolytic uraemic syndrome",
     "Outcomes of kidney transplantation in patients with atypical haemolytic uraemic syndrome"),
])
def test_a_contrasting_word_keeps_same_author_year_journal_records_apart(title_a, title_b):
    # no volume or pages to tell them apart (as in CENTRAL or trial-register records): title similarity is
    # 90-98 here, yet these are different studies
    assert verdict(dict(NO_LOCATOR, title=title_a), dict(NO_LOCATOR, title=title_b)).kind == DISTINCT
    # the same swap on the same pages of the same volume is a typo in one database
    full = dict(NO_LOCATOR, volume="48", issue="2", pages="300-308")
    assert verdict(dict(full, title=title_a), dict(full, title=title_b)).kind == DUPLICATE


@pytest.mark.parametrize("pages", ["S123", "S123-S124"])
def test_one_groups_abstracts_sharing_a_supplement_page_are_not_typos_of_each_other(pages):
    # several abstracts of one group can sit on one page of a meeting supplement: a changed number or
    # contrasting word there is another abstract, not a typo
    abstract = dict(NO_LOCATOR, volume="48", issue="Suppl 1", pages=pages)
    for title_a, title_b in (("Eculizumab in atypical HUS: 1-year results of a registry",
                              "Eculizumab in atypical HUS: 2-year results of a registry"),
                             ("Stroke risk in men with atrial fibrillation: registry data",
                              "Stroke risk in women with atrial fibrillation: registry data")):
        assert verdict(dict(abstract, title=title_a), dict(abstract, title=title_b)).kind != DUPLICATE


@pytest.mark.parametrize("title_a, title_b", [
    ("Paediatric anaesthesia and behaviour after tonsillectomy in children",
     "Pediatric anesthesia and behavior after tonsillectomy in children."),
    ("TNF-α blockade in severe plaque psoriasis: a two-year follow-up", "TNF-a blockade in severe plaque "
                                                                       "psoriasis: a two-year follow-up"),
    ("Long-term haemoglobinuria after eculizumab in paroxysmal nocturnal haemoglobinuria",
     "Long-term haemoglobinura after eculizumab in paroxysmal nocturnal haemoglobinuria"),
    ("Quality of life of adolescent patients after surgery for idiopathic scoliosis",
     "Quality of life of adolescents patients after surgery for idiopathic scoliosis"),
])
def test_spelling_variants_lost_symbols_and_typos_are_not_contrasts(title_a, title_b):
    assert verdict(dict(NO_LOCATOR, title=title_a), dict(NO_LOCATOR, title=title_b)).kind == DUPLICATE


def test_reworded_title_on_the_same_page_range_of_one_volume_is_one_article():
    a = dict(title="[Treatment of resistant hypertension in general practice: a cross-sectional survey]",
             authors=["Schulz, Hans"], year=2014, journal="Deutsche Medizinische Wochenschrift", volume="139",
             issue="12", pages="600-606")
    b = dict(a, title="Therapy of therapy-resistant hypertension in family practice: a cross-sectional survey",
             authors=["Schulz, H"], journal="Dtsch Med Wochenschr", pages="600-6")
    assert verdict(a, b).kind == DUPLICATE
    # another first author on the same pages (a debate pair), or one shared page only, is not enough
    assert verdict(a, dict(b, authors=["Weber, Klaus"])).kind == DISTINCT
    assert verdict(dict(a, pages="600"), dict(b, pages="600")).kind != DUPLICATE
    # the range of a whole abstract book, given for every abstract in it, does not name one article
    assert verdict(dict(a, pages="S1-S250"), dict(b, pages="S1-S250")).kind != DUPLICATE


def test_supplement_abstract_and_the_full_paper_in_the_same_journal_year_stay_apart():
    abstract = dict(TRIAL, issue="Suppl 1", pages="S12")
    assert verdict(TRIAL, abstract).kind != DUPLICATE


def test_own_stress_fixture_keeps_every_look_alike_apart(own_fixtures):
    """Export quirks and look-alikes built by hand (tests/fixtures/dedup/stress_cases.csv, `note` column)."""
    score, fp, fn, related = _score_labelled_fixture(own_fixtures / "dedup" / "stress_cases.csv")
    assert fp == set(), sorted(fp)
    assert fn == set(), sorted(fn)
    assert score.true_pairs == 10
    for pair in (("s01", "s04"), ("s01", "s08"), ("s01", "s09"), ("s01", "s10"), ("s28", "s29"), ("s60", "s61"),
                 ("s01", "s62")):
        assert frozenset(pair) in related, pair
