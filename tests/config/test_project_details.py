"""The project layout and how a project is found and loaded, exactly (mutation tests of the onboarding module):
each folder every stage asks for, the errors of a missing, unreadable or broken review.toml, and finding the
project upward from the current directory."""

from pathlib import Path

import pytest

from sysrev.config_schema import ConfigError
from sysrev.errors import InputError, SysrevError
from sysrev.project import Project, find_project_root, load_project, load_toml, project_at

VALID = '[review]\ntitle = "T"\n'


@pytest.mark.parametrize(("attribute", "relative"), [
    ("config_path", "review.toml"),
    ("searches_dir", "searches"),
    ("runs_dir", "searches/runs"),
    ("records_dir", "records"),
    ("screening_dir", "screening"),
    ("analysis_dir", "analysis"),
    ("extraction_dir", "analysis/extraction"),
    ("rob_dir", "analysis/rob2"),
    ("results_dir", "analysis/results"),
    ("analyses_path", "analysis/analyses.toml"),
])
def test_every_stage_finds_its_folder_below_the_root(attribute, relative):
    root = Path("/some/review")
    assert getattr(Project(root=root), attribute) == root / relative


def test_a_project_made_without_a_config_has_an_empty_one():
    first, second = Project(root=Path("a")), Project(root=Path("b"))
    assert first.config == {}
    first.config["x"] = 1
    assert second.config == {}  # not one dict shared by every project


@pytest.mark.parametrize(("content", "message"), [
    (None, "missing.toml: file not found"),
    (b'title = "caf\xe9"\n', "bad.toml: not valid UTF-8 (invalid continuation byte at byte 12)"),
    (b'[review]\ntitle = \n', "bad.toml: invalid TOML: Invalid value (at line 2, column 9)"),
    ('title = "x"\n'.encode("utf-16"), 'bad.toml: the file is UTF-16 (what Windows Notepad calls "Unicode"), or '
                                       "not text at all; TOML files are UTF-8: save it again with the encoding UTF-8"),
    ('title = "x"\n'.encode("utf-16-be"), 'bad.toml: the file is UTF-16 (what Windows Notepad calls "Unicode"), or '
                                          "not text at all; TOML files are UTF-8: save it again with the encoding "
                                          "UTF-8"),
])
def test_an_unreadable_toml_file_is_an_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / ("missing.toml" if content is None else "bad.toml")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_toml(path)
    assert str(info.value).split(" — ")[0] == f"{tmp_path}/{message}"  # (a note on git conflicts may follow)
    assert info.value.path == path and info.value.__cause__ is None and info.value.__suppress_context__


def test_a_toml_file_is_read_as_utf8(tmp_path):
    (tmp_path / "r.toml").write_bytes('title = "café"\n'.encode())
    assert load_toml(str(tmp_path / "r.toml")) == {"title": "café"}


def test_a_byte_order_mark_before_the_toml_is_no_part_of_it(tmp_path):
    # Windows editors save "UTF-8 with BOM"; tomllib alone calls the mark an invalid statement on line 1
    (tmp_path / "r.toml").write_bytes(b"\xef\xbb\xbf" + '[review]\ntitle = "café"\n'.encode())
    assert load_toml(tmp_path / "r.toml") == {"review": {"title": "café"}}


def test_the_project_is_the_nearest_folder_upward_with_a_review_toml(tmp_path, monkeypatch):
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "inner"
    (inner / "deep" / "er").mkdir(parents=True)
    (outer / "review.toml").write_text(VALID, encoding="utf-8")
    (inner / "review.toml").write_text(VALID, encoding="utf-8")
    assert find_project_root(inner / "deep" / "er") == inner
    assert find_project_root(str(inner)) == inner
    (inner / "review.toml").unlink()
    (inner / "review.toml").mkdir()  # a folder of that name marks nothing
    assert find_project_root(inner / "deep") == outer
    monkeypatch.chdir(inner / "deep" / "er")
    assert find_project_root() == outer
    assert load_project().root == outer and load_project().config == {"review": {"title": "T"}}


def test_no_project_above_says_where_it_looked_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SysrevError) as info:
        find_project_root()
    assert str(info.value) == (f"no review.toml found in {tmp_path.resolve()} or any folder above it; run inside a "
                               "review project or pass --project DIR")
    with pytest.raises(SysrevError) as info:
        load_project()
    assert str(info.value).startswith(f"no review.toml found in {tmp_path.resolve()} ")


@pytest.mark.parametrize("load", [project_at, load_project])
def test_a_folder_without_review_toml_is_not_a_project(tmp_path, load):
    (tmp_path / "sub").mkdir()
    (tmp_path / "review.toml").write_text(VALID, encoding="utf-8")  # above it: not looked for
    with pytest.raises(SysrevError) as info:
        load(tmp_path / "sub" / ".")
    assert str(info.value) == f"{(tmp_path / 'sub').resolve()} is not a review project: it has no review.toml"


def test_check_reads_review_toml_unchecked_and_load_project_refuses_it(tmp_path):
    """`sysrev check` needs the project even when review.toml is wrong, to list every problem."""
    (tmp_path / "review.toml").write_text(VALID + "titel = 1\n", encoding="utf-8")
    project = project_at(str(tmp_path))
    assert project.root == tmp_path.resolve() and project.config == {"review": {"title": "T", "titel": 1}}
    with pytest.raises(ConfigError, match="line 3: unknown key 'titel' in \\[review\\]"):
        load_project(str(tmp_path))
    (tmp_path / "review.toml").write_text("[review\n", encoding="utf-8")
    assert project_at(tmp_path).config == {}
    with pytest.raises(InputError, match="invalid TOML"):
        load_project(tmp_path)
    (tmp_path / "review.toml").write_text(VALID, encoding="utf-8")
    loaded = load_project(tmp_path / ".")
    assert loaded.root == tmp_path.resolve() and loaded.config == {"review": {"title": "T"}}
