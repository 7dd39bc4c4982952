"""Read a labelled screening data set (DATA.csv of ``sysrev screen simulate``) as ASReview LAB reads one.

Review teams bring the CSV files their tools wrote: ASReview LAB exports, the SYNERGY and Cohen sets, sheets
saved by Excel on Windows. So column names are compared as ASReview LAB compares them, lower-cased with the
surrounding spaces removed, and every name ASReview LAB accepts for a role is accepted here. The names and
their order come from ASReview LAB's own source: asreview 3.0.8, ``asreview/data/base.py``,
``BaseReader.__alternative_column_names__`` (the aliases) and ``BaseReader.standardize_column_names`` (the
canonical name first, then the aliases in list order; the first present is used). For the label, sysrev's
own ``label_included`` comes first. The delimiter may be a comma, a semicolon or a tab, as ASReview LAB's
sniffing allows; an Excel workbook (.xlsx, .xls) is read from its first sheet, as ASReview LAB reads one, with
the row numbers of the sheet as line numbers.

The bytes are decoded by :mod:`sysrev.formats.decode`, the decoding every reference import uses: UTF-8 (a
byte-order mark is dropped), UTF-16 with its BOM, else cp1252 with a warning, so a Windows or Latin-1 export
is read and the reviewer is told which encoding was assumed. (ASReview LAB falls back to ISO-8859-1; cp1252
agrees with it on every printable Latin-1 character and also reads Word's dashes and quotes.)
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.csv_quotes import OPEN, offset_of_line, quote_state_at_end
from sysrev.errors import InputError
from sysrev.formats import refuse_binary
from sysrev.formats.decode import decode_bytes
from sysrev.formats.workbook import workbook_as_csv, workbook_kind
from sysrev.wording import named

TITLE_NAMES = ("title", "primary_title")
ABSTRACT_NAMES = ("abstract", "notes_abstract", "abstract note")
# ASReview LAB's canonical "included" first, then its aliases in its order, with sysrev's label_included ahead.
LABEL_NAMES = ("label_included", "included", "asreview_label", "label", "final_included", "included_label",
               "included_final", "included_flag", "include")


@dataclass
class LabelledSet:
    """A labelled screening data set: one text and one 0/1 label per data row, and warnings for the reviewer
    (the encoding assumed, columns passed over)."""

    texts: list
    labels: list
    warnings: list = field(default_factory=list)


def read_labelled_csv(path, label_column: str | None = None) -> LabelledSet:
    """Read DATA.csv: a title, an abstract and a 0/1 label column (other columns, keywords too, are not used:
    the ranking model reads title and abstract, see :mod:`sysrev.screening.ranking`).

    ``label_column`` names the label column (any case, surrounding spaces ignored); without it the first of
    :data:`LABEL_NAMES` present is used. Errors name the file and the line of the first bad row; labels are
    0 or 1 (``1.0``/``0.0``, yes/no, y/n and true/false too, in any case), anything else, an empty cell
    included, is an error (a simulation needs every record's label).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=path) from None
    workbook = workbook_kind(data)
    if workbook:  # an Excel sheet, as ASReview LAB reads one: its first sheet, one row per line
        text, warnings, delimiter = workbook_as_csv(data, workbook, path=path), [], ","
    else:
        refuse_binary(data, path, use="simulate on",
                      needs="a CSV (UTF-8) of title, abstract and a 0/1 label per record, one row per record")
        decoded = decode_bytes(data, name=str(path))
        if decoded.cut_mid_character:
            raise InputError("the file ends in the middle of a UTF-8 character: it looks cut off (an interrupted "
                             "download or copy?)", path=path)
        text, warnings = decoded.text, list(decoded.warnings)
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        try:
            title, abstract, label = _find_columns(header, label_column, path, warnings)
        except InputError:
            _refuse_reference_file(text, path)
            raise
        rows, start = [], reader.line_num + 1  # each row with the lines it starts and ends on
        for row in reader:
            rows.append((start, reader.line_num, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None
    if rows and quote_state_at_end(text[offset_of_line(text, rows[-1][0]):],
                                   delimiter=delimiter) == OPEN:
        # the csv module reads the rest of the file into the open cell: rows would run together unseen
        raise InputError("a quoted cell of the last row is never closed (the file ends inside it): the file looks "
                         "cut off (an interrupted download or copy?)", path=path, line=rows[-1][0])
    texts, labels = [], []
    for _start, line, row in rows:  # a label error names the line the label cell is on, the row's last
        if not row:
            continue
        value = _cell(row, label).strip()
        decision = _label(value)
        if decision is None:
            raise InputError(f"{header[label].strip()} must be 0 or 1 (or yes/no, true/false), found {value!r}",
                             path=path, line=line)
        texts.append(" ".join(cell for cell in (_cell(row, title), _cell(row, abstract)) if cell))
        labels.append(decision)
    if not texts:
        raise InputError("no data rows", path=path)
    return LabelledSet(texts, labels, warnings)


_FORMAT_NAMES = {"ris": "RIS", "nbib": "MEDLINE/NBIB", "bibtex": "BibTeX", "endnote_xml": "EndNote XML",
                 "pubmed_xml": "PubMed XML", "wos": "Web of Science", "endnote_tagged": "EndNote tagged",
                 "csl_json": "CSL-JSON", "ovid_display": "Ovid display", "proquest_text": "ProQuest text",
                 "ctgov_json": "ClinicalTrials.gov JSON", "ictrp_xml": "WHO ICTRP XML",
                 "openalex_json": "OpenAlex JSON", "cochrane_text": "Cochrane Library plain text"}


def _refuse_reference_file(text: str, path) -> None:
    """An InputError naming the format when ``text`` is a reference file (RIS, MEDLINE, BibTeX …) rather than
    a CSV: its missing columns would say nothing useful."""
    from sysrev.formats.detect import detect_format

    try:
        kind = detect_format(text)
    except InputError:  # not a reference file either: the missing columns are the error to show
        return
    if kind != "csv":
        raise InputError(f"this is a reference file ({_FORMAT_NAMES.get(kind, kind)}), not a CSV: simulate reads "
                         "a CSV with title, abstract and 0/1 label columns (ASReview LAB, Rayyan and Covidence "
                         "export one)", path=path)


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most cells: comma, semicolon or tab.

    ASReview LAB sniffs the delimiter too; Excel writes semicolons where the comma is the decimal mark, and
    tab-separated files are common. A tie keeps the comma.
    """
    def cells(delimiter):
        try:
            return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
        except csv.Error:
            return 0
    return max((",", ";", "\t"), key=cells)


def _find_columns(header, label_column, path, warnings):
    """Indexes of the title, abstract and label columns of ``header`` (None for an absent title or abstract).

    A label column and at least one of title and abstract are needed: ASReview LAB, too, simulates on titles
    alone or abstracts alone, and some exports have only one of them; a warning says which one is used. Two
    columns matching the name chosen for one role (``Title`` and ``title``) are an error: no rule can say
    which one the team meant. Columns with a later alias of a role than the one used are passed over with a
    warning, as ASReview LAB passes over them silently.
    """
    keys = [name.strip().lower() for name in header]
    label_names = LABEL_NAMES if label_column is None else (label_column.strip().lower(),)
    roles = (("title", TITLE_NAMES), ("abstract", ABSTRACT_NAMES), ("label", label_names))
    found, missing = [], []
    for role, names in roles:
        present = [name for name in names if name in keys]
        if not present:
            found.append(None)
            missing.append((role, names))
            continue
        hits = [i for i, key in enumerate(keys) if key == present[0]]
        if len(hits) > 1:
            raise InputError(f"columns {', '.join(repr(header[i]) for i in hits)} (columns "
                             f"{', '.join(str(i + 1) for i in hits)}) both name the {role}; rename or remove one",
                             path=path, line=1)
        found.append(hits[0])
        passed_over = [header[i] for i, key in enumerate(keys) if key in present[1:]]
        if passed_over:
            hint = " (choose another with --label-column)" if role == "label" else ""
            warnings.append(f"{path}: {role} read from column {header[hits[0]]!r}; "
                            f"{named('column', (repr(name) for name in passed_over))} not used{hint}")
    texts_missing = [(role, names) for role, names in missing if role != "label"]
    if len(texts_missing) < len(missing) or len(texts_missing) == 2:
        parts = {role: f"{role} (accepted: {', '.join(names)}"
                 + (", or another name given with --label-column" if role == "label" and label_column is None
                    else "") + _lookalike_hint(role, names, header) + ")" for role, names in missing}
        if len(texts_missing) == 2:  # either one would do
            parts = {"texts": f"{parts.pop('title')} or {parts.pop('abstract')}: at least one is needed", **parts}
        wanted = "; ".join(parts.values())
        noun = "column" if len(parts) == 1 else "columns"
        raise InputError(f"missing {noun} {wanted}; names are matched in any case, surrounding spaces "
                         f"ignored (found: {', '.join(repr(name) for name in header) or 'none'})", path=path,
                         line=1)
    for role, names in texts_missing:
        used = "abstracts" if role == "title" else "titles"
        warnings.append(f"{path}: no {role} column (accepted: {', '.join(names)}{_lookalike_hint(role, names, header)}"
                        f"): the model ranks on the {used} alone")
    return found


def _lookalike_hint(role, names, header) -> str:
    """A hint naming the header's columns that look like a misspelt name for ``role`` (``abstracts``,
    ``Titel``; for the label also ``label1``, ``Included?``), or "" when there are none."""
    from difflib import get_close_matches

    keys = {name.strip().lower(): name for name in header}
    close = {match for name in names for match in get_close_matches(name, list(keys), n=3, cutoff=0.8)}
    if role == "label":
        close |= {key for key in keys if "label" in key or "includ" in key}
    found = [keys[key] for key in keys if key in close]
    if not found:
        return ""
    if role == "label":
        return f"; perhaps --label-column {found[0]!r}" + (f" (or {', '.join(map(repr, found[1:]))})" if found[1:]
                                                           else "")
    return f"; rename column {found[0]!r} to {names[0]!r} if it holds the {role}s"


def _cell(row, index) -> str:
    """The cell at ``index``; empty for an absent column or a row shorter than the header."""
    return row[index] if index is not None and index < len(row) else ""


# Label words: ASReview LAB's (asreview/data/utils.py, ``standardize_included_label``: yes/no, y/n) and the
# booleans Excel and pandas write (TRUE/FALSE); compared in any case.
LABEL_WORDS = {"yes": 1, "y": 1, "true": 1, "no": 0, "n": 0, "false": 0}


def _label(value: str):
    """1 or 0 for a label cell holding 1 or 0 (``1.0``/``0.0`` too) or one of :data:`LABEL_WORDS`, else None."""
    if value.lower() in LABEL_WORDS:
        return LABEL_WORDS[value.lower()]
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number in (0.0, 1.0) else None
