"""CSV (and tab- or semicolon-separated) exports: Scopus, PubMed, Embase, Cochrane CENTRAL, IEEE Xplore,
SpringerLink, Zotero, Rayyan, ASReview, ClinicalTrials.gov, or any sheet with title/abstract/authors/year/doi
columns.

Columns are matched by name, case- and punctuation-insensitively, against the names these tools use (the
first match in :data:`COLUMNS` wins, so Scopus's ``Author full names`` beats its abbreviated ``Authors``).
Columns that match nothing are kept in ``extra["fields"]`` (e.g. ASReview's ``label_included``). The
``source_id`` is the row's identifier column (Scopus ``EID``, ``PMID``, ``id``, ``key`` …), else
``<file>:<line>``.

Cells with several names are split by what the tool uses: ``;`` (Scopus, IEEE, Zotero), `` and `` (Rayyan),
a Python/JSON list literal (ASReview), or commas (PubMed ``Lim SM, Shiau CWC``; Embase ``Liu R., Adler D.G.``).
Embase's ``Source`` cell, and any journal cell written as a citation
(``Journal (2014) 3:3 (152-160). Date of Publication: …``), is split into journal, year, volume, issue and
pages.
"""

import ast
import csv
import io
import json
import re
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.ctgov_json import coded_term, labelled
from sysrev.formats.fields import (
    TRIAL_REGISTRATION,
    build_record,
    doi_from,
    first,
    inverted_index_text,
    join_pages,
    page_span,
    pmid_in_text,
    pmid_in_url,
    scopus_eid,
)
from sysrev.formats.result import ParsedFile
from sysrev.formats.truncation import csv_cut, csv_unsure_end
from sysrev.normalise import clean_text, is_plain_number, normalise_pmid

