"""Re-enact this review as it would have been kept living: three releases, 1955, 1970 and 1981.

Each release sees only the trials published by then (1955: 3 trials, 1970: 7, 1981: all 13), as a review team
refreshing its searches would have found them; `sysrev release VERSION` freezes each version into
releases/VERSION/, dated the day it was made (SOURCE_DATE_EPOCH), so running this again re-makes the
committed releases exactly. The files that list studies (analysis/extraction/*.csv, analysis/exemptions.csv) are cut
to those trials for each release and restored to all 13 at the end (also after an error).

Run from anywhere:  python examples/bcg-living/replay.py [--project DIR]   (needs `sysrev` installed)
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

# version, the last publication year it sees, the date it is made (the `entered` date of its new trials), note
RELEASES = (("1955", 1955, "1955-06-01", "the first three trials (1948-1953)"),
            ("1970", 1970, "1970-06-01", "four trials of 1960-1969 added"),
            ("1981", 1981, "1981-06-01", "six trials of 1973-1980 added"))


def sysrev(*args, env=None):
    """Run the sysrev command of this Python environment (the one replay.py runs under)."""
    command = [sys.executable, "-c", "import sys; from sysrev.cli.main import cli; sys.exit(cli())", *args]
    subprocess.run(command, check=True, env=env)


def dated(day: str) -> dict:
    """The environment with SOURCE_DATE_EPOCH at ``day`` (UTC midnight): `sysrev release` records that as the
    release's creation time, so re-running replay.py re-makes the committed releases byte for byte."""
    epoch = int(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp())
    return {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}


def staged_files(project: Path) -> list[Path]:
    """The files that name studies row by row: what the review knew is what these held at the time."""
    return sorted((project / "analysis" / "extraction").glob("*.csv")) + [project / "analysis" / "exemptions.csv"]


def keep_rows(text: str, keep) -> str:
    """``text`` (a CSV with a ``study`` column) without the rows of studies ``keep`` rejects."""
    lines = text.splitlines(keepends=True)
    column = next(csv.reader([lines[0]])).index("study")
    return lines[0] + "".join(line for line in lines[1:] if keep(next(csv.reader([line]))[column]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=str(Path(__file__).resolve().parent))
    project = Path(parser.parse_args().project)
    with (project / "analysis" / "extraction" / "studies.csv").open(encoding="utf-8", newline="") as fh:
        years = {row["study"]: int(row["year"]) for row in csv.DictReader(fh)}
    files = [path for path in staged_files(project) if path.is_file()]
    full = {path: path.read_text(encoding="utf-8") for path in files}
    try:
        for version, cutoff, day, note in RELEASES:
            shutil.rmtree(project / "releases" / version, ignore_errors=True)
            for path, text in full.items():
                path.write_text(keep_rows(text, lambda study, cutoff=cutoff: years[study] <= cutoff),
                                encoding="utf-8")
            sysrev("release", version, "--note", note, "--project", str(project), env=dated(day))
    finally:
        for path, text in full.items():
            path.write_text(text, encoding="utf-8")
    sysrev("meta", "run", "--project", str(project))


if __name__ == "__main__":
    main()
