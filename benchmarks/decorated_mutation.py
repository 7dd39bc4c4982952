"""Mutation testing of the bodies of decorated functions, which mutmut 3 skips: the click commands and web routes.

mutmut 3 never mutates a decorated function (mutmut/mutation/file_mutation.py, ``_skip_node_and_children``):
copying one for its trampolines would run ``@app.route`` twice. So the bodies of every ``@click.command`` in
``sysrev/cli/`` and every route handler in ``sysrev/web/`` — what a user actually runs — were never mutated by
``benchmarks/mutation.py``. This script mutates those bodies only (not the decorators, not their arguments, not
the parameters), with mutmut's own operators (``mutmut.mutation.mutators.mutation_operators``: ``<`` → ``<=``,
``and`` → ``or``, ``not`` dropped, numbers + 1, strings ``"XX…XX"``/lower/upper case, an argument dropped or set
to ``None``, ``True`` ↔ ``False``, ``x = …`` → ``x = None``, …), so its mutants are the kinds mutmut makes
elsewhere; like mutmut it leaves alone type annotations, calls of ``len``/``isinstance`` and triple-quoted strings.

Each mutant is one edit of one file in a scratch copy of the repository under ``.mutation/decorated/``
(git-ignored; the working tree is never touched), refreshed from the working tree at the start of each run;
the mutants are made from that copy. Its tests are the ones that reach the mutated line: the file's test
selection (every test file that runs the command line in-process; the web module's tests for the routes) is
run once under coverage.py with one context per test (``trace.json``), and a mutant runs only the tests whose
context covered a line of the mutated node, fastest first, ``-x``, with a timeout of 20 s + 3 × their traced
time. Others edit the files meanwhile: a trace's line numbers are carried over to the file as it is now by
matching unchanged lines (``line_map``); ``--retrace`` traces everything afresh. Tests that fail on the
unmutated code are never run against a mutant. A mutant is *killed* when a test fails or the run times out
twice (a second try with twice the time: on a machine loaded by other work a run can pass its limit);
it *survives* when every test passes, or when no test reaches it. Tests that run ``python -m sysrev`` in a
subprocess are not traced, so the mutants only they reach count as surviving (left to tests run in-process).

    nice -n 12 .venv/bin/python benchmarks/decorated_mutation.py                     # every file (slow)
    nice -n 12 .venv/bin/python benchmarks/decorated_mutation.py --files sysrev/cli/rob.py sysrev/cli/grade.py
    nice -n 12 .venv/bin/python benchmarks/decorated_mutation.py --sample 0.4 --seed 11   # 40 % of each file
    nice -n 12 .venv/bin/python benchmarks/decorated_mutation.py --survivors     # after new tests: survivors again
    .venv/bin/python benchmarks/decorated_mutation.py --report-only                # the last results, with diffs
    .venv/bin/python benchmarks/decorated_mutation.py --list --files sysrev/cli/rob.py   # the mutants, not run

``--sample N`` tests N mutants of each file (a value below 1 is a share of each file's mutants), drawn with
``random.Random(f"{seed}:{file}")`` so the same seed draws the same sample; results are kept in
``.mutation/decorated/results.json``, so a later run (a larger sample, another seed) tests only what has no
result yet. A result is dropped when its function's source changes. ``--survivors`` traces this script's own
test files (tests/test_cli_command_bodies.py, tests/web/test_route_bodies.py: seconds, where the whole
selection takes minutes) and re-tests the last survivors against every test either trace saw reach them.

**Mutant names** are ``decorated:<file>:<function>:<n>``, e.g. ``decorated:sysrev/cli/rob.py:new:3``;
``<function>`` is the dotted path of the function inside its file (``create_app.login`` for a route defined in
``create_app``), ``<n>`` counts the function's mutants from 1 in mutmut's order: its body walked node by node
in source order, and for each node mutmut's operators in their listed order. Lines added elsewhere in the file
change no name; code added or removed in the function *before* a mutant renumbers it. An entry in
``benchmarks/mutation_equivalent.toml`` (``[[equivalent]]`` with ``mutant``, ``change`` ``"A → B"`` and
``reason``) whose ``change`` no longer matches the mutant's diff is reported as stale and counted by its result.

Kill rate = killed / (mutants checked − equivalent ones), per file; while a file is only sampled the rate is
shown with its 95 % Wilson interval.
"""

