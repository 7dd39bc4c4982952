"""The true clusters of a bib-dedupe style labelled set name the records exactly as the records file does
(sysrev.dedup.evaluate.load_labelled_set): both files are read as CSV (RFC 4180), where a quoted cell may hold a
line break, and a cell is taken as written — otherwise a true pair would name a record that does not exist and
the pairwise score would count it as missed."""

from sysrev.dedup.evaluate import load_labelled_set


def test_an_id_with_a_line_break_in_a_quoted_cell_is_the_same_in_both_files(tmp_path):
    # a Windows export: CRLF row ends, and one record ID (a quoted cell) that holds a CRLF line break itself
    odd_id = "smith2015\r\nrev"
    (tmp_path / "records_pre_merged.csv").write_bytes(
        b'ID,title,author,year\r\n'
        b'"smith2015\r\nrev",Effect of X on Y,"Smith, John",2015\r\n'
        b'2,Effect of X on Y,"Smith, J.",2015\r\n')
    (tmp_path / "merged_record_ids.csv").write_bytes(b'merged_ids\r\n"smith2015\r\nrev;2"\r\n')
    records, clusters = load_labelled_set(tmp_path)
    assert [r.source_id for r in records] == [odd_id, "2"]
    assert clusters == [[odd_id, "2"]]
    assert {i for cluster in clusters for i in cluster} <= {r.source_id for r in records}