# Record field → accepted column names, compared by _key (lower case, letters and digits only).
COLUMNS = {
    "source_id": ["eid", "ut", "ut (unique wos id)", "central id", "nct number", "pui", "embase accession id",
                  "record id", "recordid", "id", "key", "lens id", "publication id", "covidence", "reference id",
                  "accession number", "an", "ui", "record number", "pmid", "pubmed id", "rayyan id"],
    "title": ["title", "document title", "item title", "article title", "primary title", "title primary",
              "display name", "study title", "ti"],
    "abstract": ["abstract", "abstract note", "abstract text", "brief summary", "ab"],
    "authors": ["author full names", "af", "authors", "author", "author names", "author(s)", "author/s",
                "authors, primary", "author string",
                "authorships author display name", "au", "creators"],
    "year": ["year", "publication year", "publication_year", "published year", "pubyear", "pub year", "py",
             "year of publication", "publication date", "date of publication", "date", "first posted",
             "early access date"],
    "journal": ["source title", "journal", "journal/book", "publication title", "journal title", "periodical",
                "secondary title", "periodical full", "publication", "booktitle", "jo", "so", "source", "venue",
                # Semantic Scholar and the tools built on it (Elicit) name it the venue; OpenAlex's flattened
                # work (its CSV export) the primary location's source
                "publication venue", "primary location source display name", "host venue display name"],
    "journal_abbrev": ["abbreviated source title", "journal abbreviation", "periodical abbrev", "ta", "j2", "ji",
                       "j9"],
    "volume": ["volume", "journal volume", "vl", "biblio volume"],
    "issue": ["issue", "journal issue", "issue number", "number", "is", "biblio issue"],
    "pages": ["pages", "page", "pagination", "page info", "pg"],
    "page_start": ["page start", "start page", "start_page", "first page", "sp", "bp", "biblio first page"],
    "page_end": ["page end", "end page", "end_page", "last page", "other pages", "ep", "biblio last page"],
    "page_count": ["page count"],
    "article_number": ["art. no.", "article number", "ar"],
    "doi": ["doi", "item doi", "di", "do"],
    "pmid": ["pubmed id", "pmid", "pubmed_id", "medline pmid", "pm", "ids pmid"],
    "pmcid": ["pmcid", "pmc id", "ids pmcid"],
    "issn": ["issn", "issns", "issn/isbn", "sn"],
    "language": ["language of original document", "language", "article language", "la"],
    "publication_types": ["document type", "publication type", "content type", "item type", "type of reference",
                          "reference type", "doctype", "pt", "dt", "type", "entrytype", "study type"],
    "keywords": ["author keywords", "keywords", "manual tags", "kw", "de"],
    "index_keywords": ["index keywords", "keywords plus", "emtree medical index terms", "mesh terms", "mesh_terms",
                       "automatic tags", "ieee terms", "subjects", "mh"],
    "url": ["link", "url", "article url", "plink", "full text link", "pdf link", "study url"],
}
_DIALECT_MARKERS = [  # (dialect, columns that must all be present)
    ("scopus", ["eid", "source title"]),
    ("pubmed", ["pmid", "citation"]),
    ("embase", ["emtree medical index terms"]),
    ("ieee", ["document title", "ieee terms"]),
    ("springer", ["item title", "content type"]),
    ("zotero", ["key", "item type"]),
    ("rayyan", ["key", "pmc id"]),
    ("asreview", ["label included"]),
    ("web-of-science", ["ut", "pt", "so"]),
    ("web-of-science", ["ut (unique wos id)", "article title"]),  # its "Excel" export (savedrecs.xls)
    ("cochrane-central", ["central id"]),
    ("ebsco", ["plink", "accession number"]),
    ("lens", ["lens id"]),
    ("dimensions", ["publication id", "pubyear"]),
    ("covidence", ["covidence"]),
    ("openalex", ["display name", "publication year"]),
    ("clinicaltrials-gov", ["nct number", "study url"]),
    ("clinicaltrials-gov", ["nct number", "study results"]),  # the classic site's download (before 2023)
]
# Web of Science's tab-delimited export names its columns by field tag, and some tags mean something else
# there than in other sheets: SP holds conference sponsors, PG the page count, PT a one-letter type code.
_WOS_COLUMNS = {
    "pages": ["ps"],  # the page span of CABI and BIOSIS records
    "page_start": ["bp"],
    "page_end": ["ep"],
    "page_count": ["pg"],
    "publication_types": ["dt", "pt"],
    "year": ["py", "ey", "ea"],  # an early-access article has no PY yet, only its early-access year/date
}
# Fields read from the first matching column *with a value* in each row, not from the first matching column.
# The year only in Web of Science's sheet, whose EY/EA are early-access dates: elsewhere a second date column
# may be something else (when a record was added or screened).
_FIRST_FILLED = {"source_id"}
_WOS_FIRST_FILLED = {"source_id", "year"}
_WOS_HEADER = re.compile(r"^PT\tAU\t")
# PubMed's CSV gives volume, issue and pages only inside its NLM-style "Citation" cell:
# "Behav Ther. 2022 Mar;53(2):334-347. doi: …", "JMIR Cancer. 2021 Nov 29;7(4):e27850. doi: …".
_NLM_CITATION = re.compile(r"^[^.;]+\.\s+(?:1[5-9]|20)\d\d\b[^;]*;(?P<volume>\d[^(:;.]*)(?:\((?P<issue>[^)]*)\))?"
                           r"(?::(?P<pages>[^.;]+))?\.")
_EMBASE_SOURCE = re.compile(r"^(?P<journal>.+?)\s*\((?P<year>\d{4})\)\s*(?P<volume>[^:\s(]*)(?::(?P<issue>[^\s(]*))?"
                            r"\s*(?:\((?P<pages>[^)]*)\))?")


def _key(name) -> str:
    """A column name reduced to lower-case letters and digits: ``Journal Title``, ``journal_title`` and
    ``journalTitle`` (Europe PMC, OpenAlex, API-style exports) all match."""
    return re.sub(r"[^a-z0-9]+", "", str(name or "").lower())


_PREAMBLE_LINES = 5  # Embase: "SEARCH QUERY" line, a dashed rule, a blank line; Dimensions: "About the data"


