"""A trial's registrations and reports, found by the registration numbers they state, are linked as related
(one study, several records) and never merged; duplicates stay duplicates (dedup/trial_refs.py)."""

import json
from dataclasses import replace

import pytest
from adversarial import VETO_FIELDS, merged, near_duplicates, near_non_duplicates
from hypothesis import HealthCheck, given, settings

from sysrev.dedup.engine import deduplicate
from sysrev.dedup.keys import record_keys
from sysrev.dedup.trial_refs import numbers_in_id_field, numbers_in_text
from sysrev.formats import load_references
from sysrev.formats.fields import TRIAL_REGISTRATION, build_record
from sysrev.search.pubmed_xml import records_from_xml

FIXED = settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("text, expected", [
    ("Trial registration: ClinicalTrials.gov NCT01234567.", {"NCT01234567"}),
    ("registered (nct 01234567) and ISRCTN12345678", {"NCT01234567", "ISRCTN12345678"}),
    ("ACTRN12610000123456; ChiCTR-TRC-12001234; ChiCTR2000012345", {"ACTRN12610000123456", "CHICTRTRC12001234",
                                                                     "CHICTR2000012345"}),
    ("DRKS00012345, CTRI/2020/01/012345, UMIN000012345, jRCTs031180001", {"DRKS00012345", "CTRI/2020/01/012345",
                                                                         "UMIN000012345", "JRCTS031180001"}),
    ("IRCT20150101012345N1 and KCT0001234", {"IRCT20150101012345N1", "KCT0001234"}),
    ("EudraCT number: 2010-012345-67", {"EUDRACT2010-012345-67"}),
    ("EUCTR2010-012345-67-DE", {"EUDRACT2010-012345-67"}),
    # not registration numbers: a bare EudraCT-shaped number in prose, a longer digit run, a word around it
    ("from 2010-012345-67 patients", set()),
    ("NCT012345678 and xNCT01234567", set()),
    ("PROSPERO CRD42020123456", set()),
])
def test_numbers_in_free_text(text, expected):
    assert numbers_in_text(text) == expected


@pytest.mark.parametrize("name", ["Secondary_ID", "SecondaryIDs", "Other IDs", "SI"])
def test_the_identifier_fields_of_each_export_are_read(name):
    # the ICTRP's XML (Secondary_ID) and CSV (SecondaryIDs) exports, ClinicalTrials.gov's CSV, MEDLINE
    record = build_record(source_id="x", title="A trial report",
                          extra={"fields": {name: "EUCTR2010-012345-67-GB; NCT01234567"}})
    assert record_keys(record).trial_refs == {"EUDRACT2010-012345-67", "NCT01234567"}


def test_a_bare_eudract_number_counts_in_an_identifier_field_only():
    assert numbers_in_id_field(["2010-012345-67", "ABC-123"]) == {"EUDRACT2010-012345-67"}
    assert numbers_in_id_field("EudraCT 2010-012345-67 | NCT01234567") == {"EUDRACT2010-012345-67", "NCT01234567"}


def _registration(number, title, **fields):
    return build_record(source_id=number, source="register", title=title, publication_types=[TRIAL_REGISTRATION],
                        extra={"type": TRIAL_REGISTRATION, "fields": fields})


def _article(pmid, title, **kw):
    base = dict(source_id=pmid, pmid=pmid, source="pubmed", title=title, journal="Pain Medicine", year="2015",
                volume="10", pages="101-109", authors=["Lee, Anna", "Park, Ji"])
    return build_record(**{**base, **kw})


def _related(records):
    result = deduplicate(records, progress=False)
    return result, {frozenset((n.a, n.b)): n.reason for n in result.related}


def test_registrations_and_reports_of_one_trial_are_linked_never_merged():
    records = [
        _registration("NCT01234567", "Ultrasound versus fluoroscopy guidance for facet joint injections",
                      secondary_ids=["2010-012345-67"], reference_pmids=["30000001"]),
        _registration("EUCTR2010-012345-67-DE", "Image guidance in lumbar facet joint injection: a randomised trial"),
        _article("30000001", "Ultrasound-guided facet injections in chronic low back pain",
                 abstract="Methods … Trial registration: ClinicalTrials.gov NCT 01234567."),
        _article("30000002", "Two-year outcomes of guided facet injections", journal="Spine", volume="3",
                 pages="5-9", extra={"fields": {"SI": ["ClinicalTrials.gov/NCT01234567"]}}),
        _article("30000003", "An unrelated trial of exercise", abstract="Registered as NCT07654321."),
    ]
    result, related = _related(records)
    assert len(result.clusters) == 5
    assert related[frozenset((0, 1))].startswith("both name trial EudraCT 2010-012345-67")
    for pair in ((0, 2), (0, 3), (2, 3)):
        assert related[frozenset(pair)].startswith("both name trial NCT01234567"), pair
    assert not any(4 in pair for pair in related)


def test_a_registration_listing_a_publication_is_linked_to_it():
    registration = _registration("NCT01234567", "A trial of guidance", reference_pmids=["30000009"])
    article = _article("30000009", "Facet joint injections under two kinds of image guidance")
    _, related = _related([registration, article])
    assert related == {frozenset((0, 1)): related[frozenset((0, 1))]}
    assert related[frozenset((0, 1))].startswith("the registration lists this publication")


def test_duplicates_naming_their_trial_stay_duplicates():
    """Two databases' copies of one article, both stating the trial: one record, not a related pair."""
    a = _article("30000001", "Ultrasound-guided facet injections", abstract="Registered: NCT01234567.")
    b = replace(a, source_id="E1", source="embase", pmid="", abstract="Trial registration NCT01234567")
    result, related = _related([a, b])
    assert len(result.clusters) == 1 and not related


