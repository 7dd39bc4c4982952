"""BibTeX/BibLaTeX files (Scopus, Web of Science, EBSCO, Wiley, JabRef, Zotero, Google Scholar exports).

Parsed with bibtexparser 1.4 (``@string`` macros and month names expanded, non-standard entry types kept).
bibtexparser skips an entry it cannot parse without saying so, so the file is also scanned for ``@type{key``
openings and any entry the parser did not return is reported as an error naming its line.

That scan also delimits every entry by its balanced braces in one linear pass, and only the entries reach
bibtexparser: text between entries (which BibTeX ignores as comment) is blanked to its line breaks, an entry
that never closes is reported at once, and so is one far longer than any reference (:data:`MAX_ENTRY_CHARS`).
bibtexparser's parser backtracks badly on text that is not BibTeX (tens of seconds for a megabyte of
garbage); it now only ever sees well-delimited entries. LaTeX accents and
escapes (``Bostr\\"{o}m``, ``\\&``) are decoded to Unicode and formatting macros (``\\textit{…}``) dropped.

Mapping: the entry key is the source_id (for Scopus exports the EID from ``url``, the identifier a Scopus API
search gives; for Web of Science ``Unique-ID``), ``author`` split at top-level `` and `` (a braced ``{Smith and
Sons}`` stays one name), ``journal``/``journaltitle``/``booktitle`` → journal,
``shortjournal``/``journal-iso``/Scopus' ``abbrev_source_title`` → abbreviation, ``number``/``issue`` → issue,
``year``/``date`` (Web of Science early access: ``EarlyAccessDate``) → year, ``document_type``/``type`` → a
publication type, Scopus' ``art_number`` (BibLaTeX's ``eid``, unless a Scopus ``2-s2.0-`` record ID) → article
number (and pages when there are none), ``author_keywords`` (Scopus), ``keywords`` and ``keywords-plus`` (Web of
Science) split at ``;`` (at ``,`` when there is no ``;``), ``PMID: …`` in ``note``/``annote`` (Zotero) → PMID;
BibLaTeX's ``eprint`` gives the PMID or PMCID when ``eprinttype`` says so (Zotero: ``eprinttype = {pmid}``) and
``langid`` the language; every other field is kept in ``extra["fields"]``. A field name with a space in it (Scopus
writes ``funding_text 1``) is read with ``_`` for the space; strict BibTeX has no such names and bibtexparser would
drop the entry.
"""

import re
import unicodedata
from collections import Counter
from pathlib import Path

import bibtexparser
from bibtexparser.bibdatabase import UndefinedString
from bibtexparser.bparser import BibTexParser
from bibtexparser.latexenc import latex_to_unicode

from sysrev.csv_quotes import offset_of_line
from sysrev.errors import InputError
from sysrev.formats.fields import build_record, first, pmid_in_text, scopus_eid
from sysrev.formats.latex_symbols import expand_symbol_macros
from sysrev.formats.result import ParsedFile, Truncation

