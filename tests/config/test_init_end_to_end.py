"""A new review from `sysrev init` (non-interactive) through import, dedup, screening logs, PRISMA, extraction and
`meta run`, with no edit of any file init wrote."""

import csv
import json
import math
import tomllib

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.formats import load_references
from sysrev.screening.log import Decision, append_decisions

PUBMED_RIS = """TY  - JOUR
ID  - 1001
TI  - Stroke unit care versus general ward care: a randomised trial in Oslo
AU  - Indredavik, B
PY  - 1991
JO  - Stroke
VL  - 22
SP  - 1026
EP  - 1031
DO  - 10.1000/trial.one
ER  - 
TY  - JOUR
ID  - 1002
TI  - A randomised comparison of an acute stroke unit with routine medical wards
AU  - Kaste, M
PY  - 1995
JO  - Stroke
VL  - 26
SP  - 249
EP  - 253
DO  - 10.1000/trial.two
ER  - 
TY  - JOUR
ID  - 1003
TI  - Rehabilitation after hip fracture in older adults: a cohort study
AU  - Other, A
PY  - 2001
JO  - Age and Ageing
VL  - 30
SP  - 11
EP  - 17
DO  - 10.1000/cohort.three
ER  - 
TY  - JOUR
ID  - 1004
TI  - Stroke unit care compared with home care: a randomised controlled trial
AU  - Ronning, OM
PY  - 1998
JO  - Stroke
VL  - 29
SP  - 779
EP  - 784
DO  - 10.1000/trial.four
ER  - 
"""

CENTRAL_RIS = """TY  - JOUR
ID  - CN-0001
TI  - Stroke unit care versus general ward care: a randomised trial in Oslo
AU  - Indredavik, B
PY  - 1991
JO  - Stroke
VL  - 22
SP  - 1026
EP  - 1031
DO  - 10.1000/trial.one
ER  - 
TY  - JOUR
ID  - CN-0002
TI  - Dietary advice for prevention of recurrent gout: a randomised trial
AU  - Someone, B
PY  - 2010
JO  - Rheumatology
VL  - 49
SP  - 100
EP  - 105
DO  - 10.1000/gout.five
ER  - 
"""

# Extracted outcome data (invented for this test; the expected pooled result is computed by hand below).
PAIN = [("Indredavik 1991", 30, 3.0, 1.5, 30, 4.0, 1.6), ("Kaste 1995", 40, 2.5, 1.2, 42, 3.1, 1.3)]
EVENTS = [("Indredavik 1991", 3, 30, 6, 30), ("Kaste 1995", 2, 40, 5, 42)]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def dersimonian_laird(ys, vs):
    """Random-effects estimate and τ² by DerSimonian–Laird (the textbook formulas)."""
    w = [1 / v for v in vs]
    fixed = sum(wi * y for wi, y in zip(w, ys)) / sum(w)
    q = sum(wi * (y - fixed) ** 2 for wi, y in zip(w, ys))
    tau2 = max(0.0, (q - (len(ys) - 1)) / (sum(w) - sum(wi ** 2 for wi in w) / sum(w)))
    wr = [1 / (v + tau2) for v in vs]
    return sum(wi * y for wi, y in zip(wr, ys)) / sum(wr), tau2


def hedges(studies):
    """RevMan 5's SMD: Hedges' g with J = 1 − 3/(4N − 9), var = N/(n1·n2) + g²/(2(N − 3.94))."""
    ys, vs = [], []
    for _, n1, m1, s1, n2, m2, s2 in studies:
        total = n1 + n2
        pooled = math.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (total - 2))
        g = (m1 - m2) / pooled * (1 - 3 / (4 * total - 9))
        ys.append(g)
        vs.append(total / (n1 * n2) + g ** 2 / (2 * (total - 3.94)))
    return ys, vs


def log_risk_ratios(studies):
    """log RR and its variance 1/e1 − 1/n1 + 1/e2 − 1/n2 (no zero cells here)."""
    ys = [math.log((e1 / n1) / (e2 / n2)) for _, e1, n1, e2, n2 in studies]
    vs = [1 / e1 - 1 / n1 + 1 / e2 - 1 / n2 for _, e1, n1, e2, n2 in studies]
    return ys, vs


