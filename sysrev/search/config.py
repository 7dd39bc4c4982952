"""Where the search connectors send requests and with which credentials.

Credentials (``NCBI_API_KEY``, ``NCBI_EMAIL``, ``ELSEVIER_API_KEY``, ``ELSEVIER_INSTTOKEN``) are personal, so
they come from the environment or from a *user* config file – never from the review project, which lives
in git and is shared. The user file is ``$SYSREV_CONFIG`` if set, else
``$XDG_CONFIG_HOME/sysrev/config.toml`` (default ``~/.config/sysrev/config.toml``)::

    [ncbi]
    api_key = "…"          # optional: 10 requests/s instead of 3
    email = "you@example.org"
    tool = "sysrev"

    [elsevier]
    api_key = "…"
    insttoken = "…"        # optional, from your institution

    [urls]                 # optional; mostly for testing against a local server
    eutils = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    scopus = "https://api.elsevier.com/content/search/scopus"

    [search]               # optional deadlines, in seconds
    request_deadline = 300 # one request, all its retries included
    run_deadline = 3600    # a whole search run; an unfinished run is saved for --resume

Environment variables win over the file. ``SYSREV_EUTILS_URL`` / ``SYSREV_SCOPUS_URL`` set the base URLs,
``SYSREV_REQUEST_DEADLINE`` / ``SYSREV_RUN_DEADLINE`` the deadlines.
"""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.errors import InputError

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
DEFAULT_SCOPUS_URL = "https://api.elsevier.com/content/search/scopus"
DEFAULT_TOOL = "sysrev"

# (config-file section, key) → environment variable
_SOURCES = {
    "eutils_url": (("urls", "eutils"), "SYSREV_EUTILS_URL"),
    "scopus_url": (("urls", "scopus"), "SYSREV_SCOPUS_URL"),
    "ncbi_api_key": (("ncbi", "api_key"), "NCBI_API_KEY"),
    "ncbi_email": (("ncbi", "email"), "NCBI_EMAIL"),
    "ncbi_tool": (("ncbi", "tool"), "NCBI_TOOL"),
    "elsevier_api_key": (("elsevier", "api_key"), "ELSEVIER_API_KEY"),
    "elsevier_insttoken": (("elsevier", "insttoken"), "ELSEVIER_INSTTOKEN"),
}
SECRET_FIELDS = ("ncbi_api_key", "ncbi_email", "elsevier_api_key", "elsevier_insttoken")
# (config-file key in [search], environment variable) → default seconds
_DEADLINES = {"request_deadline": ("SYSREV_REQUEST_DEADLINE", 300.0),
              "run_deadline": ("SYSREV_RUN_DEADLINE", 3600.0)}


@dataclass(frozen=True)
class SearchConfig:
    """Base URLs and credentials for the connectors. ``repr`` never shows a secret."""

    eutils_url: str = DEFAULT_EUTILS_URL
    scopus_url: str = DEFAULT_SCOPUS_URL
    ncbi_api_key: str = field(default="", repr=False)
    ncbi_email: str = field(default="", repr=False)
    ncbi_tool: str = DEFAULT_TOOL
    elsevier_api_key: str = field(default="", repr=False)
    elsevier_insttoken: str = field(default="", repr=False)
    request_deadline: float = _DEADLINES["request_deadline"][1]
    run_deadline: float = _DEADLINES["run_deadline"][1]

    def secrets(self) -> list[str]:
        """Every secret value set, for redaction from messages and logs."""
        return [v for v in (getattr(self, name) for name in SECRET_FIELDS) if v]


def user_config_path(env=None) -> Path:
    """The user config file's path (it may not exist)."""
    env = os.environ if env is None else env
    if env.get("SYSREV_CONFIG"):
        return Path(env["SYSREV_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "sysrev" / "config.toml"


def load_config(env=None, path=None) -> SearchConfig:
    """Read the config from ``env`` (default ``os.environ``) over the user config file at ``path``."""
    env = os.environ if env is None else env
    path = Path(path) if path is not None else user_config_path(env)
    file_data = _read_user_file(path)
    values = {}
    for name, ((section, key), var) in _SOURCES.items():
        value = env.get(var)
        if value is None:
            value = file_data.get(section, {}).get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(f"[{section}] {key} must be a string", path=path)
        if value:
            values[name] = value.strip()
    for name, (var, _default) in _DEADLINES.items():
        value = env.get(var) or file_data.get("search", {}).get(name)
        if value not in (None, ""):
            values[name] = _seconds(value, f"{var}" if env.get(var) else f"[search] {name} in {path}")
    return SearchConfig(**values)


def _seconds(value, where: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not seconds > 0:
        raise InputError(f"{where} must be a positive number of seconds, not {value!r}")
    return seconds


def _read_user_file(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # The message of tomllib names line and column; it never echoes the values.
        raise InputError(f"invalid TOML: {exc}", path=path) from None
    for section in ("ncbi", "elsevier", "urls", "search"):
        if section in data and not isinstance(data[section], dict):
            raise InputError(f"[{section}] must be a table", path=path)
    return data
