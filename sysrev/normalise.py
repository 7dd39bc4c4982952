"""Field normalisers shared by every reader of bibliographic data (search connectors and file imports).

Each function takes one raw field as a source delivered it (a PubMed XML element's text, a RIS tag value, a
CSV cell) and returns the canonical form that ``records.jsonl`` stores, so that dedup compares like with like:

* ``normalise_doi``   ``https://doi.org/10.1000/ABC`` → ``10.1000/abc`` (lower case, no resolver prefix)
* ``normalise_pmid``  ``PMID: 12345`` → ``12345``; ``normalise_pmcid`` ``6055010`` → ``PMC6055010``
* ``expand_pages``    ``575-86`` → ``575-586`` (the MEDLINE abbreviated page range written out)
* ``strip_markup``    HTML/MathML/JATS tags removed, entities decoded, white space collapsed
* ``parse_author``    ``Smith JA`` / ``John A. Smith`` / ``Smith, John A.`` → ``Smith, John A.``
* ``parse_year``      ``2018 Jul-Sep`` / ``2018/05/01`` / ``Spring 2019`` → 2018 / 2018 / 2019
* ``is_plain_number`` ``"12"`` → True; ``"²"``, ``"١٢"``, ``""`` → False (what ``int()`` can be trusted with)

Every function returns ``""`` (``None`` for the year) when the input holds nothing usable, and never raises
on odd text: a reader decides whether a missing value deserves a warning.
"""

import html
import re
import unicodedata
from urllib.parse import unquote

__all__ = [
    "clean_text",
    "expand_pages",
    "normalise_doi",
    "normalise_issn",
    "normalise_pmcid",
    "normalise_pmid",
    "parse_author",
    "parse_year",
    "split_list",
    "strip_markup",
]

_WS = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")


def is_plain_number(value: str) -> bool:
    """True for ASCII digits only. ``str.isdigit()`` also accepts superscripts (``"²"``), which ``int()``
    refuses, and other scripts' digits, which a field of a Latin-script export does not mean as a number."""
    return value.isascii() and value.isdigit()


def clean_text(value) -> str:
    """``value`` as an NFC-normalised string with runs of white space (newlines, NBSP) collapsed and trimmed.

    NFC makes a decomposed "i" + combining acute (as LaTeX and some PDFs produce) equal to a precomposed "í".
    Invisible characters are removed: zero-width spaces (PubMed abstracts carry them; after a DOI, one made
    the same DOI from two databases differ), word joiners, byte-order marks and soft hyphens.
    """
    if value is None:
        return ""
    text = str(value)
    if text.isascii():
        # Most values arrive clean (readers clean a field, then the mapping cleans it again): printable ASCII
        # holds no white space but the space, so without a double or an outer space there is nothing to do.
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
    else:
        text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))  # a no-break space is white space to _WS
    return _WS.sub(" ", text).strip()


# --- markup ------------------------------------------------------------------------------------------------

# Tags removed by strip_markup: any namespaced tag (mml:mi, jats:p, ...) and the un-prefixed HTML, MathML and
# JATS inline tags that publishers leave in titles and abstracts. A fixed list (rather than "anything between
# < and >") keeps text such as "p<0.05 and a > b" or "<i>" written as an entity intact.
_INLINE_TAGS = (
    "a abbr b big bold br cite code dd div dl dt em font h[1-6] hr i italic li ol p pre q s small span strike "
    "strong sub sup sc tt u ul "
    "math mi mn mo ms mtext mspace mrow mfrac msqrt mroot mstyle merror mpadded mphantom mfenced menclose msub "
    "msup msubsup munder mover munderover mmultiscripts mtable mtr mtd semantics annotation annotation-xml none "
    "mprescripts "
    "abstract abstracttext title sec label caption list list-item named-content inline-formula "
    "disp-formula tex-math xref ext-link uri underline overline monospace roman sans-serif"
).split()
_TAG = re.compile(
    r"</?(?:[A-Za-z][\w.-]*:[A-Za-z][\w.-]*|(?:" + "|".join(_INLINE_TAGS) + r"))(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# Block-level tags become a space so that "<p>One.</p><p>Two.</p>" does not read "One.Two.".
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|sec|abstracttext|h[1-6]|tr|td)(?:\s[^<>]*)?/?>", re.IGNORECASE)


def strip_markup(value) -> str:
    """Text without HTML/MathML/JATS tags, with character entities decoded and white space collapsed.

    Tags are removed before entities are decoded, so an escaped ``&lt;i&gt;`` survives as the literal
    text ``<i>``; the text inside tags (e.g. MathML ``<mi>x</mi>``) is kept.
    """
    text = clean_text(value)
    if "<" not in text and "&" not in text:  # no tag and no entity: already what the steps below would give
        return text
    text = _BLOCK_TAG.sub(" ", text)
    text = _TAG.sub("", text)
    return clean_text(html.unescape(text))


# --- identifiers -------------------------------------------------------------------------------------------

_DOI = re.compile(r"10\.\d{3,9}/\S+")
_DOI_TRAILING = ".,;:)]}>\"'"


