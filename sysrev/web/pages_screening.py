"""Screening (title/abstract and full text) and the reconciliation of conflicts.

A decision is appended to ``screening/<stage>/<reviewer>.csv`` with :func:`append_decisions` — the function
and lock the terminal screen uses — before the reviewer is moved on. With JavaScript the page posts the
decision with ``fetch`` and, once the server has answered that it is on disk, swaps in the next record, which
it fetched ahead (``/screen/<stage>/next?after=<record>``) while the reviewer read: one small write and no page
load between a key press and the next record. Without JavaScript the same form posts and is redirected to the
next page. The screen only ever reads the signed-in reviewer's own log, and the record fetched ahead is chosen
on the server from that reviewer's queue and order; another reviewer's decisions appear only on the conflicts
page, and only for records the signed-in reviewer has decided too.
"""

from __future__ import annotations

import html
import re

from flask import Blueprint, abort, g, jsonify, redirect, render_template, request, send_file, session, url_for
from markupsafe import Markup

from sysrev.errors import SysrevError
from sysrev.fulltext.paper import paper_location
from sysrev.screening.config import DECISIONS, STAGES
from sysrev.screening.log import Decision, append_decisions, log_path, now_timestamp, reconciliation_path
from sysrev.screening.ordering import ORDERS
from sysrev.screening.same_trial import linked_reports
from sysrev.screening.session import default_order
from sysrev.web.state import Queue, visible_conflicts

blueprint = Blueprint("screening", __name__)
STAGE_LABEL = {"title_abstract": "Title/abstract", "full_text": "Full text"}


def _stage(stage: str) -> str:
    if stage not in STAGES:
        abort(404)
    return stage


@blueprint.route("/screen/<stage>")
def screen(stage):
    stage = _stage(stage)
    screening = g.cache.screening()
    queue = g.cache.queue(screening, stage, g.reviewer)
    order = _order(stage)
    wanted = request.args.get("at")
    if wanted is not None and wanted not in queue.mine:
        raise SysrevError(f"record {wanted!r} is not among your {STAGE_LABEL[stage].lower()} decisions")
    skipped = session.setdefault("skipped", {}).setdefault(stage, [])
    if "skip" in request.args and request.args["skip"] in queue.todo and request.args["skip"] not in skipped:
        skipped.append(request.args["skip"])
        session.modified = True
    record_id = wanted
    if record_id is None and queue.todo:
        candidates = [rid for rid in queue.todo if rid not in skipped]
        if not candidates:  # every undecided record was skipped: they come round again
            skipped.clear()
            session.modified = True
            candidates = queue.todo
        record_id = g.orders.next(screening, queue, order, candidates)
    if record_id is None:
        return render_template("screen_done.html", stage=stage, label=STAGE_LABEL[stage], queue=queue)
    return render_template("screen.html", order=order, orders=ORDERS,
                           **_record_view(stage, screening, queue, record_id))


@blueprint.route("/screen/<stage>/next")
def next_record(stage):
    """The record to show once the reviewer has decided ``after`` (the one on screen), rendered, so the page can
    swap it in the moment the decision is saved: ``{"record_id", "html", "url"}``, ``record_id`` null when
    nothing would be left. Writes nothing."""
    stage = _stage(stage)
    after = request.args.get("after", "")
    queue = g.cache.queue(g.cache.screening(), stage, g.reviewer)
    if after not in queue.mine and after not in queue.todo:
        return jsonify(error=f"record {after!r} is not in your {STAGE_LABEL[stage].lower()} queue"), 400
    return jsonify(_successor(stage, after))


def _successor(stage: str, after: str) -> dict:
    """The record that follows ``after`` for the signed-in reviewer, chosen exactly as the page after deciding
    ``after`` would choose it — from this reviewer's own queue and order only — and rendered as it will then
    look (progress counting ``after`` as decided)."""
    screening = g.cache.screening()
    queue = g.cache.queue(screening, stage, g.reviewer)
    following = _following(queue, after)
    if following is not None:
        return {"record_id": following, "html": _fragment(stage, screening, queue, following),
                "url": url_for("screening.screen", stage=stage, at=following)}
    undecided = after not in queue.mine
    view = _as_decided(queue, after) if undecided else queue
    skipped = session.get("skipped", {}).get(stage, [])
    candidates = [rid for rid in view.todo if rid not in skipped] or view.todo
    if not candidates:
        return {"record_id": None, "html": "", "url": url_for("screening.screen", stage=stage)}
    record_id = g.orders.next(screening, queue, _order(stage), candidates, ahead_of=after if undecided else None)
    return {"record_id": record_id, "html": _fragment(stage, screening, view, record_id),
            "url": url_for("screening.screen", stage=stage)}


