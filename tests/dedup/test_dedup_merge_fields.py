"""The merged record of a duplicate cluster (docs/dedup.md "How decisions are made", step 5): each field from
the member that has the most of it — the longest abstract and journal title, the fullest author list, pages
with both ends, the first DOI/PMID found — keywords and publication types united; the fullest member is the
base (ties keep input order), so its year stands, and a base without a year takes the members' most common one.
"""

from sysrev.dedup.merge import merge_records
from sysrev.records import Record

TITLE = "Ultrasound-guided facet joint injections in chronic low back pain"


def test_the_fullest_member_is_the_base_and_its_year_stands():
    # an online-first record (2016) first, the print record (2015) second with one bibliographic field more;
    # the first carries what a source calls it (source, source_id) and source-specific extras, which are not
    # bibliographic content and do not make it fuller
    online = Record(source_id="2-s2.0-1", source="scopus", title=TITLE, authors=["Smith, John"], year=2016,
                    journal="Pain Physician", extra={"scopus_eid": "2-s2.0-1"})
    printed = Record(source_id="", source="", title=TITLE, authors=["Smith, John"], year=2015,
                     journal="Pain Physician", volume="18")
    assert merge_records([online, printed]).year == 2015
    # with the same fields filled, the first member is the base
    assert merge_records([online, Record(**{**printed.to_dict(), "volume": ""})]).year == 2016


def test_a_base_without_year_takes_the_most_common_year_of_the_members():
    full = Record(source_id="1", title=TITLE, authors=["Smith, John", "Doe, Anna"], journal="Pain Physician",
                  volume="18", issue="3", pages="575-86", doi="10.36076/ppj.2015.18.575")
    years = [Record(source_id=str(n), title=TITLE, year=y) for n, y in ((2, 2016), (3, 2015), (4, 2015))]
    assert merge_records([full, *years]).year == 2015
    assert merge_records([full, years[0]]).year == 2016
    assert merge_records([full, Record(source_id="5", title=TITLE)]).year is None


def test_a_base_with_a_year_keeps_it_whatever_the_others_say():
    full = Record(source_id="1", title=TITLE, authors=["Smith, John"], year=2015, journal="Pain Physician",
                  volume="18", pages="575-86")
    others = [Record(source_id=str(n), title=TITLE, year=2016) for n in (2, 3)]
    assert merge_records([full, *others]).year == 2015


def test_fields_no_member_has_stay_empty_text():
    # docs: empty values are "" for text (Record); a merge invents nothing
    a = Record(source_id="a", authors=["Smith, John"], year=2015, pmid="123")
    b = Record(source_id="b", authors=["Smith, J"], year=2015, pmid="123")
    merged = merge_records([a, b])
    for name in ("title", "abstract", "journal", "pages", "doi", "issn", "url", "volume", "issue"):
        assert getattr(merged, name) == "", name
    assert merged.pmid == "123"


def test_the_longest_title_text_wins_not_the_longest_markup_nor_the_last_in_order():
    # all capitals sort before lower case: an order by text would pick the shorter, truncated title
    truncated = Record(source_id="a", title="Ultrasound-guided facet joint injections")
    full = Record(source_id="b", title=TITLE.upper())
    assert merge_records([truncated, full]).title == TITLE.upper()
    # markup is not title: "<i>in vivo</i>" counts as "in vivo"
    marked = Record(source_id="c", title="<i>In vivo</i> imaging of facet joints")
    plain = Record(source_id="d", title="In vivo imaging of the facet joints")
    assert merge_records([marked, plain]).title == plain.title


def test_the_fullest_author_list_wins_then_the_fullest_names():
    # "Adams, Bob" sorts after "Adams, B": an order by text would keep the one-author list
    three = Record(source_id="a", authors=["Adams, B", "Cole, D", "Evans, F"])
    one = Record(source_id="b", authors=["Adams, Bob"])
    assert merge_records([three, one]).authors == ["Adams, B", "Cole, D", "Evans, F"]
    initials = Record(source_id="c", authors=["Smith, J", "Doe, A"])
    names = Record(source_id="d", authors=["Smith, John", "Doe, Anna"])
    assert merge_records([initials, names]).authors == ["Smith, John", "Doe, Anna"]


def test_pages_with_both_ends_win_over_a_longer_single_locator():
    # PLOS-style e-locator from one database, the printed range from another: the range has both ends
    elocator = Record(source_id="a", title=TITLE, pages="e1002345")
    printed = Record(source_id="b", title=TITLE, pages="1-12")
    assert merge_records([elocator, printed]).pages == "1-12"
    # a lone first page beats no pages
    assert merge_records([Record(source_id="c", title=TITLE), Record(source_id="d", pages="12")]).pages == "12"


def test_source_specific_extras_are_united_and_the_base_wins_a_clash():
    full = Record(source_id="1", title=TITLE, authors=["Smith, John"], year=2015, journal="Pain Physician",
                  extra={"embase_id": "L6001", "note": "from Embase"})
    sparse = Record(source_id="2", title=TITLE, extra={"scopus_eid": "2-s2.0-1", "note": "from Scopus"})
    assert merge_records([sparse, full]).extra == {"embase_id": "L6001", "scopus_eid": "2-s2.0-1",
                                                   "note": "from Embase"}
