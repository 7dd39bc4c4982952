"""What a change to the import readers does to real exports: every file of some git repositories that looks like
an export, read with the code of an earlier commit and with the working tree, compared record by record.

    .venv/bin/python benchmarks/import_corpus_diff.py --base 5f4f2d6 /work/.mirror/*/repo

Prints how many files and records were read, how many records differ and in which fields (core fields apart from
the ``extra`` keys; ``--show N`` prints N changed core fields in full), and any file whose reading failed or
stopped failing. The repositories are read with ``git show`` from their HEAD (bare mirrors work); nothing is
written into them. Files over 3 MB are passed over.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = (".ris", ".nbib", ".bib", ".enw", ".ciw", ".xml", ".txt", ".csv", ".json", ".medline")
MAX_BYTES = 3_000_000

# Run in a child process with PYTHONPATH set to one tree: reads every file named on stdin, prints JSON.
READ_ALL = """
import json, sys
from sysrev.formats import load_references
out = {}
for path in sys.stdin.read().split("\\n"):
    if not path:
        continue
    try:
        parsed = load_references(path)
        out[path] = {"records": [r.to_dict() for r in parsed.records], "warnings": parsed.warnings}
    except Exception as exc:
        out[path] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
json.dump(out, sys.stdout)
"""


def export_files(repos, folder: Path) -> list[str]:
    """The repositories' candidate export files, written into ``folder``; their paths."""
    paths = []
    for repo in repos:
        listing = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "-l", "HEAD"], capture_output=True, text=True)
        for line in listing.stdout.splitlines():
            meta, _, name = line.partition("\t")
            size = meta.split()[-1]
            if not name.lower().endswith(EXTENSIONS) or not size.isdigit() or not 0 < int(size) <= MAX_BYTES:
                continue
            data = subprocess.run(["git", "-C", repo, "show", f"HEAD:{name}"], capture_output=True).stdout
            target = folder / f"{Path(repo).parent.name}__{name.replace('/', '_')}"
            target.write_bytes(data)
            paths.append(str(target))
    return sorted(paths)


def read_with(tree: Path, paths: list) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, "-c", READ_ALL], input="\n".join(paths), capture_output=True, text=True,
                          env=env, cwd=tree, check=True)
    return json.loads(done.stdout)


def compare(before: dict, after: dict, show: int = 0) -> None:
    """Print what differs between two readings of the same files; ``show`` core-field changes in full."""
    readable = [p for p, v in after.items() if "error" not in v]
    print(f"files: {len(after)}, read: {len(readable)}, records: {sum(len(after[p]['records']) for p in readable)}")
    core, extra, changed_files, changed_records = collections.Counter(), collections.Counter(), 0, 0
    for path in sorted(after):
        old, new = before[path], after[path]
        if old == new:
            continue
        changed_files += 1
        if "error" in old or "error" in new or len(old["records"]) != len(new["records"]):
            print(f"  {Path(path).name}: {old.get('error', 'read')} -> {new.get('error', 'read')} "
                  f"({len(old.get('records', []))} -> {len(new.get('records', []))} records)")
            continue
        for a, b in zip(old["records"], new["records"]):
            if a == b:
                continue
            changed_records += 1
            for name in a:
                if a[name] == b[name]:
                    continue
                if name != "extra":
                    core[name] += 1
                    if show > 0:
                        show -= 1
                        print(f"  {Path(path).name} {name}: {a[name]!r} -> {b[name]!r}"[:400])
                    continue
                fa, fb = a[name].get("fields", {}), b[name].get("fields", {})
                extra.update(f"fields.{k}" for k in set(fa) | set(fb) if fa.get(k) != fb.get(k))
                extra.update(k for k in set(a[name]) | set(b[name])
                             if k != "fields" and a[name].get(k) != b[name].get(k))
    print(f"files that differ: {changed_files}; records that differ: {changed_records}")
    print(f"core fields changed: {dict(core) or 'none'}")
    print(f"extra keys changed: {dict(extra) or 'none'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", help="git repositories (bare mirrors too) holding sample exports")
    parser.add_argument("--base", required=True, help="the commit to compare the working tree with")
    parser.add_argument("--show", type=int, default=0, help="print this many changed core fields in full")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "files").mkdir()
        (scratch / "base").mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base, "sysrev"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(scratch / "base")], input=archive, check=True)
        paths = export_files(args.repos, scratch / "files")
        compare(read_with(scratch / "base", paths), read_with(ROOT, paths), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
