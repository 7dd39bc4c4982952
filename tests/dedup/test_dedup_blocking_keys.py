"""Blocking (docs/dedup.md step 2): only records sharing a key are compared; each documented key on its own.

Each pair of records below shares exactly the key named in the test (worked out by hand from its fields) and
nothing else, so the test shows that this one key brings the pair together, or that without any shared key a
pair is never compared. Large blocks are compared by sorted neighbourhood (window 12).
"""

from sysrev.dedup.blocking import WINDOW, candidate_pairs
from sysrev.dedup.keys import record_keys
from sysrev.records import Record


def pairs(*records):
    return candidate_pairs([record_keys(r) for r in records])


def rec(source_id, **fields):
    return Record(source_id=source_id, **fields)


def test_records_sharing_no_key_are_never_compared():
    # every kind of key present on both sides, every value different
    a = rec("a", doi="10.1000/aaa", pmid="111", pmcid="PMC111",
            title="Ultrasound-guided facet joint injections for chronic low back pain", authors=["Smith, J"],
            year=2015, volume="10", pages="100-110")
    b = rec("b", doi="10.1000/bbb", pmid="222", pmcid="PMC222",
            title="Cognitive behavioural therapy for insomnia in older adults at home", authors=["Jones, K"],
            year=2016, volume="11", pages="200-210")
    assert pairs(a, b) == set()
    # no title: first author + year, different
    assert pairs(rec("c", authors=["Smith, J"], year=2015), rec("d", authors=["Jones, K"], year=2016)) == set()
    # nothing to block on at all
    assert pairs(rec("e"), rec("f")) == set()


def test_one_locator_without_the_other_is_no_key():
    # the same year and first page but no author on either side, and different volumes
    assert pairs(rec("a", title="Knee pain", year=2015, volume="10", pages="100-110"),
                 rec("b", title="Hip pain", year=2015, volume="11", pages="100-120")) == set()
    # the same first page but no volume on either side, and different first authors
    assert pairs(rec("a", title="Knee pain", authors=["Smith, J"], pages="100"),
                 rec("b", title="Hip pain", authors=["Jones, K"], pages="100")) == set()
    # the same first author and year, but each has a usable title (and they differ): not compared
    assert pairs(rec("a", title="Ultrasound-guided facet joint injections", authors=["Smith, J"], year=2015),
                 rec("b", title="Cognitive behavioural therapy for insomnia", authors=["Smith, J"], year=2015)) \
        == set()


def test_a_shared_identifier_is_a_key():
    assert pairs(rec("a", title="Knee pain", doi="10.1000/xyz1"), rec("b", title="Hip pain", doi="10.1000/XYZ1")) \
        == {(0, 1)}
    assert pairs(rec("a", title="Knee pain", pmid="123"), rec("b", title="Hip pain", pmid="123")) == {(0, 1)}
    assert pairs(rec("a", title="Knee pain", pmcid="PMC9"), rec("b", title="Hip pain", pmcid="PMC9")) == {(0, 1)}


def test_the_whole_title_is_compared_without_its_spaces():
    assert pairs(rec("a", title="Well-being of carers"), rec("b", title="Wellbeing of carers")) == {(0, 1)}


def test_the_end_of_a_title_longer_than_34_letters_is_a_key():
    # a typo in the first word: the start and the four longest words differ, the last 28 letters agree
    # "Wound healing with zinc after hip surgery": 35 letters
    assert pairs(rec("a", title="Wound healing with zinc after hip surgery"),
                 rec("b", title="Wuond healing with zinc after hip surgery")) == {(0, 1)}
    # "Wound healing and zinc after hip surgery": 34 letters, no end key (the end would repeat the start)
    assert pairs(rec("a", title="Wound healing and zinc after hip surgery"),
                 rec("b", title="Wuond healing and zinc after hip surgery")) == set()
    # 82 letters, typos at the start and in the middle: only the last 28 letters agree
    assert pairs(rec("a", title="Wound healing with oral zinc supplements after elective hip replacement surgery "
                                "in older adults"),
                 rec("b", title="Wuond healing with oral zinc supplemnets after elective hip replacement surgery "
                                "in older adults")) == {(0, 1)}


def test_the_four_longest_words_are_a_key_for_reordered_titles():
    # longest words of both: injections, ultrasound, guidance, lumbar
    assert pairs(rec("a", title="Ultrasound guidance for lumbar facet injections"),
                 rec("b", title="Lumbar facet injections: does ultrasound guidance help")) == {(0, 1)}
    # three words of four letters or more are enough
    assert pairs(rec("a", title="Smoking and lung cancer"), rec("b", title="Lung cancer and smoking")) == {(0, 1)}
    # one such word is not: short words say too little about a title
    assert pairs(rec("a", title="Pain in hip and leg of men"), rec("b", title="Men: leg and hip pain")) == set()


def test_first_author_year_and_first_page_are_a_key_with_the_name_cut_to_six_letters():
    # a translated title, the family name spelt two ways: "peters" + 2015 + page 120 on both
    assert pairs(rec("a", title="Early mobilisation after hip fracture surgery", authors=["Petersen, Anne"],
                     year=2015, pages="120-127"),
                 rec("b", title="Frühmobilisierung nach Hüftfrakturoperation", authors=["Peterson, A"], year=2015,
                     pages="120-127")) == {(0, 1)}


def test_volume_and_first_page_are_a_key():
    assert pairs(rec("a", title="Knee pain", volume="12", pages="100-110"),
                 rec("b", title="Hip pain", volume="12", pages="100")) == {(0, 1)}


def test_first_author_and_year_are_a_key_for_records_without_a_usable_title():
    assert pairs(rec("a", authors=["Smith, J"], year=2015), rec("b", authors=["Smith, John"], year=2015)) == \
        {(0, 1)}


def abstract_book(n):
    """``n`` records sharing one key only (volume 12, first page 100, as the abstracts of one abstract book
    given that range each): short titles (no title key), no author. Record ``i`` has the title of rank
    ``7 * i mod n`` in sorted order, so title order and input order differ."""
    return [rec(str(i), title=f"item {7 * i % n:03d}", volume="12", pages="100-180") for i in range(n)]


def test_a_block_of_60_records_is_compared_all_pairs():
    assert len(pairs(*abstract_book(60))) == 60 * 59 // 2  # 1,770


def test_a_larger_block_compares_each_record_with_its_next_12_in_title_order():
    found = pairs(*abstract_book(61))
    # 61 records in title order: the first 49 meet 12 each, the last 12 meet 11, 10, …, 0
    assert WINDOW == 12
    assert len(found) == 49 * 12 + sum(range(12))  # 588 + 66 = 654
    assert all(i < j for i, j in found)
    # rank 0 is record 0; rank 1 is record 35 (7 × 35 = 245 = 4 × 61 + 1): neighbours in title order
    assert (0, 35) in found
    # rank 12 is record 54 (7 × 54 = 378 = 6 × 61 + 12), the 12th after rank 0; rank 13 is record 28 (7 × 28 =
    # 196 = 3 × 61 + 13), one too far
    assert (0, 54) in found and (0, 28) not in found


def test_every_record_advances_the_progress_bar_by_one():
    class Progress:
        total = 0

        def update(self, n):
            self.total += n

    progress = Progress()
    candidate_pairs([record_keys(r) for r in abstract_book(7)], progress=progress)
    assert progress.total == 7