_ENTRY_START = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s}]*)", re.MULTILINE)
_KEYLESS = re.compile(r"^(\s*@\s*(?!(?:string|comment|preamble)\s*[{(])\w+\s*[{(]\s*)(,)", re.MULTILINE | re.IGNORECASE)
_NO_KEY_PREFIX = "sysrev-no-key-line-"
_SPACED_KEY = re.compile(r"^(\s*@\s*\w+\s*[{(]\s*)([^,=\s{}()]+(?:[ \t]+[^,=\s{}()]+)+)(\s*,)", re.MULTILINE)
# A field name with a space at the start of a line (Scopus writes "funding_text 1={…}", with a no-break space).
_SPACED_FIELD = re.compile(r"(,[ \t]*\r?\n[ \t]*[A-Za-z][\w-]*)[ \t\u00a0]+(\w+[ \t]*=[ \t]*[{\"])")
_NOT_RECORDS = {"string", "comment", "preamble"}
_EMPTY_ENTRY = re.compile(r"\s*@\s*\w+\s*[{(]\s*[^,\s{}()]*\s*,?\s*[})]")  # @misc{key,} with no field
_DELIMITERS = re.compile(r"[{}()]")
_BRACES = re.compile(r"[{}]")
_SPACE = re.compile(r"\s*")
_FIELD_NAME = re.compile(r"[^\s=,{}\"#()]+\s*=")
_BARE_VALUE = re.compile(r"[^\s,#{}\"=()]+")
# A quoted value: any text without a bare '"', braces balanced to two levels (deeper ones are rare in exports).
_QUOTED = re.compile(r'"(?:[^"{}]|\{(?:[^{}]|\{[^{}]*\})*\})*"')
# No real entry is longer: a full abstract and 100 authors come to some 20,000 characters.
MAX_ENTRY_CHARS = 200_000
_FORMAT_MACRO = re.compile(r"\\(?:textit|textbf|textsc|textrm|textsf|texttt|emph|mathrm|mathit|mbox|"
                           r"textsuperscript|textsubscript|textup|textnormal|url)\s*(?={)")
