"""The screening report: one self-contained HTML page with the PRISMA 2020 flow, each stage's progress and
the reviewers' agreement, all derived from the review's files (nothing typed).

What a reader finds, top to bottom:

* the PRISMA 2020 diagram (inline SVG) and its counts — while screening is unfinished, the counts so far,
  marked in progress with what is still awaited — or the reasons the counts do not add up (the same checks
  as ``sysrev prisma``);
* per stage: records, decided (by decision), conflicts, awaiting a second reviewer, unscreened, reconciled;
  one row per reviewer (screened, left, include/exclude/maybe);
* per stage and pair of reviewers, on the records both screened: n, the cross-table of their decisions,
  percent agreement, Cohen's kappa with its 95% CI, PABAK and Gwet's AC1 (:mod:`sysrev.screening.summary`),
  and one sentence ready for the methods section;
* per stage, how records were ordered (relevance model, random draws, file order; the model and its
  settings) and the team's recorded stopping decisions with the stopping test's figures, as sentences for
  the methods section (:mod:`sysrev.screening.prioritisation`);
* rows of the logs that could not be counted, with file and line.

The page holds no timestamp, so re-running it on unchanged files gives the same bytes (git shows no change).
"""

from html import escape

from sysrev.report.prisma import PrismaError, prisma_counts
from sysrev.screening.config import DECISIONS, STAGES
from sysrev.screening.log import grouped
from sysrev.screening.prioritisation import methods_sentences
from sysrev.screening.state import load_screening
from sysrev.screening.summary import stage_summary
from sysrev.wording import counted, verb

