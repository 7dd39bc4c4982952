"""Re-plant the 12 bugs of issue 19 that once passed the whole suite, one at a time, and check each now fails.

Each bug is a small plausible edit of a core function (the issue's table). For each, the package and the tests
are copied to a scratch folder, the edit is applied there (never in the working tree), and the test folder of
that stage is run; the bug is *caught* when at least one test fails. A bug whose code has since changed (the
original text is no longer there) is reported as "not applicable", not as caught.

    .venv/bin/python benchmarks/planted_bugs.py          # about a minute; prints one line per bug
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (file, original text, planted text, test folder, what it breaks)
BUGS = [
    ("sysrev/meta/heterogeneity.py",
     "return np.where((ll_zero - ll_hat > _LL0_TOL) & (tau2 > _LL0_THRESHOLD), 0.0, tau2)", "return tau2",
     "tests/meta", "(RE)ML: drop the ll(0) boundary check"),
    ("sysrev/meta/bias.py", "(signed > np.max(-signed[signed < 0], initial=0)).sum() - 1",
     "(signed > np.max(-signed[signed < 0], initial=0)).sum()",
     "tests/meta", "trim-and-fill R0 without its −1"),
    ("sysrev/extraction/conversions.py", "min(n1, n2) < T_BELOW", "max(n1, n2) < T_BELOW",
     "tests/extraction", "sd_from_md_ci: min(n1, n2) → max"),
    ("sysrev/extraction/conversions.py", "(distribution == \"auto\" and n < T_BELOW)",
     "(distribution == \"auto\" and n <= T_BELOW)", "tests/extraction", "sd_from_ci: n < 60 → n ≤ 60"),
    ("sysrev/extraction/conversions.py", "1 <= (n - 1) // 4 <= 50", "1 <= (n - 1) // 4 <= 49",
     "tests/extraction", "eta: table range Q ≤ 50 → Q ≤ 49"),
    ("sysrev/screening/agreement.py", "max(kappa - Z95 * kappa_se, -1.0)", "max(kappa - Z95 * kappa_se, 0.0)",
     "tests/screening", "kappa CI lower clamp −1 → 0"),
    ("sysrev/report/prisma.py", "previous_reports if previous_reports is not None else previous_studies",
     "previous_reports", "tests/screening", "prisma_counts: previous reports default → None"),
    ("sysrev/report/prisma.py",
     "not_retrieved = sum(1 for d in ft_final if d.decision == \"exclude\" and d.reason == not_retrieved_reason)",
     "not_retrieved = sum(1 for d in ft_final if d.reason == not_retrieved_reason)",
     "tests/screening", "prisma_counts: 'not retrieved' counted on any decision"),
    ("sysrev/dedup/scoring.py", "\"near\" if diff == 1 else", "\"near\" if diff <= 2 else",
     "tests/dedup", "scoring._year: ±1 year → ±2 years"),
    ("sysrev/dedup/scoring.py", "if shared and not differ:", "if shared:",
     "tests/dedup", "scoring._identifiers: a shared identifier wins over a differing one"),
    ("sysrev/dedup/clustering.py", "-kv[1].score, kv[0]", "kv[1].score, kv[0]",
     "tests/dedup", "clustering: join the weakest pair first"),
    ("sysrev/dedup/clustering.py", "in (\"different\", \"related\") for k in kept", "== \"different\" for k in kept",
     "tests/dedup", "clustering._seed_previous: ignore a reviewer's 'related' decision"),
]


def scratch_copy(where: Path) -> None:
    """The package, the tests and the files tests read, copied to ``where``."""
    for name in ("sysrev", "tests", "validation", "analysis", "screening", "searches", "records", "examples"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, where / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "review.toml", "README.md"):
        shutil.copy2(ROOT / name, where / name)


def run_with_bug(path: str, original: str, planted: str, tests: str) -> str:
    with tempfile.TemporaryDirectory(prefix="sysrev-planted-") as tmp:
        where = Path(tmp) / ROOT.name
        where.mkdir()
        scratch_copy(where)
        source = where / path
        text = source.read_text(encoding="utf-8")
        if text.count(original) != 1:
            return "not applicable (code changed)"
        source.write_text(text.replace(original, planted), encoding="utf-8")
        # `python -m pytest` puts the scratch folder first on sys.path, ahead of the editable install
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", tests],
                                cwd=where, capture_output=True, text=True,
                                env={"SYSREV_SHARED_FIXTURES": str(ROOT.parent / "shared" / "fixtures"),
                                     "PATH": "/usr/bin:/bin"})
        if result.returncode == 1:
            failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
            return "caught: " + (failed[0][7:] if failed else "a test failed")
        if result.returncode == 0:
            return "NOT CAUGHT (the suite passed)"
        return f"error (pytest exit {result.returncode}): {result.stdout[-300:]}"


def main() -> int:
    missed = 0
    for n, (path, original, planted, tests, what) in enumerate(BUGS, start=1):
        outcome = run_with_bug(path, original, planted, tests)
        missed += not outcome.startswith("caught")
        print(f"{n:2d}. {what} [{path}]: {outcome}", flush=True)
    print(f"{len(BUGS) - missed} of {len(BUGS)} planted bugs caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
