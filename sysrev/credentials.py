"""Remove credentials from anything sysrev stores: a review's files are shared, committed and published.

Databases echo the caller's credentials back in their answers: a Scopus entry's links carry
``?apiKey=…&insttoken=…``, and an export saved from an API session can hold ``access_token=…`` in its URLs.
Redacting messages is not enough (:func:`sysrev.search.http.redact` does that); every value written to a
snapshot, a resume file, a manifest or ``records/`` passes through :func:`scrub` first, which deletes

* query-string and fragment parameters whose name is a credential (``apiKey``, ``api_key``, ``insttoken``,
  ``access_token``, ``auth_token``, ``client_secret``, ``password`` … in any case, ``-``/``_`` or neither),
* a ``user:password@`` part of a URL,

and leaves everything else as it was (a DOI link, a publisher URL, a title that mentions "API key").
"""

import re

# Parameter names that hold a credential, compared without case, '-' or '_'.
_NAMES = r"(?:x-?els-?)?(?:api-?key|apikey|inst-?token|access-?token|auth-?token|id-?token|refresh-?token" \
         r"|bearer-?token|session-?token|client-?secret|password|passwd)"
_PARAM = re.compile(rf"(?i)([?&;#])({_NAMES.replace('-?', '[-_]?')})=[^&;#\s\"'<>]*")
_TOKEN = re.compile(r"[^\s\"'<>]+")
_EMPTY_PARAM = re.compile(r"([?#])[&;]+|[&;]+(?=[&;#]|$)|[?#]$")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@\"'<>]+:[^/\s@\"'<>]+@")


def scrub_text(text: str) -> str:
    """``text`` with credential parameters and URL passwords removed (see the module docstring).

    A token can hold a credential parameter only where the whole text does, and a URL password needs an ``@``,
    so a text with neither (an abstract's "n=20", every line of records.jsonl) is returned after one search
    instead of being cut into tokens: dedup writes tens of thousands of such lines."""
    if "=" in text and _PARAM.search(text):
        text = _TOKEN.sub(_scrub_token, text)
    return _USERINFO.sub(r"\1", text) if "@" in text else text


def _scrub_token(match) -> str:
    """One whitespace-delimited token (a URL, typically) without its credential parameters."""
    token = match.group()
    out = _PARAM.sub(lambda m: m.group(1) if m.group(1) in "?#" else "", token)
    return out if out == token else _EMPTY_PARAM.sub(lambda m: m.group(1) or "", out)


def scrub(value):
    """``value`` (a string, or lists and dicts of them, as JSON holds) with every string scrubbed."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v) for v in value)
    if isinstance(value, dict):
        return {scrub(k) if isinstance(k, str) else k: scrub(v) for k, v in value.items()}
    return value
