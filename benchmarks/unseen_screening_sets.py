"""Extract the six labelled screening sets that sysrev's ranking model was checked on out of sample.

The benchmark sets in ``../shared/fixtures/screening/prioritisation/`` are eleven of the labelled reviews that
the ASReview project collected in its ``systematic-review-datasets`` repository. Six more of that repository
were used to check whether settings chosen on the eleven carry over to reviews they were never compared on
(docs/screening.md, *How the settings were chosen*). They are not copied into this repository; this script
takes them from a clone of it, at the commits named below, and checks their record and inclusion counts::

    git clone https://github.com/asreview/systematic-review-datasets /tmp/srd
    .venv/bin/python benchmarks/unseen_screening_sets.py --repo /tmp/srd --out /tmp/prio-unseen
    .venv/bin/python benchmarks/screening_prioritisation.py --sets /tmp/prio-unseen --asreview …

Licences (from each dataset's metadata in that repository): the Cohen et al. 2006 drug class reviews are
freely available for research (the "custom open license" of the other Cohen sets); Bannach-Brown et al. 2019
(Syst Rev 8:23) is CC-BY 4.0; Nagtegaal et al. 2019 (J Behav Public Adm 2(2)) is CC0.
"""

import argparse
import csv
import io
import subprocess
import sys
from pathlib import Path

# file written: (commit, path in the repository, records, included by label_included)
SETS = {
    "Cohen_2006_ProtonPumpInhibitors.csv": ("0909240f", "datasets/Cohen_2006/output/local/ProtonPumpInhibitors.csv",
                                            1333, 51),
    "Cohen_2006_Opiods.csv": ("0909240f", "datasets/Cohen_2006/output/local/Opiods.csv", 1915, 15),
    "Cohen_2006_BetaBlockers.csv": ("0909240f", "datasets/Cohen_2006/output/local/BetaBlockers.csv", 2072, 42),
    # The later "local" version of this set (with keywords) is missing from some clones; this earlier
    # output has title and abstract.
    "Cohen_2006_ACEInhibitors.csv": ("28c6d716", "datasets/Cohen_2006/output/ACEInhibitors.csv", 2544, 41),
    "Bannach-Brown_2019.csv": ("0909240f", "datasets/Bannach-Brown_2019/output/Bannach-Brown_2019.csv", 1993, 280),
    "Nagtegaal_2019.csv": ("0909240f", "datasets/Nagtegaal_2019/output/Nagtegaal_2019.csv", 2019, 101),
}


def counts(data: bytes) -> tuple:
    """(records, records with label_included 1) of a set's CSV bytes."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return len(rows), sum(row["label_included"].strip() in ("1", "1.0") for row in rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="a clone of asreview/systematic-review-datasets")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the six CSV files to")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (commit, path, records, included) in SETS.items():
        shown = subprocess.run(["git", "-C", str(args.repo), "show", f"{commit}:{path}"], capture_output=True)
        if shown.returncode:
            sys.exit(f"{path} at {commit}: {shown.stderr.decode(errors='replace').strip()}")
        found = counts(shown.stdout)
        if found != (records, included):
            sys.exit(f"{path} at {commit}: {found[0]} records, {found[1]} included; expected {records}, {included}")
        (args.out / name).write_bytes(shown.stdout)
        print(f"{name}: {records} records, {included} included")


if __name__ == "__main__":
    main()
