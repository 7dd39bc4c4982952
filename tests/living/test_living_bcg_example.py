"""examples/bcg-living: the README's five commands, run exactly as written on a copy of the example, checked
against figures that do not come from sysrev, and the committed releases checked against what replay.py makes.

Independent figures: metafor's cumul() on dat.bcg ordered by year (validation/metafor/cumulative_reference.json,
made by validation/metafor/make_cumulative_reference.R): the releases of 1955, 1970 and 1981 hold exactly the
first 3, 7 and 13 trials in year order, so their pooled results are cumul()'s steps 3, 7 and 13. Participants,
control event proportion and the trial lists are hand counts of dat.bcg (Colditz et al. 1994, JAMA 271:698,
Table 1), written below.
"""

import json
import math
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bcg-living"
REFERENCE = json.loads((REPO / "validation/metafor/cumulative_reference.json").read_text(encoding="utf-8"))
REML = next(c for c in REFERENCE["cases"] if c["id"] == "bcg-RR-IV-random-REML")["expected"]
FIXED = next(c for c in REFERENCE["cases"] if c["id"] == "bcg-RR-IV-fixed")["expected"]
Z975 = 1.959963984540054

# dat.bcg, in year order: (trial, year, tpos, tneg, cpos, cneg)
BCG = [("Aronson 1948", 1948, 4, 119, 11, 128), ("Ferguson & Simes 1949", 1949, 6, 300, 29, 274),
       ("Stein & Aronson 1953", 1953, 180, 1361, 372, 1079), ("Rosenthal et al 1960", 1960, 3, 228, 11, 209),
       ("Rosenthal et al 1961", 1961, 17, 1699, 65, 1600), ("Coetzee & Berjak 1968", 1968, 29, 7470, 45, 7232),
       ("Comstock & Webster 1969", 1969, 5, 2493, 3, 2338), ("Frimodt-Moller et al 1973", 1973, 33, 5036, 47, 5761),
       ("Vandiviere et al 1973", 1973, 8, 2537, 10, 619), ("Comstock et al 1974", 1974, 186, 50448, 141, 27197),
       ("Comstock et al 1976", 1976, 27, 16886, 29, 17825), ("Hart & Sutherland 1977", 1977, 62, 13536, 248, 12619),
       ("TPT Madras 1980", 1980, 505, 87886, 499, 87892)]
RELEASE_SIZE = {"1955": 3, "1970": 7, "1981": 13}  # trials published by 1955, 1970, 1981


def readme_commands() -> list[str]:
    block = (EXAMPLE / "README.md").read_text(encoding="utf-8").split("```")[1]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def _rows(text: str) -> dict:
    """A `sysrev diff` table: {row label: [old, new]}."""
    out = {}
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 3:
            out[cells[0]] = cells[1:]
    return out


def _released(k: int) -> dict:
    """What `sysrev diff` should print for the first ``k`` trials: metafor's cumul() step k, PI by hand from
    metafor's estimate, se and τ² (z-based, as metafor's predict() for a z test), participants counted."""
    i = k - 1
    est, se, tau2 = REML["estimate"][i], REML["se"][i], REML["tau2"][i]
    half = Z975 * math.sqrt(se**2 + tau2)
    return {"k": str(k), "participants": str(sum(t[2] + t[3] + t[4] + t[5] for t in BCG[:k])),
            "RR": f"{math.exp(est):.2f}",
            "CI": f"[{math.exp(REML['ci_low'][i]):.2f}, {math.exp(REML['ci_high'][i]):.2f}]",
            "p": "< 0.001" if REML["p"][i] < 0.001 else f"{REML['p'][i]:.3f}", "I²": f"{REML['I2'][i]:.0f}%",
            "τ²": f"{tau2:.3f}", "PI": f"[{math.exp(est - half):.2f}, {math.exp(est + half):.2f}]"}


def _check_diff(output: str, old: str, new: str):
    table = _rows(output)
    for label, (want_old, want_new) in {key: (_released(RELEASE_SIZE[old])[key], _released(RELEASE_SIZE[new])[key])
                                        for key in ("k", "participants", "RR", "CI", "p", "I²", "τ²", "PI")}.items():
        assert table[label] == [want_old, want_new], label
    added = sorted(t[0] for t in BCG[RELEASE_SIZE[old]:RELEASE_SIZE[new]])
    assert f"studies added: {', '.join(added)}" in output


