"""`sysrev meta cumulative`: a cumulative meta-analysis (metafor's cumul()) as a table, JSON and a plot."""

import json

import click

from sysrev.cli.meta_options import analysis_options, in_data_file, resolve_input, study_order


@click.command()
@analysis_options
@click.option("--order-by", "order_by", metavar="COLUMN", default="year", show_default=True,
              help="Order studies by this column (numbers such as a year, or YYYY-MM-DD dates); with --analysis, "
                   "a column of studies.csv (e.g. year, entered).")
@click.option("--descending", is_flag=True, help="Add studies from the largest order value down.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (docs/meta.md lists the fields).")
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Write the cumulative forest plot (.png, .svg or .pdf).")
def cumulative(data_csv, analysis_name, project_dir, measure, method, model, tau2, ci, smd, zero, level, order_by,
               descending, as_json, plot):
    """Cumulative meta-analysis: pool again each time one more study is added, in order of a column.

    DATA.csv has the columns of `sysrev meta pool` plus the order column (default `year`); or use --analysis
    NAME for a project analysis, ordered by a studies.csv column. Each line is the pooled result of the
    studies so far, with the same settings as the whole analysis; identical to metafor's cumul().
    """
    from sysrev.errors import InputError
    from sysrev.meta import meta_analysis
    from sysrev.meta.cumulative import cumulative_analysis, format_cumulative_table

    if plot:
        from sysrev.meta.plots import plot_format

        plot_format(plot)
    options = {"measure": measure, "method": method, "model": model, "tau2": tau2, "ci": ci, "smd": smd,
               "zero": zero, "level": level}
    frame, lines, source, kwargs, studies, project = resolve_input(data_csv, analysis_name, project_dir, options)
    try:
        values = study_order(frame, data_csv, project, studies, order_by)
        result = meta_analysis(frame, **kwargs)
        summary = cumulative_analysis(result, values, order_by=order_by, descending=descending).to_dict()
    except InputError as exc:
        raise in_data_file(exc, data_csv, lines) from None
    if plot:
        from sysrev.meta.plots.cumulative import cumulative_plot

        cumulative_plot(summary, plot, title=f"Cumulative meta-analysis of {source}")
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        click.echo(format_cumulative_table(summary), nl=False)
