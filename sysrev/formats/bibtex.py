"""BibTeX/BibLaTeX files (Scopus, Web of Science, EBSCO, Wiley, JabRef, Zotero, Google Scholar exports).

Parsed with bibtexparser 1.4 (``@string`` macros and month names expanded, non-standard entry types kept).
bibtexparser skips an entry it cannot parse without saying so, so the file is also scanned for ``@type{key``
openings and any entry the parser did not return is reported as an error naming its line. LaTeX accents and
escapes (``Bostr\\"{o}m``, ``\\&``) are decoded to Unicode and formatting macros (``\\textit{…}``) dropped.

Mapping: the entry key is the source_id (for Scopus exports the EID from ``url``, the identifier a Scopus
API search gives), ``author`` split at top-level `` and `` (a braced ``{Smith and Sons}`` stays one name),
``journal``/``journaltitle``/``booktitle`` → journal, ``number``/``issue`` → issue, ``year``/``date`` → year,
``keywords`` split at ``;`` (at ``,`` when there is no ``;``); BibLaTeX's ``eprint`` gives the PMID or PMCID when
``eprinttype`` says so (Zotero: ``eprinttype = {pmid}``) and ``langid`` the language; every other field is
kept in ``extra["fields"]``.
"""

import re
from collections import Counter
from pathlib import Path

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bibtexparser.latexenc import latex_to_unicode

from sysrev.errors import InputError
from sysrev.formats.fields import build_record, first, scopus_eid
from sysrev.formats.result import ParsedFile

_ENTRY_START = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)", re.MULTILINE)
_SPACED_KEY = re.compile(r"^(\s*@\s*\w+\s*[{(]\s*)([^,=\s{}()]+(?:[ \t]+[^,=\s{}()]+)+)(\s*,)", re.MULTILINE)
_NOT_RECORDS = {"string", "comment", "preamble"}
_FORMAT_MACRO = re.compile(r"\\(?:textit|textbf|textsc|textrm|textsf|texttt|emph|mathrm|mathit|mbox|"
                           r"textsuperscript|textsubscript|textup|textnormal|url)\s*(?={)")
_ACCENTED_I = {"'": "í", "`": "ì", "^": "î", '"': "ï", "~": "ĩ"}
_ACCENTED_DOTLESS_I = re.compile(r"\{?\\(['`^\"~])\s*\{?\\i\b\}?\}?")
_MAPPED = {"ID", "ENTRYTYPE", "title", "abstract", "author", "year", "date", "journal", "journaltitle",
           "booktitle", "shortjournal", "journal-iso", "volume", "number", "issue", "pages", "doi", "pmid",
           "pmcid", "issn", "language", "keywords", "url", "document_type"}
_EPRINT_PMID = {"pmid", "pubmed"}
_EPRINT_PMCID = {"pmcid", "pmc"}


def latex_text(value) -> str:
    """A BibTeX field value as plain Unicode text: accents decoded, formatting macros and braces removed."""
    text = _FORMAT_MACRO.sub("", str(value or ""))
    # An accent on a dotless i ({\'\i}, \'{\i}) means an accented i; bibtexparser leaves a stray backslash.
    text = _ACCENTED_DOTLESS_I.sub(lambda m: _ACCENTED_I[m.group(1)], text)
    text = re.sub(r"\\[,;:! ]", " ", text)  # LaTeX spacing commands (50\,% → 50 %)
    text = re.sub(r"(?<!\\)\$", "", text)  # math-mode delimiters ($\beta$-blockers → β-blockers)
    text = text.replace("\\{", "").replace("\\}", "")
    return re.sub(r"\\([$#])", r"\1", latex_to_unicode(text)).replace("~", " ")


def split_bibtex_authors(value: str) -> list[str]:
    """Split a BibTeX ``author`` value at `` and `` outside braces; drop the ``others`` placeholder."""
    names, depth, current = [], 0, []
    tokens = re.split(r"(\{|\}|\s+and\s+)", value or "", flags=re.IGNORECASE)
    for token in tokens:
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        if depth == 0 and re.fullmatch(r"\s+and\s+", token, re.IGNORECASE):
            names.append("".join(current))
            current = []
        else:
            current.append(token)
    names.append("".join(current))
    return [latex_text(n).strip() for n in names if n.strip() and n.strip().lower() != "others"]


