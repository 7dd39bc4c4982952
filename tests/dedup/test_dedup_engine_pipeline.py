"""The library entry point (sysrev.dedup.engine.deduplicate, docs/dedup.md "How decisions are made"): progress
shown per stage on a terminal, reviewer decisions named by position when no labels are given, the agreement
check comparing pairs blocking never paired, problems listed per record, and the recurring-title pass
("any title the input itself shows one venue printing twice … is treated as recurring for every record of it
in that venue").
"""

import io
import sys

import pytest

from sysrev.dedup import engine
from sysrev.dedup.engine import deduplicate, mark_recurring_titles
from sysrev.dedup.keys import record_keys
from sysrev.records import Record

TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
OTHER = dict(title="Radiofrequency denervation of the sacroiliac joint: a cohort study", authors=["Lee, Kim"],
             year=2018, journal="Spine", volume="43", issue="1", pages="10-19")
NO_TITLE_MESSAGE = "no title: merged only by a reviewer's decision or an identifier"


def three_records():
    """A trial from two databases and another study that shares no key with it: one candidate pair."""
    return [Record(source_id="111", pmid="111", **TRIAL),
            Record(source_id="2-s2.0-1", **dict(TRIAL, title=TRIAL["title"].upper(), pages="575-586")),
            Record(source_id="222", pmid="222", **OTHER)]


class Bars:
    """Stands in for tqdm: records each bar's settings and how far it was moved."""

    def __init__(self):
        self.made = []

    def __call__(self, **settings):
        bar = _Bar(settings)
        self.made.append(bar)
        return bar


class _Bar:
    def __init__(self, settings):
        self.settings, self.count = settings, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        self.count += n


@pytest.fixture()
def bars(monkeypatch):
    made = Bars()
    monkeypatch.setattr(engine, "tqdm", made)
    return made


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_each_stage_counting_to_its_total_and_leaves_no_bar_behind(bars):
    result = deduplicate(three_records(), progress=True)
    assert result.compared_pairs == 1
    assert [(b.settings["desc"], b.settings["unit"], b.settings["total"], b.count) for b in bars.made] == [
        ("dedup: keys", "rec", 3, 3), ("dedup: blocking", "rec", 3, 3), ("dedup: comparing", "pair", 1, 1)]
    assert all(b.settings["disable"] is False and b.settings["leave"] is False for b in bars.made)


def test_progress_is_shown_by_default_only_when_stderr_is_a_terminal(bars, monkeypatch):
    deduplicate(three_records())  # pytest's captured stderr is no terminal
    assert [b.settings["disable"] for b in bars.made] == [True, True, True]
    monkeypatch.setattr(sys, "stderr", Terminal())
    deduplicate(three_records())
    assert [b.settings["disable"] for b in bars.made[3:]] == [False, False, False]
    deduplicate(three_records(), progress=False)
    assert [b.settings["disable"] for b in bars.made[6:]] == [True, True, True]


def test_without_labels_decisions_name_records_by_position():
    records = three_records()
    result = deduplicate([records[0], records[2]], decisions={frozenset({"0", "1"}): "same"}, progress=False)
    assert result.clusters == [[0, 1]]


def test_a_cluster_joined_by_a_reviewer_is_checked_against_a_record_blocking_never_paired_with_it():
    # the reviewer declared the trial (0) and the cohort study (2) the same; the trial's Scopus copy (1)
    # duplicates the trial, but joining it would put it with the cohort study, which it contradicts
    # (different title, authors, year, volume, pages): that pair was never a candidate, so the agreement
    # check compares it then, refuses the join and queues the pair
    records = three_records()
    labels = ["pubmed:111", "scopus:2-s2.0-1", "pubmed:222"]
    result = deduplicate(records, labels=labels, decisions={frozenset({"pubmed:111", "pubmed:222"}): "same"},
                         progress=False)
    assert result.compared_pairs == 2  # the candidate pair and the decided pair; 1–2 only in the check
    assert result.clusters == [[0, 2], [1]]
    (note,) = result.uncertain
    # the conflicting records are named as the reviewer knows them (their labels), not by position
    assert (note.a, note.b) == (0, 1)
    assert "records scopus:2-s2.0-1 and pubmed:222 in the joined cluster conflict" in note.reason


def test_without_labels_a_refused_join_names_the_conflicting_records_by_source_and_source_id():
    # the same situation as above through the library call without labels: the decision names records by
    # position ("0", "2"), but the note a reviewer reads names them by database and source ID
    records = three_records()
    for record, database in zip(records, ["pubmed", "scopus", "pubmed"]):
        record.source = database
    result = deduplicate(records, decisions={frozenset({"0", "2"}): "same"}, progress=False)
    assert result.clusters == [[0, 2], [1]]
    (note,) = result.uncertain
    assert "records scopus:2-s2.0-1 and pubmed:222 in the joined cluster conflict" in note.reason
    # a record with neither source ID nor title is named by its place in the input, counted from 1
    records[2] = Record(source_id="", **dict(OTHER, title=""))
    result = deduplicate(records, decisions={frozenset({"0", "2"}): "same"}, progress=False)
    (note,) = result.uncertain
    assert "records scopus:2-s2.0-1 and input record 3 in the joined cluster conflict" in note.reason


