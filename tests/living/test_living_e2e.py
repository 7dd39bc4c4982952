"""End to end on the local E-utilities stand-in: a review released, records appearing in PubMed and in a
CENTRAL export, `refresh` queueing exactly the new ones, screening, one new study included and extracted,
`meta run` pooling it, `diff` flagging the changed conclusion, and the updated PRISMA diagram of the second
release matching a hand count."""

import json
import math
import re
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from growing_pubmed import GrowingPubmed
from living_project import (
    CENTRAL_RIS,
    decide,
    make_project,
    record_ids,
    write_extraction,
    write_rob,
    write_studies,
)

from sysrev.cli.main import cli
from sysrev.project import load_project
from sysrev.screening.state import load_screening


def dersimonian_laird(effects, variances, z=1.959964):
    """Random-effects pooling written out by hand (DerSimonian & Laird 1986), independent of sysrev.meta."""
    w = [1 / v for v in variances]
    fixed = sum(wi * y for wi, y in zip(w, effects)) / sum(w)
    q = sum(wi * (y - fixed) ** 2 for wi, y in zip(w, effects))
    c = sum(w) - sum(wi * wi for wi in w) / sum(w)
    tau2 = max(0.0, (q - (len(effects) - 1)) / c)
    ws = [1 / (v + tau2) for v in variances]
    estimate = sum(wi * y for wi, y in zip(ws, effects)) / sum(ws)
    se = math.sqrt(1 / sum(ws))
    p = math.erfc(abs(estimate / se) / math.sqrt(2))
    i2 = max(0.0, (q - (len(effects) - 1)) / q) * 100 if q > 0 else 0.0
    return {"estimate": estimate, "ci_low": estimate - z * se, "ci_high": estimate + z * se, "p": p, "I2": i2,
            "tau2": tau2}