from __future__ import annotations

import argparse
import difflib
import fcntl
import hashlib
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider
from mutmut.mutation.file_mutation import NEVER_MUTATE_FUNCTION_CALLS, deep_replace
from mutmut.mutation.mutators import mutation_operators

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation" / "decorated"
RESULTS = SCRATCH / "results.json"
TRACE = SCRATCH / "trace.json"
EQUIVALENT = Path(__file__).resolve().parent / "mutation_equivalent.toml"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation import ALSO_COPY, MODULES, copy_repository  # noqa: E402  (the other mutation script's test selections)

CLI_FILES = [f"sysrev/cli/{name}.py" for name in (
    "extract", "rob", "grade", "fulltext", "export", "prisma", "init", "check", "diff", "release", "serve", "main",
    "search", "meta", "meta_run", "meta_tsa", "meta_cumulative", "importer", "dedup", "screen", "status", "refresh")]
WEB_FILES = [f"sysrev/web/{name}.py" for name in ("app", "pages_dashboard", "pages_dedup", "pages_evidence",
                                                   "pages_rob", "pages_screening")]
# The tests traced for the commands: every test file that runs sysrev's command line in-process (found by
# CLI_TEST_MARKERS, so a new test file is included without being listed), plus this script's own test files.
CLI_TEST_MARKERS = ("CliRunner", "sysrev.cli")
OWN_TESTS = ["tests/test_cli_command_bodies.py", "tests/test_cli_command_bodies_2.py",
             "tests/test_cli_command_bodies_3.py", "tests/test_cli_command_bodies_4.py",
             "tests/web/test_route_bodies.py", "tests/web/test_web_route_bodies.py",
             "tests/web/test_web_conflicts_page.py", "tests/web/test_web_route_bodies_2.py"]
# The web routes: the web module's selection in benchmarks/mutation.py (not the browser tests, which need
# Chromium), plus tests/web/test_route_bodies.py.
WEB_TESTS = MODULES["web"][1]
KILLED = {"killed", "timeout"}


@dataclass
class Mutant:
    name: str
    file: str
    function: str
    lines: tuple[int, int]  # first and last line of the mutated node
    diff: str
    function_hash: str
    make: Callable[[], str]  # the whole mutated file, made only when the mutant is run

    @property
    def code(self) -> str:
        return self.make()


# ---------------------------------------------------------------------------------------------------- mutants

def _decorated(node: cst.FunctionDef) -> bool:
    """Decorated, and so skipped by mutmut (which mutates a lone @staticmethod or @classmethod itself)."""
    if not node.decorators:
        return False
    only = node.decorators[0].decorator if len(node.decorators) == 1 else None
    return not (isinstance(only, cst.Name) and only.value in ("staticmethod", "classmethod"))


def _skipped(node: cst.CSTNode) -> bool:
    """Subtrees mutmut leaves alone: annotations, decorators, ``len(...)``/``isinstance(...)`` calls."""
    if isinstance(node, (cst.Annotation, cst.Decorator)):
        return True
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Name)
            and node.func.value in NEVER_MUTATE_FUNCTION_CALLS)


def _walk(node: cst.CSTNode):
    """``node`` and its descendants in source order, skipping what mutmut skips."""
    if _skipped(node):
        return
    yield node
    for child in node.children:
        yield from _walk(child)


