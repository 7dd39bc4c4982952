"""What changed in the evidence between two versions of the review (`sysrev diff`).

A version is a release (``releases/<VERSION>/``, :mod:`sysrev.living.release`) or the working state (every
analysis computed now, nothing written). Per analysis the diff gives k, participants, the estimate and its
CI, p, I², τ², the prediction interval, the studies added, removed or changed (which cells), and flags, each
explained in words:

* **significance** – statistically significant at the analysis's level before and not now, or the reverse;
* **direction** – the pooled estimate moved to the other side of no effect (0, or 1 for ratios);
* **MID** – the CI now includes, or now excludes, the minimal important difference either side of no effect
  (``mid`` in analyses.toml, one point on the reporting scale: ±|mid| for differences, mid and 1/mid for
  ratios — the thresholds :func:`sysrev.grade.rules.thresholds_for` gives GRADE);
* **heterogeneity** – I² moved to another band of the Cochrane Handbook (§10.10.2: 0–40% might not be
  important, 30–60% moderate, 50–90% substantial, 75–100% considerable; the bands overlap, so I² "moved"
  only when no band holds both values);
* **RoB** – a study's RoB 2 judgement (overall or a domain) for the analysis's outcome changed;
* **pooled** – an analysis pooled for the first time, or no longer pooled.
"""

from __future__ import annotations

import html
import json
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.errors import SysrevError
from sysrev.meta.inputs import RATIO_MEASURES

WORKING = "working"
I2_BANDS = (("might not be important", 0, 40), ("moderate", 30, 60), ("substantial", 50, 90),
            ("considerable", 75, 100))
COMPARED = ("k", "participants", "estimate", "ci_low", "ci_high", "p", "I2", "tau2", "pi_low", "pi_high")


@dataclass
class Version:
    """One side of a diff: its label and what it says."""

    label: str
    analyses: dict  # name -> the full results dict (`sysrev meta run --json` object)
    rob: dict  # "study--outcome" -> judgements
    studies: list  # [{study, records, included_reports}]
    mids: dict = field(default_factory=dict)


def load_version(project, name: str | None, outcomes=None) -> Version:
    """A release by version, or the working state for ``None``/``"working"`` (from ``outcomes`` when the
    caller has just computed them with ``run_project(project, write=False)``, e.g. the web app's evidence)."""
    from sysrev.living.release import current_state, load_release, releases_dir

    if name in (None, WORKING):
        from sysrev.analyses.run import run_project

        outcomes = run_project(project, write=False) if outcomes is None else outcomes
        state = current_state(project, outcomes)
        return Version(WORKING, {o.spec.name: o.to_dict(project.root) for o in outcomes}, state["rob"],
                       state["studies"], state["mids"])
    release = load_release(project, name)
    folder = releases_dir(project) / name / "analyses"
    analyses = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}
    return Version(name, analyses, release.get("rob", {}), release.get("studies", []), release.get("mids", {}))


def default_versions(project, old: str | None, new: str | None) -> tuple[str, str]:
    """``(old, new)``: the last release and the working state unless given."""
    from sysrev.living.release import list_releases

    if old is None:
        releases = list_releases(project)
        if not releases:
            raise SysrevError("no release to compare with: make one with `sysrev release VERSION`, or name two")
        old = releases[-1]
    return old, new or WORKING


def i2_bands(i2: float | None) -> list:
    """The Cochrane Handbook bands (§10.10.2) that hold ``i2`` (percent)."""
    if i2 is None:
        return []
    return [name for name, low, high in I2_BANDS if low <= i2 <= high]


def _null(measure: str | None) -> float:
    return 1.0 if measure in RATIO_MEASURES else 0.0


