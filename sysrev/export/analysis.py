"""An analysis's data as a CSV, and the analysis as an R script that reproduces its pooled result with metafor.

The data are the comparisons the analysis pools (one row per study × time point or item, group 1 beside
group 2), with the values the studies *reported*: an analysis with ``pooled_sd = true`` exports each arm's
own SD, and the script pools them the way sysrev does (metafor's homoscedastic ``vtype = "HO"``).

The script embeds its data (``read.csv(text = …)``), so it runs anywhere with ``Rscript NAME.R``. It follows
the same conventions as sysrev, each spelled out in a comment: RevMan's Hedges' g for ``smd = "revman"``,
0.5 added to every cell of a study with a zero cell, double-zero studies dropped for RR and OR, RevMan's
τ² for Mantel–Haenszel random effects (DerSimonian–Laird from the Mantel–Haenszel Q). It prints metafor's
estimate, CI and τ² beside the figures sysrev computed.
"""

from __future__ import annotations

import csv
import io

from sysrev import __version__
from sysrev.analyses.assemble import assemble
from sysrev.analyses.run import pool
from sysrev.analyses.spec import AnalysisSpec, select_analyses
from sysrev.errors import SysrevError
from sysrev.extraction.table import load_extraction
from sysrev.meta.inputs import RATIO_MEASURES

CONTINUOUS_COLUMNS = ("n1", "mean1", "sd1", "n2", "mean2", "sd2")
DICHOTOMOUS_COLUMNS = ("events1", "n1", "events2", "n2")


def analysis_spec(project, name: str) -> AnalysisSpec:
    """The analysis called ``name``, or an error listing the analyses there are."""
    return select_analyses(project, [name])[0]


def analysis_rows(project, spec: AnalysisSpec) -> list[dict]:
    """The comparisons ``spec`` pools, with the values as reported; an error when there are none yet."""
    data = assemble(spec, load_extraction(project))
    if not data.complete:
        raise SysrevError(f"analysis {spec.name!r} has no complete comparison to export yet "
                          f"(`sysrev meta run {spec.name}` lists what is missing)")
    columns = CONTINUOUS_COLUMNS if spec.is_continuous else DICHOTOMOUS_COLUMNS
    rows = []
    for row in data.complete:
        reported = row.get("_reported", {})
        out = {"study": row["study"]}
        if spec.subgroup:
            out["subgroup"] = row["subgroup"]
        out.update({c: reported.get(c, row[c]) for c in columns})
        rows.append(out)
    return rows


