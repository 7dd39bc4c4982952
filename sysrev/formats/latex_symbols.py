"""LaTeX symbol macros and math mode in BibTeX values, turned into the Unicode text a database would show.

Reference managers (Mendeley, JabRef, Zotero with Better BibTeX) write symbols in abstracts and titles as
LaTeX: ``$\\kappa$ = 0.8``, ``p $\\leq$ 0.05``, ``CO$_2$``, ``$^{18}$F-FDG``. bibtexparser's
``latex_to_unicode`` knows the accent commands but reads a longer macro by its first letters: ``\\kappa``
became ``ąppa`` (``\\k`` is the ogonek accent), ``\\leq`` ``łeq``, ``\\lambda`` ``łambda``,
``\\infty`` ``ınfty``. So every macro of two or more letters is expanded here first, by name: the Greek
letters (named as Unicode names them), the common relations, operators and text symbols; an unknown one
loses its backslash (``\\foo`` → ``foo``) rather than being misread as an accent. Inside ``$…$``, ``^`` and
``_`` and their braces are dropped (``CO$_2$`` → ``CO2``, as PubMed writes it once its markup is removed).
"""

import re
import unicodedata

_SYMBOLS = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "lt": "<", "gt": ">",
    "textless": "<", "textgreater": ">", "ll": "≪", "gg": "≫", "approx": "≈", "sim": "~", "simeq": "≃",
    "equiv": "≡", "propto": "∝", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "cdot": "·", "circ": "°",
    "degree": "°", "textdegree": "°", "prime": "′", "infty": "∞", "partial": "∂", "sum": "∑", "prod": "∏",
    "sqrt": "√", "int": "∫", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ",
    "rightarrow": "→", "to": "→", "leftarrow": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "uparrow": "↑", "downarrow": "↓",
    "ldots": "…", "dots": "…", "cdots": "⋯", "textellipsis": "…",
    "textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘",
    "textquotedblleft": "“", "textquotedblright": "”", "textasciitilde": "~", "textasciicircum": "^",
    "textbullet": "•", "textregistered": "®", "texttrademark": "™", "copyright": "©", "textcopyright": "©",
    "textmu": "µ", "micro": "µ", "euro": "€", "texteuro": "€", "pounds": "£", "textsterling": "£",
    "textperthousand": "‰", "textsection": "§", "textparagraph": "¶", "textbackslash": "\\", "textbar": "|",
    "textunderscore": "_", "textpercent": "%", "percent": "%",
    # Letters and ligatures with two-letter names (no accent command is two letters long).
    "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "ss": "ß", "th": "þ", "TH": "Þ",
    "dh": "ð", "DH": "Ð", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
}
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
          "upsilon phi chi psi omega").split()
_VARIANTS = {"varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varpi": "ϖ", "varrho": "ϱ", "varsigma": "ς"}
# Operator names written as words in the output (\log x → log x).
_WORDS = {"log", "ln", "exp", "sin", "cos", "tan", "lim", "max", "min", "det", "mod"}
_MACRO = re.compile(r"\\([A-Za-z]{2,})(\{\}| |(?=\{))?")
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)


def _greek(name: str) -> str:
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    if name.lower() not in _GREEK:
        return ""
    return unicodedata.lookup(f"GREEK {case} LETTER {name.upper().replace('LAMBDA', 'LAMDA')}")  # Unicode's spelling


def _expand(match: re.Match) -> str:
    name, after = match.group(1), match.group(2)
    symbol = _SYMBOLS.get(name) or _VARIANTS.get(name) or _greek(name)
    if name in _WORDS:
        return name + (after or "")
    if symbol:
        # LaTeX swallows the space after a text macro (pre\textendash post → pre–post); math macros keep it.
        return symbol + ("" if after in ("{}", "") or after is None or name.startswith("text") else after)
    if after == "":
        return ""  # an unknown macro with a braced argument (\mathbf{x}, \textcolor…): formatting, keep the text
    return name + (after or "")  # an unknown macro alone: its name, never a misread accent


def expand_symbol_macros(text: str) -> str:
    """``text`` with math segments flattened and every LaTeX macro of two or more letters expanded."""
    text = _MATH.sub(lambda m: re.sub(r"(?<!\\)[\^_{}]", "", _MACRO.sub(_expand, m.group(1))), text)
    return _MACRO.sub(_expand, text)