def _ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def test_a_living_update_from_refresh_to_the_second_release(tmp_path, eutils_server, monkeypatch):
    runner = CliRunner()
    root = make_project(tmp_path / "review")
    (root / "searches" / "central.toml").write_text('database = "file"\nsource = "CENTRAL"\n', encoding="utf-8")
    (root / "analysis" / "analyses.toml").write_text(
        (root / "analysis" / "analyses.toml").read_text().replace("mid = 1.0", "mid = 0.4"), encoding="utf-8")
    corpus = GrowingPubmed(6, start=date(2010, 1, 1), end=date(2020, 12, 31))
    eutils_server(corpus)
    project_arg = ["--project", str(root)]

    # ---- Version 1: 6 PubMed records; 3 pass title/abstract, 2 are included: Able 2020 and Baker 2021.
    _ok(runner.invoke(cli, ["refresh", *project_arg]))
    ids = record_ids(load_project(root))
    r = [ids[str(30000000 + i)] for i in range(6)]
    decide(root, "title_abstract", "ann", {r[0]: "include", r[1]: "include", r[2]: "include",
                                           r[3]: ("exclude", "wrong population"), r[4]: ("exclude", "wrong population"),
                                           r[5]: ("exclude", "wrong population")})
    decide(root, "full_text", "ann", {r[0]: "include", r[1]: "include", r[2]: ("exclude", "not randomised")})
    write_studies(root, [("Able 2020", "Able A. 2020", r[0]), ("Baker 2021", "Baker B. 2021", r[1])])
    v1_rows = [("Able 2020", "T", 20, 3.0, 1.0), ("Able 2020", "C", 20, 4.0, 1.0),
               ("Baker 2021", "T", 30, 3.2, 1.2), ("Baker 2021", "C", 30, 4.0, 1.2)]
    write_extraction(root, v1_rows)
    write_rob(root, "Able 2020")
    write_rob(root, "Baker 2021")
    _ok(runner.invoke(cli, ["meta", "run", "--strict", *project_arg]))
    _ok(runner.invoke(cli, ["release", "v1", "--note", "first version", *project_arg]))
    v1 = json.loads((root / "releases" / "v1" / "release.json").read_text())
    assert v1["prisma"]["identified"] == {"PubMed": 6} and v1["prisma"]["total_studies"] == 2
    assert v1["searches"][1]["name"] == "pubmed" and v1["searches"][1]["searched"] is not None

    # ---- A month later: 4 records entered in PubMed; a CENTRAL export with one record PubMed already gave.
    today = datetime.now(UTC).date()
    monkeypatch.setattr("sysrev.living.refresh._today", lambda: today + timedelta(days=30))
    new_pmids = corpus.enter(4, entered=today)
    inbox = root / "searches" / "inbox" / "central"
    inbox.mkdir(parents=True)
    (inbox / "central.ris").write_text(CENTRAL_RIS.format(pmid=30000000), encoding="utf-8")
    out = json.loads(_ok(runner.invoke(cli, ["refresh", "--json", *project_arg])))
    ids = record_ids(load_project(root))
    new_ids = out["dedup"]["new_record_ids"]
    assert len(new_ids) == 5  # 4 from PubMed + 1 from CENTRAL; the CENTRAL copy of r[0] joined r[0]
    assert {ids[p] for p in new_pmids} < set(new_ids)
    screening = load_screening(load_project(root))
    ta = screening.stages["title_abstract"]
    assert [rid for rid in ta.eligible if ta.status(rid) != "decided"] == sorted(new_ids)  # exactly the new ones

    # ---- Screen them: the first new PubMed record and the CENTRAL one reach full text; one is included.
    n1 = ids[new_pmids[0]]
    c1 = next(rid for rid in new_ids if rid not in {ids[p] for p in new_pmids})
    decide(root, "title_abstract", "ben", {rid: "include" if rid in (n1, c1) else ("exclude", "wrong population")
                                           for rid in new_ids}, timestamp="2027-01-05T10:00:00Z")
    decide(root, "full_text", "ben", {n1: "include", c1: ("exclude", "wrong population")},
           timestamp="2027-01-06T10:00:00Z")
    status = json.loads(_ok(runner.invoke(cli, ["status", "--json", *project_arg])))
    assert status["studies"]["pending"] == [{"study": n1, "stage": "study", "outcome": "",
                                             "why": f"included record {n1} is listed under no study in the "
                                                    "'records' column of studies.csv"}]
    write_studies(root, [("Able 2020", "", r[0]), ("Baker 2021", "", r[1]), ("Cole 2026", "", n1)])
    strict = runner.invoke(cli, ["meta", "run", "--strict", *project_arg])
    assert strict.exit_code == 2 and "Cole 2026: extraction pain — no extraction row" in strict.output
    write_extraction(root, v1_rows + [("Cole 2026", "T", 100, 4.5, 1.5), ("Cole 2026", "C", 100, 4.0, 1.5)])
    write_rob(root, "Cole 2026")
    write_rob(root, "Able 2020", q1_2="N")  # allocation not concealed: D1 becomes high (RoB 2 algorithm)
    pooled = json.loads(_ok(runner.invoke(cli, ["meta", "run", "--strict", "--json", *project_arg])))[0]["result"]
    assert pooled["k"] == 3

    # ---- The diff against v1. Hand arithmetic: MD = mean T − mean C, var = sd²/nT + sd²/nC.
    #   Able  −1.0, 0.1;  Baker −0.8, 0.096;  Cole +0.5, 0.045.
    before = dersimonian_laird([-1.0, -0.8], [0.1, 0.096])  # −0.898 [−1.332, −0.464], p = 5e-5, I² 0%
    after = dersimonian_laird([-1.0, -0.8, 0.5], [0.1, 0.096, 0.045])  # −0.412 [−1.428, 0.603], p 0.43, I² 90%
    diff = json.loads(_ok(runner.invoke(cli, ["diff", "--json", *project_arg])))
    assert (diff["old"], diff["new"], diff["studies_added"]) == ("v1", "working", ["Cole 2026"])
    pain = diff["analyses"][0]
    for key in ("estimate", "ci_low", "ci_high", "p", "I2", "tau2"):
        assert math.isclose(pain["old"][key], before[key], rel_tol=1e-6, abs_tol=1e-9), key
        assert math.isclose(pain["new"][key], after[key], rel_tol=1e-6, abs_tol=1e-9), key
    assert (pain["old"]["k"], pain["new"]["k"]) == (2, 3)
    assert (pain["old"]["participants"], pain["new"]["participants"]) == (100, 300)
    assert pain["studies_added"] == ["Cole 2026"] and pain["studies_removed"] == [] and pain["studies_changed"] == []
    kinds = [flag["kind"] for flag in pain["flags"]]
    assert kinds == ["significance", "mid", "heterogeneity", "rob"]  # still below 0: no direction flag
    texts = " ".join(flag["text"] for flag in pain["flags"])
    assert "was statistically significant at the 0.05 level (p < 0.001) and now is not (p = 0.426)" in texts
    # The MID either side of no effect: v1's CI [−1.33, −0.46] held neither −0.4 nor 0.4, v2's holds both.
    assert "now includes the minimal important difference (-0.40 and 0.40; mid = 0.4 either side" in texts
    assert "I² was 0% (might not be important) and is now 90% (considerable;" in texts  # 90.48% > 90
    assert "RoB 2 of Able 2020 (pain) changed" in texts and "D1 low → high" in texts
    text = _ok(runner.invoke(cli, ["diff", *project_arg, "--markdown", str(tmp_path / "new.md"),
                                   "--html", str(tmp_path / "new.html")]))
    assert "! Statistical significance changed" in text
    page = (tmp_path / "new.html").read_text()
    assert page.count("<svg") == 2 and "Cole 2026" in page  # both forest plots, side by side
    assert "## Pain at 4 weeks" in (tmp_path / "new.md").read_text()

    # ---- Release v2: the updated-review PRISMA diagram, derived from v1. Hand count of this update:
    #   identified: PubMed 4 (entered since v1), CENTRAL 2 → 6; duplicates removed 1 (CENTRAL copy of r[0]);
    #   screened 5; excluded at title/abstract 3; reports sought 2; not retrieved 0; assessed 2;
    #   excluded 1 (wrong population); new studies 1 (Cole 2026, 1 report);
    #   previous version 2 studies (2 reports) → total 3 studies (3 reports).
    _ok(runner.invoke(cli, ["release", "v2", "--note", "first update", *project_arg]))
    prisma = json.loads((root / "releases" / "v2" / "prisma.json").read_text())
    assert prisma["identified"] == {"PubMed": 4, "CENTRAL": 2}
    assert (prisma["duplicates_removed"], prisma["records_screened"], prisma["records_excluded"]) == (1, 5, 3)
    assert (prisma["reports_sought"], prisma["reports_not_retrieved"], prisma["reports_assessed"]) == (2, 0, 2)
    assert prisma["reports_excluded"] == {"wrong population": 1}
    assert (prisma["studies_included"], prisma["reports_included"]) == (1, 1)
    assert (prisma["previous_studies"], prisma["previous_reports"]) == (2, 2)
    assert (prisma["total_studies"], prisma["total_reports"]) == (3, 3)
    lines = re.findall(r"<text [^>]*>([^<]*)</text>", (root / "releases" / "v2" / "prisma.svg").read_text())
    svg = " ".join(" ".join(lines).replace("\u00a0", " ").split())
    assert "Studies included in previous version of review (n = 2)" in svg
    assert "New studies included in review (n = 1)" in svg and "Total studies included in review (n = 3)" in svg
    release = json.loads((root / "releases" / "v2" / "release.json").read_text())
    assert release["previous"] == "v1" and [s["study"] for s in release["studies"]] == [
        "Able 2020", "Baker 2021", "Cole 2026"]
    # The same counts from `sysrev prisma --update` after the release are this (empty) update's: nothing new.
    after_release = json.loads(_ok(runner.invoke(cli, ["prisma", "--update", "--json", *project_arg])))
    assert after_release["records_screened"] == 0 and after_release["total_studies"] == 3
    # Default diff now compares v2 with the working state: nothing moved.
    assert "no flag: the conclusion did not move" in _ok(runner.invoke(cli, ["diff", *project_arg]))