def _number(value) -> str:
    """Counts without a decimal point, other values with every digit Python keeps (repr round-trips)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def data_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = list(rows[0])
    writer.writerow(header)
    for row in rows:
        writer.writerow([_number(row[c]) if c not in ("study", "subgroup") else row[c] for c in header])
    return buffer.getvalue()


def _effects(spec: AnalysisSpec) -> list[str]:
    if spec.measure == "SMD" and spec.smd == "revman":
        return [
            "# SMD as RevMan 5: Hedges' g with J = 1 - 3/(4N - 9), var = N/(n1 n2) + g^2/(2(N - 3.94))",
            "N <- dat$n1 + dat$n2",
            "sp <- sqrt(((dat$n1 - 1) * dat$sd1^2 + (dat$n2 - 1) * dat$sd2^2) / (N - 2))",
            "dat$yi <- (1 - 3 / (4 * N - 9)) * (dat$mean1 - dat$mean2) / sp",
            "dat$vi <- N / (dat$n1 * dat$n2) + dat$yi^2 / (2 * (N - 3.94))",
        ]
    if spec.measure == "SMD":
        return ["# SMD with the exact bias correction (metafor's default)",
                "dat <- escalc(measure = \"SMD\", m1i = mean1, sd1i = sd1, n1i = n1, m2i = mean2, sd2i = sd2, "
                "n2i = n2, data = dat)"]
    if spec.measure == "MD":
        vtype = '"HO"' if spec.pooled_sd else '"LS"'
        note = ("# pooled_sd = true: each study's variance from its pooled SD (homoscedastic, vtype HO)"
                if spec.pooled_sd else "# each arm's own SD")
        return [note, f"dat <- escalc(measure = \"MD\", m1i = mean1, sd1i = sd1, n1i = n1, m2i = mean2, "
                      f"sd2i = sd2, n2i = n2, data = dat, vtype = {vtype})"]
    measure = "OR" if spec.measure == "PETO" else spec.measure
    drop = "TRUE" if spec.measure in ("RR", "OR") else "FALSE"
    return ["# 0.5 added to every cell of a study with a zero cell; double-zero studies dropped for RR and OR",
            f"dat <- escalc(measure = \"{measure}\", ai = events1, n1i = n1, ci = events2, n2i = n2, data = dat, "
            f"add = 1/2, to = \"only0\", drop00 = {drop})"]


def _model(spec: AnalysisSpec) -> list[str]:
    level = f"level = {spec.level:g}"
    counts = "ai = events1, n1i = n1, ci = events2, n2i = n2, data = dat"
    if spec.method == "PETO":
        return [f"res <- rma.peto({counts}, {level})"]
    drop = "TRUE" if spec.measure in ("RR", "OR") else "FALSE"
    # RevMan adds 0.5 to the cells of a zero-cell study in the Mantel-Haenszel sums too (metafor by default not)
    mh = (f"rma.mh({counts}, measure = \"{spec.measure}\", add = c(1/2, 1/2), to = c(\"only0\", \"only0\"), "
          f"drop00 = c({drop}, {drop})")
    if spec.method == "MH" and spec.model == "fixed":
        return ["# Mantel-Haenszel with RevMan's 0.5 added to every cell of a study with a zero cell",
                f"res <- {mh}, {level})"]
    if spec.method == "MH":
        return [
            "# RevMan: DerSimonian-Laird tau^2 from the Mantel-Haenszel Q, then inverse-variance pooling",
            f"mh <- {mh})",
            "ok <- !is.na(dat$yi) & !is.na(dat$vi)",
            "w <- 1 / dat$vi[ok]",
            "Q <- sum(w * (dat$yi[ok] - as.numeric(mh$beta))^2)",
            "tau2 <- if (sum(ok) > 1) max(0, (Q - (sum(ok) - 1)) / (sum(w) - sum(w^2) / sum(w))) else 0",
            f"res <- rma(yi, vi, data = dat, tau2 = tau2, {level})",
        ]
    if spec.model == "fixed":
        return [f"res <- rma(yi, vi, data = dat, method = \"FE\", {level})"]
    test = ', test = "knha"' if spec.ci == "hksj" else ""
    return ["# iterative tau^2 estimators solved to 1e-12, as sysrev does (metafor's default tolerance is ~1e-4)",
            f"res <- rma(yi, vi, data = dat, method = \"{spec.tau2}\"{test}, {level},",
            "           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))"]


def _raw_string(text: str) -> str:
    """An R raw string literal holding ``text`` (R >= 4.0), with a delimiter the text does not contain."""
    dashes = "-"
    while f"]{dashes}\"" in text:
        dashes += "-"
    return f'r"{dashes}[\n{text}]{dashes}"'


def r_script(project, name: str) -> str:
    """The metafor script of analysis ``name`` (see the module docstring)."""
    spec = analysis_spec(project, name)
    rows = analysis_rows(project, spec)
    data = assemble(spec, load_extraction(project))
    result = pool(spec, data)
    ratio = spec.measure in RATIO_MEASURES
    back = "exp" if ratio else "identity"
    sysrev_tau2 = "NA" if result.get("tau2") is None else repr(result["tau2"])
    lines = [
        f"# Analysis '{spec.name}': {spec.title}",
        f"# Exported by sysrev {__version__} (`sysrev export r {spec.name}`) from {project.analyses_path.name}:",
        f"#   measure = {spec.measure}, method = {spec.method}, model = {spec.model}, tau2 = {spec.tau2}, "
        f"ci = {spec.ci}, smd = {spec.smd}, level = {spec.level:g}, pooled_sd = {str(spec.pooled_sd).lower()}",
        f"# Group 1 = {spec.group1_label or spec.group1}, group 2 = {spec.group2_label or spec.group2}; "
        "effects are group 1 vs group 2.",
        "# Every row of every subgroup is pooled together, as sysrev's (and RevMan's) overall estimate.",
        "# Run: Rscript " + f"{spec.name}.R",
        "",
        "suppressPackageStartupMessages(library(metafor))",
        f"dat <- read.csv(text = {_raw_string(data_csv(rows))}, check.names = FALSE, stringsAsFactors = FALSE)",
        "",
        *_effects(spec),
        *_model(spec),
        "",
        f"back <- {back}  # the reporting scale ({'ratios' if ratio else 'as analysed'})",
        "metafor <- c(estimate = back(as.numeric(res$beta)), ci_low = back(res$ci.lb), ci_high = back(res$ci.ub),",
        "             tau2 = if (is.null(res$tau2) || res$method %in% c(\"FE\", \"EE\", \"CE\")) NA else res$tau2)",
        f"sysrev <- c(estimate = {result['estimate']!r}, ci_low = {result['ci_low']!r}, "
        f"ci_high = {result['ci_high']!r}, tau2 = {sysrev_tau2})",
        "print(res)",
        "cat(sprintf(\"\\n%-8s %20s %20s\\n\", \"pooled\", \"metafor\", \"sysrev\"))",
        "for (name in names(metafor)) cat(sprintf(\"%-8s %20.10f %20.10f\\n\", name, metafor[[name]], sysrev[[name]]))",
    ]
    return "\n".join(lines) + "\n"
