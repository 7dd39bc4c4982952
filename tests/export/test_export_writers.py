"""The reference writers' exact output: a sparse record writes only what it holds, a full one every field."""

from sysrev.export.references import to_bibtex, to_csv, to_ris

SPARSE = {"record_id": "R000002", "title": "Only a title", "authors": [], "year": None, "pages": None}
FULL = {"record_id": "R000001", "title": "Ultrasound {guided} 50% & more", "authors": ["Müller, Jörg", "Ng, Wei"],
        "year": 2019, "journal": "Pain Medicine", "volume": "20", "issue": "3", "pages": "575-586",
        "doi": "10.1093/pm/pny123", "pmid": "30101234", "pmcid": "PMC6000001", "url": "https://example.org/a",
        "abstract": "Line one.\nLine two."}


def test_ris():
    assert to_ris([FULL, SPARSE]) == (
        "TY  - JOUR\nID  - R000001\nTI  - Ultrasound {guided} 50% & more\nAU  - Müller, Jörg\nAU  - Ng, Wei\n"
        "PY  - 2019\nJO  - Pain Medicine\nVL  - 20\nIS  - 3\nSP  - 575\nEP  - 586\nDO  - 10.1093/pm/pny123\n"
        "AN  - 30101234\nN1  - PMID: 30101234\nN1  - PMCID: PMC6000001\nUR  - https://example.org/a\n"
        "AB  - Line one. Line two.\nER  - \n"
        "TY  - JOUR\nID  - R000002\nTI  - Only a title\nER  - \n")
    assert to_ris([]) == ""


def test_bibtex():
    assert to_bibtex([FULL, SPARSE, dict(FULL, record_id="R000003")]) == (
        "@article{Muller2019,\n  title = {Ultrasound \\textbraceleft{}guided\\textbraceright{} 50\\% \\& more},\n"
        "  author = {Müller, Jörg and Ng, Wei},\n  year = {2019},\n  journal = {Pain Medicine},\n  volume = {20},\n"
        "  number = {3},\n  pages = {575--586},\n  doi = {10.1093/pm/pny123},\n  pmid = {30101234},\n"
        "  pmcid = {PMC6000001},\n  url = {https://example.org/a},\n  abstract = {Line one. Line two.},\n"
        "  note = {sysrev record R000001}\n}\n\n"
        "@article{anon,\n  title = {Only a title},\n  note = {sysrev record R000002}\n}\n\n"
        "@article{Muller2019a,\n" + to_bibtex([FULL]).split("\n", 1)[1].replace("R000001", "R000003"))
    assert to_bibtex([]) == ""


def test_csv():
    assert to_csv([FULL, SPARSE]) == (
        "record_id,title,authors,year,journal,volume,issue,pages,doi,pmid,pmcid,url,abstract\n"
        "R000001,Ultrasound {guided} 50% & more,\"Müller, Jörg; Ng, Wei\",2019,Pain Medicine,20,3,575-586,"
        "10.1093/pm/pny123,30101234,PMC6000001,https://example.org/a,\"Line one.\nLine two.\"\n"
        "R000002,Only a title,,,,,,,,,,,\n")


def _keys(records):
    return [line.split("{", 1)[1].rstrip(",") for line in to_bibtex(records).splitlines() if line.startswith("@")]


def test_bibtex_keys_are_family_name_and_year_in_ascii_letters_and_never_repeat():
    def rec(authors, year=2020):
        return {"record_id": "R1", "title": "t", "authors": authors, "year": year}

    assert _keys([rec(["O'Brien-Smith, J."]), rec(["王, 伟"]), rec(["Ångström, A"], None), rec([])]) == [
        "OBrienSmith2020", "anon2020", "Angstrom", "anon2020a"]
    assert _keys([rec(["Lee, S"])] * 29)[-3:] == ["Lee2020z", "Lee2020_28", "Lee2020_29"]
