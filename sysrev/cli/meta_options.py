"""Options of the commands that run the pooling engine on a study CSV or a project analysis
(`sysrev meta cumulative`, `sysrev meta tsa`): the same analysis choices as `sysrev meta pool`."""

import click

from sysrev.cli.options import AnyCaseChoice, project_option

_ANALYSIS_OPTIONS = (
    click.argument("data_csv", metavar="[DATA.csv]", required=False, type=click.Path(exists=True, dir_okay=False)),
    click.option("--analysis", "analysis_name", metavar="NAME", default=None,
                 help="A project analysis (analysis/analyses.toml) instead of DATA.csv; its settings apply."),
    project_option,
    click.option("--measure", type=AnyCaseChoice(["MD", "SMD", "RR", "OR", "RD", "PETO", "GEN"]), default=None,
                 help="Effect measure (group 1 vs group 2); required with DATA.csv."),
    click.option("--method", type=AnyCaseChoice(["IV", "MH", "PETO"]), default=None,
                 help="Pooling method [default: MH for RR/OR/RD, PETO for PETO, IV otherwise]."),
    click.option("--model", type=AnyCaseChoice(["fixed", "random"]), default=None,
                 help="Fixed-effect or random-effects model [default: fixed; an analysis's own]."),
    click.option("--tau2", type=AnyCaseChoice(["DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB"]), default=None,
                 help="τ² estimator for --model random [default: DL; an analysis's own]."),
    click.option("--ci", type=AnyCaseChoice(["z", "hksj"]), default=None,
                 help="Normal (z) or Hartung–Knapp–Sidik–Jonkman intervals [default: z; an analysis's own]."),
    click.option("--smd", type=AnyCaseChoice(["revman", "exact"]), default=None,
                 help="Hedges' g formula [default: revman; an analysis's own]."),
    click.option("--zero", type=AnyCaseChoice(["revman", "metafor"]), default="revman", show_default=True,
                 help="Zero-cell and Mantel–Haenszel conventions (see docs/meta.md)."),
    click.option("--level", type=click.FloatRange(0, 100, min_open=True, max_open=True), default=None,
                 help="Confidence level in percent [default: 95; an analysis's own]."),
)


def analysis_options(function):
    """Decorate a command with DATA.csv / --analysis and the analysis choices."""
    for option in reversed(_ANALYSIS_OPTIONS):
        function = option(function)
    return function


def resolve_input(data_csv, analysis_name, project_dir, options: dict):
    """The study table and engine keyword arguments from DATA.csv or a project analysis.

    Returns ``(frame, lines, source, kwargs, studies_of_rows, project)``: ``lines`` are the CSV line numbers
    (None for an analysis), ``studies_of_rows`` the study label of each row of an analysis (which pools study ×
    time point rows; None for a CSV, whose rows are ordered by a column of their own) and ``project`` the
    loaded project (None for a CSV). Options given on the command line override an analysis's settings.
    """
    from sysrev.errors import SysrevError

    if (data_csv is None) == (analysis_name is None):
        raise SysrevError("give either DATA.csv or --analysis NAME (one of them)")
    if data_csv is not None:
        from sysrev.cli.meta import read_study_csv

        if options["measure"] is None:
            raise SysrevError("--measure is required with DATA.csv")
        frame, lines = read_study_csv(data_csv)
        kwargs = {key: value for key, value in options.items() if value is not None}
        return frame, lines, data_csv, kwargs, None, None
    from sysrev.analyses.study_order import analysis_rows
    from sysrev.project import load_project

    project = load_project(project_dir)
    spec, frame = analysis_rows(project, analysis_name)
    kwargs = {"measure": spec.measure, "method": spec.method, "model": spec.model, "tau2": spec.tau2,
              "ci": spec.ci, "smd": spec.smd, "level": spec.level}
    kwargs.update({key: value for key, value in options.items() if value is not None})
    studies = list(frame.pop("_study"))
    return frame, None, f"analysis '{analysis_name}'", kwargs, studies, project


def in_data_file(exc, data_csv, lines):
    """``exc``, the engine's error about a study table, placed in DATA.csv when the table came from one
    (``lines``: its rows' line numbers): a bad cell at its file, line and column, an error about a whole column
    on the header line. An analysis of a project (``lines`` None) keeps the places its own rows give."""
    from sysrev.errors import InputError
    from sysrev.meta.inputs import StudyDataError

    if lines is None:
        return exc
    if isinstance(exc, StudyDataError):
        return exc.located(data_csv, lines)
    if exc.path is None and exc.column is not None:
        return InputError(str(exc), path=data_csv, line=1)
    return exc


def study_order(frame, data_csv, project, studies, order_by) -> list:
    """The value each study is ordered by: a column of DATA.csv, or, for a project analysis, the study table's
    column or the year in the study label (:func:`sysrev.analyses.study_order.order_values`); ``entered`` is
    the date the study entered the review (:func:`sysrev.living.studies.entered_dates`)."""
    from sysrev.errors import InputError

    if project is None:
        if order_by not in frame.columns:
            raise InputError(f"no column '{order_by}' to order the studies by (use --order-by COLUMN)",
                             path=data_csv, line=1)
        return list(frame[order_by])
    if order_by == "entered":  # typed in studies.csv, else the day its first report was included
        from sysrev.living.studies import entered_dates

        return entered_dates(project, studies)
    from sysrev.analyses.study_order import order_values

    return order_values(project, studies, order_by)
