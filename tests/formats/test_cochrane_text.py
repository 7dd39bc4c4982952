"""The Cochrane Library's plain-text export (sysrev/formats/cochrane_text.py).

The fixtures tests/fixtures/formats/cochrane_layout.txt (CR LF line ends) and
tests/fixtures/formats/complete/three_cochrane.txt are hand-made, with made-up ids, titles and numbers.
Their layout follows the published readers of this export, not a copied file: bibliometrix's
``cochrane2df`` (github.com/massimoaria/bibliometrix, R/cochrane2df.R: a record starts at a line ``Record #``,
every other non-blank line is a ``TAG: value`` field, ``DOI`` the one longer tag, ``AU`` repeated per
author, ``KY`` split at ``;`` with bracketed qualifiers, ``ID``/``YR``/``NO``/``US``/``SO`` the accession
number, year, issue, link and source) and Helge Knüttel's ``extract_accession_numbers``
(github.com/knh11545/commandline4expertsearchers, bin/: the accession number of the Cochrane Library's
plain-text exports is the ``ID:`` line). The further tags (``TI``, ``AB``, ``VL``, ``PG``, ``PT``, ``XR``,
``PM: PUBMED …``, ``EM: EMBASE …``) are written as the task describing the export gives them.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.formats import load_references
from sysrev.formats.detect import detect_format
from sysrev.search.snapshot import list_snapshots, read_snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
US = "https://www.cochranelibrary.com/central/doi/10.1002/central/{}/full"


def _record(number, total, ident, *fields, title="A trial", url=US):
    lines = [f"Record #{number} of {total}", f"ID: {ident}"]
    lines += [f"TI: {title}"] if title else []
    return "\n".join([*lines, *fields, f"US: {url.format(ident)}", ""]) + "\n"


def _write(tmp_path, text, name="central.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_field_of_the_layout_is_read():
    parsed = load_references(FIXTURES / "cochrane_layout.txt")
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("cochrane_text", "cochrane-central", [])
    first, second, third, fourth = parsed.records
    assert first.to_dict() == {
        "source_id": "CN-09999921", "source": "cochrane-central",
        "title": "Ultrasound-guided versus fluoroscopy-guided facet injection: a randomised trial",
        "abstract": "Background: made-up abstract for a parser fixture. Methods: none. Results: none.",
        "authors": ["Example, A", "Sample, BC"], "year": 2020, "journal": "Example journal of pain",
        "journal_abbrev": "", "volume": "12", "issue": "3", "pages": "101-109", "doi": "10.9999/ejp.2020.101",
        "pmid": "39999921", "pmcid": "", "issn": "", "language": "",
        "publication_types": ["Journal article", "Randomized Controlled Trial"],
        "keywords": ["*Injections, Intra‐Articular [methods]", "Adult", "Humans", "Low Back Pain [*therapy]"],
        "url": US.format("CN-09999921"),
        "extra": {"fields": {"XR": "EMBASE 2099999921", "PM": "PUBMED 39999921"}}}
    # authors joined by ";" on one line; the PMID from the PUBMED entry of a cross-reference list
    assert (second.authors, second.pmid, second.extra["fields"]) == (
        ["Lee, M", "Ng, W"], "39999922", {"XR": "PUBMED 39999922, EMBASE 2099999922"})
    # an Embase id alone is no PMID; it is kept
    assert (third.pmid, third.extra["fields"], third.publication_types) == (
        "", {"EM": "EMBASE 2099999923"}, ["Trial registry record"])
    # empty tags ("VL: ") are no values
    assert (fourth.authors, fourth.volume, fourth.issue, fourth.pages, fourth.extra) == ([], "", "", "", {})


def test_the_source_is_named_by_central_ids_only(tmp_path):
    cdsr = "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.{}/full"
    review = _write(tmp_path, _record(1, 2, "CD012345", url=cdsr) + _record(2, 2, "CD012346", url=cdsr), "cdsr.txt")
    parsed = load_references(review)
    assert parsed.dialect == "" and {r.source for r in parsed.records} == {"file"}
    assert [r.source_id for r in parsed.records] == ["CD012345", "CD012346"]
    assert {r.source for r in load_references(review, source="cdsr").records} == {"cdsr"}


@pytest.mark.parametrize("name", ["cochrane_layout.txt", "complete/three_cochrane.txt"])
def test_detected_from_the_content(name):
    assert detect_format((FIXTURES / name).read_text(encoding="utf-8")) == "cochrane_text"


@pytest.mark.parametrize("text, kind", [
    # The Cochrane Library's RIS and BibTeX exports carry the same "Record #" line: they stay RIS and BibTeX.
    ("Record #1 of 2\nProvider: John Wiley & Sons, Ltd.\nContent: text/plain; charset=\"UTF-8\"\n\n"
     "TY  - JOUR\nAN  - CN-01234567\nTI  - A trial\nER  - \n", "ris"),
    ("Record #1 of 1\n@article{CN-01234567,\nauthor = {Huey, SL},\ntitle = {A trial},\nyear = {2019}\n}\n",
     "bibtex"),
    # ProQuest's text export numbers its documents much the same way.
    ("Document 1 of 2\n\nA title\n\nAuthor: Smith, J\n\nProQuest document ID: 123\n", "proquest_text"),
    # The fields without their record line are no export sysrev knows.
    ("ID: CN-01234567\nAU: Smith J\nTI: A trial\n", None),
])
def test_other_layouts_are_not_taken_for_it(text, kind):
    if kind:
        assert detect_format(text) == kind
    else:
        with pytest.raises(InputError, match="unrecognised reference format"):
            detect_format(text)


def test_no_other_fixture_is_taken_for_it():
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in (".ris", ".nbib", ".bib", ".enw", ".txt", ".csv", ".json", ".xml",
                                               ".cgi", ".tsv") and "cochrane" not in path.name:
            try:
                kind = detect_format(path.read_bytes().decode("utf-8", "replace"))
            except InputError:
                continue
            assert kind != "cochrane_text", path


def test_a_file_holding_fewer_records_than_it_says_is_cut_off(tmp_path):
    # records numbered 1, 2, 3 of 5: the download stopped; the last record may be incomplete (it ends like the
    # others here, so it is kept when the cut is allowed)
    text = "".join(_record(n, 5, f"CN-0999990{n}") for n in (1, 2, 3))
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match="says it holds 5 records but ends after record #3") as err:
        load_references(path)
    assert err.value.line == 11 and "--allow-truncated" in str(err.value)
    allowed = load_references(path, allow_truncated=True)
    assert [r.source_id for r in allowed.records] == ["CN-09999901", "CN-09999902", "CN-09999903"]
    assert "0 incomplete records were dropped and 3 kept" in allowed.warnings[0]
    # with too few records to know how a record ends, the last one is dropped
    two = _write(tmp_path, _record(1, 5, "CN-09999901") + _record(2, 5, "CN-09999902"), "two.txt")
    allowed = load_references(two, allow_truncated=True)
    assert [r.source_id for r in allowed.records] == ["CN-09999901"]


def test_a_last_record_without_the_closing_field_is_cut_off(tmp_path):
    text = "".join(_record(n, 3, f"CN-0999990{n}") for n in (1, 2, 3)).rsplit("US: ", 1)[0]
    with pytest.raises(InputError, match="does not end with the 'US:' field") as err:
        load_references(_write(tmp_path, text))
    assert err.value.line == 11


def test_a_half_line_at_the_end_is_a_cut(tmp_path):
    text = "".join(_record(n, 2, f"CN-0999990{n}") for n in (1, 2)) + "Record #3 of"
    with pytest.raises(InputError, match="ends in the middle of a line") as err:
        load_references(_write(tmp_path, text))
    assert err.value.line == 6  # the half line may be the start of a record header: record #2 may be cut


def test_records_numbered_otherwise_are_not_counted(tmp_path):
    # numbers that do not run 1, 2 … (the hit numbers of a selection) say nothing about the file's end
    text = _record(3, 18, "CN-09999903") + _record(7, 18, "CN-09999907")
    assert len(load_references(_write(tmp_path, text)).records) == 2


@pytest.mark.parametrize("text, line, words", [
    (_record(1, 1, "CN-1", "AB: First paragraph.", "Second paragraph."), 5, ["'Second paragraph.'",
                                                                             "not a 'TAG: value' line"]),
    (_record(1, 1, "CN-1", "ti: lower case"), 4, ["not a 'TAG: value' line"]),
    (_record(1, 2, "CN-1") + _record(2, 2, "CN-2", title=""), 6, ["record #2 has no title"]),
    (_record(1, 2, "CN-1") + _record(2, 3, "CN-2"), 6, ["'Record #2 of 3' does not match the 'of 2'"]),
    (_record(1, 2, "CN-1") + _record(3, 2, "CN-2"), 6, ["a record number outside 1–2"]),
    (_record(1, 2, "CN-1") + _record(1, 2, "CN-2"), 6, ["'Record #1 of 2' again (first at line 1)"]),
    ("\n" + _record(1, 1, "CN-1").replace("Record #1 of 1\n", "Record #1 of 1\n\n\n"), None, None),
])
def test_malformed_input_is_an_error_naming_the_line(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    if line is None:  # blank lines around the fields are no error
        assert [r.title for r in load_references(path).records] == ["A trial"]
        return
    with pytest.raises(InputError) as err:
        load_references(path)
    message = str(err.value)
    assert err.value.line == line and message.startswith(f"{path}, line {line}: ")
    assert all(word in message for word in words), message


def test_a_tag_no_source_names_is_kept_in_the_extra_fields_with_a_warning(tmp_path):
    # CC (the Cochrane group that found the trial, e.g. HS-HANDSRCH) is not mapped; a real export holding it
    # must still be read, every record whole.
    path = _write(tmp_path, _record(1, 2, "CN-1", "CC: HS-HANDSRCH") + _record(2, 2, "CN-2", "CC: HS-EMBASE"))
    parsed = load_references(path)
    assert [r.extra["fields"]["CC"] for r in parsed.records] == ["HS-HANDSRCH", "HS-EMBASE"]
    assert [r.title for r in parsed.records] == ["A trial", "A trial"]
    assert parsed.warnings == [f"{path}, line 4: tag 'CC:' (2 lines) is not one sysrev reads as a field; kept in "
                               "the records' extra fields"]


def test_text_before_the_first_record_is_refused_when_the_format_is_forced(tmp_path):
    path = _write(tmp_path, "Search Name: back pain\n" + _record(1, 1, "CN-1"))
    with pytest.raises(InputError, match="text before the first 'Record #1 of …' line") as err:
        load_references(path, format="cochrane_text")
    assert err.value.line == 1
    with pytest.raises(InputError, match="no Cochrane Library records found"):
        load_references(_write(tmp_path, "\n\n", "x.txt"), format="cochrane_text")


def test_sysrev_import_of_a_plain_text_export(tmp_path):
    root = tmp_path / "review"
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(root), "--no-input", "--no-git", "--outcome", "pain"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(cli, ["import", str(FIXTURES / "cochrane_layout.txt"), "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "Imported 4 records from cochrane_layout.txt (cochrane_text, cochrane-central, utf-8)" in result.output
    (run,) = list_snapshots(root / "searches" / "runs")
    assert run.name.endswith("-cochrane-central")
    manifest, records = read_snapshot(run)
    assert (manifest["source"], manifest["format"], manifest["dialect"]) == (
        "cochrane-central", "cochrane_text", "cochrane-central")
    assert [r.source_id for r in records] == ["CN-09999921", "CN-09999922", "CN-09999923", "CN-09999924"]
    assert [r.pmid for r in records] == ["39999921", "39999922", "", ""]
    saved = [json.loads(line) for line in (run / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert saved[0]["doi"] == "10.9999/ejp.2020.101"
    forced = runner.invoke(cli, ["import", str(FIXTURES / "cochrane_layout.txt"), "--format", "cochrane_text",
                                 "--again", "--dry-run", "--project", str(root)])
    assert forced.exit_code == 0, forced.output


def test_screen_simulate_names_it_when_given_instead_of_a_labelled_csv(tmp_path):
    from sysrev.screening.labelled_csv import _refuse_reference_file

    with pytest.raises(InputError, match=r"a reference file \(Cochrane Library plain text\), not a CSV"):
        _refuse_reference_file((FIXTURES / "cochrane_layout.txt").read_text(encoding="utf-8"), tmp_path / "x.csv")
