"""`sysrev init`'s answers and files, exactly (mutation tests of the onboarding module): what each answer is
refused for, the outcome syntax, and what every file written holds."""

import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import SysrevError
from sysrev.init_project import Answers, Outcome, create_project, database_key, project_files


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": " \t"}, "the review needs a title (--title)"),
    ({"reviewers": []}, "name at least one reviewer (--reviewer NAME)"),
    ({"reviewers": ["ann", "b ob"]}, "reviewer 'b ob': use letters, digits, '.', '_' or '-' (it names a log file)"),
    ({"reviewers": ["-ann"]}, "reviewer '-ann': use letters, digits, '.', '_' or '-' (it names a log file)"),
    ({"reviewers": ["ann", "bob", "ann", "bob"]}, "reviewer 'ann' is given twice"),
    ({"databases": ["PubMed", "embase", "pubmed"]}, "database 'pubmed' is given twice"),
    ({"outcomes": [Outcome("pain"), Outcome("death"), Outcome("pain", "dichotomous")]},
     "outcome 'pain' is given twice"),
    ({"databases": []}, "name at least one database (--database pubmed, --database scopus, or any other)"),
    ({"outcomes": []}, "name at least one outcome (--outcome NAME:continuous or NAME:dichotomous)"),
    ({"group1": " "}, "the two arms need two different labels (--group1, --group2)"),
    ({"group2": ""}, "the two arms need two different labels (--group1, --group2)"),
    ({"group1": "same", "group2": "same"}, "the two arms need two different labels (--group1, --group2)"),
    # an outcome's name also names its extraction table and analysis: two names that give one file wrote an
    # analyses.toml that was no longer TOML, and "studies" replaced the study-characteristics table
    ({"outcomes": [Outcome("pain score"), Outcome("Pain_Score", "dichotomous")]},
     "outcomes 'pain score' and 'Pain_Score' would share the extraction table "
     "analysis/extraction/pain_score.csv and the analysis 'pain_score'; name them apart"),
    ({"outcomes": [Outcome("pain"), Outcome("Studies!")]},
     "outcome 'Studies!': its extraction table would be analysis/extraction/studies.csv, the table of study "
     "characteristics; name the outcome otherwise"),
])
def test_answers_that_would_make_an_unusable_project_are_refused(changes, message):
    answers = Answers(title="T", outcomes=[Outcome("pain")])
    for name, value in changes.items():
        setattr(answers, name, value)
    with pytest.raises(SysrevError) as info:
        project_files(answers)
    assert str(info.value) == message


def test_the_defaults_make_a_project():
    answers = Answers(title="T", outcomes=[Outcome("pain")])
    assert (answers.databases, answers.reviewers, answers.group1, answers.group2) == (
        ["pubmed", "scopus"], ["reviewer1", "reviewer2"], "intervention", "control")
    assert Answers(title="T").outcomes == [] and Answers(title="T").question == ""
    assert Answers(title="U").databases is not answers.databases  # each its own list
    assert "review.toml" in project_files(answers)


def fake_git(folder, init_stderr: str, init_exit: int) -> str:
    """A PATH holding only a `git` that is never inside a repository and whose `init` fails."""
    folder.mkdir()
    script = folder / "git"
    script.write_text(f'#!/bin/sh\n[ "$1" = init ] || exit 128\nprintf "{init_stderr}" >&2\nexit {init_exit}\n',
                      encoding="utf-8")
    script.chmod(0o755)
    return str(folder)