def _fmt(value, digits=2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def _p(value) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _p_words(value) -> str:
    """``p < 0.001`` or ``p = 0.426``."""
    text = _p(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def headline(results: dict | None) -> dict:
    """The compared numbers of one analysis (None where not pooled)."""
    from sysrev.living.release import participants

    result = (results or {}).get("result") or {}
    out = {key: result.get(key) for key in COMPARED if key != "participants"}
    out["participants"] = participants(result)
    out["status"] = (results or {}).get("status")
    out["measure"] = result.get("measure") or ((results or {}).get("analysis") or {}).get("measure")
    out["level"] = result.get("level") or ((results or {}).get("analysis") or {}).get("level") or 95.0
    return out


def _rows(results: dict | None) -> dict:
    """``{row label: data cells}`` of a pooled result's study rows."""
    result = (results or {}).get("result") or {}
    return {str(row.get("study")): row.get("data") or {"yi": row.get("yi"), "vi": row.get("vi")}
            for row in result.get("studies") or []}


def study_changes(old: dict | None, new: dict | None) -> tuple[list, list, list]:
    """``(added, removed, changed)`` study rows; ``changed`` = [{study, cells: {cell: [old, new]}}]."""
    before, after = _rows(old), _rows(new)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = []
    for study in sorted(set(before) & set(after)):
        cells = {cell: [before[study].get(cell), after[study].get(cell)]
                 for cell in sorted(set(before[study]) | set(after[study]))
                 if before[study].get(cell) != after[study].get(cell)}
        if cells:
            changed.append({"study": study, "cells": cells})
    return added, removed, changed


def _favoured(estimate, measure, described: dict) -> str:
    """Which arm a pooled estimate favours, in words."""
    null = _null(measure)
    if estimate is None or estimate == null:
        return "neither arm"
    lower_better = described.get("direction", "lower is better") == "lower is better"
    group1 = described.get("group1") or "group 1"
    group2 = described.get("group2") or "group 2"
    return group1 if (estimate < null) == lower_better else group2


def flags_for(name: str, old: dict | None, new: dict | None, old_version: Version, new_version: Version) -> list:
    """The flags of one analysis, each ``{"kind", "text"}`` (see the module docstring)."""
    a, b = headline(old), headline(new)
    described = (new or old or {}).get("analysis") or {}
    measure = b["measure"] or a["measure"]
    out = []
    if a["estimate"] is None and b["estimate"] is not None:
        out.append({"kind": "pooled", "text": f"{name} is pooled for the first time ({b['k']} studies)."})
    elif a["estimate"] is not None and b["estimate"] is None:
        out.append({"kind": "pooled", "text": f"{name} is no longer pooled (status now {b['status']})."})
    if a["estimate"] is not None and b["estimate"] is not None:
        alpha = 1 - (b["level"] or 95.0) / 100
        sig_a, sig_b = a["p"] is not None and a["p"] < alpha, b["p"] is not None and b["p"] < alpha
        if sig_a != sig_b:
            out.append({"kind": "significance", "text": (
                f"Statistical significance changed: the pooled {measure} was "
                f"{'' if sig_a else 'not '}statistically significant at the {alpha:g} level ({_p_words(a['p'])}) "
                f"and now is {'' if sig_b else 'not '}({_p_words(b['p'])}).")})
        null = _null(measure)
        side_a, side_b = ((a["estimate"] > null) - (a["estimate"] < null),
                          (b["estimate"] > null) - (b["estimate"] < null))
        if side_a != side_b:
            out.append({"kind": "direction", "text": (
                f"Direction changed: the pooled {measure} was {_fmt(a['estimate'])}, favouring "
                f"{_favoured(a['estimate'], measure, described)}; it is now {_fmt(b['estimate'])}, favouring "
                f"{_favoured(b['estimate'], measure, described)}.")})
        mid = new_version.mids.get(name, old_version.mids.get(name))
        if mid is not None and None not in (a["ci_low"], a["ci_high"], b["ci_low"], b["ci_high"]):
            # The MID either side of no effect, as GRADE reads it: ±|mid|, or mid and 1/mid for ratios.
            from sysrev.grade.rules import thresholds_for

            found = thresholds_for(measure, mid)
            thresholds = [t for t in found[0] if t != null] if found else []
            now_in = [t for t in thresholds
                      if not a["ci_low"] <= t <= a["ci_high"] and b["ci_low"] <= t <= b["ci_high"]]
            now_out = [t for t in thresholds
                       if a["ci_low"] <= t <= a["ci_high"] and not b["ci_low"] <= t <= b["ci_high"]]
            for verb, moved in (("includes", now_in), ("excludes", now_out)):
                if moved:
                    out.append({"kind": "mid", "text": (
                        f"The {b['level']:g}% CI now {verb} the minimal important difference "
                        f"({' and '.join(_fmt(t) for t in moved)}; mid = {mid:g} either side of no effect): it "
                        f"was [{_fmt(a['ci_low'])}, {_fmt(a['ci_high'])}] and is now [{_fmt(b['ci_low'])}, "
                        f"{_fmt(b['ci_high'])}].")})
        bands_a, bands_b = i2_bands(a["I2"]), i2_bands(b["I2"])
        if bands_a and bands_b and not set(bands_a) & set(bands_b):
            out.append({"kind": "heterogeneity", "text": (
                f"Heterogeneity moved to another band: I² was {_fmt(a['I2'], 0)}% ({' / '.join(bands_a)}) and is "
                f"now {_fmt(b['I2'], 0)}% ({' / '.join(bands_b)}; Cochrane Handbook §10.10.2).")})
    outcome = described.get("outcome")
    for key in sorted(set(old_version.rob) & set(new_version.rob)):
        study, _, form_outcome = key.partition("--")
        if form_outcome != outcome:
            continue
        before, after = old_version.rob[key], new_version.rob[key]
        moved = [f"{d} {before.get(d) or 'incomplete'} → {after.get(d) or 'incomplete'}"
                 for d in sorted(set(before) | set(after)) if d != "overall" and before.get(d) != after.get(d)]
        if before.get("overall") != after.get("overall") or moved:
            out.append({"kind": "rob", "text": (
                f"RoB 2 of {study} ({outcome}) changed: overall {before.get('overall') or 'incomplete'} → "
                f"{after.get('overall') or 'incomplete'}" + (f" ({'; '.join(moved)})" if moved else "") + ".")})
    return out


def diff_versions(old: Version, new: Version) -> dict:
    """The diff of two versions as one JSON-ready dict."""
    analyses = []
    for name in list(dict.fromkeys([*old.analyses, *new.analyses])):
        a, b = old.analyses.get(name), new.analyses.get(name)
        added, removed, changed = study_changes(a, b)
        analyses.append({"name": name, "title": ((b or a or {}).get("analysis") or {}).get("title", name),
                         "old": headline(a), "new": headline(b), "studies_added": added,
                         "studies_removed": removed, "studies_changed": changed,
                         "flags": flags_for(name, a, b, old, new)})
    before = {s["study"] for s in old.studies}
    after = {s["study"] for s in new.studies}
    return {"old": old.label, "new": new.label, "studies_added": sorted(after - before),
            "studies_removed": sorted(before - after), "analyses": analyses}


def format_table(diff: dict) -> str:
    """The diff as text: one table per analysis, then its flags."""
    lines = [f"{diff['old']} → {diff['new']}"]
    if diff["studies_added"] or diff["studies_removed"]:
        lines.append(f"included studies added: {', '.join(diff['studies_added']) or 'none'}; removed: "
                     f"{', '.join(diff['studies_removed']) or 'none'}")
    for a in diff["analyses"]:
        lines += ["", f"{a['name']}: {a['title']}", f"  {'':14}{diff['old']:>18}  {diff['new']:>18}"]
        for label, old, new in table_rows(a):
            lines.append(f"  {label:14}{old:>18}  {new:>18}")
        lines += study_lines(a, "  ")
        lines += [f"  ! {flag['text']}" for flag in a["flags"]] or ["  no flag: the conclusion did not move"]
    return "\n".join(lines)


def table_rows(a: dict) -> list:
    """``[(label, old text, new text)]``: the compared numbers of one analysis of a diff, formatted."""
    o, n = a["old"], a["new"]

    def ci(h, low, high):
        return "–" if h[low] is None else f"[{_fmt(h[low])}, {_fmt(h[high])}]"

    return [("status", o["status"] or "–", n["status"] or "–"), ("k", _fmt(o["k"]), _fmt(n["k"])),
            ("participants", _fmt(o["participants"]), _fmt(n["participants"])),
            (f"{n['measure'] or o['measure'] or 'estimate'}", _fmt(o["estimate"]), _fmt(n["estimate"])),
            ("CI", ci(o, "ci_low", "ci_high"), ci(n, "ci_low", "ci_high")), ("p", _p(o["p"]), _p(n["p"])),
            ("I²", _fmt(o["I2"], 0) + ("%" if o["I2"] is not None else ""),
             _fmt(n["I2"], 0) + ("%" if n["I2"] is not None else "")),
            ("τ²", _fmt(o["tau2"], 3), _fmt(n["tau2"], 3)),
            ("PI", ci(o, "pi_low", "pi_high"), ci(n, "pi_low", "pi_high"))]


def _cell(value) -> str:
    return "–" if value is None else (f"{value:.6g}" if isinstance(value, float) else str(value))


def study_lines(a: dict, indent: str) -> list:
    """The studies added, removed and changed in one analysis of a diff, one line each."""
    lines = []
    if a["studies_added"]:
        lines.append(f"{indent}studies added: {', '.join(a['studies_added'])}")
    if a["studies_removed"]:
        lines.append(f"{indent}studies removed: {', '.join(a['studies_removed'])}")
    for change in a["studies_changed"]:
        cells = ", ".join(f"{cell} {_cell(old)} → {_cell(new)}" for cell, (old, new) in change["cells"].items())
        lines.append(f"{indent}study changed: {change['study']} ({cells})")
    return lines


def format_markdown(diff: dict) -> str:
    """A "what's new in this version" page in Markdown."""
    lines = [f"# What's new in {diff['new']} (compared with {diff['old']})", ""]
    if diff["studies_added"] or diff["studies_removed"]:
        lines += [f"Included studies added: {', '.join(diff['studies_added']) or 'none'}. "
                  f"Removed: {', '.join(diff['studies_removed']) or 'none'}.", ""]
    for a in diff["analyses"]:
        lines += [f"## {a['title']}", ""]
        lines += [f"- **{flag['kind']}**: {flag['text']}" for flag in a["flags"]] or \
            ["- The conclusion did not move (no flag)."]
        lines += ["", f"| | {diff['old']} | {diff['new']} |", "|---|---|---|"]
        lines += [f"| {label} | {old} | {new} |" for label, old, new in table_rows(a)]
        studies = study_lines(a, "- ")
        lines += ([""] + studies if studies else []) + [""]
    return "\n".join(lines)


def format_html(diff: dict, forest_svgs: dict) -> str:
    """The "what's new" page as one self-contained HTML file; ``forest_svgs`` maps an analysis name to the
    (old, new) SVG texts of its forest plots, shown side by side."""
    esc = html.escape
    parts = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>What's new in {esc(diff['new'])}</title>",
             "<style>body{font-family:sans-serif;max-width:80em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
             "td:first-child{text-align:left}.flag{background:#fff3cd;padding:.4em .6em;margin:.3em 0}"
             ".plots{display:flex;gap:1em}.plots figure{flex:1;margin:0}.plots svg{width:100%;height:auto}"
             "</style></head><body>",
             f"<h1>What's new in {esc(diff['new'])}</h1><p>Compared with {esc(diff['old'])}.</p>"]
    if diff["studies_added"] or diff["studies_removed"]:
        parts.append(f"<p>Included studies added: {esc(', '.join(diff['studies_added']) or 'none')}. Removed: "
                     f"{esc(', '.join(diff['studies_removed']) or 'none')}.</p>")
    for a in diff["analyses"]:
        parts.append(f"<h2>{esc(a['title'])}</h2>")
        parts += [f"<div class=\"flag\"><b>{esc(f['kind'])}</b>: {esc(f['text'])}</div>" for f in a["flags"]] or \
            ["<p>The conclusion did not move (no flag).</p>"]
        parts.append(f"<table><tr><th></th><th>{esc(diff['old'])}</th><th>{esc(diff['new'])}</th></tr>")
        parts += [f"<tr><td>{esc(label)}</td><td>{esc(old)}</td><td>{esc(new)}</td></tr>"
                  for label, old, new in table_rows(a)]
        parts.append("</table>")
        studies = study_lines(a, "")
        if studies:
            parts.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in studies) + "</ul>")
        old_svg, new_svg = forest_svgs.get(a["name"], (None, None))
        if old_svg or new_svg:
            parts.append("<div class=\"plots\">")
            for label, svg in ((diff["old"], old_svg), (diff["new"], new_svg)):
                body = svg[svg.find("<svg"):] if svg else "<p>not pooled</p>"
                parts.append(f"<figure><figcaption>{esc(label)}</figcaption>{body}</figure>")
            parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def forest_svgs(old: Version, new: Version) -> dict:
    """``{analysis: (old SVG text or None, new SVG text or None)}``: both versions' forest plots."""
    from sysrev.meta import plots

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in dict.fromkeys([*old.analyses, *new.analyses]):
            pair = []
            for side, version in (("old", old), ("new", new)):
                results = version.analyses.get(name) or {}
                if not results.get("result"):
                    pair.append(None)
                    continue
                described = results.get("analysis") or {}
                labels = (described.get("group1") or "group 1", described.get("group2") or "group 2")
                favours = labels[::-1] if described.get("direction") == "higher is better" else labels
                path = plots.forest_plot(results["result"], Path(tmp) / f"{side}-{name}.svg", label1=labels[0],
                                         label2=labels[1], favours=favours,
                                         title=f"{described.get('title', name)} — {version.label}")
                pair.append(path.read_text(encoding="utf-8"))
            out[name] = tuple(pair)
    return out
