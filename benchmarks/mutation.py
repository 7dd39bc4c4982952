"""Mutation testing of the core modules with mutmut 3: the kill rate per module and every surviving mutant.

mutmut changes the code one small edit at a time (``<`` → ``<=``, ``-1.0`` → ``0.0``, ``and`` → ``or``, a
dropped argument…) and runs the tests that exercise the changed function; a mutant the tests do not notice
*survives*. Each module is mutated against its own test folder only (the tests meant to guard it), in a
scratch copy of the repository under ``.mutation/<module>/`` (git-ignored), so nothing in the working tree is
touched and mutmut's cache makes a second run re-test only what changed.

Slow (tens of minutes per large module on a shared 2-core machine), so it is not part of CI:

    .venv/bin/pip install -e '.[mutation]'
    nice -n 10 .venv/bin/python benchmarks/mutation.py                 # every module
    nice -n 10 .venv/bin/python benchmarks/mutation.py agreement prisma  # some modules
    .venv/bin/python benchmarks/mutation.py --report-only               # print the last results again
    nice -n 10 .venv/bin/python benchmarks/mutation.py --survivors agreement  # after new tests: survivors again
    .venv/bin/python benchmarks/mutation.py --fresh agreement           # forget cached results first
    nice -n 15 .venv/bin/python benchmarks/mutation.py meta --files heterogeneity pooling --by-file
                                        # one large module a few files at a time, with a kill rate per file

Kill rate = (killed + timed out) / (all mutants − equivalent ones). A mutant with no test reaching it counts
as surviving. Survivors that are truly equivalent (no test could ever tell them apart: the mutated code
computes the same thing) are listed, each with its reason, in ``benchmarks/mutation_equivalent.toml``;
they are left out of the rate and printed apart. Target: ≥ 90 % per module (docs/testing.md).
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation"
EQUIVALENT = Path(__file__).resolve().parent / "mutation_equivalent.toml"
TARGET = 90.0

# module name -> (files mutated, the test folder that guards them)
MODULES = {
    "meta": (["sysrev/meta/*"], ["tests/meta/"]),
    "rob": (["sysrev/rob/*"], ["tests/rob/", "tests/extraction/test_study_labels.py"]),
    "conversions": (["sysrev/extraction/conversions.py"], ["tests/extraction/test_extraction_conversions.py"]),
    # Extraction files: read, checked, compared between two extractors and merged (what every analysis pools).
    "extraction": ([f"sysrev/extraction/{name}.py" for name in ("table", "check", "compare", "compare_studies",
                                                                 "discrepancy", "form", "study_labels")],
                   ["tests/extraction/"]),
    "agreement": (["sysrev/screening/agreement.py"], ["tests/screening/test_screening_agreement.py"]),
    "prisma": (["sysrev/report/prisma.py"], ["tests/screening/test_screening_prisma.py"]),
    "dedup": (["sysrev/dedup/*"], ["tests/dedup/"]),
    "ovid_display": (["sysrev/formats/ovid_display.py"], ["tests/formats/"]),
    "ctgov_json": (["sysrev/formats/ctgov_json.py"], ["tests/formats/"]),
    "stopping": (["sysrev/screening/stopping.py"], ["tests/screening/test_screening_prioritisation.py",
                                                     "tests/screening/test_stopping_rule.py",
                                                     "tests/screening/test_stopping_added_records.py",
                                                     "tests/screening/test_stopping_random_draws.py"]),
    # Records merged by dedup after work began: the IDs merged away, followed by the decision logs, studies.csv
    # and the full-text manifest.
    "merged_ids": (["sysrev/screening/merged.py", "sysrev/dedup/merged_records.py"],
                   ["tests/screening/test_screening_merged_records.py", "tests/dedup/test_dedup_merged_ids.py",
                    "tests/fulltext/test_fulltext_table_details.py", "tests/dedup/test_dedup_gone_records.py",
                    "tests/dedup/test_dedup_id_clash.py"]),
    "grade": (["sysrev/grade/*"], ["tests/grade/"]),
    "living": (["sysrev/living/*"], ["tests/living/", "tests/dedup/test_dedup_gone_records.py"]),
    # From the extraction files to each analysis's data and results (the seed review's pipeline).
    "analyses": (["sysrev/analyses/*"],
                 ["tests/analyses/", "tests/extraction/test_extraction_consensus_to_analysis.py"]),
    # The trial sequential analysis of the living review against its own tests only: a surviving mutant then
    # costs seconds, not the whole living suite's minute.
    "tsa": (["sysrev/living/boundaries.py", "sysrev/living/sequential.py"],
            [f"tests/living/test_living_{name}.py" for name in ("boundaries", "boundaries_details", "sequential",
                                                                 "sequential_details", "sequential_exact")]),
    "tsa_plot": (["sysrev/living/tsa_plot.py"], ["tests/living/test_living_tsa_plot.py"]),
    # Search snapshots and imports: what a search or an export retrieved, kept exactly (the review's provenance).
    "snapshot": (["sysrev/search/snapshot.py", "sysrev/search/imports.py"],
                 ["tests/search/test_search_snapshot.py", "tests/search/test_snapshot_details.py",
                  "tests/search/test_search_runner.py",
                  "tests/formats/test_formats_import_cli.py", "tests/reliability/test_interrupted_folders.py",
                  "tests/formats/test_import_source_typo.py"]),
    # The screening logs: every decision a team makes, read, written and imported (silent loss would be unseen).
    "screening_log": ([f"sysrev/screening/{name}.py" for name in ("log", "imports", "state")],
                      [*[f"tests/screening/test_{name}.py" for name in ("screening_logs", "log_cut_off", "log_details",
                                                                         "screening_import", "screening_import_details",
                                                                         "screening_state", "state_details",
                                                                         "decisions_sheet", "log_hand_edits",
                                                                         "settings_changed_after_screening")],
                       "tests/dedup/test_dedup_gone_records.py"]),
    # The import readers: every export a team brings (RIS, MEDLINE, BibTeX, EndNote, CSV layouts, …) read into
    # records, cut-off files refused. Left out: the data tables latex_symbols and rispy_tags (a symbol table's
    # entries are checked by examples, not one test per entry), result.py (dataclasses, nothing to mutate) and the
    # two readers with modules of their own.
    "formats": ([f"sysrev/formats/{name}.py" for name in (
        "__init__", "bibtex", "csl_json", "csv_export", "decode", "detect", "endnote_tagged", "endnote_xml",
        "fields", "ictrp_xml", "nbib", "openalex_json", "ovid", "proquest_text", "ris", "safexml", "truncation",
        "workbook", "wos", "cochrane_text")],
               ["tests/formats/", *[f"tests/reliability/test_{name}.py" for name in ("xml_encodings", "xml_entities",
                                                                                     "import_slow_paths")]]),
    # The search readers: PubMed's XML and Scopus' JSON into records, against the tests that read them (not the
    # whole search suite, whose fault-injecting servers take a minute a run).
    "search_readers": (["sysrev/search/pubmed_xml.py", "sysrev/search/scopus_json.py"],
                       [f"tests/search/test_search_{name}.py" for name in ("every_field", "real_xml", "own_fixtures",
                                                                            "xml_safety")]),
    # The search clients: PubMed's E-utilities and Scopus' Search API over one HTTP layer (retries, deadlines,
    # redaction, rate limit), their date slices, batches and resumable state, against the tests that run the
    # clients on local fake servers (not the whole search suite: the readers and snapshot tests reach none of it).
    "search_clients": ([f"sysrev/search/{name}.py" for name in ("pubmed", "scopus", "http", "ratelimit", "batches",
                                                                 "dates", "partial")],
                       [*[f"tests/search/test_search_{name}.py" for name in ("pubmed", "scopus", "transport",
                                                                             "reliability", "runner")],
                        "tests/search/test_client_details.py", "tests/search/test_http_details.py",
                        "tests/search/test_ratelimit_details.py", "tests/search/test_pubmed_details.py",
                        "tests/search/test_scopus_details.py", "tests/search/test_search_support_details.py"]),
    # What sysrev writes for other tools: reference lists, screening decisions, analysis data for R and RevMan.
    "export": (["sysrev/export/*"], ["tests/export/", "tests/screening/test_screening_exports.py"]),
    # The code between a crash (or two users at once) and lost data: atomic writes, the project lock, leftovers
    # of killed writes, the Record contract, CSV quote states, credential scrubbing and TOML line lookup,
    # against the tests that exercise them (not the suites of the stages that merely call them).
    "core_io": ([f"sysrev/{name}.py" for name in ("fileio", "locking", "interrupted_writes", "records", "csv_quotes",
                                                   "credentials", "toml_lines")],
                ["tests/test_fileio.py", "tests/reliability/", "tests/formats/test_csv_cut_quotes.py",
                 "tests/screening/test_write_errors_name_the_file.py",
                 # not the file's docs/reference test: docs/ is not copied to the scratch folder
                 *[f"tests/config/test_config_schema.py::test_{name}" for name in (
                     "review_toml_typo_is_refused_with_line_and_suggestion", "strategy_typo_is_refused",
                     "analyses_typo_is_refused", "extraction_form_typo_is_refused", "rob_form_typo_is_refused",
                     "grade_file_typo_is_refused", "wrong_types_choices_and_missing_keys_are_all_listed",
                     "key_lines_follow_arrays_dotted_keys_and_multiline_values")],
                 "tests/analyses/test_spec_reading.py", "tests/analyses/test_analyses_errors.py"]),
    # The screen a reviewer decides in (keys, the record shown, resuming, going back) and the progress summary.
    # (The screening records and settings it reads are the screening_log module's tests' to guard.)
    "screen_session": ([f"sysrev/screening/{name}.py" for name in ("session", "keys", "summary")],
                       [*[f"tests/screening/test_{name}.py" for name in (
                           "screening_session", "screening_keys", "record_order", "screening_state", "state_details",
                           "screening_report", "screening_prioritisation", "session_details", "summary_details",
                           "keys_details")],
                        "tests/fulltext/test_fulltext_use.py", "tests/dedup/test_dedup_review_keys.py",
                        "tests/config/test_init_end_to_end.py"]),
    # The field rules every reader applies: cleaned text, DOIs, PMIDs, ISSNs, pages, years, author names.
    "normalise": (["sysrev/normalise.py"], ["tests/formats/test_formats_normalise.py",
                                            "tests/formats/test_fields_rules.py"]),
    # A new review's files and the check of a whole project: the schema every TOML file is read against,
    # `sysrev init`'s files, `sysrev check`'s listing and the project layout.
    "onboarding": ([f"sysrev/{name}.py" for name in ("config_schema", "init_project", "project_check", "project",
                                                      "did_you_mean")],
                   ["tests/config/", "tests/extraction/test_extraction_check.py", "tests/rob/test_rob_check_rules.py",
                    "tests/reliability/test_interrupted_folders.py", "tests/reliability/test_hand_table_cutoff.py",
                    "tests/living/test_draft_strategies.py", "tests/test_cli_foundation.py",
                    "tests/search/test_query_lint.py", "tests/extraction/test_study_labels.py",
                    "tests/grade/test_grade_orphan_files.py", "tests/test_did_you_mean.py"]),
    # Full texts: finding an open copy (Unpaywall, Europe PMC, PMC), fetching it, the manifest, JATS to text.
    "fulltext": (["sysrev/fulltext/*"], ["tests/fulltext/", "tests/reliability/test_xml_encodings.py"]),
    # The team's web app: who may do what, the state it reads and writes, its pages (not the browser tests,
    # which need Chromium).
    "web": (["sysrev/web/*"], [*[f"tests/web/test_web_{name}.py" for name in (
        "pages", "concurrent_writes", "fetch_screening", "access", "state", "screening_details", "dashboard", "rob",
        "dedup")]]),
    # Running a saved strategy (dates, resume, the run's record) and the settings and strategies it reads.
    "search_runs": ([f"sysrev/search/{name}.py" for name in ("runner", "config", "strategies", "progress",
                                                             "query_lint")],
                    [*[f"tests/search/test_search_{name}.py" for name in ("runner", "runner_details", "cli",
                                                                         "cli_grammar")],
                     "tests/search/test_query_lint.py",
                     "tests/living/test_draft_strategies.py", "tests/living/test_living_refresh.py"]),
    # The reports and the tables a team edits by hand: the PRISMA diagram, the screening report, the hand-edited
    # CSV tables and the merge-conflict note every error about a file carries.
    "reports_tables": ([f"sysrev/{name}.py" for name in ("report/prisma_diagram", "report/screening_report",
                                                         "hand_tables", "merge_conflicts")],
                       ["tests/screening/test_screening_prisma.py", "tests/screening/test_prisma_in_progress.py",
                        "tests/screening/test_screening_report.py", "tests/living/test_living_prisma_update.py",
                        *[f"tests/reliability/test_{name}.py" for name in ("hand_table_cutoff", "hand_table_separators",
                                                                           "merge_conflicts")],
                        "tests/extraction/test_extraction_all_problems.py",
                        "tests/screening/test_write_errors_name_the_file.py",
                        "tests/screening/test_settings_changed_after_screening.py"]),
    "ranking": ([f"sysrev/screening/{name}.py" for name in ("ranking", "features", "linear_svm", "simulate",
                                                             "labelled_csv", "prioritisation", "ordering")],
                ["tests/screening/"]),
    # What screening reads: review.toml's [screening] settings, the records and the matcher an import maps rows
    # with, and a trial's other reports as the screens list them.
    "screening_inputs": ([f"sysrev/screening/{name}.py" for name in ("config", "records", "same_trial")],
                         [f"tests/screening/test_{name}.py" for name in (
                             "same_trial", "screening_logs", "log_details", "log_cut_off", "screening_import",
                             "screening_import_details", "session_details", "screening_state", "state_details",
                             "screening_inputs_details")]),
    # The commands a team runs every day (import, dedup, screen, status, refresh), against the tests that run them.
    "cli_core": ([f"sysrev/cli/{name}.py" for name in ("importer", "dedup", "screen", "status", "refresh")],
                 ["tests/test_cli_core_details.py", "tests/test_cli_foundation.py",
                  "tests/reliability/test_clean_errors.py", "tests/formats/test_formats_import_cli.py",
                  "tests/formats/test_import_truncated.py",
                  *[f"tests/dedup/test_dedup_{name}.py" for name in ("files", "project", "review_keys",
                                                                     "record_counters")],
                  *[f"tests/screening/test_{name}.py" for name in (
                      "screening_state", "screening_import", "screening_import_details", "screening_prioritisation",
                      "screening_report", "labelled_csv", "settings_changed_after_screening")],
                  "tests/dedup/test_dedup_gone_records.py",
                  *[f"tests/living/test_{name}.py" for name in ("status_imports", "living_studies", "living_refresh",
                                                                 "refresh_todo")]]),
    # The helpers of the other commands (extract, meta, rob, grade, prisma, init, export, search, the top-level
    # group and the shared options), against the tests that run those commands in-process.
    "cli_rest": ([f"sysrev/cli/{name}.py" for name in ("extract", "main", "search", "meta", "meta_options",
                                                        "meta_tsa", "options", "rob", "grade", "prisma", "init",
                                                        "export")],
                 ["tests/test_cli_rest_details.py", "tests/test_cli_foundation.py", "tests/test_cli_grammar.py",
                  "tests/reliability/test_clean_errors.py",
                  *[f"tests/meta/test_{name}.py" for name in ("meta_cli", "pool_lists_every_bad_row",
                                                              "meta_cumulative")],
                  "tests/living/test_living_sequential.py", "tests/rob/test_rob_cli.py",
                  "tests/grade/test_grade_sof.py", "tests/grade/test_grade_files.py",
                  "tests/screening/test_screening_prisma.py", "tests/screening/test_prisma_in_progress.py",
                  "tests/config/test_init.py", "tests/config/test_init_details.py",
                  "tests/export/test_export_files.py", "tests/export/test_export_r.py",
                  "tests/search/test_search_cli.py", "tests/search/test_search_cli_grammar.py",
                  "tests/extraction/test_extraction_compare_cli.py", "tests/extraction/test_extraction_check.py",
                  "tests/fulltext/test_fulltext_use.py"]),
}
# Drawing code: its output is checked as images and text by tests/meta_plots and tests/rob; mutating line
# widths and colours measures nothing a review relies on.
NOT_MUTATED = ["sysrev/meta/plots/*", "sysrev/rob/plots.py"]
# What the tests read besides the package and tests/ (mutmut copies tests/ and pyproject.toml itself).
ALSO_COPY = ["validation", "analysis", "screening", "searches", "records", "examples", "review.toml", "README.md",
             "docs"]

# A mutant that crashes the test process (a segfault in a C library given a None) fails the tests too.
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
# Appended to the scratch copy's tests/conftest.py (never the working tree's): pytest runs a mutant's tests
# fastest first, by the durations mutmut recorded, so a mutant that a quick unit test kills costs that test's
# time, not the time of every slow test collected before it (pytest stops at the first failure, -x).
FASTEST_FIRST = """

