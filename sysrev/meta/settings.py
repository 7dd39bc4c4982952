"""The choices that define a meta-analysis, checked together so that impossible combinations fail early."""

from __future__ import annotations

from dataclasses import dataclass

from sysrev.errors import SysrevError
from sysrev.meta.heterogeneity import TAU2_METHODS
from sysrev.meta.inputs import BINARY_MEASURES, MEASURES, RATIO_MEASURES

METHODS = ("IV", "MH", "PETO")
MODELS = ("fixed", "random")
CI_METHODS = ("z", "hksj")
SMD_METHODS = ("revman", "exact")
ZERO_RULES = ("revman", "metafor")


def _choice(value, allowed, what, *, upper=True):
    text = str(value).strip()
    text = text.upper() if upper else text.lower()
    if text not in allowed:
        raise SysrevError(f"unknown {what} '{value}' (choose one of {', '.join(allowed)})")
    return text


@dataclass(frozen=True)
class Settings:
    """A validated set of analysis options (see :func:`sysrev.meta.meta_analysis` for their meaning)."""

    measure: str
    method: str
    model: str
    tau2: str
    ci: str
    smd: str
    level: float
    zero: str

    @property
    def ratio(self) -> bool:
        """Whether effects are pooled on the log scale and reported as ratios."""
        return self.measure in RATIO_MEASURES

    @property
    def tau2_method(self) -> str | None:
        return self.tau2 if self.model == "random" else None

    @classmethod
    def resolve(cls, measure, method=None, model="fixed", tau2="DL", ci="z", smd="revman", level=95,
                zero="revman") -> Settings:
        measure = _choice(measure, MEASURES, "measure")
        if method is None:
            method = {"PETO": "PETO"}.get(measure, "MH" if measure in BINARY_MEASURES else "IV")
        method = _choice(method, METHODS, "method")
        model = _choice(model, MODELS, "model", upper=False)
        tau2 = _choice(tau2, TAU2_METHODS, "tau2 estimator")
        ci = _choice(ci, CI_METHODS, "confidence-interval method", upper=False)
        smd = _choice(smd, SMD_METHODS, "SMD formula", upper=False)
        zero = _choice(zero, ZERO_RULES, "zero-cell rule", upper=False)
        try:
            level = float(level)
        except (TypeError, ValueError):
            raise SysrevError(f"confidence level must be a number in (0, 100), got '{level}'") from None
        if not 0 < level < 100:
            raise SysrevError(f"confidence level must be a percentage in (0, 100), got {level:g}")

        if method == "MH" and measure not in ("RR", "OR", "RD"):
            raise SysrevError(f"the Mantel–Haenszel method applies to RR, OR and RD, not {measure}")
        if method == "PETO" and measure not in ("OR", "PETO"):
            raise SysrevError(f"the Peto method estimates an odds ratio; use --measure PETO (or OR), not {measure}")
        if method == "PETO" and model == "random":
            raise SysrevError("the Peto method is a fixed-effect method; use --method IV for random effects")
        if method == "MH" and model == "random" and tau2 != "DL":
            raise SysrevError("random effects with the Mantel–Haenszel method use DerSimonian–Laird τ² "
                              f"(as RevMan); for --tau2 {tau2} use --method IV")
        if ci == "hksj" and model != "random":
            raise SysrevError("Hartung–Knapp–Sidik–Jonkman intervals need --model random")
        return cls(measure, method, model, tau2, ci, smd, level, zero)
