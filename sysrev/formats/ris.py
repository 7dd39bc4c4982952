"""RIS files (``TY  - JOUR`` … ``ER  -``) from every database and reference manager that writes them.

Lines are grouped into records here, with their line numbers, so that a damaged file is reported precisely
(a record that starts without ``TY`` while others have one; a file without any ``TY``, as CiteSource writes,
is read between ``ER`` lines with a warning) and no record is dropped without a word (a last record without ``ER``
is a file cut off mid-record: :attr:`ParsedFile.truncated`, an error unless the caller allows it); the tags
of each record are then collected by :mod:`rispy`'s parser, with every tag read as a list so that repeated
tags and continuation lines are all kept. The mapping from tags to Record fields follows the RIS specification and the
dialects seen in real exports:

* EndNote, Zotero, Mendeley: ``TI``/``T1``, ``AU``/``A1``, ``AB``/``N2``, ``PY``/``Y1``/``DA``,
  ``T2``/``JF``/``JO`` (journal), ``J2``/``JA`` (abbreviation), ``SP``/``EP``, ``DO``, ``SN``, ``AN``/``ID``;
* PubMed via EndNote: ``AN`` is the PMID when the record comes from NLM (``DP  - NLM``);
* Ovid/PsycINFO: ``1.`` counters and ``Provider:`` headers between records, a 4-letter ``PMID`` tag;
* Scopus: the EID inside ``UR`` becomes the ``source_id`` (the same one a Scopus API search gives),
  ``C7`` article numbers, ``C2`` the PubMed ID (a bare number), ``DB  - Scopus``; Embase: ``U2`` holds
  the Embase ID, ``C5`` the PubMed ID (a bare number), ``DB  - Embase``;
* Rayyan: keywords continued on untagged lines (each line is one keyword), ``AN  - rayyan-…``;
* Cochrane Library (CENTRAL): ``TY  -  JOUR`` (two spaces after the hyphen), ``AN  -  CN-…`` is the
  source_id, ``C3  -  PUBMED 12345678,EMBASE …`` gives the PMID, ``Record #3 of 18`` headers between records;
* the source_id is ``ID`` unless that is a bare record counter (EndNote, Rayyan: ``1``, ``369``) and the
  record has an accession number ``AN``, which then wins;
* IEEE, JSTOR, ProQuest, Web of Science RIS: ``VO`` for volume, names in natural order, ``C1`` notes.

Tags without a Record field are kept under ``extra["fields"]`` so nothing a file said is lost.
"""

import re
from pathlib import Path

import rispy

from sysrev.errors import InputError
from sysrev.formats.decode import split_lines
from sysrev.formats.fields import (
    PUBMED_HINTS,
    as_list,
    build_record,
    database_dialect,
    doi_from,
    join_pages,
    pmcid_in_text,
    pmid_in_text,
    pmid_in_url,
    scopus_eid,
)
from sysrev.formats.result import ParsedFile, Truncation
from sysrev.formats.rispy_tags import keep_every_tag
from sysrev.wording import clause, counted, verb

# Standard tag line: two characters, two spaces (or a tab), a hyphen, then a space and the value (or nothing).
_TAG_LINE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])(?:  |\t)-(?: (?P<value>.*))?$")
# Some exporters write one space before the hyphen (``TY - JOUR``); accepted only in files that start so.
_TAG_LINE_ONE_SPACE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9]) {1,2}-(?: (?P<value>.*))?$")
# The one longer tag seen in real exports (PsycINFO's ``PMID  - ``). Not any capitalised word: a structured
# abstract's continuation line "AIMS - To compare…" must stay part of the abstract.
_LONG_TAG_LINE = re.compile(r"^(?P<tag>PMID) {1,2}- (?P<value>.*)$")

