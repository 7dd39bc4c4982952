"""Normalisation keys: what must compare equal across databases, and what must stay unknown."""

from sysrev.dedup.keys import family_name, normalise_journal, normalise_title, record_keys
from sysrev.dedup.scoring import journal_match
from sysrev.records import Record


def test_title_folds_case_punctuation_markup_greek_diacritics_and_spelling():
    a = normalise_title("<i>β</i>-Blockers and anaemia in paediatric haemodialysis: a randomised trial.")
    b = normalise_title("BETA-BLOCKERS AND ANEMIA IN PEDIATRIC HEMODIALYSIS - A RANDOMIZED TRIAL")
    assert a == b == "beta blockers and anemia in pediatric hemodialysis a randomized trial"
    assert normalise_title("São Paulo cohort: naïve Müller cells") == "sao paulo cohort naive muller cells"


def test_title_drops_medline_annotations_but_keeps_real_words():
    assert normalise_title("[Clinical aspects of the complement system]. [Japanese]") == \
        "clinical aspects of the complement system"
    assert normalise_title("Management of the cervix. [Review] [43 refs]") == "management of the cervix"
    assert normalise_title("Eculizumab for aHUS.[Erratum appears in N Engl J Med. 2009 Jun 4;360(23):2487]") == \
        "eculizumab for ahus"
    # a bracketed word that is not an annotation stays
    assert "trial" in normalise_title("Results of the [TRIAL] study")


def test_pages_abbreviated_and_full_forms_give_the_same_first_and_last_page():
    k1 = record_keys(Record(source_id="1", pages="575-86"))
    k2 = record_keys(Record(source_id="2", pages="575–586"))
    assert (k1.first_page, k1.last_page) == (k2.first_page, k2.last_page) == ("575", "586")
    k3 = record_keys(Record(source_id="3", pages="c37-c42"))
    assert (k3.page_prefix, k3.first_page) == ("c", "37")


def test_absurd_year_and_pages_become_unknown_with_a_problem_note():
    k = record_keys(Record(source_id="x", title="Some title of a paper here", year=20015, pages="123456789012"))
    assert k.year is None and k.first_page == ""
    assert any("absurd year" in p for p in k.problems)
    assert any("unusable pages" in p for p in k.problems)


def test_placeholder_and_missing_titles_are_not_informative():
    for title in ("", "UNKNOWN", "Book review", "Erratum", "Editorial"):
        assert not record_keys(Record(source_id="x", title=title)).title_informative
    k = record_keys(Record(source_id="x", title="Communications of the AIS", journal="Communications of the AIS"))
    assert not k.title_informative  # the title only repeats the journal


def test_truncated_doi_is_ignored():
    assert record_keys(Record(source_id="x", doi="10.17705/1C")).doi == ""
    assert record_keys(Record(source_id="x", doi="https://doi.org/10.1000/ABC.123")).doi == "10.1000/abc.123"


def test_family_names_from_the_common_author_formats():
    assert family_name("Zuber, J.") == "zuber"
    assert family_name("B. Abrahao") == "abrahao"
    assert family_name("Li Z. M.") == "li"
    assert family_name("van Hamont, D") == "vanhamont"
    assert family_name("Nürnberger, Jens") == "nurnberger"


def test_journal_abbreviations_match_and_other_venues_do_not():
    def keys(journal):
        return record_keys(Record(source_id="x", journal=journal))

    assert journal_match(keys("N Engl J Med"), keys("The New England Journal of Medicine")) == "same"
    assert journal_match(keys("J Am Soc Nephrol"), keys("Journal of the American Society of Nephrology")) == "same"
    assert journal_match(keys("Obstetrics & Gynecology"), keys("Obstetrics and Gynecology")) == "same"
    assert journal_match(keys("Pediatric Nephrology.Conference: 44th Annual Meeting"),
                         keys("Pediatr Nephrol")) == "same"
    assert journal_match(keys("Journal of Digital Studies"), keys("Workshop of Digital Studies")) == "different"
    assert journal_match(keys("Blood"), keys("Lancet")) == "different"
    assert normalise_journal("PLoS ONE [Electronic Resource]") == ("plos", "one")


