"""The warnings every import ends with (repeated identifiers, implausible years, missing titles), word for word."""

from sysrev.formats import load_references


def _csv(rows):
    return "ID,Title,Year\n" + "".join(f"{i},{t},{y}\n" for i, t, y in rows)


def test_one_of_each(write_file):
    path = write_file("refs.csv", _csv([("A", "First", "2019"), ("A", "Second", "2020"), ("B", "", "12019")]))
    parsed = load_references(path)
    assert [r.source_id for r in parsed.records] == ["A", "A#2", "B"]
    assert parsed.warnings == [
        f"{path}: 1 record reuses an identifier already used in the file (A); kept as '<id>#2' …",
        f"{path}: 1 record has a year that is not a plausible year (1500–2100), left empty and kept as "
        "'unreadable_year' (B: '12019')",
        f"{path}: 1 record has no title"]


def test_many_of_each_show_five_and_say_there_are_more(write_file):
    rows = [(name, "", "3000") for name in "ABCDEF"] + [(name, "", "3000") for name in "ABCDEF"]
    path = write_file("refs.csv", _csv(rows))
    parsed = load_references(path)
    assert [r.source_id for r in parsed.records][6:] == ["A#2", "B#2", "C#2", "D#2", "E#2", "F#2"]
    assert parsed.warnings == [
        f"{path}: 6 records reuse an identifier already used in the file (A, B, C, D, E, …); kept as '<id>#2' …",
        f"{path}: 12 records have a year that is not a plausible year (1500–2100), left empty and kept as "
        "'unreadable_year' (A: '3000'; B: '3000'; C: '3000'; D: '3000'; E: '3000'; …)",
        f"{path}: 12 records have no title"]


def test_exactly_five_show_all_five_without_a_continuation(write_file):
    rows = [(name, "T", "2001") for name in "ABCDE"] * 2
    path = write_file("refs.csv", _csv(rows))
    assert load_references(path).warnings == [
        f"{path}: 5 records reuse an identifier already used in the file (A, B, C, D, E); kept as '<id>#2' …"]


def test_a_third_use_takes_the_next_free_suffix(write_file):
    rows = [("A", "x", "2001"), ("A#2", "y", "2001"), ("A", "z", "2001"), ("A", "w", "2001")]
    parsed = load_references(write_file("refs.csv", _csv(rows)))
    assert [r.source_id for r in parsed.records] == ["A", "A#2", "A#3", "A#4"]
