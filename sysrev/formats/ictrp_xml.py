"""The WHO International Clinical Trials Registry Platform's export ("Export results to XML" in the ICTRP search
portal): ``<Trials_downloaded_from_ICTRP>`` with one ``<Trial>`` per registration, every field a text element.

Reviews search trial registries beside the bibliographic databases (the Cochrane Handbook asks for
ClinicalTrials.gov and the ICTRP), and the ICTRP gathers the primary registries (ChiCTR, JPRN, EU CTR, ANZCTR,
ISRCTN, CTRI …). Mapping: ``TrialID`` (the registration number) → source_id, ``Public_title`` (else
``Scientific_title``) → title, the year of ``Date_registration`` (``YYYY-MM-DD``, else ``Date_registration3``,
``YYYYMMDD``) → year, ``web_address`` → url, ``Condition`` → keywords (split at ``;``, line breaks and ``<br>``),
``Study_type`` → publication type after "Trial registration" (so dedup treats the record as a registration, not as
an article). A registration has no abstract; the screening text is made of the fields a screener judges it by, each
under its ICTRP name (scientific title, condition, intervention, outcomes, design, phase, target size, inclusion and
exclusion criteria). Every other field is kept in ``extra["fields"]``, except the contact's e-mail address and
telephone number. The HTML the registries leave in their text (``<br>``, ``&#x0D;``) is removed.
"""

import re
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.fields import TRIAL_REGISTRATION, build_record
from sysrev.formats.result import ParsedFile
from sysrev.formats.truncation import parse_xml_or_cut
from sysrev.normalise import clean_text, strip_markup

ROOT = "Trials_downloaded_from_ICTRP"
# The fields a screener judges a registration by, in the order they make sense to read.
_SCREENING_TEXT = (("Scientific_title", "Scientific title"), ("Acronym", "Acronym"), ("Condition", "Condition"),
                   ("Intervention", "Intervention"), ("Primary_outcome", "Primary outcome"),
                   ("Secondary_outcome", "Secondary outcome"), ("Study_type", "Study type"),
                   ("Study_design", "Study design"), ("Phase", "Phase"), ("Target_size", "Target size"),
                   ("Inclusion_Criteria", "Inclusion criteria"), ("Exclusion_Criteria", "Exclusion criteria"),
                   ("Recruitment_Status", "Recruitment status"), ("Countries", "Countries"))
_MAPPED = {"TrialID", "Public_title", "Date_registration", "Date_registration3", "web_address"}
_PERSONAL = {"Contact_Email", "Contact_Tel"}  # a person's contact details: no use to a review, not kept
_YEAR = re.compile(r"^((?:19|20)\d\d)")


def parse_ictrp_xml(data: bytes, *, path="file", source="") -> ParsedFile:
    """Read an ICTRP XML export (bytes, so the declared encoding applies) into Records, one per ``<Trial>``."""
    root, lines, truncated = parse_xml_or_cut(data, path=path, record="Trial", document_end=f"</{ROOT}>")
    if root is None:
        return ParsedFile(records=[], format="ictrp_xml", dialect="ictrp", truncated=truncated)
    if root.tag != ROOT:
        raise InputError(f"not an ICTRP export: the root is <{root.tag}>, expected <{ROOT}>", path=path, line=1)
    name = Path(str(path)).name
    records = [_to_record(trial, source=source or "ictrp", fallback_id=f"{name}:{lines.get(trial, 0)}")
               for trial in root.findall("Trial")]
    if not records and truncated is None:
        raise InputError("the ICTRP export holds no <Trial> elements", path=path)
    return ParsedFile(records=records, format="ictrp_xml", dialect="ictrp", truncated=truncated)


def _fields(trial) -> dict:
    """The trial's fields as plain text (markup and stray carriage returns removed), empty ones left out."""
    fields = {}
    for element in trial:
        text = strip_markup(clean_text(element.text or ""))
        if text and element.tag not in _PERSONAL:
            fields[element.tag] = text
    return fields


def _conditions(element) -> list:
    """The conditions, one keyword each: registries separate them with ``;``, line breaks or ``<br>``, which
    must be split on before the text is made one line."""
    raw = (element.text or "") if element is not None else ""
    parts = re.split(r";|\r|\n|<br\s*/?>", raw, flags=re.IGNORECASE)
    return [text for text in (strip_markup(clean_text(part)) for part in parts) if text]


def _labelled(label: str, value: str) -> str:
    """``Label: value.``, without the label the registry already put at the start of the value
    ("Inclusion criteria: Inclusion criteria: 1. …") or a list separator left at its end."""
    if value.lower().startswith(label.lower() + ":"):
        value = value[len(label) + 1:].strip()
    value = value.rstrip(" ;,")
    return f"{label}: {value}" + ("" if value.endswith((".", "?", "!")) else ".")


def _to_record(trial, *, source, fallback_id):
    fields = _fields(trial)
    conditions = _conditions(trial.find("Condition"))
    if conditions:  # in the screening text too, one from the next
        fields["Condition"] = "; ".join(conditions)
    year = _YEAR.match(fields.get("Date_registration", "") or fields.get("Date_registration3", ""))
    title = fields.get("Public_title") or fields.get("Scientific_title", "")
    screening_text = [_labelled(label, fields[tag]) for tag, label in _SCREENING_TEXT
                      if fields.get(tag) and not (tag == "Scientific_title" and fields[tag] == title)]
    return build_record(
        source_id=fields.get("TrialID") or fallback_id,
        source=source,
        title=title,
        abstract=" ".join(screening_text),
        year=year.group(1) if year else None,
        url=fields.get("web_address", ""),
        keywords=conditions,
        publication_types=[TRIAL_REGISTRATION, *([fields["Study_type"]] if fields.get("Study_type") else [])],
        extra={"type": TRIAL_REGISTRATION,
               "fields": {tag: value for tag, value in fields.items() if tag not in _MAPPED}},
    )
