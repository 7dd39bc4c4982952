"""Small review projects written into a temporary folder, for the tests of sysrev.analyses."""

import csv
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLUMNS = "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note".split(",")

REVIEW_TOML = """
[review]
title = "test review"
question = "does A beat B?"

[arms]
group1 = "A"
group2 = "B"
"""


def write_rows(path: Path, rows: list[dict]) -> Path:
    """Write extraction rows (dicts with any of COLUMNS) as a contract-2 CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


def read_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def make_project(root: Path, analyses: str, rows: list[dict], review: str = REVIEW_TOML) -> Path:
    """A minimal project: review.toml with [arms] A/B, analysis/analyses.toml, one extraction file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "review.toml").write_text(review, encoding="utf-8")
    (root / "analysis").mkdir(exist_ok=True)
    (root / "analysis" / "analyses.toml").write_text(analyses, encoding="utf-8")
    write_rows(root / "analysis" / "extraction" / "data.csv", rows)
    return root


def copy_project(source: Path, dest: Path) -> Path:
    """Copy the files `sysrev meta run` reads (review.toml, analysis/ without results) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "review.toml", dest / "review.toml")
    shutil.copytree(source / "analysis", dest / "analysis", ignore=shutil.ignore_patterns("results"))
    return dest


def continuous(study, arm, n, mean, sd, timepoint="", outcome="pain", item="", source="Table 2"):
    return {"study": study, "outcome": outcome, "item": item, "timepoint": timepoint, "arm": arm,
            "n": n, "mean": mean, "sd": sd, "scale": "VAS", "source": source}


def dichotomous(study, arm, events, n, item="", outcome="harm"):
    return {"study": study, "outcome": outcome, "item": item, "arm": arm, "events": events, "n": n,
            "scale": "patients", "source": "Table 3"}