def decorated_functions(module: cst.Module) -> list[tuple[str, cst.FunctionDef]]:
    """(dotted name, node) of every decorated function not inside another one, at any depth."""
    found = []

    def visit(node, prefix):
        for child in node.children:
            if isinstance(child, cst.FunctionDef):
                name = f"{prefix}{child.name.value}"
                if _decorated(child):
                    found.append((name, child))
                    continue  # its body is mutated whole, nested functions included
                visit(child, f"{name}.")
            elif isinstance(child, cst.ClassDef):
                visit(child, f"{prefix}{child.name.value}.")
            else:
                visit(child, prefix)

    visit(module, "")
    return found


def _statement_line(node: cst.CSTNode, parents, positions) -> int:
    """The first line of the statement holding ``node``: coverage records a statement's first line, not the
    continuation line a string or an argument of a call spread over several lines sits on."""
    while not isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)) and node in parents:
        node = parents[node]
    return positions[node].start.line


def mutants_of(path: str, base: Path = ROOT) -> list[Mutant]:
    """Every mutant of the decorated functions' bodies of ``path`` (relative to the repository), as the file is
    under ``base`` (the working tree, or the scratch copy a run tests)."""
    source = (base / path).read_text(encoding="utf-8")
    wrapper = MetadataWrapper(cst.parse_module(source))
    module, positions, parents = wrapper.module, wrapper.resolve(PositionProvider), wrapper.resolve(ParentNodeProvider)
    lines = source.splitlines(keepends=True)
    pragma = {i + 1 for i, line in enumerate(lines) if "pragma: no mutate" in line}
    out = []
    for function, node in decorated_functions(module):
        original = module.code_for_node(node)
        function_hash = hashlib.sha256(original.encode()).hexdigest()[:12]
        start = positions[node].start.line
        indent = lines[start - 1][:len(lines[start - 1]) - len(lines[start - 1].lstrip())]
        number = 0
        for target in _walk(node.body):
            position = positions.get(target)
            if position and position.start.line in pragma:
                continue
            for kind, operator in mutation_operators:
                if not isinstance(target, kind):
                    continue
                for mutated in operator(target):
                    number += 1
                    # the function alone is rendered (the whole file only when the mutant runs): its changed
                    # lines, indented as in the file, are the mutant's diff
                    changed = deep_replace(node, target, mutated)
                    diff = difflib.unified_diff(original.splitlines(), module.code_for_node(changed).splitlines(),
                                                n=0, lineterm="")
                    diff = "\n".join(ln[0] + (indent + ln[1:] if ln[1:] else "") for ln in diff
                                     if ln[:1] in "+-" and ln[:3] not in ("+++", "---"))
                    span = (_statement_line(target, parents, positions), position.end.line) if position else (0, 0)
                    out.append(Mutant(f"decorated:{path}:{function}:{number}", path, function, span, diff,
                                      function_hash, lambda node=node, changed=changed: deep_replace(
                                          module, node, changed).code))
    return out


# ------------------------------------------------------------------------------------------ scratch and tracing

TRACER = '''"""Written by benchmarks/decorated_mutation.py: which test reaches which line (a context a test)."""
import json
import os
import time

import coverage
import pytest

_cov = coverage.Coverage(data_file=os.environ["DECORATED_COVERAGE"], include=json.loads(os.environ["DECORATED_FILES"]))
_cov.start()
_durations, _failed = {}, []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _cov.switch_context(item.nodeid)
    start = time.perf_counter()
    yield
    _durations[item.nodeid] = time.perf_counter() - start
    _cov.switch_context("")


def pytest_runtest_logreport(report):
    if report.failed:
        _failed.append(report.nodeid)


def pytest_unconfigure(config):
    _cov.stop()
    _cov.save()
    with open(os.environ["DECORATED_DURATIONS"], "w", encoding="utf-8") as out:
        json.dump({"seconds": _durations, "failed": _failed}, out)
'''


def use_scratch(where: Path) -> None:
    """Run in ``where`` instead of ``.mutation/decorated``."""
    global SCRATCH, RESULTS, TRACE
    SCRATCH, RESULTS, TRACE = where, where / "results.json", where / "trace.json"


