"""Double extraction of study characteristics, in full: the consensus row of every kind of agreement and
disagreement (numbers written differently, differing text, a cell only one extractor filled, a number only one
gave, differing notes, a study only one extracted), the discrepancy list and the agreement counts."""

from sysrev.extraction.compare_studies import compare_studies, write_studies
from sysrev.extraction.discrepancy import Discrepancy

ANA = ("study,country,n_randomised,population,note\n"
       "Alpha 2001,Korea,120,adults with  sciatica,checked twice\n"
       "Beta 2002,Japan,80,,\n"
       "Gamma 2003,India,50,adults,from the protocol\n"
       "Eta 2007,Peru,30,,Ana saw the erratum\n")
BEN = ("study,country,n_randomised,population,age_mean,note\n"
       "Alpha 2001,Korea,120.0,adults with sciatica,,checked twice\n"
       "Beta 2002,China,,older adults,61.5,Ben's note\n"
       "Eta 2007,Peru,30,,,\n"
       "Delta 2004,Spain,40,,,\n")


def _files(tmp_path):
    a, b = tmp_path / "ana.csv", tmp_path / "ben.csv"
    a.write_text(ANA, encoding="utf-8")
    b.write_text(BEN, encoding="utf-8")
    return a, b


def _key(study):
    return (study, "", "", "", "")


def test_the_consensus_of_two_extractors_in_full(tmp_path):
    a, b = _files(tmp_path)
    result, header = compare_studies(a, b, "Ana", "Ben")
    assert header == ["study", "country", "n_randomised", "population", "note", "age_mean"]
    assert result.consensus == [
        {"study": "Alpha 2001", "country": "Korea", "n_randomised": "120", "population": "adults with sciatica",
         "note": "checked twice", "age_mean": ""},
        {"study": "Beta 2002", "country": "Ana: Japan | Ben: China", "n_randomised": "",
         "population": "older adults", "age_mean": "",
         "note": "[DISAGREEMENT] n_randomised: Ana=80, Ben=(empty); age_mean: Ana=(empty), Ben=61.5. Ben's note"},
        {"study": "Gamma 2003", "country": "India", "n_randomised": "50", "population": "adults",
         "note": "[DISAGREEMENT] study extracted by Ana only. from the protocol", "age_mean": ""},
        {"study": "Eta 2007", "country": "Peru", "n_randomised": "30", "population": "", "age_mean": "",
         "note": "Ana saw the erratum"},
        {"study": "Delta 2004", "country": "Spain", "n_randomised": "40", "population": "", "age_mean": "",
         "note": "[DISAGREEMENT] study extracted by Ben only."},
    ]
    assert result.discrepancies == [
        Discrepancy(_key("Beta 2002"), "country", "Japan", "China"),
        Discrepancy(_key("Beta 2002"), "n_randomised", "80", ""),
        Discrepancy(_key("Beta 2002"), "population", "", "older adults"),
        Discrepancy(_key("Beta 2002"), "age_mean", "", "61.5"),
        Discrepancy(_key("Gamma 2003"), "(row)", "present", "missing"),
        Discrepancy(_key("Delta 2004"), "(row)", "missing", "present"),
    ]
    # Alpha: country, n, population agree; Beta: four cells differ; Eta: country and n agree
    assert (result.cells_compared, result.cells_agreed) == (9, 5)
    assert (result.name_a, result.name_b) == ("Ana", "Ben")


def test_two_different_notes_are_both_kept_with_their_extractor(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("study,country,note\nAlpha 2001,Korea,from Table 1\n", encoding="utf-8")
    b.write_text("study,country,note\nAlpha 2001,Korea,from the abstract\n", encoding="utf-8")
    result, _ = compare_studies(a, b)
    assert result.consensus[0]["note"] == "A: from Table 1 | B: from the abstract"
    assert result.discrepancies == [] and (result.cells_compared, result.cells_agreed) == (1, 1)


def test_one_extractors_file_alone_marks_every_study(tmp_path):
    a, _ = _files(tmp_path)
    result, header = compare_studies(a, None, "Ana", "Ben")
    assert header == ["study", "country", "n_randomised", "population", "note"]
    assert [row["note"].split(".")[0] for row in result.consensus] == ["[DISAGREEMENT] study extracted by Ana only"] * 4
    only_b, header_b = compare_studies(None, a)
    assert only_b.consensus[0]["note"].startswith("[DISAGREEMENT] study extracted by B only.")
    assert header_b[0] == "study"


def test_a_file_without_a_study_column_still_gets_one_first(tmp_path):
    result, header = compare_studies(None, None)
    assert header == ["study", "note"] and result.consensus == []


def test_the_consensus_is_written_as_csv(tmp_path):
    a, b = _files(tmp_path)
    result, header = compare_studies(a, b, "Ana", "Ben")
    path = write_studies(tmp_path / "studies.csv", header, result.consensus)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "study,country,n_randomised,population,note,age_mean"
    assert "\r" not in text and text.splitlines()[2].startswith('Beta 2002,Ana: Japan | Ben: China,,older adults,')
