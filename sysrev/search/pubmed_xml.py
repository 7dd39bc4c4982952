"""PubMed XML (EFetch ``retmode=xml``) → :class:`~sysrev.records.Record`, parsed offline and safely.

Parsing uses Biopython's ``Bio.Entrez`` parser, which needs the DTD named in the document's DOCTYPE to
know which elements repeat. Biopython bundles NCBI's DTDs but, when a DOCTYPE names one it lacks, it
*downloads* it. sysrev never lets a document reach the network or expand without bound:

* the DOCTYPE must name a DTD that Biopython bundles (whatever URL it gives, only the bundled copy is read;
  a user's Biopython download cache is not consulted); a dated PubMed DTD that Biopython lacks is read with
  the bundled one closest before it (the newest for a newer DTD), any other unknown DTD is refused;
* a document with its own internal DTD subset (``<!DOCTYPE x [ … ]>``, the vehicle of external entities
  and entity-expansion bombs) is refused by the parser itself (:func:`~sysrev.formats.safexml.refuse_internal_subset`
  on every expat parser here), wherever the DOCTYPE is and whatever its identifiers hold;
* any other external entity reference, and any XML schema Biopython does not bundle, is refused.

A refusal raises :class:`UnsafeXMLError`; a truncated or malformed document raises :class:`PubmedXMLError`.
A well-formed document with an element its DTD does not declare (an old export saved without its DOCTYPE
still has ``DateCreated``, dropped from the DTD in 2018) is read again without validation, which skips only
the undeclared elements; none of them is a field a Record takes.
"""

import os
import re
from functools import lru_cache
from io import BytesIO
from xml.parsers import expat

from Bio.Entrez import Parser as EntrezParser

from sysrev.errors import InputError
from sysrev.formats.safexml import as_expat_input, refuse_internal_subset
from sysrev.normalise import (
    clean_text,
    expand_pages,
    normalise_doi,
    normalise_issn,
    normalise_pmcid,
    normalise_pmid,
    parse_year,
    strip_markup,
)
from sysrev.records import Record

