"""The normalisation rules of docs/dedup.md "How decisions are made", step 1 (keys), one rule at a time.

Every expected value is written out by hand from the rule: what two databases write differently must give
the same key, and what cannot be used must become unknown (empty), never a made-up value.
"""

from datetime import date

from sysrev.dedup.keys import family_name, first_clause, fold, is_serial_title, normalise_title, record_keys
from sysrev.dedup.scoring import journal_match
from sysrev.records import Record


def keys(**fields):
    return record_keys(Record(source_id="x", **fields))


def kinds(**fields):
    return keys(**fields).kinds


# --- titles ------------------------------------------------------------------------------------------------

def test_letters_outside_ascii_fold_to_their_ascii_spelling():
    # ß → ss, ø → o, æ → ae, œ → oe, ł → l: NFKD does not decompose these five, so they are spelled out
    assert fold("Straße Søren Cæsar Œdipus Łódź") == "strasse soren caesar oedipus lodz"
    assert normalise_title("Mœbius: Łańcut Æsthetics") == "moebius lancut aesthetics"


def test_html_entities_are_decoded_before_comparison():
    assert normalise_title("Health &amp; safety of night shifts") == \
        normalise_title("Health & safety of night shifts") == "health safety of night shifts"


def test_a_trailing_medline_note_is_removed_also_after_a_full_stop_or_in_parentheses():
    assert normalise_title("Effects of green tea on bone density [Japanese].") == "effects of green tea on bone density"
    assert normalise_title("Effects of green tea on bone density (Japanese)") == "effects of green tea on bone density"
    assert normalise_title("Effects of green tea on bone density. [Article in French]") == \
        "effects of green tea on bone density"
    assert normalise_title("Effects of green tea on bone density [English Abstract]") == \
        "effects of green tea on bone density"


def test_a_bracketed_acronym_at_the_end_is_part_of_the_title():
    # "(ASPIRE)" is not a MEDLINE note: the title keeps it
    assert normalise_title("Aspirin for stroke prevention in the elderly (ASPIRE)") == \
        "aspirin for stroke prevention in the elderly aspire"


def test_a_title_that_is_only_a_bracketed_word_keeps_that_word():
    # a translated one-word title ("[Editorial]") is the whole title, not a note to remove
    assert normalise_title("[Editorial]") == "editorial"
    assert normalise_title("[Letter]") == "letter"


def test_the_cited_article_of_a_correction_is_kept_for_the_kind_but_left_out_of_the_title():
    k = keys(title="Erratum: Effect of X on Y (vol 360, pg 542, 2009)")
    assert k.title == "erratum effect of x on y"
    assert "erratum" in k.kinds


def test_an_empty_record_has_empty_keys():
    k = keys()
    assert (k.title, k.title_informative, k.title_numbers, k.title_clause) == ("", False, frozenset(), "")
    assert (k.journal, k.meeting, k.doi, k.pmid, k.pmcid, k.first_author, k.year) == ((), (), "", "", "", "", None)


def test_a_two_word_title_of_twelve_letters_is_informative_and_shorter_ones_are_not():
    # "Hip fracture" is 12 characters and two words: the shortest title the keys treat as naming a work
    assert keys(title="Hip fracture").title_informative is True
    assert keys(title="Knee pain").title_informative is False     # 9 characters
    assert keys(title="Osteoarthritis").title_informative is False  # one word


# --- the first clause of a title ---------------------------------------------------------------------------

def test_the_first_clause_is_the_part_before_the_subtitle_and_needs_three_words():
    assert first_clause("Low back pain: a randomised trial") == "low back pain"  # exactly three words
    assert first_clause("Low back pain: : a randomised trial") == "low back pain"  # a doubled separator
    assert first_clause("Back pain: a randomised trial") == ""  # two words: too short to identify a work
    assert first_clause("A randomised trial of acupuncture in low back pain") == ""  # no subtitle
    # a single question with a full stop a database appended has no subtitle either
    assert first_clause("Does aspirin prevent stroke in older adults?.") == ""


# --- recurring titles --------------------------------------------------------------------------------------