# Human-readable names of the RIS reference types (RIS specification, Research Information Systems).
RIS_TYPES = {
    "ABST": "Abstract", "BOOK": "Book", "CHAP": "Book Section", "CONF": "Conference Proceedings",
    "CPAPER": "Conference Paper", "DATA": "Dataset", "EBOOK": "Electronic Book", "ECHAP": "Electronic Book Section",
    "EDBOOK": "Edited Book", "EJOUR": "Electronic Article", "ELEC": "Web Page", "GEN": "Generic",
    "GOVDOC": "Government Document", "INPR": "In Press", "JFULL": "Journal (full)", "JOUR": "Journal Article",
    "MGZN": "Magazine Article", "NEWS": "Newspaper Article", "PAT": "Patent", "RPRT": "Report",
    "SER": "Serial Publication", "THES": "Thesis", "UNPB": "Unpublished Work", "CTLG": "Catalog",
    "STAT": "Statute", "STAND": "Standard", "COMP": "Computer Program", "DICT": "Dictionary",
    "ENCYC": "Encyclopedia", "ICOMM": "Internet Communication", "MANSCPT": "Manuscript", "MAP": "Map",
    "PCOMM": "Personal Communication", "SLIDE": "Slide", "SOUND": "Sound Recording", "VIDEO": "Video Recording",
    "ADVS": "Audiovisual Material", "AGGR": "Aggregated Database", "ANCIENT": "Ancient Text", "ART": "Art Work",
    "BILL": "Bill", "BLOG": "Blog", "CASE": "Case", "CHART": "Chart", "CLSWK": "Classical Work",
    "DBASE": "Online Database", "EQUA": "Equation", "FIGURE": "Figure", "GRANT": "Grant", "HEAR": "Hearing",
    "LEGAL": "Legal Rule or Regulation", "MULTI": "Online Multimedia", "MUSIC": "Music Score",
}
_BOOK_TYPES = {"BOOK", "EBOOK", "EDBOOK"}

# Tags whose values are read into Record fields (everything else goes to extra["fields"]).
_MAPPED = {
    "TY", "TI", "T1", "CT", "BT", "ST", "AU", "A1", "AB", "N2", "PY", "Y1", "DA", "JF", "T2", "JO", "J2", "JA",
    "J1", "JI", "J9", "NL", "SO", "PT", "VL", "VO", "IS", "SP", "EP", "C7", "DO", "SN", "LA", "KW", "UR", "AN", "ID",
    "PMID",
}
# The tags of the RIS specification. In a file written with two spaces before the hyphen, a line such as
# "KW - pain" (one space) is read as that tag when it follows a field whose value never runs on over lines
# (AU, PY, SP …): as a continuation it would make "KW - pain" an author. After a free-text field (below) it
# stays a continuation, as a wrapped abstract line "CT - scans showed …" must.
_RIS_SPEC_TAGS = {
    "TY", "A1", "A2", "A3", "A4", "AB", "AD", "AN", "AU", "AV", "BT", "C1", "C2", "C3", "C4", "C5", "C6", "C7",
    "C8", "CA", "CN", "CP", "CT", "CY", "DA", "DB", "DO", "DP", "ED", "EP", "ET", "ID", "IS", "J1", "J2", "JA",
    "JF", "JO", "KW", "L1", "L2", "L3", "L4", "LA", "LB", "LK", "M1", "M2", "M3", "N1", "N2", "NV", "OP", "PB",
    "PP", "PY", "RI", "RN", "RP", "SE", "SN", "SP", "ST", "T1", "T2", "T3", "TA", "TI", "TT", "U1", "U2", "U3",
    "U4", "U5", "UR", "VL", "VO", "Y1", "Y2",
}
_FREE_TEXT_TAGS = {"AB", "N1", "N2", "TI", "T1", "T2", "T3", "BT", "CT", "ST", "TT", "KW", "AD", "RN", "C1", "M3"}
# Tags that only a record's own body has: seen after an ``ER`` they mean a record lost its ``TY`` line.
_RECORD_BODY_TAGS = {"TI", "T1", "AU", "A1"}
# Databases that write the PubMed ID as a bare number in a custom tag (EndNote's C2 is the PMCID instead):
# Scopus in C2, Embase (embase.com) in C5 for records also in MEDLINE.
_BARE_PMID_TAG = {"scopus": "C2", "embase": "C5"}


