"""The details of reading, showing and picking from a paper's tables that a reviewer relies on: which cells
make the header, what a footnote or caption reads, how a table is found, the exact text `fulltext show`
prints, the CSV `fulltext tables` writes (formulas neutralised), and every refusal's message naming the
choices. Tables are written inline (JATS tag library forms) or built directly as :class:`Table`."""

import json
import os

import pytest

from sysrev.errors import InputError
from sysrev.fulltext.jats import Table, find_table, parse_tables, read_tables
from sysrev.fulltext.manifest import Entry, write_manifest
from sysrev.fulltext.paper import paper_tables
from sysrev.fulltext.pick import find_column, find_row, pick_values, provenance
from sysrev.fulltext.render import csv_name, format_table, table_csv


def article(*wraps: str) -> bytes:
    return f"<article><body><sec>{''.join(wraps)}</sec></body></article>".encode()


# Header rows by the JATS forms: <thead>, or leading rows of <th> only; a mixed <th>/<td> row is body.
# Cells that are not <td>/<th> are skipped (not the end of the row); a short row is padded with "".
GRIDS = [
    ("<thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody>",
     [["A", "B"]], [["1", "2"]]),
    ("<tr><th>A</th><th>B</th></tr><tr><th>a</th><td>1</td></tr>", [["A", "B"]], [["a", "1"]]),
    ("<tr><th>Group</th><td>n</td></tr><tr><td>x</td><td>1</td></tr>", [], [["Group", "n"], ["x", "1"]]),
    ("<tr><td>a</td><note>skip</note><td>b</td></tr><tr><td>c</td></tr>", [], [["a", "b"], ["c", ""]]),
    ("<tr><td>a</td><td colspan='2'>b</td><td>c</td></tr>", [], [["a", "b", "b", "c"]]),
    ("<thead><tr/></thead><tr></tr>", [[]], []),  # rows without cells: an empty table, not a crash
]


@pytest.mark.parametrize("rows, header, body", GRIDS)
def test_header_and_body_rows(rows, header, body):
    (table,) = parse_tables(article(f"<table-wrap><table>{rows}</table></table-wrap>"))
    assert (table.header, table.body) == (header, body)
    assert (table.label, table.caption, table.footnotes) == ("Table 1", "", [])
    assert table.width == max((len(r) for r in header + body), default=0)


def test_cells_captions_footnotes_labels_and_ids():
    first = ("<table-wrap><caption>Plain caption</caption><table><tr>"
             "<td>Smith<xref ref-type='bibr' rid='b1'> [12]</xref></td>"
             "<td>3.1<xref ref-type='table-fn'><sup>a</sup>b</xref><xref ref-type='table-fn'>c</xref></td>"
             "</tr></table><table-wrap-foot><p>Plain note.</p><p><label>*</label> starred</p>"
             "<p/></table-wrap-foot></table-wrap>")
    image = "<table-wrap><label>Table 9</label><graphic/></table-wrap>"
    second = ("<table-wrap id='box1'><label>Box 1</label><caption><title>Ti<italic>tle</italic></title>"
              "<p>Note</p></caption><table><tr><td>x</td></tr></table>"
              "<table-wrap-foot><fn><label>a</label><p>First.</p><p>Second.</p></fn></table-wrap-foot></table-wrap>")
    tables = parse_tables(article(first, image, second))
    assert [(t.number, t.label, t.table_id) for t in tables] == [(1, "Table 1", ""), (2, "Box 1", "box1")]
    assert tables[0].caption == "Plain caption" and tables[1].caption == "Title Note"
    # a citation stays in the text; footnote markers are set apart, joined by commas
    assert tables[0].body == [["Smith [12]", "3.1 [ab,c]"]]
    assert tables[0].footnotes == ["Plain note.", "* starred"]  # <p> footnotes when there is no <fn>
    assert tables[1].footnotes == ["a First. Second."]
    assert find_table(tables, "box 1") is tables[1]  # by its printed label, whatever it is


