"""A Record's dict (what records.jsonl and every snapshot line hold) has every field, equals what
``dataclasses.asdict`` gives, and shares no list or dict with the record: dedup changes the dicts it writes, and
the record must stay as it was. (``to_dict`` copies JSON values itself: ``asdict`` cost dedup seconds.)"""

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from sysrev.records import Record

_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                                 max_size=3), max_leaves=8)
_RECORDS = st.builds(Record, source_id=st.text(min_size=1, max_size=5), title=st.text(max_size=8),
                     year=st.none() | st.integers(1900, 2030), authors=st.lists(st.text(max_size=6), max_size=3),
                     keywords=st.lists(st.text(max_size=4), max_size=2),
                     extra=st.dictionaries(st.text(max_size=4), _JSON, max_size=3))


@given(_RECORDS)
def test_the_dict_is_asdict_and_changing_it_leaves_the_record_alone(record):
    before = dataclasses.asdict(record)
    data = record.to_dict()
    assert data == before and list(data) == [f.name for f in dataclasses.fields(Record)]
    data["authors"].append("Changed, C")
    data["keywords"].clear()
    for value in data["extra"].values():
        if isinstance(value, (list, dict)):
            value.clear()
    data["extra"]["added"] = 1
    assert dataclasses.asdict(record) == before


def test_a_tuple_stays_a_tuple_and_its_lists_are_copied():
    record = Record(source_id="1", extra={"pair": ("a", ["b"])})
    data = record.to_dict()
    assert data["extra"]["pair"] == ("a", ["b"]) and isinstance(data["extra"]["pair"], tuple)
    data["extra"]["pair"][1].append("c")
    assert record.extra["pair"] == ("a", ["b"])


def test_from_dict_puts_unknown_keys_in_extra():
    record = Record.from_dict({"source_id": "1", "title": "T", "record_id": "R000001", "extra": {"x": 1}})
    assert (record.title, record.extra) == ("T", {"x": 1, "record_id": "R000001"})


def test_a_value_json_does_not_hold_is_deep_copied_too():
    """A record built in code may hold other values in ``extra`` (a deque, a datetime): copied in depth, as
    ``asdict`` copies them, never dropped or shared."""
    import collections
    import datetime

    when = datetime.datetime(2026, 12, 5, 10, 0)
    record = Record(source_id="1", extra={"queue": collections.deque([["a"]]), "when": when})
    data = record.to_dict()
    assert data["extra"] == {"queue": collections.deque([["a"]]), "when": when}
    data["extra"]["queue"][0].append("b")
    assert record.extra["queue"] == collections.deque([["a"]])