def normalise_doi(value) -> str:
    """The DOI in ``value``, lower-cased, without ``doi:`` or a resolver URL; ``""`` when there is none.

    DOIs are case-insensitive (DOI Handbook §2.4), so lower case is their canonical comparison form.
    URL-encoded DOIs (``10.1002%2Fabc``) are decoded; trailing punctuation picked up from running text is
    dropped, as is a trailing unbalanced parenthesis.
    """
    text = clean_text(value)
    if not text:
        return ""
    if "%" in text:
        text = unquote(text)
    match = _DOI.search(text)
    if not match:
        return ""
    doi = match.group(0)
    while doi and doi[-1] in _DOI_TRAILING:
        if doi[-1] == ")" and doi.count("(") >= doi.count(")"):
            break
        doi = doi[:-1]
    return doi.lower()


_PMID = re.compile(r"(?<!\d)(\d{1,9})(?!\d)")


def normalise_pmid(value) -> str:
    """The PubMed ID in ``value`` as a string of digits without leading zeros; ``""`` when there is none.

    Accepts ``12345``, ``PMID: 12345``, ``12345 [pmid]``, ``https://pubmed.ncbi.nlm.nih.gov/12345/`` and
    the float form a spreadsheet makes of an ID column (``12345.0``). A value that mentions another
    identifier scheme (``PMC…``, ``DOI``) is not taken for a PMID.
    """
    text = clean_text(value)
    if not text:
        return ""
    lowered = text.lower()
    if "pmc" in lowered or ("10." in lowered and "/" in lowered and "pubmed" not in lowered):
        return ""
    match = _PMID.search(text)
    if not match:
        return ""
    return match.group(1).lstrip("0")


def normalise_pmcid(value) -> str:
    """The PubMed Central ID in ``value`` as ``PMC`` + digits (``6055010`` → ``PMC6055010``); else ``""``."""
    text = clean_text(value)
    match = re.search(r"PMC\s*(\d{1,9})", text, re.IGNORECASE) or re.fullmatch(r"(\d{1,9})(?:\.0)?", text)
    if not match:
        return ""
    return "PMC" + match.group(1).lstrip("0")


def normalise_issn(value) -> str:
    """The first ISSN in ``value`` as ``NNNN-NNNX`` (upper-case check digit); ``""`` when there is none."""
    match = re.search(r"(?<![\dX])(\d{4})-?(\d{3}[\dXx])(?![\dX])", clean_text(value))
    if not match:
        return ""
    return f"{match.group(1)}-{match.group(2).upper()}"


# --- pages, years ------------------------------------------------------------------------------------------

_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")
_PAGE = re.compile(r"^([A-Za-z]*)(\d+)([A-Za-z]*)$")


def expand_pages(value) -> str:
    """A page range with its end written out in full: ``575-86`` → ``575-586``, ``R12-5`` → ``R12-R15``.

    Any dash (hyphen, en dash, minus) becomes ``-``; ``575-575`` and ``575-`` become ``575``. Ranges that are
    not a pair of (optionally prefixed) numbers, e.g. ``e1234`` or ``iii-xii``, are returned cleaned but
    otherwise as given, as is a range whose end would still precede its start.
    """
    text = _undo_spreadsheet_date(clean_text(value))
    if not text:
        return ""
    parts = [p for p in _DASHES.split(text) if p]
    if len(parts) == 1:
        return parts[0]
    if len(parts) != 2:
        return _DASHES.sub("-", text)
    first, last = (_PAGE.match(p) for p in parts)
    if not first or not last:
        return "-".join(parts)
    prefix, start, suffix = first.groups()
    end_prefix, end = last.group(1), last.group(2)
    if end_prefix and prefix and end_prefix.lower() != prefix.lower():
        return "-".join(parts)
    if len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    if int(end) < int(start):
        return "-".join(parts)
    if end == start and not last.group(3):
        return parts[0]
    return f"{prefix}{start}{suffix}-{prefix or end_prefix}{end}{last.group(3)}"


_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DAY_MONTH = re.compile(r"(\d{1,2})-([A-Za-z]{3})")
_MONTH_YEAR = re.compile(r"([A-Za-z]{3})-(\d{2})")


def _undo_spreadsheet_date(text: str) -> str:
    """A page range a spreadsheet turned into a date, given back when only one page range can have made it.

    Excel reads ``1-13`` as January 2013 and shows ``Jan-13``: that is pages 1-13. It reads ``1-4`` as the 1st
    of April where days come first and shows ``01-Apr``, but as the 4th of January where months come first,
    shown ``04-Jan``; which was typed cannot be known from the value, so both readings are tried (with
    MEDLINE's shortened ends: ``21-8`` is 21-28) and the value is given back only when exactly one of them is
    a forward range (``01-Apr``: 1-4, not 4-1). ``21-Aug`` (21-28 or 8-21) stays as it is, and so unusable as
    pages, rather than be guessed; so does any other text."""
    month_year = _MONTH_YEAR.fullmatch(text)
    if month_year and month_year.group(1).lower() in _MONTHS:
        first, last = _MONTHS[month_year.group(1).lower()], int(month_year.group(2))
        return f"{first}-{last}" if first <= last else text
    day_month = _DAY_MONTH.fullmatch(text)
    if not (day_month and day_month.group(2).lower() in _MONTHS):
        return text
    day, month = int(day_month.group(1)), _MONTHS[day_month.group(2).lower()]
    readings = {reading for reading in (_forward_range(day, month), _forward_range(month, day)) if reading}
    return readings.pop() if len(readings) == 1 else text


