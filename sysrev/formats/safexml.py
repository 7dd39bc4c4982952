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
"""

import xml.etree.ElementTree as ET
from xml.parsers import expat

from sysrev.errors import InputError


class _Refused(Exception):
    """Raised from an expat handler to stop parsing at a construct this module does not allow."""


def parse_xml(data: bytes, *, path="file", line_of=()) -> tuple[ET.Element, dict]:
    """Parse ``data`` into an element tree; return ``(root, lines)``.

    ``lines`` maps each element whose tag is in ``line_of`` to the line where it starts, so a reader can
    name the line of a bad record.
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
        if system_id or public_id:
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
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise InputError(f"unsafe XML refused: {exc}", path=path, line=parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        raise InputError(f"not well-formed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})",
                         path=path, line=exc.lineno) from None
    return builder.close(), lines
