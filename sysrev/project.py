"""Find and load a review project: the folder that holds ``review.toml`` and the review's plain-text files.

A project is located from ``--project DIR`` or, by default, from the nearest folder upward from the current
directory that contains ``review.toml`` (the way git finds its repository). The layout of the folders below
it is the file contract of ../shared/DESIGN.md section 3; every stage asks this module for its paths so the
layout is defined in one place.
"""

import codecs
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.errors import InputError, SysrevError

CONFIG_NAME = "review.toml"


@dataclass
class Project:
    """A loaded review project: its root folder and the parsed ``review.toml``."""

    root: Path
    config: dict = field(default_factory=dict)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def searches_dir(self) -> Path:
        return self.root / "searches"

    @property
    def runs_dir(self) -> Path:
        return self.searches_dir / "runs"

    @property
    def records_dir(self) -> Path:
        """Deduplicated records and the dedup history (stable record IDs)."""
        return self.root / "records"

    @property
    def screening_dir(self) -> Path:
        return self.root / "screening"

    @property
    def analysis_dir(self) -> Path:
        return self.root / "analysis"

    @property
    def extraction_dir(self) -> Path:
        return self.analysis_dir / "extraction"

    @property
    def rob_dir(self) -> Path:
        return self.analysis_dir / "rob2"

    @property
    def results_dir(self) -> Path:
        return self.analysis_dir / "results"

    @property
    def analyses_path(self) -> Path:
        return self.analysis_dir / "analyses.toml"


def load_toml(path) -> dict:
    """Parse a TOML file; a syntax error becomes an :class:`InputError` that names the file and line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise InputError("the file is UTF-16 (what Windows Notepad calls \"Unicode\"), or not text at all; TOML "
                         "files are UTF-8: save it again with the encoding UTF-8", path=path) from None
    try:
        # a byte-order mark, which Windows editors put before UTF-8 text, is not part of the TOML
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})", path=path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)"; keep it, prefixed with the file.
        raise InputError(f"invalid TOML: {exc}", path=path) from None


def find_project_root(start=None) -> Path:
    """Return the nearest folder at or above ``start`` (default: the current directory) with ``review.toml``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise SysrevError(
        f"no {CONFIG_NAME} found in {here} or any folder above it; "
        "run inside a review project or pass --project DIR"
    )


def project_at(path) -> Project:
    """The project at ``path`` with review.toml parsed but not yet schema-checked (for ``sysrev check``,
    which reports every problem instead of stopping at the first file)."""
    root = Path(path).resolve()
    if not (root / CONFIG_NAME).is_file():
        raise SysrevError(f"{root} is not a review project: it has no {CONFIG_NAME}")
    try:
        config = load_toml(root / CONFIG_NAME)
    except InputError:
        config = {}
    return Project(root=root, config=config)


def load_project(path=None) -> Project:
    """Load the project at ``path`` (a folder holding review.toml), or the nearest one upward from here."""
    if path is not None:
        root = Path(path).resolve()
        if not (root / CONFIG_NAME).is_file():
            raise SysrevError(f"{root} is not a review project: it has no {CONFIG_NAME}")
    else:
        root = find_project_root()
    config = load_toml(root / CONFIG_NAME)
    from sysrev.config_schema import ensure_valid  # the schema's tables: loaded by commands, not by --help

    ensure_valid("review.toml", root / CONFIG_NAME, config)
    return Project(root=root, config=config)
