"""One command-line grammar: every command takes --project (or is listed here with the reason it cannot), and
the commands that work on files named on the command line take their defaults from the project named."""

import csv

import click
from click.testing import CliRunner

from sysrev.cli.main import cli

# Leaf commands without --project, each with the reason.
NO_PROJECT = {
    "screen simulate": "replays a labelled data set of a past review (DATA.csv) to measure the screening model; "
                       "nothing of a project is read or written",
}


def _leaves(command=cli, path=()):
    ctx = click.Context(cli)
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            yield from _leaves(command.get_command(ctx, name), (*path, name))
    else:
        yield " ".join(path), command


def test_every_leaf_command_takes_project_or_says_why_not():
    leaves = dict(_leaves())
    assert len(leaves) > 40  # the walk reached the subcommands, not only the groups
    missing = sorted(name for name, command in leaves.items()
                     if not any("--project" in p.opts for p in command.params) and name not in NO_PROJECT)
    assert missing == []
    assert set(NO_PROJECT) <= set(leaves)  # no stale exemption
    stale = [name for name in NO_PROJECT if any("--project" in p.opts for p in leaves[name].params)]
    assert stale == []


def _project(root, arms=True):
    root.mkdir()
    text = '[review]\ntitle = "t"\n\n[[outcomes]]\nname = "pain"\nlabel = "Pain"\ntype = "continuous"\n'
    if arms:
        text += '\n[arms]\ngroup1 = "US"\ngroup2 = "FL"\ngroup1_label = "Ultrasound"\ngroup2_label = "Fluoroscopy"\n'
    (root / "review.toml").write_text(text, encoding="utf-8")
    return root


def test_meta_pool_takes_the_arm_names_from_the_project_named(tmp_path, monkeypatch):
    project = _project(tmp_path / "review")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_text("study,events1,n1,events2,n2\nA,2,10,4,10\nB,3,12,5,11\n")
    plain = CliRunner().invoke(cli, ["meta", "pool", "data.csv", "--measure", "RR"])
    named = CliRunner().invoke(cli, ["meta", "pool", "data.csv", "--measure", "RR", "--project", "review"])
    given = CliRunner().invoke(cli, ["meta", "pool", "data.csv", "--measure", "RR", "--project", str(project),
                                     "--label1", "Needle"])
    assert plain.exit_code == named.exit_code == given.exit_code == 0, named.output
    assert "Group 1" in plain.output and "Ultrasound" not in plain.output
    assert "Ultrasound" in named.output and "Fluoroscopy" in named.output
    assert "Needle" in given.output and "Fluoroscopy" in given.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "review.toml").write_text('[review]\ntitel = "t"\n')
    refused = CliRunner().invoke(cli, ["meta", "pool", "data.csv", "--measure", "RR", "--project", "broken"])
    assert refused.exit_code == 2 and "did you mean 'title'" in refused.stderr


def test_extract_convert_checks_an_appended_row_against_the_project(tmp_path):
    project = _project(tmp_path / "review")
    target = project / "analysis" / "extraction" / "pain.csv"
    args = ["extract", "convert", "sd-from-se", "--se", "0.5", "--n", "16", "--study", "Park 2013",
            "--outcome", "pain", "--append", str(target), "--project", str(project)]
    typo = CliRunner().invoke(cli, [*args[:-4], "--arm", "UX", *args[-4:]])
    assert typo.exit_code == 2 and "--arm 'UX' is not an arm of review.toml [arms] (one of: US, FL)" in typo.stderr
    assert not target.exists()
    wrong = CliRunner().invoke(cli, [*args[:10], "pian", "--arm", "US", *args[11:]])
    assert wrong.exit_code == 2 and "--outcome 'pian' is not an outcome of review.toml" in wrong.stderr
    done = CliRunner().invoke(cli, [*args, "--arm", "US"])
    assert done.exit_code == 0, done.output
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["study"], r["arm"], r["sd"]) for r in rows] == [("Park 2013", "US", "2")]  # 0.5 × √16


def test_init_takes_the_folder_as_project_too(tmp_path):
    result = CliRunner().invoke(cli, ["init", "--project", str(tmp_path / "r"), "--no-input", "--no-git",
                                      "--outcome", "pain"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "review.toml").is_file()
    clash = CliRunner().invoke(cli, ["init", str(tmp_path / "a"), "--project", str(tmp_path / "b"), "--no-input"])
    assert clash.exit_code == 2 and "name different folders" in clash.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