def hold_scratch():
    """An exclusive lock on the scratch copy for this run, or exit naming the way out: two runs in one copy
    would write their mutants over each other's files and their results over each other's results."""
    SCRATCH.parent.mkdir(parents=True, exist_ok=True)
    handle = open(SCRATCH.parent / f"{SCRATCH.name}.lock", "w")  # noqa: SIM115 (held for the whole run)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"error: another run is using {SCRATCH}; give this one its own with --scratch DIR")
    return handle


def prepare() -> None:
    """The scratch copy, refreshed from the working tree (never edited there)."""
    copy_repository(SCRATCH, ["sysrev", "tests", "pyproject.toml", *ALSO_COPY])
    (SCRATCH / "decorated_tracer.py").write_text(TRACER, encoding="utf-8")


def environment(**extra) -> dict:
    """Imports from the scratch copy (not the editable install), no bytecode cache (a mutant of the same size
    written within a second would otherwise run its predecessor's cached bytecode)."""
    return dict(os.environ, PYTHONPATH=str(SCRATCH), PYTHONDONTWRITEBYTECODE="1",
                SYSREV_SHARED_FIXTURES=str(ROOT.parent / "shared" / "fixtures"), **extra)


def selection(path: str, own: bool = False) -> list[str]:
    """The test files traced for ``path`` (those of the scratch copy: the working tree's may have changed); with
    ``own``, only this script's own test file for it."""
    if own:
        return [t for t in OWN_TESTS if (SCRATCH / t).is_file()
                and t.startswith("tests/web/") == path.startswith("sysrev/web/")]
    if path.startswith("sysrev/web/"):
        chosen = list(WEB_TESTS)
    else:
        chosen = sorted(str(p.relative_to(SCRATCH)) for p in (SCRATCH / "tests").rglob("test_*.py")
                        if "browser" not in p.name
                        and any(marker in p.read_text(encoding="utf-8") for marker in CLI_TEST_MARKERS))
    return chosen + [t for t in OWN_TESTS if (SCRATCH / t).is_file() and t not in chosen
                     and t.startswith("tests/web/") == path.startswith("sysrev/web/")]


def load_trace() -> dict:
    """What the traces found: per layer (``full``: each file's whole selection; ``own``: this script's own test
    files, traced again by ``--survivors``), file -> line -> tests and the file as traced; test -> seconds."""
    if not TRACE.is_file():
        return {"layers": {}, "seconds": {}, "failed": []}
    traced = json.loads(TRACE.read_text(encoding="utf-8"))
    if "layers" not in traced:  # written before layers: one full trace
        traced["layers"] = {"full": {"sources": traced.pop("sources", {}), "lines": traced.pop("lines")}}
    return traced


def trace(traced: dict, files: list[str], own: bool = False) -> dict:
    """Run each group of files' test selection (or only the own test files) once under coverage."""
    from coverage import CoverageData

    layer = traced["layers"].setdefault("own" if own else "full", {"sources": {}, "lines": {}})
    groups = {}
    for path in files:
        groups.setdefault(tuple(selection(path, own)), []).append(path)
    for tests, paths in groups.items():
        if not tests:
            continue
        print(f"tracing {len(tests)} test files for {', '.join(paths)} …", file=sys.stderr, flush=True)
        data_file, durations = SCRATCH / ".coverage.trace", SCRATCH / "durations.json"
        data_file.unlink(missing_ok=True)
        env = environment(DECORATED_COVERAGE=str(data_file), DECORATED_DURATIONS=str(durations),
                          DECORATED_FILES=json.dumps([str(SCRATCH / p) for p in paths]))
        subprocess.run([sys.executable, "-m", "pytest", "-p", "decorated_tracer", "-p", "no:cacheprovider", "-q",
                        "--continue-on-collection-errors",
                        "-o", "addopts=", *tests], cwd=SCRATCH, env=env, stdout=subprocess.DEVNULL)
        data = CoverageData(basename=str(data_file))
        data.read()
        for path in paths:
            by_line = data.contexts_by_lineno(str(SCRATCH / path))
            layer["lines"][path] = {str(k): sorted(c for c in v if c) for k, v in by_line.items()}
            layer["sources"][path] = (SCRATCH / path).read_text(encoding="utf-8")
        outcome = json.loads(durations.read_text(encoding="utf-8"))
        traced["seconds"].update(outcome["seconds"])
        # a test that fails on the unmutated code would "kill" every mutant: never run against one
        traced["failed"] = sorted(set(traced.get("failed", [])) - set(outcome["seconds"]) | set(outcome["failed"]))
    TRACE.write_text(json.dumps(traced), encoding="utf-8")
    return traced


