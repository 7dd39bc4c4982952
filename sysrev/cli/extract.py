"""``sysrev extract``: check the extraction files, compare two extractors, and derive values with provenance.

The checker, the comparison and the project lock are imported by the commands that use them, so
``sysrev extract --help`` stays fast (benchmarks/cli_help.py).
"""

from __future__ import annotations

import csv
import io
import warnings
from collections import Counter
from pathlib import Path

import click

from sysrev.cli.options import files_project_option, named_project, project_option, writing_under
from sysrev.errors import SysrevError
from sysrev.extraction.table import COLUMNS, format_number, read_outcome_rows, write_outcome_rows
from sysrev.project import load_project
from sysrev.wording import counted


class _Conversions:
    """:mod:`sysrev.extraction.conversions`, imported on first use: it needs scipy, which ``sysrev extract
    --help`` and ``extract check`` do not (the help of a command group stays fast)."""

    def __getattr__(self, name):
        from sysrev.extraction import conversions

        return getattr(conversions, name)


cv = _Conversions()


@click.group()
def extract():
    """Data extraction (analysis/extraction/*.csv): check, compare, convert."""


@extract.command("check")
@click.option("--quiet", is_flag=True, help="Print errors and the summary only (not pending cells or warnings).")
@project_option
def check(quiet, project_dir):
    """Report missing cells (PENDING), impossible values and scale conflicts; exit 2 on errors."""
    from sysrev.extraction.check import ERROR, PENDING, WARNING, check_project

    project = load_project(project_dir)
    findings = check_project(project)
    order = {ERROR: 0, WARNING: 1, PENDING: 2}
    for finding in sorted(findings, key=lambda f: (order[f.severity], str(f.path), f.line or 0)):
        if not quiet or finding.severity == ERROR:
            click.echo(str(finding))
    counts = Counter(f.severity for f in findings)
    click.echo(f"{project.extraction_dir}: {counted(counts[ERROR], 'error')}, {counted(counts[WARNING], 'warning')}, "
               f"{counted(counts[PENDING], 'row')} with pending (unknown) cells")
    from sysrev.living.status import stage_pending_lines

    for line in stage_pending_lines(project, "extraction"):
        click.echo(line)
    if counts[ERROR]:
        raise SysrevError(f"{counted(counts[ERROR], 'error')} in the extraction files")


@extract.command("compare")
@click.argument("a", type=click.Path(exists=True))
@click.argument("b", type=click.Path(exists=True))
@click.option("--out", type=click.Path(), default=None,
              help="Write the consensus file (a folder of them when A and B are extractor folders).")
@click.option("--report", type=click.Path(dir_okay=False), default=None,
              help="Write the discrepancies as CSV (key columns, column, value A, value B).")
@files_project_option
def compare(a, b, out, report, project_dir):
    """Compare two extractors' files (or extractor folders, studies.csv included) cell by cell."""
    from sysrev.extraction.compare import compare_paths

    with writing_under(named_project(project_dir) if out or report else None):
        results = compare_paths(a, b, out, report)
    total = 0
    for name, comparison in results:
        agreement = comparison.agreement
        pct = f"{agreement:.0%}" if agreement is not None else "n/a"
        click.echo(f"{name}: {comparison.cells_agreed}/{comparison.cells_compared} value cells agree ({pct}), "
                   f"{len(comparison.discrepancies)} discrepancy(ies)")
        for d in comparison.discrepancies:
            click.echo(f"  {' / '.join(k for k in d.key if k)}: {d.column}: {comparison.name_a}={d.a or '(empty)'}  "
                       f"{comparison.name_b}={d.b or '(empty)'}")
        total += len(comparison.discrepancies)
    if out:
        click.echo(f"consensus written to {out}; disagreements are left empty and marked [DISAGREEMENT] in the note")
    if report:
        click.echo(f"discrepancy report written to {report}")
    click.echo(f"{total} discrepancy(ies) in total")


# ------------------------------------------------------------------------------------------------ convert

# Options that place the derived values in an extraction row (a table, as meta_options' analysis options: the
# options are built once, at import).
_ROW_OPTIONS = (
    click.option("--study", default="", help="Study label, e.g. 'Park 2013'."),
    click.option("--outcome", default="", help="Outcome name (review.toml [[outcomes]] name)."),
    click.option("--item", default="", help="Sub-outcome, e.g. a complication type."),
    click.option("--timepoint", default=""),
    click.option("--arm", default="", help="Arm label (review.toml [arms])."),
    click.option("--scale", default=""),
    click.option("--source", default="", help="Page, table or figure the reported numbers come from."),
    click.option("--source-url", default=""),
    click.option("--note", default=""),
    click.option("--append", type=click.Path(dir_okay=False), default=None,
                 help="Append the row to this extraction CSV (created when missing; a row with the same key is "
                      "refused)."),
)


