"""JATS tables read as a reviewer reads them: a real open-access article, and a file written from the JATS
tag library to cover row and column spans, header rows without <thead>, footnote markers and images."""

from pathlib import Path

import pytest

from sysrev.errors import InputError
from sysrev.fulltext.jats import find_table, is_full_text, licence_of, parse_tables, read_tables
from sysrev.fulltext.pick import find_column, find_row, pick_values, provenance
from sysrev.fulltext.render import csv_name, format_table, table_csv

FIXTURES = Path(__file__).parent.parent / "fixtures" / "fulltext"
# PLoS Negl Trop Dis 2013;7(2):e2065 (doi:10.1371/journal.pntd.0002065, PMC3585041), under the Creative
# Commons Attribution licence its <license> states; see tests/fixtures/fulltext/README.md.
PNTD = FIXTURES / "pntd.0002065.nxml"
OWN = FIXTURES / "own_tables.xml"


def test_real_article_tables_headers_and_footnotes():
    tables = read_tables(PNTD)
    assert [t.label for t in tables] == ["Table 1", "Table 2", "Table 3", "Table 4", "Table 5"]
    first = tables[0]
    assert first.caption == "RVF seroprevalence in 2007, as determined by virus neutralization test and IgG ELISA."
    # Two header rows; "Goats" and "Sheep" span three columns each (as printed in the paper).
    assert first.column_names() == ["District", "Goats / n", "Goats / Seroprevalence (%)", "Goats / 95% C.I.",
                                    "Sheep / n", "Sheep / Seroprevalence (%)", "Sheep / 95% C.I."]
    assert first.body[0] == ["Maganja da Costa", "92", "39.1 [c]", "29.7, 49.5", "11", "54.6 [b]", "25.6, 80.7"]
    assert first.body[-1][0] == "TOTAL" and first.body[-1][1] == "377"
    assert len(first.footnotes) == 4 and first.footnotes[-1] == "C.I. confidence interval."
    assert "Creative Commons Attribution" in licence_of(PNTD.read_bytes())
    assert is_full_text(PNTD.read_bytes())


def test_real_article_grouped_row_labels():
    table = read_tables(PNTD)[2]  # Table 3: species and variable printed once per group
    assert table.stub_width() == 3
    assert table.row_label(1) == "Goats / Sex / Male"
    assert table.row_label(6) == "Sheep / Sex / Male"
    with pytest.raises(InputError, match="2 rows of Table 3 are labelled 'Male'"):
        find_row(table, "Male")
    assert find_row(table, "Sheep / Sex / Male") == 6
    # a superscript digit is no row number (str.isdigit() says it is; int() refuses it): looked up as a label
    with pytest.raises(InputError, match="no row labelled '²'"):
        find_row(table, "²")
    with pytest.raises(InputError, match="no column"):
        find_column(table, "³")
    values, cells = pick_values(table, "Sheep / Sex / Male", {"n": "Total sampled", "events": "No. positive"})
    assert values == {"n": 65.0, "events": 8.0}
    assert [c.text for c in cells] == ["65", "8"]


def test_spans_image_tables_and_header_rows_without_thead():
    tables = read_tables(OWN)
    assert [t.label for t in tables] == ["Table 2", "Table 3"]  # Table 1 is an image: nothing to read
    outcomes, events = tables
    assert outcomes.column_names() == ["Outcome", "Time", "Ultrasound (n = 30) / Mean", "Ultrasound (n = 30) / SD",
                                       "Fluoroscopy (n = 31) / Mean", "Fluoroscopy (n = 31) / SD"]
    # A body rowspan repeats "VAS" in the row below; a colspan repeats the cell across both columns.
    assert outcomes.body[1] == ["VAS", "3 months", "2.6 [a]", "1.1", "−0.4", "1.3"]
    assert outcomes.body[2][2:] == ["24.5 ± 8.1", "24.5 ± 8.1", "25.0 (7.9)", "25.0 (7.9)"]
    assert outcomes.footnotes == ["a p < 0.05 against baseline.", "ODI at 3 months: median (IQR)."]
    assert outcomes.caption == "Pain (VAS 0–10) by group Mean ± SD unless stated."
    assert events.header == [["Event", "Ultrasound", "Fluoroscopy"]]  # <th> row without <thead>
    assert len(events.body) == 2