def _match_columns(header: list[str]) -> dict:
    """Record field → index of the first header cell whose name is one of the field's accepted names.

    ``source_id`` (and, in Web of Science's sheets, ``year``) maps to the list of every matching column, in order
    of preference: the first one with a value in a row wins (Embase exports carry an empty ``Embase Accession
    ID`` beside the ``PUI``; Web of Science leaves ``PY`` empty for an early-access article and gives ``EY``). A Web of
    Science header of field tags is read with those tags' own meanings (:data:`_WOS_COLUMNS`).
    """
    keys = [_key(h) for h in header]
    wos = bool(_WOS_HEADER.match("\t".join(header)))
    table, first_filled = ({**COLUMNS, **_WOS_COLUMNS}, _WOS_FIRST_FILLED) if wos else (COLUMNS, _FIRST_FILLED)
    if _key("UT (Unique WOS ID)") in keys:  # Web of Science's "Excel" export: an early-access article has no
        first_filled = _WOS_FIRST_FILLED    # Publication Year yet, only its Early Access Date
    columns = {}
    for field, names in table.items():
        found = [keys.index(_key(name)) for name in names if _key(name) in keys]
        if found:
            columns[field] = found if field in first_filled else found[0]
    return columns


def _sniff_dialect(text: str):
    """The excel dialect with the delimiter the sample uses (``,`` ``;`` tab or ``|``).

    Only the delimiter is taken from :class:`csv.Sniffer`; its guesses about quoting misread the fully
    quoted Scopus layout. Web of Science's tab-delimited export quotes nothing, so a title that starts with
    a quotation mark (``"Hearing voices" in …``) is read as it stands rather than as an opening quote.
    A first line ``sep=;`` (Excel's way of naming the delimiter) decides, and is then skipped like any other
    line above the header.
    """
    if _WOS_HEADER.match(text):

        class WebOfScience(csv.excel_tab):
            quoting = csv.QUOTE_NONE

        return WebOfScience
    excel_sep = re.match(r"sep=([^\r\n])\r?\n", text)
    return excel_dialect(text, delimiter=excel_sep.group(1) if excel_sep else None)


def excel_dialect(text: str, delimiters: str = ",;\t|", delimiter: str | None = None):
    """The excel dialect (fields in double quotes, a quote inside one doubled) with ``delimiter``, else the
    one of ``delimiters`` :class:`csv.Sniffer` finds in the first 20,000 characters (a comma when it finds
    none).

    Only the delimiter is taken from the sniffer: its guesses about quoting depend on the sample. A sample
    without a doubled quote turns ``doublequote`` off, and a later abstract quoting a phrase (``the
    ""trapping"" technique``) is then split into extra cells.
    """
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:20000], delimiters=delimiters).delimiter
        except csv.Error:
            delimiter = ","

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def _aligner(header: list[str]):
    """A function mapping a row to header-aligned cells, for rows with more cells than the header.

    Older Scopus CSVs name one ``Funding Text 1`` column but give some rows ``Funding Text 2``, ``3`` … as
    extra cells right after it. Cells up to the first numbered column are read from the left, the rest
    from the right, so the columns after it (DOI-free tail: ``Document Type`` … ``EID``) stay correct.
    """
    numbered = next((i for i, h in enumerate(header) if re.search(r"\s\d+$", h.strip())), None)

    def align(row):
        """``(aligned row, surplus cells by a name for extra, whether the row fits the header)``.

        Empty cells beyond the header are dropped first: Web of Science ends every row with a tab.
        """
        end = len(row)
        while end > len(header) and not row[end - 1].strip():
            end -= 1
        row = row[:end]  # one slice: trimming a cell at a time was quadratic in the empty cells
        surplus = len(row) - len(header)
        if surplus <= 0 or numbered is None:
            return row, {}, surplus <= 0
        base = re.sub(r"\s\d+$", "", header[numbered].strip())
        kept = {f"{base} {numbered_from + 2}": cell for numbered_from, cell
                in enumerate(row[numbered + 1: numbered + 1 + surplus]) if cell.strip()}
        return row[: numbered + 1] + row[numbered + 1 + surplus:], kept, True

    return align


