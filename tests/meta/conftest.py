"""Fixtures of the meta-analysis tests: the BCG trials (Colditz 1994) as a sysrev study table."""

import pandas as pd
import pytest


@pytest.fixture
def bcg_frame(own_fixtures):
    """13 BCG vaccine trials with their allocation (typed from metadat::dat.bcg, Colditz et al. 1994)."""
    return pd.read_csv(own_fixtures / "meta" / "bcg.csv")
