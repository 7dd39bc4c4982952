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
                         "studyFirstSubmitDate": "2018-12-20", "studyFirstPostDateStruct": {"date": "2019-01-03"}},
        "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Example University Hospital", "class": "OTHER"}},
        "descriptionModule": {"briefSummary": "Patients with facet pain \\(made up\\) are randomised\\."},
        "conditionsModule": {"conditions": ["Low Back Pain", "Facet Joint Syndrome"], "keywords": ["ultrasound"]},
        "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2", "PHASE3"],
                         "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL",
                                        "primaryPurpose": "TREATMENT", "maskingInfo": {"masking": "DOUBLE"}},
                         "enrollmentInfo": {"count": 120, "type": "ESTIMATED"}},
        "armsInterventionsModule": {"interventions": [
            {"type": "PROCEDURE", "name": "Ultrasound-guided injection"},
            {"type": "PROCEDURE", "name": "Fluoroscopy-guided injection"}]},
        "outcomesModule": {"primaryOutcomes": [{"measure": "Pain (NRS)", "timeFrame": "3 months"},
                                               {"timeFrame": "an outcome without its measure"},
                                               {"measure": "Function (ODI)."}]},
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
    assert (parsed.format, parsed.dialect) == ("ctgov_json", "clinicaltrials-gov")
    (record,) = parsed.records
    assert record.to_dict() == {
        "source_id": "NCT09123456", "source": "clinicaltrials-gov",
        "title": "Ultrasound vs Fluoroscopy for Facet Injection",
        # the brief summary (its Markdown escapes removed), then the fields a screener reads, each labelled
        "abstract": "Patients with facet pain (made up) are randomised. Official title: A Made-up Randomised Trial "
                    "of Ultrasound- versus Fluoroscopy-guided Facet Injection. Conditions: Low Back Pain; Facet "
                    "Joint Syndrome. Interventions: procedure: Ultrasound-guided injection; procedure: "
                    "Fluoroscopy-guided injection. Primary outcomes: Pain (NRS); Function (ODI). Study type: "
                    "interventional. Design: allocation: randomized; model: parallel; purpose: treatment; masking: "
                    "double. Phases: phase 2, phase 3. "
                    "Enrollment: 120. Eligibility criteria: Inclusion Criteria: * Adults Exclusion Criteria: * "
                    "None. Status: active not recruiting.",
        "year": 2018,  # the year it was registered, not the year it was first posted
        "authors": [], "journal": "", "journal_abbrev": "", "volume": "", "issue": "", "pages": "",
        "doi": "", "pmid": "", "pmcid": "", "issn": "", "language": "",
        "publication_types": ["Trial registration", "interventional"],
        "keywords": ["Low Back Pain", "Facet Joint Syndrome", "ultrasound"],
        "url": "https://clinicaltrials.gov/study/NCT09123456",
        "extra": {"type": "Trial registration", "fields": {
            "acronym": "FACET", "org_study_id": "FACET-01", "secondary_ids": ["2019-001234-56"],
            "lead_sponsor": "Example University Hospital", "overall_status": "ACTIVE_NOT_RECRUITING",
            "start_date": "2019-04", "reference_pmids": ["31234567"]}},
    }
    assert record_keys(record).trial_id == "NCT09123456"  # dedup compares it as a registration number


def test_a_sparse_study_falls_back_field_by_field(tmp_path):
    sparse = [
        # no brief title, no submission date: the official title and the year of the first posting
        {"protocolSection": {"identificationModule": {"nctId": "NCT09000010", "officialTitle": "Official only"},
                             "statusModule": {"studyFirstPostDateStruct": {"date": "2018-07-02"}},
                             "outcomesModule": {"primaryOutcomes": [{"measure": "Does pain fall?"}]},
                             "conditionsModule": {"conditions": ["Pain;", ""]}}},
        # no identification or status module at all (the API leaves out what a study lacks)
        {"protocolSection": {"descriptionModule": {"briefSummary": "A summary"}}},
        # modules of the wrong JSON type (a damaged or hand-edited file): read as missing, no crash
        {"protocolSection": {"identificationModule": ["NCT1"], "statusModule": "x", "designModule": [1],
                             "armsInterventionsModule": {"interventions": ["x"]}, "conditionsModule": 3}},
    ]
    first, second, third = load_references(_write(tmp_path, sparse, name="sparse.json")).records
    assert (third.source_id, third.title, third.abstract, third.keywords) == ("sparse.json:3", "", "", [])
    assert (first.title, first.year, first.source_id) == ("Official only", 2018, "NCT09000010")
    # the official title is not repeated; a question keeps its mark; a list separator at the end goes
    assert first.abstract == "Conditions: Pain. Primary outcomes: Does pain fall?"
    assert first.keywords == ["Pain;"] and first.publication_types == ["Trial registration"]
    assert first.extra == {"type": "Trial registration"}
    assert (second.source_id, second.title, second.year, second.url, second.abstract) == (
        "sparse.json:2", "", None, "", "A summary")


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
    path = _write(tmp_path, [STUDY, {"hasResults": False}])
    with pytest.raises(InputError) as err:
        load_references(path)
    assert str(err.value) == f"{path}: not ClinicalTrials.gov JSON: expected studies (objects with a 'protocolSection')"


def test_broken_json_is_an_error_naming_the_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    second_line = '{"protocolSection": {"identificationModule": {"nctId": "NCT1"}}},,'
    path.write_text(f"[\n{second_line}\n{{}}]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_references(path)
    column = second_line.index(",,") + 2  # the second comma, counted from 1
    assert str(err.value) == f"{path}, line 2: not valid JSON: Expecting value (column {column})"
