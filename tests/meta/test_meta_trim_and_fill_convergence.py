"""Trim-and-fill whose estimate of the missing studies never settles: a clear error, as metafor's."""

import pytest

from sysrev.errors import SysrevError
from sysrev.meta.bias import trim_and_fill


def test_an_estimate_of_missing_studies_that_flip_flops_is_an_error_naming_the_method_and_the_limit():
    # 22 studies, random effects (DL), L0: the number missing alternates 2, 3, 2, 3, … (the centre moves between
    # 0.2038 and 0.2102 as one study is trimmed or kept). metafor 3.8-1:
    # yi <- c(0.09, 0.32, -0.4, 0.4, 0.18, 0.12, 0.05, -0.36, -0.28, 0.47, -0.25, 0.25, -0.01, 0.36, 0.12, 0.01,
    #         1.16, -1.03, 0.07, 0.47, 0.3, 0.49)
    # vi <- c(0.0043, 0.1399, 0.1952, 0.2225, 0.0202, 0.0253, 0.322, 0.124, 0.199, 0.0375, 0.2825, 0.0654,
    #         0.1446, 0.0349, 0.0277, 0.2358, 0.2477, 0.2534, 0.24, 0.1214, 0.0204, 0.0186)
    # trimfill(rma(yi, vi, method="DL"), estimator="L0", verbose=TRUE): "missing = 3", "missing = 2", … up to
    # iteration 100, then "Trim and fill algorithm did not converge."
    yi = [0.09, 0.32, -0.4, 0.4, 0.18, 0.12, 0.05, -0.36, -0.28, 0.47, -0.25, 0.25, -0.01, 0.36, 0.12, 0.01,
          1.16, -1.03, 0.07, 0.47, 0.3, 0.49]
    vi = [0.0043, 0.1399, 0.1952, 0.2225, 0.0202, 0.0253, 0.322, 0.124, 0.199, 0.0375, 0.2825, 0.0654,
          0.1446, 0.0349, 0.0277, 0.2358, 0.2477, 0.2534, 0.24, 0.1214, 0.0204, 0.0186]
    with pytest.raises(SysrevError, match=r"^trim-and-fill did not converge in 100 iterations$"):
        trim_and_fill(yi, vi, "DL", estimator="L0")
