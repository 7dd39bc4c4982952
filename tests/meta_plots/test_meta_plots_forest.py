"""Forest plots drawn from real engine results (sysrev.meta.meta_analysis) and checked as a reader would:
every study, CI text, heterogeneity line and label is in the file; nothing overlaps; ratios use a log axis."""

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis
from sysrev.meta.plots import forest_figure, forest_plot

M = "\u2212"


def analyse(own_fixtures, name, measure, **options):
    data = pd.read_csv(own_fixtures / "meta_plots" / name)
    return meta_analysis(data, measure, **options).to_dict()


@pytest.fixture(scope="module")
def smd(own_fixtures):
    return analyse(own_fixtures, "smd_subgroups.csv", "SMD", subgroup="timepoint")


@pytest.fixture(scope="module")
def rr(own_fixtures):
    return analyse(own_fixtures, "rr_zero.csv", "RR", method="MH")


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


def ci_text(estimate, low, high, decimals=2):
    return " ".join([f"{estimate:.{decimals}f}", f"[{low:.{decimals}f},", f"{high:.{decimals}f}]"]).replace("-", M)


def test_subgrouped_smd_svg_holds_every_row(smd, tmp_path):
    path = forest_plot(smd, tmp_path / "pain.svg", label1="US", label2="FL")
    texts = svg_texts(path)
    for study in smd["studies"]:
        assert study["study"] in texts
        assert ci_text(study["estimate"], study["ci_low"], study["ci_high"]) in texts
    for name, sub in smd["subgroups"].items():
        assert name in texts
        assert ci_text(sub["estimate"], sub["ci_low"], sub["ci_high"]) in texts
    assert texts.count("Subtotal (95% CI)") == len(smd["subgroups"]) == 5
    assert ci_text(smd["estimate"], smd["ci_low"], smd["ci_high"]) in texts
    total_heterogeneity = f"Heterogeneity: Chi\u00b2 = {smd['Q']:.2f}, df = {smd['Q_df']} (P = {smd['Q_p']:.2f}); " \
                          f"I\u00b2 = {smd['I2']:.0f}%"
    assert total_heterogeneity in texts
    assert f"Test for overall effect: Z = {abs(smd['z']):.2f} (P = {smd['p']:.2f})" in texts
    test = smd["subgroup_test"]
    assert f"Test for subgroup differences: Chi\u00b2 = {test['Q']:.2f}, df = {test['df']} (P = {test['p']:.2f}), " \
           f"I\u00b2 = 0%" in texts
    assert {"Favours US", "Favours FL", "US", "FL", "Std. Mean Difference", "IV, Fixed, 95% CI"} <= set(texts)
    assert texts.count("Mean") == 2 and texts.count("SD") == 2


def test_weights_printed_per_study_and_subtotals_sum(smd, tmp_path):
    texts = svg_texts(forest_plot(smd, tmp_path / "w.svg"))
    for study in smd["studies"]:
        assert f"{study['weight']:.1f}%" in texts
    for sub in smd["subgroups"].values():
        assert f"{sub['weight']:.1f}%" in texts
    assert "100.0%" in texts


def test_png_is_valid_and_height_grows_with_rows(smd, own_fixtures, tmp_path):
    big = forest_plot(smd, tmp_path / "big.png")
    small = forest_plot(analyse(own_fixtures, "md.csv", "MD"), tmp_path / "small.png")
    assert big.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    big_px, small_px = imread(big), imread(small)
    assert big_px.shape[1] >= 1500  # printed at 200 dpi: readable on screen and paper
    assert big_px.shape[0] > 2.5 * small_px.shape[0]
    assert (big_px[..., :3] < 0.5).any()  # something dark was drawn


def test_ratio_plot_uses_log_axis_centred_on_one_and_marks_non_estimable(rr, tmp_path):
    fig = forest_figure(rr, label1="US", label2="FL")
    graph = fig.axes[1]
    assert graph.get_xscale() == "log"
    low, high = graph.get_xlim()
    assert np.isclose(low * high, 1.0)
    assert any(list(line.get_xdata()) == [1.0, 1.0] for line in graph.get_lines())
    texts = svg_texts(forest_plot(rr, tmp_path / "rr.svg", label1="US", label2="FL"))
    assert texts.count("Not estimable") == 1
    assert {"Risk Ratio", "M-H, Fixed, 95% CI", "Events", "Total events", "Favours US", "Favours FL"} <= set(texts)
    assert texts.count("Events") == 2
    events1 = sum(s["data"]["events1"] for s in rr["studies"])
    events2 = sum(s["data"]["events2"] for s in rr["studies"])
    assert str(events1) in texts and str(events2) in texts


