"""Item 15 (leave-one-out): the linear-time fixed-effect path and the blocked random-effects path give what
re-running the whole analysis without each study gives."""

import math

import numpy as np
import pandas as pd
import pytest

from sysrev.meta import meta_analysis
from sysrev.meta.analysis import analyse_group
from sysrev.meta.sensitivity import leave_one_out

SETTINGS = [
    dict(measure="MD"), dict(measure="SMD"), dict(measure="MD", model="random"),
    dict(measure="MD", model="random", tau2="REML", ci="hksj"), dict(measure="SMD", model="random", tau2="PM"),
    dict(measure="RR", method="IV"), dict(measure="OR", method="IV", model="random", tau2="SJ"),
    dict(measure="RR"),  # Mantel–Haenszel: the per-omission path
]


def _data(measure, k, seed):
    rng = np.random.default_rng(seed)
    n1, n2 = rng.integers(10, 200, k), rng.integers(10, 200, k)
    if measure in ("RR", "OR"):
        return pd.DataFrame({"study": [f"S{i}" for i in range(k)], "events1": rng.binomial(n1, 0.3),
                             "n1": n1, "events2": rng.binomial(n2, 0.45), "n2": n2})
    return pd.DataFrame({"study": [f"S{i}" for i in range(k)], "n1": n1, "mean1": rng.normal(5, 1, k),
                         "sd1": rng.uniform(1, 3, k), "n2": n2, "mean2": rng.normal(4.5, 1.5, k),
                         "sd2": rng.uniform(1, 3, k)})


def _rerun(result):
    """The reference: the whole analysis of the other studies, one omission at a time."""
    rows = []
    for i in np.flatnonzero(result.effects.estimable):
        keep = np.ones(len(result.effects.yi), bool)
        keep[i] = False
        group = analyse_group(result.effects.select(keep), result.settings).to_dict(result.report)
        group.pop("studies")
        rows.append(group)
    return rows


@pytest.mark.parametrize("options", SETTINGS, ids=lambda o: "-".join(map(str, o.values())))
@pytest.mark.parametrize("k", [3, 4, 12])
def test_equals_the_full_reanalysis(options, k):
    result = meta_analysis(_data(options["measure"], k, seed=k), **options)
    fast, slow = leave_one_out(result), _rerun(result)
    assert [row["omitted"] for row in fast] == [f"S{i}" for i in range(k)]
    for got, want in zip(fast, slow, strict=True):
        for key, value in want.items():
            if isinstance(value, float) and not (value == 0 or math.isnan(value)):
                assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
            else:
                assert got[key] == value, key


@pytest.mark.parametrize("model", ["fixed", "random"])
def test_inverse_variance_leave_one_out_does_not_rerun_the_analysis_per_study(monkeypatch, model):
    """k re-analyses of k − 1 studies, each building k per-study rows, made leave-one-out quadratic (k = 10,000
    did not finish in 300 s); the inverse-variance paths compute every omission at once."""
    from sysrev.meta import sensitivity

    result = meta_analysis(_data("MD", 50, seed=1), "MD", model=model)

    def per_study(*args, **kwargs):
        raise AssertionError("leave-one-out re-ran the analysis for one omitted study")

    monkeypatch.setattr(sensitivity, "analyse_group", per_study)
    assert len(leave_one_out(result)) == 50
