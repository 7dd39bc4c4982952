"""ClinicalTrials.gov's JSON download (API v2 study objects): made-up studies in the documented structure, read
field by field; personal contact details are not kept."""

import json

import pytest

from sysrev.dedup.keys import record_keys
from sysrev.errors import InputError
from sysrev.formats import load_references

STUDY = {
    "protocolSection": {
        "identificationModule": {
            "nctId": "NCT09123456", "orgStudyIdInfo": {"id": "FACET-01"},
            "secondaryIdInfos": [{"id": "2019-001234-56", "type": "EUDRACT_NUMBER"}],
            "briefTitle": "Ultrasound vs Fluoroscopy for Facet Injection",
            "officialTitle": "A Made-up Randomised Trial of Ultrasound- versus Fluoroscopy-guided Facet Injection",
            "acronym": "FACET"},
        "statusModule": {"overallStatus": "ACTIVE_NOT_RECRUITING", "startDateStruct": {"date": "2019-04"},
                         "studyFirstSubmitDate": "2019-03-01", "studyFirstPostDateStruct": {"date": "2019-03-05"}},
        "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Example University Hospital", "class": "OTHER"}},
        "descriptionModule": {"briefSummary": "Patients with facet pain \\(made up\\) are randomised\\."},
        "conditionsModule": {"conditions": ["Low Back Pain", "Facet Joint Syndrome"], "keywords": ["ultrasound"]},
        "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE3"],
                         "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL",
                                        "maskingInfo": {"masking": "DOUBLE"}},
                         "enrollmentInfo": {"count": 120, "type": "ESTIMATED"}},
        "armsInterventionsModule": {"interventions": [
            {"type": "PROCEDURE", "name": "Ultrasound-guided injection"},
            {"type": "PROCEDURE", "name": "Fluoroscopy-guided injection"}]},
        "outcomesModule": {"primaryOutcomes": [{"measure": "Pain (NRS)", "timeFrame": "3 months"}]},
        "eligibilityModule": {
            "eligibilityCriteria": "Inclusion Criteria:\n\n* Adults\n\nExclusion Criteria:\n\n* None"},
        "contactsLocationsModule": {
            "centralContacts": [{"name": "Jane Contact", "phone": "+1 555 0100", "email": "jane@example.org"}],
            "overallOfficials": [{"name": "Dr Official", "affiliation": "Example University"}]},
        "referencesModule": {"references": [{"pmid": "31234567", "type": "RESULT", "citation": "Made up."}]},
    },
    "hasResults": False,
}


def _write(tmp_path, data, name="ctg-studies.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_a_study_is_read_as_a_registration(tmp_path):
    parsed = load_references(_write(tmp_path, [STUDY]))
    assert parsed.format == "ctgov_json"
    (record,) = parsed.records
    assert (record.source_id, record.source, record.year) == ("NCT09123456", "clinicaltrials-gov", 2019)
    assert record.title == "Ultrasound vs Fluoroscopy for Facet Injection"
    assert record.publication_types == ["Trial registration", "interventional"]
    assert record.keywords == ["Low Back Pain", "Facet Joint Syndrome", "ultrasound"]
    assert record.url == "https://clinicaltrials.gov/study/NCT09123456"
    assert record.abstract.startswith("Patients with facet pain (made up) are randomised. Official title: A Made-up")
    for part in ("Conditions: Low Back Pain; Facet Joint Syndrome.", "Interventions: procedure: Ultrasound-guided "
                 "injection; procedure: Fluoroscopy-guided injection.", "Primary outcomes: Pain (NRS).",
                 "Design: randomized, parallel, double.", "Phases: PHASE3.", "Enrollment: 120.",
                 "Eligibility criteria: Inclusion Criteria: * Adults Exclusion Criteria: * None.",
                 "Status: active not recruiting."):
        assert part in record.abstract
    fields = record.extra["fields"]
    assert fields["secondary_ids"] == ["2019-001234-56"] and fields["reference_pmids"] == ["31234567"]
    assert fields["lead_sponsor"] == "Example University Hospital" and fields["acronym"] == "FACET"
    assert record_keys(record).trial_id == "NCT09123456"  # dedup compares it as a registration number


def test_contact_details_are_not_kept(tmp_path):
    (record,) = load_references(_write(tmp_path, [STUDY])).records
    text = json.dumps(record.to_dict())
    assert "jane@example.org" not in text and "555 0100" not in text and "Jane Contact" not in text
    assert "Dr Official" not in text


@pytest.mark.parametrize("data", [{"studies": [STUDY], "nextPageToken": "abc"}, STUDY])
def test_the_api_page_and_a_single_study_are_read(tmp_path, data):
    (record,) = load_references(_write(tmp_path, data)).records
    assert record.source_id == "NCT09123456"


def test_a_download_cut_off_inside_its_last_study(tmp_path):
    second = json.loads(json.dumps(STUDY).replace("NCT09123456", "NCT09123457"))
    text = json.dumps([STUDY, second], indent=2)
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index("NCT09123457") + 20], encoding="utf-8")
    with pytest.raises(InputError, match="--allow-truncated"):
        load_references(path)
    assert [r.source_id for r in load_references(path, allow_truncated=True).records] == ["NCT09123456"]


def test_a_study_without_its_protocol_section_is_an_error(tmp_path):
    with pytest.raises(InputError, match="not ClinicalTrials.gov JSON"):
        load_references(_write(tmp_path, [STUDY, {"hasResults": False}]))