@cache
def line_map(traced_text: str, text: str) -> dict[int, int]:
    """Line of ``text`` -> the same line in ``traced_text`` (the file as traced), for lines left unchanged: the
    working tree changes while others work, and a trace stays usable for the lines that did not move in content."""
    matcher = difflib.SequenceMatcher(None, traced_text.splitlines(), text.splitlines(), autojunk=False)
    return {b + i + 1: a + i + 1 for a, b, size in matcher.get_matching_blocks() for i in range(size)}


def tests_reaching(traced: dict, mutant: Mutant) -> list[str]:
    """The tests any trace saw run a line of the mutated node, fastest first (failing ones left out)."""
    text = (SCRATCH / mutant.file).read_text(encoding="utf-8")
    first, last = mutant.lines
    found = set()
    for layer in traced["layers"].values():
        if mutant.file not in layer["sources"]:
            continue
        moved, by_line = line_map(layer["sources"][mutant.file], text), layer["lines"][mutant.file]
        found |= {t for line in range(first, last + 1) for t in by_line.get(str(moved.get(line)), [])}
    found -= set(traced.get("failed", []))
    return sorted(found, key=lambda t: (traced["seconds"].get(t, 0.0), t))


def run_mutant(mutant: Mutant, tests: list[str], seconds: float) -> str:
    """Apply the mutant in the scratch copy, run ``tests`` (-x), restore the file; the status."""
    if not tests:
        return "no tests"
    target = SCRATCH / mutant.file
    original = target.read_text(encoding="utf-8")
    target.write_text(mutant.code, encoding="utf-8")
    limit = 20 + 3 * seconds
    try:
        status = _run_tests(tests, limit)
        if status == "timeout":  # a machine loaded by other work slows a run past its limit: a second try, with
            status = _run_tests(tests, 2 * limit)  # twice the time, before a timeout counts as a kill
    finally:
        target.write_text(original, encoding="utf-8")
    return status


def _run_tests(tests: list[str], limit: float) -> str:
    """Run ``tests`` (-x) in the scratch copy as it is now; the status, "timeout" after ``limit`` seconds."""
    process = subprocess.Popen([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                "-o", "addopts=", *tests], cwd=SCRATCH, env=environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        code = process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return "timeout"
    # 1: a test failed; 2: interrupted, e.g. the mutant breaks an import at collection; 3: pytest's internal
    # error, which a mutant causes by breaking what pytest's own hooks call (warnings.showwarning). 4 and 5
    # (a usage error, nothing collected) say nothing about the mutant: reported as such, never counted.
    return {0: "survived", 1: "killed", 2: "killed", 3: "killed"}.get(code, f"error (pytest exit {code})")


# ------------------------------------------------------------------------------------------------- results

def load_results() -> dict:
    return json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}


def save_results(results: dict) -> None:
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(RESULTS)


def current(results: dict, mutant: Mutant) -> str | None:
    """The kept status of ``mutant``, or None when it has none or its function (or the edit) has changed."""
    kept = results.get(mutant.name)
    if kept and kept["function_hash"] == mutant.function_hash and kept["diff"] == mutant.diff:
        return kept["status"]
    return None