def test_difference_plot_uses_linear_axis_centred_on_zero(own_fixtures):
    fig = forest_figure(analyse(own_fixtures, "md.csv", "MD"))
    graph = fig.axes[1]
    assert graph.get_xscale() == "linear"
    low, high = graph.get_xlim()
    assert low == -high
    assert any(list(line.get_xdata()) == [0.0, 0.0] for line in graph.get_lines())


def test_interval_far_off_the_axis_gets_an_arrow(own_fixtures):
    result = analyse(own_fixtures, "md.csv", "MD")
    graph = forest_figure(result).axes[1]
    low, high = graph.get_xlim()
    wide = [s for s in result["studies"] if s["ci_low"] < low or s["ci_high"] > high]
    assert [s["study"] for s in wide] == ["Dogwood 2021"]
    assert wide[0]["ci_low"] < low and wide[0]["ci_high"] > high  # off both ends: two arrowheads
    arrows = [line for line in graph.get_lines() if list(line.get_xdata()) in ([low], [high])]
    assert sorted(line.get_xdata()[0] for line in arrows) == [low, high]


def test_generic_inverse_variance_columns(own_fixtures, tmp_path):
    result = analyse(own_fixtures, "gen.csv", "GEN", model="random")
    texts = svg_texts(forest_plot(result, tmp_path / "gen.svg"))
    assert {"Estimate", "SE", "0.08", "0.11", "Favours Experimental", "Favours Control"} <= set(texts)
    assert "IV, Random, 95% CI" in texts
    assert any(text.startswith("Heterogeneity: Tau\u00b2 = ") for text in texts)


def test_hksj_overall_effect_is_a_t_test_with_its_degrees_of_freedom(own_fixtures, tmp_path):
    result = analyse(own_fixtures, "gen.csv", "GEN", model="random", ci="hksj")
    texts = svg_texts(forest_plot(result, tmp_path / "hksj.svg"))
    assert f"Test for overall effect: t = {abs(result['z']):.2f}, df = {result['k'] - 1} " \
           f"(P = {result['p']:.2f})" in texts
    assert not any(text.startswith("Test for overall effect: Z") for text in texts)


def test_decimals_and_favours_options(smd, tmp_path):
    path = forest_plot(smd, tmp_path / "d.svg", label1="US", label2="FL", favours=("FL", "US"), decimals=3)
    texts = svg_texts(path)
    study = smd["studies"][0]
    assert ci_text(study["estimate"], study["ci_low"], study["ci_high"], 3) in texts
    root = ET.parse(path).getroot()
    x = {node.text: float(node.get("x")) for node in root.iter("{http://www.w3.org/2000/svg}text")}
    assert x["Favours FL"] < x["Favours US"]
    with pytest.raises(SysrevError, match="decimals"):
        forest_plot(smd, tmp_path / "x.svg", decimals=-1)
    with pytest.raises(SysrevError, match="favours"):
        forest_plot(smd, tmp_path / "x.svg", favours="US")
    with pytest.raises(SysrevError, match="favours"):
        forest_plot(smd, tmp_path / "x.svg", favours=3)