@blueprint.route("/screen/<stage>/decide", methods=["POST"])
def decide(stage):
    """Append the posted decision to the reviewer's log (under the project lock), then move on: a redirect to
    the next page, or — for the page's ``fetch`` — JSON: ``{"saved": true, "next_ok": …}`` when the page
    already holds the next record (``expect_next``; ``next_ok`` says whether it is still undecided and may be
    shown), else ``{"saved": true, "next": {…}}`` with the next record, as ``/next`` gives it."""
    stage = _stage(stage)
    screening = g.cache.screening()
    queue = g.cache.queue(screening, stage, g.reviewer)
    record_id = request.form.get("record_id", "")
    if record_id not in queue.mine and record_id not in queue.todo:
        raise SysrevError(f"record {record_id!r} is not in your {STAGE_LABEL[stage].lower()} queue; nothing saved")
    decision, reason, note = _posted_decision(stage, screening.config)
    rank, model = g.orders.decided(queue, record_id, decision)
    append_decisions(log_path(g.project.screening_dir, stage, g.reviewer),
                     [Decision(record_id, decision, reason, g.reviewer, now_timestamp(), note, rank=rank, model=model)])
    following = _following(queue, record_id)
    if wants_json():
        saved = {"saved": True, "record_id": record_id, "decision": decision}
        if "expect_next" not in request.form:
            return jsonify(**saved, next=_successor(stage, record_id))
        expected = request.form["expect_next"]
        next_ok = expected == following if following is not None else (
            expected in queue.todo and expected != record_id)
        return jsonify(**saved, next_ok=next_ok)
    if following is not None:
        return redirect(url_for("screening.screen", stage=stage, at=following))
    return redirect(url_for("screening.screen", stage=stage))


def wants_json() -> bool:
    """Whether the request came from the page's ``fetch`` (which asks for JSON), not from a plain form."""
    return request.accept_mimetypes.best == "application/json"


def _following(queue: Queue, record_id: str) -> str | None:
    """The reviewer's next earlier decision after ``record_id`` when going back through them, else None."""
    if record_id not in queue.mine:
        return None
    place = queue.history.index(record_id)
    return queue.history[place + 1] if place + 1 < len(queue.history) else None


def _as_decided(queue: Queue, record_id: str) -> Queue:
    """``queue`` as it will be once ``record_id`` (undecided now) is decided: for the page fetched ahead."""
    return Queue(queue.stage, queue.reviewer, queue.history + [record_id],
                 [rid for rid in queue.todo if rid != record_id], queue.mine, queue.seconds_per_record)


def _fragment(stage, screening, queue, record_id) -> str:
    return render_template("screen_record.html", **_record_view(stage, screening, queue, record_id))


def _record_view(stage, screening, queue, record_id) -> dict:
    """What the screening page shows for ``record_id``: the record, highlighted, with progress and the links
    back and on (through the reviewer's own decisions when ``record_id`` is one of them)."""
    record = g.cache.record(record_id)
    terms = screening.config.highlight_terms
    paper = _paper(g.project, record_id, record) if stage == "full_text" else None
    if record_id in queue.mine:  # going back through the reviewer's own decisions
        place = queue.history.index(record_id)
        previous = queue.history[place - 1] if place > 0 else None
        following = _following(queue, record_id)
        position = place
    else:
        previous, following, position = (queue.history[-1] if queue.history else None), None, len(queue.history)
    return {"stage": stage, "label": STAGE_LABEL[stage], "queue": queue, "record": record, "record_id": record_id,
            "position": position, "title": _highlight(record.get("title") or "(no title)", terms),
            "abstract": _highlight(record.get("abstract") or "(no abstract)", terms), "previous": previous,
            "following": following, "mine": queue.mine.get(record_id), "paper": paper, "eta": _eta(queue),
            "reasons": screening.config.exclusion_reasons if stage == "full_text" else [],
            "same_trial": _same_trial(record, queue)}


def _same_trial(record, queue) -> list:
    """The records dedup linked to ``record`` as the same trial, with the reviewer's own decision on each
    (never a co-reviewer's: screening stays blind)."""
    return linked_reports(record, lambda rid: g.cache.record(rid).get("title"), queue.mine)


@blueprint.route("/screen/<stage>/order", methods=["POST"])
def choose_order(stage):
    """Show this stage's records by relevance, at random or in file order (kept for the session)."""
    stage = _stage(stage)
    order = request.form.get("order", "")
    if order not in ORDERS:
        raise SysrevError(f"order must be one of {', '.join(ORDERS)}")
    session[f"order:{stage}"] = order
    return redirect(url_for("screening.screen", stage=stage))


def _at_full_text_or_404(record_id) -> None:
    """Papers are shown only for records at full-text screening: any other ID is "not found"."""
    if record_id not in g.cache.screening().stages["full_text"].eligible:
        abort(404)


@blueprint.route("/paper/<record_id>")
def paper(record_id):
    """The stored full text of a record at full-text screening (or its DOI link)."""
    _at_full_text_or_404(record_id)
    entry, path = paper_location(g.project, record_id)
    if path is not None:
        return send_file(path, mimetype="application/pdf" if entry.format == "pdf" else "application/xml")
    link = _paper(g.project, record_id, g.cache.record(record_id))["link"]
    if link:
        return redirect(link)
    abort(404)


