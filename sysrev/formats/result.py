"""What a format reader hands back: the records plus what the reviewer should know about the file."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Truncation:
    """A file cut off before its end (an interrupted download or copy), as a reader saw it
    (:mod:`sysrev.formats.truncation`): ``line`` is where the cut-off record starts and ``what`` says how the
    cut shows. ``records`` counts the cut-off records left out of :attr:`ParsedFile.records` (1; 0 when the
    cut fell between two records of a format that shows it, such as XML's missing closing tags)."""

    line: int
    what: str
    records: int = 1


@dataclass
class ParsedFile:
    """Records read from one export file.

    ``format`` is the file format (``ris``, ``nbib``, …); ``dialect`` the exporting database or tool when
    the content reveals it (``scopus``, ``embase``, ``pubmed`` …, else ``""``); ``warnings`` are messages
    naming file and line for anything read with a guess (a missing ``ER``, a non-UTF-8 encoding, …);
    ``sha256`` and ``size`` describe the exact bytes that were read (set by :func:`load_references`).
    """

    records: list
    format: str
    dialect: str = ""
    encoding: str = "utf-8"
    warnings: list = field(default_factory=list)
    sha256: str = ""
    size: int = 0
    truncated: Truncation | None = None
