"""Compare the ``sysrev meta pool --json`` output with metafor on data outside the validation set.

``cli_reference.json`` (written by make_cli_reference.R) holds, for six metadat datasets that
``reference.json`` does not use, the CSV rows, the command's options and metafor's value of every field the
command-line contract names. Each case is written out as a CSV and run through the ``sysrev`` command (click's
test runner, in-process), and every field is compared at the tolerance of compare.py: relative 1e-6 (or 0
against a value within 1e-9 of it). Run ``.venv/bin/python validation/metafor/compare_cli.py`` for
the summary; tests/meta/test_meta_cli_metafor.py runs the same comparisons, one test per case.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "cli_reference.json"

_spec = importlib.util.spec_from_file_location("metafor_compare", HERE / "compare.py")
_compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_compare)
agrees, relative_difference, RTOL, ATOL = _compare.agrees, _compare.relative_difference, _compare.RTOL, _compare.ATOL

#: The --json fields of the contract (issue 2) that every result, overall or per subgroup, carries.
LABELS = ("measure", "method", "model", "tau2_method")
NUMBERS = ("k", "estimate", "ci_low", "ci_high", "se", "z", "p", "tau2", "tau2_ci_low", "tau2_ci_high", "I2", "H2",
           "Q", "Q_df", "Q_p", "pi_low", "pi_high")
STUDY_NUMBERS = ("yi", "vi", "estimate", "ci_low", "ci_high", "weight")
SUBGROUP_TEST = ("Q", "df", "p", "I2")


def load_reference(path=REFERENCE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_csv(rows: list[dict], path: Path) -> Path:
    """The dataset as the CSV a reviewer would give ``sysrev meta pool``."""
    columns = list(rows[0])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([[repr(row[c]) if isinstance(row[c], float) else row[c] for c in columns] for row in rows])
    return path


def command(case: dict, data_csv: Path) -> list[str]:
    """The ``sysrev meta pool`` arguments of a case (every option spelled out)."""
    a = case["args"]
    args = ["meta", "pool", str(data_csv), "--measure", a["measure"], "--method", a["method"], "--model", a["model"],
            "--tau2", a["tau2"], "--ci", a["ci"], "--smd", a["smd"], "--zero", a["zero"], "--level", str(a["level"]),
            "--json"]
    return args + (["--subgroup", a["subgroup"]] if a.get("subgroup") else [])


def run_case(case: dict, reference: dict, folder: Path) -> dict:
    """Run the case through the ``sysrev`` command and return its parsed --json output."""
    from click.testing import CliRunner

    from sysrev.cli.main import cli

    data_csv = write_csv(reference["datasets"][case["dataset"]]["rows"], folder / f"{case['dataset']}.csv")
    result = CliRunner().invoke(cli, command(case, data_csv))
    if result.exit_code != 0:
        raise AssertionError(f"{case['id']}: sysrev meta pool exited {result.exit_code}: {result.output}")
    return json.loads(result.output)


def _compare_result(got: dict, expected: dict, where: str):
    for field in LABELS + NUMBERS:
        yield where + field, got[field], expected[field]
    got_studies = {study["study"]: study for study in got["studies"]}
    if len(got_studies) != len(expected["studies"]):
        raise AssertionError(f"{where}studies: sysrev lists {len(got_studies)}, metafor {len(expected['studies'])}")
    for study in expected["studies"]:
        for field in STUDY_NUMBERS:
            yield f"{where}studies[{study['study']}].{field}", got_studies[study["study"]][field], study[field]


def compare_case(case: dict, got: dict):
    """Yield ``(field, sysrev's value, metafor's value)`` for every contract field of one case."""
    expected = case["expected"]
    yield from _compare_result(got, expected, "")
    if expected.get("subgroups"):
        if list(got["subgroups"]) != list(expected["subgroups"]):
            raise AssertionError(f"subgroups: sysrev {list(got['subgroups'])}, metafor {list(expected['subgroups'])}")
        for label, group in expected["subgroups"].items():
            yield from _compare_result(got["subgroups"][label], group, f"subgroups[{label}].")
        for field in SUBGROUP_TEST:
            yield f"subgroup_test.{field}", got["subgroup_test"][field], expected["subgroup_test"][field]


def same(got, expected) -> bool:
    """Text fields must be equal; numbers agree at compare.py's tolerance; null only matches null."""
    if isinstance(expected, str) or isinstance(got, str):
        return got == expected
    return agrees(got, expected)


def main() -> int:
    reference = load_reference()
    numbers, nulls, failures = 0, 0, []
    worst_rel, where_rel = 0.0, None
    with tempfile.TemporaryDirectory() as folder:
        for case in reference["cases"]:
            got = run_case(case, reference, Path(folder))
            for field, value, expected in compare_case(case, got):
                if not same(value, expected):
                    failures.append((case["id"], field, value, expected))
                if isinstance(expected, str):
                    continue
                if expected is None:
                    nulls += 1
                    continue
                numbers += 1
                if value is not None and abs(expected) >= 1e-6 and relative_difference(value, expected) > worst_rel:
                    worst_rel, where_rel = relative_difference(value, expected), (case["id"], field, value, expected)
    print(f"sysrev meta pool --json vs metafor {reference['metafor']} on {len(reference['datasets'])} datasets "
          f"outside the validation set: {len(reference['cases'])} cases, {numbers} numbers and {nulls} "
          f"not-applicable (null) fields compared")
    print(f"worst relative difference {worst_rel:.3g} at {where_rel}")
    for failure in failures[:30]:
        print("DIFFERS:", *failure)
    print(f"{len(failures)} fields outside |got − expected| ≤ {RTOL:g}·|expected| "
          f"(or 0 against a value within {ATOL:g} of 0)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