@blueprint.route("/paper/<record_id>/tables")
def paper_tables_page(record_id):
    """The tables of a record's stored JATS full text, numbered as in the paper (``sysrev fulltext show``)."""
    from sysrev.fulltext.paper import paper_tables

    _at_full_text_or_404(record_id)
    entry, tables = paper_tables(g.project, record_id)
    return render_template("paper_tables.html", record_id=record_id, entry=entry, tables=tables,
                           record=g.cache.record(record_id))


CONFLICTS_PER_PAGE = 50


@blueprint.route("/conflicts/<stage>")
def conflicts(stage):
    """The conflicts the reviewer may settle, each record as the screen shows it (authors, source, abstract,
    highlighted) beside the decisions, :data:`CONFLICTS_PER_PAGE` at a time (``?from=N``: from the N-th)."""
    stage = _stage(stage)
    screening = g.cache.screening()
    state = screening.stages[stage]
    visible = visible_conflicts(screening, stage, g.reviewer)
    start = _page_start(request.args.get("from", ""), len(visible))
    terms = screening.config.highlight_terms
    items = []
    for record_id in visible[start:start + CONFLICTS_PER_PAGE]:
        votes = state.votes(record_id)
        record = g.cache.record(record_id)
        items.append({"record_id": record_id, "record": record,
                      "title": _highlight(record.get("title") or "(no title)", terms),
                      "abstract": _highlight(record.get("abstract") or "(no abstract)", terms),
                      "votes": [votes[r] for r in sorted(votes)]})
    return render_template("conflicts.html", stage=stage, label=STAGE_LABEL[stage], items=items,
                           reasons=screening.config.exclusion_reasons if stage == "full_text" else [],
                           hidden=len(state.conflicts()) - len(visible), start=start, total=len(visible),
                           per_page=CONFLICTS_PER_PAGE)


def _page_start(text: str, total: int) -> int:
    """The first conflict to show: ``?from=`` as a whole number, on a page boundary, within the list (the last
    page when the list has shrunk below it since the link was made); 0 for anything else."""
    if not text.isdigit():
        return 0
    last = max(total - 1, 0) // CONFLICTS_PER_PAGE * CONFLICTS_PER_PAGE
    return min(int(text) // CONFLICTS_PER_PAGE * CONFLICTS_PER_PAGE, last)


@blueprint.route("/conflicts/<stage>/resolve", methods=["POST"])
def resolve(stage):
    stage = _stage(stage)
    screening = g.cache.screening()
    record_id = request.form.get("record_id", "")
    if record_id not in visible_conflicts(screening, stage, g.reviewer):
        raise SysrevError(f"record {record_id!r} is not a conflict you can settle; nothing saved")
    decision, reason, note = _posted_decision(stage, screening.config)
    append_decisions(reconciliation_path(g.project.screening_dir, stage, g.reviewer),
                     [Decision(record_id, decision, reason, g.reviewer, now_timestamp(), note)])
    start = request.form.get("from", "")  # back to the page the conflict was settled on
    return redirect(url_for("screening.conflicts", stage=stage, **({"from": start} if start.isdigit() and
                                                                      int(start) else {})))


def _posted_decision(stage: str, config) -> tuple[str, str, str]:
    """The posted (decision, reason, note), checked as the decision log checks them: a reason only for a
    full-text exclusion, and then one of the review's reasons."""
    decision = request.form.get("decision", "")
    if decision not in DECISIONS:
        raise SysrevError(f"decision must be one of {', '.join(DECISIONS)}; nothing saved")
    reason = request.form.get("reason", "").strip()
    if stage == "full_text" and decision == "exclude":
        if reason not in config.exclusion_reasons:
            raise SysrevError("choose one of the review's exclusion reasons; nothing saved")
    else:
        reason = ""
    return decision, reason, " ".join(request.form.get("note", "").split())


def _order(stage: str) -> str:
    return session.get(f"order:{stage}") or default_order(stage)


def _highlight(text: str, terms) -> Markup:
    """``text`` escaped, with every word starting with an inclusion term in <mark> (as the terminal does)."""
    escaped = html.escape(" ".join(str(text).split()))
    if not terms:
        return Markup(escaped)
    pattern = re.compile(r"\b(" + "|".join(re.escape(html.escape(t)) for t in terms) + r")\w*", re.IGNORECASE)
    return Markup(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))


def _paper(project, record_id, record) -> dict:
    entry, path = paper_location(project, record_id)
    doi = record.get("doi") or ""
    link = (entry.doi_link if entry and entry.doi_link else (f"https://doi.org/{doi}" if doi else ""))
    if path is not None:
        return {"stored": True, "text": f"{entry.file} ({entry.source}; licence: {entry.licence or 'not stated'})",
                "link": link, "tables": entry.format == "xml"}
    if entry is not None and entry.status == "needs_library_access":
        return {"stored": False, "text": "needs library access", "link": link}
    return {"stored": False, "text": "not fetched (sysrev fulltext fetch)", "link": link}


def _eta(queue) -> str:
    if queue.seconds_per_record is None or not queue.left:
        return ""
    minutes = queue.seconds_per_record * queue.left / 60
    spent = f"{queue.seconds_per_record:.0f} s/record"
    return f"{spent} · ~{minutes:.0f} min to go" if minutes >= 1 else f"{spent} · under a minute to go"
