"""``analysis/analyses.toml``: which analyses a review runs, how, and the published figures they must match.

One table per analysis, keyed by its name (the name of its results file)::

    [analyses.pain]
    title = "Post-procedural pain intensity"
    outcome = "pain"              # the extraction rows' `outcome`
    measure = "SMD"               # MD, SMD, RR, OR, RD, PETO
    method = "IV"                 # IV, MH, PETO (default: IV for MD/SMD, MH for RR/OR/RD, PETO for PETO)
    model = "random"              # fixed | random;  tau2 = "DL", ci = "z", smd = "revman", level = 95
    subgroup = "timepoint"        # "timepoint" or "item": the extraction column whose values form subgroups
    direction = "lower is better" # what a lower value of the outcome means (plot labels)
    mid = -0.5                    # optional: the minimal important difference, on the reporting scale

    [analyses.pain.subgroups]     # subgroup label = the extraction values it takes (display order)
    "3 months" = ["3 months", "12 weeks"]

    [analyses.pain.target]        # the published figures, as printed (quoted, so decimals are kept)
    source = "Viderman 2023, abstract"
    estimate = "-0.01"
    ci = ["-0.11", "0.10"]
    p = "0.91"
    I2 = "0%"

    [analyses.pain.grade]         # optional: the team's GRADE choices (docs/grade.md)
    control_risk = 0.2

Arm labels come from ``[arms]`` of review.toml (group 1 = experimental) unless an analysis sets
``group1``/``group2``. Every problem is an :class:`InputError` naming analyses.toml and the line of the
offending key, so a reviewer can go straight to it. The file's schema (:mod:`sysrev.config_schema`, checked
first) refuses unknown keys, values of the wrong type and words outside a key's choices; this module checks
what a schema cannot say: ranges, blank strings, and keys that must agree with each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.analyses.targets import TARGET_FIELDS, PrintedValue, Target
from sysrev.config_schema import ensure_valid
from sysrev.errors import InputError, SysrevError
from sysrev.meta.inputs import RATIO_MEASURES  # reported as ratios: a minimal important difference is then > 0
from sysrev.project import load_toml
from sysrev.toml_lines import Locator

CONTINUOUS = ("MD", "SMD")
DEFAULT_METHOD = {"MD": "IV", "SMD": "IV", "RR": "MH", "OR": "MH", "RD": "MH", "PETO": "PETO"}
#: ``[analyses.NAME.grade]`` numbers GRADE's proposal rules need (docs/grade.md, sysrev/grade/): key -> the
#: bounds a value must lie strictly between (None: no upper bound).
GRADE_RANGES = {
    "control_risk": (0.0, 1.0),
    "absolute_mid": (0.0, 1000.0),
    "ois_rrr": (0.0, 1.0),
    "ois_alpha": (0.0, 0.5),
    "ois_power": (0.5, 1.0),
    "ois_delta": (0.0, None),
    "ois_sd": (0.0, None),
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class AnalysisSpec:
    """One analysis of a project, validated (see the module docstring for the meaning of each field)."""

    name: str
    title: str
    outcome: str
    measure: str
    method: str
    model: str
    tau2: str
    ci: str
    smd: str
    level: float
    subgroup: str | None
    subgroups: dict = field(default_factory=dict)  # label -> tuple of extraction values
    group1: str = "1"
    group2: str = "2"
    group1_label: str = ""
    group2_label: str = ""
    direction: str = "lower is better"
    pooled_sd: bool = False
    target: Target | None = None
    note: str = ""
    mid: float | None = None  # minimal important difference (reporting scale): `sysrev diff`, GRADE
    grade: dict = field(default_factory=dict)  # [analyses.NAME.grade], validated
    path: Path | None = None
    line: int | None = None

    @property
    def is_continuous(self) -> bool:
        return self.measure in CONTINUOUS

    def subgroup_of(self, value: str) -> str | None:
        """The subgroup label an extraction value (time point or item) belongs to, or None."""
        for label, values in self.subgroups.items():
            if value in values:
                return label
        return None

    def describe(self) -> dict:
        """The settings that decide the numbers, for the results file."""
        return {
            "title": self.title, "outcome": self.outcome, "measure": self.measure, "method": self.method,
            "model": self.model, "tau2": self.tau2, "ci": self.ci, "smd": self.smd, "level": self.level,
            "subgroup": self.subgroup, "subgroups": {k: list(v) for k, v in self.subgroups.items()},
            "group1": self.group1, "group2": self.group2, "pooled_sd": self.pooled_sd, "note": self.note,
            **({"mid": self.mid} if self.mid is not None else {}),
        }


def _arms(project) -> tuple[str, str, str, str]:
    """Group 1/2 arm labels and display labels from review.toml's [arms] (contract 7; its schema, checked when
    the project is loaded, requires both labels as strings when the table is there)."""
    arms = project.config.get("arms")
    if arms is None:
        raise InputError("missing [arms] table (group1 = experimental arm label, group2 = control arm label)",
                         path=project.config_path)
    labels = []
    for key in ("group1", "group2"):
        if not arms[key].strip():
            raise Locator(project.config_path).error(
                f"[arms] {key} must be a non-empty string (the arm label used in extraction rows)", "arms", key=key)
        labels.append(arms[key].strip())
    display = [str(arms.get(f"{k}_label") or lab) for k, lab in zip(("group1", "group2"), labels)]
    return labels[0], labels[1], display[0], display[1]


def _parse_target(raw: dict, name: str, loc: Locator) -> Target:
    """The published figures: each a printed number, the interval in order, at least one figure, a source
    that says something (the schema has checked the keys and that each value is a string, ci two of them)."""
    values: dict[str, PrintedValue] = {}
    for key in ("estimate", "p", "I2", "tau2"):
        if key in raw:
            try:
                values[key] = PrintedValue.parse(raw[key])
            except ValueError as exc:
                raise loc.error(f"target {key}: {exc}", "analyses", name, "target", key=key) from None
    if "ci" in raw:
        try:
            values["ci_low"], values["ci_high"] = (PrintedValue.parse(v) for v in raw["ci"])
        except ValueError as exc:
            raise loc.error(f"target ci: {exc}", "analyses", name, "target", key="ci") from None
        if values["ci_low"].value > values["ci_high"].value:
            raise loc.error("target ci: the lower limit is above the upper limit", "analyses", name, "target",
                            key="ci")
    if not values:
        raise loc.error("target has no published figures (estimate, ci, p, I2, tau2)", "analyses", name, "target")
    source = raw["source"]
    if not source.strip():
        raise loc.error("target source must say where the figures are printed (paper, table, page)",
                        "analyses", name, "target", key="source")
    ordered = {k: values[k] for k in TARGET_FIELDS if k in values}
    return Target(source=source.strip(), values=ordered)


def _parse_subgroups(raw: dict, name: str, loc: Locator) -> dict:
    """label -> the extraction values it takes (a lone string is one value); no label empty, no value blank or
    in two labels (the schema has checked that each entry is a string or a list of strings)."""
    if not raw:
        raise loc.error("subgroups must be a table of 'label = [values…]'", "analyses", name, key="subgroups")
    seen: dict[str, str] = {}
    out = {}
    for label, values in raw.items():
        if isinstance(values, str):
            values = [values]
        if not values or not all(values):
            raise loc.error(f"subgroup '{label}' must list the extraction values it takes, e.g. [\"12 weeks\"]",
                            "analyses", name, "subgroups", key=label)
        for value in values:
            if value in seen:
                raise loc.error(f"'{value}' is in subgroups '{seen[value]}' and '{label}'",
                                "analyses", name, "subgroups", key=label)
            seen[value] = label
        out[label] = tuple(values)
    return out


def _in_range(value: float, low: float, high: float | None) -> bool:
    """Whether ``value`` lies strictly between ``low`` and ``high`` (None: no upper bound)."""
    return low < value and (high is None or value < high)


def _parse_mid(raw, measure: str, name: str, loc: Locator) -> float | None:
    """The minimal important difference, on the reporting scale (a ratio > 0 for RR/OR/Peto), or None.

    One definition shared by `sysrev diff` (the CI starts or stops including it) and GRADE (the thresholds
    either side of no effect, docs/grade.md).
    """
    mid = raw.get("mid")  # a number (the schema has checked)
    if mid is not None and measure in RATIO_MEASURES and mid <= 0:
        raise loc.error("mid (minimal important difference) must be a number on the reporting scale (a ratio > 0)",
                        "analyses", name, key="mid")
    return None if mid is None else float(mid)


def _parse_grade(raw: dict, name: str, loc: Locator) -> dict:
    """``[analyses.NAME.grade]``: the numbers in their ranges (as floats) and a source that says something;
    the design and importance words as they are (the schema has checked the keys, types and words)."""
    out = {}
    for key, value in raw.items():
        if key in GRADE_RANGES:
            low, high = GRADE_RANGES[key]
            if not _in_range(value, low, high):
                expected = f"a number above {low}" + (f" and below {high}" if high is not None else "")
                raise loc.error(f"grade {key} = {value!r}: expected {expected}", "analyses", name, "grade", key=key)
            value = float(value)
        elif key == "control_risk_source":
            if not value.strip():
                raise loc.error(f"grade {key} = {value!r}: expected a non-empty string", "analyses", name, "grade",
                                key=key)
            value = value.strip()
        out[key] = value
    return out


def _parse_one(name: str, raw, arms, loc: Locator) -> AnalysisSpec:
    if not _NAME.match(name):
        raise loc.error(f"analysis name '{name}' must be usable as a file name (letters, digits, '.', '_', '-')",
                        "analyses", name)
    if not raw["outcome"].strip():  # the schema has required it, a string; the measure is one of its choices
        raise loc.error(f"analysis '{name}' needs 'outcome'", "analyses", name, key="outcome")
    measure = raw["measure"]
    method = raw.get("method", DEFAULT_METHOD[measure])
    if measure in CONTINUOUS and method != "IV":
        raise loc.error(f"{measure} is pooled by inverse variance (method = \"IV\"), not {method}",
                        "analyses", name, key="method")
    if (method == "PETO") != (measure == "PETO"):
        raise loc.error("the Peto method goes with measure = \"PETO\" and only with it", "analyses", name,
                        key="method")
    level = raw.get("level", 95)
    if not 50 <= level < 100:
        raise loc.error("level must be a confidence level in percent, e.g. 95", "analyses", name, key="level")
    pooled_sd = raw.get("pooled_sd", False)
    if pooled_sd and measure != "MD":
        raise loc.error("pooled_sd = true is only for measure = \"MD\" (true or false)", "analyses", name,
                        key="pooled_sd")
    subgroup = raw.get("subgroup")
    subgroups = _parse_subgroups(raw["subgroups"], name, loc) if "subgroups" in raw else {}
    if subgroup and not subgroups:
        raise loc.error(f"subgroup = \"{subgroup}\" needs a [analyses.{name}.subgroups] table mapping labels "
                        "to the extraction values", "analyses", name, key="subgroup")
    if subgroups and not subgroup:
        raise loc.error("a subgroups table needs subgroup = \"timepoint\" or \"item\"", "analyses", name,
                        key="subgroups")
    group1, group2, label1, label2 = arms
    group1, group2 = raw.get("group1", group1), raw.get("group2", group2)
    if group1 == group2:
        raise loc.error("group1 and group2 name the same arm", "analyses", name,
                        key="group2" if "group2" in raw else "group1")  # the line the team wrote
    return AnalysisSpec(
        name=name, title=raw.get("title", name), outcome=raw["outcome"].strip(), measure=measure, method=method,
        model=raw.get("model", "fixed"), tau2=raw.get("tau2", "DL"), ci=raw.get("ci", "z"),
        smd=raw.get("smd", "revman"), level=float(level), subgroup=subgroup, subgroups=subgroups,
        group1=group1, group2=group2,
        group1_label=label1 if group1 == arms[0] else group1, group2_label=label2 if group2 == arms[1] else group2,
        direction=raw.get("direction", "lower is better"), pooled_sd=pooled_sd,
        target=_parse_target(raw["target"], name, loc) if "target" in raw else None,
        note=raw.get("note", ""), mid=_parse_mid(raw, measure, name, loc),
        grade=_parse_grade(raw["grade"], name, loc) if "grade" in raw else {},
        path=loc.path, line=loc.line("analyses", name),
    )


def select_analyses(project, names=()) -> list[AnalysisSpec]:
    """The project's analyses named in ``names`` (all of them when it is empty), in file order; a name that
    is not defined is an error naming it and listing the analyses there are."""
    specs = load_analyses(project)
    if not names:
        return specs
    known = {spec.name for spec in specs}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SysrevError(f"no analysis named {', '.join(map(repr, unknown))} in {project.analyses_path} "
                          f"(defined: {', '.join(spec.name for spec in specs)})")
    return [spec for spec in specs if spec.name in names]


def load_analyses(project) -> list[AnalysisSpec]:
    """Read and validate the project's ``analysis/analyses.toml`` (in file order)."""
    path = project.analyses_path
    if not path.is_file():
        raise InputError("no analyses file; define the review's analyses there (see docs/analyses.md)", path=path)
    data = load_toml(path)
    ensure_valid("analysis/analyses.toml", path, data)
    loc = Locator(path)
    table = data.get("analyses")  # the schema has refused other top-level keys and a non-table
    if not table:
        raise InputError("no analyses defined; add an [analyses.NAME] table", path=path)
    arms = _arms(project)
    return [_parse_one(name, raw, arms, loc) for name, raw in table.items()]