def test_recurring_headings_are_recognised_with_or_without_dating_words():
    assert is_serial_title("editorial")
    assert is_serial_title("editorial volume 12 issue 3")
    assert is_serial_title("letters june 2019")
    assert is_serial_title("book reviews 2019")
    assert is_serial_title("reviewers of the year")  # a listed heading that itself contains "the"
    assert is_serial_title("introduction to the minitrack on digital health")
    assert not is_serial_title("a randomized trial of acupuncture in low back pain")
    assert not is_serial_title("2019")
    assert keys(title="Editor's Comments").serial is True  # the record's key, from its normalised title
    assert keys(title="Editorial board changes in a journal of pain medicine").serial is False


# --- authors -----------------------------------------------------------------------------------------------

def test_family_names_of_initials_first_and_family_first_writing():
    assert family_name("JM Smith") == "smith"          # initials without full stops, family last
    assert family_name("Yu. A. Gagarin") == "gagarin"  # a two-letter abbreviated given name, family last
    assert family_name("Kim JH") == "kim"              # MEDLINE: family name, then initials
    assert family_name("Ng Kwok Wai") == "ng"          # family first, full given names
    assert family_name("Smith, John, Jr.") == "smith"
    assert family_name("A. B.") == "ab"                # initials only: kept, letters only


def test_anonymous_and_unknown_authors_are_no_author():
    for name in ("Anonymous", "[Anonymous]", "Anon.", "Unknown", "NA", "N.A.", "N/A", "n a"):
        k = keys(authors=[name, "Smith, J"])
        assert (k.first_author, k.first_author_tokens, k.author_tokens) == ("", frozenset(), frozenset()), name


def test_first_author_name_words_have_three_letters_and_no_particles():
    k = keys(authors=["van der Berg, Jo", "Lee, Ann"])
    assert k.first_author == "vanderberg"
    assert k.first_author_tokens == {"berg"}
    assert keys(authors=["Lee, Ann"]).first_author_tokens == {"lee", "ann"}


def test_the_name_words_of_the_first_ten_authors_only_are_kept():
    authors = [f"{name}, A" for name in ("Ab", "Bc", "Cd", "De", "Ef", "Fg", "Gh", "Hi", "Ij", "Jk", "Kl")]
    assert keys(authors=authors).author_tokens == {"ab", "bc", "cd", "de", "ef", "fg", "gh", "hi", "ij", "jk"}


# --- year ------------------------------------------------------------------------------------------------

def test_years_from_1800_to_next_year_plus_one_are_kept_and_others_are_unknown():
    next_year_plus_one = date.today().year + 2
    assert keys(year=1800).year == 1800
    assert keys(year=1799).year is None
    assert keys(year=next_year_plus_one).year == next_year_plus_one
    assert keys(year=next_year_plus_one + 1).year is None
    assert keys(year="2015").year == 2015
    assert keys(year=" 2015 ").year == 2015


# --- identifiers -------------------------------------------------------------------------------------------

def test_an_unusable_doi_is_a_problem_naming_the_value_and_a_pmcid_is_normalised():
    k = keys(doi="10.17705/1C")
    assert k.doi == "" and k.problems == ["unusable DOI '10.17705/1C'"]
    assert keys(pmcid="PMC0123456").pmcid == "PMC123456"
    assert keys(pmid="PMID: 031812345").pmid == "31812345"
    assert keys().pmcid == ""


def test_a_cochrane_review_number_comes_from_the_doi_or_from_the_page_field():
    first = keys(doi="10.1002/14651858.CD001234")
    assert (first.cochrane_id, first.cochrane_version) == ("cd001234", 1)  # no .pub suffix: first version
    by_pages = keys(pages="CD001234")  # the Cochrane Library gives the review number as the pages
    assert (by_pages.cochrane_id, by_pages.cochrane_version) == ("cd001234", None)
    assert keys(pages="123-130").cochrane_id == ""


# --- volume, issue -----------------------------------------------------------------------------------------

def test_volume_and_issue_keep_their_first_number_without_leading_zeros():
    assert keys(volume="10").volume == "10"
    assert keys(volume="012").volume == "12"
    assert keys(issue="0").issue == "0"
    assert keys(volume="Spring").volume == ""