def pytest_collection_modifyitems(session, config, items):
    \"\"\"benchmarks/mutation.py: run the fastest tests first (mutmut's recorded durations).\"\"\"
    import json as _json
    from pathlib import Path as _Path

    stats = _Path("mutmut-stats.json")
    if stats.is_file():
        durations = _json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
"""
# Mutants without a result are tried in rounds, each a seeded random share of every file's unchecked mutants,
# so that a run cut short has checked a random sample of every file (an estimate of its kill rate), not the
# cheapest mutants first.
ROUND_SHARE, MIN_BATCH = 0.15, 10


def write_config(where: Path, module: str) -> None:
    files, tests = MODULES[module]
    base = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    base.setdefault("tool", {})["mutmut"] = {
        "source_paths": ["sysrev/"],  # the whole package is copied, so the mutated one imports its siblings
        "only_mutate": files,
        "do_not_mutate": NOT_MUTATED,
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q", "-x"],
        "also_copy": ALSO_COPY,
    }
    lines = ["# written by benchmarks/mutation.py for one module; the [tool.mutmut] section is what matters",
             "[tool.mutmut]"]
    for key, value in base["tool"]["mutmut"].items():
        lines.append(f"{key} = {json.dumps(value)}")
    lines.append("")
    lines.append("[tool.pytest.ini_options]")
    lines.append('testpaths = ["tests"]')
    lines.append('markers = ["slow: longer-running tests (still run in CI)"]')
    (where / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_repository(where: Path, names: list) -> None:
    """Copy the repository's ``names`` (folders and files) into ``where``, replacing what an earlier copy left."""
    where.mkdir(parents=True, exist_ok=True)
    for name in names:
        source, target = ROOT / name, where / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, target)


