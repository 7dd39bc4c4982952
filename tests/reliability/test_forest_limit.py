"""Item 15 (forest plots): past a sensible number of studies a forest plot is refused with advice, in
bounded memory, instead of being drawn metres tall."""

import numpy as np
import pandas as pd
from click.testing import CliRunner

from sysrev.cli.main import cli


def test_a_forest_plot_of_thousands_of_studies_is_refused_cleanly(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    def no_figure(*args, **kwargs):
        raise AssertionError("a figure was built for an oversized forest plot")

    monkeypatch.setattr(Figure, "__init__", no_figure)
    rng = np.random.default_rng(5)
    k = 3000
    data = pd.DataFrame({"study": [f"Trial {i}" for i in range(k)], "yi": rng.normal(0.2, 0.3, k),
                         "vi": rng.uniform(0.01, 0.2, k)})
    data.to_csv(tmp_path / "many.csv", index=False)
    out = tmp_path / "forest.png"
    result = CliRunner().invoke(cli, ["meta", "pool", str(tmp_path / "many.csv"), "--measure", "GEN",
                                      "--forest", str(out)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "error: a forest plot of 3000 studies" in result.output and "--funnel" in result.output
    assert not out.exists()