def _row_options(f):
    """Decorate a command with the options that place the derived values in an extraction row."""
    for option in reversed(_ROW_OPTIONS):
        f = option(f)
    return f


def _convert_options(f):
    """The row options, and --project for the conversions (which need no project, but check a row appended
    for one against it)."""
    return files_project_option(_row_options(f))


@extract.group()
def convert():
    """Derive n / mean / SD / events from reported statistics; prints an extraction row with raw + method."""


def _emit(derived: cv.Derived, opts: dict, keep=("n", "mean", "sd", "events")):
    cells = {c: "" for c in COLUMNS}
    for column in ("study", "outcome", "item", "timepoint", "arm", "scale", "source", "source_url", "note"):
        cells[column] = opts.get(column) or ""
    for column in keep:
        if column in derived.values:
            cells[column] = format_number(round(derived.values[column], 6))
    cells["raw"], cells["method"] = derived.raw, derived.method
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(cells)
    click.echo(buf.getvalue(), nl=False)
    extras = {k: v for k, v in derived.values.items() if k not in COLUMNS}
    if extras:
        click.echo("# also: " + ", ".join(f"{k}={v:.4g}" for k, v in extras.items()), err=True)
    if opts.get("append"):
        _append(Path(opts["append"]), cells, named_project(opts.get("project_dir")))


def _append(path: Path, cells: dict, project=None):
    """Append ``cells`` to the extraction CSV at ``path``; with a ``project``, its outcome and arm must be
    the project's (review.toml [[outcomes]] and [arms]) and the project's lock is held while writing."""
    from sysrev.locking import lock_for_path

    for column in ("study", "outcome", "arm"):
        if not cells[column]:
            raise SysrevError(f"--append needs --{column}")
    if project is not None:
        _check_against_project(cells, project)
    with writing_under(project), lock_for_path(path):  # read-modify-write of a project file
        rows = _rows_to_rewrite(path)
        key = tuple(cells[c] for c in ("study", "outcome", "item", "timepoint", "arm"))
        clash = next((r for r in rows if r.key == key), None)
        if clash:
            raise SysrevError(f"{path} line {clash.line} already holds this study/outcome/item/timepoint/arm; "
                              "edit that row instead")
        write_outcome_rows(path, [*rows, cells])
    click.echo(f"appended to {path}", err=True)



def _rows_to_rewrite(path: Path) -> list:
    """The rows of the table ``--append`` rewrites. A table whose last row has no line break after it is
    refused here, where a reader only warns: the rewrite ends that row with a line break, and a value cut off
    by an interrupted copy would then look complete for good."""
    from sysrev.hand_tables import CutOffWarning

    if not path.exists():
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("error", CutOffWarning)
        try:
            return read_outcome_rows(path)
        except CutOffWarning as warning:
            raise SysrevError(f"{warning}; --append rewrites the file, so nothing was appended") from None


def _check_against_project(cells: dict, project) -> None:
    """A row for the project names one of its outcomes and one of its two arms (typos become errors here, not
    rows that no analysis reads)."""
    outcomes = [o.get("name") for o in project.config.get("outcomes", []) if o.get("name")]
    if outcomes and cells["outcome"] not in outcomes:
        raise SysrevError(f"--outcome {cells['outcome']!r} is not an outcome of review.toml (one of: "
                          f"{', '.join(outcomes)})")
    arms = project.config.get("arms", {})
    labels = [arms[key] for key in ("group1", "group2") if arms.get(key)]
    if labels and cells["arm"] not in labels:
        raise SysrevError(f"--arm {cells['arm']!r} is not an arm of review.toml [arms] (one of: {', '.join(labels)})")

@convert.command("sd-from-se")
@click.option("--se", type=float, required=True, help="Standard error of the group mean.")
@click.option("--n", type=float, required=True, help="Group size.")
@click.option("--mean", type=float, default=None, help="The group mean, copied into the row.")
@_convert_options
def sd_from_se(se, n, mean, **opts):
    """SD = SE × √n (Cochrane Handbook v6 §6.5.2.2)."""
    d = cv.sd_from_se(se, n)
    if mean is not None:
        d = cv.Derived(d.values | {"mean": mean}, d.raw + f"; mean={format_number(mean)}", d.method)
    _emit(d, opts)


