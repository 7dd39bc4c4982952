"""Signalling-question answers shared by the RoB 2 tests."""

# Low risk of bias in every domain, by the RoB 2 guidance's algorithms (Sterne et al. 2019, the flowcharts of
# each domain): randomised and concealed (D1); no deviations, appropriate analysis (D2); complete data (D3);
# appropriate, non-differential, blinded measurement (D4); a pre-specified, not selected result (D5).
LOW_ANSWERS = {
    "D1": {"1.1": "Y", "1.2": "Y", "1.3": "N"},
    "D2": {"2.1": "N", "2.2": "N", "2.6": "Y"},
    "D3": {"3.1": "Y"},
    "D4": {"4.1": "N", "4.2": "N", "4.3": "N"},
    "D5": {"5.1": "Y", "5.2": "N", "5.3": "N"},
}