def prepare(module: str, fresh: bool) -> Path:
    """The module's scratch copy, refreshed from the working tree (mutmut re-mutates what changed)."""
    where = SCRATCH / module
    if fresh and where.exists():
        shutil.rmtree(where)
    copy_repository(where, ["sysrev", "tests", *ALSO_COPY])
    write_config(where, module)
    with (where / "tests" / "conftest.py").open("a", encoding="utf-8") as conftest:
        conftest.write(FASTEST_FIRST)
    _refresh_package_data(where)
    return where


def _refresh_package_data(where: Path) -> None:
    """Copy the package's files that are not Python (the web app's templates) into mutmut's own copy: mutmut
    refreshes only the .py files there, so a template changed since the first run would be tested stale."""
    mutated = where / "mutants" / "sysrev"
    if not mutated.is_dir():
        return
    for source in (where / "sysrev").rglob("*"):
        if source.is_file() and source.suffix not in (".py", ".pyc"):
            target = mutated / source.relative_to(where / "sysrev")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def run_mutmut(where: Path, children: int, names=()) -> None:
    """``mutmut run`` in ``where``: every mutant without a result, or exactly the mutants ``names``."""
    env = dict(os.environ, SYSREV_SHARED_FIXTURES=str(ROOT.parent / "shared" / "fixtures"))
    # mutmut draws a progress line per mutant; its output is kept only to explain a failure
    process = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *names],
                             cwd=where, env=env, capture_output=True, text=True)
    if process.returncode != 0:
        raise SystemExit(f"mutmut failed in {where} (exit {process.returncode}):\n"
                         f"{process.stdout[-2000:]}\n{process.stderr[-2000:]}")