def test_the_readme_story_in_five_commands(tmp_path, monkeypatch):
    commands = readme_commands()
    assert len(commands) == 5
    # the repository root of the README is a temporary folder holding a copy of the example, without releases
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "bcg-living", ignore=shutil.ignore_patterns("releases"))
    monkeypatch.chdir(tmp_path)
    outputs = []
    for command in commands:
        argv = shlex.split(command)
        if argv[0] == "python":  # 1. replay.py, run as a script by this test's Python (sysrev installed)
            done = subprocess.run([sys.executable, *argv[1:]], cwd=tmp_path, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            outputs.append(done.stdout)
        else:
            assert argv[0] == "sysrev"
            result = CliRunner().invoke(cli, argv[1:])
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
    replayed, first, second, cumulative, tsa = outputs

    # 1. three releases; the last holds all 13 trials
    assert sorted(p.name for p in (tmp_path / "examples/bcg-living/releases").iterdir()) == ["1955", "1970", "1981"]
    assert "pending: none (13 included studies complete for every analysed outcome)" in replayed

    # participants by hand: 1955 = 123+139 + 306+303 + 1541+1451 = 3,863; 1970 adds 231+220 + 1716+1665 +
    # 7499+7277 + 2498+2341 = 23,447 → 27,310
    assert (_released(3)["participants"], _released(7)["participants"]) == ("3863", "27310")
    # 2. 1955 → 1970: four trials added, nothing flagged
    _check_diff(first, "1955", "1970")
    assert "no flag: the conclusion did not move" in first
    # 3. 1970 → 1981: six trials added; only heterogeneity moves band (I² 60% → 92%); the CI stays below the
    #    mid (RR 0.75) and p below 0.05 in both versions, so no other flag
    _check_diff(second, "1970", "1981")
    flags = [line.strip() for line in second.splitlines() if line.strip().startswith("!")]
    assert flags == ["! Heterogeneity moved to another band: I² was 60% (moderate / substantial) and is now 92% "
                     "(considerable; Cochrane Handbook §10.10.2)."]

    # 4. cumulative: every step is metafor's cumul() (to the printed decimals)
    steps = [re.split(r"\s{2,}", line.strip()) for line in cumulative.splitlines()
             if line.split("  ")[0].strip() in {t[0] for t in BCG}]
    assert [s[0] for s in steps] == REML["study"] == [t[0] for t in BCG]
    for i, step in enumerate(steps):
        assert step[3] == (f"{math.exp(REML['estimate'][i]):.2f} [{math.exp(REML['ci_low'][i]):.2f}, "
                           f"{math.exp(REML['ci_high'][i]):.2f}]"), step
        if i:
            assert step[-2:] == [f"{REML['tau2'][i]:.4f}", f"{REML['I2'][i]:.0f}%"], step
    assert "Cumulative Risk Ratio" in (tmp_path / "examples/bcg-living/analysis/results/cumulative.svg").read_text()

    # 5. TSA. Control event proportion, a hand count of dat.bcg's cpos and cpos + cneg:
    #    11+29+372+11+65+45+3+47+10+141+29+248+499 = 1,510 TB cases among
    #    139+303+1451+220+1665+7277+2341+5808+629+27338+17854+12867+88391 = 166,283 unvaccinated;
    #    mid = 0.75 → RRR 25%; D² from metafor's pooled variances, 1 − (se_fixed/se_REML)²
    events = sum(t[4] for t in BCG)
    controls = sum(t[4] + t[5] for t in BCG)
    assert (events, controls) == (1510, 166283)
    pc = events / controls
    pe = pc * 0.75
    mean = (pc + pe) / 2
    unadjusted = 4 * (Z975 + 0.8416212335729143) ** 2 * mean * (1 - mean) / (pc - pe) ** 2
    d2 = 1 - (FIXED["se"][-1] / REML["se"][-1]) ** 2
    required = unadjusted / (1 - d2)
    assert (f"Assumptions: control event proportion {pc:.4g} (observed), relative risk reduction 25.0% "
            "(from mid = 0.75), alpha 0.05, beta 0.2") in tsa
    assert (f"Required information size: {unadjusted:,.0f} participants; diversity D² = {d2:.1%} → "
            f"{required:,.0f}") in tsa
    looks = [re.split(r"\s{2,}", line.strip()) for line in tsa.splitlines()
             if line.split("  ")[0].strip() in {t[0] for t in BCG}]
    running = 0
    for i, look in enumerate(looks):
        running += sum(BCG[i][2:])
        assert look[:4] == [BCG[i][0], f"{running:,}", f"{running / required:.1%}", f"{REML['z'][i]:.2f}"], look
    assert running == 357_347
    assert looks[-1][-1] == "crossed" and all(look[-1] != "crossed" for look in looks[:-1])
    assert tsa.rstrip().splitlines()[-1].startswith(f"firm evidence: the cumulative Z curve (Z = {REML['z'][-1]:.2f}")
    assert "cumulative Z curve" in (tmp_path / "examples/bcg-living/analysis/results/tsa.svg").read_text()

    # the committed releases, results and plots are what the commands make now: they cannot drift from the
    # data or the code
    _same_tree(tmp_path / "examples/bcg-living/releases", EXAMPLE / "releases")
    _same_tree(tmp_path / "examples/bcg-living/analysis/results", EXAMPLE / "analysis" / "results")


def _same_tree(made: Path, committed: Path):
    made_files = sorted(p.relative_to(made) for p in made.rglob("*") if p.is_file())
    assert made_files == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for name in made_files:
        if name.suffix == ".png":  # raster bytes depend on the matplotlib build; the SVG beside it is compared
            continue
        a, b = (made / name).read_text(encoding="utf-8"), (committed / name).read_text(encoding="utf-8")
        if name.suffix == ".json":  # numbers to 1e-9 (another BLAS may differ in the last digits), the rest exact
            _same_json(json.loads(a), json.loads(b), str(name))
        elif name.suffix == ".svg":  # the same words and numbers drawn (path data may differ between matplotlibs)
            assert re.findall(r"<text[^>]*>([^<]*)</text>", a) == re.findall(r"<text[^>]*>([^<]*)</text>", b), name
        else:
            assert a == b, name


def _same_json(a, b, where):
    if isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _same_json(a[key], b[key], f"{where}: {key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same_json(x, y, f"{where}[{i}]")
    else:
        assert a == b, where
