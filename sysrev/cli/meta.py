"""`sysrev meta`: the meta-analysis engine on the command line."""

import json

import click

from sysrev.cli.meta_options import in_data_file
from sysrev.cli.options import AnyCaseChoice, files_project_option, named_project
from sysrev.errors import InputError


@click.group()
def meta():
    """Meta-analysis: pool effect sizes from a CSV (`pool`) or run a project's analyses (`run`)."""


def read_study_csv(path):
    """Read a study CSV as text cells, remembering each data row's line number for error messages.

    Returns ``(frame, lines)``; blank lines are skipped. Commas are expected; a header without commas but
    with semicolons or tabs (spreadsheet exports in some locales) is read with that delimiter. A file cut off
    is refused (:mod:`sysrev.hand_tables`).
    """
    import csv

    import pandas as pd

    from sysrev.hand_tables import check_table_end, read_table_text

    text = read_table_text(path)
    first = text.split("\n", 1)[0]
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    check_table_end(text, path, delimiter=delimiter)  # a last row cut off mid-value would change the result
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    header, rows, lines = None, [], []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                continue
            if len(record) != len(header):
                raise InputError(f"{len(record)} fields, but the header has {len(header)}", path=path,
                                 line=reader.line_num)
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None
    if header is None:
        raise InputError("the file is empty (expected a header row and one row per study)", path=path)
    if len(set(header)) != len(header):
        duplicate = next(name for name in header if header.count(name) > 1)
        raise InputError("the header names this column twice", path=path, line=1, column=duplicate)
    return pd.DataFrame(rows, columns=header, dtype=object), lines



def _arm_labels(project, label1, label2) -> tuple[str, str]:
    """The group names shown on the plot and table: as given, else the project's [arms] display names."""
    arms = project.config.get("arms", {}) if project is not None else {}
    default1 = arms.get("group1_label") or arms.get("group1") or "Group 1"
    default2 = arms.get("group2_label") or arms.get("group2") or "Group 2"
    return label1 or default1, label2 or default2

@meta.command()
@click.argument("data_csv", metavar="DATA.csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--measure", required=True, type=AnyCaseChoice(["MD", "SMD", "RR", "OR", "RD", "PETO", "GEN"]),
              help="Effect measure (group 1 vs group 2).")
@click.option("--method", type=AnyCaseChoice(["IV", "MH", "PETO"]), default=None,
              help="Pooling method [default: MH for RR/OR/RD, PETO for PETO, IV otherwise].")
@click.option("--model", type=AnyCaseChoice(["fixed", "random"]), default="fixed",
              show_default=True, help="Fixed-effect or random-effects model.")
@click.option("--tau2", type=AnyCaseChoice(["DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB"]),
              default="DL", show_default=True, help="τ² estimator for --model random.")
@click.option("--ci", type=AnyCaseChoice(["z", "hksj"]), default="z", show_default=True,
              help="Normal (z) or Hartung–Knapp–Sidik–Jonkman (t, k−1 df) intervals and test.")
@click.option("--smd", type=AnyCaseChoice(["revman", "exact"]), default="revman",
              show_default=True, help="Hedges' g: RevMan's approximation or metafor's exact correction.")
@click.option("--zero", type=AnyCaseChoice(["revman", "metafor"]), default="revman",
              show_default=True, help="Zero-cell and Mantel–Haenszel conventions (see docs/meta.md).")
@click.option("--subgroup", metavar="COLUMN", default=None, help="Analyse by the subgroups in this column.")
@click.option("--level", type=click.FloatRange(0, 100, min_open=True, max_open=True), default=95.0,
              show_default=True, help="Confidence level in percent.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (docs/meta.md lists the fields).")
@click.option("--forest", type=click.Path(dir_okay=False), default=None,
              help="Write a forest plot (.png, .svg or .pdf).")
@click.option("--funnel", type=click.Path(dir_okay=False), default=None,
              help="Write a funnel plot (.png, .svg or .pdf).")
@click.option("--leave-one-out", "leave_one_out", is_flag=True,
              help="Also repeat the analysis without each study in turn.")
@click.option("--bias", "small_study", is_flag=True,
              help="Also run Egger's and Begg's tests and trim-and-fill (needs at least 3 studies).")
@click.option("--label1", default=None, help="Name of group 1 (experimental) on the plot [default: the --project's "
                                             "[arms] group1_label, else 'Group 1'].")
@click.option("--label2", default=None, help="Name of group 2 (control) on the plot [default: the --project's "
                                             "[arms] group2_label, else 'Group 2'].")
@files_project_option
def pool(data_csv, measure, method, model, tau2, ci, smd, zero, subgroup, level, as_json, forest, funnel,
         leave_one_out, small_study, label1, label2, project_dir):
    """Pool the studies in DATA.csv (one row per study) and print the result.

    Columns: MD/SMD study,n1,mean1,sd1,n2,mean2,sd2; RR/OR/RD/PETO study,events1,n1,events2,n2; GEN
    study,yi,se (or study,yi,vi). Group 1 is the experimental arm. Bad input: an error naming the line and
    column, exit code 2, and no plot written.
    """
    from sysrev.meta import meta_analysis, sensitivity
    from sysrev.meta.table import format_leave_one_out, format_small_study_tests, format_table

    label1, label2 = _arm_labels(named_project(project_dir), label1, label2)
    if forest or funnel:
        from sysrev.meta.plots import plot_format

        for path in (forest, funnel):  # a bad second plot name must not leave the first plot written
            if path:
                plot_format(path)
    frame, lines = read_study_csv(data_csv)
    try:
        result = meta_analysis(frame, measure, method=method, model=model, tau2=tau2, ci=ci, smd=smd,
                               subgroup=subgroup, level=level, zero=zero)
    except InputError as exc:
        raise in_data_file(exc, data_csv, lines) from None
    summary = result.to_dict()
    if leave_one_out:
        summary["leave_one_out"] = sensitivity.leave_one_out(result)
    if small_study:
        summary["bias"] = sensitivity.small_study_tests(result)
    if forest or funnel:
        from sysrev.meta import plots

        if forest:
            plots.forest_plot(summary, forest, label1=label1, label2=label2)
        if funnel:
            plots.funnel_plot(summary, funnel)
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        click.echo(format_table(summary, label1, label2), nl=False)
        if leave_one_out:
            click.echo("\n" + format_leave_one_out(summary, summary["leave_one_out"]), nl=False)
        if small_study:
            click.echo("\n" + format_small_study_tests(summary, summary["bias"]), nl=False)


from sysrev.cli.meta_run import run  # noqa: E402  `sysrev meta run` (sysrev/analyses)

meta.add_command(run)

from sysrev.cli.meta_cumulative import cumulative  # noqa: E402  `sysrev meta cumulative`

meta.add_command(cumulative)

from sysrev.cli.meta_tsa import tsa  # noqa: E402  `sysrev meta tsa` (sysrev/living/sequential.py)

meta.add_command(tsa)
