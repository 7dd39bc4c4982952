"""Prioritised screening as a review reports it: each reviewer's stopping status, the team's stopping
decisions, and the methods-section sentence.

A reviewer's *screening sequence* is their log read in file order: each record counted once, where its
first decision stands, labelled relevant when its latest decision is include or maybe. The stopping test
(:mod:`sysrev.screening.stopping`) runs on that sequence against every record the stage screens.

Stopping decisions go to ``screening/<stage>/stopping.jsonl`` (one JSON object a line, append-only): who
decided, when, and the test's figures at that moment. Nothing is excluded by it; the records not screened
stay unscreened, and the PRISMA counts say so.
"""

import functools
import json
from datetime import UTC, datetime

from sysrev.dedup import merged_ids
from sysrev.errors import SysrevError
from sysrev.fileio import atomic_write_text
from sysrev.locking import lock_for_path
from sysrev.screening.log import log_path, now_timestamp, parse_timestamp, read_log
from sysrev.screening.merged import fold_merged
from sysrev.screening.ranking import DEFAULT_SETTINGS, EARLIER_MODELS, KEYWORD_REVISIONS, MODEL_NAME, RELEVANT
from sysrev.screening.stopping import REFERENCE, percent, stopping_status
from sysrev.search.snapshot import TIMESTAMP_FORMAT
from sysrev.wording import counted, verb

STOPPING_FILE = "stopping.jsonl"


def screening_sequence(project, screening, reviewer, stage):
    """``(labels, rows)``: 1/0 per record in the order ``reviewer`` first decided it at ``stage`` (eligible
    records only), and the first row of each of those records (its rank and model say how it was shown)."""
    state = screening.stages[stage]
    path = log_path(project.screening_dir, stage, reviewer)
    if not path.exists():
        return [], []
    rows, _problems = read_log(path, stage=stage, config=screening.config, owner=reviewer)
    rows, _unsettled = fold_merged(path, rows, merged_ids(screening.records), stage)
    eligible = set(state.eligible)
    latest = state.latest.get(reviewer, {})
    first = {}
    for row in rows:
        if row.record_id in eligible and row.record_id in latest and row.record_id not in first:
            first[row.record_id] = row
    labels = [int(latest[rid].decision in RELEVANT) for rid in first]
    return labels, list(first.values())


def reviewer_stopping(project, screening, reviewer, stage="title_abstract", *, recall_target=0.95,
                      confidence=0.95):
    """The :class:`~sysrev.screening.stopping.StoppingStatus` of one reviewer at ``stage``."""
    labels, rows = screening_sequence(project, screening, reviewer, stage)
    random_tail = 0
    for row in reversed(rows):
        if row.model != "random":
            break
        random_tail += 1
    draws, since = _draws_from_the_records_left(screening, stage, rows)
    return stopping_status(labels, len(screening.stages[stage].eligible), random_draws=random_tail,
                           recall_target=recall_target, confidence=confidence, draws=draws, draws_since=since)


def _draws_from_the_records_left(screening, stage, rows) -> tuple[int | None, str]:
    """How many of the reviewer's last decisions (``rows``, in the order made) were draws from an urn holding
    every record unscreened now, and since when; ``(None, "")`` when all were.

    The test treats the last decisions as a sample of the records unscreened before them. Records added later
    (a living review's refresh: new search results; at full text, records sent on by later title/abstract
    decisions) were not among them, so a sample taken before they came says nothing about them: only the
    decisions since the last records came count as draws. The timeline is that of the reviewer's screen: a
    log whose rows carry no model (imported from another tool, whose times say when the decisions were made
    there) gives no cut until its first row screened in sysrev."""
    screened = [parse_timestamp(row.timestamp) for row in rows if row.model]
    if not screened:
        return None, ""
    entered = _entry_times(screening, stage)
    added = [when for when in entered.values() if when > min(screened)]
    if not added:
        return None, ""
    last = max(added)
    draws = 0
    for row in reversed(rows):
        if parse_timestamp(row.timestamp) < last:
            break
        draws += 1
    return draws, last.strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_times(screening, stage) -> dict:
    """When each record of ``stage`` came to be screened there: at title/abstract the first search run that
    found it (its snapshot folder's time), at full text the title/abstract decision that sent it on."""
    eligible = screening.stages[stage].eligible
    if stage != "title_abstract":
        sent = screening.stages["title_abstract"]
        return {rid: max(parse_timestamp(d.timestamp) for d in ([sent.reconciled[rid]] if rid in sent.reconciled
                                                                  else sent.votes(rid).values()))
                for rid in eligible if sent.final(rid)}
    by_id = screening.records_by_id
    out = {}
    for rid in eligible:
        times = [when for source in by_id[rid].get("sources") or [] if (when := _run_time(source.get("run")))]
        if times:
            out[rid] = min(times)
    return out