@pytest.mark.skipif(os.name != "posix", reason="the fake git is a shell script")
@pytest.mark.parametrize(("stderr", "code", "reason"), [
    ("fatal: cannot copy templates\\n", 128, "fatal: cannot copy templates"),
    ("", 3, "exit code 3"),
])
def test_a_failed_git_init_says_the_files_are_written(tmp_path, monkeypatch, stderr, code, reason):
    """`git init` failing ended `sysrev init` in a traceback, with the files already written."""
    monkeypatch.setenv("PATH", fake_git(tmp_path / "bin", stderr, code))
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "r"), "--no-input", "--outcome", "pain"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"error: the project's files are written, but `git init` failed in {tmp_path / 'r'}: "
                             f"{reason}; run it there yourself (`sysrev init --no-git` leaves git out)\n")
    assert (tmp_path / "r" / "review.toml").is_file()


@pytest.mark.parametrize(("text", "outcome", "file_name", "scale_name"), [
    ("pain", Outcome("pain", "continuous", ""), "pain", ""),
    ("pain:", Outcome("pain", "continuous", ""), "pain", ""),
    (" Pain (VAS) : Continuous : VAS 0-10 ", Outcome("Pain (VAS)", "continuous", "VAS 0-10"), "pain_vas", "VAS 0-10"),
    ("death:DICHOTOMOUS", Outcome("death", "dichotomous", ""), "death", "patients with event"),
    ("AE:dichotomous:events: any", Outcome("AE", "dichotomous", "events: any"), "ae", "events: any"),
    ("pain::VAS", Outcome("pain", "continuous", "VAS"), "pain", "VAS"),
    ("__Ödem__:continuous", Outcome("__Ödem__", "continuous", ""), "dem", ""),
    ("???", Outcome("???", "continuous", ""), "outcome", ""),
])
def test_an_outcome_is_name_type_and_scale(text, outcome, file_name, scale_name):
    parsed = Outcome.parse(text)
    assert parsed == outcome
    assert (parsed.file_name, parsed.scale_name) == (file_name, scale_name)


@pytest.mark.parametrize(("text", "message"), [
    (":continuous", "outcome ':continuous': give a name, e.g. pain:continuous"),
    ("", "outcome '': give a name, e.g. pain:continuous"),
    ("pain:ordinal:x", "outcome 'pain:ordinal:x': type must be continuous or dichotomous, not 'ordinal'"),
])
def test_an_outcome_without_a_name_or_with_another_type_is_refused(text, message):
    with pytest.raises(SysrevError) as info:
        Outcome.parse(text)
    assert str(info.value) == message


@pytest.mark.parametrize(("name", "key"), [
    ("PubMed", "pubmed"), (" Cochrane CENTRAL ", "cochrane-central"), ("Web of Science (Core)", "web-of-science-core"),
    ("--", "database"),
])
def test_a_database_names_its_strategy_file(name, key):
    assert database_key(name) == key


ANSWERS = Answers(title="T", question="Q?", population="adults in Österreich", intervention="Drug X-ray therapy",
                  comparator="a placebo", databases=["PubMed", "scopus", "Cochrane CENTRAL"],
                  reviewers=["Ann", "b.o_b-2"],
                  outcomes=[Outcome("Pain (VAS)", "continuous", "VAS 0-10"), Outcome("death", "dichotomous"),
                            Outcome("qol"), Outcome("pain 2", "continuous", "VAS 0-10")],
                  group1="X", group2="P")


