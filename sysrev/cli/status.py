"""`sysrev status`: the whole review stage by stage, and every included study's pending items."""

import json

import click

from sysrev.cli.options import project_option
from sysrev.project import load_project
from sysrev.wording import clause, counted


@click.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (searches, dedup, screening, "
                                                      "studies, analyses).")
def status(project_dir, as_json):
    """Show where the review stands: searches, dedup, screening, included studies, pending extraction and
    RoB 2 per analysed outcome, analyses whose inputs changed. Reads only; exit code 0."""
    from sysrev.living.status import pipeline_status

    project = load_project(project_dir)
    state = pipeline_status(project)
    if as_json:
        click.echo(json.dumps(state, indent=2, ensure_ascii=False))
    else:
        click.echo(format_status(state))


def format_status(state: dict) -> str:
    """The pipeline as text, one block per stage."""
    lines = ["Searches:"]
    for s in state["searches"]:
        if "error" in s:
            lines.append(f"  {s['error']}")
        elif s["runs"]:
            lines.append(f"  {s['name']} ({s['database']}): {counted(s['runs'], 'run')}, last {s['last_run_date']} "
                         f"({counted(s['last_run_records'], 'record')})")
        else:
            lines.append(f"  {s['name']} ({s['database']}): never run")
        if s.get("draft"):
            lines.append("    draft: the query is still the starting point `sysrev init` built; write the real "
                         "strategy, then delete the 'draft' line (a draft is never sent)")
    for s in state.get("imports") or []:
        what = ("imported", "import") if s["database"] == "file" else (
            f"{s['database']}, a query no strategy file holds now", "run")
        lines.append(f"  {s['name']} ({what[0]}): {counted(s['runs'], what[1])}, last {s['last_run_date']} "
                     f"({counted(s['last_run_records'], 'record')})")
    dedup = state["dedup"]
    lines.append("Dedup:")
    if dedup.get("error"):
        lines.append(f"  the records file cannot be read: {dedup['error']}")
        lines.append("  mend that line, or restore the file from git (`git checkout -- records/records.jsonl`); "
                     "`sysrev dedup` reads it to keep the record IDs, so it cannot rebuild it while it is broken")
    elif dedup.get("missing"):
        lines.append("  records/records.jsonl is missing, but the screening logs name its records: restore it from git "
                     "(`git checkout -- records/records.jsonl`); `sysrev dedup` will not build it anew, as the "
                     "records would get IDs the decisions do not mean")
    elif dedup["records"] is None:
        lines.append("  not run yet (`sysrev dedup`)")
    else:
        lines.append(f"  {counted(dedup['records'], 'record')}")
        if dedup["gone"]:
            shown = ", ".join(dedup["gone"][:10]) + (", …" if len(dedup["gone"]) > 10 else "")
            lines.append(f"  {counted(len(dedup['gone']), 'record')} left the review when their search runs were "
                         f"deleted ({shown}; kept in records/gone_records.jsonl): restore the runs and run `sysrev "
                         "dedup` to bring them back")
    if dedup["runs_not_deduplicated"]:
        lines.append(f"  runs not deduplicated yet: {', '.join(dedup['runs_not_deduplicated'])} (`sysrev dedup`)")
    if dedup.get("decisions_not_applied"):
        lines.append(f"  {clause(dedup['decisions_not_applied'], 'duplicate-pair decision', 'is', 'are')} not applied "
                     "to the records yet (made since the last dedup): run `sysrev dedup`")
    lines.append("Screening:")
    if "error" in state["screening"]:
        lines.append(f"  {state['screening']['error']}")
    else:
        for stage, s in state["screening"].items():
            decided = ", ".join(f"{n} {d}" for d, n in s["decisions"].items() if n)
            lines.append(f"  {stage}: {counted(s['records'], 'record')}; {s['decided']} decided ({decided or 'none'}), "
                         f"{s['unscreened']} unscreened, {counted(s['conflicts'], 'conflict')}, "
                         f"{s['awaiting_second_reviewer']} awaiting a second reviewer")
            for reviewer, r in s["reviewers"].items():
                if r["left"]:
                    lines.append(f"    {reviewer}: {r['left']} left to screen")
    lines += _studies(state)
    lines.append("Analyses:")
    for a in state["analyses"]:
        if a["status"] is None:
            changed = ": run `sysrev meta run`"
        elif a["inputs_changed"]:
            changed = f"; inputs changed ({a['why']}): run `sysrev meta run`"
        else:
            changed = ""
        waiting = (f"; awaiting extraction: {', '.join(a['studies_awaiting_extraction'])}"
                   if a["studies_awaiting_extraction"] else "")
        lines.append(f"  {a['name']} ({a['outcome']}): {a['status'] or 'not run yet'}{changed}{waiting}")
    if state.get("error"):
        lines.append(f"  {state['error']}")
    releases = state.get("releases") or []
    lines.append(f"Releases: {', '.join(releases)} (`sysrev diff` compares the last with now)" if releases
                 else "Releases: none yet (`sysrev release VERSION`)")
    if state.get("interrupted_writes"):
        lines.append(f"Interrupted writes: {counted(state['interrupted_writes'], 'temporary file')} left by "
                     "commands killed mid-write; the saved files are unaffected (`sysrev check` lists them, "
                     "`sysrev check --remove-leftovers` deletes them)")
    return "\n".join(lines)


def _studies(state: dict) -> list:
    studies = state.get("studies")
    if studies is None:
        return []
    lines = [f"Studies: {len(studies['studies'])} included"]
    shown = (state.get("screening") or {}).get("error")  # already printed under Screening: not twice
    lines += [f"  note: {note}" for note in studies["notes"] if not (shown and note.endswith(shown))]
    if studies["unlinked"]:
        lines.append(f"  not linked to any record (studies.csv 'records' empty): {', '.join(studies['unlinked'])}")
    lines += [f"  warning: {warning}" for warning in studies["not_included"]]
    if studies["pending"]:
        lines.append(f"Pending ({len(studies['pending'])}; settle one in analysis/exemptions.csv with a reason):")
        lines += [f"  {p['study']}: {p['stage']} {p['outcome']} — {p['why']}".replace("  —", " —")
                  for p in studies["pending"]]
    else:
        lines.append("Pending: none")
    if studies["exempted"]:
        lines.append(f"Exempted ({len(studies['exempted'])}):")
        lines += [f"  {p['study']}: {p['stage']} {p['outcome']} — {p['why']}" for p in studies["exempted"]]
    return lines