def test_an_unlabelled_table_never_takes_a_printed_tables_name():
    inline, printed = "<table-wrap><table><tr><td>inline</td></tr></table></table-wrap>", (
        "<table-wrap><label>Table 1</label><table><tr><td>printed</td></tr></table></table-wrap>")
    tables = parse_tables(article(inline, printed, inline))
    assert [t.label for t in tables] == ["Table 1 (unlabelled)", "Table 1", "Table 3"]
    assert find_table(tables, "Table 1") is tables[1] and find_table(tables, "1") is tables[1]
    assert [csv_name(t) for t in tables] == ["table-1-unlabelled.csv", "table-1.csv", "table-3.csv"]


@pytest.mark.parametrize("data, path, message", [
    (b'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY x "INJECTED">]><article/>', "p.xml",
     "p.xml: refused: the XML declares entities or external references (EntitiesForbidden)"),
    (b"<article>\n<body>\n<table-wrap></body></article>", "p.xml",
     "p.xml, line 3: not well-formed XML (mismatched tag: line 3, column 14)"),
])
def test_unreadable_xml_names_file_and_line(tmp_path, data, path, message):
    with pytest.raises(InputError) as parsed:
        parse_tables(data, path=path)
    assert str(parsed.value) == message
    on_disk = tmp_path / path
    on_disk.write_bytes(data)
    with pytest.raises(InputError) as read:
        read_tables(on_disk)
    assert str(read.value) == message.replace(path, str(on_disk), 1)


def test_find_table_by_label_with_a_full_stop_or_by_position():
    tables = [Table(1, "Table 2.", "", [], []), Table(2, "Box 1", "", [], []), Table(3, "Box 2", "", [], [])]
    assert find_table(tables, "Table 2") is tables[0] and find_table(tables, "2") is tables[0]
    # a number no label carries is the table's position
    assert find_table(tables, "1") is tables[0] and find_table(tables, "table 3") is tables[2]
    for wanted in ("0", "4"):
        with pytest.raises(InputError, match=rf"no table '{wanted}' in this paper \(tables: 'Table 2\.', 'Box 1'"):
            find_table(tables, wanted)
    with pytest.raises(InputError, match=r"^no table '1' in this paper \(tables: none\)$"):
        find_table([], "1")


# Grouped rows (a blank stub cell reads as the one above, except in the last stub column), two header rows,
# and a short last row.
GOATS = Table(4, "Table 4", "", header=[["Group", "Sex", "US", "US", "FL", "FL"],
                                        ["", "", "Mean", "SD", "Mean", "Events"]],
              body=[["Goats", "Male", "3.1", "1.2", "2.0 [a]", "4"],
                    ["", "Female", "3.3", "1.1", "x", "2 (10%)"],
                    ["", "", "3.5", "1.0", "2.2", "5/20"],
                    ["Sheep", "Young adult", "4.0 ± 1.5"]])


def test_row_labels_and_columns_of_a_grouped_table():
    assert GOATS.column_names() == ["Group", "Sex", "US / Mean", "US / SD", "FL / Mean", "FL / Events"]
    assert GOATS.stub_width() == 2
    assert [GOATS.row_label(i) for i in range(4)] == ["Goats / Male", "Goats / Female", "Goats",
                                                       "Sheep / Young adult"]
    # rows of any length (a Table made by hand): a cell a row lacks reads as blank
    ragged = Table(1, "T", "", header=[["A", "B"], ["a"]], body=[["y"], ["x", "1"], [""]])
    assert ragged.column_names() == ["A / a", "B"]
    assert ragged.stub_width() == 1 and [ragged.row_label(i) for i in range(3)] == ["y", "x", ""]
    short = Table(1, "T", "", header=[], body=[["a", "b", "1"], ["c"]])
    assert short.stub_width() == 2 and short.row_label(1) == "c"


@pytest.mark.parametrize("finder, wanted, found", [
    (find_row, "4", 3), (find_row, "Goats / Female", 1), (find_row, "Female", 1), (find_row, "Young adult", 3),
    (find_column, "1", 0), (find_column, "6", 5), (find_column, "us / sd", 3), (find_column, "Events", 5),
])
def test_rows_and_columns_found(finder, wanted, found):
    assert finder(GOATS, wanted) == found


