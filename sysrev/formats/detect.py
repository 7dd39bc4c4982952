"""Recognise a reference file's format from its content (the extension is only a tie-breaker).

Exports arrive as ``.txt``, ``.ris``, ``.nbib``, ``.ciw``, ``.csv`` or no extension at all, and tools misname
them (PubMed NBIB saved as ``.txt``, Web of Science RIS as ``.txt``, Scopus RIS as ``.ris``), so each format
is recognised by what its lines look like:

* ``endnote_xml``: an XML document whose root is ``<xml>`` (``<records><record>…``);
* ``pubmed_xml``: an XML document with ``<PubmedArticleSet>``;
* ``wos``: Web of Science tagged text (``FN``/``VR``/``PT`` lines, ``ER`` ends a record);
* ``ris``: a line ``TY  - …`` (two spaces, or one in some exporters) or an ``ER  -`` line;
* ``nbib``: MEDLINE text, ``PMID- …`` or a run of four-column ``TAG - value`` lines; also Ovid's tagged
  output whose records are numbered ``<1. >``;
* ``ovid_display``: Ovid's display layout, records numbered ``<1>`` with field names on lines of their own;
* ``cochrane_text``: the Cochrane Library's plain-text export, ``Record #1 of …`` then ``TAG: value`` lines
  (its RIS and BibTeX exports put the same record line above ``Provider:`` lines or an ``@article{`` entry);
* ``bibtex``: a line opening ``@type{key,``;
* ``endnote_tagged``: EndNote "refer" text, lines ``%0 Journal Article``, ``%T …``, ``%A …``;
* ``ctgov_json``: ClinicalTrials.gov's JSON download, studies with a ``protocolSection``;
* ``openalex_json``: OpenAlex works (the API's answer), objects with an ``id`` ``https://openalex.org/W…``;
* ``csl_json``: a JSON array of CSL items (``"title"``, ``"author"``, ``"issued"`` …), Zotero/Mendeley;
* ``csv``: a delimited header naming a title, abstract or DOI column (within the first six lines), or
  Web of Science's tab-delimited export with its field tags (``PT``, ``AU``, ``TI`` …) as column names.
"""

import re

from sysrev.errors import InputError
from sysrev.formats.cochrane_text import is_cochrane_text
from sysrev.formats.ctgov_json import is_ctgov_json
from sysrev.formats.openalex_json import is_openalex_json
from sysrev.formats.ovid_display import is_ovid_display
from sysrev.formats.proquest_text import is_proquest_text

FORMATS = ("ris", "nbib", "bibtex", "endnote_xml", "pubmed_xml", "ictrp_xml", "wos", "endnote_tagged", "csl_json",
           "proquest_text", "ovid_display", "ctgov_json", "openalex_json", "cochrane_text", "csv")