def test_review_toml_holds_every_answer():
    text = project_files(ANSWERS)["review.toml"]
    assert 'population = "adults in Österreich"' in text.splitlines()  # written as typed, not as \\u00d6
    review = tomllib.loads(text)
    outcome = {"label": "", "type": "continuous", "direction": "lower is better", "timepoints": []}
    assert review == {
        "review": {"title": "T", "question": "Q?"},
        "question": {"population": "adults in Österreich", "intervention": "Drug X-ray therapy",
                     "comparator": "a placebo", "outcomes": ["Pain (VAS)", "death", "qol", "pain 2"]},
        "eligibility": {"study_designs": ["randomised controlled trial"], "languages": [], "include": [],
                        "exclude": []},
        "databases": [{"name": "PubMed", "strategy": "searches/pubmed.toml"},
                      {"name": "Scopus", "strategy": "searches/scopus.toml"},
                      {"name": "Cochrane CENTRAL", "strategy": "searches/cochrane-central.toml"}],
        "outcomes": [outcome | {"name": "Pain (VAS)", "label": "Pain (VAS)"},
                     outcome | {"name": "death", "label": "death", "type": "dichotomous"},
                     outcome | {"name": "qol", "label": "qol"}, outcome | {"name": "pain 2", "label": "pain 2"}],
        "arms": {"group1": "X", "group2": "P", "group1_label": "Drug X-ray therapy", "group2_label": "a placebo"},
        "screening": {"reviewers": ["Ann", "b.o_b-2"], "reviewers_per_record": 2,
                      "exclusion_reasons": ["wrong population", "wrong intervention", "wrong comparator",
                                            "wrong outcomes", "wrong study design", "duplicate publication",
                                            "full text not retrievable"],
                      "not_retrieved_reason": "full text not retrievable",
                      # words of four letters or more, each once ("a" is too short)
                      "highlight_terms": ["drug", "x-ray", "therapy", "placebo"]},
    }


@pytest.mark.parametrize(("changes", "expected"), [
    # one reviewer screens alone; arms without PICO words are labelled by their group names
    ({"reviewers": ["ann"], "intervention": "", "comparator": "", "group1": "X"},
     {"reviewers_per_record": 1, "group1_label": "X", "group2_label": "control", "highlight_terms": []}),
    ({"reviewers": ["a", "b", "c"], "intervention": "Yoga yoga YOGA", "comparator": "bed"},
     {"reviewers_per_record": 2, "group1_label": "Yoga yoga YOGA", "group2_label": "bed",
      "highlight_terms": ["yoga"]}),
])
def test_screening_and_arms_follow_the_team_and_the_pico(changes, expected):
    answers = Answers(title="T", outcomes=[Outcome("pain")], **changes)
    review = tomllib.loads(project_files(answers)["review.toml"])
    assert {name: {**review["screening"], **review["arms"]}[name] for name in expected} == expected


def test_each_database_gets_a_draft_strategy_or_an_export_to_import():
    files = project_files(ANSWERS)
    assert [name for name in files if name.startswith("searches/")] == [
        "searches/pubmed.toml", "searches/scopus.toml", "searches/cochrane-central.toml"]
    assert tomllib.loads(files["searches/pubmed.toml"]) == {
        "name": "pubmed", "database": "pubmed", "query": "(Drug X-ray therapy) AND (a placebo)", "draft": True,
        "datetype": "pdat"}
    assert tomllib.loads(files["searches/scopus.toml"]) == {
        "name": "scopus", "database": "scopus", "draft": True,
        "query": "TITLE-ABS-KEY(Drug X-ray therapy) AND TITLE-ABS-KEY(a placebo)"}
    assert tomllib.loads(files["searches/cochrane-central.toml"]) == {
        "name": "cochrane-central", "database": "file", "source": "Cochrane CENTRAL",
        "file": "searches/exports/cochrane-central.ris"}
    # the comments say what to do with each
    assert files["searches/pubmed.toml"].splitlines()[0] == (
        "# Search strategy for PubMed (reference: docs/reference/search-strategy.md).")
    assert "#   sysrev import searches/exports/cochrane-central.ris --source cochrane-central" in (
        files["searches/cochrane-central.toml"].splitlines())
    assert "# Search strategy for Cochrane CENTRAL " in files["searches/cochrane-central.toml"]
    # without PICO words the title is the one concept
    alone = project_files(Answers(title="Yoga for pain", intervention=" ", outcomes=[Outcome("pain")]))
    assert tomllib.loads(alone["searches/pubmed.toml"])["query"] == "(Yoga for pain)"
    assert tomllib.loads(alone["searches/scopus.toml"])["query"] == "TITLE-ABS-KEY(Yoga for pain)"


