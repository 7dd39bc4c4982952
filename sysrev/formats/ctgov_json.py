"""ClinicalTrials.gov's JSON download (the study list's "Download → JSON", and the API v2 ``/studies`` answer):
one object per study with a ``protocolSection``.

A JSON array of studies is read, as is an object holding them under ``studies`` (the API's page) and a single
study. The fields, by their path in the API v2 data structure: ``identificationModule.nctId`` → source_id,
``briefTitle`` (else ``officialTitle``) → title, the year of ``statusModule.studyFirstSubmitDate`` (the
registration; else of the first posting) → year, ``conditionsModule`` conditions and keywords → keywords,
``designModule.studyType`` → publication type after "Trial registration" (so dedup treats the record as a
registration, not an article, as for the CSV download and the ICTRP's XML). A registration has no abstract:
the screening text is the brief summary followed by the fields a screener judges a trial by, each under its
name (official title, conditions, interventions, primary outcomes, study type, design, phases, enrollment,
eligibility criteria, status). The sponsor, the other identifiers of the trial (EudraCT, ISRCTN … numbers),
the PMIDs of its publications are kept in ``extra["fields"]``, its page is the record's URL; the contacts' and
officials' names, e-mail addresses and telephone numbers are not kept. The Markdown escapes of the API's
default text format (``\\*``, ``\\>``) are removed.

A file that ends inside its array (an interrupted download) is read as cut off, like CSL-JSON.
"""

import re

from sysrev.errors import InputError
from sysrev.formats.fields import TRIAL_REGISTRATION, build_record
from sysrev.formats.result import ParsedFile
from sysrev.formats.truncation import parse_json_or_cut
from sysrev.normalise import clean_text

_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>~|])")
_YEAR = re.compile(r"^((?:19|20)\d\d)")


def is_ctgov_json(head: str) -> bool:
    """Whether ``head`` (a file's start) is ClinicalTrials.gov JSON: a JSON document with a protocolSection."""
    return head.startswith(("[", "{")) and '"protocolSection"' in head[:50000]


def parse_ctgov_json(text: str, *, path, source) -> ParsedFile:
    """Read ClinicalTrials.gov JSON into Records, one per study."""
    data, truncated = parse_json_or_cut(text, path=path)
    studies = data.get("studies", [data]) if isinstance(data, dict) else data
    if not isinstance(studies, list) or not all(isinstance(s, dict) and isinstance(s.get("protocolSection"), dict)
                                                for s in studies):
        raise InputError("not ClinicalTrials.gov JSON: expected studies (objects with a 'protocolSection')",
                         path=path)
    # a study without its number is named by the loader: the file and the study's place in it
    records = [_to_record(study["protocolSection"], source=source or "clinicaltrials-gov") for study in studies]
    return ParsedFile(records=records, format="ctgov_json", dialect="clinicaltrials-gov", truncated=truncated)


def _get(section: dict, *path):
    """The value at ``path`` inside nested objects, or ``""`` where any step is missing."""
    value = section
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return "" if value is None else value


def _text(value) -> str:
    return "" if value is None else clean_text(_MARKDOWN_ESCAPE.sub(r"\1", str(value)))


def _list(value) -> list:
    """A JSON list, or nothing in place of a missing or malformed one."""
    return value if isinstance(value, list) else []


def _object(value) -> dict:
    """A JSON object, or nothing in place of a missing or malformed one."""
    return value if isinstance(value, dict) else {}


def coded_term(value) -> str:
    """One of the registry's coded values in words: ``ACTIVE_NOT_RECRUITING`` → "active not recruiting",
    ``PHASE3`` → "phase 3", ``NA`` (a phase: not applicable) → "not applicable"."""
    words = re.sub(r"(?<=[a-z])(?=\d)", " ", _text(value).replace("_", " ").lower())
    return re.sub(r"\bna\b", "not applicable", words)