STAGE_TITLE = {"title_abstract": "Title and abstract screening", "full_text": "Full-text screening"}
_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.diagram svg { max-width: 100%; height: auto; }
.problem { color: #a00; }
"""


def screening_report(project, *, previous_studies=None, previous_reports=None, screening=None) -> str:
    """The report of ``project`` as an HTML document; ``screening`` is the project's screening state when the
    caller has read it already (leniently, so that rows that cannot be counted are listed in the report)."""
    screening = screening if screening is not None else load_screening(project, strict=False)
    title = (project.config.get("review") or {}).get("title") or project.root.name
    parts = [f"<h1>Screening report: {escape(str(title))}</h1>", _prisma_section(project, screening,
                                                                                 previous_studies,
                                                                                 previous_reports)]
    for stage in STAGES:
        parts.append(_stage_section(stage_summary(screening, stage)))
        sentences = methods_sentences(project, screening, stage)
        if sentences:
            parts.append(f"<h3>Prioritisation and stopping</h3><p>{escape(' '.join(sentences))}</p>")
    if screening.problems:
        items = "".join(f"<li>{escape(line)}</li>" for line in grouped(screening.problems))
        parts.append(f'<h2>Rows not counted</h2><ul class="problem">{items}</ul>')
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Screening report: {escape(str(title))}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def methods_sentence(stage_label, pair) -> str:
    """One sentence on a pair's agreement, e.g. for the methods or results section."""
    a, b = pair["reviewers"]
    text = (f"At {stage_label}, {a} and {b} both screened {pair['n']} record{'s' if pair['n'] != 1 else ''} "
            f"and agreed on {100 * pair['percent_agreement']:.1f}%")
    if pair["kappa"] is None:
        text += " (Cohen's kappa undefined: both used a single category)"
    else:
        text += (f" (Cohen's κ = {pair['kappa']:.2f}, 95% CI {pair['kappa_ci_low']:.2f} to "
                 f"{pair['kappa_ci_high']:.2f}")
        text += f"; PABAK = {pair['pabak']:.2f}; Gwet's AC1 = {pair['ac1']:.2f})"
    return text + "."


def _prisma_section(project, screening, previous_studies, previous_reports) -> str:
    if screening.problems:
        return ('<h2>PRISMA 2020 flow</h2><p class="problem">Not drawn: some log rows cannot be counted '
                "(listed at the end).</p>")
    try:
        counts = prisma_counts(project, previous_studies=previous_studies, previous_reports=previous_reports,
                               screening=screening)  # no rows it cannot count (above): the strict reading
    except PrismaError as exc:
        return (f'<h2>PRISMA 2020 flow</h2><p class="problem">Not drawn yet: the counts do not add up.</p>'
                f"<pre>{escape(str(exc))}</pre>")
    rows = [("Records identified", counts.identified_total),
            *[(f"— {name}", k) for name, k in counts.from_databases.items()],
            *[(f"— {name} (register)", k) for name, k in counts.from_registers.items()],
            ("Duplicate records removed", counts.duplicates_removed),
            ("Records screened", counts.records_screened), ("Records excluded", counts.records_excluded),
            ("Reports sought for retrieval", counts.reports_sought),
            ("Reports not retrieved", counts.reports_not_retrieved),
            ("Reports assessed for eligibility", counts.reports_assessed),
            *[(f"— excluded: {reason}", k) for reason, k in counts.reports_excluded.items()],
            ("Studies included", counts.studies_included), ("Reports of included studies", counts.reports_included)]
    if counts.in_progress:
        rows += [("Records awaiting a decision", counts.records_awaiting),
                 ("Reports awaiting a decision", counts.reports_awaiting)]
    if counts.previous_studies is not None:
        rows += [("Studies in the previous version", counts.previous_studies),
                 ("Total studies included", counts.total_studies)]
    from sysrev.report.prisma_diagram import prisma_svg  # matplotlib loads only when a report is written

    svg = prisma_svg(counts)
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype inside HTML
    progress = ""
    if counts.in_progress:
        items = "".join(f"<li>{escape(detail)}</li>" for detail in counts.awaiting_detail)
        progress = (f'<p class="problem">In progress: screening is not finished; the boxes show the counts so '
                    f"far.</p><ul>{items}</ul>")
    return (f'<h2>PRISMA 2020 flow</h2>{progress}<div class="diagram">{svg}</div>'
            f"{_table(['Box', 'n'], rows)}")


def _stage_section(s) -> str:
    label = STAGE_TITLE[s["stage"]]
    short = "title/abstract" if s["stage"] == "title_abstract" else "full text"
    decided = ", ".join(f"{k} {v}" for k, v in s["decisions"].items())
    parts = [f"<h2>{label}</h2>",
             _table(["Records", "Decided", "Conflicts", "Awaiting another reviewer", "Unscreened", "Reconciled"],
                    [(s["records"], f"{s['decided']} ({decided})", s["conflicts"],
                      s["awaiting_second_reviewer"], s["unscreened"], s["reconciled"])])]
    if s["reviewers"]:
        parts.append(f"<p>Decisions count once {counted(s['reviewers_per_record'], 'reviewer')} "
                     f"{verb(s['reviewers_per_record'], 'agrees', 'agree')} "
                     "(review.toml [screening] reviewers_per_record).</p>")
        parts.append(_table(["Reviewer", "Screened", "Left", *DECISIONS],
                            [(name, r["screened"], r["left"], *(r[d] for d in DECISIONS))
                             for name, r in s["reviewers"].items()]))
    for pair in s["agreement"]:
        a, b = pair["reviewers"]
        cats = pair["categories"]
        cross = _table([f"{a} ↓ / {b} →", *cats],
                       [(cat, *row) for cat, row in zip(cats, pair["table"])])
        kappa = ("undefined" if pair["kappa"] is None else
                 f"{pair['kappa']:.3f} (95% CI {pair['kappa_ci_low']:.3f} to {pair['kappa_ci_high']:.3f})")
        stats = _table(["Records both screened", "Percent agreement", "Cohen's kappa", "PABAK", "Gwet's AC1"],
                       [(pair["n"], f"{100 * pair['percent_agreement']:.1f}%", kappa, f"{pair['pabak']:.3f}",
                         f"{pair['ac1']:.3f}")])
        parts.append(f"<h3>Agreement: {escape(a)} × {escape(b)}</h3>{cross}{stats}"
                     f"<p>{escape(methods_sentence(short, pair))}</p>")
    if not s["agreement"]:
        parts.append("<p>No two reviewers have screened the same record at this stage: no agreement to report.</p>")
    return "\n".join(parts)


def _table(header, rows) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