DUPLICATE_PATHS = Table(1, "Table 1", "", header=[["Arm", "FL", "FL"], ["", "n", "n"]], body=[["a", "1", "2"]])


@pytest.mark.parametrize("finder, table, wanted, message", [
    (find_row, GOATS, "5", "Table 4 has rows 1–4; there is no row 5"),
    (find_row, GOATS, "Pain", "no row labelled 'Pain' in Table 4 (rows: 1: 'Goats / Male', 2: 'Goats / Female', "
                              "3: 'Goats', 4: 'Sheep / Young adult')"),
    (find_row, Table(1, "T", "", [], [["a"], ["a"], ["b"]]), "a", "2 rows of T are labelled 'a' (rows 1, 2); "
                                                                  "give the row number"),
    (find_column, GOATS, "7", "Table 4 has columns 1–6; there is no column 7"),
    (find_column, GOATS, "Mean", "column 'Mean' of Table 4 is ambiguous (3: 'US / Mean', 5: 'FL / Mean'); give "
                                 "the full header path or the column number"),
    (find_column, DUPLICATE_PATHS, "FL / n", "column 'FL / n' of Table 1 is ambiguous (2: 'FL / n', 3: 'FL / n'); "
                                             "give the full header path or the column number"),
    (find_column, GOATS, "Median", "no column 'Median' in Table 4 (columns: 1: 'Group', 2: 'Sex', 3: 'US / Mean', "
                                   "4: 'US / SD', 5: 'FL / Mean', 6: 'FL / Events')"),
])
def test_rows_and_columns_not_found_list_the_choices(finder, table, wanted, message):
    with pytest.raises(InputError) as error:
        finder(table, wanted)
    assert str(error.value) == message


def test_values_picked_and_their_provenance():
    values, cells = pick_values(GOATS, "Female", {"mean": "US / Mean", "events": "6"})
    assert values == {"mean": 3.3, "events": 2.0}
    values, cells = pick_values(GOATS, "1", {"mean": "FL / Mean"})
    assert values == {"mean": 2.0}  # the footnote marker is not part of the number
    assert provenance("R1", GOATS, cells) == ("full text R1, Table 4, row 'Goats / Male': mean = column "
                                              "'FL / Mean' ('2.0 [a]')")
    assert pick_values(GOATS, "4", {"mean_sd": "3"})[0] == {"mean": 4.0, "sd": 1.5}


WHERE = "Table 4, row 'Goats / Female', column"


@pytest.mark.parametrize("row, columns, message", [
    ("2", {}, "choose at least one column (--n, --mean, --sd, --events or --mean-sd)"),
    ("2", {"mean_sd": "3", "sd": "4"}, "sd is chosen twice (--mean-sd already gives the mean and the SD)"),
    ("2", {"median": "3"}, "unknown field 'median'; choose from n, mean, sd, events or mean_sd"),
    ("2", {"n": "3"}, f"{WHERE} 'US / Mean': '3.3' is not a whole count (e.g. '12', '12 (40%)', '12/30')"),
    ("2", {"mean": "5"}, f"{WHERE} 'FL / Mean': 'x' is not a single number"),
    ("2", {"mean_sd": "3"}, f"{WHERE} 'US / Mean': '3.3' is not 'mean ± SD' or 'mean (SD)'; pick --mean and --sd "
                            "separately or convert the reported statistic with `sysrev extract convert`"),
    ("4", {"sd": "4"}, "Table 4, row 'Sheep / Young adult', column 'US / SD': '' is not a single number"),
])
def test_values_refused_name_the_cell(row, columns, message):
    with pytest.raises(InputError) as error:
        pick_values(GOATS, row, columns)
    assert str(error.value) == message


def test_a_percentage_alone_is_no_count():
    table = Table(1, "Table 1", "", header=[["Arm", "Events", "Rate"]], body=[["US", "12 (40)%", "40%"]])
    assert pick_values(table, "1", {"events": "Events"})[0] == {"events": 12.0}
    with pytest.raises(InputError, match=r"column 'Rate': '40%' is not a whole count"):
        pick_values(table, "1", {"events": "Rate"})