def file_pattern(module: str, stem: str) -> str:
    """mutmut's name pattern for the mutants of one file of ``module`` (``sysrev.meta.pooling.*``)."""
    files = MODULES[module][0]
    if files[0].endswith("/*"):
        return f"{files[0].removesuffix('/*').replace('/', '.')}.{stem}.*"
    named = [f for f in files if Path(f).stem == stem]
    if not named:
        raise SystemExit(f"--files {stem}: not one of the files of {module} ({', '.join(files)})")
    dotted = named[0].removesuffix(".py").replace("/", ".")
    if stem == "__init__":  # a package's own mutants are named after the package: sysrev.formats.x_read…
        return f"{dotted.removesuffix('.__init__')}.x*"
    return f"{dotted}.*"


def file_of(name: str) -> str:
    """The file a mutant belongs to: ``sysrev.meta.pooling.x_pool__mutmut_3`` -> ``sysrev/meta/pooling.py``."""
    path = name.split(".x")[0].replace(".", "/")
    return f"{path}/__init__.py" if (ROOT / path).is_dir() else f"{path}.py"


def run_files(where: Path, module: str, stems: list, children: int, survivors: list) -> None:
    """Mutants of some files of a large module only: first the survivors given, then those without a result.

    Unchecked mutants are tried in rounds: each round takes a seeded random share of every file's unchecked
    mutants, so that whenever the run is cut short every file has a random sample checked.
    """
    from fnmatch import fnmatch

    patterns = [file_pattern(module, stem) for stem in stems]
    mine = [n for n in survivors if any(fnmatch(n, p) for p in patterns)]
    if mine:
        try:
            run_mutmut(where, children, mine)
        except SystemExit:
            pass  # a survivor's function was removed or changed: the mutants are made anew, and tried below
    elif (where / "mutants").is_dir():
        # mutmut re-mutates a changed function (its mutants lose their results) only when it runs: have it run
        # once, on one mutant already killed, so the rounds below see every changed function's mutants
        killed = sorted(n for n, s in results(where).items() if s in KILLED and any(fnmatch(n, p) for p in patterns))
        if killed:
            try:
                run_mutmut(where, children, killed[:1])
            except SystemExit:
                pass  # that mutant's function changed and it has another number now: the mutants are made anyway
    queues = []
    for pattern in patterns:
        done = {n: s for n, s in results(where).items() if fnmatch(n, pattern)} if (where / "mutants").is_dir() else {}
        if not done:
            run_mutmut(where, children, [pattern])  # first run: mutmut generates the mutants, then tests them all
            continue
        todo = sorted(n for n, s in done.items() if s == "not checked")
        random.Random(f"{module}:{pattern}").shuffle(todo)
        queues.append(todo)
    while any(queues):  # one mutmut run per round: its clean-test pass is paid once, not once per file
        batch = []
        for todo in queues:
            take = max(MIN_BATCH, math.ceil(ROUND_SHARE * len(todo)))
            batch += todo[:take]
            todo[:] = todo[take:]
        run_mutmut(where, children, batch)