class _TagCollector(rispy.RisParser):
    """rispy's parser with every tag kept under its own name as a list (repeats and continuations kept)."""

    def __init__(self, tag_line):
        super().__init__(**keep_every_tag(), delimiter_tags_mapping={})
        self._tag_line = tag_line

    def parse_line(self, line):
        tag, value = _split_tag(line, self._tag_line)
        return (tag, value) if tag else (None, line.strip())


def _split_tag(line: str, tag_line: re.Pattern):
    match = tag_line.match(line) or _LONG_TAG_LINE.match(line)
    if not match:
        return None, None
    return match.group("tag"), (match.group("value") or "").strip()


def _group_records(lines, tag_line, path, *, typeless=False):
    """Return ``[(first_line_number, lines)]``, one per record, and warnings about the file's structure.

    ``typeless``: no line of the file is a ``TY`` line, so every record runs from its first tag line to its
    ``ER`` line (CiteSource's exports leave ``TY`` out).

    Tag lines between an ``ER`` (or the start of the file) and the next ``TY`` are read by where they stand:
    a paragraph of them running straight into a ``TY`` line belongs to that record, its ``TY`` merely not
    first (R tools such as synthesisr and CiteSource write ``DB``, ``AB``, ``TI`` … before ``TY``), with a
    warning; other tag lines are kept with the record above, as Ovid writes ``NL`` after ``ER``, unless they
    carry a title or authors or stand before the first record: that is a record whose ``TY`` line is
    missing, an error naming the line.
    """
    warnings, records, unclosed, truncated = [], [], [], None
    current, start, trailing_at, late_ty = None, None, None, []
    between = []  # (line number, line) of tag lines (and their continuations) outside any record

    def keep_between():
        nonlocal trailing_at
        for number, line in between:
            tag, _ = _split_tag(line, tag_line)
            if tag is not None and (not records or tag in _RECORD_BODY_TAGS):
                raise InputError(f"RIS record starts with tag '{tag}'; every record must start with "
                                 "'TY  - ' (the file is damaged or not RIS)", path=path, line=number)
        for number, line in between:
            records[-1][1].insert(-1, line)
            trailing_at = trailing_at or number
        between.clear()

    for number, line in enumerate(lines, start=1):
        tag, _ = _split_tag(line, tag_line)
        if current is None:
            if typeless and tag not in (None, "ER"):
                current, start = ["TY  - ", line], number
            elif tag == "TY":
                current, start = [line] + [text for _, text in between], between[0][0] if between else number
                if between:
                    late_ty.append(number)
                between.clear()
            elif tag == "ER":
                keep_between()
                warnings.append(f"{path}, line {number}: 'ER' without a record before it (ignored)")
            elif tag is not None or (between and line.strip()):
                between.append((number, line))  # a tag line, or the continuation of one
            elif between:
                keep_between()  # a blank line ends the paragraph: not the head of the next record
            continue
        if tag == "ER":
            current.append("ER  - ")
            records.append((start, current))
            current = None
        elif tag == "TY":
            unclosed.append(start)
            records.append((start, current + ["ER  - "]))
            current, start = [line], number
        else:
            current.append(line)
    if between:
        keep_between()
    if current is not None:
        if any(_split_tag(line, tag_line)[0] for line in current[1:]):
            truncated = start  # a download or copy cut off mid-record: never read it as complete
        else:
            warnings.append(f"{path}, line {start}: a 'TY' line with nothing after it at the end (ignored)")
    if unclosed:
        shown = ", ".join(str(n) for n in unclosed[:5]) + (", …" if len(unclosed) > 5 else "")
        warnings.append(f"{path}, line {shown}: {clause(len(unclosed), 'record', 'has', 'have')} no 'ER' line "
                        "before the next 'TY'; each 'TY' was read as the start of a new record")
    if late_ty:
        shown = ", ".join(str(n) for n in late_ty[:5]) + (", …" if len(late_ty) > 5 else "")
        warnings.append(f"{path}, line {shown}: {clause(len(late_ty), 'record', 'has', 'have')} tags before "
                        "their 'TY' line (as R tools write them); those tags were read with the record")
    if trailing_at:
        warnings.append(f"{path}, line {trailing_at}: tags after a record's 'ER' line were kept with that "
                        "record (Ovid writes some tags after 'ER')")
    return records, warnings, truncated