def load_equivalent() -> dict:
    """Listed equivalent mutant -> (change, reason); only the decorated-function entries."""
    if not EQUIVALENT.is_file():
        return {}
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return {e["mutant"]: (e.get("change", ""), e["reason"]) for e in data.get("equivalent", [])
            if e["mutant"].startswith("decorated:")}


_TOKEN = re.compile(r'"[^"]*"|\'[^\']*\'|<=|>=|==|!=|[<>+*/%-]|\b\d+\b|\b[A-Za-z_]\w*\b')


def still_described(change: str, diff: str) -> bool:
    """Whether the entry's change (``A → B``) still describes the mutant's diff: every code token its new side
    adds (string contents, numbers, operators, names) must be on the diff's added line, when the code has it."""
    before, arrow, after = change.partition("→")
    if not arrow:
        return True  # described in words only

    def tokens(text):
        return [t[1:-1] if t[:1] in "'\"" else t for t in _TOKEN.findall(text)]

    added = " ".join(ln[1:] for ln in diff.splitlines() if ln.startswith("+"))
    new = [t for t in tokens(after) if t not in set(tokens(before))]
    judged = [t for t in new if t in set(tokens(diff))]
    return all(t in tokens(added) for t in judged)


def wilson(killed: int, checked: int) -> str:
    z, p = 1.959964, killed / checked
    centre = (p + z * z / (2 * checked)) / (1 + z * z / checked)
    half = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked)) / (1 + z * z / checked)
    return f"95 % CI {100 * (centre - half):.1f}–{100 * (centre + half):.1f}"


def report(files: list[str], results: dict, diffs: bool = True) -> None:
    equivalent = load_equivalent()
    print("\n| file | mutants | checked | killed | survived | equivalent | not checked | kill rate |")
    print("|---|---|---|---|---|---|---|---|")
    survivors, stale, totals = [], [], [0, 0, 0, 0, 0, 0]
    for path in files:
        mutants = mutants_of(path)
        status = {m.name: current(results, m) for m in mutants}
        eq = set()
        for m in mutants:
            if m.name in equivalent and status[m.name] is not None:
                if still_described(equivalent[m.name][0], m.diff):
                    eq.add(m.name)
                else:
                    stale.append((m, equivalent[m.name][0]))
        checked = [m for m in mutants if status[m.name] is not None and m.name not in eq
                   and not status[m.name].startswith("error")]
        killed = sum(status[m.name] in KILLED for m in checked)
        mine = [m for m in checked if status[m.name] not in KILLED]
        survivors += [(m, status[m.name]) for m in mine]
        unchecked = sum(status[m.name] is None for m in mutants)
        rate = "–"
        if checked:
            rate = f"{100 * killed / len(checked):.1f} %"
            if unchecked:
                rate += f" (sample, {wilson(killed, len(checked))})"
        row = [len(mutants), len(checked) + len(eq), killed, len(mine), len(eq), unchecked]
        totals = [a + b for a, b in zip(totals, row)]
        print(f"| {path} | " + " | ".join(map(str, row)) + f" | {rate} |")
        errors = [m.name for m in mutants if (status[m.name] or "").startswith("error")]
        for name in errors:
            print(f"  {name}: {results[name]['status']} (not counted)")
    checked = totals[1] - totals[4]
    if checked:
        print(f"| all | {' | '.join(map(str, totals))} | {100 * totals[2] / checked:.1f} % |")
    print("(kill rate over the mutants checked, equivalent ones left out; a mutant no test reaches survives)")
    if survivors:
        print(f"\n{len(survivors)} surviving mutant(s)")
        for m, why in survivors:
            print(f"  {m.name} [{why}] line {m.lines[0]}")
            if diffs:
                print("\n".join("      " + ln for ln in m.diff.splitlines()))
    for m, change in stale:
        print(f"\nlisted as equivalent, but the name now names another mutant (counted by its result; renumber "
              f"its entry in {EQUIVALENT.name}): {m.name}\n  listed: {change}\n  now:\n" +
              "\n".join("      " + ln for ln in m.diff.splitlines()))