def results(where: Path) -> dict:
    """Mutant name -> status, from mutmut's result files.

    mutmut keeps the result of a mutant whose function has since been changed or removed; such a mutant is
    no longer in the mutated source (``def <name>(`` is absent) and is left out, so a rate counts only the
    mutants of today's code."""
    from mutmut.stats import status_by_exit_code

    out = {}
    for meta in sorted((where / "mutants").rglob("*.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        source = meta.with_suffix("")
        text = source.read_text(encoding="utf-8") if source.is_file() else ""
        for name, code in data.get("exit_code_by_key", {}).items():
            if f"def {name.rsplit('.', 1)[-1]}(" in text:
                out[name] = status_by_exit_code[code]
    return out


def show(where: Path, name: str) -> str:
    process = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=where, capture_output=True,
                             text=True)
    lines = [ln for ln in process.stdout.splitlines()
             if ln.startswith(("+", "-")) and not ln.startswith(("+++", "---"))]
    return "\n".join("      " + ln for ln in lines) or "      (no diff shown)"


def load_equivalent() -> dict:
    if not EQUIVALENT.is_file():
        return {}
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    listed = {entry["mutant"]: entry["reason"] for entry in data.get("equivalent", [])}
    # code run only while a module is imported (tables built at import): mutmut switches a mutant on after
    # the import, so no test can reach it; listed apart, with the test that checks the table instead
    listed |= {entry["mutant"]: "(import time) " + entry["reason"] for entry in data.get("import_time", [])}
    return listed


def load_changes() -> dict:
    """Listed equivalent mutant -> the change its entry describes (``A → B``)."""
    if not EQUIVALENT.is_file():
        return {}
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return {entry["mutant"]: entry.get("change", "") for entry in data.get("equivalent", [])}


def mutated_lines(where: Path, name: str) -> tuple[str, str]:
    """(removed, added) source lines of mutant ``name``, read from mutmut's mutants file of its module (the
    mutant's function against the original); ``("", "")`` when no such mutant exists."""
    path = where / "mutants" / file_of(name)
    func, _, _number = name.rpartition(".")[2].rpartition("__mutmut_")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return "", ""

    def body(suffix):
        head = re.compile(rf"^(\s*)def {re.escape(func)}__mutmut_{suffix}\(")
        for i, line in enumerate(lines):
            match = head.match(line)
            if match:
                indent = len(match.group(1))
                end = next((j for j in range(i + 1, len(lines)) if lines[j].strip()
                            and len(lines[j]) - len(lines[j].lstrip()) <= indent), len(lines))
                # the def line too (a default argument is mutated there), its name made the same
                return [lines[i].strip().replace(f"__mutmut_{suffix}(", "("), *(ln.strip() for ln in lines[i + 1:end])]
        return None

    mutant, original = body(_number), body("orig")
    if mutant is None or original is None:
        return "", ""
    diff = list(difflib.ndiff(original, mutant))
    return (" ".join(d[2:] for d in diff if d.startswith("- ")), " ".join(d[2:] for d in diff if d.startswith("+ ")))


_CODE_TOKEN = re.compile(r'"[^"]*"|\'[^\']*\'|<=|>=|==|!=|[<>+*/%-]|\b\d+\b|\b[A-Za-z_][\w.]*\b')


def still_described(where: Path, name: str, change: str) -> bool:
    """Whether mutant ``name`` is still the change its entry describes. mutmut numbers a function's mutants in
    order, so a line added above shifts every number after it and an entry can come to name another mutant,
    which would then be left out of the rate unseen. The check: among the tokens the change's new side adds
    (strings, numbers, operators, names), one that the code could hold must be in the mutant's added line."""
    removed, added = mutated_lines(where, name)
    if not removed and not added:
        return False
    before, arrow, after = change.partition("→")
    if not arrow:
        return True  # described in words only: nothing to check it against
    def tokens(text):  # a string's quotes do not matter: entries write 'x' for "x"
        return [t[1:-1] if t[:1] in "'\"" else t for t in _CODE_TOKEN.findall(text)]

    new = [t for t in tokens(after) if t not in set(tokens(before))]
    code = set(tokens(f"{removed} {added}"))
    judged = [t for t in new if t in code]  # words of the entry's prose are no evidence either way
    return not judged or any(t in tokens(added) for t in judged)


def rate_text(killed: int, checked: int, unchecked: int) -> str:
    """The kill rate; while mutants are unchecked, the checked ones are a random sample (run_files), so the
    rate is an estimate and is shown with its 95 % Wilson interval."""
    rate = f"{100.0 * killed / checked:.1f} %"
    if not unchecked:
        return rate
    z, p = 1.959964, killed / checked
    centre = (p + z * z / (2 * checked)) / (1 + z * z / checked)
    half = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked)) / (1 + z * z / checked)
    return f"{rate} (sample of {checked}, 95 % CI {100 * (centre - half):.1f}–{100 * (centre + half):.1f})"


