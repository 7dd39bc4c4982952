"""What a saved query holds that the database will not read as the team meant: the marks a word processor or a
PDF leaves in a strategy pasted from a protocol, and brackets or quotes left open.

The query is sent exactly as written (a strategy is the record of what was searched), so these are warnings
for ``sysrev check`` and ``sysrev search run``, never silent repairs:

* curly double quotes ``“ ”`` (and ``„ ‟ ″``): PubMed and Scopus take only the straight ``"`` as a phrase
  mark, so ``“back pain”`` is not searched as a phrase;
* a curly apostrophe ``’`` in a word (``Crohn’s``): the databases index the straight ``'``;
* invisible characters (a no-break space, a zero-width space, a soft hyphen) that join or split words unseen;
* parentheses that do not pair up, or an odd number of straight double quotes (both ignoring what is inside a
  quoted phrase or a field tag ``[…]``): the query is then grouped otherwise than it reads;
* PubMed only: ``or`` and ``not`` in lower case, which PubMed searches as words — its Boolean operators are
  upper case (NLM Technical Bulletin, "PubMed search rules and syntax"); lower-case ``and`` is left alone,
  since MeSH headings hold it (``wit and humor[mh]``).
"""

import re

_CURLY_DOUBLE = "“”„‟″"
_CURLY_APOSTROPHE = re.compile(r"\w[’‘]\w")
_INVISIBLE = {"\u00a0": "a no-break space", "\u200b": "a zero-width space", "\u00ad": "a soft hyphen",
              "\u2060": "a word joiner", "\ufeff": "a zero-width no-break space"}
_LOWER_OPERATOR = re.compile(r"(?<![\w-])(or|not)(?![\w-])")


def query_warnings(query: str, database: str) -> list[str]:
    """The problems of ``query`` for ``database`` (``pubmed`` or ``scopus``), one sentence each, in the
    order of the list above; ``[]`` for a clean query."""
    warnings = []
    curly = sorted({c for c in query if c in _CURLY_DOUBLE})
    if curly:
        warnings.append(f"curly quotes {' '.join(curly)} (from a word processor) are not phrase marks to the "
                        f"database: write straight double quotes \" (at {_where(query, query.index(curly[0]))})")
    apostrophe = _CURLY_APOSTROPHE.search(query)
    if apostrophe:
        warnings.append(f"a curly apostrophe in {_word_at(query, apostrophe.start() + 1)!r}: the database indexes "
                        f"the straight ' (at {_where(query, apostrophe.start() + 1)})")
    for char, name in _INVISIBLE.items():
        if char in query:
            warnings.append(f"{name} (U+{ord(char):04X}, invisible) at {_where(query, query.index(char))}: "
                            "replace it with a plain space or delete it")
    plain = _outside_phrases_and_tags(query)
    if '"' in plain:  # every pair of quotes was blanked with its phrase: one is left open
        warnings.append(f'the straight double quotes do not pair up (an odd number, {query.count(chr(34))}): '
                        "a phrase is left open")
    else:
        problem = _unpaired_parenthesis(plain)
        if problem is not None:
            warnings.append(f"{problem[0]} (at {_where(query, problem[1])}): the query is grouped otherwise than "
                            "it reads")
    if database == "pubmed":
        lower = sorted({m.group(1) for m in _LOWER_OPERATOR.finditer(plain)})
        if lower:
            names = " and ".join(f"'{word}'" for word in lower)
            warnings.append(f"{names} in lower case: PubMed searches {'it' if len(lower) == 1 else 'them'} as "
                            f"{'a word' if len(lower) == 1 else 'words'}; its Boolean operators are upper case "
                            f"({', '.join(word.upper() for word in lower)})")
    return warnings


def _outside_phrases_and_tags(query: str) -> str:
    """``query`` with every quoted phrase and field tag blanked (same length, so positions still hold)."""
    blank = re.sub(r'"[^"]*"', lambda m: " " * len(m.group(0)), query)
    return re.sub(r"\[[^\[\]]*\]", lambda m: " " * len(m.group(0)), blank)


def _unpaired_parenthesis(text: str) -> tuple[str, int] | None:
    """(what is wrong, its position) for the first parenthesis without a partner, else None."""
    opened = []
    for position, char in enumerate(text):
        if char == "(":
            opened.append(position)
        elif char == ")":
            if not opened:
                return "a closing parenthesis with no opening one", position
            opened.pop()
    if opened:
        return f"{'an opening parenthesis' if len(opened) == 1 else f'{len(opened)} opening parentheses'} never " \
               "closed", opened[0]
    return None


def _where(query: str, position: int) -> str:
    """Where ``position`` is, 1-based: ``character 14 of the query``, or ``line 2, character 14 of the query``
    when the query spans lines (the query's own lines, not the strategy file's)."""
    character = position - (query.rfind("\n", 0, position) + 1) + 1
    if "\n" not in query:
        return f"character {character} of the query"
    return f"line {query.count(chr(10), 0, position) + 1}, character {character} of the query"


def _word_at(query: str, position: int) -> str:
    start = position
    while start > 0 and (query[start - 1].isalnum() or query[start - 1] in "’‘"):
        start -= 1
    end = position
    while end < len(query) and (query[end].isalnum() or query[end] in "’‘"):
        end += 1
    return query[start:end]