def test_publication_kinds_are_recognised():
    def kinds(**fields):
        return record_keys(Record(source_id="x", **fields)).kinds

    assert "erratum" in kinds(title="Erratum: Effect of X on Y")
    assert "erratum" in kinds(title="Correction to: Effect of X on Y")
    assert "erratum" not in kinds(title="Effect of X on Y.[Erratum appears in Lancet 2001;357:1]")
    assert "comment" in kinds(title="Reply to: Effect of X on Y")
    assert "comment" in kinds(title="Effect of X on Y", publication_types=["Comment"])
    assert "protocol" in kinds(title="Effect of X on Y: study protocol for a randomised controlled trial")
    assert "preprint" in kinds(title="Effect of X on Y", journal="medRxiv")
    # a preprint server's DOI alone is not a kind: SSRN's DOI is also attached to published articles
    assert "preprint" not in kinds(title="Effect of X on Y", doi="10.1101/2020.01.01.123456")
    assert record_keys(Record(source_id="x", doi="10.2139/ssrn.3456789")).preprint_doi
    assert "erratum" in kinds(title="Effect of X on Y (New England Journal of Medicine (2009) 360 (542-544))")
    assert "conference" in kinds(title="Effect of X on Y", journal="Blood. Conference: 52nd ASH Annual Meeting")
    assert not kinds(title="Proceedings of the effect of X", journal="Proceedings of the National Academy of Sciences")
    cochrane = record_keys(Record(source_id="x", doi="10.1002/14651858.CD001234.pub3"))
    assert (cochrane.cochrane_id, cochrane.cochrane_version) == ("cd001234", 3)
    assert record_keys(Record(source_id="x", title="Back pain. Part II: treatment")).part == "2"


def test_thousands_separators_do_not_change_a_title_number():
    assert normalise_title("Among 10 000 women") == normalise_title("Among 10,000 women") == \
        normalise_title("among 10000 women") == "among 10000 women"
    assert normalise_title("p<0.001 at 1.5 mg") == "p 0 001 at 1 5 mg"  # decimals are left alone


def test_iso_contracted_journal_abbreviations_and_embase_meeting_venues_match():
    def keys(journal):
        return record_keys(Record(source_id="x", journal=journal))

    assert journal_match(keys("Dtsch Med Wochenschr"), keys("Deutsche Medizinische Wochenschrift")) == "same"
    assert journal_match(keys("Proc Natl Acad Sci U S A"),
                         keys("Proceedings of the National Academy of Sciences of the United States")) == "same"
    assert journal_match(keys("J Clin Oncol"), keys("Journal of Clinical Neurology")) == "different"
    embase = keys("J Thromb Haemost.Conference: 23rd Congress of the ISTH Kyoto Japan")
    assert journal_match(embase, keys("23rd Congress of the ISTH, Kyoto, Japan")) == "same"
    assert journal_match(embase, keys("24th Congress of the ISTH, Amsterdam")) == "different"


def test_design_papers_are_protocols():
    assert "protocol" in record_keys(Record(source_id="x", title="The ABC trial: rationale and design")).kinds


def test_trial_registrations_and_theses_are_their_own_kinds():
    def kinds(**fields):
        return record_keys(Record(source_id="x", title="Effect of X on Y", **fields)).kinds

    assert kinds(journal="ClinicalTrials.gov") == {"registration"}
    assert kinds(journal="ISRCTN registry") == {"registration"}
    assert "thesis" in kinds(extra={"ENTRYTYPE": "phdthesis"})
    assert "thesis" in kinds(publication_types=["Dissertation"])
    assert not kinds(journal="Trials")


def test_an_absurd_end_of_a_page_range_is_dropped_with_a_note_but_a_backward_range_keeps_its_end():
    k = record_keys(Record(source_id="x", pages="1-99999999999"))
    assert (k.first_page, k.last_page) == ("1", "")
    assert any("unusable last page" in p for p in k.problems)
    typo = record_keys(Record(source_id="x", pages="2297-2108"))  # the first page mistyped for 2097
    assert (typo.first_page, typo.last_page, typo.problems) == ("2297", "2108", [])


def test_a_year_given_as_odd_text_becomes_unknown_without_a_crash():
    for odd in ("¹", "²⁰¹⁰", "20l0", ""):
        assert record_keys(Record(source_id="x", year=odd)).year is None
