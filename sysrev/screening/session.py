"""The interactive screen: one record at a time, single key presses, every decision appended to the log.

Keys: ``i`` include, ``e`` exclude, ``m`` maybe, ``s`` skip, ``b`` back, ``q`` quit. At full text, ``e``
opens a numbered menu of the review's exclusion reasons (``1``–``9``, then letters; ``Esc`` or ``q``
cancels), the screen says where the paper is (the file ``sysrev fulltext fetch`` stored, or the DOI link
of a paper that needs library access) and ``o`` opens it. The screen resumes where the reviewer stopped (records they
already decided are not shown
again), shows progress (record n of N, mean seconds per record, time left) and is blind: it never reads or
shows another reviewer's decisions, only the reviewer's own when going back.

Records are shown in the order chosen with ``order`` (:mod:`sysrev.screening.ordering`): by relevance
(the default at title/abstract; a model retrained in the background after every decision, learning from
this reviewer's decisions only), at random, or in file order. Each decision row records the rank the record
was shown at and the model that ranked it.

Input and output are injected (``getkey`` returns one key, ``echo`` prints a block of text, ``clock``
returns seconds), so tests drive a session with scripted key presses; the CLI passes ``click.getchar``,
``click.echo`` and ``time.monotonic``.
"""

import re
import shutil
import textwrap
from dataclasses import dataclass, field

import click

from sysrev.errors import SysrevError
from sysrev.fulltext.paper import paper_location
from sysrev.screening.config import STAGE_LABEL
from sysrev.screening.log import Decision, append_decisions, log_path, now_timestamp, reconciliation_path
from sysrev.screening.ordering import ORDERS, RecordOrder
from sysrev.screening.same_trial import linked_reports
from sysrev.screening.state import load_screening
from sysrev.wording import counted

KEYS = {"i": "include", "e": "exclude", "m": "maybe"}
REASON_KEYS = "123456789acdfghjklnoprtuvwxyz"
CANCEL = ("\x1b", "q")
_MAX_AUTHORS = 6


@dataclass
class SessionResult:
    """What a session did: decisions logged (changed minds included), records skipped, whether all done."""

    logged: int = 0
    skipped: int = 0
    remaining: int = 0
    durations: list = field(default_factory=list)