def _names(items, *keys) -> list[str]:
    """Each item's text (an item is a string, or an object whose first filled ``keys`` is taken)."""
    found = []
    for item in _list(items):
        value = item if not isinstance(item, dict) else next((item[k] for k in keys if item.get(k)), None)
        if _text(value):
            found.append(_text(value))
    return found


def labelled(label: str, value: str) -> str:
    """``Label: value.`` — one field of a registration's screening text, closed by a full stop."""
    value = value.rstrip(" ;,")
    return f"{label}: {value}" + ("" if value.endswith((".", "?")) else ".")


def _screening_text(p: dict, title: str) -> str:
    """The brief summary, then the fields a screener judges a registration by, each under its name."""
    design = _get(p, "designModule")
    info = _get(design, "designInfo")
    design_text = "; ".join(f"{name}: {coded_term(value)}" for name, value in (
        ("allocation", _get(info, "allocation")), ("model", _get(info, "interventionModel")),
        ("purpose", _get(info, "primaryPurpose")), ("masking", _get(info, "maskingInfo", "masking"))) if value)
    interventions = [": ".join(x for x in (coded_term(i.get("type")), _text(i.get("name"))) if x)
                     for i in _list(_get(p, "armsInterventionsModule", "interventions")) if isinstance(i, dict)]
    official = _text(_get(p, "identificationModule", "officialTitle"))
    parts = [
        ("Official title", official if official != title else ""),
        ("Conditions", "; ".join(_names(_get(p, "conditionsModule", "conditions")))),
        ("Interventions", "; ".join(i for i in interventions if i)),
        ("Primary outcomes", "; ".join(_names(_get(p, "outcomesModule", "primaryOutcomes"), "measure"))),
        ("Study type", coded_term(_get(design, "studyType"))),
        ("Design", design_text),
        ("Phases", ", ".join(coded_term(v) for v in _list(_get(design, "phases")) if v)),
        ("Enrollment", str(_get(design, "enrollmentInfo", "count"))),
        ("Eligibility criteria", _text(_get(p, "eligibilityModule", "eligibilityCriteria"))),
        ("Status", coded_term(_get(p, "statusModule", "overallStatus"))),
    ]
    summary = _text(_get(p, "descriptionModule", "briefSummary"))
    return " ".join([summary] * bool(summary) + [labelled(label, value) for label, value in parts if value])


def _to_record(p: dict, *, source):
    ident = _object(p.get("identificationModule"))
    nct = _text(ident.get("nctId"))
    title = _text(ident.get("briefTitle")) or _text(ident.get("officialTitle"))
    status = _object(p.get("statusModule"))
    year = _YEAR.match(_text(status.get("studyFirstSubmitDate")) or _text(_get(status, "studyFirstPostDateStruct",
                                                                              "date")))
    study_type = coded_term(_get(p, "designModule", "studyType"))
    url = f"https://clinicaltrials.gov/study/{nct}" if nct else ""
    fields = {
        "acronym": _text(ident.get("acronym")),
        "org_study_id": _text(_get(ident, "orgStudyIdInfo", "id")),
        "secondary_ids": _names(ident.get("secondaryIdInfos"), "id"),
        "lead_sponsor": _text(_get(p, "sponsorCollaboratorsModule", "leadSponsor", "name")),
        "overall_status": _text(status.get("overallStatus")),
        "start_date": _text(_get(status, "startDateStruct", "date")),
        "reference_pmids": _names(_get(p, "referencesModule", "references"), "pmid"),
    }
    return build_record(
        source_id=nct,
        source=source,
        title=title,
        abstract=_screening_text(p, title),
        year=year.group(1) if year else None,
        url=url,
        keywords=(_names(_get(p, "conditionsModule", "conditions"))
                  + _names(_get(p, "conditionsModule", "keywords"))),
        publication_types=[TRIAL_REGISTRATION, *([study_type] if study_type else [])],
        extra={"type": TRIAL_REGISTRATION, "fields": {k: v for k, v in fields.items() if v}},
    )
