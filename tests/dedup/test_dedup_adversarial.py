"""Property tests (Hypothesis, fixed seed): a copy differing only in one veto field never merges; a copy with
realistic corruption always merges. benchmarks/dedup_adversarial.py runs the same properties with many more
examples."""

import pytest
from adversarial import SERIAL_VETO_FIELDS, VETO_FIELDS, merged, near_duplicates, near_non_duplicates
from hypothesis import HealthCheck, given, settings

# Examples per property in the test suite (derandomized: the same examples on every run).
EXAMPLES = 100
FIXED = settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("field", VETO_FIELDS)
def test_two_records_differing_only_in_a_veto_field_never_merge(field):
    @FIXED
    @given(near_non_duplicates(field))
    def check(pair):
        a, b = pair
        assert not merged(a, b), (field, a, b)

    check()


@pytest.mark.parametrize("field", SERIAL_VETO_FIELDS)
def test_two_instalments_of_a_recurring_title_never_merge(field):
    @FIXED
    @given(near_non_duplicates(field, serial=True))
    def check(pair):
        a, b = pair
        assert not merged(a, b), (field, a, b)

    check()


@FIXED
@given(near_duplicates())
def test_two_copies_of_one_record_with_realistic_corruption_always_merge(case):
    a, b, changes = case
    assert merged(a, b), (changes, a, b)
