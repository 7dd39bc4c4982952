"""Every field a reader maps, read into the record it belongs to — checked whole, one made-up record per format.

The other format tests follow one concern each (cut-off files, encodings, layouts); here each reader gets a
record that fills every tag it knows, and the whole Record is compared, so a tag read into the wrong field,
dropped, or kept twice is seen. The values are written to be told apart (no two fields share a value).
"""

from sysrev.formats import load_references


def _read(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    parsed = load_references(path)
    return parsed, [r.to_dict() for r in parsed.records]


def _empty(**fields):
    """A record's dict with every field empty but those given."""
    base = {"source_id": "", "source": "file", "title": "", "abstract": "", "authors": [], "year": None,
            "journal": "", "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "", "pmid": "",
            "pmcid": "", "issn": "", "language": "", "publication_types": [], "keywords": [], "url": "",
            "extra": {}}
    return {**base, **fields}


ENW = """\
%0 Journal Article
%T Ultrasound-guided versus fluoroscopy-guided
caudal epidural injection
%A Park, Ki Deok
%A Kim, Tae Kyun
%E Editor, Ed
%J Pain Physician
%B Ignored Series
%D 2013
%V 16
%N 3
%P 213-221
%R 10.36076/ppj.2013/16/213
%U https://example.org/park2013
%X Background: a randomised trial.
Methods: sixty patients.
%K low back pain
%K epidural injection
%@ 1533-3159
%M 23703408
%G English
%2 PMC1234567
%F Park2013
%1 custom one
%1 custom two

%0 Book
%T Interventional pain
%A Smith, Ann
%B Book Series Title
%@ 978-3-16-148410-0
%8 2020

%0 Journal Article
%T A record whose PMID is in a note
%Z PMID: 31234567

%0 Journal Article
%T A record from PubMed
%M 32345678
%W NLM

%0 Journal Article
%T A record with a PubMed link
%M EMB-123
%U https://pubmed.ncbi.nlm.nih.gov/33456789/
"""


def test_endnote_tagged_every_tag(tmp_path):
    parsed, records = _read(tmp_path, "refs.enw", ENW)
    assert parsed.format == "endnote_tagged" and parsed.warnings == []
    assert records[0] == _empty(
        # %M is a bare number, but nothing says the record came from PubMed: another database's accession
        source_id="23703408", title="Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
        abstract="Background: a randomised trial. Methods: sixty patients.",
        authors=["Park, Ki Deok", "Kim, Tae Kyun"], year=2013, journal="Pain Physician", volume="16", issue="3",
        pages="213-221", doi="10.36076/ppj.2013/16/213", pmcid="PMC1234567", issn="1533-3159",
        language="English", publication_types=["Journal Article"], keywords=["low back pain", "epidural injection"],
        url="https://example.org/park2013",
        extra={"type": "Journal Article", "editors": ["Editor, Ed"],
               "fields": {"%F": "Park2013", "%1": ["custom one", "custom two"]}})
    # a book: %B is its series and %@ its ISBN — neither a journal nor an ISSN, and neither lost
    assert records[1] == _empty(
        source_id="refs.enw:27", title="Interventional pain", authors=["Smith, Ann"], year=2020,
        publication_types=["Book"],
        extra={"type": "Book",
               "fields": {"%B": "Book Series Title", "%@": "978-3-16-148410-0", "%8": "2020"}})
    assert records[2] == _empty(
        source_id="refs.enw:34", title="A record whose PMID is in a note", pmid="31234567",
        publication_types=["Journal Article"],
        extra={"type": "Journal Article", "fields": {"%Z": "PMID: 31234567"}})
    assert records[3] == _empty(
        source_id="32345678", title="A record from PubMed", pmid="32345678", publication_types=["Journal Article"],
        extra={"type": "Journal Article", "fields": {"%W": "NLM"}})
    assert records[4] == _empty(
        source_id="EMB-123", title="A record with a PubMed link", pmid="33456789",
        url="https://pubmed.ncbi.nlm.nih.gov/33456789/", publication_types=["Journal Article"],
        extra={"type": "Journal Article"})
