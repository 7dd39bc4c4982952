"""`sysrev refresh`: re-run every search as a living update, import the inbox, dedup, print the to-do list."""

import json
import sys

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.project import load_project
from sysrev.wording import counted


@click.command()
@project_option
@click.option("--dry-run", is_flag=True, help="Say what would be searched and imported; send no request, "
                                              "write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (for schedulers).")
@click.option("--allow-truncated", is_flag=True,
              help="An inbox file cut off mid-record (interrupted download) is an error; with this flag its "
                   "complete records are imported and the cut-off one is dropped, with a warning saying so.")
def refresh(project_dir, dry_run, as_json, allow_truncated):
    """Update the review: every searches/*.toml strategy runs for what is new since its last run, exports
    dropped in searches/inbox/<strategy>/ are imported, everything is deduplicated against the history with
    stable record IDs, and the to-do list is printed (docs/living.md). Safe to re-run: a second refresh the
    same day adds nothing, and an interrupted one continues where it stopped. Exit code 2 when a search
    failed (the others still ran)."""
    from sysrev.cli.search import _setup_logging
    from sysrev.living.refresh import refresh as run_refresh
    from sysrev.search.progress import Progress

    _setup_logging()
    project = load_project(project_dir)
    try:
        outcome = run_refresh(project, dry_run=dry_run, progress_for=lambda label: Progress(label),
                              allow_truncated=allow_truncated)
    except KeyboardInterrupt:
        click.echo("\ninterrupted: what was fetched is saved; run `sysrev refresh` again to continue", err=True)
        sys.exit(130)
    if as_json:
        click.echo(json.dumps(outcome.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_refresh(outcome))
    if outcome.failed:
        raise SysrevError(f"{counted(len(outcome.failed), 'search', 'searches')} failed: "
                          + "; ".join(f"{f['name']}: {f['error']}" for f in outcome.failed))


def format_refresh(outcome) -> str:
    """What the refresh did, then the to-do list."""
    lines = ["Dry run: nothing searched or written." if outcome.dry_run else "Searches:"]
    for s in outcome.searches:
        if s["action"] == "skip":
            lines.append(f"  {s['name']} ({s['database']}): already run today without gaps; skipped")
        elif s["action"] == "draft":
            lines.append(f"  {s['name']} ({s['database']}): not run: {s['why']}")
        elif s["action"] == "failed":
            lines.append(f"  {s['name']} ({s['database']}): FAILED (see below)")
        elif outcome.dry_run:
            what = "a living update since its last run" if s["action"] == "update" else "a full search (first run)"
            lines.append(f"  {s['name']} ({s['database']}): would run {what}")
        else:
            gaps = f", {counted(len(s['gaps']), 'gap')} (fetched again next time)" if s["gaps"] else ""
            lines.append(f"  {s['name']} ({s['database']}): {s['retrieved']} retrieved, {s['new']} new → "
                         f"{s['snapshot']}{gaps}")
    for i in outcome.imports:
        target = f" → {i['snapshot']}" if i["snapshot"] else ""  # a dry run's action is "would import" already
        lines.append(f"  inbox/{i['strategy']}: {i['action']} {counted(len(i['files']), 'file')}, "
                     f"{counted(i['records'], 'record')}{target}")
        lines += [f"    warning: {warning}" for warning in i["warnings"]]
    if outcome.dedup:  # a dry run deduplicates nothing
        d = outcome.dedup
        ids = d["new_record_ids"]
        shown = ", ".join(ids[:10]) + (f", … ({len(ids)} in all)" if len(ids) > 10 else "")
        lines.append(f"Dedup: {counted(d['records'], 'record')}; {len(ids)} new queued for screening"
                     + (f" ({shown})" if ids else ""))
        if d["uncertain_pairs"]:
            lines.append(f"  {counted(d['uncertain_pairs'], 'uncertain duplicate pair')}: `sysrev dedup review`")
        if d["gone"]:
            lines.append(f"  warning: {d['gone']}")
        if d["merged"]:
            lines.append(f"  note: {d['merged']}")
    lines += ["", "To do:"] + format_todo(outcome.status)
    return "\n".join(lines)


def format_todo(status: dict) -> list:
    """What waits for people, from :func:`sysrev.living.status.pipeline_status`."""
    lines, waits = [], False  # waits: something on the list needs a person
    screening = status["screening"]
    if "error" in screening:
        lines.append(f"  screening: {screening['error']}")
        waits = True
    else:
        for stage, label in (("title_abstract", "title/abstract"), ("full_text", "full texts to assess")):
            s = screening[stage]
            waiting = s["unscreened"] + s["awaiting_second_reviewer"]
            per = ", ".join(f"{r} {v['left']}" for r, v in s["reviewers"].items() if v["left"])
            waits = waits or waiting > 0 or s["conflicts"] > 0
            lines.append(f"  {label}: {counted(waiting, 'record')} waiting"
                         + (f" (left per reviewer: {per})" if per else "")
                         + (f"; {counted(s['conflicts'], 'conflict')} to reconcile" if s["conflicts"] else ""))
    studies = status.get("studies") or {}
    pending = studies.get("pending") or []
    for stage, label in (("study", "included records not assigned to a study"),
                         ("extraction", "extraction missing"), ("rob2", "RoB 2 missing")):
        items = [p for p in pending if p["stage"] == stage]
        if items:
            lines.append(f"  {label}: " + "; ".join(f"{p['study']}" + (f" ({p['outcome']})" if p["outcome"] else "")
                                                    for p in items))
            waits = True
    changed = [a for a in status.get("analyses") or [] if a["inputs_changed"]]
    for a in changed:
        state = "not run yet" if a["status"] is None else f"inputs changed ({a['why']})"
        lines.append(f"  analysis {a['name']}: {state}: `sysrev meta run`")
        waits = True
    if not waits:
        lines.append("  nothing waits: the review is up to date")
    return lines
