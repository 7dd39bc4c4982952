"""The veto table of docs/dedup.md ("Vetoes: what keeps two records apart"), row by row, on hand-built record
pairs: what is a difference, what is not, and the reason a reviewer reads in the queue."""

from dataclasses import replace

import pytest

from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import DUPLICATE, UNCERTAIN, compare
from sysrev.dedup.vetoes import issue_veto, located_together, page_veto, serial_year_veto
from sysrev.records import Record

ARTICLE = dict(title="Platform work and the erosion of occupational identity among software developers",
               authors=["Müller, Anna", "Okafor, Chidi"], year=2019, journal="Information Systems Journal",
               volume="29", issue="4", pages="812-839")
COLUMN = dict(title="Editor's Comments", authors=["Rai, Arun"], year=2017, journal="MIS Quarterly", volume="41",
              issue="", pages="")


def keys(**fields):
    return record_keys(Record(source_id="x", **fields))


def test_the_issue_veto_names_both_issues_in_numeric_order():
    # a double issue 9-10 against issue 11: no number in common
    assert issue_veto(keys(**dict(ARTICLE, issue="9-10")), keys(**dict(ARTICLE, issue="11"))) == (
        "issue differs (9/10 vs 11)")
    assert issue_veto(keys(**dict(ARTICLE, issue="10-11")), keys(**dict(ARTICLE, issue="11"))) == ""


def test_ranges_overlapping_by_two_pages_are_a_typo_not_two_items():
    # docs: "ranges overlapping by two pages or more … (a typo in the first page: two items share at most a
    # boundary page)"; 812-839 and 838-850 share pages 838 and 839
    a, b = keys(**ARTICLE), keys(**dict(ARTICLE, pages="838-850"))
    assert page_veto(a, b) == "" and page_veto(b, a) == ""
    # sharing only the boundary page 839 is two items, in either order
    c = keys(**dict(ARTICLE, pages="839-850"))
    assert page_veto(a, c) == "first page differs (812 vs 839)"
    assert page_veto(c, a) == "first page differs (839 vs 812)"


def test_a_recurring_title_merges_only_when_a_stated_locator_agrees():
    same_number = dict(COLUMN, extra={"article_number": "103245"})
    assert located_together(keys(**same_number), keys(**same_number))
    assert not located_together(keys(**same_number), keys(**dict(COLUMN, extra={"article_number": "103246"})))
    assert not located_together(keys(**COLUMN), keys(**COLUMN))  # nothing stated by both
    one, other = Record(source_id="a", **same_number), Record(source_id="b", **same_number)
    assert compare(record_keys(one), record_keys(other)).kind == DUPLICATE
    # the same column without any issue, page or article number: queued, never merged
    bare = compare(record_keys(Record(source_id="a", **COLUMN)), record_keys(Record(source_id="b", **COLUMN)))
    assert bare.kind == UNCERTAIN


def test_pages_of_a_record_without_volume_are_a_position_unless_they_start_at_1():
    # docs: "pages starting at 1 on a record without a volume (online-first pagination)" are no difference;
    # any other pages of such a record still are
    no_volume = dict(ARTICLE, volume="", issue="")
    print_version = keys(**dict(ARTICLE, pages="840-861"))
    assert page_veto(keys(**no_volume), print_version) == "first page differs (812 vs 840)"
    assert page_veto(keys(**dict(no_volume, pages="1-22")), print_version) == ""
    assert page_veto(print_version, keys(**dict(no_volume, pages="1-22"))) == ""


@pytest.mark.parametrize("flagged", ["a.serial", "b.serial", "a.recurring", "b.recurring"])
def test_a_differing_year_vetoes_when_either_record_is_a_recurring_title(flagged):
    # docs: "recurring title … any of the above, and any difference in year" — one record known as recurring
    # (a heading, or a title its venue printed twice) is enough
    base = keys(**dict(ARTICLE, year=2019))
    side, flag = flagged.split(".")
    a = replace(base, **({flag: True} if side == "a" else {}))
    b = replace(keys(**dict(ARTICLE, year=2020)), **({flag: True} if side == "b" else {}))
    assert serial_year_veto(a, b).endswith("of different years (2019 vs 2020)")
    assert serial_year_veto(base, keys(**dict(ARTICLE, year=2020))) == ""  # an ordinary article: no veto


def test_online_pages_are_positions_after_their_printed_page():
    # two items on the online pages after page 379 that do not overlap are two items
    first, second = keys(**dict(ARTICLE, pages="379.e1-379.e7")), keys(**dict(ARTICLE, pages="379.e9-379.e13"))
    assert page_veto(first, second) == "first page differs (379e1 vs 379e9)"
    assert compare(first, second).kind != DUPLICATE
    # the same range written in full and short is one item
    short = keys(**dict(ARTICLE, pages="379.e9-e13"))
    assert page_veto(second, short) == "" and compare(second, short).kind == DUPLICATE
    # online pages against printed pages or bare e-pages are two numbering systems: no evidence either way
    for other in ("379-383", "e9-e13"):
        assert page_veto(second, keys(**dict(ARTICLE, pages=other))) == "", other
    # printed pages followed by online pages keep their printed range
    assert compare(keys(**dict(ARTICLE, pages="1759-1764.e6")), keys(**dict(ARTICLE, pages="1759-64"))).kind == (
        DUPLICATE)
