"""Parse untrusted XML without ever reaching the network or expanding entities.

Reference files come from anywhere, and an XML document can ask its parser to fetch a remote DTD, read a
local file through an external entity (``<!ENTITY x SYSTEM "file:///etc/passwd">``), or expand a few nested
entities into gigabytes ("billion laughs"). This module drives the standard library's expat parser directly
and refuses, with an :class:`~sysrev.errors.InputError` naming file and line:

* any entity declaration (internal or external; no real export needs one),
* a DOCTYPE that points to an external DTD (its SYSTEM/PUBLIC identifier),
* any reference to an external entity.

Parameter entities are never parsed and no DTD is ever loaded. Everything else builds an ordinary
:class:`xml.etree.ElementTree.Element` tree.

The refusals are made by the parser itself (expat's DOCTYPE and entity-declaration events), never by scanning
the text, so neither a long comment before the DOCTYPE nor a ``>`` inside its SYSTEM identifier hides an
internal subset. :func:`refuse_internal_subset` installs the same guard on a parser another library drives
(Biopython's PubMed reader), which must still read the bundled DTD a PubMed DOCTYPE names.
"""

import codecs
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from sysrev.errors import InputError

# Encodings expat reads itself; any other declared encoding is decoded here (see as_expat_input).
_EXPAT_ENCODINGS = {"utf-8", "utf-16", "iso8859-1", "ascii"}
_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([^"']*)\2""")


def as_expat_input(data: bytes, *, path="file") -> bytes:
    """``data`` as expat can take it: unchanged when it declares no encoding or one expat reads itself
    (UTF-8, UTF-16, ISO-8859-1, US-ASCII); otherwise decoded with Python's codec for the declared encoding
    (Shift_JIS, EUC-JP, UTF-7, cp1252 …) and handed over as UTF-8 with the declaration saying so.

    expat's own fallback for other encodings fails with ``ValueError``/``LookupError`` (a traceback before);
    an encoding Python does not know, or bytes not valid in the declared one, is an :class:`InputError`
    naming the line. The declaration stays on line 1, so line numbers are those of the file.
    """
    match = _DECLARATION.match(data[:1024])
    if match is None:
        return data
    declared = match.group(3).decode("ascii", "replace").strip()
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        raise InputError(f"the XML declaration names the encoding {declared!r}, which is unknown; save the file "
                         "as UTF-8 and import again", path=path, line=1) from None
    if codec in _EXPAT_ENCODINGS:
        return data
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid {declared} (the encoding the XML declaration names) at byte {exc.start}",
                         path=path, line=line) from None
    utf8 = text.encode("utf-8")
    head = _DECLARATION.match(utf8[:1024])
    if head is None:  # the declaration itself did not survive decoding (e.g. UTF-7 '+' sequences in it)
        raise InputError(f"cannot read the XML declaration in the encoding it names ({declared!r})", path=path,
                         line=1)
    return head.group(1) + b'"UTF-8"' + utf8[head.end():]


class UnsafeXMLRefused(InputError):
    """The document asks for something this module refuses (an entity declaration, an external DTD)."""


class _Refused(Exception):
    """Raised from an expat handler to stop parsing at a construct this module does not allow."""


def refuse_internal_subset(parser, error=ValueError) -> None:
    """Make the expat ``parser`` raise ``error`` at a DOCTYPE that carries an internal subset
    (``<!DOCTYPE x [ … ]>``), before any entity it declares can be used.

    Entities can be declared only there or in an external DTD, so a parser that reads no external DTD but the
    bundled ones can expand no attacker-defined entity. The handler is copied to the parsers expat creates for
    external DTDs, which have no DOCTYPE of their own.
    """

    def doctype(name, system_id, public_id, has_internal_subset):
        if has_internal_subset:
            raise error(f"the DOCTYPE <!DOCTYPE {name} …> declares its own DTD subset (line "
                        f"{parser.CurrentLineNumber}); sysrev refuses it because entities declared there can "
                        "reach files or the network or expand without bound")

    parser.StartDoctypeDeclHandler = doctype


def parse_xml(data: bytes, *, path="file", line_of=(), allow_external_dtd=False) -> tuple[ET.Element, dict]:
    """Parse ``data`` into an element tree; return ``(root, lines)``.

    ``lines`` maps each element whose tag is in ``line_of`` to the line where it starts, so a reader can
    name the line of a bad record. ``allow_external_dtd`` accepts a DOCTYPE that names an external DTD
    (an E-utilities answer's), which is never loaded; an internal subset is refused either way.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    lines = {}
    wanted = set(line_of)

    def start(tag, attrs):
        element = builder.start(tag, attrs)
        if tag in wanted:
            lines[element] = parser.CurrentLineNumber

    def doctype(name, system_id, public_id, has_internal_subset):
        if (system_id or public_id) and not allow_external_dtd:
            raise _Refused(f"the DOCTYPE refers to an external DTD ({system_id or public_id}); sysrev never "
                           "loads external DTDs - remove the DOCTYPE line and import again")

    def entity_decl(name, is_parameter, value, base, system_id, public_id, notation):
        kind = "an external entity" if system_id or public_id else "an entity"
        raise _Refused(f"the file declares {kind} ('{name}'); sysrev refuses XML entity declarations, "
                       "which can read local files or expand without bound ('billion laughs')")

    def external_ref(context, base, system_id, public_id):
        raise _Refused(f"the file refers to an external entity ({system_id or public_id}); refused")

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity_decl
    parser.ExternalEntityRefHandler = external_ref
    parser.buffer_text = True
    data = as_expat_input(data, path=path)
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise UnsafeXMLRefused(f"unsafe XML refused: {exc}", path=path, line=parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        raise InputError(f"not well-formed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})",
                         path=path, line=exc.lineno) from None
    return builder.close(), lines