def parse_csv(text: str, *, path="file", source="") -> ParsedFile:
    """Read a delimited export ``text`` (from ``path``) into Records, one per non-empty row."""
    # newline="" lets the csv module see line ends itself (quoted cells may hold newlines and U+2028).
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_sniff_dialect(text))
    header, columns = [], {}
    for _ in range(_PREAMBLE_LINES + 1):
        try:
            header = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a cell over the csv module's 128 KB limit above the header
            raise InputError(f"malformed CSV before or in the header: {_csv_error(exc)}", path=path,
                             line=reader.line_num) from None
        columns = _match_columns(header)
        if {"title", "abstract", "doi"} & set(columns):
            break
    if not header:
        raise InputError("the CSV file is empty", path=path)
    keys = [_key(h) for h in header]
    if not {"title", "abstract", "doi"} & set(columns):
        raise InputError("no title, abstract or DOI column found in the header (columns: "
                         f"{', '.join(h for h in header[:12])}); rename one to 'title'", path=path, line=1)
    dialect = next((d for d, need in _DIALECT_MARKERS if all(_key(n) in keys for n in need)), "")
    # Columns read into a field are not repeated in extra; identifier columns other than the preferred one
    # (e.g. Web of Science's "ID", which holds Keywords Plus) stay there.
    used = {value[0] if isinstance(value, list) else value for value in columns.values()}
    name = Path(str(path)).name
    records, warnings = [], []
    align = _aligner(header)
    line = reader.line_num + 1
    last_row, short_rows = None, 0  # (line, cell count) of the last row; rows shorter than the header
    try:
        for row in reader:
            row_line, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            _check_swallowed_rows(row, header, reader.dialect, path, row_line, warnings)
            cell_count = len(row)
            last_row, short_rows = (row_line, cell_count), short_rows + (cell_count < len(header))
            row, surplus_cells, aligned = align(row)
            if not aligned:
                warnings.append(f"{path}, line {row_line}: {cell_count} cells but the header has {len(header)}; "
                                "check that row's columns")
            cells = {field: _cell(row, i) for field, i in columns.items()}
            extra_fields = {header[i]: row[i] for i in range(min(len(row), len(header)))
                            if i not in used and row[i].strip()}
            extra_fields.update(surplus_cells)
            records.append(_to_record(cells, extra_fields, dialect=dialect, source=source or dialect,
                                      fallback_id=f"{name}:{row_line}"))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {_csv_error(exc)}", path=path, line=reader.line_num) from None
    truncated = None if last_row is None else csv_cut(text, reader.dialect, len(header), last_row, short_rows)
    if truncated is not None:
        records.pop()
        warnings = [w for w in warnings if not w.startswith(f"{path}, line {truncated.line}: ")]
    elif last_row is not None and (unsure := csv_unsure_end(text, reader.dialect, last_row[0])):
        warnings.append(f"{path}, line {last_row[0]}: {unsure}")
    if not records and truncated is None:
        raise InputError("the CSV file has a header but no rows", path=path)
    return ParsedFile(records=records, format="csv", dialect=dialect, warnings=warnings, truncated=truncated)



def _csv_error(exc: csv.Error) -> str:
    """The csv module's message, with what to do about its cell-size limit."""
    message = str(exc)
    if "field larger than field limit" in message:
        return (f"a cell is longer than {csv.field_size_limit() // 1024} KB ({message}); no reference field is "
                "that long, so the file is probably not a CSV export or has an unclosed quotation mark")
    return message


def _check_swallowed_rows(row, header, dialect, path, row_line, warnings) -> None:
    """Catch an unclosed quote, after which the csv module reads the following rows into one cell.

    A line inside a multi-line cell that itself parses into exactly as many cells as the header looks like
    a swallowed row: one such line gets a warning, two or more are an error (rows would be lost). When the row
    starts with a number (a record ID), so must a swallowed row: a paragraph of an abstract with as many commas
    as the header has columns is then no lookalike.
    """
    if len(header) < 4:
        return
    numbered = bool(row) and row[0].strip().isdigit()
    for index, cell in enumerate(row):
        if "\n" not in cell:
            continue
        inner = cell.split("\n")[1:]
        parsed = (next(csv.reader([line], dialect=dialect), []) for line in inner)
        lookalikes = sum(1 for cells in parsed
                         if len(cells) == len(header) and (not numbered or cells[0].strip().isdigit()))
        if lookalikes >= 2:
            raise InputError(f"a quoted cell in column '{header[index] if index < len(header) else index + 1}' "
                             f"runs over {len(inner) + 1} lines, {lookalikes} of which look like whole rows: an "
                             "unclosed quote? Fix it, or the rows after it would be lost", path=path, line=row_line)
        if lookalikes == 1:
            warnings.append(f"{path}, line {row_line}: a multi-line cell holds a line that looks like a whole "
                            "row; check for an unclosed quote")