@functools.lru_cache(maxsize=4096)
def _run_time(run) -> datetime | None:
    """The time a search-run snapshot folder's name starts with (``20261205T161949Z-pubmed``), None without
    one. Cached: a project has a few runs and many records naming them."""
    try:
        return datetime.strptime(str(run).split("-", 1)[0], TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def stopping_path(project, stage):
    return project.screening_dir / stage / STOPPING_FILE


def read_stops(project, stage) -> list:
    """The team's recorded stopping decisions at ``stage`` (oldest first)."""
    path = stopping_path(project, stage)
    if not path.exists():
        return []
    stops = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            stops.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SysrevError(f"{path}, line {number}: not a JSON object ({exc.msg})") from None
    return stops


def record_stop(project, screening, reviewer, stage, *, recall_target=0.95, confidence=0.95, note="",
                force=False) -> dict:
    """Record the team's decision that ``reviewer`` stops screening ``stage``, with the test's figures.

    Refuses (unless ``force``) while the criterion is not met; never excludes a record.
    """
    status = reviewer_stopping(project, screening, reviewer, stage, recall_target=recall_target,
                               confidence=confidence)
    if not status.can_stop and not force:
        raise SysrevError(f"{reviewer}: {status.sentence()}; nothing recorded (to stop anyway, as the team's "
                          "decision, repeat with --force)")
    entry = {"timestamp": now_timestamp(), "stage": stage, "reviewer": reviewer, "criterion": REFERENCE,
             "criterion_met": status.can_stop, "statement": status.sentence(), **status.to_dict()}
    if note:
        entry["note"] = note
    path = stopping_path(project, stage)
    with lock_for_path(path):  # read-modify-write of a project file (sysrev.locking)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        atomic_write_text(path, old + json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def methods_sentences(project, screening, stage="title_abstract") -> list:
    """Sentences for a methods section on how ``stage`` was ordered and stopped (none on the order when no
    decision row records one: logs from before prioritisation, or imports)."""
    rows = []
    for reviewer in screening.config.reviewers:
        rows += screening_sequence(project, screening, reviewer, stage)[1]
    models = (MODEL_NAME, *EARLIER_MODELS)
    by_model = sum(1 for r in rows if r.model.startswith(models))
    by_random = sum(1 for r in rows if r.model == "random")
    by_file = sum(1 for r in rows if r.model == "file")
    label = "title/abstract" if stage == "title_abstract" else "full text"
    revisions = sorted({r.model.split("/")[0] for r in rows if r.model.startswith(models)})
    sentences = [] if not by_model + by_random + by_file else [
        f"At {label}, records were ordered for each reviewer by relevance learnt from that reviewer's own "
        f"decisions only (active learning, so dual screening stayed independent): after every decision, "
        f"{DEFAULT_SETTINGS.describe()} was retrained on the reviewer's decisions so far (include and maybe "
        "as relevant), and the unscreened record with the highest predicted relevance was shown next "
        f"(sysrev model {', '.join(revisions) or MODEL_NAME}{_keywords_note(revisions)}).",
        f"Of {counted(len(rows), 'first decision')}, {by_model} {verb(by_model, 'was', 'were')} made on records "
        f"ordered by the model, {by_random} on "
        f"records drawn at random and {by_file} in file order (before the reviewer's first include and "
        f"exclude gave the model something to learn from){_unrecorded(rows, by_model + by_random + by_file)}.",
    ]
    for stop in read_stops(project, stage):
        when = datetime.fromisoformat(stop["timestamp"]).astimezone(UTC)  # Python 3.11 reads the "Z"
        sentences.append(
            f"On {when:%d %B %Y}, the team decided that {stop['reviewer']} would stop screening after "
            f"{stop['screened']} of {stop['n_total']} records ({stop['relevant_found']} relevant, "
            f"{stop['random_draws']} of them drawn at random at the end); by the stopping criterion of "
            f"Callaghan and Müller-Hansen (2020), a hypergeometric test of the null hypothesis that recall was "
            f"below {percent(stop['recall_target'])} %, p = {stop['p_value']:.3g}, so "
            + ("recall of at least " if stop["criterion_met"] else "the criterion was not met; recall of ")
            + f"{percent(stop['recall_target'])} % "
            + (f"could be claimed with {percent(stop['confidence'])} % confidence."
               if stop["criterion_met"] else "could not be claimed at that point."))
    return sentences


def _keywords_note(revisions) -> str:
    """What the revisions named in the methods sentence read besides title and abstract."""
    with_keywords = [r for r in revisions if r in KEYWORD_REVISIONS]
    return (f"; {' and '.join(with_keywords)} also read the records' keywords" if with_keywords else "")


def _unrecorded(rows, recorded) -> str:
    missing = len(rows) - recorded
    return f"; {missing} imported or earlier decisions record no order" if missing else ""

