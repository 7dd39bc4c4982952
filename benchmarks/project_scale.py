"""Time and peak memory of the everyday commands on a large review project, each in its own process.

    .venv/bin/python benchmarks/project_scale.py [--records 17000] [--decisions 12000] [--seed 3] [--keep DIR]

A team runs `sysrev status`, `check`, `screen status`, `prisma` and `screen report` many times a day, and the web
dashboard on every visit: what they cost grows with the records and the decision logs. The script builds a
project with ``--records`` synthetic works (random titles and abstracts from a biomedical vocabulary, authors,
journals, DOIs; about a twentieth of them returned twice, so dedup has work), imports them as one CSV export,
runs `sysrev dedup`, writes two reviewers' title/abstract logs over the first ``--decisions`` records (about 5 %
included, a few hundred disagreements), then times each command in a fresh process (wall and CPU seconds of
that process, its peak resident memory) and the dashboard page of the web app (first and repeated load,
in-process with Flask's test client). Nothing here compares with a peer: no other tool runs these stages on
one project.
"""

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_scale import WORDS, make_journals, surname  # noqa: E402

SYSREV = [sys.executable, "-c", "import sys; from sysrev.cli.main import cli; cli(sys.argv[1:], prog_name='sysrev')"]
# The same, printing the process's own CPU seconds and peak resident memory as its last line on stderr.
MEASURED = [sys.executable, "-c", """
import atexit, json, resource, sys
from sysrev.cli.main import cli
def report():
    use = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"cpu": use.ru_utime + use.ru_stime, "maxrss_mb": use.ru_maxrss / 1024}), file=sys.stderr)
atexit.register(report)
cli(sys.argv[1:], prog_name="sysrev")
"""]
COMMANDS = [["status"], ["status", "--json"], ["check"], ["screen", "status"], ["prisma"],
            ["screen", "report", "--out", "{tmp}/report.html"], ["export", "decisions", "--out", "{tmp}/decisions.csv"],
            ["dedup"]]
DASHBOARD = """
import json, resource, sys, time
from sysrev.project import load_project
from sysrev.web.app import create_app
app = create_app(load_project(sys.argv[1]), token="t")
client = app.test_client()
client.get("/?token=t")
with client.session_transaction() as session:
    session["user"] = "reviewer1"
times = []
for _ in range(3):
    start = time.perf_counter()
    assert client.get("/").status_code == 200
    times.append(time.perf_counter() - start)
print(json.dumps({"first": times[0], "repeated": min(times[1:]),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_export(path: Path, n: int, rng: random.Random) -> None:
    journals = make_journals(rng)
    rows = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
        abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 200)))
        journal = rng.choice(journals)[0]
        authors = "; ".join(f"{surname(rng)}, {rng.choice('ABCDEFGHJKLMNPRSTW')}" for _ in range(rng.randint(1, 8)))
        row = {"title": title, "abstract": abstract, "authors": authors, "year": rng.randint(1990, 2026),
               "journal": journal, "volume": rng.randint(1, 80), "issue": rng.randint(1, 12),
               "pages": f"{(p := rng.randint(1, 900))}-{p + rng.randint(3, 15)}", "doi": f"10.{5000 + i % 97}/sr.{i}"}
        rows.append(row)
        if rng.random() < 0.05:  # the same work again, as a second database gives it
            rows.append(dict(row, title=row["title"].upper(), doi=""))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_logs(project: Path, decisions: int, rng: random.Random) -> None:
    ids = [json.loads(line)["record_id"] for line in (project / "records" / "records.jsonl").open(encoding="utf-8")]
    folder = project / "screening" / "title_abstract"
    folder.mkdir(parents=True, exist_ok=True)
    relevant = {rid for rid in ids[:decisions] if rng.random() < 0.05}
    for reviewer in ("reviewer1", "reviewer2"):
        with (folder / f"{reviewer}.csv").open("w", encoding="utf-8") as fh:
            fh.write("record_id,decision,reason,reviewer,timestamp\n")
            for n, rid in enumerate(ids[:decisions]):
                agree = rng.random() > 0.03
                decision = "include" if (rid in relevant) == agree else "exclude"
                fh.write(f"{rid},{decision},,{reviewer},2026-12-01T{8 + n // 3600 % 10:02d}:{n // 60 % 60:02d}:"
                         f"{n % 60:02d}Z\n")


def run(argv: list, project: Path) -> dict:
    """One command in a fresh process: wall seconds, and its own CPU seconds and peak resident memory (MB)."""
    start = time.perf_counter()
    done = subprocess.run([*MEASURED, *argv, "--project", str(project)], capture_output=True, text=True,
                          cwd=project.parent)  # not this repository: `python -c` puts the working folder first
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: warnings (status with conflicts, check with a warning)
        raise SystemExit(f"sysrev {' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return {"wall": wall, **json.loads(done.stderr.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=17000)
    parser.add_argument("--decisions", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the project in this folder and keep it")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="sysrev-scale-"))
    project = args.keep or tmp / "review"
    subprocess.run([*SYSREV, "init", str(project), "--title", "Scale", "--database", "Other", "--no-input"],
                   check=True, capture_output=True, cwd=tmp)
    export = project / "searches" / "exports" / "other.csv"
    write_export(export, args.records, rng)
    built = {"import": run(["import", str(export), "--source", "other"], project),
             "dedup (first)": run(["dedup"], project)}
    write_logs(project, args.decisions, rng)
    records = sum(1 for _ in (project / "records" / "records.jsonl").open(encoding="utf-8"))
    exported = sum(1 for _ in export.open(encoding="utf-8")) - 1
    print(f"project: {records} records after dedup ({exported} exported: {args.records} works, some twice), "
          f"2 reviewers × {args.decisions} title/abstract decisions; {project}")
    print("\n| command | wall s | CPU s | peak memory (MB) |\n|---|---|---|---|")
    for name, figures in built.items():
        print(f"| {name} | {figures['wall']:.2f} | {figures['cpu']:.2f} | {figures['maxrss_mb']:.0f} |")
    for argv in COMMANDS:
        argv = [part.format(tmp=tmp) for part in argv]
        figures = run(argv, project)
        label = " ".join(a if not a.startswith(str(tmp)) else Path(a).name for a in argv)
        print(f"| {label} | {figures['wall']:.2f} | {figures['cpu']:.2f} | {figures['maxrss_mb']:.0f} |")
    page = json.loads(subprocess.run([sys.executable, "-c", DASHBOARD, str(project)], check=True,
                                     capture_output=True, text=True, cwd=tmp).stdout)
    print(f"\nweb dashboard: first load {page['first']:.2f} s, repeated load {page['repeated']:.2f} s "
          f"(peak memory {page['maxrss_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