def test_pick_numbers_in_the_forms_tables_print():
    outcomes, events = read_tables(OWN)
    values, _ = pick_values(outcomes, "VAS / 3 months", {"mean": "Ultrasound (n = 30) / Mean",
                                                         "sd": "Ultrasound (n = 30) / SD"})
    assert values == {"mean": 2.6, "sd": 1.1}  # the footnote marker is not part of the number
    values, _ = pick_values(outcomes, "2", {"mean": "5"})
    assert values == {"mean": -0.4}  # unicode minus
    values, _ = pick_values(outcomes, "3", {"mean_sd": "3"})
    assert values == {"mean": 24.5, "sd": 8.1}
    values, _ = pick_values(outcomes, "3", {"mean_sd": "Fluoroscopy (n = 31) / Mean"})
    assert values == {"mean": 25.0, "sd": 7.9}
    values, _ = pick_values(events, "Vasovagal reaction", {"events": "Ultrasound"})
    assert values == {"events": 2.0}
    values, _ = pick_values(events, "Vasovagal reaction", {"events": "Fluoroscopy"})
    assert values == {"events": 5.0}


def test_pick_refuses_what_is_not_the_number_asked_for():
    outcomes, _ = read_tables(OWN)
    with pytest.raises(InputError, match="is not 'mean ± SD' or 'mean \\(SD\\)'"):
        pick_values(outcomes, "4", {"mean_sd": "3"})  # median (IQR) printed as a range
    with pytest.raises(InputError, match="ambiguous"):
        find_column(outcomes, "Mean")
    with pytest.raises(InputError, match="no row labelled 'Pain'"):
        find_row(outcomes, "Pain")
    with pytest.raises(InputError, match="has columns 1–6"):
        find_column(outcomes, "9")
    with pytest.raises(InputError, match="mean is chosen twice"):
        pick_values(outcomes, "3", {"mean_sd": "3", "mean": "3"})
    with pytest.raises(InputError, match="is not a single number"):
        pick_values(outcomes, "3", {"mean": "3"})


def test_find_table_by_label_number_or_id():
    tables = read_tables(OWN)
    assert find_table(tables, "Table 3").label == "Table 3"
    assert find_table(tables, "3").label == "Table 3"
    assert find_table(tables, "tab-outcomes").label == "Table 2"
    with pytest.raises(InputError, match="no table 'Table 9'.*'Table 2', 'Table 3'"):
        find_table(tables, "Table 9")


def test_provenance_names_paper_table_row_and_columns():
    outcomes, _ = read_tables(OWN)
    _, cells = pick_values(outcomes, "1", {"mean": "3", "sd": "4"})
    assert provenance("R000007", outcomes, cells) == (
        "full text R000007, Table 2, row 'VAS / 2 weeks': mean = column 'Ultrasound (n = 30) / Mean' ('3.1'); "
        "sd = column 'Ultrasound (n = 30) / SD' ('1.2')")


def test_render_text_and_csv():
    outcomes, _ = read_tables(OWN)
    text = format_table(outcomes, width=200)
    assert text.splitlines()[0] == "Table 2. Pain (VAS 0–10) by group Mean ± SD unless stated."
    assert "VAS" in text and "a p < 0.05 against baseline." in text
    csv_text = table_csv(outcomes)
    assert csv_text.splitlines()[0] == "Outcome,Time,Ultrasound (n = 30),Ultrasound (n = 30),Fluoroscopy (n = 31)," \
                                       "Fluoroscopy (n = 31)"
    assert csv_text.splitlines()[3] == "VAS,3 months,2.6 [a],1.1,−0.4,1.3"
    assert csv_name(outcomes) == "table-2.csv"


def test_entities_are_refused_and_broken_xml_named():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY x "INJECTED">]>'
            b"<article><body><table-wrap><table><tr><td>&x;</td></tr></table></table-wrap></body></article>")
    with pytest.raises(InputError, match="declares entities"):
        parse_tables(bomb)
    with pytest.raises(InputError, match="not well-formed XML"):
        parse_tables(b"<article><body><table-wrap>", path="x.xml")
    assert not is_full_text(bomb)


def test_huge_span_is_capped():
    data = (b"<article><body><table-wrap><table><tr><th colspan='99999'>H</th></tr>"
            b"<tr><td>1</td></tr></table></table-wrap></body></article>")
    (table,) = parse_tables(data)
    assert table.width == 200