def module_estimate(status: dict, equivalent: dict) -> str:
    """A module's kill rate while some of its files are only sampled: each file's rate over its checked
    mutants (a random sample, run_files), weighted by the file's mutants (a stratified estimate), with a
    95 % normal interval that includes the finite-population correction."""
    estimate = variance = 0.0
    counted = {n: s for n, s in status.items() if n not in equivalent}
    total = len(counted)
    for path in sorted({file_of(n) for n in counted}):
        mine = [s for n, s in counted.items() if file_of(n) == path]
        checked = [s for s in mine if s != "not checked"]
        if not checked:
            return f"– ({path} not sampled yet)"
        share, p = len(mine) / total, sum(s in KILLED for s in checked) / len(checked)
        estimate += share * p
        variance += share * share * p * (1 - p) / len(checked) * (1 - len(checked) / len(mine))
    half = 1.959964 * math.sqrt(variance)
    return f"≈ {100 * estimate:.1f} % (stratified sample estimate, 95 % CI {100 * (estimate - half):.1f}–" \
           f"{100 * min(1.0, estimate + half):.1f})"


def report(modules: list, diffs: bool, by_file: bool = False) -> bool:
    equivalent, changes = load_equivalent(), load_changes()
    rows, all_met, stale = [], True, []
    for module in modules:
        where = SCRATCH / module
        if not (where / "mutants").is_dir():
            rows.append((module, None))
            continue
        status = results(where)
        for name in [n for n in status if n in changes and not still_described(where, n, changes[n])]:
            stale.append((name, changes[name], mutated_lines(where, name)))
            del equivalent[name]  # counted by its result until its entry names the mutant it describes
        unchecked = sum(s == "not checked" for s in status.values())
        counted = {n: s for n, s in status.items() if n not in equivalent and s != "not checked"}
        killed = sum(s in KILLED for s in counted.values())
        rate = 100.0 * killed / len(counted) if counted else None  # None: no mutant checked, not measured
        survivors = sorted(n for n, s in counted.items() if s not in KILLED)
        eq = sorted(n for n in status if n in equivalent)
        rows.append((module, (len(status), killed, len(survivors), len(eq), rate, survivors, eq, status,
                              unchecked)))
        all_met &= rate is not None and rate >= TARGET and not unchecked
    unused = sorted(set(equivalent) - {n for _, row in rows if row for n in row[7]})
    checked = {m for m, row in rows if row}
    unused = [n for n in unused if any(f".{m}" in n or n.startswith(f"sysrev.{m}") for m in checked)]
    print("\n| module | mutants | killed | survived | equivalent | not checked | kill rate |")
    print("|---|---|---|---|---|---|---|")
    for module, row in rows:
        if row is None:
            print(f"| {module} | not run | | | | | |")
            continue
        total, killed, survived, eq, rate, *_, unchecked = row
        shown = "–" if rate is None else rate_text(killed, killed + survived, unchecked)
        if rate is not None and unchecked:
            shown = module_estimate(row[7], equivalent)
        print(f"| {module} | {total} | {killed} | {survived} | {eq} | {unchecked} | {shown} |")
    if by_file:
        print("\n| file | mutants | killed | survived | equivalent | not checked | kill rate |")
        print("|---|---|---|---|---|---|---|")
        for _, row in rows:
            for path in sorted({file_of(n) for n in (row[7] if row else {})}):
                status = {n: s for n, s in row[7].items() if file_of(n) == path}
                counted = [s for n, s in status.items() if n not in equivalent and s != "not checked"]
                killed = sum(s in KILLED for s in counted)
                unchecked = sum(s == "not checked" for s in status.values())
                rate = rate_text(killed, len(counted), unchecked) if counted else "–"
                eq = sum(n in equivalent for n in status)
                print(f"| {path} | {len(status)} | {killed} | {len(counted) - killed} | {eq} | {unchecked} | {rate} |")
    print("(kill rate over the mutants checked, equivalent ones left out; 'not checked': the run was cut short)")
    for module, row in rows:
        if row is not None and row[4] is None:
            print(f"{module}: not measured — none of its {row[0]} mutants has been checked yet")
    for module, row in rows:
        if row is None:
            continue
        _, _, _, _, _, survivors, eq, status, _ = row
        if survivors:
            print(f"\n{module}: {len(survivors)} surviving mutant(s)")
            for name in survivors:
                print(f"  {name} [{status[name]}]")
                if diffs:
                    print(show(SCRATCH / module, name))
        if eq:
            print(f"\n{module}: {len(eq)} equivalent or import-time mutant(s), left out of the rate")
            for name in eq:
                print(f"  {name}: {equivalent[name]}")
    for name in unused:
        print(f"\nlisted as equivalent but no longer a mutant (review {EQUIVALENT.name}): {name}")
    for name, change, (removed, added) in stale:
        print(f"\nlisted as equivalent, but the name now names another mutant (counted by its result; renumber "
              f"its entry in {EQUIVALENT.name}): {name}\n  listed: {change}\n  now:    - {removed[:150]}\n"
              f"          + {added[:150]}")
    return all_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", choices=[[], *MODULES], help="modules (default: all)")
    parser.add_argument("--report-only", action="store_true", help="print the last results, run nothing")
    parser.add_argument("--fresh", action="store_true", help="forget cached results of these modules first")
    parser.add_argument("--survivors", action="store_true",
                        help="after adding tests: try the last run's survivors again (mutmut keeps other results)")
    parser.add_argument("--children", type=int, default=1, help="parallel test processes (default 1)")
    parser.add_argument("--no-diffs", action="store_true", help="list surviving mutants without their diffs")
    parser.add_argument("--files", nargs="+", metavar="NAME",
                        help="one module only: mutate just these of its files (e.g. heterogeneity pooling)")
    parser.add_argument("--by-file", action="store_true", help="also print the kill rate of each file")
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    if args.files and len(modules) != 1:
        parser.error("--files needs exactly one module")
    if not args.report_only:
        equivalent = load_equivalent()
        for module in modules:
            print(f"mutating {module} …", file=sys.stderr, flush=True)
            where = SCRATCH / module
            survivors = []
            if args.survivors and (where / "mutants").is_dir():
                survivors = sorted(n for n, s in results(where).items()
                                   if s not in KILLED and s != "not checked" and n not in equivalent)
            where = prepare(module, args.fresh)
            if survivors:
                # mutmut picks the tests for a mutant from which tests called its function when it last
                # collected that (new tests are added, old ones are not re-traced): after the code or the
                # tests changed, that choice can miss the test that kills a survivor, so collect it afresh
                (where / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
            if args.files:
                run_files(where, module, args.files, args.children, survivors)
                continue
            if survivors:  # the new tests first try what survived, then whatever has no result yet
                run_mutmut(where, args.children, survivors)
            run_mutmut(where, args.children)
    return 0 if report(modules, not args.no_diffs, args.by_file) else 1


if __name__ == "__main__":
    sys.exit(main())