PAIN = Table(2, "Table 2", "Pain scores by group over the first three months",
             header=[["Outcome", "US", "US"], ["", "Mean", "SD"]],
             body=[["VAS", "3.1", "1.2"], ["A very long outcome name that is cut here", "2"],
                   ["Exactly twenty-eight letters", "=1+1", "-x"]],
             footnotes=["a p < 0.05 against baseline in both groups of the trial"])


def test_show_text_numbers_rows_and_columns_and_wraps():
    assert format_table(PAIN, width=30).splitlines() == [
        "Table 2. Pain scores by group",
        "over the first three months",
        "#  Outcome                       US / Mean  US / SD",
        "   1                             2          3",
        "-  ----------------------------  ---------  -------",
        "1  VAS                           3.1        1.2",
        "2  A very long outcome name th…  2",
        "3  Exactly twenty-eight letters  =1+1       -x",
        "  a p < 0.05 against baseline",
        "  in both groups of the trial",
    ]


def test_show_text_width_is_the_terminal_or_120_columns(monkeypatch):
    long = Table(1, "Table 1", "x" * 111, header=[["A"]], body=[["1"]])  # "Table 1. " + 111 = 120 characters
    wider = Table(1, "Table 1", "x" * 112, header=[["A"]], body=[["1"]])

    def no_terminal(*args):
        raise OSError("not a terminal")

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    assert len(format_table(long).splitlines()[0]) == 120
    assert format_table(wider).splitlines()[:2] == ["Table 1.", "x" * 112]
    monkeypatch.setenv("COLUMNS", "60")
    assert format_table(long).splitlines()[:3] == ["Table 1. " + "x" * 51, "x" * 60, "#  A"]


def test_csv_rows_padded_and_formulas_neutralised():
    cells = ["=SUM(A1)", "+x", "-x", "@cmd", "+1", "-0.4", "-1e−5", "a=b", "−2", ""]
    table = Table(1, "Table 1", "", header=[["A", "B"]], body=[["1"], cells])
    assert table_csv(table) == ("A,B" + "," * 8 + "\n1" + "," * 9 + "\n"
                                "'=SUM(A1),'+x,'-x,'@cmd,+1,-0.4,-1e−5,a=b,−2,\n")


@pytest.mark.parametrize("label, number, name", [
    ("Table 2", 1, "table-2.csv"), ("Table 2.", 1, "table-2.csv"),
    ("TABLE S1 (continued)", 5, "table-s1-continued.csv"), ("Box 1", 3, "box-1-03.csv"), ("***", 4, "table-04.csv"),
])
def test_csv_file_names(label, number, name):
    assert csv_name(Table(number, label, "", [], [])) == name


def test_tables_of_a_paper_without_a_doi_link(project):
    write_manifest(project, {"r9": Entry("r9", "needs_library_access")})
    with pytest.raises(InputError) as error:
        paper_tables(project, "r9")
    assert str(error.value) == "r9: no open copy was found (needs library access); no DOI link"


def test_a_record_finds_the_paper_fetched_for_a_record_dedup_merged_into_it(project):
    """r1 was merged into r2 after r1's full text was looked for: r2's lookup finds r1's entry (the same
    publication), and a record with neither entry has none."""
    from sysrev.fulltext.manifest import entry_of

    path = project.records_dir / "records.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    lines[1]["extra"] = {"dedup_replaces": ["r1"]}
    path.write_text("".join(json.dumps(line) + "\n" for line in lines[1:]), encoding="utf-8")
    owner = "r2"
    write_manifest(project, {"r1": Entry("r1", "needs_library_access", doi_link="https://doi.org/10.1/x")})
    with pytest.raises(InputError) as error:
        paper_tables(project, owner)
    assert str(error.value) == (f"{owner}: no open copy was found (needs library access); "
                                "https://doi.org/10.1/x")
    merged = {"r1": (owner, "")}
    assert entry_of({"r1": Entry("r1", "retrieved")}, owner, merged).record_id == "r1"
    assert entry_of({"r1": Entry("r1", "retrieved")}, "other", merged) is None
    assert entry_of({owner: Entry(owner, "retrieved"), "r1": Entry("r1", "retrieved")}, owner, merged
                    ).record_id == owner