class ScreenSession:
    """One reviewer screening one stage of a project."""

    mode = "screen"

    def __init__(self, project, reviewer, stage, *, getkey, echo, clock, clear=None, width=None, height=None,
                 color=True, opener=None, order=None, rank=None, rng=None):
        screening = load_screening(project)
        if reviewer not in screening.config.reviewers:
            raise SysrevError(f"unknown reviewer {reviewer!r}: review.toml [screening] reviewers lists "
                              f"{', '.join(screening.config.reviewers)}")
        self.config = screening.config
        self.stage = stage
        self.reviewer = reviewer
        self.state = screening.stages[stage]
        self.records = screening.records_by_id
        self.path, self.mine, history, todo = self._work(project)
        self.queue, self.start, self.total = history + todo, len(history), len(history) + len(todo)
        self.getkey, self.echo, self.clock, self.color = getkey, echo, clock, color
        self.clear = clear or (lambda: None)
        self.width = width or min(shutil.get_terminal_size((100, 40)).columns, 110)
        self.height = height  # terminal rows; None: never page the abstract
        self.pages = 1  # pages of the abstract on the record shown (space turns them)
        self.heading = []  # the record's heading lines, redrawn above the reasons menu
        self.notice = ""  # a message shown under the next screen drawn
        self.highlight = _highlighter(self.config.highlight_terms)
        self.project = project
        self.opener = opener or click.launch  # opens a file or a link in the system's viewer
        self._papers = {}
        self.order = self._order(order, rank, rng)
        self.frontier = self.start  # positions before it were shown (or decided earlier); after: still to choose
        self.shown_as = {}  # record_id -> (rank, model) it was shown with in this session

    def _order(self, order, rank, rng):
        """The :class:`RecordOrder` choosing new records (relevance by default at title/abstract); None
        keeps the queue's order."""
        order = order or default_order(self.stage)
        if order not in ORDERS:
            raise SysrevError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
        return RecordOrder(order, self.state.eligible, self.records, self.mine, rank=rank, rng=rng)

    def _work(self, project):
        """The log to write, the reviewer's decisions so far ({record_id: decision}), the records already
        decided (in the order of the log, so ``back`` retraces earlier sessions too) and those left to do."""
        eligible = set(self.state.eligible)
        latest = {rid: d for rid, d in self.state.latest.get(self.reviewer, {}).items() if rid in eligible}
        history = sorted(latest, key=lambda rid: latest[rid].line or 0)
        todo = [rid for rid in self.state.eligible if rid not in latest]
        mine = {rid: d.decision for rid, d in latest.items()}
        return log_path(project.screening_dir, self.stage, self.reviewer), mine, history, todo

    def _context(self, record_id) -> list:
        """Extra lines under the abstract: the record's other reports of its trial (never a co-reviewer's
        decision: the screen is blind)."""
        return self._same_trial(record_id)

    def _same_trial(self, record_id) -> list:
        """The records dedup linked to this one as the same trial, with the reviewer's own decision on each,
        so that a trial's registration and reports are judged alike."""
        reports = linked_reports(self.records[record_id], lambda rid: self.records[rid].get("title"), self.mine)
        if not reports:
            return []
        lines = ["", self._style("Same trial as:", bold=True)]
        for report in reports:
            title, room = report.title, max(self.width - len(report.record_id) - 4, 20)
            decided = f"your decision: {report.mine}" if report.mine else "not decided by you"
            lines += [f"  {report.record_id}  {title[:room - 1] + '…' if len(title) > room else title}",
                      f"    {report.why}; {decided}"]
        return lines

    def run(self) -> SessionResult:
        """Screen until every record is decided or the reviewer quits; return what happened.

        The session opens on the first undecided record; ``back`` can walk into the decisions of earlier
        sessions (shown with the reviewer's own decision), and a new key there logs a changed mind.
        Ctrl-C or a closed terminal ends the session like ``q``: every decision made is already saved.
        """
        result = SessionResult()
        if self.start == len(self.queue):
            self.echo(f"Nothing left to screen at {STAGE_LABEL[self.stage]} for {self.reviewer}: "
                      f"{len(self.mine)} of {self.total} records decided.")
            return result
        position, skipped, page, shown = self.start, set(), 0, None
        while 0 <= position < len(self.queue):
            if self.order is not None and position >= self.frontier:
                self._choose(position)
            record_id = self.queue[position]
            if shown != position:
                started, page, shown = self.clock(), 0, position
            self.clear()
            self.echo(self.render(record_id, position, result, page) + (f"\n{self.notice}" if self.notice else ""))
            self.notice = ""
            try:
                action = self._ask()
            except (KeyboardInterrupt, EOFError):
                action = "quit"
            if action == "quit":
                break
            if action == "more":
                page = (page + 1) % self.pages
                continue
            if action == "redraw":
                continue
            if action == "open":
                self.notice = self._open_paper(record_id)
                continue
            if action == "back":
                if position == 0:
                    self.notice = "(this is your first record: there is nothing to go back to)"
                position = max(position - 1, 0)
                continue
            if action == "skip":
                if record_id not in self.mine:  # passing over a decided record is not a skip
                    skipped.add(record_id)
                position += 1
                continue
            decision, reason = action
            rank, model = self.shown_as.pop(record_id, ("", ""))
            append_decisions(self.path, [Decision(record_id, decision, reason, self.reviewer, now_timestamp(),
                                                  rank=rank, model=model)])
            result.durations.append(self.clock() - started)
            result.logged += 1
            self.mine[record_id] = decision
            if self.order is not None:
                self.order.update(self.mine)
            skipped.discard(record_id)
            position += 1
        result.skipped = len(skipped)
        result.remaining = self.total - len(self.mine)
        self.echo(self.summary(result))
        return result

    def _choose(self, position):
        """Bring the record the order picks next to ``position`` (records before it were already shown)."""
        candidates = self.queue[position:]
        undecided = [rid for rid in self.state.eligible if rid not in self.mine]
        record_id, rank, model = self.order.next(
            candidates, undecided, waiting=lambda: self.echo("(ordering the records by relevance…)"))
        self.queue.remove(record_id)
        self.queue.insert(position, record_id)
        self.shown_as[record_id] = (rank, model)
        self.frontier = position + 1

    def _ask(self):
        """Read keys until one means something; return 'quit', 'back', 'skip', 'more' (next page of the
        abstract), 'redraw' (a cancelled reason menu) or (decision, reason)."""
        while True:
            key = (self.getkey() or "").lower()
            if key == "q":
                return "quit"
            if key == "b":
                return "back"
            if key == "s":
                return "skip"
            if key == " " and self.pages > 1:
                return "more"
            if key == "o" and self.stage == "full_text":
                return "open"
            if key in KEYS:
                if KEYS[key] == "exclude" and self.stage == "full_text":
                    reason = self._ask_reason()
                    if reason is None:
                        self.notice = "(exclusion cancelled)"
                        return "redraw"
                    return "exclude", reason
                return KEYS[key], ""
            self.echo(f"(key {key!r} does nothing here: i include, e exclude, m maybe, s skip, b back, q quit)")

    def _ask_reason(self):
        """The full-text exclusion reason from a numbered menu, drawn under the record's heading in place of
        the abstract (so a long list does not push the heading off a short terminal); None if cancelled."""
        reasons = self.config.exclusion_reasons
        labels = REASON_KEYS[: len(reasons)]
        menu = "\n".join(f"  [{k}] {r}" for k, r in zip(labels, reasons))
        self.clear()
        self.echo("\n".join(self.heading) + f"\nReason for excluding (Esc or q cancels):\n{menu}")
        while True:
            key = (self.getkey() or "").lower()
            if key in CANCEL:
                return None
            if key and key in labels:
                return reasons[labels.index(key)]
            self.echo(f"(choose one of {', '.join(labels)}, or Esc to cancel)")

    def render(self, record_id, position, result, page=0) -> str:
        """The screen for one record: progress line, bibliographic facts, highlighted abstract, key help.

        When the terminal is too short for the whole abstract, the abstract is shown a page at a time
        (space turns the page) so that the progress line and the title never scroll out of sight.
        """
        record = self.records[record_id]
        done = len(self.mine)
        rule = "─" * self.width
        progress = f"record {position + 1} of {self.total} · {self.total - done} left"
        if result.durations:
            mean = sum(result.durations) / len(result.durations)
            progress += f" · {mean:.0f} s/record · ~{_minutes(mean * (self.total - done))} to go"
        head = f"sysrev {self.mode} · {STAGE_LABEL[self.stage]} · {self.reviewer}"
        lines = [rule, f"{head}{progress.rjust(max(self.width - len(head), len(progress) + 2))}", rule]
        title = _text(record.get("title")) or "(no title)"  # a hand-edited "  " is no title either
        lines += [self.highlight(line, self._style, bold=True) for line in self._wrap(title)]
        authors = [name for name in record.get("authors") or [] if _text(name)]
        if authors:
            shown = "; ".join(authors[:_MAX_AUTHORS])
            if len(authors) > _MAX_AUTHORS:
                shown += f"; … ({len(authors)} authors)"
            lines += self._wrap(shown)
        source = " · ".join(str(x) for x in (_text(record.get("journal")), record.get("year")) if x)
        ids = " · ".join(x for x in (f"doi:{record['doi']}" if record.get("doi") else "",
                                     f"PMID {record['pmid']}" if record.get("pmid") else "", record_id) if x)
        lines += [source or "(no journal/year)", self._style(ids, dim=True), ""]
        self.heading = list(lines)
        abstract = self._wrap(_text(record.get("abstract")) or "(no abstract)")
        below = self._context(record_id) + self._paper_lines(record_id)
        if record_id in self.mine:
            below += ["", self._style(f"your decision so far: {self.mine[record_id]} (a new key logs a new row)",
                                      bold=True)]
        keys = "[i] include  [e] exclude  [m] maybe  [s] skip  [b] back  [q] quit"
        if self.stage == "full_text":
            keys += "  [o] open paper"
        room = len(abstract) if self.height is None else max(self.height - len(lines) - len(below) - 4, 3)
        self.pages = -(-len(abstract) // room)
        if self.pages > 1:
            first = page * room
            abstract = abstract[first:first + room] + [self._style(
                f"… abstract lines {first + 1}–{min(first + room, len(abstract))} of {len(abstract)}: "
                "[space] next page", dim=True)]
            keys += "  [space] more"
        lines += [self.highlight(line, self._style) for line in abstract]
        lines += below + [rule, keys]
        return "\n".join(lines)

    def _paper(self, record_id):
        """(where the paper is, whether it can be opened) at full text; (None, False) at title/abstract."""
        if self.stage != "full_text":
            return None, False
        entry, path = self._located(record_id)
        if path is not None:
            return str(path), True
        record = self.records[record_id]
        link = entry.doi_link if entry else (f"https://doi.org/{record['doi']}" if record.get("doi") else "")
        return link, bool(link)

    def _located(self, record_id):
        """The manifest entry and stored file of a record, looked up once per session (checksums are read)."""
        if record_id not in self._papers:
            self._papers[record_id] = paper_location(self.project, record_id)
        return self._papers[record_id]

    def _paper_lines(self, record_id) -> list:
        if self.stage != "full_text":
            return []
        where, _ = self._paper(record_id)
        entry, path = self._located(record_id)
        if path is not None:
            text = f"full text: {where} ({entry.source}; licence: {entry.licence or 'not stated'})"
        elif entry is not None and entry.status == "needs_library_access":
            text = f"full text: needs library access — {where or 'no DOI'}"
        else:
            text = f"full text: not fetched (sysrev fulltext fetch){' — ' + where if where else ''}"
        return ["", self._style(text, dim=True)]

    def _open_paper(self, record_id) -> str:
        where, can_open = self._paper(record_id)
        if not can_open:
            return "(no stored paper and no DOI link to open for this record)"
        self.opener(where)
        return f"(opened {where})"

    def summary(self, result) -> str:
        text = (f"{counted(result.logged, 'decision')} logged to {self.path}; {len(self.mine)} of {self.total} "
                f"{'records decided' if self.mode == 'screen' else 'conflicts settled'} at "
                f"{STAGE_LABEL[self.stage]}, {result.remaining} left")
        if result.skipped:
            text += f" ({result.skipped} skipped this time; they come back next time)"
        if result.durations:
            text += f"; {sum(result.durations) / len(result.durations):.0f} s per record on average"
        return "\n".join(textwrap.wrap(text + ".", self.width, break_on_hyphens=False, break_long_words=False))

    def _wrap(self, text):
        return textwrap.wrap(" ".join(str(text).split()), self.width) or [""]

    def _style(self, text, **style):
        return click.style(text, **style) if self.color else text


class ReconcileSession(ScreenSession):
    """Settle disagreements: each conflict with every reviewer's decision side by side; the decision goes to
    ``screening/<stage>/reconciliation/<reviewer>.csv``. Not blind, by design: this is reconciliation.
    Conflicts come in file order."""

    mode = "reconcile"

    def _order(self, order, rank, rng):
        return None  # conflicts in file order; reconciliation rows record no rank or model

    def _work(self, project):
        settled = {rid: d for rid, d in self.state.reconciled.items() if d.reviewer == self.reviewer}
        history = sorted(settled, key=lambda rid: settled[rid].line or 0)
        mine = {rid: d.decision for rid, d in settled.items()}
        return (reconciliation_path(project.screening_dir, self.stage, self.reviewer), mine, history,
                self.state.conflicts())

    def _context(self, record_id) -> list:
        votes = self.state.votes(record_id)
        width = max(len(name) for name in votes)
        lines = ["", self._style("Reviewers' decisions:", bold=True)]
        for name, d in votes.items():
            lines.append(f"  {name.ljust(width)}  {d.decision}{' — ' + d.reason if d.reason else ''}"
                         f"{'  (' + d.note + ')' if d.note else ''}")
        return lines + self._same_trial(record_id)


def default_order(stage) -> str:
    """Relevance at title/abstract (it behaves as file order until the reviewer has made at least one
    include and one exclude, since there is nothing to learn from before); file order at full text."""
    return "relevance" if stage == "title_abstract" else "file"


def _highlighter(terms):
    """A function ``highlight(line, style, **base)`` that styles every word containing one of ``terms``
    (case-insensitive) bold yellow, and the rest of the line with ``base`` (e.g. ``bold=True`` for a title)."""
    pattern = (re.compile(r"\w*(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                          + r")\w*", re.IGNORECASE) if terms else None)

    def highlight(line, style, **base):
        pieces, start = [], 0
        for match in pattern.finditer(line) if pattern else ():
            pieces += [(line[start:match.start()], base), (match.group(0), {**base, "fg": "yellow", "bold": True})]
            start = match.end()
        pieces.append((line[start:], base))
        return "".join(style(text, **how) if how else text for text, how in pieces if text)

    return highlight


def _text(value) -> str:
    """A record's text field as shown: stripped, so that a field of white space alone counts as missing."""
    return value.strip() if isinstance(value, str) else ""


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"
