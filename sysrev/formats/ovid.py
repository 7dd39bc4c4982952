"""What Ovid's tagged outputs ("Reprint/Medlars", "Citavi") write differently from PubMed, read into plain fields.

Ovid hosts many databases behind one export (Embase, PsycINFO, BIOSIS Previews, Zoological Record, Journals@Ovid
…), and each writes its citation, authors and titles its own way. The MEDLINE reader (:mod:`sysrev.formats.nbib`)
splits records and tags; this module reads the values:

* the ``SO`` citation, for records without ``JN``/``VO``/``IP``/``PG`` tags: Embase's ``Journal. 19 (3) (pp
  275-283), 2018.``, BIOSIS' ``Journal. 201(2-3):327-334, November 15, 2004.``, Journals@Ovid's ``Journal June
  2015;58(6):688-696``;
* authors with what Ovid appends to a name: roles and e-mail addresses in brackets (``Werner, S. M. [Author,
  Reprint Author; E-mail: …]``), affiliation markers (``Zhang, Weijia 1,2,+``) and degrees (``Lefkowitz, Rafael
  Y. MD, MPH 1``);
* titles with the record type Ovid appends in brackets (``… Merchant Seafarers.  [Article]``, PsycINFO's
  ``[References]``).
"""

import re

# Embase: "Journal. Volume (Issue) (pp Pages), Year." (a conference's details may follow the journal's name:
# "BMC Proceedings. Conference: … Spain. 12 (Supplement 3) (no pagination), 2018.").
_EMBASE_JOURNAL = re.compile(r"^(?P<journal>[^.]+?)\.\s+(?:Conference:|\d)")
_EMBASE_NUMBERS = re.compile(r"\.\s+(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^)]*)\))?\s*"
                             r"(?:\((?P<pages>[^)]*)\))?\s*,\s*\d{4}\b")
# BIOSIS and Journals@Ovid: "volume(issue):pages" after the journal's name (and, in Journals@Ovid, its date),
# followed by the date or ending the citation.
_PAGE = r"[A-Za-z]{0,2}\d+[A-Za-z]?"
_VOLUME_ISSUE_PAGES = re.compile(r"(?:^|[.;,]\s*|\s)(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^()]*(?:\([^()]*\))?"
                                 rf"[^()]*)\))?\s*(?::\s*(?P<pages>{_PAGE}(?:\s*-\s*{_PAGE})?))?\s*(?=[,;.]|$)")
_YEAR = re.compile(r"(?<![\d-])(?:1[89]|20)\d\d(?![\d-])")
# Pages at a citation's very end: "pp. 431-443." (PsycINFO, book chapters), or a range ": 7-14." right after a
# year (IPSA; a lone number there could be a volume).
_TRAILING_PAGES = re.compile(rf"(?:\bpp\.\s*(?P<pages>{_PAGE}(?:\s*-\s*{_PAGE})?)|(?<![\d-])(?:1[89]|20)\d\d\s*:\s*"
                             rf"(?P<range>{_PAGE}\s*-\s*{_PAGE}))\s*\.?$")
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|August|"
          r"September|October|November|December|Spring|Summer|Autumn|Fall|Winter)\.?")
# A date written after a journal's name in Journals@Ovid: "June 2015", "January/February 2010", "15 June 2007".
_TRAILING_DATE = re.compile(rf"[\s,.]+(?:\d{{1,2}}\s+)?(?:{_MONTH}(?:[/-]{_MONTH})?\s+)?(?:\d{{1,2}},?\s+)?"
                            r"(?:1[89]|20)\d\d\s*$")
_VOLUME_WORD = re.compile(r"[\s.,]*\bVol\.?\s*$", re.IGNORECASE)

# Roles, e-mail addresses and notes Ovid writes in brackets after a name (an unclosed one ends the name).
_BRACKETED = re.compile(r"\s*\[[^\]]*(?:\]|$)")
# Affiliation markers after a name: "1", "1,2,+", "*", "†".
_MARKERS = re.compile(r"(?:[\s,]+(?:\d{1,2}|[*+†‡§¶#]+))+\s*$")
# Degrees and post-nominal letters Journals@Ovid writes after the given names ("MD, PhD", "Ph.D., FACSM").
# Compared as written (dots removed) or in capitals, so a given name "Do" or "Ma" stays.
_DEGREES = {"MD", "PhD", "MPH", "MS", "MSc", "MA", "BA", "BS", "BSc", "RN", "DO", "DrPH", "DPhil", "DSc", "ScD",
            "FACS", "FACSM", "FACP", "FACC", "FAAP", "FAHA", "FESC", "FRCP", "FRCPC", "FRCS", "FRCSC", "FRACP",
            "MBBS", "MBChB", "MB", "BCh", "ChB", "DDS", "DMD", "PharmD", "MSN", "BSN", "DNP", "NP", "APRN", "FNP",
            "CNM", "MBA", "MHS", "MSPH", "MSW", "LCSW", "EdD", "PsyD", "DVM", "PT", "DPT", "OTR", "MEd", "JD",
            "FAAN", "MRCP", "MRCS", "FRCOG", "MRCOG", "FRANZCP", "MHSc", "MSCE", "RD", "RPh", "PA-C"}