def _entry_openings(text: str):
    """``[(line, key)]`` of every record entry (not @string/@comment/@preamble) in ``text``."""
    found = []
    for match in _ENTRY_START.finditer(text):
        if match.group(1).lower() not in _NOT_RECORDS:
            found.append((text.count("\n", 0, match.start()) + 1, match.group(2)))
    return found


def _repair_spaced_keys(text: str, path) -> tuple[str, list[str]]:
    """Replace white space inside entry keys (``@article{Conference paper2022,``) by ``_``, with a warning.

    Such keys are invalid BibTeX, but some exports write them; bibtexparser would drop the entry.
    """
    warnings = []

    def fix(match):
        line = text.count("\n", 0, match.start()) + 1
        key = re.sub(r"\s+", "_", match.group(2).strip())
        warnings.append(f"{path}, line {line}: entry key {match.group(2).strip()!r} contains spaces; read as "
                        f"{key!r}")
        return match.group(1) + key + match.group(3)

    return _SPACED_KEY.sub(fix, text), warnings


def parse_bibtex(text: str, *, path="file", source="") -> ParsedFile:
    """Read BibTeX ``text`` (from ``path``) into Records; an entry that cannot be parsed is an InputError."""
    text, warnings = _repair_spaced_keys(text, path)
    openings = _entry_openings(text)
    if not openings:
        raise InputError("no BibTeX entries found (no line starts with '@type{key,')", path=path)
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
    try:
        entries = bibtexparser.loads(text, parser=parser).entries
    except Exception as exc:  # bibtexparser raises pyparsing and assorted errors on broken input
        raise InputError(f"BibTeX could not be parsed: {exc}", path=path) from None
    parsed = Counter(e.get("ID", "") for e in entries)
    for line, key in openings:
        if parsed[key] > 0:
            parsed[key] -= 1
        else:
            raise InputError(f"BibTeX entry '{key}' could not be parsed (unbalanced braces or quotes, or a "
                             "missing comma after the key?)", path=path, line=line)
    name = Path(str(path)).name
    records, dialects = [], set()
    lines = {key: line for line, key in openings}
    for entry in entries:
        dialect = "scopus" if first(entry.get("source")).lower() == "scopus" else ""
        dialects.add(dialect)
        records.append(_to_record(entry, source=source or dialect, dialect=dialect,
                                  fallback_id=f"{name}:{lines.get(entry.get('ID', ''), 0)}"))
    return ParsedFile(records=records, format="bibtex", dialect=dialects.pop() if len(dialects) == 1 else "",
                      warnings=warnings)


def _to_record(entry: dict, *, source: str, dialect: str, fallback_id: str):
    value = {k: latex_text(v) for k, v in entry.items() if k not in ("author",)}
    key = entry.get("ID", "")
    eid = scopus_eid(entry.get("url")) if dialect == "scopus" else ""
    raw_keywords = value.get("keywords", "")
    keywords = re.split(r"\s*;\s*" if ";" in raw_keywords else r"\s*,\s*", raw_keywords) if raw_keywords else []
    eprint_type = value.get("eprinttype", "").strip().lower()
    eprint = value.get("eprint", "") if eprint_type in _EPRINT_PMID | _EPRINT_PMCID else ""
    extra_fields = {k: v for k, v in value.items() if k not in _MAPPED and v.strip()
                    and not (eprint and k in ("eprint", "eprinttype"))}
    return build_record(
        source_id=eid or key or fallback_id,
        source=source,
        title=value.get("title", ""),
        abstract=value.get("abstract", ""),
        authors=split_bibtex_authors(entry.get("author", "")),
        year=first(value.get("year"), value.get("date")),
        journal=first(value.get("journal"), value.get("journaltitle"), value.get("booktitle")),
        journal_abbrev=first(value.get("shortjournal"), value.get("journal-iso")),
        volume=value.get("volume", ""),
        issue=first(value.get("number"), value.get("issue")),
        pages=value.get("pages") or value.get("art_number") or value.get("eid", ""),
        doi=value.get("doi", ""),
        pmid=value.get("pmid", "") or (eprint if eprint_type in _EPRINT_PMID else ""),
        pmcid=value.get("pmcid", "") or (eprint if eprint_type in _EPRINT_PMCID else ""),
        issn=value.get("issn", ""),
        language=first(value.get("language"), value.get("langid")),
        publication_types=[entry.get("ENTRYTYPE", ""), value.get("document_type", "")],
        keywords=keywords,
        url=value.get("url", ""),
        extra={"type": entry.get("ENTRYTYPE", ""), "key": key, "fields": extra_fields},
    )