def parse_ris(text: str, *, path="file", source="") -> ParsedFile:
    """Read RIS ``text`` (from ``path``, named in messages) into Records; raises InputError when damaged."""
    lines = split_lines(text)
    one_space = any(re.match(r"^TY - ", line) for line in lines[:200])
    tag_line = _TAG_LINE_ONE_SPACE if one_space else _TAG_LINE
    bare_ends = _bare_er_lines(lines, tag_line)
    for index in bare_ends:
        lines[index] = "ER  - "
    typeless = not any(tag_line.match(line) and line.startswith("TY") for line in lines) and any(
        line.startswith("ER") and tag_line.match(line) for line in lines)
    groups, warnings, truncated = _group_records(lines, tag_line, path, typeless=typeless)
    if typeless and groups:
        warnings.append(f"{path}: no record has a 'TY' line (the reference type; files written by CiteSource leave "
                        f"it out); {clause(len(groups), 'record', 'was', 'were')} read between 'ER' lines, without "
                        "a type")
    if not groups and truncated is None:
        raise InputError("no RIS records found (no line starts with 'TY  - ')", path=path)
    collector = _TagCollector(tag_line)
    name = Path(str(path)).name
    records, dialects, respaced = [], set(), []
    for start, record_lines in groups:
        if tag_line is _TAG_LINE:
            record_lines = _respace_odd_tags(record_lines, start, respaced)
        parsed = collector.parse_lines(iter(record_lines))[0]
        # Cleaned once here: the mapping below looks at many tags several times.
        tags = {tag: values for tag, values in ((t, as_list(v)) for t, v in parsed.items() if t) if values}
        dialect = _dialect(tags)
        dialects.add(dialect)
        records.append(_to_record(tags, dialect=dialect, source=source or dialect, fallback_id=f"{name}:{start}"))
    dialect = dialects.pop() if len(dialects) == 1 else ""
    if bare_ends:
        warnings.append(f"{path}: records end with a bare 'ER' line, without ' - ' (line {bare_ends[0] + 1} …); read "
                        "as the end of each record")
    if respaced:
        shown = "; ".join(respaced[:3]) + ("; …" if len(respaced) > 3 else "")
        warnings.append(f"{path}: {counted(len(respaced), 'line')} with one space before the hyphen "
                        f"{verb(len(respaced), 'was', 'were')} read as tags, not as the continuation of the field "
                        f"above ({shown})")
    parsed = ParsedFile(records=records, format="ris", dialect=dialect, warnings=warnings)
    if truncated is not None:
        parsed.truncated = Truncation(line=truncated, what="the last record has no closing 'ER' line", records=1)
    return parsed


def _bare_er_lines(lines: list, tag_line: re.Pattern) -> list:
    """Indexes of the lines that are a bare ``ER`` (no `` - ``), when they are how the file ends its records: it
    has ``TY`` lines and no standard ``ER`` line at all. In a file with standard ``ER`` lines a line "ER" is text
    (an abstract wrapped before "ER", the emergency room), so it is left alone."""
    if any(line.startswith("ER") and tag_line.match(line) for line in lines):
        return []
    if not any(line.startswith("TY") and tag_line.match(line) for line in lines):
        return []
    return [index for index, line in enumerate(lines) if re.fullmatch(r"ER\s*", line)]


def _respace_odd_tags(lines: list, start: int, respaced: list) -> list:
    """``lines`` of one record with each one-space tag line (``KW - pain``) that follows a field which never
    runs on over lines rewritten as a standard tag line; ``respaced`` collects where (the record's first line
    and the text)."""
    out, current = [], None
    for line in lines:
        tag, _ = _split_tag(line, _TAG_LINE)
        if tag is None:
            odd = _TAG_LINE_ONE_SPACE.match(line)
            if odd and odd.group("tag") in _RIS_SPEC_TAGS and current not in _FREE_TEXT_TAGS:
                tag = odd.group("tag")
                line = f"{tag}  - {odd.group('value') or ''}"
                respaced.append(f"record at line {start}: {odd.group(0).strip()!r}")
        current = tag or current
        out.append(line)
    return out


