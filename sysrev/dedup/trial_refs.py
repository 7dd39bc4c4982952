"""Which trial registrations a record names: the link between a trial's registrations and its publications.

One trial is often found several times: its ClinicalTrials.gov entry, its EU CTR entry in the WHO ICTRP, the
journal article that reports it ("Trial registration: ClinicalTrials.gov NCT01234567"), a second article with
a secondary analysis. These are different records (deduplication never merges them) but one *study*, and a
review team collates them (Cochrane Handbook, chapter 4: several reports of one study are linked, not counted
twice). This module reads the registration numbers a record states, so that dedup can link such records as
related and the team sees them together:

* a registration's own number (its ``source_id``, or the register address CENTRAL gives as a registry
  record's source) and its secondary identifiers (ClinicalTrials.gov's
  ``secondary_ids`` / "Other IDs", the ICTRP's ``Secondary_ID``);
* a publication's databank links (MEDLINE's ``SI`` field, PubMed XML's ``DataBankList``), the trial-number
  field of Embase and similar exports, and the registration numbers written in its abstract;
* the PMIDs a ClinicalTrials.gov registration lists as its trial's publications.

Numbers are written in a canonical form (upper case, spaces and hyphens removed; an EudraCT number keeps its
hyphens, with the country suffix of an EU CTR entry dropped), so "NCT 01234567" in one abstract and
"NCT01234567" in a registration meet. Free text is read only for well-delimited register prefixes; a bare
EudraCT-shaped number (``2010-012345-67``) counts only in an identifier field, where it cannot be a date range
or a page.
"""

import re

from sysrev.records import Record

# Register prefixes with the shape of their numbers (WHO ICTRP primary registers and ClinicalTrials.gov).
_NUMBER = (r"NCT\s?0\d{7}|ISRCTN\s?\d{8}|ACTRN\s?\d{14}|ChiCTR[-\s]?(?:[A-Z]{2,5}-)?\d{8,10}|DRKS\s?\d{8}"
           r"|CTRI/\d{4}/\d{2,3}/\d{6}|UMIN\s?\d{9}|jRCT[a-z]?\d{9,10}|IRCT\d{8,14}N\d{1,3}|KCT\d{7}"
           r"|PACTR\d{15,16}|TCTR\d{11}|RBR-\w{6,8}|SLCTR/\d{4}/\d{3}")
_IN_TEXT = re.compile(rf"(?<![A-Za-z0-9])(?:{_NUMBER})(?![0-9])", re.IGNORECASE)
_EUDRACT_IN_TEXT = re.compile(r"(?:EudraCT|EUCTR|EU\s?CTR)\s*(?:number|no\.?|n[o°º])?\s*[:#]?\s*"
                              r"(\d{4}-\d{6}-\d{2})(?!\d)", re.IGNORECASE)
_EUDRACT_BARE = re.compile(r"(?<![0-9-])(\d{4}-\d{6}-\d{2})(?![0-9])")

# Extra fields that hold identifiers, by the name each reader keeps them under (compared in lower case):
# MEDLINE's SI, ClinicalTrials.gov's secondary IDs (JSON and CSV), the ICTRP's secondary IDs (its XML export's
# Secondary_ID, its CSV's SecondaryIDs), PubMed XML's databank accession numbers, and the trial-number columns
# of Embase and other database exports.
_ID_FIELDS = {"si", "secondary_ids", "other ids", "secondary_id", "secondaryids", "databanks",
              "clinical trial number", "clinical trial numbers", "trial registration number", "trial number"}
_PMID = re.compile(r"^\d{1,9}$")

# How dedup's reason for a related pair begins when the link is one trial (scoring.compare); read back by
# the screens and `status` to show a record's other reports of its trial.
NAMES_TRIAL = "both name trial "
LISTS_PUBLICATION = "the registration lists this publication"


def same_trial_links(record: dict) -> list[tuple[str, str]]:
    """``[(record_id, why)]``: the records dedup linked to ``record`` (a records.jsonl line) as reports or
    registrations of the same trial, with the reason up to its parenthesis ("both name trial NCT01234567")."""
    extra = record.get("extra")
    links = extra.get("dedup_related") if isinstance(extra, dict) else None
    return [(str(link.get("record_id", "")), str(link.get("reason", "")).split(" (", 1)[0])
            for link in (links if isinstance(links, list) else []) if isinstance(link, dict)
            and str(link.get("reason", "")).startswith((NAMES_TRIAL, LISTS_PUBLICATION))]


def canonical(number: str) -> str:
    """The form two mentions of one registration number share ("nct 01234567" → "NCT01234567")."""
    return re.sub(r"[\s-]", "", number).upper()


def _eudract(number: str) -> str:
    return "EUDRACT" + number


def display(ref: str) -> str:
    """A canonical number as a person writes it ("EUDRACT2010-012345-67" → "EudraCT 2010-012345-67")."""
    return f"EudraCT {ref[7:]}" if ref.startswith("EUDRACT") else ref


def numbers_in_text(text: str) -> set[str]:
    """Registration numbers written in free text (an abstract), by their register prefix."""
    text = str(text or "")
    found = {canonical(m.group(0)) for m in _IN_TEXT.finditer(text)}
    found |= {_eudract(m.group(1)) for m in _EUDRACT_IN_TEXT.finditer(text)}
    return found


def numbers_in_id_field(value) -> set[str]:
    """Registration numbers in an identifier field (one value or a list), where a bare EudraCT number counts."""
    values = value if isinstance(value, (list, tuple)) else [value]
    found = set()
    for item in values:
        text = str(item or "")
        found |= numbers_in_text(text)
        found |= {_eudract(m.group(1)) for m in _EUDRACT_BARE.finditer(text)}
    return found


def _fields(record: Record) -> dict:
    """The record's extra fields with lower-case names (readers keep unmapped fields in ``extra["fields"]``)."""
    fields = dict(record.extra or {})
    if isinstance(fields.get("fields"), dict):
        fields.update(fields.pop("fields"))
    return {str(name).strip().lower(): value for name, value in fields.items()}


def own_numbers(record: Record) -> set[str]:
    """A register entry's own number: its ``source_id`` in a register's export, else the register address
    the Cochrane Library gives as a CENTRAL registry record's source (``https://clinicaltrials.gov/show/NCT…``)
    or the record's URL."""
    found = numbers_in_id_field(record.source_id)
    return found or numbers_in_text(" ".join((record.journal or "", record.journal_abbrev or "", record.url or "")))


def trial_refs(record: Record, *, registration: bool) -> frozenset:
    """Every registration number ``record`` states (canonical form); ``registration``: it is a register entry,
    so its ``source_id`` is its own number."""
    found = set()
    if registration:
        found |= own_numbers(record)
    fields = _fields(record)
    for name in _ID_FIELDS:
        if name in fields:
            found |= numbers_in_id_field(fields[name])
    found |= numbers_in_text(record.abstract)
    return frozenset(found)


def listed_pmids(record: Record) -> frozenset:
    """The PMIDs a registration lists as its trial's publications (ClinicalTrials.gov's references)."""
    value = _fields(record).get("reference_pmids") or []
    values = value if isinstance(value, (list, tuple)) else re.split(r"[;,\s]+", str(value))
    return frozenset(str(v).strip() for v in values if _PMID.match(str(v).strip()))
