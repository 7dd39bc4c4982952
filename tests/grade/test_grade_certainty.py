"""Certainty from the domains' ratings (GRADE guidelines 3) and the informative statements (Santesso 2020)."""

import pytest

from sysrev.grade.certainty import certainty, effect_size, statement
from sysrev.grade.files import DomainRecord, GradeFile, domains_for


def _file(design="randomised", **finals):
    domains = {d: DomainRecord(d, proposed="not serious" if d != "publication_bias" else "undetected")
               for d in domains_for(design)}
    for team in ("indirectness", "dose_response", "confounding"):
        if team in domains:
            domains[team].proposed = "none: the team's judgement alone"
    if "large_effect" in domains:
        domains["large_effect"].proposed = "no"
    for domain, rating in finals.items():
        domains[domain].final = rating
    return GradeFile("x", "X", design, {}, domains)


def test_randomised_with_nothing_serious_is_high_once_indirectness_is_rated():
    assert certainty(_file()).level is None  # indirectness: the team's alone
    cert = certainty(_file(indirectness="not serious"))
    assert cert.level == "high" and not cert.confirmed and cert.label == "⊕⊕⊕⊕ HIGH"


def test_levels_add_up_and_stop_at_very_low():
    # HIGH - 1 - 2 = VERY LOW; a further level cannot go below it
    assert certainty(_file(indirectness="serious", imprecision="very serious")).level == "very low"
    f = _file(indirectness="very serious", imprecision="very serious", risk_of_bias="serious")
    assert certainty(f).level == "very low"
    assert certainty(_file(indirectness="not serious", publication_bias="strongly suspected")).level == "moderate"


def test_non_randomised_starts_low_and_stops_at_high():
    f = _file("non-randomised", indirectness="not serious", large_effect="very large", dose_response="yes")
    # LOW + 2 + 1 = 5 levels up from VERY LOW, capped at HIGH
    assert certainty(f).level == "high"
    assert certainty(_file("non-randomised", indirectness="not serious")).level == "low"


def test_confirmed_only_when_every_domain_has_a_final_rating():
    finals = dict(risk_of_bias="not serious", inconsistency="not serious", indirectness="not serious",
                  imprecision="serious", publication_bias="undetected")
    cert = certainty(_file(**finals))
    assert cert.level == "moderate" and cert.confirmed


def test_pending_proposal_keeps_certainty_pending():
    f = _file(indirectness="not serious")
    f.domains["risk_of_bias"].proposed = "pending"
    cert = certainty(f)
    assert cert.level is None and cert.missing == ("Risk of bias",)


@pytest.mark.parametrize("measure, estimate, mid, size", [
    ("RR", 0.75, None, "reduction"), ("RR", 0.76, None, "little or no difference"),
    ("RR", 1.25, None, "increase"), ("MD", -2.0, 2.0, "reduction"),
    ("MD", -2.0, -2.0, "reduction"), ("MD", -1.99, 2.0, "little or no difference"),
    ("SMD", 0.3, None, None),
])
def test_effect_size_against_the_mid(measure, estimate, mid, size):
    assert effect_size(measure, estimate, mid) == size


@pytest.mark.parametrize("level, size, text", [
    ("high", "reduction", "X reduces pain."),
    ("moderate", "increase", "X probably increases pain."),
    ("moderate", "little or no difference", "X probably results in little or no difference in pain."),
    ("low", "reduction", "X may reduce pain."),
    ("low", "little or no difference", "X may result in little or no difference in pain."),
    ("very low", "reduction", "The evidence is very uncertain about the effect of X on pain."),
])
def test_santesso_statements(level, size, text):
    assert statement(level, size, "X", "pain") == text


def test_statement_waits_for_a_mid():
    assert "set mid" in statement("high", None, "X", "pain")


def test_a_pending_certainty_names_every_domain_it_waits_for():
    from sysrev.grade.certainty import Certainty

    f = _file()
    f.domains["risk_of_bias"].proposed = "pending"
    del f.domains["imprecision"]  # a file written before the domain existed
    assert certainty(f) == Certainty(None, False, ("Risk of bias", "Indirectness", "Imprecision"))


def test_an_unrated_upgrading_domain_does_not_stop_the_count_of_the_next_one():
    # dose_response not claimed, confounding claimed: LOW + 1 = MODERATE
    f = _file("non-randomised", indirectness="not serious", confounding="yes")
    assert certainty(f).level == "moderate"
    f = _file("non-randomised", indirectness="not serious", large_effect="large", confounding="yes")
    assert certainty(f).level == "high"


def test_statement_texts_while_waiting():
    assert statement(None, "reduction", "X", "pain") == "Statement pending: the certainty is not yet rated."
    assert statement("low", None, "X", "pain") == ("Statement pending: set mid in analyses.toml to judge the size "
                                                   "of the effect.")
