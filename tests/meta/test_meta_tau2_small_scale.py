"""(RE)ML τ² does not depend on the units of the effect: effects on a small scale (a proportion of 1e-4, a
difference in metres for a millimetre outcome) give s²·τ², not the boundary 0.

The six studies have a likelihood whose maximum lies well inside (0, ∞); the expected values come from
metafor 3.8-1, converged far beyond its default threshold:

    library(metafor)
    yi <- c(0.043, -0.02, -1.645, 3.041, 3.03, 4.671)
    vi <- c(0.0048, 0.0163, 7.7094, 7.3496, 3.6942, 0.8108)
    for (m in c("REML", "ML")) {
      r <- rma(yi, vi, method = m, control = list(threshold = 1e-12, maxiter = 10000))
      cat(m, sprintf("%.10f", r$tau2), "\\n")                         # REML 4.1497232532, ML 3.1963108942
      s <- 1e-4
      r <- rma(yi * s, vi * s^2, method = m, control = list(threshold = 1e-20, maxiter = 100000))
      cat(m, sprintf("%.10f", r$tau2 / s^2), "\\n")                   # the same on the 1e-4 scale
    }
"""

import numpy as np
import pytest

from sysrev.meta.heterogeneity import estimate_tau2
from sysrev.meta.leave_one_out import without_each

YI = np.array([0.043, -0.02, -1.645, 3.041, 3.03, 4.671])
VI = np.array([0.0048, 0.0163, 7.7094, 7.3496, 3.6942, 0.8108])
METAFOR = {"REML": 4.1497232532, "ML": 3.1963108942}


@pytest.mark.parametrize("method", ["REML", "ML"])
@pytest.mark.parametrize("scale", [1.0, 1e-2, 1e-3, 1e-4, 1e3])
def test_ml_and_reml_tau2_scale_with_the_square_of_the_units(method, scale):
    tau2 = float(estimate_tau2(YI * scale, VI * scale**2, method))
    assert tau2 / scale**2 == pytest.approx(METAFOR[method], rel=1e-9)


@pytest.mark.parametrize("method", ["REML", "ML", "PM", "EB"])
@pytest.mark.parametrize("scale", [1e-6, 1e-8])
def test_iterative_tau2_has_as_many_digits_on_any_scale(method, scale):
    # The root searches stop at a step relative to the variances, not at an absolute 1e-13, which stopped
    # them short on these scales: REML 4.14945 for 4.14972 (·s²) at s = 1e-6, PM 0.439 for 3.520 at s = 1e-8.
    tau2 = float(estimate_tau2(YI * scale, VI * scale**2, method))
    assert tau2 / scale**2 == pytest.approx(float(estimate_tau2(YI, VI, method)), rel=1e-9)


@pytest.mark.parametrize("method", ["REML", "ML", "PM"])
def test_leave_one_out_tau2_has_as_many_digits_on_a_small_scale(method):
    scale = 1e-6
    small = without_each(YI * scale, VI * scale**2, method)["tau2"]
    assert np.asarray(small) / scale**2 == pytest.approx(np.asarray(without_each(YI, VI, method)["tau2"]), rel=1e-9)
