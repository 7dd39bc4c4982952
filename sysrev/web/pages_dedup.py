"""Duplicate review: the pairs the rules could not decide, side by side, the fields that differ marked."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from sysrev.dedup.project_run import collect_sources, unapplied_decisions
from sysrev.dedup.review import pending_pairs, record_pair_decision
from sysrev.errors import SysrevError

blueprint = Blueprint("dedup", __name__)
FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "source_id")
CHOICES = {"same": "Same record", "different": "Different records", "related": "Related (link, keep both)"}


@blueprint.route("/duplicates")
def index():
    pending = pending_pairs(g.project)
    # decisions made here change the records only when `sysrev dedup` runs: say how many wait for it
    waiting = unapplied_decisions(g.project, g.cache.records())
    if not pending:
        return render_template("dedup.html", pair=None, left=0, waiting=waiting)
    skip = request.args.get("skip", 0, type=int) % len(pending)  # not a whole number: the first pair
    row = pending[skip]
    sources = {s.label: s for s in collect_sources(g.project)}
    a, b = sources.get(row["record_a"]), sources.get(row["record_b"])
    if a is None or b is None:
        raise SysrevError(f"{row['record_a']} / {row['record_b']} is no longer in the search runs; run `sysrev "
                          "dedup` to refresh the queue")
    fields = []
    for name in FIELDS:
        values = [_show(getattr(src.record, name)) for src in (a, b)]
        fields.append({"name": name, "a": values[0], "b": values[1],
                       "differs": values[0] != values[1] and any(values)})
    return render_template("dedup.html", pair=row, a=a, b=b, fields=fields, left=len(pending), skip=skip,
                           choices=CHOICES, waiting=waiting)


@blueprint.route("/duplicates/decide", methods=["POST"])
def decide():
    a, b = request.form.get("record_a", ""), request.form.get("record_b", "")
    row = next((r for r in pending_pairs(g.project) if (r["record_a"], r["record_b"]) == (a, b)), None)
    if row is None:
        raise SysrevError(f"{a} / {b} is not an undecided pair in records/dedup_queue.csv; nothing saved")
    record_pair_decision(g.project, row, request.form.get("decision", ""), g.reviewer)
    return redirect(url_for("dedup.index"))


def _show(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value[:6]) + ("; et al." if len(value) > 6 else "")
    return "" if value is None else str(value)