# LaTeX's accent commands and the combining marks they put on a letter. bibtexparser's decoder garbles some
# runs of them ("odpowiedzialno{\\'s}{\\'c}" → "odpowiedzialnoś\\", "{\\=a}{\\=e}" → "ā\\̄"), so sysrev decodes
# these itself, before it: "{\\'s}", "\\'{s}", "\\'s", "\\v{s}", "\\v s", and on a dotless i or j ("{\\'\\i}").
_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
              ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
              "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_ACCENT = (r"\\(?:(?P<symbol>['`^\"~=.])|(?P<word>[uvHckrdb])(?:\s+|(?=\{)))"
           r"(?:\{\s*(?P<braced>\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|(?P<bare>\\[ij](?![A-Za-z])|[A-Za-z]))")
_ACCENT_IN_BRACES = re.compile(r"\{" + _ACCENT + r"\}")
_ACCENT_BARE = re.compile(_ACCENT)
_KEYWORD_FIELDS = ("author_keywords", "keywords", "keywords-plus")
_MAPPED = {"ID", "ENTRYTYPE", "title", "abstract", "author", "year", "date", "journal", "journaltitle",
           "booktitle", "shortjournal", "journal-iso", "abbrev_source_title", "volume", "number", "issue", "pages",
           "doi", "pmid", "pmcid", "issn", "language", "url", "document_type", "type", *_KEYWORD_FIELDS}
_EPRINT_PMID = {"pmid", "pubmed"}
_EPRINT_PMCID = {"pmcid", "pmc"}


_LITERAL_OPEN, _LITERAL_CLOSE = "\ue000", "\ue001"  # private-use characters no export holds
# A literal brace: \{ or \}, or \textbraceleft / \textbraceright (which parse_bibtex writes for every escaped brace,
# so that one never opens or closes a value: _literal_escaped_braces).
_LITERAL_BRACE = re.compile(r"\\textbrace(?P<side>left|right)(?:\{\}|(?![A-Za-z]))|(?<!\\)\\(?P<char>[{}])")
_ESCAPED_BRACE = re.compile(r"(?<!\\)\\([{}])")
# A macro (``journal = jomch``, ``# jomch``) as the value of a field or a part of one, for finding its line.
_MACRO_USE = r"[=#]\s*{}\s*(?=[,#}})]|$)"
MAX_UNDEFINED_MACROS = 100  # each one costs bibtexparser another pass over the file


def latex_text(value) -> str:
    """A BibTeX field value as plain Unicode text: accents decoded, formatting macros and braces removed."""
    # An escaped brace is a literal one (a grouping brace is dropped): kept aside from the macros and from
    # latex_to_unicode, which drops every brace.
    text = _LITERAL_BRACE.sub(lambda m: _LITERAL_OPEN if "left" == m["side"] or "{" == m["char"] else _LITERAL_CLOSE,
                              str(value or ""))
    text = _FORMAT_MACRO.sub("", text)
    # a LaTeX line break (\\ before a space, an empty group or the end; \\[2pt]) is a space
    text = re.sub(r"\\\\(?:\[[^\]]*\]|\{\}|(?=\s|$))", " ", text)
    text = _ACCENT_BARE.sub(_accented, _ACCENT_IN_BRACES.sub(_accented, text))
    text = re.sub(r"\\[,;:! ]", " ", text)  # LaTeX spacing commands (50\,% → 50 %)
    text = re.sub(r"(?<!\\)~", " ", text)  # a tie is a space; \~{n} is an accent
    text = expand_symbol_macros(text)  # \kappa, \leq, CO$_2$ … before latex_to_unicode misreads them
    text = re.sub(r"(?<!\\)\$", "", text)  # math-mode delimiters left unpaired
    text = re.sub(r"\\([$#])", r"\1", latex_to_unicode(text))
    return text.replace(_LITERAL_OPEN, "{").replace(_LITERAL_CLOSE, "}")


def _accented(match) -> str:
    """The letter of an accent command with its accent, as one character where Unicode has one."""
    letter = (match.group("braced") or match.group("bare")).lstrip("\\")  # an accent on \i or \j: on i or j
    return unicodedata.normalize("NFC", letter + _COMBINING[match.group("symbol") or match.group("word")])


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
    names = [part for name in names for part in _comma_listed(name)]
    return [latex_text(n).strip() for n in names if n.strip() and n.strip().lower() != "others"]


def _comma_listed(name: str) -> list[str]:
    """One BibTeX name, or the names a comma-joined list holds (the Cochrane Library's BibTeX export).

    The Cochrane Library writes ``{Huey, SL, Mehta, NH, and Mehta, S}``: ``and`` only before the last name,
    commas between the others. BibTeX allows at most two commas in one name (``von Last, Jr, First``), so a
    piece with more, in an even number of comma-separated parts, is read as ``Last, First`` pairs; the
    comma left before ``and`` is dropped. Braced commas (``{Smith, Jones and Co}``) are not split.
    """
    name = re.sub(r",\s*$", "", name)
    parts = _top_level_commas(name)
    if len(parts) < 4 or len(parts) % 2 or not all(part.strip() for part in parts):
        return [name]
    return [f"{parts[i].strip()}, {parts[i + 1].strip()}" for i in range(0, len(parts), 2)]


def _top_level_commas(name: str) -> list[str]:
    """``name`` split at the commas outside braces."""
    parts, depth, current = [], 0, []
    for char in name:
        depth += (char == "{") - (char == "}")
        if char == "," and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _entry_openings(text: str):
    """``[(line, key)]`` of every record entry (not @string/@comment/@preamble) in ``text``."""
    found, line, counted = [], 1, 0
    for match in _ENTRY_START.finditer(text):
        line += text.count("\n", counted, match.start(1))  # counted on from the previous match: linear
        counted = match.start(1)
        if match.group(1).lower() not in _NOT_RECORDS:
            found.append((line, match.group(2)))
    return found


def _repair_spaced_keys(text: str, path) -> tuple[str, list[str]]:
    """Replace white space inside entry keys (``@article{Conference paper2022,``) by ``_``, with a warning.

    Such keys are invalid BibTeX, but some exports write them; bibtexparser would drop the entry.
    """
    warnings = []
    counted = [0, 1]  # (offset, line there): lines are counted on from the previous key, in linear time

    def fix(match):
        counted[1] += text.count("\n", counted[0], match.start())
        counted[0] = match.start()
        line = counted[1]
        key = re.sub(r"\s+", "_", match.group(2).strip())
        warnings.append(f"{path}, line {line}: entry key {match.group(2).strip()!r} contains spaces; read as "
                        f"{key!r}")
        return match.group(1) + key + match.group(3)

    return _SPACED_KEY.sub(fix, text), warnings


def _name_keyless_entries(text: str, path) -> tuple[str, list[str]]:
    """Give each record entry without a key (``@article{,``, as JabRef saves one) a placeholder key, which
    :func:`_to_record` reads as no key; bibtexparser would drop such an entry. One warning counts them."""
    counted = [0, 1]  # (offset, line there), as in _repair_spaced_keys

    def name(match):
        counted[1] += text.count("\n", counted[0], match.start())
        counted[0] = match.start()
        return f"{match.group(1)}{_NO_KEY_PREFIX}{counted[1]}{match.group(2)}"

    named, count = _KEYLESS.subn(name, text)
    if not count:
        return text, []
    return named, [f"{path}: {count} entr{'y has' if count == 1 else 'ies have'} no key (as in '@article{{,'); "
                   "each is named by its file and line"]


def entries_only(text: str, *, path="file") -> tuple[str, Truncation | None, list]:
    """``text`` with everything outside its ``@type{…}`` entries replaced by its line breaks (so lines keep
    their numbers), the cut when the file ends inside its last entry (that entry is then left out), and
    warnings for entries read line by line (:func:`_fields_by_line`).

    Raises InputError at an entry that never closes while others follow it (a missing brace), or one that is
    implausibly long. Linear time."""
    out, position, line, previous, warnings = [], 0, 1, None, []
    for opening in _ENTRY_START.finditer(text):
        if opening.start() < position:
            continue  # an '@' line inside the previous entry
        _no_stray_fields(text, position, opening.start(), line, previous, path)
        previous = opening.group(2)
        gap_lines = text.count("\n", position, opening.start())
        line += gap_lines
        at_sign = line + text.count("\n", opening.start(), opening.start(1))  # '^\s*' may span blank lines
        end = _entry_end(text, opening.start())
        at = text.index("@", opening.start())
        by_line = _fields_by_line(text, at) if _braces_fail(text, opening, end) else None
        if by_line is not None:
            entry, end, unbalanced = by_line
            entry = text[opening.start():at] + entry
            names = ", ".join(f"'{name}' (line {at_sign + offset})" for offset, name in unbalanced)
            warnings.append(f"{path}, line {at_sign}: the braces of entry '{opening.group(2)}' do not balance in "
                            f"{'the field' if len(unbalanced) == 1 else 'the fields'} {names}; as the entry "
                            "writes one field per line (as EBSCO does), each line was read as one field, its "
                            "braces as text")
            out.append("\n" * gap_lines)
            out.append(entry)
            line += text.count("\n", opening.start(), end)
            position = end
            continue
        if end is None and _ENTRY_START.search(text, opening.end()) is None:
            out.append("\n" * text.count("\n", position))
            cut = Truncation(line=at_sign, what=f"the last entry '{opening.group(2)}' is never closed (its braces "
                             "are still open at the end of the file)",
                             records=0 if opening.group(1).lower() in _NOT_RECORDS else 1)
            return "".join(out), cut, warnings
        if end is None:
            raise InputError(f"BibTeX entry '{opening.group(2)}' is never closed (unbalanced braces from here to "
                             "the end of the file); not a BibTeX file, or a brace is missing", path=path,
                             line=at_sign)
        kind = opening.group(1).lower()
        if kind == "preamble":  # LaTeX for typesetting, no reference: left out, so a free-text one is no error
            out.append("\n" * text.count("\n", position, end))
            line += text.count("\n", opening.start(), end)
            position = end
            continue
        body = _DELIMITERS.search(text, opening.start()).end()
        fault = None if kind == "comment" else _malformed_at(text, body, end - 1, keyed=kind not in _NOT_RECORDS)
        if fault is not None:
            at = line + text.count("\n", opening.start(), fault)
            near = text[fault:fault + 40].split("\n", 1)[0].strip()
            where = f" at line {at}, near {near!r}" if near and at != at_sign else (f" near {near!r}" if near else "")
            raise InputError(f"BibTeX entry '{opening.group(2)}' could not be parsed{where} (not 'name = value' "
                             "fields separated by commas: unbalanced braces or quotes, or a missing comma?)",
                             path=path, line=at_sign)
        if end - opening.start() > MAX_ENTRY_CHARS:
            raise InputError(f"BibTeX entry '{opening.group(2)}' is {(end - opening.start()) // 1000} KB long; no "
                             "reference is, so this is not a BibTeX export (or braces are unbalanced)",
                             path=path, line=at_sign)
        out.append("\n" * gap_lines)
        out.append(text[opening.start():end])
        line += text.count("\n", opening.start(), end)
        position = end
    _no_stray_fields(text, position, len(text), line, previous, path)
    out.append("\n" * text.count("\n", position))
    return "".join(out), None, warnings


# One field on one line, as EBSCO writes its BibTeX: "Keywords = {…},", the value from the first brace to the last.
_FIELD_LINE = re.compile(r"[ \t]*([A-Za-z][\w-]*)[ \t]*=[ \t]*(?:\{(.*)\}|(\d+))[ \t]*,?[ \t]*")
_OPENING_LINE = re.compile(r"[ \t]*@[ \t]*\w+[ \t]*\{[ \t]*[^,\s{}()]+[ \t]*,[ \t]*")


def _braces_fail(text: str, opening, end: int | None) -> bool:
    """Whether the entry at ``opening``, delimited by its braces (``end``; None: never closed), fails to read
    as one: its fields stop reading before its end, a field follows it outside every entry, or it never closes
    while another entry follows."""
    following = _ENTRY_START.search(text, opening.end())
    if end is None:
        return following is not None
    if opening.group(1).lower() in _NOT_RECORDS:
        return False
    body = _DELIMITERS.search(text, opening.start()).end()
    if _malformed_at(text, body, end - 1, keyed=True) is not None:
        return True
    return _STRAY_FIELD.search(text, end, following.start() if following else len(text)) is not None


def _fields_by_line(text: str, start: int):
    """The entry starting at ``start`` read line by line, for an entry whose braces do not balance: when its
    opening line is ``@type{key,`` alone, every line up to a line holding only ``}`` is one ``name = {value},``
    (or ``name = 2000,``) field, or blank, each line is one field, its value running from the first brace to
    the last. Returns the entry rewritten with the braces of unbalanced values as literal braces (same lines),
    where it ends in ``text``, and ``[(line offset, field name)]`` of those values; None when the entry is not
    laid out so (its braces then stay an error)."""
    lines, position = [], start
    while position < len(text):
        stop = text.find("\n", position)
        stop = len(text) if stop == -1 else stop + 1
        lines.append((position, text[position:stop]))
        position = stop
        if lines[-1][1].strip() in ("}", ")") and len(lines) > 1:
            break
    else:
        return None  # the file ends before a closing line
    if not _OPENING_LINE.fullmatch(lines[0][1].rstrip("\r\n")):
        return None
    rewritten, unbalanced = [lines[0][1]], []
    for offset, (_, content) in enumerate(lines[1:-1], start=1):
        body = content.rstrip("\r\n")
        if not body.strip():
            rewritten.append(content)
            continue
        field = _FIELD_LINE.fullmatch(body)
        if field is None:
            return None
        value = field.group(2)
        if value is not None and not _balanced(value):
            unbalanced.append((offset, field.group(1)))
            value = _BRACES.sub(_brace_as_text, value)
            content = f"{field.group(1)} = {{{value}}},{content[len(body):]}"
        rewritten.append(content)
    if not unbalanced:
        return None
    closing_start, closing = lines[-1]
    end = closing_start + closing.index(closing.strip()) + 1
    rewritten.append(text[closing_start:end])
    return "".join(rewritten), end, unbalanced


def _balanced(value: str) -> bool:
    depth = 0
    for brace in _BRACES.finditer(value):
        depth += 1 if brace.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


# A field outside every entry: text between entries is ignored (as BibTeX ignores it), which is right for comments
# but loses the fields of an entry that a stray closing brace ended early.
# A bare number counts only alone to the end of its line ("year = 2001,"), as a field would be written.
_STRAY_FIELD = re.compile(r"^[ \t]*,?[ \t]*([A-Za-z][\w-]*)[ \t]*=[ \t]*(?:[{\"]|\d+[ \t]*,?[ \t]*$)", re.MULTILINE)


_FIELD_AFTER_CLOSE = re.compile(r"[ \t]*,[ \t]*([A-Za-z][\w-]*)[ \t]*=")


def _no_stray_fields(text: str, start: int, stop: int, line: int, previous: str | None, path) -> None:
    """Raise InputError when the text between two entries (``text[start:stop]``, its first line ``line``) holds
    a ``name = {…`` field: the entry ``previous`` closed before its fields ended (a field may then follow on
    the closing brace's own line, after a comma)."""
    after_close = _FIELD_AFTER_CLOSE.match(text, start, stop) if previous is not None else None
    stray = after_close or _STRAY_FIELD.search(text, start, stop)
    if not stray:
        return
    after = f"after entry '{previous}' " if previous else "before the first entry "
    raise InputError(f"the field '{stray.group(1)}' {after}is outside every entry, so it would be lost: a closing "
                     "brace too many ended the entry early, or the line opening its entry ('@article{key,') is "
                     "damaged; mend the file there and import it again (nothing was imported)", path=path,
                     line=line + text.count("\n", start, stray.start()))


def _malformed_at(text: str, pos: int, end: int, *, keyed: bool) -> int | None:
    """None when ``text[pos:end]`` (an entry's body after its key's first character) is ``key, name = value,
    …`` (``keyed``) or ``name = value`` (``@string``) or a value (``@preamble``): values braced, quoted, bare
    words or numbers, joined by ``#``; otherwise where it stops being so (the start of the field or value that
    does not read). One linear pass; bibtexparser gets only entries that pass."""
    if keyed:
        comma = text.find(",", pos, end)
        if comma == -1:
            ok = not text[pos:end].strip(" \t\r\n\\") or bool(re.fullmatch(r"[^\s{}]*\s*", text[pos:end]))
            return None if ok else pos
        pos = comma + 1
    elif _FIELD_NAME.match(text, pos, end) is None:
        start = _skip(text, pos, end)
        pos = _value_end(text, start, end)  # @preamble{"…"}
        return None if pos is not None and _skip(text, pos, end) == end else start
    while True:
        pos = _skip(text, pos, end)
        if pos == end:
            return None
        name = _FIELD_NAME.match(text, pos, end)
        if name is None:
            return pos
        field_end = _value_end(text, name.end(), end)
        if field_end is None:
            return pos
        pos = _skip(text, field_end, end)
        if pos < end:
            if text[pos] != ",":
                return pos
            pos += 1


def _value_end(text: str, pos: int, end: int) -> int | None:
    """The end of the value (parts joined by ``#``) starting at ``pos``, or None when it is malformed."""
    while True:
        pos = _skip(text, pos, end)
        if pos >= end:
            return None
        char = text[pos]
        if char == "{":
            depth = 0
            for match in _BRACES.finditer(text, pos, end):
                depth += 1 if match.group() == "{" else -1
                if depth == 0:
                    pos = match.end()
                    break
            else:
                return None
        elif char == '"':
            quote = _QUOTED.match(text, pos, end)
            if quote is None:
                return None
            pos = quote.end()
        else:
            word = _BARE_VALUE.match(text, pos, end)
            if word is None:
                return None
            pos = word.end()
        after = _skip(text, pos, end)
        if after < end and text[after] == "#":
            pos = after + 1
            continue
        return pos


def _skip(text: str, pos: int, end: int) -> int:
    return _SPACE.match(text, pos, end).end()


def _entry_end(text: str, start: int) -> int | None:
    """The index just past the entry whose ``@`` line starts at ``start``: after the brace (or parenthesis)
    that closes its opening one, braces inside counted; None when the file ends first."""
    first = _DELIMITERS.search(text, start)
    closer = "}" if first.group() == "{" else ")"
    depth = 0
    for match in _DELIMITERS.finditer(text, first.start()):
        char = match.group()
        if char == "{" or (char == "(" and closer == ")" and depth == 0 and match.start() == first.start()):
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and closer == "}":
                return match.end()
        elif char == ")" and closer == ")" and depth == 1:
            return match.end()
    return None


def parse_bibtex(text: str, *, path="file", source="") -> ParsedFile:
    """Read BibTeX ``text`` (from ``path``) into Records; an entry that cannot be parsed is an InputError."""
    text = _literal_escaped_braces(text)
    text, warnings = _repair_spaced_keys(text, path)
    text, keyless = _name_keyless_entries(text, path)
    warnings += keyless
    text = _SPACED_FIELD.sub(r"\1_\2", text)  # "funding_text 1" is read as the field "funding_text_1"
    openings = _entry_openings(text)
    if not openings:
        raise InputError("no BibTeX entries found (no line starts with '@type{key,')", path=path)
    text, truncated, by_line = entries_only(text, path=path)
    warnings += by_line
    if truncated is not None and truncated.records:
        openings = openings[:-1]  # the cut-off entry is the last one opened
    entries, undefined = _parsed_entries(text, path)
    warnings += [f"{path}, line {_line_of_use(text, name)}: the string macro '{name}' is used but not defined in "
                 f"this file (no @string{{{name} = …}}); its name is read as its value" for name in undefined]
    parsed = Counter(e.get("ID", "") for e in entries)
    for line, key in openings:
        if parsed[key] > 0:
            parsed[key] -= 1
        elif _EMPTY_ENTRY.match(text, offset_of_line(text, line)):
            warnings.append(f"{path}, line {line}: entry '{key}' has no fields; left out")
        else:
            raise InputError(f"BibTeX entry '{key}' could not be parsed (unbalanced braces or quotes, or a "
                             "missing comma after the key?)", path=path, line=line)
    name = Path(str(path)).name
    records, dialects = [], set()
    lines = {key: line for line, key in openings}
    for entry in entries:
        dialect = _dialect(entry)
        dialects.add(dialect)
        records.append(_to_record(entry, source=source or dialect, dialect=dialect,
                                  fallback_id=f"{name}:{lines.get(entry.get('ID', ''), 0)}"))
    return ParsedFile(records=records, format="bibtex", dialect=dialects.pop() if len(dialects) == 1 else "",
                      warnings=warnings, truncated=truncated)


def _literal_escaped_braces(text: str) -> str:
    """``text`` with each escaped brace (``\\{``, ``\\}``) written ``\\textbraceleft{}`` / ``\\textbraceright{}``.

    Classic BibTeX counts an escaped brace like any other, so in a file it reads every escaped brace is paired
    inside its value and this changes no value's extent; biber and JabRef do not count them, and write a lone
    ``\\}`` (a stray brace in an abstract), which classic BibTeX, bibtexparser and the entry scan would take as
    the value's end. :func:`latex_text` reads both spellings as the literal brace."""
    return _ESCAPED_BRACE.sub(_brace_as_text, text)


def _brace_as_text(match) -> str:
    """A matched brace (``{`` or ``}``, escaped or not) as the macro that writes it as text."""
    return r"\textbraceleft{}" if match.group().endswith("{") else r"\textbraceright{}"


def _parsed_entries(text: str, path) -> tuple[list, list]:
    """bibtexparser's entries of ``text``, and the string macros used in it that it does not define.

    BibTeX warns about an undefined macro and reads it as empty; a library's ``@string`` definitions often sit
    in another file (``journal = jomch``), so its name is kept as the value rather than the field lost, and the
    caller warns. bibtexparser stops at the first undefined macro: each one found is defined and the text parsed
    again."""
    undefined = []
    while True:
        parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
        parser.bib_database.strings.update((name, name) for name in undefined)
        try:
            return bibtexparser.loads(text, parser=parser).entries, undefined
        except UndefinedString as exc:
            name = str(exc.args[0])
            if name in undefined or len(undefined) >= MAX_UNDEFINED_MACROS:
                raise InputError(f"BibTeX uses more than {MAX_UNDEFINED_MACROS} string macros it does not define "
                                 f"(such as '{name}'); not a BibTeX export, or its @string definitions are "
                                 "missing", path=path) from None
            undefined.append(name)
        except Exception as exc:  # bibtexparser raises pyparsing and assorted errors on broken input
            raise InputError(f"BibTeX could not be parsed: {exc}", path=path) from None


def _line_of_use(text: str, name: str) -> int:
    """The line where the macro ``name`` is first used as (part of) a value; 1 when no use is found."""
    found = re.search(_MACRO_USE.format(re.escape(name)), text, re.MULTILINE | re.IGNORECASE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _dialect(entry: dict) -> str:
    """``scopus`` (``source = {Scopus}``), ``web-of-science`` (``Unique-ID = {WOS:…}``), else ``""``."""
    if first(entry.get("source")).lower() == "scopus":
        return "scopus"
    if first(entry.get("unique-id")).upper().startswith("WOS:"):
        return "web-of-science"
    return ""


def _split_keywords(raw: str) -> list[str]:
    return re.split(r"\s*;\s*" if ";" in raw else r"\s*,\s*", raw) if raw else []


def _to_record(entry: dict, *, source: str, dialect: str, fallback_id: str):
    value = {k: latex_text(v) for k, v in entry.items() if k not in ("author",)}
    key = "" if entry.get("ID", "").startswith(_NO_KEY_PREFIX) else entry.get("ID", "")
    eid = scopus_eid(entry.get("url")) if dialect == "scopus" else ""
    wos_id = value.get("unique-id", "").strip() if dialect == "web-of-science" else ""
    # Scopus: author_keywords are the authors', keywords the indexers'; Web of Science: Keywords-Plus.
    keywords = [k for name in _KEYWORD_FIELDS for k in _split_keywords(value.get(name, ""))]
    eprint_type = value.get("eprinttype", "").strip().lower()
    eprint = value.get("eprint", "") if eprint_type in _EPRINT_PMID | _EPRINT_PMCID else ""
    extra_fields = {k: v for k, v in value.items() if k not in _MAPPED and v.strip()
                    and not (eprint and k in ("eprint", "eprinttype"))}
    return build_record(
        source_id=eid or wos_id or key or fallback_id,
        source=source,
        title=value.get("title", ""),
        abstract=value.get("abstract", ""),
        authors=split_bibtex_authors(entry.get("author", "")),
        year=first(value.get("year"), value.get("date"), value.get("earlyaccessdate")),
        journal=first(value.get("journal"), value.get("journaltitle"), value.get("booktitle")),
        journal_abbrev=first(value.get("shortjournal"), value.get("journal-iso"), value.get("abbrev_source_title")),
        volume=value.get("volume", ""),
        issue=first(value.get("number"), value.get("issue")),
        pages=value.get("pages") or value.get("art_number") or _article_eid(value),
        doi=value.get("doi", ""),
        pmid=value.get("pmid", "") or (eprint if eprint_type in _EPRINT_PMID else "")
        or pmid_in_text(value.get("note"), value.get("annote"), value.get("extra")),
        pmcid=value.get("pmcid", "") or (eprint if eprint_type in _EPRINT_PMCID else ""),
        issn=value.get("issn", ""),
        language=first(value.get("language"), value.get("langid")),
        publication_types=[entry.get("ENTRYTYPE", ""), value.get("document_type", ""), value.get("type", "")],
        keywords=keywords,
        url=value.get("url", ""),
        extra={"type": entry.get("ENTRYTYPE", ""), "key": key, "fields": extra_fields,
               "article_number": first(value.get("art_number"), _article_eid(value))},
    )


def _article_eid(value: dict) -> str:
    """BibLaTeX's ``eid`` (an article's electronic identifier, its number), unless it is a Scopus record ID
    (``2-s2.0-…``), which some tools write there."""
    eid = value.get("eid", "").strip()
    return "" if eid.lower().startswith("2-s2.0-") else eid
