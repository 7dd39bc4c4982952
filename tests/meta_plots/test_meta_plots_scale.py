"""The forest plot's axis (sysrev.meta.plots.scale): symmetric, covers what matters, outliers get arrows."""

import math

from hypothesis import given
from hypothesis import strategies as st

from sysrev.meta.plots.scale import linear_scale, ratio_scale, tick_label

finite = st.floats(min_value=-50, max_value=50, allow_nan=False)


def test_linear_scale_for_typical_smds_is_minus_one_to_one():
    scale = linear_scale([-0.15, 0.06, -0.01], [-0.14, 0.11], [-0.71, 0.40, -0.37, 0.50])
    assert (scale.low, scale.high, scale.null, scale.log) == (-1.0, 1.0, 0.0, False)
    assert scale.ticks == (-1.0, -0.5, 0.0, 0.5, 1.0)


def test_one_very_wide_interval_does_not_stretch_the_axis():
    intervals = [-0.5, 0.4, -0.6, 0.3, -0.4, 0.5, -9.0, 8.0]
    scale = linear_scale([0.0, -0.1, 0.05, -0.5], [-0.2, 0.15], intervals)
    assert scale.high < 8.0  # the outlier runs off the axis (drawn with arrows)
    assert scale.high >= 0.5


@given(st.lists(finite, min_size=1, max_size=15), st.lists(finite, min_size=2, max_size=4),
       st.lists(finite, max_size=30))
def test_linear_scale_always_covers_estimates_and_pooled_intervals(points, pooled, intervals):
    scale = linear_scale(points, pooled, intervals)
    assert scale.low == -scale.high
    assert all(scale.low <= v <= scale.high for v in points + pooled)
    assert 0.0 in scale.ticks and scale.high in scale.ticks


@given(st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=1, max_size=10),
       st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=2, max_size=4))
def test_ratio_scale_is_symmetric_on_the_log_axis_and_covers_estimates(points, pooled):
    scale = ratio_scale(points, pooled, [])
    assert scale.log and scale.null == 1.0
    assert math.isclose(scale.low * scale.high, 1.0)
    assert all(scale.low * (1 - 1e-9) <= v <= scale.high * (1 + 1e-9) for v in points + pooled)
    assert 1.0 in scale.ticks


def test_ratio_scale_for_wide_intervals_uses_revman_decades():
    scale = ratio_scale([0.5, 0.15, 2.0, 0.75, 3.0], [0.3, 2.1], [0.05, 5.4, 0.012, 2.8, 0.19, 20.7, 0.13, 68])
    assert (scale.low, scale.high) == (0.01, 100.0)
    assert [tick_label(v) for v in scale.ticks] == ["0.01", "0.1", "1", "10", "100"]


def test_ratio_scale_ignores_non_positive_values_and_defaults_sensibly():
    scale = ratio_scale([1.0], [1.0, 1.0], [0.0, -1.0])
    assert (scale.low, scale.high) == (0.5, 2.0)


def test_tick_labels_have_unicode_minus_and_no_trailing_zeros():
    assert [tick_label(v) for v in (-1.0, -0.5, 0.0, 0.5, 1.0)] == ["\u22121", "\u22120.5", "0", "0.5", "1"]