@pytest.mark.parametrize("name", ["plot.eps", "plot.jpg", "plot"])
def test_unsupported_suffix_is_a_clear_error_and_writes_nothing(smd, tmp_path, name):
    with pytest.raises(SysrevError, match=r"\.png, \.svg or \.pdf"):
        forest_plot(smd, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_pdf_forest_plot_is_vector_text_and_the_same_bytes_on_every_run(smd, tmp_path):
    first = forest_plot(smd, tmp_path / "a.pdf").read_bytes()
    assert first.startswith(b"%PDF") and first == forest_plot(smd, tmp_path / "b.pdf").read_bytes()
    assert b"/FontFile2" in first  # TrueType (Type 42) fonts: the text stays text


def test_rob_columns_appear_only_when_given(smd, tmp_path):
    rob = {"Alder 2013": {"D1": "low", "D2": "some concerns", "D3": "low", "D4": "high", "D5": "low",
                          "overall": "high"},
           "Elm 2016": {"D1": "Low", "D2": "low", "D3": "low", "D4": "low", "D5": "low", "Overall": "low"},
           "Not in this analysis 1999": {"D1": "high"}}
    plain = svg_texts(forest_plot(smd, tmp_path / "plain.svg"))
    with_rob = svg_texts(forest_plot(smd, tmp_path / "rob.svg", rob=rob))
    headings = {"Risk of Bias", "D1", "D2", "D3", "D4", "D5", "Overall", "Risk of bias legend",
                "(D1) Bias arising from the randomization process", "Low risk of bias", "Some concerns",
                "High risk of bias"}
    assert headings <= set(with_rob)
    assert not headings & set(plain)
    table = forest_figure(smd, rob=rob).axes[0]
    dots = [line for line in table.get_lines() if line.get_marker() == "o"]
    rows_with_rob = sum(1 for s in smd["studies"] if s["study"] in rob)  # Alder and Elm at several time points
    assert len(dots) == 6 * rows_with_rob + 3  # + the three legend dots


def test_rob_with_unknown_judgement_names_study_and_domain(smd, tmp_path):
    with pytest.raises(SysrevError, match="Alder 2013.*D2.*'moderate'"):
        forest_plot(smd, tmp_path / "r.svg", rob={"Alder 2013": {"D2": "moderate"}})
    with pytest.raises(SysrevError, match="unknown domain 'D7'"):
        forest_plot(smd, tmp_path / "r.svg", rob={"Alder 2013": {"D7": "low"}})
    assert not (tmp_path / "r.svg").exists()


def test_no_two_texts_in_a_row_overlap_and_the_graph_stays_clear(smd):
    """The long study name widens its column instead of running into the numbers or the graph."""
    fig = forest_figure(smd, label1="US", label2="FL")
    renderer = fig.canvas.get_renderer()
    table, graph = fig.axes[0], fig.axes[1]
    rows = {}
    for text in table.texts:
        rows.setdefault(round(text.get_position()[1], 6), []).append(text.get_window_extent(renderer))
    assert len(rows) > 30
    for boxes in rows.values():
        boxes.sort(key=lambda box: box.x0)
        for before, after in zip(boxes, boxes[1:]):
            assert before.x1 <= after.x0 + 0.5
    graph_box = graph.get_window_extent(renderer)
    study_rows = {round(t.get_position()[1], 6) for t in table.texts if t.get_text() in
                  {s["study"] for s in smd["studies"]}}
    for y in study_rows:
        assert max(box.x1 for box in rows[y] if box.x0 < graph_box.x0) < graph_box.x0


def test_written_atomically_and_reproducibly(smd, tmp_path):
    target = tmp_path / "out" / "forest.svg"
    target.parent.mkdir()
    target.write_text("old")
    first = forest_plot(smd, target).read_bytes()
    second = forest_plot(smd, target).read_bytes()
    assert first == second and first.startswith(b"<?xml")
    assert [p.name for p in target.parent.iterdir()] == ["forest.svg"]


def test_result_that_is_not_a_meta_analysis_is_rejected(tmp_path):
    with pytest.raises(SysrevError, match="studies"):
        forest_plot({"measure": "MD"}, tmp_path / "x.png")
    with pytest.raises(SysrevError, match="no studies"):
        forest_plot({"measure": "MD", "studies": []}, tmp_path / "x.png")


def test_long_title_fits_inside_the_figure(own_fixtures):
    title = ("Analysis 2.1 Function (ODI) — PARTIAL: 2 of 8 comparisons, not the reproduction of the paper; "
             "see the extraction report for the missing cells")
    fig = forest_figure(analyse(own_fixtures, "gen.csv", "GEN"), title=title)
    renderer = fig.canvas.get_renderer()
    [text] = [t for t in fig.axes[0].texts if t.get_text() == title]
    box, page = text.get_window_extent(renderer), fig.bbox
    assert page.x0 <= box.x0 and box.x1 <= page.x1