def test_a_record_without_labels_is_named_by_what_a_reviewer_can_find():
    assert engine.record_name(Record(source_id="111", source="pubmed"), 0) == "pubmed:111"
    assert engine.record_name(Record(source_id="trial-7"), 0) == "trial-7"
    long_title = "Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial"
    assert engine.record_name(Record(source_id="", title=long_title), 0) == \
        "'Ultrasound-guided versus fluoroscopy-guided facet…'"  # the first 50 characters
    assert engine.record_name(Record(source_id="", title="Short title"), 0) == "'Short title'"
    # 50 characters are shown whole, a 51st is cut with an ellipsis
    assert engine.record_name(Record(source_id="", title="t" * 50), 0) == "'" + "t" * 50 + "'"
    assert engine.record_name(Record(source_id="", title="t" * 51), 0) == "'" + "t" * 50 + "…'"
    assert engine.record_name(Record(source_id=""), 4) == "input record 5"  # 1-based, as a reviewer counts


def test_each_record_gets_its_keys_and_a_record_without_title_is_listed_as_a_problem():
    records = three_records() + [Record(source_id="333", authors=["Lee, Kim"], year=2018, pmid="333")]
    result = deduplicate(records, progress=False)
    assert [k.pmid for k in result.keys] == ["111", "", "222", "333"]
    assert (3, NO_TITLE_MESSAGE) in result.problems
    assert [i for i, message in result.problems if message == NO_TITLE_MESSAGE] == [3]
    # a title, but one too short or generic to compare, is named as such, not called missing
    short = deduplicate(three_records() + [Record(source_id="444", title="Paper title.", year=2018)], progress=False)
    assert (3, "the title 'Paper title.' is too short or generic to tell works apart: merged only by a reviewer's "
               "decision or an identifier") in short.problems


COLUMN = dict(title="Research commentary on platform ecosystems", authors=["Rai, Arun"], year=2017,
              journal="MIS Quarterly")


def recurring(*rows):
    keys = [record_keys(Record(source_id=str(n), **dict(COLUMN, **row))) for n, row in enumerate(rows)]
    mark_recurring_titles(keys)
    return [k.recurring for k in keys]


def test_two_records_of_a_title_in_two_volumes_of_one_venue_mark_it_recurring():
    assert recurring(dict(volume="41"), dict(volume="42")) == [True, True]
    assert recurring(dict(volume="41", issue="1"), dict(volume="41", issue="2")) == [True, True]
    # the same volume and issue, or a volume on one side only, shows nothing printed twice
    assert recurring(dict(volume="41", issue="1"), dict(volume="41", issue="1")) == [False, False]
    assert recurring(dict(volume="41"), dict()) == [False, False]


def test_every_record_of_the_title_in_that_venue_is_marked_also_without_volume_or_issue():
    # two records stating no volume or issue cannot tell which instalment they are: they are not merged
    rows = [dict(volume="41", issue="1"), dict(volume="41", issue="2"), dict(), dict(), dict(journal="ISR")]
    assert recurring(*rows) == [True, True, True, True, False]
    result = deduplicate([Record(source_id=str(n), **dict(COLUMN, **row)) for n, row in enumerate(rows[:4])],
                         progress=False)
    assert result.clusters == [[0], [1], [2], [3]]


def test_a_shared_identifier_shows_one_work_not_a_title_printed_twice():
    assert recurring(dict(volume="41", doi="10.25300/MISQ/2017/41.1.01"),
                     dict(volume="42", doi="10.25300/MISQ/2017/41.1.01")) == [False, False]
    assert recurring(dict(volume="41", pmid="28000001"), dict(volume="42", pmid="28000001")) == [False, False]
    # different identifiers are no reason to doubt it
    assert recurring(dict(volume="41", doi="10.25300/MISQ/2017/41.1.01"),
                     dict(volume="42", doi="10.25300/MISQ/2018/42.1.01")) == [True, True]
    assert recurring(dict(volume="41", pmid="28000001"), dict(volume="42", pmid="29000001")) == [True, True]


def test_any_two_of_the_titles_records_can_show_it_printed_twice():
    # only the first and third records state different issues; the others state none
    assert recurring(dict(volume="41", issue="1"), dict(volume="41"), dict(volume="41", issue="2"),
                     dict(volume="41")) == [True] * 4
    # a record in another venue between them is skipped, not the end of the search
    assert recurring(dict(volume="41", issue="1"), dict(volume="12", journal="Information Systems Research"),
                     dict(volume="41", issue="2")) == [True, False, True]


def test_a_title_printed_twice_in_two_venues_is_recurring_in_both():
    assert recurring(dict(volume="41"), dict(volume="42"), dict(volume="28", journal="Information Systems Research"),
                     dict(volume="29", journal="Information Systems Research")) == [True] * 4


def test_a_single_record_of_another_title_does_not_stop_the_pass():
    keys = [record_keys(Record(source_id="0", **OTHER))]
    keys += [record_keys(Record(source_id=str(n), **dict(COLUMN, volume=v))) for n, v in ((1, "41"), (2, "42"))]
    mark_recurring_titles(keys)
    assert [k.recurring for k in keys] == [False, True, True]


def test_records_without_a_title_are_never_marked():
    keys = [record_keys(Record(source_id=str(n), authors=["Rai, Arun"], journal="MIS Quarterly", volume=v))
            for n, v in ((0, "41"), (1, "42"))]
    mark_recurring_titles(keys)
    assert [k.recurring for k in keys] == [False, False]


def test_decisions_about_records_not_in_the_input_are_ignored_and_the_others_applied():
    labels = ["pubmed:111", "scopus:2-s2.0-1", "pubmed:222"]
    decisions = {frozenset({"aaa:0", "pubmed:111"}): "same",           # an absent record sorting first
                 frozenset({"pubmed:111", "zzz:9"}): "same",           # an absent record sorting last
                 frozenset({"pubmed:111"}): "same",                    # one record with itself
                 frozenset({"pubmed:111", "scopus:2-s2.0-1"}): "different"}
    result = deduplicate(three_records(), labels=labels, decisions=decisions, progress=False)
    assert result.clusters == [[0], [1], [2]]