_PROLOG_BYTES = 65536
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[\w:.-]+(?P<ids>[^\[>]*)(?P<subset>\[)?", re.IGNORECASE)
_SYSTEM_ID = re.compile(rb"""["']([^"']*)["']\s*$""")
_ERROR = re.compile(rb"<ERROR>(.*?)</ERROR>", re.DOTALL)
_ARTICLE_START = re.compile(rb"<Pubmed(?:Book)?Article[\s>]")


class PubmedXMLError(ValueError):
    """The document is not well-formed PubMed XML (e.g. cut off mid-record); ``line`` is where, when known,
    counted in the document as given (not as prepared for the parser)."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


class UnsafeXMLError(PubmedXMLError):
    """The document asks for something sysrev refuses to do while parsing (network, external entities)."""


@lru_cache(maxsize=1)
def bundled_dtds() -> frozenset:
    """File names of the DTDs and modules Biopython ships."""
    return frozenset(os.listdir(EntrezParser.DataHandler.global_dtd_dir))


# Elements whose content no Record field takes. Biopython would build an object for every element inside
# them; they are passed over instead (expat still reads them, so a malformed one is still an error). The
# reference list alone is about three quarters of a current PubMed record.
_UNREAD = frozenset({
    "ReferenceList", "History", "CommentsCorrectionsList", "GrantList", "ChemicalList", "SupplMeshList",
    "InvestigatorList", "AffiliationInfo", "Identifier", "QualifierName", "DateCompleted", "DateRevised",
    "OtherAbstract", "GeneSymbolList", "PersonalNameSubjectList", "CitationSubset", "GeneralNote",
    "NumberOfReferences", "CoiStatement", "PublicationStatus", "SpaceFlightMission",
})


_MATHML, _MATHML_PREFIX = "http://www.w3.org/1998/Math/MathML", "mml"


class _OfflineHandler(EntrezParser.DataHandler):
    """Biopython's handler restricted to the bundled DTDs and schemas: no cache, no download, no other entity.

    What a DTD declares is kept per process after its first use, so a run of many batches reads each DTD
    once instead of once per batch. The elements of :data:`_UNREAD` are skipped.
    """

    _declared: dict = {}  # DTD file name → (constructors, strings, items, errors) it declared

    def startElementHandler(self, tag, attrs):
        if tag not in _UNREAD and not self._misplaced(tag):
            return super().startElementHandler(tag, attrs)
        # Biopython's own way of passing over an element (as it does one its DTD does not declare)
        self.parser.StartElementHandler = self.startSkipElementHandler
        self.parser.EndElementHandler = self.endSkipElementHandler
        self.parser.CharacterDataHandler = self.skipCharacterDataHandler
        self.level = 1
        return None

    def _misplaced(self, tag) -> bool:
        """Whether ``tag`` is declared by the DTD but not allowed where it stands (a DTD older than the record,
        or a hand-edited file). Biopython would stop the whole parse at it ("Unexpected item"); a validating
        read raises ValidationError instead, so the document is read again without validation, which passes
        over such an element as it does an undeclared one."""
        allowed = getattr(self.element, "allowed_tags", None)
        if allowed is None or tag in allowed or (tag not in self.strings and tag not in self.constructors):
            return False
        if self.validating:
            raise EntrezParser.ValidationError(tag)
        return True

    def startNamespaceDeclHandler(self, prefix, uri):
        """MathML declared as the default namespace (``<math xmlns="…/MathML">``) is read as the ``mml:``
        prefix PubMed normally writes; Biopython accepts only the prefixed form and would stop the parse."""
        super().startNamespaceDeclHandler(_MATHML_PREFIX if (prefix, uri) == (None, _MATHML) else prefix, uri)

    def endNamespaceDeclHandler(self, prefix):
        super().endNamespaceDeclHandler(_MATHML_PREFIX if prefix is None else prefix)

    def startRawElementHandler(self, name, attrs):
        """Biopython writes a MathML element inside a title or abstract back as a tag, without its prefix
        (``<infinity xmlns="…">``), so only the formula's text is kept (a Record's fields hold plain text)."""
        super().startRawElementHandler(name, attrs)
        if name.startswith(_MATHML + " "):
            self.data[-1] = ""

    def endRawElementHandler(self, name):
        super().endRawElementHandler(name)
        if name.startswith(_MATHML + " "):
            self.data[-1] = ""

    def open_dtd_file(self, filename):
        if filename not in bundled_dtds():
            return None
        return open(os.path.join(EntrezParser.DataHandler.global_dtd_dir, filename), "rb")

    def open_xsd_file(self, filename):
        path = os.path.join(EntrezParser.DataHandler.global_xsd_dir, filename)
        return open(path, "rb") if os.path.isfile(path) else None

    def schemaHandler(self, name, attrs):
        schema = attrs.get(f"{self.schema_namespace} noNamespaceSchemaLocation", "")
        if not os.path.isfile(os.path.join(EntrezParser.DataHandler.global_xsd_dir, os.path.basename(schema))):
            raise UnsafeXMLError(f"refusing XML schema {schema!r}: only the schemas bundled with Biopython are "
                                 "read, nothing is fetched")
        return super().schemaHandler(name, attrs)

    def externalEntityRefHandler(self, context, base, systemId, publicId):
        filename = os.path.basename(systemId or "")
        if filename not in bundled_dtds():
            raise UnsafeXMLError(f"refusing external entity {systemId!r}: only the DTDs bundled with "
                                 "Biopython are read, nothing is fetched")
        top_level = not self.dtd_urls
        if top_level and filename in self._declared:
            constructors, strings, items, errors = self._declared[filename]
            self.constructors.update(constructors)
            self.strings.update(strings)
            self.items.update(items)
            self.errors.update(errors)
            self.parser.StartElementHandler = self.startElementHandler
            return 1
        # The bundled copy is opened by name; the URL is never contacted, so skip Biopython's URL check.
        self.bypass_url_security = True
        try:
            result = super().externalEntityRefHandler(context, base, systemId, publicId)
        finally:
            self.bypass_url_security = False
        if top_level:
            self._declared[filename] = (dict(self.constructors), dict(self.strings), set(self.items),
                                        set(self.errors))
        return result


def prepare_xml(data: bytes, *, dated_dtd: str | None = None) -> bytes:
    """Check the prolog and return the document ready for Biopython's parser, or raise UnsafeXMLError.

    A DOCTYPE with an internal subset is refused; one that names a DTD Biopython does not bundle is refused,
    except an unknown dated PubMed DTD (``pubmed_YYMMDD.dtd``), which is read with the closest bundled one
    (:func:`closest_pubmed_dtd`). Files saved without the XML declaration or the DOCTYPE (e.g. by reference
    managers) get them added, and a single ``<PubmedArticle>`` or ``<PubmedBookArticle>`` saved on its own is
    put inside a ``<PubmedArticleSet>`` (on its first line, so line numbers stay those of the file).
    ``dated_dtd`` (a bundled PubMed DTD) replaces the closest or newest one in those two cases.
    """
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        data = as_expat_input(data, path="PubMed XML")
    except InputError as exc:
        raise PubmedXMLError(str(exc).removeprefix("PubMed XML, line 1: "), line=exc.line) from None
    if not data.startswith(b"<?xml"):
        data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + data
    head = data[:_PROLOG_BYTES]
    match = _DOCTYPE.search(head)
    if not match:
        root = re.search(rb"<(PubmedArticleSet|PubmedBookArticleSet)[\s>]", head)
        if b"?>" not in data[:_PROLOG_BYTES]:
            raise PubmedXMLError("malformed PubMed XML: the XML declaration (<?xml … ?>) is not closed", line=1)
        declaration_end = data.index(b"?>") + 2
        if root is None:
            first = re.search(rb"<(?![?!])([\w:.-]+)", re.sub(rb"<!--.*?-->", lambda m: b" " * len(m.group()),
                                                                 data[declaration_end:_PROLOG_BYTES], flags=re.S))
            if first is None or first.group(1) not in (b"PubmedArticle", b"PubmedBookArticle"):
                return data
            at = declaration_end + first.start()
            data = data[:at] + b"<PubmedArticleSet>" + data[at:] + b"</PubmedArticleSet>"
            root = re.search(rb"<(PubmedArticleSet)", data)
        doctype = f'\n<!DOCTYPE {root.group(1).decode()} SYSTEM "{dated_dtd or newest_pubmed_dtd()}">'.encode()
        return data[:declaration_end] + doctype + data[declaration_end:]
    if match.group("subset"):
        raise UnsafeXMLError("the document declares its own DTD subset (entity declarations); sysrev refuses "
                             "it because entities can reach files or the network or expand without bound")
    system = _SYSTEM_ID.search(match.group("ids"))
    if not system:
        return data
    filename = os.path.basename(system.group(1).decode("ascii", "replace"))
    if filename in bundled_dtds():
        return data
    if re.fullmatch(r"pubmed_\d{6}\.dtd", filename):
        start, end = match.start("ids") + system.start(1), match.start("ids") + system.end(1)
        return data[:start] + (dated_dtd or closest_pubmed_dtd(filename)).encode() + data[end:]
    raise UnsafeXMLError(f"the DOCTYPE names the DTD {filename!r}, which Biopython does not bundle; "
                         "sysrev never downloads DTDs")


def _pubmed_dtds() -> list[str]:
    """The dated PubMed DTDs Biopython bundles, oldest first.

    The names are ``pubmed_YYMMDD.dtd``; NLM's series began in 2002, so every ``YY`` is 20YY and the names
    sort by date as they are.
    """
    return sorted(name for name in bundled_dtds() if re.fullmatch(r"pubmed_\d{6}\.dtd", name))


@lru_cache(maxsize=1)
def newest_pubmed_dtd() -> str:
    """The newest dated PubMed DTD Biopython bundles (e.g. ``pubmed_250101.dtd``)."""
    return _pubmed_dtds()[-1]


def closest_pubmed_dtd(filename: str) -> str:
    """The bundled PubMed DTD for a document declaring ``filename``: the newest one not after it (a 2016
    export is read with the 2015 DTD, which still declares that year's elements), else the oldest."""
    earlier = [name for name in _pubmed_dtds() if name <= filename]
    return earlier[-1] if earlier else _pubmed_dtds()[0]


def error_messages(data: bytes) -> list[str]:
    """The texts of NCBI ``<ERROR>`` elements in a response (empty ``<ERROR/>`` elements are ignored)."""
    return [clean_text(m.group(1).decode("utf-8", "replace")) for m in _ERROR.finditer(data)
            if m.group(1).strip()]


def has_articles(data: bytes) -> bool:
    """Whether ``data`` holds at least one ``<PubmedArticle>`` or ``<PubmedBookArticle>`` element."""
    return _ARTICLE_START.search(data) is not None


def check_well_formed(data: bytes) -> None:
    """Refuse unsafe documents and raise PubmedXMLError for one that is not well-formed (e.g. cut off).

    A fast check (expat, no DTD) for the transport to decide whether to fetch again, leaving the slower full
    parse for later or for another process.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    refuse_internal_subset(parser, UnsafeXMLError)
    try:
        parser.Parse(prepare_xml(data), True)
    except expat.ExpatError as exc:
        raise PubmedXMLError(f"malformed or truncated PubMed XML: {exc}") from None


def parse_pubmed_xml(data: bytes) -> list[dict]:
    """Parse an EFetch PubmedArticleSet into Biopython's structures (articles first, then book articles).

    The articles read are counted against the ``<PubmedArticle>``/``<PubmedBookArticle>`` elements in the
    document: a DTD that does not fit the document can make Biopython return fewer without an error. When
    the DTD was chosen here (no DOCTYPE, or a dated one Biopython lacks) the newest bundled DTD is tried next;
    a shortfall that remains is a PubmedXMLError, never a silently shorter list.
    """
    expected = len(_ARTICLE_START.findall(data))
    attempts, problem = [], None
    for dated_dtd in (None, newest_pubmed_dtd()):
        prepared = prepare_xml(data, dated_dtd=dated_dtd)
        if prepared in attempts:
            continue
        attempts.append(prepared)
        articles = _articles(_parse_leniently(prepared, added_lines=prepared.count(b"\n") - data.count(b"\n")))
        if articles is not None and len(articles) == expected:
            return articles
        problem = ("not a PubmedArticleSet" if articles is None else
                   f"Biopython read {len(articles)} of the {expected} articles in the document")
    raise PubmedXMLError(problem)


def _parse_leniently(prepared: bytes, *, added_lines: int):
    """Parse with validation, or again without it if an element is not declared in the DTD (or not where it
    stands); a read without validation passes over such elements and raises no ValidationError."""
    try:
        return _read(prepared, validate=True, added_lines=added_lines)
    except EntrezParser.ValidationError:
        return _read(prepared, validate=False, added_lines=added_lines)


def _articles(result) -> list | None:
    """The articles and book articles of a parsed set, or None when ``result`` is not a PubMed set."""
    if isinstance(result, list) and all(
            isinstance(a, dict) and ({"MedlineCitation", "BookDocument"} & set(a)) for a in result):
        return list(result)  # a PubmedBookArticleSet, or a set read with a pre-2016 DTD: a plain list
    if not isinstance(result, dict) or not ({"PubmedArticle", "PubmedBookArticle"} & set(result)):
        return None
    return list(result.get("PubmedArticle", [])) + list(result.get("PubmedBookArticle", []))


def _read(data: bytes, *, validate: bool, added_lines: int):
    """Biopython's parse of prepared ``data``; its errors other than validation become PubmedXMLError."""
    handler = _OfflineHandler(validate=validate, escape=False, ignore_errors=False)
    refuse_internal_subset(handler.parser, UnsafeXMLError)
    try:
        return handler.read(BytesIO(data))
    except (UnsafeXMLError, EntrezParser.ValidationError):
        raise
    except (EntrezParser.CorruptedXMLError, EntrezParser.NotXMLError) as exc:
        where = re.search(r"\(([^():]+): line (\d+), column (\d+)\)", str(exc))  # expat's, via Biopython
        if where is None:
            raise PubmedXMLError(f"malformed or truncated PubMed XML: {exc}") from None
        reason, line, column = where.group(1), int(where.group(2)) - added_lines, where.group(3)
        raise PubmedXMLError(f"malformed or truncated PubMed XML: {reason} (column {column})",
                             line=max(1, line)) from None
    except (RuntimeError, ValueError) as exc:  # Biopython's "Failed to access …", missing DTD, namespaces
        raise PubmedXMLError(f"cannot read PubMed XML: {exc}") from None


def records_from_xml(data: bytes) -> list[Record]:
    """Parse EFetch XML and convert every article and book article to a Record.

    An article without the parts every PubMed record has (``MedlineCitation`` with its ``Article``, or a book's
    ``BookDocument``) is a PubmedXMLError naming it, not a half-empty record.
    """
    articles = parse_pubmed_xml(data)
    records = []
    for number, article in enumerate(articles, start=1):
        try:
            records.append(article_to_record(article))
        except KeyError as exc:
            pmid = str(article.get("MedlineCitation", {}).get("PMID", "")) if isinstance(article, dict) else ""
            which = f"article {number} of {len(articles)}" + (f" (PMID {pmid})" if pmid else "")
            raise PubmedXMLError(f"{which} has no {exc.args[0]} element; every PubMed record has one, so the "
                                 "file was edited or is not PubMed's XML") from None
    return records


def article_to_record(article) -> Record:
    """One parsed PubmedArticle or PubmedBookArticle as a normalised Record."""
    if "BookDocument" in article:
        return _book_to_record(article)
    citation = article["MedlineCitation"]
    art = citation["Article"]
    journal = art.get("Journal", {})
    issue = journal.get("JournalIssue", {})
    ids = _article_ids(article.get("PubmedData", {}).get("ArticleIdList", []))
    pmid = normalise_pmid(citation.get("PMID"))
    doi = ids.get("doi") or _elocation_doi(art.get("ELocationID", []))
    return Record(
        source_id=pmid,
        source="pubmed",
        title=_title(art.get("ArticleTitle"), art.get("VernacularTitle")),
        abstract=_abstract(art.get("Abstract")),
        authors=_authors(art.get("AuthorList", [])),
        year=_pub_year(issue.get("PubDate", {})) or _article_date_year(art.get("ArticleDate", [])),
        journal=clean_text(journal.get("Title")),
        journal_abbrev=clean_text(journal.get("ISOAbbreviation")
                                  or citation.get("MedlineJournalInfo", {}).get("MedlineTA")),
        volume=clean_text(issue.get("Volume")),
        issue=clean_text(issue.get("Issue")),
        pages=_pages(art.get("Pagination"), art.get("ELocationID", [])),
        doi=doi,
        pmid=pmid,
        pmcid=normalise_pmcid(ids.get("pmc")),
        issn=normalise_issn(journal.get("ISSN") or citation.get("MedlineJournalInfo", {}).get("ISSNLinking")),
        language=", ".join(clean_text(x) for x in art.get("Language", [])),
        publication_types=[clean_text(x) for x in art.get("PublicationTypeList", [])],
        keywords=_keywords(citation.get("KeywordList", []), citation.get("MeshHeadingList", [])),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "",
        extra=_extra(art, ids),
    )


def _book_to_record(article) -> Record:
    doc = article["BookDocument"]
    book = doc.get("Book", {})
    # EFetch gives the PubMed id in PubmedBookData's list and the Bookshelf accession and DOI in the document's
    ids = _article_ids(list(article.get("PubmedBookData", {}).get("ArticleIdList", []))
                       + list(doc.get("ArticleIdList", [])))
    pmid = normalise_pmid(doc.get("PMID"))
    book_title = strip_markup(book.get("BookTitle"))
    title = strip_markup(doc.get("ArticleTitle")) or book_title
    authors = _book_names(doc, editors=False) or _book_names(book, editors=False)
    editors = list(dict.fromkeys(_book_names(doc, editors=True) + _book_names(book, editors=True)))
    publisher = book.get("Publisher", {})
    extra = {"publisher": clean_text(publisher.get("PublisherName")),
             "isbn": [clean_text(x) for x in book.get("Isbn", [])]}
    if editors:
        extra["editors"] = editors
    if strip_markup(book.get("CollectionTitle")):
        extra["series"] = strip_markup(book["CollectionTitle"])
    if ids.get("bookaccession"):
        extra["bookaccession"] = ids["bookaccession"]
    return Record(
        source_id=pmid,
        source="pubmed",
        title=title,
        abstract=_abstract(doc.get("Abstract")),
        authors=authors,
        year=_pub_year(book.get("PubDate", {})),
        journal=book_title if title != book_title else "",
        pages=_pages(doc.get("Pagination")),
        doi=ids.get("doi") or _elocation_doi(book.get("ELocationID", [])),
        pmid=pmid,
        pmcid=normalise_pmcid(ids.get("pmc")),
        language=", ".join(clean_text(x) for x in doc.get("Language", [])),
        publication_types=[clean_text(x) for x in doc.get("PublicationType", [])] or ["Book"],
        keywords=_keywords(doc.get("KeywordList", []), []),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "",
        extra=extra,
    )


def _book_names(part, *, editors: bool) -> list[str]:
    """The authors (or the editors) named in a BookDocument's or a Book's author lists: a list typed "editors"
    holds editors, any other list authors."""
    return [name for group in part.get("AuthorList", [])
            if (getattr(group, "attributes", {}).get("Type") == "editors") == editors for name in _authors(group)]


def _title(title, vernacular) -> str:
    text = strip_markup(title)
    # PubMed puts "[Not Available]." or a bracketed English translation when the original is not English.
    if not text or text.lower().startswith("[not available"):
        return strip_markup(vernacular) or text
    return text


def _abstract(abstract) -> str:
    """Abstract text without markup; sections of a structured abstract keep their labels ("METHODS: …")."""
    if not abstract:
        return ""
    parts = []
    for section in abstract.get("AbstractText", []):
        text = strip_markup(section)
        label = clean_text(getattr(section, "attributes", {}).get("Label"))
        if label and text:
            parts.append(f"{label}: {text}")
        elif text:
            parts.append(text)
    return " ".join(parts)


def _authors(author_list) -> list[str]:
    """Authors as "Family, Given" (initials when no fore name); collective names kept as written; a name NLM
    marks invalid (``ValidYN="N"``) left out."""
    names = []
    for author in author_list:
        if getattr(author, "attributes", {}).get("ValidYN") == "N":
            continue  # a misspelling an erratum corrected, kept by NLM for searching; the corrected name is listed too
        if "CollectiveName" in author:
            name = strip_markup(author["CollectiveName"])
        else:
            family = clean_text(author.get("LastName"))
            given = clean_text(author.get("ForeName") or author.get("Initials"))
            suffix = clean_text(author.get("Suffix"))
            given = f"{given} {suffix}".strip()
            name = f"{family}, {given}" if family and given else family or given
        if name:
            names.append(name)
    return names


def _pub_year(pub_date) -> int | None:
    """Year from ``PubDate``: its ``Year``, else the first year in ``MedlineDate`` ("1998 Dec-1999 Jan")."""
    return parse_year(pub_date.get("Year")) or parse_year(pub_date.get("MedlineDate"))


def _article_date_year(article_dates) -> int | None:
    for date in article_dates:
        year = parse_year(date.get("Year"))
        if year:
            return year
    return None


# An electronic location that is an article number ("e42692", "1042"), not a publisher item identifier
# ("S0140-6736(19)32971-X") or a code without a digit.
_ARTICLE_NUMBER = re.compile(r"[A-Za-z]{0,3}\d[\w-]{0,11}")


def _pages(pagination, elocations=()) -> str:
    """The pages; for an article without any, its electronic location when that is an article number, as
    PubMed's own citation line (``SO``, ``Elife. 2019;8:e42692.``) and the MEDLINE export give it."""
    pagination = pagination or {}
    start, end = clean_text(pagination.get("StartPage")), clean_text(pagination.get("EndPage"))
    printed = expand_pages(pagination.get("MedlinePgn") or (f"{start}-{end}" if start and end else start))
    if printed:
        return printed
    for item in elocations:
        value = clean_text(item)
        if getattr(item, "attributes", {}).get("EIdType") == "pii" and _ARTICLE_NUMBER.fullmatch(value):
            return value
    return ""


def _article_ids(id_list) -> dict:
    ids = {}
    for item in id_list:
        kind = getattr(item, "attributes", {}).get("IdType")
        if kind and kind not in ids:
            ids[kind] = normalise_doi(item) if kind == "doi" else clean_text(item)
    return ids


def _elocation_doi(elocations) -> str:
    for item in elocations:
        if getattr(item, "attributes", {}).get("EIdType") == "doi":
            return normalise_doi(item)
    return ""


def _keywords(keyword_lists, mesh_headings) -> list[str]:
    words = [strip_markup(k) for group in keyword_lists for k in group]
    words += [clean_text(h["DescriptorName"]) for h in mesh_headings if "DescriptorName" in h]
    return [w for w in dict.fromkeys(words) if w]


def _extra(art, ids) -> dict:
    extra = {}
    if ids.get("pii"):
        extra["pii"] = ids["pii"]
    vernacular = strip_markup(art.get("VernacularTitle"))
    if vernacular:
        extra["vernacular_title"] = vernacular
    # Databank links as MEDLINE's SI field writes them ("ClinicalTrials.gov/NCT01234567"): the trial
    # registrations of a report, which dedup uses to link it with the registration (dedup/trial_refs.py).
    databanks = [f"{clean_text(bank.get('DataBankName'))}/{clean_text(number)}"
                 for bank in art.get("DataBankList", []) for number in bank.get("AccessionNumberList", [])]
    if databanks:
        extra["databanks"] = databanks
    return extra