def _forward_range(first: int, last: int) -> str:
    """``first-last`` written out (``21-8`` → ``21-28``), or ``""`` when it runs backwards."""
    start, end = str(first), str(last)
    end = start[: max(len(start) - len(end), 0)] + end
    return f"{first}-{end}" if int(end) >= first else ""


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")
_YYYYMMDD = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])(?!\d)")


def parse_year(value) -> int | None:
    """The first plausible year (1500–2100) in ``value`` (``2018 Jul-Sep``, ``2018/05/01``, ``Spring 2019``,
    or a compact date ``20170812``).

    A number is read as its text (a spreadsheet's ``2019.0``, or ``20170812``); ``None`` when the value holds
    no year (``in press``, ``True``).
    """
    if value is None:
        return None
    text = clean_text(value)
    match = _YEAR.search(text) or _YYYYMMDD.search(text)
    return int(match.group(1)) if match else None


# --- authors -----------------------------------------------------------------------------------------------

_PARTICLES = {
    "da", "dal", "de", "del", "della", "der", "des", "di", "dos", "du", "el", "la", "le", "ten", "ter", "van",
    "vande", "vanden", "vander", "von", "zu", "af", "bin", "ibn", "al",
}
# What some exporters write for a missing given name (Citavi: "van den Hoven,null").
_PLACEHOLDERS = {"null", "none", "undefined"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"}
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_GROUP_WORDS = re.compile(
    r"\b(group|grp|consortium|committee|collaborat\w*|investigators?|society|association|network|trialists|"
    r"council|organi[sz]ation|institute|team|working|panel|task force|foundation|study)\b",
    re.IGNORECASE,
)


def parse_author(value) -> str:
    """One author name as ``"Family, Given"`` (``"Family"`` alone when no given name is known).

    Understands ``Family, Given`` (RIS, BibTeX, MEDLINE FAU), MEDLINE's ``Family GI`` (trailing initials),
    and ``Given Family`` in natural order with lower-case particles kept with the family name
    (``Ludwig van Beethoven`` → ``van Beethoven, Ludwig``). A suffix (Jr, III) goes after the given names.
    Collective authors (``The ABC Trial Group``) are returned as written, without a comma.
    """
    text = strip_markup(value).strip(" ,;")
    if not text:
        return ""
    if "," in text:
        family, _, given = (p.strip() for p in text.partition(","))
        given_parts = [p.strip() for p in given.split(",") if p.strip()]
        # "Smith, Jr., John" (BibTeX's von Last, Jr, First) → the suffix goes after the given names.
        if len(given_parts) > 1 and given_parts[0].lower() in _SUFFIXES:
            given_parts = given_parts[1:] + given_parts[:1]
        given = " ".join(p for p in given_parts if p.lower() not in _PLACEHOLDERS)
        return f"{family}, {given}" if given else family
    tokens = text.split()
    if len(tokens) == 1 or _GROUP_WORDS.search(text) or len(tokens) > 5:
        return text
    suffix = ""
    if tokens[-1].lower() in _SUFFIXES:
        suffix = tokens.pop()
        if len(tokens) == 1:  # "Smith Jr": a family name and its suffix, as "Smith, Jr" reads
            return f"{tokens[0]}, {suffix}"
    if _INITIALS.match(tokens[-1]) and len(tokens) >= 2 and not _INITIALS.match(tokens[0]):
        # MEDLINE AU / Scopus / EPPI style: "Smith JA", "van der Berg J.", "Smith J.A.", "Brownstein C D"
        split = len(tokens) - 1
        while split > 1 and _INITIALS.match(tokens[split - 1]):
            split -= 1
        family, given = " ".join(tokens[:split]), " ".join(tokens[split:])
    else:
        split = len(tokens) - 1
        while split > 1 and tokens[split - 1].lower() in _PARTICLES:
            split -= 1
        if split == 1 and tokens[0] in _PARTICLES:  # written in lower case: a family name with its particle and
            return f"{text} {suffix}".strip()      # no given name ("van Beethoven"; "Bin Zhao" is given, family)
        family, given = " ".join(tokens[split:]), " ".join(tokens[:split])
    if suffix:
        given = f"{given} {suffix}"
    return f"{family}, {given}"


def split_list(value, separators=";") -> list[str]:
    """Split a delimited cell (``a; b; c``) into cleaned, non-empty items, keeping their order."""
    text = clean_text(value)
    if not text:
        return []
    pattern = "|".join(re.escape(s) for s in separators)
    return [item for item in (clean_text(p) for p in re.split(pattern, text)) if item]
