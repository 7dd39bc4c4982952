"""The suite's own rules, checked on its source: a test never skips because a file of the repository is
missing (deleting a tracked file must fail, not skip), only for what a fresh clone elsewhere may lack.

A skip is allowed when its line (or the one above) names one of those outside resources: the recorded
fixtures in ../shared (``shared_fixtures``, the seed-review sources), an operating-system module or kind
(``os.name``) or a locale the machine may not have, or a program it may lack (the browser tests' Chromium and
Playwright).
"""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SKIP = re.compile(r"pytest\.(skip|importorskip)\(|@pytest\.mark\.skip(if)?\b")
OUTSIDE_THE_REPOSITORY = ("shared_fixtures", "seed-review", "SYSREV_SHARED_FIXTURES", "termios", "pty",
                          "bibdedupe", "colrev", "not present", "Playwright", "Chromium", "os.name", "locale")


def skips_without_an_outside_reason(folder: Path = TESTS):
    found = []
    for path in sorted(folder.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue  # this file's own example below
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if not SKIP.search(line):
                continue
            context = "\n".join(lines[max(0, number - 5):number])
            if not any(reason in context for reason in OUTSIDE_THE_REPOSITORY):
                found.append(f"{path.relative_to(folder)}:{number}: {line.strip()}")
    return found


def test_no_test_skips_for_a_file_of_the_repository():
    assert skips_without_an_outside_reason() == []


def test_the_check_finds_a_skip_on_a_tracked_file(tmp_path):
    (tmp_path / "test_example.py").write_text(
        'def test_x():\n    if not Path("analysis/extraction/pain.csv").exists():\n'
        '        pytest.skip("not in this checkout")\n', encoding="utf-8")
    assert len(skips_without_an_outside_reason(tmp_path)) == 1
