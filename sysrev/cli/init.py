"""`sysrev init [DIR]`: start a new review project, asking for what is not given as an option."""

import sys
from pathlib import Path

import click

from sysrev.init_project import API_DATABASES, Answers, Outcome, create_project


def _ask(value, prompt, default, interactive):
    """An option's value, or the answer to ``prompt`` (interactive), or ``default``."""
    if value not in (None, ()):
        return value
    if not interactive:
        return default
    try:
        return click.prompt(prompt, default=default, show_default=bool(default))
    except click.Abort:
        if sys.stdin.isatty():  # Ctrl-C or Ctrl-D at the terminal: the user chose to stop
            raise
        # Run from a script or a pipe that has run out of answers: say how to go on instead of "Aborted!".
        raise click.UsageError(f"no answer to '{prompt}' (the input ended); give it as an option, or --no-input "
                               "to take the defaults for whatever is not given") from None


def _many(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@click.command("init")
@click.argument("directory", default=None, required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--project", "project_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to create the project in, as for every command; the same as DIRECTORY.")
@click.option("--title", help="Title of the review.")
@click.option("--question", help="The review question in one sentence.")
@click.option("--population", help="PICO: population.")
@click.option("--intervention", help="PICO: intervention (the experimental arm, group 1).")
@click.option("--comparator", help="PICO: comparator (the control arm, group 2).")
@click.option("--database", "databases", multiple=True,
              help=f"A database searched (repeat): {', '.join(API_DATABASES)} run through their APIs; any other "
                   "name (e.g. 'Cochrane CENTRAL') gets a strategy for an export imported by hand. "
                   "Default: pubmed, scopus.")
@click.option("--reviewer", "reviewers", multiple=True, help="A screening reviewer (repeat). Default: reviewer1, "
                                                             "reviewer2 (dual screening).")
@click.option("--outcome", "outcomes", multiple=True, metavar="NAME[:TYPE[:SCALE]]",
              help="An outcome (repeat): TYPE continuous (default) or dichotomous, SCALE as written in "
                   "extraction rows, e.g. 'pain:continuous:VAS 0-10'.")
@click.option("--group1", help="Arm label of group 1 in extraction rows. Default: intervention.")
@click.option("--group2", help="Arm label of group 2 in extraction rows. Default: control.")
@click.option("--no-input", is_flag=True, help="Ask nothing: take the options given and defaults for the rest.")
@click.option("--no-git", is_flag=True, help="Do not run `git init`.")
def init(directory, project_dir, title, question, population, intervention, comparator, databases, reviewers,
         outcomes, group1, group2, no_input, no_git):
    """Create a review project in DIRECTORY (default: here): review.toml, a search strategy per database,
    analyses, extraction forms, .gitignore and a README for the team; `git init` if not in a repository."""
    if directory is not None and project_dir is not None and directory.resolve() != project_dir.resolve():
        raise click.UsageError(f"DIRECTORY {directory} and --project {project_dir} name different folders; give one")
    directory = directory or project_dir or Path(".")
    interactive = not no_input
    title = _ask(title, "Title of the review", directory.resolve().name.replace("-", " "), interactive)
    question = _ask(question, "Review question", "", interactive)
    population = _ask(population, "Population (P)", "", interactive)
    intervention = _ask(intervention, "Intervention (I)", "", interactive)
    comparator = _ask(comparator, "Comparator (C)", "", interactive)
    databases = list(databases) or _many(_ask(None, "Databases, comma-separated", "pubmed, scopus", interactive))
    reviewers = list(reviewers) or _many(_ask(None, "Reviewers, comma-separated", "reviewer1, reviewer2",
                                              interactive))
    outcome_text = list(outcomes) or _many(_ask(None, "Outcomes, comma-separated NAME:continuous|dichotomous",
                                                "primary outcome:continuous", interactive))
    answers = Answers(
        title=title, question=question, population=population, intervention=intervention, comparator=comparator,
        databases=databases, reviewers=reviewers, outcomes=[Outcome.parse(o) for o in outcome_text],
        group1=_ask(group1, "Arm label of group 1 (experimental)", "intervention", interactive),
        group2=_ask(group2, "Arm label of group 2 (control)", "control", interactive),
    )
    written = create_project(directory, answers, git=not no_git)
    click.echo(f"created the review project {directory.resolve()} ({len(written)} files)")
    click.echo("next: finish review.toml and the strategies in searches/, then `sysrev check`; README.md lists "
               "every step")