def test_issue_numbers_of_combined_supplement_and_month_issues():
    assert keys(issue="03").issue_numbers == {"3"}
    assert keys(issue="0").issue_numbers == {"0"}
    assert keys(issue="Suppl 2").issue_numbers == {"2"}
    assert keys(issue="Jan").issue_numbers == frozenset()
    assert keys(issue="1-3").issue_numbers == {"1", "2", "3"}  # a combined issue holds every issue between
    assert keys(issue="10-12").issue_numbers == {"10", "11", "12"}
    # a span of twelve or more is no combined issue (a year has at most 12 monthly issues): only the two
    # stated numbers count
    assert keys(issue="1-13").issue_numbers == {"1", "13"}


# --- pages -------------------------------------------------------------------------------------------------

def test_page_keys_of_plain_prefixed_spaced_and_zero_padded_pages():
    def pages(value):
        k = keys(pages=value)
        return k.page_prefix, k.first_page, k.last_page

    assert pages("575") == ("", "575", "")  # one page: no last page
    assert pages("0575-0586") == ("", "575", "586")
    assert pages("575-586, 590") == ("", "575", "586")  # a second range after a comma is not the article's
    # nor after a semicolon: MEDLINE adds the discussion or reply printed with the article
    assert pages("12-3; discussion 13-4") == ("", "12", "13")
    assert pages("1405; author reply 1405-6") == ("", "1405", "")
    assert keys(pages="1405;-author reply 1405").problems == []  # was "unusable pages … ignored"
    assert pages("S 12") == ("s", "12", "")
    assert pages("1234567") == ("", "1234567", "")  # seven digits: still a page
    for unusable in ("", "iii-xii", "0", "12345678"):  # eight digits without a prefix: not a page number
        assert pages(unusable) == ("", "", ""), unusable


def test_an_end_more_than_5000_pages_after_the_start_is_ignored():
    assert keys(pages="1-5001").last_page == "5001"   # exactly 5,000 after the start: kept
    assert keys(pages="1-5002").last_page == ""
    assert keys(pages="4000-4010").last_page == "4010"


def test_article_numbers_stated_or_given_as_an_e_locator():
    # stated or given as the pages, one number: "e0212340" was "e0212340" stated and "e212340" as pages, so the
    # same PLoS article from PubMed (PG) and Scopus (C7) was vetoed as "article number differs"
    assert keys(extra={"article_number": "e0212340"}).article_number == "e212340"
    assert keys(pages="e0212340").article_number == "e212340"
    assert keys(extra={"article_number": "0450"}).article_number == "450"
    assert keys(extra={"article_number": "e-450"}).article_number == "e450"
    assert keys(pages="e1234").article_number == "e1234"
    assert keys(pages="e12-e15").article_number == ""  # a range of e-pages is pages, not a locator
    assert keys(pages="S12").article_number == ""      # a supplement page is a page
    assert keys(pages="123").article_number == ""      # a printed page is not an article number


def test_one_page_or_a_supplement_is_printed_like_an_abstract():
    assert keys(pages="575").abstract_like is True
    assert keys(pages="575-586").abstract_like is False
    assert keys(volume="45", issue="Suppl 1", pages="120-135").abstract_like is True
    assert keys(volume="45", pages="S12-S14").abstract_like is True


def test_part_numbers_in_roman_or_arabic_numerals_or_words():
    assert keys(title="Back pain. Part IV: surgery").part == "4"
    assert keys(title="Back pain. Part IX: follow-up").part == "9"
    assert keys(title="Back pain, part two").part == "2"
    assert keys(title="Back pain").part == ""


# --- journal ----------------------------------------------------------------------------------------------

def test_a_journal_abbreviation_is_used_when_the_full_title_is_missing():
    assert journal_match(keys(journal_abbrev="J Am Soc Nephrol"),
                         keys(journal="Journal of the American Society of Nephrology")) == "same"


# --- kinds of publication ----------------------------------------------------------------------------------

def test_kinds_from_publication_types_alone():
    title = "Effect of X on Y"
    assert kinds(title=title, publication_types=["Journal Article", "Erratum"]) == {"erratum"}
    assert kinds(title=title, publication_types=["Retraction of Publication"]) == {"retraction"}
    assert kinds(title=title, publication_types=["Letter"]) == {"comment"}
    for conference in ("Conference Paper", "Congress", "Meeting Abstract"):
        assert kinds(title=title, publication_types=[conference]) == {"conference"}, conference
    assert kinds(title=title, publication_types=["Study Protocol"]) == {"protocol"}
    assert kinds(title=title, publication_types=["Preprint"]) == {"preprint"}
    assert kinds(title=title, publication_types=["Trial Registration"]) == {"registration"}
    assert kinds(title=title, publication_types=["Trial registry record"]) == {"registration"}
    assert kinds(title=title, publication_types=["Thesis"]) == {"thesis"}
    assert kinds(title=title, publication_types=["Journal Article"]) == frozenset()