def _cell(row: list[str], index):
    """The cell at ``index`` (the first non-empty one for a list of indexes), without Excel's ``="…"`` guard.

    EBSCO (CINAHL) and others write ``="19326203"`` so that spreadsheets keep leading zeros.
    """
    for i in index if isinstance(index, list) else [index]:
        value = row[i] if i < len(row) else ""
        guarded = re.fullmatch(r'\s*="(.*)"\s*', value, re.DOTALL)
        value = guarded.group(1) if guarded else value
        if value.strip():
            return value
    return ""


def split_names(cell: str) -> list[str]:
    """Split an authors cell into single names (see the module docstring for the conventions)."""
    text = clean_text(cell)
    if not text:
        return []
    if text.startswith("[") and text.endswith("]"):
        try:
            value = ast.literal_eval(text)
            if isinstance(value, (list, tuple)):
                return [clean_text(v) for v in value if clean_text(v)]
        except (ValueError, SyntaxError):
            pass
    text = re.sub(r"\s*\(\d{6,}\)", "", text)  # Scopus author IDs: "Hao, Jie (57221302630)"
    if ";" in text or "|" in text:
        parts = re.split(r"[;|]", text)
    elif re.search(r"\s+and\s+", text):
        parts = re.split(r"\s+and\s+", text)
    elif "," in text:
        parts = [p.strip() for p in text.split(",")]
        if any(len(p.split()) == 1 for p in parts) and len(parts) % 2 == 0 and not all(
                re.fullmatch(r"[A-Z][\w'-]+ [A-Z.\-]+", p) for p in parts):
            # "Marx, Karl, Lindgren, Astrid": family and given names alternate.
            parts = [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    else:
        parts = [text]
    return [p.strip() for p in parts if p.strip() and p.strip() not in ("et al.", "et al", "...")]


def _split_outside_parentheses(text: str, separator: str) -> list[str]:
    """Split at ``separator`` except inside parentheses (Embase: ``cyst (diagnosis, surgery), colonoscopy``)."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == separator and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p.strip() for p in parts + [current] if p.strip()]


def _split_keywords(cell: str) -> list[str]:
    text = clean_text(cell)
    if text.startswith("[") and text.endswith("]"):
        return split_names(text)
    return _split_outside_parentheses(text, ";" if ";" in text else ",")


def _split_run_together_names(cell: str) -> list[str]:
    """SpringerLink CSV writes names without a separator (``Araz R. AlievNigar T. Ismayilova``)."""
    return [p for p in re.split(r"(?<=[a-z]{2})(?=[A-Z][a-z]+ )", clean_text(cell)) if p.strip()]


def _inverted_index_text(cell) -> str:
    """The abstract OpenAlex gives as an inverted index (``{"word": [positions], …}``, JSON in its CSV), as
    text; ``""`` for anything else."""
    try:
        index = json.loads(cell) if isinstance(cell, str) and cell.lstrip().startswith("{") else None
    except ValueError:
        return ""
    return inverted_index_text(index)


# ClinicalTrials.gov's CSV columns a screener judges a registration by (the current download's name first,
# then the classic site's), with the label the JSON reader gives the same field; coded values ("PHASE2",
# "RANDOMIZED") are written in words.
_REGISTRATION_FIELDS = (
    ("Conditions", ("conditions",), False), ("Interventions", ("interventions",), False),
    ("Primary outcomes", ("primary outcome measures", "outcome measures"), False),
    ("Study type", ("study type",), True), ("Design", ("study design", "study designs"), True),
    ("Phases", ("phases",), True), ("Enrollment", ("enrollment",), False), ("Age", ("age",), True),
    ("Status", ("study status", "status"), True),
)


# The registry's intervention types, coded ("DIETARY_SUPPLEMENT", current download) or in words ("Dietary
# Supplement", classic download), before each intervention's name.
_INTERVENTION_TYPE = re.compile(r"(?:^|(?<=\|))\s*(drug|device|biological|procedure|radiation|behavioral|genetic|"
                                r"dietary[ _]supplement|combination[ _]product|diagnostic[ _]test|other):",
                                re.IGNORECASE)


def _registration_text(summary: str, extra_fields: dict) -> str:
    """A registration's screening text from ClinicalTrials.gov's CSV, as its JSON reader composes it: the
    brief summary, then each field under its name (the classic download has no summary: the fields alone).
    ``extra_fields`` are the row's unmapped cells, with the study type added."""
    by_key = {_key(name): clean_text(value) for name, value in extra_fields.items() if isinstance(value, str)}
    parts = [summary] if summary else []
    for label, names, coded in _REGISTRATION_FIELDS:
        value = next((by_key[_key(n)] for n in names if by_key.get(_key(n))), "")
        if coded:  # "Allocation: RANDOMIZED|Intervention Model: PARALLEL" → "allocation: randomized; …"
            value = coded_term(value)
        elif label == "Interventions":  # "DRUG: Aspirin", "Drug: Aspirin" → "drug: Aspirin" (the name as written)
            value = _INTERVENTION_TYPE.sub(lambda m: coded_term(m.group(1)) + ":", value)
        if value:
            parts.append(labelled(label, "; ".join(v.strip() for v in value.split("|") if v.strip())))
    return " ".join(parts)


def _to_record(cells: dict, extra_fields: dict, *, dialect: str, source: str, fallback_id: str):
    get = lambda field: clean_text(cells.get(field, ""))  # noqa: E731 - a short local accessor
    journal, year, volume, issue, pages = get("journal"), get("year"), get("volume"), get("issue"), get("pages")
    citation = _EMBASE_SOURCE.match(journal)
    if citation and citation.group("volume"):  # Embase: "Endoscopic Ultrasound (2014) 3:3 (152-160). Date…"
        parts = citation.groupdict()
        journal, year = parts["journal"], year or parts["year"]
        volume, issue = volume or parts["volume"], issue or (parts["issue"] or "")
        pages = pages or (parts["pages"] or "")
    citation_cell = next((v for k, v in extra_fields.items() if _key(k) == "citation"), "")
    nlm = _NLM_CITATION.match(clean_text(citation_cell)) if dialect == "pubmed" else None
    if nlm:
        volume, issue = volume or nlm.group("volume").strip(), issue or (nlm.group("issue") or "").strip()
        pages = pages or (nlm.group("pages") or "").strip()
    article_number = get("article_number")
    start, count = get("page_start"), get("page_count")
    end = get("page_end")
    # CINAHL: First Page + Page Count
    if not end and is_plain_number(start) and is_plain_number(count) and int(count) > 1:
        end = str(int(start) + int(count) - 1)
    pages = ((page_span(pages) if dialect == "web-of-science" else join_pages(pages)) or join_pages(start, end)
             or article_number)
    source_id = get("source_id")
    if source_id and "pubmed" in source_id.lower():
        source_id = normalise_pmid(source_id) or source_id
    abstract = get("abstract") or _inverted_index_text(
        next((v for k, v in extra_fields.items() if _key(k) == "abstractinvertedindex"), ""))
    registration = dialect == "clinicaltrials-gov"  # typed as the register's other readers type their records
    if registration:
        abstract = _registration_text(abstract, {**extra_fields, "Study Type": get("publication_types")})
    urls = get("url").split()[:1]  # Rayyan appends RIS debris ("…&from=export     U2  - L123") after the URL
    return build_record(
        source_id=source_id or scopus_eid(urls) or fallback_id,
        source=source,
        title=get("title"),
        abstract=abstract,
        authors=_split_run_together_names(cells.get("authors", "")) if dialect == "springer"
        else split_names(cells.get("authors", "")),
        year=year,
        journal=journal,
        journal_abbrev=get("journal_abbrev"),
        volume=volume,
        issue=issue,
        pages=pages,
        doi=get("doi") or doi_from(urls, urls_only=True),
        pmid=get("pmid") or pmid_in_text(extra_fields.get("Extra", ""), extra_fields.get("Notes", ""))
        or pmid_in_url(urls),
        pmcid=get("pmcid"),
        issn=get("issn"),
        language=get("language"),
        publication_types=([TRIAL_REGISTRATION] if registration else []) + _split_keywords(get("publication_types")),
        keywords=_split_keywords(get("keywords")) + _split_keywords(get("index_keywords")),
        url=first(urls),
        extra={"type": TRIAL_REGISTRATION if registration else get("publication_types"),
               "article_number": article_number, "fields": extra_fields},
    )
