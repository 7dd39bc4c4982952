"""Releases: a version of the review frozen as plain files in ``releases/<VERSION>/`` (`sysrev release`).

A release holds what a reader of that version saw, so later versions can be compared with it:

* ``release.json`` – version, UTC date, note, sysrev version, the previous release, each strategy's search
  date (its last run: folder, date, query hash), every search run and record ID the version covered, the
  included studies with their reports, the PRISMA 2020 counts, each analysis's headline numbers and the
  RoB 2 judgements;
* ``analyses/<name>.json`` (the full results, as `sysrev meta run` writes them) and ``<name>.svg`` (forest plot);
* ``prisma.json`` and ``prisma.svg`` (when the counts can be derived: a project with search runs whose
  records are all decided; otherwise release.json says why not) – for a second or later release, the PRISMA 2020 diagram
  for *updated*
  reviews, derived from the previous release: studies of the previous version, records identified by this
  update's searches only, new studies, and the total (previous + new — never the cumulative count again);
* ``README.md`` – the same in words.

The folder is written in a hidden temporary folder and renamed into place, so a release is complete or absent;
the next release removes the temporary folder of a release killed mid-write (under the project lock).
A version that exists is never overwritten. Its creation time is now, or ``SOURCE_DATE_EPOCH`` when that is set
(:func:`release_time`), so a release re-made from the same files is identical.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sysrev import __version__
from sysrev.errors import SysrevError
from sysrev.fileio import atomic_write_json, remove_stale_tmp_folders
from sysrev.locking import project_lock

RELEASES = "releases"
RELEASE_FILE = "release.json"
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TMP_FOLDERS = ".tmp-*-" + "[0-9a-f]" * 8  # the folder a release is written in: .tmp-VERSION-<8 hex digits>
HEADLINE = ("k", "estimate", "ci_low", "ci_high", "p", "I2", "tau2", "pi_low", "pi_high", "measure", "model",
            "level")


def releases_dir(project) -> Path:
    return project.root / RELEASES


def list_releases(project) -> list[str]:
    """Release versions of ``project``, oldest first (by the creation time in their release.json)."""
    folder = releases_dir(project)
    if not folder.is_dir():
        return []
    found = []
    for child in folder.iterdir():
        if child.name.startswith(".") or not (child / RELEASE_FILE).is_file():
            continue
        found.append((json.loads((child / RELEASE_FILE).read_text(encoding="utf-8")).get("created", ""), child.name))
    return [name for _, name in sorted(found)]


def load_release(project, version: str) -> dict:
    """The ``release.json`` of ``version``; an unknown version is an error listing the known ones."""
    path = releases_dir(project) / version / RELEASE_FILE
    if not path.is_file():
        known = ", ".join(list_releases(project)) or "none yet"
        raise SysrevError(f"no release {version!r} in {releases_dir(project)} (releases: {known})")
    return json.loads(path.read_text(encoding="utf-8"))


def participants(result: dict | None) -> int | None:
    """Participants in a pooled result: n1 + n2 of every study row (each study once, even when it appears at
    several time points, taking its largest row)."""
    if not result:
        return None
    per_study = {}
    for row in result.get("studies") or []:
        data = row.get("data") or {}
        n = sum(v for k, v in data.items() if k in ("n1", "n2") and isinstance(v, (int, float)))
        study = str(row.get("study", "")).split(" (")[0]
        per_study[study] = max(per_study.get(study, 0), n)
    return int(sum(per_study.values())) if per_study else None


def headline(outcome_dict: dict) -> dict:
    """The numbers of one analysis a release records in release.json (the full results go alongside)."""
    result = outcome_dict.get("result") or {}
    out = {"status": outcome_dict.get("status"), "participants": participants(result)}
    out.update({key: result.get(key) for key in HEADLINE})
    return out


def rob_judgements(project) -> dict:
    """``{"study--outcome": {"D1": …, "overall": …}}`` of every RoB 2 form (incomplete ones with None)."""
    from sysrev.rob.form import load_assessments

    return {f"{a.study}--{a.outcome}": a.judgements() for a in load_assessments(project.rob_dir)}


def search_dates(project) -> list:
    """Per strategy: its last run (folder and UTC date), the query hash, and every run so far."""
    from sysrev.search.runner import query_sha256, strategy_runs
    from sysrev.search.strategies import load_strategies

    out = []
    try:
        strategies = load_strategies(project.searches_dir)
    except SysrevError:  # a project without searches (an analysis-only example) has no search dates
        return out
    for strategy in strategies:
        runs = strategy_runs(project.runs_dir, strategy)
        last = json.loads((runs[-1] / "manifest.json").read_text(encoding="utf-8")) if runs else {}
        out.append({"name": strategy.name, "database": strategy.database, "query_sha256": query_sha256(strategy.query),
                    "last_run": runs[-1].name if runs else None, "searched": last.get("created"),
                    "runs": [p.name for p in runs]})
    return out


def current_state(project, outcomes=None) -> dict:
    """What a release would freeze now (without the PRISMA counts): studies, records, runs, analyses, RoB."""
    from sysrev.analyses.run import run_project
    from sysrev.dedup.project_run import load_records
    from sysrev.living.status import included_record_ids
    from sysrev.living.studies import included_studies, read_study_table
    from sysrev.search.snapshot import list_snapshots

    outcomes = run_project(project, write=False) if outcomes is None else outcomes
    included, _ = included_record_ids(project)
    try:
        records = sorted(r["record_id"] for r in load_records(project))
    except SysrevError:  # no search or dedup yet: an analysis-only project
        records = []
    table = read_study_table(project)
    studies = included_studies(table, included)
    return {
        "runs": [p.name for p in list_snapshots(project.runs_dir)],
        "records": records,
        "included_records": sorted(included),
        "studies": [{"study": s.label, "records": list(s.records), "included_reports": studies.reports_of(s.label)}
                    for s in studies.studies],
        "unassigned_reports": studies.unassigned,
        "analyses": {o.spec.name: headline(o.to_dict(project.root)) for o in outcomes},
        "mids": {o.spec.name: o.spec.mid for o in outcomes},
        "rob": rob_judgements(project),
    }


def update_prisma(project, previous: dict | None, state: dict):
    """PRISMA counts: for a new review, or for this update against the ``previous`` release."""
    from sysrev.report.prisma import prisma_counts

    if previous is None:
        return prisma_counts(project, new_studies=len(state["studies"]) + len(state["unassigned_reports"]))
    return prisma_counts(project, **update_scope(previous, state))


def update_scope(previous: dict, state: dict) -> dict:
    """The ``prisma_counts`` arguments of an update, by study identity (studies.csv, column ``records``).

    The previous version's studies are those of its release (a report it included but had not assigned to a
    study counted as a study of its own, so it counts so again). Of the reports this update included (records
    the previous release had not seen), one that belongs to a study of the previous version — a trial's second
    paper — is a report of that study, not a new study; a new study is one the previous release did not
    include that has a report included by this update; an included report no study lists is a study of its
    own (and is pending in ``sysrev status`` until it is linked).
    """
    from sysrev.report.prisma import UpdateScope

    seen = set(previous["records"])
    before = {s["study"] for s in previous["studies"]}
    previous_unassigned = previous.get("unassigned_reports", [])
    scope = UpdateScope(runs=frozenset(previous["runs"]), records=frozenset(seen),
                        studies=len(previous["studies"]) + len(previous_unassigned),
                        reports=sum(len(s["included_reports"]) for s in previous["studies"])
                        + len(previous_unassigned))
    added_to_previous, new_studies = 0, 0
    for study in state["studies"]:
        fresh = [rid for rid in study["included_reports"] if rid not in seen]
        if study["study"] in before:
            added_to_previous += len(fresh)
        elif fresh:
            new_studies += 1
    new_studies += sum(1 for rid in state["unassigned_reports"] if rid not in seen)
    return {"update": scope, "new_studies": new_studies, "reports_of_previous": added_to_previous}


def release_time() -> datetime:
    """Now (UTC), or the time in ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds
    convention) when it is set: a release re-made from the same files is then byte-for-byte the same."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        raise SysrevError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, got "
                          f"{value!r}") from None