@convert.command("sd-from-ci")
@click.option("--lower", type=float, required=True)
@click.option("--upper", type=float, required=True)
@click.option("--n", type=float, required=True, help="Group size.")
@click.option("--level", type=float, default=95, show_default=True, help="Confidence level (%).")
@click.option("--distribution", type=click.Choice(["auto", "t", "z"]), default="auto", show_default=True,
              help="auto: t with n−1 df below 60 per group, normal from 60 up (Handbook §6.5.2.2).")
@_convert_options
def sd_from_ci(lower, upper, n, level, distribution, **opts):
    """SD from the CI of a group mean (Cochrane Handbook v6 §6.5.2.2); mean = CI midpoint."""
    _emit(cv.sd_from_ci(lower, upper, n, level, distribution), opts)


@convert.command("sd-from-p")
@click.option("--md", type=float, required=True, help="Difference in means (group 1 − group 2).")
@click.option("--p", type=float, required=True, help="Two-sided P value of the t test.")
@click.option("--n1", type=float, required=True)
@click.option("--n2", type=float, required=True)
@_convert_options
def sd_from_p(md, p, n1, n2, **opts):
    """SD (both groups) from a P value for a difference in means (Cochrane Handbook v6 §6.5.2.3)."""
    _emit(cv.sd_from_p(md, p, n1, n2), opts, keep=("sd",))


@convert.command("sd-from-t")
@click.option("--md", type=float, required=True, help="Difference in means (group 1 − group 2).")
@click.option("--t", "t_value", type=float, required=True, help="Two-sample t statistic.")
@click.option("--n1", type=float, required=True)
@click.option("--n2", type=float, required=True)
@_convert_options
def sd_from_t(md, t_value, n1, n2, **opts):
    """SD (both groups) from a t statistic for a difference in means (Cochrane Handbook v6 §6.5.2.3)."""
    _emit(cv.sd_from_t(md, t_value, n1, n2), opts, keep=("sd",))


@convert.command("sd-from-md-ci")
@click.option("--lower", type=float, required=True)
@click.option("--upper", type=float, required=True)
@click.option("--n1", type=float, required=True)
@click.option("--n2", type=float, required=True)
@click.option("--level", type=float, default=95, show_default=True)
@click.option("--distribution", type=click.Choice(["auto", "t", "z"]), default="auto", show_default=True)
@_convert_options
def sd_from_md_ci(lower, upper, n1, n2, level, distribution, **opts):
    """SD (both groups) from the CI of a difference in means (Cochrane Handbook v6 §6.5.2.3)."""
    _emit(cv.sd_from_md_ci(lower, upper, n1, n2, level, distribution), opts, keep=("sd",))


@convert.command("median-iqr")
@click.option("--median", type=float, required=True)
@click.option("--q1", type=float, required=True)
@click.option("--q3", type=float, required=True)
@click.option("--n", type=float, required=True)
@_convert_options
def median_iqr(median, q1, q3, n, **opts):
    """Mean (Luo 2018) and SD (Wan 2014) from median, quartiles and n."""
    _emit(cv.mean_sd_from_median_iqr(median, q1, q3, n), opts)


@convert.command("median-range")
@click.option("--median", type=float, required=True)
@click.option("--min", "minimum", type=float, required=True)
@click.option("--max", "maximum", type=float, required=True)
@click.option("--n", type=float, required=True)
@_convert_options
def median_range(median, minimum, maximum, n, **opts):
    """Mean (Luo 2018) and SD (Wan 2014) from median, minimum, maximum and n."""
    _emit(cv.mean_sd_from_median_range(median, minimum, maximum, n), opts)


@convert.command("median-iqr-range")
@click.option("--median", type=float, required=True)
@click.option("--q1", type=float, required=True)
@click.option("--q3", type=float, required=True)
@click.option("--min", "minimum", type=float, required=True)
@click.option("--max", "maximum", type=float, required=True)
@click.option("--n", type=float, required=True)
@_convert_options
def median_iqr_range(median, q1, q3, minimum, maximum, n, **opts):
    """Mean (Luo 2018) and SD (Wan 2014) from the five-number summary and n."""
    _emit(cv.mean_sd_from_five_numbers(median, q1, q3, minimum, maximum, n), opts)


