"""`sysrev meta tsa`: trial sequential analysis of a study CSV or a project analysis."""

import json

import click

from sysrev.cli.meta_options import analysis_options, in_data_file, resolve_input, study_order


def _heterogeneity(value: str):
    if value.upper() in ("D2", "I2") or value.lower() == "none":
        return value
    try:
        return float(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not D2, I2, none or a number in [0, 1)") from None


@click.command()
@analysis_options
@click.option("--order-by", "order_by", metavar="COLUMN", default="year", show_default=True,
              help="Order of the looks: a column of DATA.csv (or, with --analysis, of studies.csv).")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05, show_default=True,
              help="Two-sided type I error.")
@click.option("--beta", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.2, show_default=True,
              help="Type II error (power 1 − β).")
@click.option("--rrr", type=float, default=None,
              help="Dichotomous: anticipated relative risk reduction (0.2 = 20%) [default: derived from --mid].")
@click.option("--control-rate", type=float, default=None,
              help="Dichotomous: control event proportion [default: observed in the control arms].")
@click.option("--mid", type=float, default=None,
              help="Minimal important (or anticipated) difference on the reporting scale, as `mid` in "
                   "analyses.toml: RR/OR 0.75 (or 1.33) anticipates a 25% relative risk reduction, RD −0.02 a fall "
                   "of 2 points from the control proportion; MD in the outcome's unit, SMD in SD units "
                   "[default: an analysis's mid].")
@click.option("--variance", type=float, default=None,
              help="Continuous MD: outcome variance [default: pooled from the studies].")
@click.option("--heterogeneity", "heterogeneity", default="D2", show_default=True,
              help="Adjust the information size for diversity D2, for I2, none, or by a given value in [0, 1).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (docs/meta.md lists the fields).")
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Write the Z curve against the boundaries (.png, .svg or .pdf).")
def tsa(data_csv, analysis_name, project_dir, measure, method, model, tau2, ci, smd, zero, level, order_by, alpha,
        beta, rrr, control_rate, mid, variance, heterogeneity, as_json, plot):
    """Trial sequential analysis: required information size, O'Brien–Fleming monitoring boundaries and the
    cumulative Z curve; says per analysis whether the evidence is firm or not yet.

    The studies are added in order of --order-by, as in `sysrev meta cumulative`, with the pooling options of
    `sysrev meta pool` (default: fixed effect; an analysis's own settings with --analysis).
    """
    from sysrev.errors import InputError
    from sysrev.living.sequential import Design, trial_sequential_analysis
    from sysrev.meta import meta_analysis

    if plot:
        from sysrev.meta.plots import plot_format

        plot_format(plot)
    options = {"measure": measure, "method": method, "model": model, "tau2": tau2, "ci": ci, "smd": smd,
               "zero": zero, "level": level}
    frame, lines, source, kwargs, studies, project = resolve_input(data_csv, analysis_name, project_dir, options)
    if project is not None and mid is None:  # the analysis's mid (reporting scale) is the default effect
        from sysrev.analyses.spec import load_analyses

        mid = next(s for s in load_analyses(project) if s.name == analysis_name).mid
    design = Design(alpha=alpha, beta=beta, rrr=rrr, control_rate=control_rate, difference=mid, variance=variance,
                    heterogeneity=_heterogeneity(heterogeneity))
    try:
        values = study_order(frame, data_csv, project, studies, order_by)
        result = meta_analysis(frame, **kwargs)
        summary = trial_sequential_analysis(result, values, design, order_by=order_by)
    except InputError as exc:
        raise in_data_file(exc, data_csv, lines) from None
    if plot:
        from sysrev.living.tsa_plot import tsa_plot

        tsa_plot(summary, plot, title=f"Trial sequential analysis of {source}")
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        click.echo(format_tsa(summary), nl=False)


def format_tsa(summary: dict) -> str:
    """The readable TSA report: assumptions, information size, one line per look, the verdict."""
    info = summary["information"]
    lines = [f"Trial sequential analysis ({summary['measure']}, {summary['model']}"
             + (f", {summary['tau2_method']}" if summary.get("tau2_method") else "") + ")"]
    if "rrr" in info:
        source = "" if info.get("mid") is None else f" (from mid = {info['mid']:g})"
        lines.append(f"Assumptions: control event proportion {info['control_rate']:.4g}"
                     + (" (observed)" if info["control_rate_observed"] else "")
                     + f", relative risk reduction {info['rrr']:.1%}{source}, alpha {info['alpha']:g}, "
                       f"beta {info['beta']:g}")
    else:
        lines.append(f"Assumptions: difference {info['difference']:g}, variance {info['variance']:.4g}"
                     + (" (observed)" if info.get("variance_observed") else "")
                     + f", alpha {info['alpha']:g}, beta {info['beta']:g}")
    adjustment = {"D2": "diversity D²", "I2": "I²", "none": "no adjustment", "given": "given adjustment"}
    lines.append(f"Required information size: {info['unadjusted']:,.0f} participants; "
                 f"{adjustment[info['adjustment']]} = {info['adjustment_value']:.1%} → {info['required']:,.0f}")
    lines.append("")
    rows = [("Study added", "Participants", "Fraction", "Z", "Boundary", "")]
    for look in summary["looks"]:
        bound = "—" if look["boundary"] is None else f"±{look['boundary']:.2f}"
        rows.append((look["study"], f"{look['participants']:,.0f}", f"{look['fraction']:.1%}", f"{look['z']:.2f}",
                     bound, "crossed" if look["crossed"] else ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    lines += ["", summary["verdict"]]
    return "\n".join(lines) + "\n"
