"""Using a stored full text: `fulltext show` / `tables`, `extract from-table` with provenance and a person's
confirmation, and the full-text screen saying where the paper is and opening it on `o`."""

import csv
from pathlib import Path

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.fulltext.manifest import Entry, sha256, write_manifest
from sysrev.screening.session import ScreenSession

OWN = Path(__file__).parent.parent / "fixtures" / "fulltext" / "own_tables.xml"


def store(project, record_id="r1", data=None, fmt="xml"):
    data = OWN.read_bytes() if data is None else data
    path = project.root / "fulltext" / "files" / f"{record_id}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    entries = {record_id: Entry(record_id, "retrieved", source="pmc", url="https://example.org/PMC1001",
                                licence="cc0", format=fmt, file=f"files/{record_id}.{fmt}", sha256=sha256(data),
                                retrieved="2026-12-03T10:00:00Z", doi_link="https://doi.org/10.1000/one"),
               "r5": Entry("r5", "needs_library_access", doi_link="https://doi.org/10.1000/five")}
    write_manifest(project, entries)


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_show_prints_numbered_tables(project):
    store(project)
    result = run("fulltext", "show", "r1", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    assert "Table 2. Pain (VAS 0–10) by group" in result.output and "Table 3. Complications" in result.output
    one = run("fulltext", "show", "r1", "--table", "3", "--project", str(project.root))
    assert "Table 2." not in one.output and "Vasovagal reaction" in one.output


def test_show_explains_why_there_is_nothing(project):
    store(project)
    missing = run("fulltext", "show", "r5", "--project", str(project.root))
    assert missing.exit_code == 2 and "needs library access" in missing.output and "10.1000/five" in missing.output
    never = run("fulltext", "show", "r3", "--project", str(project.root))
    assert never.exit_code == 2 and "sysrev fulltext fetch --record r3" in never.output
    (project.root / "fulltext" / "files" / "r1.xml").write_bytes(b"<article/>")
    changed = run("fulltext", "show", "r1", "--project", str(project.root))
    assert changed.exit_code == 2 and "changed since it was fetched" in changed.output


def test_tables_written_as_csv(project, tmp_path):
    store(project)
    out = tmp_path / "tables"
    result = run("fulltext", "tables", "r1", "--out", str(out), "--project", str(project.root))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["table-2.csv", "table-3.csv"]
    with open(out / "table-3.csv", newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh))[1] == ["Vasovagal reaction", "2 (6.7%)", "5/31"]


def test_from_table_appends_only_after_confirmation_with_cell_provenance(project):
    store(project)
    target = project.root / "analysis" / "extraction" / "pain.csv"
    base = ["extract", "from-table", "r1", "Table 2", "--row", "VAS / 3 months", "--study", "Kim 2011",
            "--outcome", "pain", "--timepoint", "3 months", "--arm", "US", "--append", str(target),
            "--project", str(project.root)]
    # A mean's column given as n: refused, as it is not a whole count; nothing written.
    wrong = CliRunner().invoke(cli, base + ["--n", "3"], input="y\n")
    assert wrong.exit_code == 2 and "'2.6' is not a whole count" in wrong.output and not target.exists()
    args = base + ["--mean", "3", "--sd", "4"]
    refused = CliRunner().invoke(cli, args, input="n\n")
    assert refused.exit_code == 2 and "nothing written" in refused.output and not target.exists()
    accepted = CliRunner().invoke(cli, args, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    with open(target, newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["study"], row["arm"], row["mean"], row["sd"], row["n"]) == ("Kim 2011", "US", "2.6", "1.1", "")
    assert row["source"] == ("full text r1, Table 2, row 'VAS / 3 months': mean = column "
                             "'Ultrasound (n = 30) / Mean' ('2.6 [a]'); sd = column 'Ultrasound (n = 30) / SD' ('1.1')")
    assert row["source_url"] == "https://example.org/PMC1001"
    assert row["raw"] == "mean: 2.6 [a]; sd: 1.1"
    again = CliRunner().invoke(cli, args + ["--yes"])
    assert again.exit_code == 2 and "already holds" in again.output


def test_from_table_on_a_pdf_says_it_cannot_read_it(project):
    store(project, data=b"%PDF-1.4\n%%EOF\n", fmt="pdf")
    result = run("extract", "from-table", "r1", "1", "--row", "1", "--mean", "1", "--project", str(project.root))
    assert result.exit_code == 2 and "is a PDF" in result.output


def _screen(project, keys, opened):
    log = project.screening_dir / "title_abstract" / "alice.csv"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("record_id,decision,reason,reviewer,timestamp\n"
                   "r1,include,,alice,2026-01-01T00:00:00Z\nr5,include,,alice,2026-01-01T00:00:01Z\n"
                   "r6,include,,alice,2026-01-01T00:00:02Z\n", encoding="utf-8")
    shown = []
    keys = iter(keys)
    session = ScreenSession(project, "alice", "full_text", getkey=lambda: next(keys), echo=shown.append,
                            clock=lambda: 0.0, color=False, opener=opened.append)
    session.run()
    return "\n".join(shown)


def test_full_text_screen_shows_where_the_paper_is_and_opens_it(project):
    store(project)
    opened = []
    screen = _screen(project, ["o", "s", "o", "s", "o", "q"], opened)
    stored = project.root / "fulltext" / "files" / "r1.xml"
    assert f"full text: {stored} (pmc; licence: cc0)" in screen
    assert "full text: needs library access — https://doi.org/10.1000/five" in screen
    assert "full text: not fetched (sysrev fulltext fetch)" in screen
    assert "[o] open paper" in screen
    assert "(no stored paper and no DOI link to open for this record)" in screen
    assert opened == [str(stored), "https://doi.org/10.1000/five"]