def _dialect(tags: dict) -> str:
    """The database or tool that wrote the record, where the record says so."""
    database = database_dialect(_one(tags, "DB"))
    if database:
        return database
    if scopus_eid(tags.get("UR")):
        return "scopus"
    if (_one(tags, "AN").startswith("CN-") or _one(tags, "ID").startswith("CN-")
            or "cochranelibrary.com/central" in _one(tags, "UR")):
        return "cochrane-central"
    accession = _one(tags, "AN")
    if accession.startswith("rayyan-"):
        return "rayyan"
    if accession.startswith("WOS:"):
        return "web-of-science"
    if PUBMED_HINTS.search(_one(tags, "DP")):
        return "pubmed"
    return _ovid_database(tags)


# Ovid's record links name the database segment searched (``ovidweb.cgi?…&D=psyc16&…``): its first letters
# say which database it is (Ovid's database guides: MESZ, MEDL, PREM … are MEDLINE segments).
_OVID_LINK = re.compile(r"ovidweb\.cgi\?\S*?[?&]D=([a-z]+)", re.IGNORECASE)
_OVID_SEGMENTS = (("psyc", "psycinfo"), ("emed", "embase"), ("emez", "embase"), ("emex", "embase"),
                  ("emba", "embase"), ("oemez", "embase"), ("medl", "pubmed"), ("mesz", "pubmed"),
                  ("mesx", "pubmed"), ("medc", "pubmed"), ("prem", "pubmed"), ("cctr", "cochrane-central"))


def _ovid_database(tags: dict) -> str:
    """The database an Ovid export's record link names (a PsycINFO export says so nowhere else), or ``""``."""
    for link in tags.get("L2", []) + tags.get("UR", []):
        match = _OVID_LINK.search(link)
        if match:
            code = match.group(1).lower()
            return next((name for prefix, name in _OVID_SEGMENTS if code.startswith(prefix)), "")
    return ""


def _pubmed_accession(tags) -> str:
    """The PMID in a ``PUBMED 12345678`` source list (Cochrane CENTRAL: ``C3  - PUBMED 1,EMBASE 2``)."""
    for value in tags.get("C3", []) + tags.get("AN", []) + tags.get("M1", []):
        match = re.search(r"\b(?:PUBMED|MEDLINE)\s*:?\s*(\d{1,9})\b", value, re.IGNORECASE)
        if match:
            return match.group(1)
    return ""


def _one(tags, name) -> str:
    """The first value of tag ``name`` (tags are cleaned, non-empty lists by then), else ``""``."""
    values = tags.get(name)
    return values[0] if values else ""


def _text(tags, *names) -> str:
    """The first present tag among ``names``, its lines joined with spaces (continuations included)."""
    for name in names:
        if tags.get(name):
            return " ".join(tags[name])
    return ""


# Tags a field falls back among (title: TI, T1, CT …; journal; abbreviation; year; volume): the one a field takes is
# used, the others are kept among the record's other fields unless they repeat a value a field took.
_ALTERNATIVES = ("TI", "T1", "CT", "ST", "BT", "JF", "T2", "JO", "SO", "J2", "JA", "JI", "J9", "J1", "NL", "PY", "Y1",
                 "DA", "VL", "VO")


def _unused_alternatives(tags, taken) -> dict:
    """The :data:`_ALTERNATIVES` tags whose text is none of the texts the record's fields ``taken``, with their
    values: a full date in ``DA`` beside ``PY``, a short title in ``ST``, a second journal name are kept, not
    dropped."""
    kept = {}
    for tag in _ALTERNATIVES:
        values = tags.get(tag, [])
        if values and " ".join(values) not in taken:
            kept[tag] = values[0] if len(values) == 1 else values
    return kept


