"""Risk-of-bias (RoB 2) columns beside a forest plot: one coloured dot per study and domain.

``rob`` maps a study name to its judgements ``{"D1": …, …, "D5": …, "overall": …}``, each "low",
"some concerns" or "high" (the shape :mod:`sysrev.rob` returns). Colours and symbols follow robvis
(McGuinness & Higgins, Res Synth Methods 2021): green + low, yellow − some concerns, red × high, so the
columns read the same as the review's traffic-light plot and stay readable in greyscale.
"""

from dataclasses import dataclass

from sysrev.errors import SysrevError

#: Column keys in drawing order with their headings.
DOMAINS = (("D1", "D1"), ("D2", "D2"), ("D3", "D3"), ("D4", "D4"), ("D5", "D5"), ("overall", "Overall"))

#: What each domain judges (RoB 2, Sterne et al. BMJ 2019;366:l4898), for the legend under the plot.
DOMAIN_NAMES = {
    "D1": "Bias arising from the randomization process",
    "D2": "Bias due to deviations from intended interventions",
    "D3": "Bias due to missing outcome data",
    "D4": "Bias in measurement of the outcome",
    "D5": "Bias in selection of the reported result",
    "overall": "Overall bias",
}


@dataclass(frozen=True)
class Judgement:
    """How one judgement level is drawn: robvis colour, symbol and legend text."""

    colour: str
    symbol: str  # a matplotlib marker drawn centred on the dot
    legend: str


#: robvis's "cochrane" palette.
JUDGEMENTS = {
    "low": Judgement("#02C100", "+", "Low risk of bias"),
    "some concerns": Judgement("#E2DF07", "_", "Some concerns"),
    "high": Judgement("#BF0000", "x", "High risk of bias"),
}

_ALIASES = {"low risk": "low", "low risk of bias": "low", "high risk": "high", "high risk of bias": "high",
            "some concern": "some concerns"}


def _level(study: str, domain: str, value) -> str | None:
    if value is None or value == "":
        return None
    key = str(value).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in JUDGEMENTS:
        allowed = ", ".join(f"'{k}'" for k in JUDGEMENTS)
        raise SysrevError(f"risk of bias for study '{study}', {domain}: unknown judgement '{value}' "
                          f"(expected {allowed})")
    return key


def rob_levels(rob: dict, studies: list[str]) -> dict[str, dict[str, str | None]]:
    """The normalised judgement of every plotted study per domain (None where not given).

    Studies in ``rob`` that are not in the plot are ignored (a project's RoB covers every study, an
    analysis only some); an unknown judgement or domain key is an error naming study and domain.
    """
    if not isinstance(rob, dict):
        raise SysrevError(f"rob must map study names to judgements, got {type(rob).__name__}")
    known = {key for key, _ in DOMAINS}
    levels = {}
    for study in studies:
        given = {}
        for domain, value in (rob.get(study) or {}).items():
            key = str(domain).strip()
            key = "overall" if key.lower() == "overall" else key.upper()
            if key not in known:
                raise SysrevError(f"risk of bias for study '{study}': unknown domain '{domain}' "
                                  f"(expected D1…D5 and overall)")
            given[key] = value
        levels[study] = {key: _level(study, key, given.get(key)) for key, _ in DOMAINS}
    return levels