# ---------------------------------------------------------------------------------------------------- main

def draw(mutants: list[Mutant], share: float | None, seed: int, path: str) -> list[Mutant]:
    """A seeded random sample of one file's mutants (all when ``share`` is None)."""
    if share is None:
        return mutants
    count = math.ceil(share * len(mutants)) if share < 1 else int(share)
    shuffled = list(mutants)
    random.Random(f"{seed}:{path}").shuffle(shuffled)
    return shuffled[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", nargs="+", metavar="PATH", help="files to mutate (default: every command and "
                        "route file)")
    parser.add_argument("--sample", type=float, metavar="N",
                        help="test N mutants of each file (below 1: that share of each file's mutants)")
    parser.add_argument("--seed", type=int, default=1, help="the sample's seed (default 1)")
    parser.add_argument("--survivors", action="store_true", help="trace the tests afresh, re-test the survivors")
    parser.add_argument("--retrace", action="store_true", help="trace every test selection afresh first")
    parser.add_argument("--report-only", action="store_true", help="print the last results, run nothing")
    parser.add_argument("--list", action="store_true", help="list the mutants with their diffs, run nothing")
    parser.add_argument("--no-diffs", action="store_true", help="list survivors without their diffs")
    parser.add_argument("--scratch", type=Path, metavar="DIR", help="the scratch copy and its results (default "
                        ".mutation/decorated); give each of two runs side by side its own")
    args = parser.parse_args()
    if args.scratch:
        use_scratch(args.scratch if args.scratch.is_absolute() else Path.cwd() / args.scratch)
    files = args.files or [*CLI_FILES, *WEB_FILES]
    for path in files:
        if not (ROOT / path).is_file():
            parser.error(f"no such file: {path}")
    if args.list:
        for path in files:
            for m in mutants_of(path):
                print(f"{m.name} (line {m.lines[0]})\n" + "\n".join("    " + ln for ln in m.diff.splitlines()))
        return 0
    lock = None if args.report_only else hold_scratch()  # noqa: F841 (held until the process ends)
    results = load_results()
    if not args.report_only:
        prepare()
        # the working tree changes while others work: mutants are made from the scratch copy's files, and the
        # traces' line numbers are carried over to it (line_map)
        traced = load_trace()
        full = traced["layers"].get("full", {"sources": {}})["sources"]
        untraced = files if args.retrace else [p for p in files if p not in full]
        if untraced:
            trace(traced, untraced)
        if args.survivors:  # the new tests, written for the survivors: traced alone (seconds, not minutes)
            trace(traced, files, own=True)
        equivalent = load_equivalent()
        for path in files:
            mutants = mutants_of(path, SCRATCH)
            if args.survivors:
                todo = [m for m in mutants if current(results, m) not in (None, *KILLED) and m.name not in equivalent]
            else:
                todo = [m for m in draw(mutants, args.sample, args.seed, path) if current(results, m) is None]
            print(f"{path}: {len(todo)} mutant(s) to test of {len(mutants)}", file=sys.stderr, flush=True)
            for i, m in enumerate(todo, 1):
                tests = tests_reaching(traced, m)
                start = time.monotonic()
                status = run_mutant(m, tests, sum(traced["seconds"].get(t, 0.0) for t in tests))
                results[m.name] = {"status": status, "diff": m.diff, "function_hash": m.function_hash,
                                   "tests": len(tests)}
                save_results(results)
                print(f"  [{i}/{len(todo)}] {m.name}: {status} ({len(tests)} tests, "
                      f"{time.monotonic() - start:.1f} s)", file=sys.stderr, flush=True)
    report(files, results, not args.no_diffs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