def test_a_new_review_from_init_to_meta_run(tmp_path):
    root = tmp_path / "stroke-units"
    result = invoke("init", root, "--no-input", "--no-git", "--title", "Stroke unit care",
                    "--question", "Does stroke unit care improve outcomes?", "--intervention", "stroke unit care",
                    "--comparator", "general ward care", "--database", "pubmed", "--database", "Cochrane CENTRAL",
                    "--reviewer", "ann", "--reviewer", "bob", "--outcome", "pain:continuous:VAS 0-10",
                    "--outcome", "adverse events:dichotomous", "--group1", "SU", "--group2", "GW")
    assert result.exit_code == 0, result.output
    written = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert {"review.toml", "searches/pubmed.toml", "searches/cochrane-central.toml", "analysis/analyses.toml",
            "analysis/extraction/form.toml", ".gitignore", "README.md"} <= set(written)
    for name, data in written.items():
        if name.endswith(".toml"):
            tomllib.loads(data.decode())
    assert tomllib.loads(written["review.toml"].decode())["review"]["question"] == (
        "Does stroke unit care improve outcomes?")  # the option's answer, not the prompt's default
    check = invoke("check", "--project", root)
    assert check.exit_code == 0, check.output
    fresh = invoke("status", "--project", root).output
    assert fresh.count("no deduplicated records yet") == 1, fresh  # said under Screening, not again under Studies
    assert "pain (pain): not run yet: run `sysrev meta run`" in fresh and "inputs changed" not in fresh

    # search results: a PubMed export, and the CENTRAL export where its strategy file says it goes
    (tmp_path / "pubmed.ris").write_text(PUBMED_RIS, encoding="utf-8")
    (root / "searches" / "exports" / "cochrane-central.ris").write_text(CENTRAL_RIS, encoding="utf-8")
    assert invoke("import", tmp_path / "pubmed.ris", "--source", "pubmed", "--project", root).exit_code == 0
    imported = invoke("import", "--source", "cochrane-central", "--project", root)
    assert imported.exit_code == 0, imported.output
    dedup = invoke("dedup", "--project", root)
    assert dedup.exit_code == 0, dedup.output
    records = [json.loads(line) for line in (root / "records" / "records.jsonl").read_text().splitlines()]
    assert len(records) == 5  # 6 identified, the Oslo trial twice
    by_doi = {r["doi"]: r["record_id"] for r in records}

    # both reviewers screen independently (dual screening is init's default for two reviewers)
    keep = [by_doi["10.1000/trial.one"], by_doi["10.1000/trial.two"], by_doi["10.1000/trial.four"]]
    stamp = "2026-01-05T10:00:00Z"
    for reviewer in ("ann", "bob"):
        ta = [Decision(rid, "include" if rid in keep else "exclude", "", reviewer, stamp) for rid in by_doi.values()]
        append_decisions(root / "screening" / "title_abstract" / f"{reviewer}.csv", ta)
        ft = [Decision(rid, "include", "", reviewer, stamp) for rid in keep[:2]]
        ft.append(Decision(keep[2], "exclude", "wrong comparator", reviewer, stamp))
        append_decisions(root / "screening" / "full_text" / f"{reviewer}.csv", ft)

    flow = tmp_path / "prisma.svg"
    prisma = invoke("prisma", "--project", root, "--json", "--out", flow)
    assert prisma.exit_code == 0, prisma.output
    counts = json.loads(prisma.stdout)
    assert counts["identified"] == {"PubMed": 4, "Cochrane CENTRAL": 2}
    assert (counts["duplicates_removed"], counts["records_screened"], counts["records_excluded"]) == (1, 5, 2)
    assert (counts["reports_assessed"], counts["reports_excluded"], counts["studies_included"]) == (
        3, {"wrong comparator": 1}, 2)
    assert flow.is_file()

    # extraction into the files init prepared (their headers are kept as written)
    extraction = root / "analysis" / "extraction"
    with (extraction / "pain.csv").open("a", encoding="utf-8") as fh:
        for study, n1, m1, s1, n2, m2, s2 in PAIN:
            fh.write(f"{study},pain,,,SU,{n1},{m1},{s1},,VAS 0-10,Table 2,,,,\n")
            fh.write(f"{study},pain,,,GW,{n2},{m2},{s2},,VAS 0-10,Table 2,,,,\n")
    with (extraction / "adverse_events.csv").open("a", encoding="utf-8") as fh:
        for study, e1, n1, e2, n2 in EVENTS:
            fh.write(f"{study},adverse events,,,SU,{n1},,,{e1},patients with event,Table 3,,,,\n")
            fh.write(f"{study},adverse events,,,GW,{n2},,,{e2},patients with event,Table 3,,,,\n")
    with (extraction / "studies.csv").open("a", encoding="utf-8") as fh:
        fh.write("Indredavik 1991,Stroke 1991;22:1026,RCT,Norway,60,30,30,,,,,\n")
        fh.write("Kaste 1995,Stroke 1995;26:249,RCT,Finland,82,40,42,,,,,\n")
    extract = invoke("extract", "check", "--project", root)
    assert extract.exit_code == 0, extract.output
    assert "0 errors, 0 warnings" in extract.output

    run = invoke("meta", "run", "--project", root)
    assert run.exit_code == 0, run.output
    pain = json.loads((root / "analysis" / "results" / "pain.json").read_text())
    estimate, tau2 = dersimonian_laird(*hedges(PAIN))
    assert pain["result"]["k"] == 2
    assert math.isclose(pain["result"]["estimate"], estimate, abs_tol=1e-9)
    assert math.isclose(pain["result"]["tau2"], tau2, abs_tol=1e-9)
    harms = json.loads((root / "analysis" / "results" / "adverse_events.json").read_text())
    log_rr, _ = dersimonian_laird(*log_risk_ratios(EVENTS))  # init's default: random effects
    assert math.isclose(harms["result"]["estimate"], math.exp(log_rr), rel_tol=1e-9)
    assert invoke("check", "--project", root).exit_code == 0
    after = invoke("status", "--project", root).output
    assert "pain (pain): computed\n" in after and "not run" not in after, after

    # exports for the journal: included studies and every decision with its reason
    ris = tmp_path / "included.ris"
    assert invoke("export", "included", "--project", root, "--out", ris).exit_code == 0
    assert sorted(r.doi for r in load_references(ris).records) == ["10.1000/trial.one", "10.1000/trial.two"]
    assert invoke("export", "decisions", "--project", root).exit_code == 0
    decisions = list(csv.DictReader((root / "exports" / "decisions.csv").open(encoding="utf-8")))
    assert len(decisions) == 16  # 5 title/abstract and 3 full-text decisions by each of two reviewers
    excluded = [d for d in decisions if d["stage"] == "full_text" and d["decision"] == "exclude"]
    assert [(d["reviewer"], d["reason"], d["final_reason"]) for d in excluded] == [
        ("ann", "wrong comparator", "wrong comparator"), ("bob", "wrong comparator", "wrong comparator")]
    # nothing init wrote was edited along the way
    for name in ("review.toml", "searches/pubmed.toml", "analysis/analyses.toml", "analysis/extraction/form.toml"):
        assert (root / name).read_bytes() == written[name]
