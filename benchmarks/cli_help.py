"""Benchmark: wall time of `sysrev --help` and of every command group's `--help` (target: under 0.3 s each).

Each command runs REPEAT times as a fresh process (what a user waits for: interpreter start, imports, output);
printed per command: the fastest and the median wall time, the CPU time (user + system) of the median run,
and whether the fastest run is under the target. The fastest run is the one least disturbed by other
processes on a shared machine; the CPU time says how much of the wall time is sysrev's own work.

Peers, in the same run: `python -c pass` from the same interpreter, the floor any Python command line pays;
and `sysrev --help` the way it ran before issue 13 (every command module imported to list the commands).

    .venv/bin/python benchmarks/cli_help.py [--repeat 7]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sysrev.cli.main import _COMMANDS

TARGET = 0.3
SYSREV = Path(sys.executable).with_name("sysrev")
GROUPS = sorted(_COMMANDS)  # every command sysrev lists, groups and single commands alike


def timed(argv) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` (output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(argv, repeat) -> tuple[float, float, float]:
    runs = sorted(timed(argv) for _ in range(repeat))
    middle = runs[len(runs) // 2]
    return runs[0][0], statistics.median(w for w, _ in runs), middle[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"sysrev --help timings, {args.repeat} runs each, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"{'command':<28}{'fastest s':>10}{'median s':>10}{'CPU s':>8}  under {TARGET} s")
    eager = ("import click\nfrom sysrev.cli.main import _COMMANDS, cli\nctx = click.Context(cli)\n"
             "for name in _COMMANDS:\n    cli.get_command(ctx, name)\ncli(['--help'], prog_name='sysrev')")
    rows = [("python -c pass (peer)", [sys.executable, "-c", "pass"]),
            ("--help, all imported (peer)", [sys.executable, "-c", eager]),
            ("sysrev --help", [str(SYSREV), "--help"])]
    rows += [(f"sysrev {g} --help", [str(SYSREV), g, "--help"]) for g in GROUPS]
    for label, argv in rows:
        fastest, median, cpu = measure(argv, args.repeat)
        verdict = "" if "peer" in label else ("yes" if fastest < TARGET else "NO")
        print(f"{label:<28}{fastest:>10.3f}{median:>10.3f}{cpu:>8.3f}  {verdict}")


if __name__ == "__main__":
    main()