def test_each_outcome_gets_an_analysis_an_extraction_table_and_its_scale():
    from sysrev.extraction.table import COLUMNS

    files = project_files(ANSWERS)
    analysis = {"model": "random", "tau2": "DL", "direction": "lower is better"}
    smd, rr = {"measure": "SMD", "method": "IV"}, {"measure": "RR", "method": "MH"}
    assert tomllib.loads(files["analysis/analyses.toml"]) == {"analyses": {
        "pain_vas": analysis | smd | {"title": "Pain (VAS)", "outcome": "Pain (VAS)"},
        "death": analysis | rr | {"title": "death", "outcome": "death"},
        "qol": analysis | smd | {"title": "qol", "outcome": "qol"},
        "pain_2": analysis | smd | {"title": "pain 2", "outcome": "pain 2"}}}
    form = tomllib.loads(files["analysis/extraction/form.toml"])
    assert form["scales"] == {"VAS 0-10": {"higher": "worse"}, "patients with event": {"higher": "worse"}}
    assert form["outcome_data"] == {"continuous": ["n", "mean", "sd"], "dichotomous": ["events", "n"],
                                    "change_marker": "change from baseline"}
    columns = form["characteristics"]["columns"]
    assert list(columns) == ["study", "citation", "design", "country", "n_randomised", "n_randomised_group1",
                             "n_randomised_group2", "population", "intervention", "comparator", "follow_up", "note"]
    assert columns["study"]["required"] is True and columns["n_randomised"]["type"] == "count"
    assert files["analysis/extraction/studies.csv"] == ",".join(columns) + "\n"
    header = ",".join(COLUMNS) + "\n"
    assert {name: text for name, text in files.items() if name.endswith(".csv") and "studies" not in name} == {
        f"analysis/extraction/{name}.csv": header for name in ("pain_vas", "death", "qol", "pain_2")}
    # no outcome with a scale: the form shows how to declare one, commented out
    plain = project_files(Answers(title="T", outcomes=[Outcome("qol")]))["analysis/extraction/form.toml"]
    assert "scales" not in tomllib.loads(plain)
    assert plain.endswith('\n# [scales."VAS 0-10"]\n# higher = "worse"\n# range = [0, 10]\n')


def test_the_team_readme_and_the_folder_readmes_say_what_to_do():
    files = project_files(ANSWERS)
    readme = files["README.md"]
    assert readme.startswith("# T\n\nQ?\n\nA systematic review run with [sysrev]")
    assert "strategies in `searches/` (cochrane-central.toml, pubmed.toml, scopus.toml)" in readme
    assert "4. **Screen** (Ann, b.o_b-2): `sysrev screen --reviewer NAME`" in readme
    assert files["analysis/rob2/README.md"] == (
        "# RoB 2 assessments\n\nOne form per study x outcome, `<study>--<outcome>.toml`, written by "
        "`sysrev rob new STUDY OUTCOME` and checked by `sysrev rob check`.\n")
    assert files["screening/README.md"] == (
        "# Screening\n\nDecision logs, one per reviewer and stage (`title_abstract/`, `full_text/`), written by "
        "`sysrev screen`.\n")
    assert ".*.sysrev-*.tmp" in files[".gitignore"].splitlines()


