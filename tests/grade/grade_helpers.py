"""Helpers for the GRADE tests: copies of the example projects and edits of their GRADE files."""

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NORMAND = REPO / "examples" / "normand1999"
BCG = REPO / "examples" / "bcg"


def copy_example(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("results"))
    return target


def set_domain(path: Path, domain: str, **values) -> None:
    """Set keys of one ``[domain]`` table of a GRADE file, as a reviewer would edit it by hand."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"[{domain}]")
    end = text.find("\n[", start + 1)
    end = len(text) if end == -1 else end
    block = text[start:end]
    for key, value in values.items():
        line = f'{key} = "{value}"'
        if re.search(rf"^{key} = .*$", block, flags=re.M):
            block = re.sub(rf"^{key} = .*$", line, block, count=1, flags=re.M)
        else:
            block = block.rstrip("\n") + "\n" + line + "\n"
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