@convert.command("combine-arms")
@click.option("--n1", type=float, required=True)
@click.option("--mean1", type=float, default=None)
@click.option("--sd1", type=float, default=None)
@click.option("--events1", type=float, default=None)
@click.option("--n2", type=float, required=True)
@click.option("--mean2", type=float, default=None)
@click.option("--sd2", type=float, default=None)
@click.option("--events2", type=float, default=None)
@_convert_options
def combine_arms(n1, mean1, sd1, events1, n2, mean2, sd2, events2, **opts):
    """Two arms as one: continuous (Handbook v6 Table 6.5.a) or dichotomous (events and n added)."""
    continuous = [mean1, sd1, mean2, sd2]
    if all(v is not None for v in continuous):
        _emit(cv.combine_groups(n1, mean1, sd1, n2, mean2, sd2), opts)
    elif events1 is not None and events2 is not None and all(v is None for v in continuous):
        _emit(cv.combine_events(events1, n1, events2, n2), opts)
    else:
        raise SysrevError("give --mean1 --sd1 --mean2 --sd2 (continuous) or --events1 --events2 (dichotomous)")


@convert.command("change-sd")
@click.option("--sd-baseline", type=float, required=True)
@click.option("--sd-final", type=float, required=True)
@click.option("--r", "correlation", type=float, required=True,
              help="Correlation between baseline and final values (from the trial or a similar one).")
@click.option("--mean-change", type=float, default=None, help="The mean change, copied into the row.")
@click.option("--n", type=float, default=None)
@_convert_options
def change_sd(sd_baseline, sd_final, correlation, mean_change, n, **opts):
    """SD of the change from baseline (Cochrane Handbook v6 §6.5.2.8); the row's method carries the
    change-from-baseline marker so it is never mixed silently with final values."""
    d = cv.change_sd(sd_baseline, sd_final, correlation)
    values = d.values | ({"mean": mean_change} if mean_change is not None else {}) | ({"n": n} if n else {})
    _emit(cv.Derived(values, d.raw, "change from baseline: " + d.method), opts)


# ------------------------------------------------------------------------------------------------ from-table

@extract.command("from-table")
@click.argument("record_id")
@click.argument("table_name", metavar="TABLE")
@click.option("--row", required=True, help="The row: its label as printed, or its number in `fulltext show`.")
@click.option("--n", "n_column", default=None, metavar="COLUMN", help="Column holding the arm's n.")
@click.option("--mean", "mean_column", default=None, metavar="COLUMN", help="Column holding the mean.")
@click.option("--sd", "sd_column", default=None, metavar="COLUMN", help="Column holding the SD.")
@click.option("--mean-sd", "mean_sd_column", default=None, metavar="COLUMN",
              help="Column holding 'mean ± SD' or 'mean (SD)' in one cell.")
@click.option("--events", "events_column", default=None, metavar="COLUMN", help="Column holding the events.")
@click.option("--yes", is_flag=True, help="Append without asking (you have checked the values against the paper).")
@_row_options
@project_option
def from_table(record_id, table_name, row, n_column, mean_column, sd_column, mean_sd_column, events_column, yes,
               project_dir, **opts):
    """Pick an arm's numbers from a table of the paper's full text (JATS), with the cell-level source.

    COLUMN is a header as printed (the lowest header, or the full path 'Ultrasound / Mean') or a column
    number from `sysrev fulltext show`. The row is printed for a person to check; with --append it is
    added after confirmation.
    """
    from sysrev.fulltext.jats import find_table
    from sysrev.fulltext.paper import paper_tables
    from sysrev.fulltext.pick import pick_values, provenance

    project = load_project(project_dir)
    entry, tables = paper_tables(project, record_id)
    table = find_table(tables, table_name)
    chosen = {name: column for name, column in (("n", n_column), ("mean", mean_column), ("sd", sd_column),
                                               ("mean_sd", mean_sd_column), ("events", events_column)) if column}
    values, cells = pick_values(table, row, chosen)
    row_cells = {c: "" for c in COLUMNS}
    for column in ("study", "outcome", "item", "timepoint", "arm", "scale", "note"):
        row_cells[column] = opts.get(column) or ""
    for name, value in values.items():
        row_cells[name] = format_number(value)
    row_cells["source"] = opts.get("source") or provenance(record_id, table, cells)
    row_cells["source_url"] = opts.get("source_url") or entry.url or entry.doi_link
    row_cells["raw"] = "; ".join(f"{c.field}: {c.text}" for c in cells)
    for cell in cells:
        click.echo(f"# {cell.field}: {table.label}, row {cell.row_label!r}, column {cell.column!r}: {cell.text!r}",
                   err=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row_cells)
    click.echo(buf.getvalue(), nl=False)
    if opts.get("append"):
        if not yes and not click.confirm(f"Append this row to {opts['append']}?", default=False, err=True):
            raise SysrevError("nothing written: the row was not confirmed")
        _append(Path(opts["append"]), row_cells, project)
