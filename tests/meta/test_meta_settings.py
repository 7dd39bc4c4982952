"""The options of a meta-analysis (sysrev.meta.settings.Settings.resolve): defaults, spelling, and the messages
that explain an unknown value or an impossible combination (docs/meta.md, "Options")."""

import pytest

from sysrev.errors import SysrevError
from sysrev.meta.settings import Settings


@pytest.mark.parametrize("option,value,message", [
    ("measure", "HR", "unknown measure 'HR' (choose one of MD, SMD, RR, OR, RD, PETO, GEN)"),
    ("method", "GLM", "unknown method 'GLM' (choose one of IV, MH, PETO)"),
    ("model", "mixed", "unknown model 'mixed' (choose one of fixed, random)"),
    ("tau2", "GENQ", "unknown tau2 estimator 'GENQ' (choose one of DL, REML, PM, ML, HS, SJ, HE, EB)"),
    ("ci", "t", "unknown confidence-interval method 't' (choose one of z, hksj)"),
    ("smd", "cohen", "unknown SMD formula 'cohen' (choose one of revman, exact)"),
    ("zero", "none", "unknown zero-cell rule 'none' (choose one of revman, metafor)"),
])
def test_an_unknown_value_is_named_with_the_choices(option, value, message):
    options = {"measure": "RR", option: value}
    with pytest.raises(SysrevError) as info:
        Settings.resolve(**options)
    assert str(info.value) == message


def test_options_are_read_in_any_case_and_stored_as_documented():
    settings = Settings.resolve(" rr ", method="iv", model="Random", tau2="reml", ci="HKSJ", smd="Exact",
                                zero="MetaFor", level="90")
    assert settings == Settings("RR", "IV", "random", "REML", "hksj", "exact", 90.0, "metafor")


@pytest.mark.parametrize("measure,method", [("MD", "IV"), ("SMD", "IV"), ("GEN", "IV"), ("RR", "MH"), ("OR", "MH"),
                                            ("RD", "MH"), ("PETO", "PETO")])
def test_default_method_and_other_defaults(measure, method):
    settings = Settings.resolve(measure)
    assert settings == Settings(measure, method, "fixed", "DL", "z", "revman", 95.0, "revman")
    assert settings.tau2_method is None  # a fixed-effect model has no τ²
    assert settings.ratio is (measure in ("RR", "OR", "PETO"))


def test_random_effects_with_mantel_haenszel_take_dersimonian_laird():
    settings = Settings.resolve("OR", model="random")
    assert (settings.method, settings.tau2, settings.tau2_method) == ("MH", "DL", "DL")


@pytest.mark.parametrize("level", [0.5, 50, 99.9])
def test_any_level_strictly_between_0_and_100_is_accepted(level):
    assert Settings.resolve("MD", level=level).level == level


@pytest.mark.parametrize("level,message", [
    (0, "confidence level must be a percentage in (0, 100), got 0"),
    (100, "confidence level must be a percentage in (0, 100), got 100"),
    (100.5, "confidence level must be a percentage in (0, 100), got 100.5"),
    (-5, "confidence level must be a percentage in (0, 100), got -5"),
    ("ninety", "confidence level must be a number in (0, 100), got 'ninety'"),
    (None, "confidence level must be a number in (0, 100), got 'None'"),
])
def test_a_level_outside_0_to_100_is_refused(level, message):
    with pytest.raises(SysrevError) as info:
        Settings.resolve("MD", level=level)
    assert str(info.value) == message


@pytest.mark.parametrize("options,message", [
    ({"measure": "SMD", "method": "MH"}, "the Mantel–Haenszel method applies to RR, OR and RD, not SMD"),
    ({"measure": "GEN", "method": "MH"}, "the Mantel–Haenszel method applies to RR, OR and RD, not GEN"),
    ({"measure": "RD", "method": "PETO"},
     "the Peto method estimates an odds ratio; use --measure PETO (or OR), not RD"),
    ({"measure": "PETO", "model": "random"},
     "the Peto method is a fixed-effect method; use --method IV for random effects"),
    ({"measure": "RR", "model": "random", "tau2": "PM"},
     "random effects with the Mantel–Haenszel method use DerSimonian–Laird τ² (as RevMan); for --tau2 PM use "
     "--method IV"),
    ({"measure": "MD", "ci": "hksj"}, "Hartung–Knapp–Sidik–Jonkman intervals need --model random"),
])
def test_impossible_combinations_are_explained(options, message):
    with pytest.raises(SysrevError) as info:
        Settings.resolve(**options)
    assert str(info.value) == message


def test_the_peto_method_pools_an_odds_ratio():
    assert Settings.resolve("OR", method="peto").method == "PETO"
    assert Settings.resolve("PETO", method="IV", model="random").tau2_method == "DL"
