"""Titles of a numbered series (docs/dedup.md, step 1 and the *title cut after its first clause* rule): older
journals number the instalments of a series with a Roman numeral after a colon — "Studies on the metabolism
of bile acids: XX." The first clause of such a title is what a database that cuts titles at the subtitle keeps,
so it must be read as the first clause whatever the numeral, "X" and "XX" included.
"""

import pytest

from sysrev.dedup.keys import first_clause

SERIES = "Studies on the metabolism of bile acids"


@pytest.mark.parametrize("numeral", ["IX", "X", "XX", "XXX", "XIV"])
def test_the_first_clause_of_a_series_title_numbered_with_a_roman_numeral(numeral):
    # "one title equals the other's first clause (three words or more; the clause ends at ':' …)": the clause
    # in its comparison form (lower case, words separated by spaces)
    assert first_clause(f"{SERIES}: {numeral}.") == "studies on the metabolism of bile acids"
    assert first_clause(f"{SERIES}: {numeral}") == "studies on the metabolism of bile acids"


def test_a_title_of_one_clause_has_no_first_clause():
    # nothing after the colon: the title is not cut, so there is no shorter form to match
    assert first_clause(f"{SERIES}:") == ""
    assert first_clause(SERIES) == ""