def _to_record(tags: dict, *, dialect: str, source: str, fallback_id: str):
    ris_type = _one(tags, "TY").upper()
    # SO is no RIS tag, but R tools (synthesisr, bibliometrix) write the journal there.
    journal = _text(tags, "JF", "T2", "JO", "BT" if ris_type not in _BOOK_TYPES else "", "SO", "J2", "JA")
    abbrev = _text(tags, "JA", "J2", "JI", "J9", "J1", "NL")
    if not abbrev and _one(tags, "JO") and _one(tags, "JO") != journal:
        abbrev = _one(tags, "JO")
    title = _text(tags, "TI", "T1", "CT") or (_text(tags, "BT") if ris_type in _BOOK_TYPES else "")
    title = title or _text(tags, "ST")
    abstract = _text(tags, "AB") or _text(tags, "N2")
    notes = tags.get("N1", []) + tags.get("M1", []) + tags.get("C2", []) + tags.get("C5", [])
    # Several URLs may share one line, separated by spaces (EPPI-Reviewer, RefWorks); URLs hold no spaces.
    links = [url for tag in ("UR", "L2", "L1", "LK") for value in tags.get(tag, []) for url in value.split()]
    pages = join_pages(_one(tags, "SP"), _one(tags, "EP"))
    article_number = _one(tags, "C7")
    accession = _one(tags, "AN")
    pmid = _one(tags, "PMID")
    if not pmid and dialect == "pubmed" and re.fullmatch(r"\d{1,9}", accession):
        pmid = accession
    bare_pmid_tag = _BARE_PMID_TAG.get(dialect, "")
    if not pmid and re.fullmatch(r"\d{1,9}", _one(tags, bare_pmid_tag)):
        pmid = _one(tags, bare_pmid_tag)
    pmid = pmid or pmid_in_text(*notes, accession) or _pubmed_accession(tags) or pmid_in_url(links)
    issn = _one(tags, "SN")
    is_isbn = ris_type in _BOOK_TYPES or ris_type in ("CHAP", "ECHAP") or re.search(r"97[89]-?\d", issn)
    if is_isbn:
        issn = ""  # SN holds an ISBN for books: kept among the other fields below
    extra_fields = {tag: (values[0] if len(values) == 1 else values)
                    for tag, values in tags.items() if tag not in _MAPPED or tag == "SN" and is_isbn}
    authors = tags.get("AU", []) or tags.get("A1", [])
    year = _one(tags, "PY") or _one(tags, "Y1") or _one(tags, "DA")
    volume = _one(tags, "VL") or _one(tags, "VO")
    extra_fields.update(_unused_alternatives(tags, {title, journal, abbrev, year, volume}))
    if tags.get("AU") and tags.get("A1"):  # beside AU, Web of Science writes a group author or sponsor in A1
        extra_fields["A1"] = tags["A1"][0] if len(tags["A1"]) == 1 else tags["A1"]
    extra = {
        "type": RIS_TYPES.get(ris_type, ris_type),
        "article_number": article_number,
        "fields": extra_fields,
    }
    if abstract and _one(tags, "N2") and _text(tags, "N2") != abstract:
        extra_fields["N2"] = _text(tags, "N2")
    database_id = {"scopus": scopus_eid(links), "embase": _one(tags, "U2")}.get(dialect, "")
    record_id = _one(tags, "ID")
    if re.fullmatch(r"\d{1,6}", record_id) and accession:
        record_id = ""  # a reference manager's record counter; the database's accession number is stabler
    source_id = database_id or record_id or accession or fallback_id
    return build_record(
        source_id=source_id,
        source=source,
        title=title,
        abstract=abstract,
        authors=authors,
        year=year,
        journal=journal,
        journal_abbrev=abbrev,
        volume=volume,
        issue=_one(tags, "IS"),
        pages=pages or (article_number if re.search(r"\d", article_number) else ""),
        doi=_one(tags, "DO") or doi_from(tags.get("M3"), tags.get("L3"), notes, links, urls_only=True),
        pmid=pmid,
        pmcid=pmcid_in_text(*notes),
        issn=issn,
        language=_one(tags, "LA"),
        # M3 ("type of work") is the document type in Scopus and Embase exports, a classification elsewhere.
        publication_types=[RIS_TYPES.get(ris_type, ris_type)]
        + (tags.get("M3", []) if dialect in ("scopus", "embase") else []) + tags.get("PT", []),
        keywords=tags.get("KW", []),
        url=links[0] if links else "",
        extra=extra,
    )
