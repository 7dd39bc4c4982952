"""Counts read as English: one record, two records, no "1 records" in what sysrev prints."""

from sysrev.wording import counted


def test_one_takes_the_singular_and_every_other_count_the_plural():
    assert counted(1, "record") == "1 record"
    assert [counted(n, "record") for n in (0, 2, 11)] == ["0 records", "2 records", "11 records"]


def test_an_irregular_plural_is_given():
    assert counted(1, "study", "studies") == "1 study"
    assert counted(4, "study", "studies") == "4 studies"


def test_the_verb_agrees_with_the_count():
    from sysrev.wording import clause, verb

    assert [verb(n, "has", "have") for n in (0, 1, 2)] == ["have", "has", "have"]
    assert clause(1, "record", "has", "have") == "1 record has"
    assert clause(3, "incomplete record", "was", "were") == "3 incomplete records were"
    assert clause(0, "line", "is", "are") == "0 lines are"


def test_a_list_of_names_takes_the_noun_in_its_number():
    from sysrev.wording import named

    assert named("column", ["sd"]) == "column sd"
    assert named("column", ["sd", "raw"]) == "columns sd, raw"
    assert named("reason", (r for r in ["'a'", "'b'"])) == "reasons 'a', 'b'"  # any iterable, read once
    assert named("analysis", ["x", "y"], "analyses") == "analyses x, y"