def test_a_retraction_notice_is_its_own_kind():
    assert "retraction" in kinds(title="Retraction: Effect of X on Y")
    assert "retraction" not in kinds(title="Effect of X on Y")


def test_conference_kind_from_entry_type_booktitle_or_abbreviated_venue():
    title = "Effect of X on Y"
    for entry in ("inproceedings", "conference", "proceedings"):
        assert kinds(title=title, extra={"ENTRYTYPE": entry}) == {"conference"}, entry
    assert kinds(title=title, extra={"entry_type": "inproceedings"}) == {"conference"}
    assert kinds(title=title, extra={"booktitle": "Proceedings of the 12th International Symposium on Pain"}) == \
        {"conference"}
    assert kinds(title=title, journal_abbrev="ESMO Congress") == {"conference"}


def test_thesis_kind_from_entry_type():
    for entry in ("phdthesis", "mastersthesis", "thesis"):
        assert kinds(title="Effect of X on Y", extra={"ENTRYTYPE": entry}) == {"thesis"}, entry


def test_elsevier_online_pages_are_read_from_their_printed_page():
    # "379.e9-379.e13": online pages 9-13 after printed page 379 (PubMed and Scopus write them so)
    def pages(value):
        k = keys(pages=value)
        return k.page_prefix, k.first_page, k.last_page, k.problems

    assert pages("379.e9-379.e13") == ("379e", "9", "13", [])
    assert pages("379.e9-e13") == ("379e", "9", "13", [])        # the end written short
    assert pages("1074.e3-4") == ("1074e", "3", "4", [])
    assert pages("0379.E9\u20130379.E13") == ("379e", "9", "13", [])
    assert pages("1759-1764.e6") == ("", "1759", "1764", [])      # printed pages with six online pages after
    assert pages("100.e1")[:3] == ("100e", "1", "")
    assert keys(pages="100.e1").article_number == "100e1"          # one online page locates the item alone
    # an end on another printed page, or before the start, says nothing about the range
    assert pages("379.e9-380.e2")[:3] == ("379e", "9", "")
    assert pages("379.e13-379.e9")[:3] == ("379e", "13", "")
    assert pages("379.e9-380")[:3] == ("379e", "9", "")              # 380 is a printed page, not online page 380


def test_response_to_inside_a_title_is_a_reply_only_with_what_it_answers():
    # "response to" anywhere made a study a comment: "Immune response to vaccination", "… in response to
    # humanitarian events"; a record and the same study under its first clause were then kept apart as
    # "a comment or reply and the article it discusses"
    for study in ("Immune response to influenza vaccination in older adults",
                  "The socio-technical evolution of OpenStreetMap in response to humanitarian events",
                  "Tumour response to neoadjuvant chemotherapy"):
        assert "comment" not in kinds(title=study), study
    for reply in ("Response to the letter by Smith and colleagues", "Ultrasound guidance: reply to the comment by Lee",
                  "In response to: ultrasound-guided injections", "Authors' reply to Dr Jones",
                  "Response: ultrasound guidance", "Re: ultrasound guidance",
                  "A response to Smith et al. on ultrasound guidance"):
        assert "comment" in kinds(title=reply), reply


def test_the_original_language_title_appended_to_a_translation_is_left_out():
    # "[Translated title] TO: Título original" and "Translated title <ORIGINAL> TITRE ORIGINAL": the same
    # article's record from another database gives the translation alone
    translated = "Incentive spirometry with expiratory positive airway pressure after myocardial revascularization"
    for raw in (f"[{translated}] TO: Espirometria incentivada con presion positiva espiratoria",
                f"{translated}. <ORIGINAL> ESPIROMETRIA INCENTIVADA CON PRESION POSITIVA"):
        assert normalise_title(raw) == normalise_title(translated), raw
    # "TO:" is the marker only after the bracketed translation, not inside an English title
    assert normalise_title("Back TO: basics of wound care") == "back to basics of wound care"
