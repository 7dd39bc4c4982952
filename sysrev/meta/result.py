"""Results of a meta-analysis and their JSON form (the ``sysrev meta pool --json`` contract).

Numbers are held on the analysis scale (log for RR/OR/PETO); :meth:`MetaResult.to_dict` converts
``estimate``, ``ci_*`` and ``pi_*`` (overall, per subgroup and per study) to the reporting scale, keeps
``se``, ``z``, ``yi`` and ``vi`` on the analysis scale, and writes every field that does not apply as None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sysrev.meta.settings import Settings


def _num(x):
    """A plain float for JSON, or None for missing / not-a-number."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


@dataclass(frozen=True)
class StudyRow:
    """One study's effect (analysis scale), its CI, its weight (percent) and its input cells."""

    study: str
    subgroup: str | None
    yi: float | None
    vi: float | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    weight: float
    data: dict

    def to_dict(self, report) -> dict:
        return {
            "study": self.study,
            "subgroup": self.subgroup,
            "yi": _num(self.yi),
            "vi": _num(self.vi),
            "estimate": report(self.estimate),
            "ci_low": report(self.ci_low),
            "ci_high": report(self.ci_high),
            "weight": _num(self.weight),
            "data": dict(self.data),
        }


@dataclass(frozen=True)
class GroupResult:
    """The pooled result of one set of studies (overall or one subgroup), on the analysis scale."""

    k: int
    k_total: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    se: float | None
    z: float | None
    p: float | None
    ci: str
    tau2: float | None
    tau2_ci_low: float | None
    tau2_ci_high: float | None
    I2: float | None
    I2_revman: float | None
    H2: float | None
    Q: float | None
    Q_df: int | None
    Q_p: float | None
    pi_low: float | None
    pi_high: float | None
    I2_ci_low: float | None = None
    I2_ci_high: float | None = None
    H2_ci_low: float | None = None
    H2_ci_high: float | None = None
    studies: list[StudyRow] = field(default_factory=list)

    @classmethod
    def empty(cls, studies, k_total) -> GroupResult:
        """A set with no estimable study: every statistic is None."""
        return cls(0, k_total, *([None] * 6), "z", *([None] * 11), studies=studies)

    def to_dict(self, report) -> dict:
        tau2 = _num(self.tau2)
        return {
            "k": self.k,
            "k_total": self.k_total,
            "estimate": report(self.estimate),
            "ci_low": report(self.ci_low),
            "ci_high": report(self.ci_high),
            "se": _num(self.se),
            "z": _num(self.z),
            "p": _num(self.p),
            "ci": self.ci,
            "tau2": tau2,
            "tau": None if tau2 is None else math.sqrt(tau2),
            "tau2_ci_low": _num(self.tau2_ci_low),
            "tau2_ci_high": _num(self.tau2_ci_high),
            "I2": _num(self.I2),
            "I2_ci_low": _num(self.I2_ci_low),
            "I2_ci_high": _num(self.I2_ci_high),
            "I2_revman": _num(self.I2_revman),
            "H2": _num(self.H2),
            "H2_ci_low": _num(self.H2_ci_low),
            "H2_ci_high": _num(self.H2_ci_high),
            "Q": _num(self.Q),
            "Q_df": self.Q_df,
            "Q_p": _num(self.Q_p),
            "pi_low": report(self.pi_low),
            "pi_high": report(self.pi_high),
            "studies": [row.to_dict(report) for row in self.studies],
        }


@dataclass(frozen=True)
class SubgroupTest:
    """Test for subgroup differences (χ² over subgroup estimates)."""

    Q: float
    df: int
    p: float
    I2: float

    def to_dict(self) -> dict:
        return {"Q": self.Q, "df": self.df, "p": self.p, "I2": self.I2}


@dataclass(frozen=True)
class MetaResult:
    """A meta-analysis: its settings, the overall result, and (with a subgroup column) per-subgroup results."""

    settings: Settings
    overall: GroupResult
    subgroups: dict[str, GroupResult] | None = None
    subgroup_test: SubgroupTest | None = None
    subgroup_column: str | None = None
    #: the per-study effects the result was computed from (for leave-one-out and small-study tests)
    effects: object = field(default=None, repr=False, compare=False)

    def report(self, x):
        """A value of the analysis scale on the reporting scale (exp for ratio measures)."""
        x = _num(x)
        if x is None or not self.settings.ratio:
            return x
        return float(np.exp(x))

    def _header(self) -> dict:
        s = self.settings
        return {
            "measure": s.measure,
            "method": s.method,
            "model": s.model,
            "tau2_method": s.tau2_method,
            "ci_method": s.ci,
            "level": s.level,
            "smd": s.smd if s.measure == "SMD" else None,
            "zero": s.zero if s.measure in ("RR", "OR", "RD", "PETO") else None,
            "scale": "log" if s.ratio else "identity",
        }

    def to_dict(self) -> dict:
        """The ``--json`` object of ``sysrev meta pool`` (see docs/meta.md for every field)."""
        out = self._header()
        out.update(self.overall.to_dict(self.report))
        out["subgroup_column"] = self.subgroup_column
        out["subgroups"] = None
        if self.subgroups is not None:
            out["subgroups"] = {}
            for label, group in self.subgroups.items():
                entry = self._header()
                entry.update(group.to_dict(self.report))
                entry["weight"] = float(sum(row.weight for row in self.overall.studies if row.subgroup == label))
                out["subgroups"][label] = entry
        out["subgroup_test"] = self.subgroup_test.to_dict() if self.subgroup_test else None
        return out