def test_readers_keep_what_the_link_needs(tmp_path):
    """PubMed XML's databank list, MEDLINE's SI field and ClinicalTrials.gov's secondary IDs reach the keys."""
    xml = ('<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>5</PMID><Article>'
           '<Journal><Title>J</Title></Journal><ArticleTitle>T</ArticleTitle><DataBankList CompleteYN="Y"><DataBank>'
           '<DataBankName>ClinicalTrials.gov</DataBankName><AccessionNumberList><AccessionNumber>NCT01234567'
           '</AccessionNumber><AccessionNumber>NCT07654321</AccessionNumber></AccessionNumberList></DataBank>'
           '</DataBankList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>')
    [record] = records_from_xml(xml.encode())
    assert record.extra["databanks"] == ["ClinicalTrials.gov/NCT01234567", "ClinicalTrials.gov/NCT07654321"]
    assert record_keys(record).trial_refs == {"NCT01234567", "NCT07654321"}

    nbib = tmp_path / "one.nbib"
    nbib.write_text("PMID- 6\nTI  - A title\nSI  - ClinicalTrials.gov/NCT01234567\nSI  - ISRCTN/ISRCTN12345678\n"
                    "PT  - Journal Article\n\n", encoding="utf-8")
    [record] = load_references(nbib).records
    assert record_keys(record).trial_refs == {"NCT01234567", "ISRCTN12345678"}

    study = {"protocolSection": {"identificationModule": {
        "nctId": "NCT01234567", "briefTitle": "A trial",
        "secondaryIdInfos": [{"id": "2010-012345-67", "type": "EUDRACT_NUMBER"}, {"id": "R01-HL-067098"}]}}}
    path = tmp_path / "ctgov.json"
    path.write_text(json.dumps({"studies": [study]}), encoding="utf-8")
    [record] = load_references(path).records
    keys = record_keys(record)
    assert keys.trial_refs == {"NCT01234567", "EUDRACT2010-012345-67"} and keys.trial_id == "NCT01234567"


@pytest.mark.parametrize("field", VETO_FIELDS)
def test_a_shared_trial_number_links_records_the_rules_keep_apart_but_never_merges_them(field):
    @FIXED
    @given(near_non_duplicates(field))
    def check(pair):
        a, b = (replace(r, abstract=f"{r.abstract or ''} Trial registration: NCT01234567.") for r in pair)
        assert not merged(a, b), (field, a, b)

    check()


@FIXED
@given(near_duplicates())
def test_a_shared_trial_number_never_turns_a_duplicate_into_a_related_pair(case):
    a, b, changes = case
    a, b = (replace(r, abstract=f"{r.abstract or ''} NCT01234567") for r in (a, b))
    assert merged(a, b), (changes, a, b)


def test_a_central_registry_record_is_the_registration_its_source_address_names():
    """CENTRAL gives a registry record the register's address as its source: its number is that of the
    ClinicalTrials.gov entry, so the two are one registration (the same record from two databases)."""
    central = build_record(source_id="CN-01934567", source="central", title="Ergothioneine to delay cognitive decline",
                           journal="https://clinicaltrials.gov/show/NCT03641404", year="2018",
                           publication_types=["Trial registry record"],
                           url="https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01934567/full")
    registry = _registration("NCT03641404", "Ergothioneine to Delay Cognitive Decline")
    assert (record_keys(central).trial_register, record_keys(central).trial_id) == ("NCT", "NCT03641404")
    result, related = _related([central, registry])
    assert result.clusters == [[0, 1]] and not related
    # another trial's registry record with the same title is not that registration
    other = replace(central, source_id="CN-01934568", journal="https://clinicaltrials.gov/show/NCT03641405")
    result, _ = _related([other, registry])
    assert len(result.clusters) == 2


def test_databank_links_are_read_under_pubmeds_dtd_too():
    """PubMed's EFetch XML declares its DTD, which places DataBankList after Language: read there as well."""
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
           '2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet><PubmedArticle>'
           '<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">5</PMID><Article PubModel="Print">'
           '<Journal><JournalIssue CitedMedium="Print"><PubDate><Year>2020</Year></PubDate></JournalIssue><Title>J'
           '</Title></Journal><ArticleTitle>T</ArticleTitle><Language>eng</Language><DataBankList CompleteYN="Y">'
           '<DataBank><DataBankName>ISRCTN</DataBankName><AccessionNumberList><AccessionNumber>ISRCTN12345678'
           '</AccessionNumber></AccessionNumberList></DataBank></DataBankList><PublicationTypeList><PublicationType '
           'UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article></MedlineCitation>'
           '</PubmedArticle></PubmedArticleSet>')
    [record] = records_from_xml(xml.encode())
    assert record.extra["databanks"] == ["ISRCTN/ISRCTN12345678"]


@pytest.mark.parametrize("extra, expected", [
    ({"dedup_related": [{"record_id": "R2", "reason": "both name trial NCT01234567 (different titles)"},
                        {"record_id": "R3", "reason": "looks like an erratum"},
                        {"record_id": "R4", "reason": "the registration lists this publication (x)"}]},
     [("R2", "both name trial NCT01234567"), ("R4", "the registration lists this publication")]),
    # a records.jsonl edited by hand: odd shapes give no link rather than a crash of the screen
    ({"dedup_related": {"record_id": "R2"}}, []), ({"dedup_related": ["R2", None]}, []), ("not a dict", []),
    (None, []),
])
def test_same_trial_links_of_a_records_line(extra, expected):
    from sysrev.dedup.trial_refs import same_trial_links

    assert same_trial_links({"record_id": "R1", "extra": extra}) == expected