_DEGREES |= {degree.upper() for degree in _DEGREES}
_LAST_TOKEN = re.compile(r"[\s,]+([A-Za-z.\-]+)\s*$")
# The record type Ovid appends to a title: "… Seafarers.  [Article]", "… depression. [References]."
_TITLE_LABEL = re.compile(r"(?<=[.?!\"'”)\]])\s*\[[A-Z][A-Za-z]+(?: [A-Za-z]+){0,2}\]\.?\s*$")


def citation(source: str) -> dict:
    """Journal, volume, issue, pages and year read from an Ovid ``SO`` citation; ``{}`` for a layout not known.

    Pages the layouts below leave unread are taken from the citation's end when it names them so: PsycINFO's
    ``Journal. Vol.128(5), Jul 2019, pp. 431-443.`` (and a book chapter's ``… 2004. pp. 371-397.``), or a range
    after the date, as IPSA writes ``Journal 12, Winter 2007: 7-14.``
    """
    found = _citation(source)
    if "pages" not in found:
        trailing = _TRAILING_PAGES.search(source.strip())
        if trailing:
            found["pages"] = trailing.group("pages") or trailing.group("range")
    return found


def _citation(source: str) -> dict:
    """:func:`citation` without the trailing pages.

    "volume(issue):pages" with the journal's name before it is tried first: of several numbers that could be the
    volume, the one with an issue or pages wins, and a bare year is never read as a volume (``Journal
    2019;128(3):500-510``); a date between the name and the volume, as Journals@Ovid writes it, gives the year.
    Without an issue or pages there, the Embase layout is tried (it would read ``Nov. 16, 2004`` as volume 16 of
    2004 if tried first). Only what the citation states is returned: a citation without a volume (a book
    chapter, ``Proceedings. 2005; 9pp..``) gives the journal's name and the year at most.
    """
    source = source.strip()
    if not source:
        return {}
    candidates = [match for match in _VOLUME_ISSUE_PAGES.finditer(source) if match.start() > 0
                  and (match.group("issue") or not _YEAR.fullmatch(match.group("volume")))]
    numbers = max(candidates, key=lambda match: bool(match.group("issue")) + bool(match.group("pages")), default=None)
    embase = _EMBASE_NUMBERS.search(source)
    journal = _EMBASE_JOURNAL.match(source)
    if embase and not (numbers and (numbers.group("issue") or numbers.group("pages"))):
        found = {key: value for key, value in embase.groupdict().items() if value}
        return {**found, **({"journal": journal.group("journal")} if journal else {}), **_year_of(source)}
    if numbers is None:
        if journal is None and re.fullmatch(r"[^\d.;:()]+\.?", source):  # the name alone (ahead of print)
            return {"journal": source.rstrip(". ")}
        return {**({"journal": journal.group("journal")} if journal else {}), **_year_of(source)}
    name = _VOLUME_WORD.sub("", source[:numbers.start()])
    dated = _TRAILING_DATE.search(name)
    found = {key: value for key, value in numbers.groupdict().items() if value}
    if dated:
        return {**found, "journal": name[:dated.start()].strip(" .,;"), **_year_of(dated.group(0))}
    return {**found, "journal": name.strip(" .,;"), **_year_of(source[numbers.end():])}


def degrees_only(text: str) -> bool:
    """Whether ``text`` holds nothing but degrees and affiliation markers (``PhD``, ``FAAN 1``): Journals@Ovid
    separates an author's degrees with ``;`` as it does the authors (``Bunkers, Sandra RN; PhD; FAAN 1``)."""
    words = _MARKERS.sub("", text).replace(",", " ").split()
    return bool(words) and all(word.replace(".", "") in _DEGREES for word in words)


def _year_of(text: str) -> dict:
    year = _YEAR.search(text)
    return {"year": year.group(0)} if year else {}


def author(name: str) -> str:
    """An Ovid author name without the roles, e-mail addresses, affiliation markers and degrees after it."""
    name = _BRACKETED.sub("", name)
    while True:
        cleaned = _MARKERS.sub("", name)
        last = _LAST_TOKEN.search(cleaned)
        given = cleaned.partition(",")[2]
        if last and last.group(1).replace(".", "") in _DEGREES and len(given.split()) > 1:
            cleaned = cleaned[:last.start()]
        if cleaned == name:
            return name.strip(" ,")
        name = cleaned


def title(text: str) -> str:
    """An Ovid title without the record type in brackets Ovid appends (``[Article]``, ``[References]``)."""
    return _TITLE_LABEL.sub("", text).strip()