def _check_version(project, version: str) -> Path:
    if not _VERSION.match(version):
        raise SysrevError(f"release version {version!r}: use letters, digits, '.', '_' or '-' (e.g. 2027-01 or v2)")
    target = releases_dir(project) / version
    if target.exists():
        raise SysrevError(f"{target} exists: a release is never overwritten; choose a new version")
    return target


def _git(project, *args) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=project.root, capture_output=True, text=True, check=True)
    except FileNotFoundError:
        raise SysrevError("--tag needs git, which is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise SysrevError(f"git {' '.join(args)} failed: {exc.stderr.strip() or exc.stdout.strip()}") from None
    return done.stdout.strip()


def make_release(project, version: str, *, note: str = "", tag: bool = False, now=None) -> Path:
    """Freeze the review as ``releases/<version>/`` (see the module docstring); return the folder.

    Runs every analysis first (as `sysrev meta run`, writing ``analysis/results/``) so the release holds
    current numbers. With ``tag``, commits the release folder alone and tags that commit ``version``.
    """
    from sysrev.analyses.run import run_project
    from sysrev.report.prisma_diagram import draw_prisma

    target = _check_version(project, version)
    created = (now or release_time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    if tag:
        _git(project, "rev-parse", "--is-inside-work-tree")
        if _git(project, "tag", "--list", version):
            raise SysrevError(f"git tag {version!r} exists already")
    releases = list_releases(project)
    previous = load_release(project, releases[-1]) if releases else None
    outcomes = run_project(project)
    state = current_state(project, outcomes)
    try:
        counts = update_prisma(project, previous, state)
        prisma, prisma_note = counts.to_dict(), None
    except SysrevError as exc:  # e.g. no search runs (an analysis-only project) or undecided records
        counts, prisma, prisma_note = None, None, str(exc).replace(f"{project.root}{os.sep}", "")
    release = {"version": version, "created": created, "note": note, "sysrev_version": __version__,
               "previous": previous["version"] if previous else None, "searches": search_dates(project),
               **state, "prisma": prisma, "prisma_not_drawn_because": prisma_note}
    target.parent.mkdir(parents=True, exist_ok=True)
    # Under the project lock (re-entrant: `sysrev release` holds it already) no other release is writing, so a
    # hidden temporary folder found now was left by a release killed mid-write: removed, as search snapshots do.
    with project_lock(project.root):
        remove_stale_tmp_folders(target.parent, TMP_FOLDERS)
        tmp = target.parent / f".tmp-{version}-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            atomic_write_json(tmp / RELEASE_FILE, release)
            if counts is not None:
                atomic_write_json(tmp / "prisma.json", prisma)
                draw_prisma(counts, tmp / "prisma.svg")
            for outcome in outcomes:
                atomic_write_json(tmp / "analyses" / f"{outcome.spec.name}.json", outcome.to_dict(project.root))
                plot = project.results_dir / f"{outcome.spec.name}.svg"
                if outcome.result is not None and plot.is_file():
                    shutil.copyfile(plot, tmp / "analyses" / plot.name)
            (tmp / "README.md").write_text(release_readme(release), encoding="utf-8")
            os.rename(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    if tag:
        _git(project, "add", "--", str(target.relative_to(project.root)))
        _git(project, "commit", "-q", "-m", f"release {version}" + (f": {note}" if note else ""), "--",
             str(target.relative_to(project.root)))
        _git(project, "tag", "-a", version, "-m", note or f"release {version}")
    return target


def _number(value, digits=2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _p_text(value) -> str:
    return "–" if value is None else ("< 0.001" if value < 0.001 else f"{value:.3f}")


def release_readme(release: dict) -> str:
    """The release in words (Markdown)."""
    p = release["prisma"]
    lines = [f"# Release {release['version']}", "",
             f"Frozen {release['created']} with sysrev {release['sysrev_version']}"
             + (f"; previous release {release['previous']}" if release["previous"] else "") + ".", ""]
    if release["note"]:
        lines += [release["note"], ""]
    lines += ["## Searches", ""]
    lines += [f"- {s['name']} ({s['database']}): searched {s['searched'] or 'never'}" for s in release["searches"]] \
        or ["No search strategies in this project."]
    lines += ["", "## Studies", ""]
    if p is None:
        lines += [f"No PRISMA counts: {release['prisma_not_drawn_because']}", ""]
    elif p["updated_review"]:
        added = p.get("previous_reports_added") or 0
        lines += [f"Studies in the previous version: {p['previous_studies']} (reports: {p['previous_reports']}"
                  + (f", {added} of them included by this update" if added else "") + f"); records identified "
                  f"by this update: {p['identified_total']}; new studies: {p['studies_included']} (reports: "
                  f"{p['reports_included']}); total studies: {p['total_studies']} (reports: {p['total_reports']}).",
                  ""]
    else:
        lines += [f"Records identified: {p['identified_total']}; studies included: {p['studies_included']} "
                  f"(reports: {p['reports_included']}).", ""]
    lines += [f"- {s['study']}: {', '.join(s['included_reports']) or 'no linked report'}" for s in release["studies"]]
    lines += ["", "## Analyses", "", "| analysis | status | k | participants | estimate [CI] | p | I² | τ² |",
              "|---|---|---|---|---|---|---|---|"]
    for name, a in release["analyses"].items():
        ci = (f"{_number(a['estimate'])} [{_number(a['ci_low'])}, {_number(a['ci_high'])}]"
              if a["estimate"] is not None else "–")
        lines.append(f"| {name} | {a['status']} | {a['k'] or '–'} | {a['participants'] or '–'} | {ci} | "
                     f"{_p_text(a['p'])} | {_number(a['I2'], 0)}% | {_number(a['tau2'], 3)} |")
    return "\n".join(lines) + "\n"