def test_a_project_is_written_whole_or_not_at_all(tmp_path):
    answers = Answers(title="T", outcomes=[Outcome("pain")])
    root = tmp_path / "new" / "review"
    written = create_project(str(root), answers, git=False)
    files = project_files(answers)
    assert written == [root / name for name in files]
    assert {name: (root / name).read_text(encoding="utf-8") for name in files} == files
    assert all((root / folder).is_dir() for folder in ("searches/runs", "searches/exports", "records"))
    assert not (root / ".git").exists()
    with pytest.raises(SysrevError) as info:
        create_project(root, answers, git=False)
    assert str(info.value) == f"{root}/review.toml already exists: {root} is already a review project"
    clash = tmp_path / "clash"
    (clash / "analysis").mkdir(parents=True)
    (clash / "analysis" / "analyses.toml").write_text("ours", encoding="utf-8")
    (clash / ".gitignore").write_text("ours", encoding="utf-8")
    with pytest.raises(SysrevError) as info:
        create_project(clash, answers, git=False)
    assert str(info.value) == (f"{clash} already holds analysis/analyses.toml, .gitignore; choose an empty folder "
                               "(nothing written)")
    assert sorted(p.name for p in clash.rglob("*")) == [".gitignore", "analyses.toml", "analysis"]
    # folders the team made already are no clash
    ready = tmp_path / "ready"
    for folder in ("records", "searches/runs", "searches/exports"):
        (ready / folder).mkdir(parents=True)
    assert len(create_project(ready, answers, git=False)) == len(files)


@pytest.mark.skipif(shutil.which("git") is None, reason="the git program is not present on this machine")
def test_git_init_runs_quietly_and_only_outside_a_repository(tmp_path, capfd):
    answers = Answers(title="T", outcomes=[Outcome("pain")])
    create_project(tmp_path / "a", answers)
    create_project(tmp_path / "a" / "b", answers)
    assert (tmp_path / "a" / ".git").is_dir() and not (tmp_path / "a" / "b" / ".git").exists()
    assert capfd.readouterr() == ("", "")  # neither git's "true" nor its "not a git repository" reaches the user


def test_without_git_the_project_is_written_all_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    create_project(tmp_path / "r", Answers(title="T", outcomes=[Outcome("pain")]))
    assert (tmp_path / "r" / "review.toml").is_file() and not (tmp_path / "r" / ".git").exists()


SNAPSHOT = Path(__file__).resolve().parents[1] / "fixtures" / "init" / "new_project.txt"
SEPARATOR = re.compile(r"^=+ (.+) =+$", re.MULTILINE)


def snapshot_text(files: dict) -> str:
    return "".join(f"===== {name} =====\n{text}" for name, text in files.items())


def write_snapshot() -> None:
    SNAPSHOT.write_text(snapshot_text(project_files(ANSWERS)), encoding="utf-8")


def test_every_file_init_writes_reads_exactly_as_reviewed():
    """The comments, descriptions and READMEs a team reads first, byte for byte. After a deliberate change,
    review the difference and rewrite the snapshot:
    ``cd tests/config && python -c "import test_init_details as t; t.write_snapshot()"``
    """
    expected = SNAPSHOT.read_text(encoding="utf-8")
    names = SEPARATOR.findall(expected)
    assert list(project_files(ANSWERS)) == names
    assert snapshot_text(project_files(ANSWERS)) == expected


@pytest.mark.parametrize("databases, question, says, never", [
    (["Embase", "Cochrane CENTRAL"], "",
     ["strategies in `searches/` (cochrane-central.toml, embase.toml). Run `sysrev check`.",
      "2. **Search**: exports of Embase, Cochrane CENTRAL: `sysrev import FILE --source NAME`."],
     ["draft", "NCBI", "ELSEVIER", "search run", "\n\n\n"]),
    (["Scopus"], "Does X work?",
     ["# T\n\nDoes X work?\n\nA systematic review", "the Scopus one is a draft (`draft = true`)",
      "`sysrev search run` (Scopus; keys from the environment: `ELSEVIER_API_KEY`)."],
     ["NCBI", "PubMed", "sysrev import FILE"]),
])
def test_the_team_readme_names_only_the_databases_chosen(databases, question, says, never):
    text = project_files(Answers(title="T", question=question, databases=databases,
                                 outcomes=[Outcome("pain")]))["README.md"]
    for phrase in says:
        assert phrase in text, phrase
    for phrase in never:
        assert phrase not in text, phrase
    assert max(len(line) for line in text.splitlines()) <= 115