_RIS_TY = re.compile(r"^\s*TY {1,2}- ", re.MULTILINE)
_RIS_ER = re.compile(r"^ER {1,2}-", re.MULTILINE)
_WOS_START = re.compile(r"^(?:FN |VR |PT [A-Z])", re.MULTILINE)
_WOS_ER = re.compile(r"^ER\s*$", re.MULTILINE)
# Tags only MEDLINE text has (RIS shares TI, AU, AB, so those prove nothing).
_NBIB_TAG = re.compile(r"^(?:PMID|OWN |STAT|PMC |FAU |DP  |JT  |TA  |PG  |LID |AID |PHST|OID |VN  )\s*-", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_CSV_HEADER_WORDS = re.compile(r"\b(title|abstract|doi|authors?|year|eid|pmid)\b", re.IGNORECASE)


# Layouts people export by mistake, each refused with the export to choose instead (an unsupported layout read
# as another format would import wrong or nothing at all).
_REFWORKS_TAGGED = re.compile(r"RT [A-Z][^\r\n]*\r?\n(?:[A-Z][A-Z0-9] [^\r\n]*\r?\n)*(?:SR|A1|T1) ")
_SCOPUS_TEXT = re.compile(r"Scopus[ \t]*\r?\nEXPORT DATE:")  # also above Scopus' BibTeX entries
_PUBMED_TEXT = re.compile(r"1[.:] \S[^\r\n]*\r?\n")  # PubMed "Summary (text)" / "Abstract (text)": "1. …"
_ONE_ID_PER_LINE = re.compile(r"(?:\s*(?:\d{1,9}|10\.\d{4,9}/\S+)[ \t]*(?:\r?\n|$))+")


def _refuse_unsupported_layouts(head: str, path) -> None:
    """Raise InputError naming the layout and the export to use for Scopus' plain-text export, RefWorks' own
    tagged format, PubMed's Summary/Abstract text, and a bare list of PMIDs or DOIs (PubMed's "PMID" export)."""
    advice = None
    if _REFWORKS_TAGGED.match(head):
        advice = ("RefWorks' own tagged format ('RT', 'SR', 'A1' lines); in RefWorks export the references as "
                  "RIS ('RIS Format') instead")
    elif _SCOPUS_TEXT.match(head) and not _BIBTEX_ENTRY.search(head) and not _RIS_TY.search(head):
        advice = ("Scopus' plain-text export ('Scopus', 'EXPORT DATE:' and citations as prose); in Scopus export "
                  "again as CSV, RIS or BibTeX")
    elif (_PUBMED_TEXT.match(head) and re.search(r"\bPMID: \d{1,9}\b", head[:20000])
          and not re.search(r"^(?:TY  - |PMID- )", head[:20000], re.MULTILINE)):
        advice = ("PubMed's 'Summary' or 'Abstract' text display (records numbered '1.', '2.' …); in PubMed save "
                  "with Send to → Citation manager (an .nbib file), or Save with Format 'PubMed'")
    elif _ONE_ID_PER_LINE.fullmatch(head) and len(head) < 200000:
        advice = ("a list of identifiers (PMIDs or DOIs, one per line, such as PubMed's 'PMID' export), not "
                  "references; export full records instead (PubMed: Send to → Citation manager, an .nbib file)")
    if advice:
        raise InputError(f"this file is {advice}", path=path, line=1)


def detect_format(text: str, *, path="file") -> str:
    """The format of ``text`` (one of :data:`FORMATS`); raises InputError naming ``path`` when unknown."""
    head = text[:200000].lstrip("\ufeff \t\r\n")
    if is_ctgov_json(head):
        return "ctgov_json"
    if is_openalex_json(head):  # before CSL-JSON: a work has a "title" too
        return "openalex_json"
    if head.startswith(("[", "{")) and re.search(r'"(title|author|container-title|DOI|issued)"\s*:', head[:20000]):
        return "csl_json"
    if re.match(r"<\d+\.?\s*>\s*\n", head) and re.search(r"^[A-Z]{2,4} {1,2}- ", head, re.MULTILINE):
        return "nbib"  # Ovid "Reprint/Medlars" or "Citavi" output: records numbered "<1. >", not XML
    if is_proquest_text(head):  # before BibTeX: its bibliography section may hold @misc{ entries
        return "proquest_text"
    if is_ovid_display(head):
        return "ovid_display"
    if is_cochrane_text(head):
        return "cochrane_text"
    _refuse_unsupported_layouts(head, path)
    if head.startswith("<"):
        if re.search(r"<PubmedArticleSet|<PubmedArticle\b|<PubmedBookArticle\b", head[:5000]):
            return "pubmed_xml"
        if re.search(r"<xml\b[^>]*>\s*<records\b", head[:5000]) or re.match(r"(<\?xml[^>]*>\s*)?<xml\b", head):
            return "endnote_xml"
        if re.search(r"<Trials_downloaded_from_ICTRP\b", head[:5000]):
            return "ictrp_xml"
        root = re.search(r"<([A-Za-z][\w:.-]*)", re.sub(r"<[?!][^>]*>", "", head[:5000]))
        html = " (a web page saved from the browser, not an export file)" if root and root.group(1).lower() == \
            "html" else ""
        raise InputError(f"XML with root <{root.group(1) if root else '?'}>{html} is not a supported reference "
                         "format (EndNote XML, PubMed XML or the ICTRP's trial export)", path=path)
    if _WOS_START.match(head) and _WOS_ER.search(head):
        return "wos"
    if _RIS_TY.search(head) or _RIS_ER.search(head):
        return "ris"  # an ER line without any TY is a damaged RIS file; the RIS reader says where
    if _NBIB_TAG.search(head[:5000]) and re.search(r"^[A-Z]{2,4} {0,3}- ", head, re.MULTILINE):
        return "nbib"
    if _BIBTEX_ENTRY.search(head):
        return "bibtex"
    if re.match(r"%[0-9A-Z@](?: |\n)", head) and re.search(r"^%[0TA] ", head, re.MULTILINE):
        return "endnote_tagged"
    lines = head.splitlines()[:6]  # Embase and Dimensions write a few lines above the header
    if any(re.search(r"[,;\t|]", line) and _CSV_HEADER_WORDS.search(line) for line in lines):
        return "csv"
    if lines and re.search(r"(^|\t)TI\t", lines[0]) and re.search(r"\t(AB|UT)(\t|$)", lines[0]):
        return "csv"  # Web of Science "tab-delimited" export: field tags as column names
    if not head.strip():
        raise InputError("the file is empty", path=path)
    raise InputError("unrecognised reference format: expected RIS, MEDLINE/NBIB, BibTeX, EndNote XML or "
                     "tagged text, PubMed XML, the ICTRP's XML, Web of Science tagged text, ProQuest text, Ovid's "
                     "display layout, the Cochrane Library's plain text, ClinicalTrials.gov JSON, CSL-JSON, an "
                     "Excel workbook or a CSV export with a title/abstract/DOI column; "
                     f"the file starts {head[:60]!r}", path=path, line=1)
