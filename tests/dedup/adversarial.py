"""Adversarial record pairs for the dedup rules (Hypothesis strategies), shared by the property tests and
benchmarks/dedup_adversarial.py.

* :func:`near_non_duplicates` — one realistic record and a copy that differs **only** in one veto field
  (issue, page range, Elsevier online pages after one printed page, article number, volume, year, DOI; for a
  recurring title also a year one apart or an issue): the two must never be merged.
* :func:`near_duplicates` — one realistic record and a copy corrupted the ways databases corrupt records
  (letter case, diacritics dropped, journal abbreviated, author list truncated or reduced to initials, pages
  abbreviated ``812-39``, trailing full stop, the DOI missing on one side): the two must always be merged.

Records are built from word lists, not from any labelled set, so the properties test the principles rather
than the fixtures.
"""

from dataclasses import replace

from hypothesis import strategies as st

from sysrev.dedup.engine import deduplicate
from sysrev.records import Record

_WORDS = ("platform", "workers", "algorithmic", "management", "digital", "identity", "occupational",
          "governance", "adoption", "telemedicine", "diabetes", "outcomes", "mortality", "screening", "cohort",
          "hospital", "software", "developers", "privacy", "blockchain", "supply", "chain", "resilience",
          "education", "teachers", "nursing", "burnout", "vaccination", "coverage", "rural", "communities",
          "migration", "remittances", "sustainability", "energy", "transition", "microfinance", "innovation",
          "ecosystems", "infrastructure", "maintenance", "crowdsourcing", "analytics", "capabilities",
          "performance", "cardiovascular", "inflammation", "biomarkers", "depression", "anxiety", "sleep",
          "quality", "satisfaction", "knowledge", "sharing", "online", "communities", "trust", "security")
_LINKS = ("of", "and", "in", "for", "among", "through", "across", "on")
_FAMILY = ("Müller", "Okafor", "Lindqvist", "García", "Nguyen", "Kowalski", "Søndergaard", "Dubois", "Rossi",
           "Tanaka", "Öztürk", "Fernández", "Novák", "Haddad", "Bianchi", "O'Brien", "Schäfer", "Ilić")
_GIVEN = ("Anna", "Chidi", "Per", "José", "Linh", "Marta", "Søren", "Élodie", "Marco", "Yuki", "Ayşe",
          "Lucía", "Jiří", "Rami", "Giulia", "Seán", "Jürgen", "Milica")
# (full title, abbreviation) pairs as databases write them
_JOURNALS = (("Information Systems Journal", "Inf Syst J"),
             ("Journal of Medical Internet Research", "J Med Internet Res"),
             ("American Journal of Public Health", "Am J Public Health"),
             ("Journal of the American Medical Informatics Association", "J Am Med Inform Assoc"),
             ("European Journal of Information Systems", "Eur J Inf Syst"),
             ("International Journal of Nursing Studies", "Int J Nurs Stud"),
             ("Deutsche Medizinische Wochenschrift", "Dtsch Med Wochenschr"))
_COLUMNS = ("Editor's Comments", "Editorial", "In this issue", "Letters", "From the Editor", "Meeting report",
            "Letters to the editor", "Book reviews")
_ACCENTS = str.maketrans({"ü": "u", "Ü": "U", "ö": "o", "Ö": "O", "ä": "a", "ø": "o", "Ø": "O", "é": "e",
                          "É": "E", "è": "e", "á": "a", "í": "i", "ó": "o", "ú": "u", "ñ": "n", "ç": "c",
                          "ć": "c", "š": "s", "ž": "z", "ř": "r", "ı": "i", "İ": "I", "ğ": "g", "ş": "s"})

VETO_FIELDS = ("issue", "pages", "online_pages", "article_number", "volume", "year", "doi")
SERIAL_VETO_FIELDS = ("issue", "year_by_one", "pages")


@st.composite
def titles(draw) -> str:
    """A 6-13 word title with distinct content words and an optional subtitle."""
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=4, max_size=8, unique=True))
    out = []
    for n, w in enumerate(words):
        out.append(w)
        if n < len(words) - 1 and draw(st.booleans()):
            out.append(draw(st.sampled_from(_LINKS)))
    text = " ".join(out)
    text = text[0].upper() + text[1:]
    if draw(st.booleans()):
        text += ": a " + draw(st.sampled_from(("cohort study", "systematic review", "field experiment",
                                               "qualitative study", "randomised trial")))
    return text


@st.composite
def authors(draw) -> list:
    families = draw(st.lists(st.sampled_from(_FAMILY), min_size=1, max_size=7, unique=True))
    return [f"{f}, {draw(st.sampled_from(_GIVEN))}" for f in families]


@st.composite
def articles(draw, serial: bool = False) -> Record:
    """A journal article (or, with ``serial``, a recurring column) with every field a database gives."""
    journal, abbrev = draw(st.sampled_from(_JOURNALS))
    start = draw(st.integers(10, 2500))
    length = draw(st.integers(2, 30))
    has_doi = draw(st.booleans())
    return Record(source_id="a", title=draw(st.sampled_from(_COLUMNS)) if serial else draw(titles()),
                  authors=draw(authors())[:1] if serial else draw(authors()), year=draw(st.integers(1995, 2024)),
                  journal=journal, journal_abbrev=abbrev, volume=str(draw(st.integers(1, 120))),
                  issue=str(draw(st.integers(1, 12))),
                  pages="" if serial and draw(st.booleans()) else f"{start}-{start + length}",
                  doi=f"10.{draw(st.integers(1000, 9999))}/x{draw(st.integers(10000, 99999))}" if has_doi
                  else "")


@st.composite
def near_non_duplicates(draw, field: str, serial: bool = False) -> tuple:
    """A record and a copy that differs only in the veto ``field`` (both stating it). Neither carries a DOI
    unless the field is the DOI: a shared identifier overrides every veto."""
    a = replace(draw(articles(serial=serial)), doi="")
    if field == "article_number":
        number = draw(st.integers(100000, 999999))
        a = replace(a, pages=f"e{number}")
        b = replace(a, pages=f"e{number + draw(st.integers(1, 5000))}")
    elif field == "issue":
        b = replace(a, issue=str(int(a.issue) + draw(st.integers(1, 11))))
    elif field == "pages":
        start, end = (int(p) for p in a.pages.split("-")) if a.pages else (draw(st.integers(10, 900)),) * 2
        a = replace(a, pages=f"{start}-{end}")
        # the next item may begin on the page where a range ends (not on a lone page: that is its first page)
        gap = draw(st.integers(0 if end > start else 1, 400))
        new_start = end + gap
        # (a lone page equal to this range's last page is that range's last page written alone, not a veto)
        b = replace(a, pages=f"{new_start}-{new_start + draw(st.integers(1 if gap == 0 else 0, 30))}")
    elif field == "online_pages":
        # Elsevier's online pages after one printed page: "379.e1-379.e7" and the next item's "379.e7-379.e12"
        anchor, start = draw(st.integers(10, 2500)), draw(st.integers(1, 40))
        end = start + draw(st.integers(1, 12))
        new_start = end + draw(st.integers(0, 30))
        a = replace(a, pages=f"{anchor}.e{start}-{anchor}.e{end}")
        b = replace(a, pages=f"{anchor}.e{new_start}-{draw(st.sampled_from(('', f'{anchor}.')))}e{new_start + 1}")
    elif field == "volume":
        b = replace(a, volume=str(int(a.volume) + draw(st.integers(1, 50))))
    elif field == "year":
        b = replace(a, year=a.year + draw(st.sampled_from((-5, -3, -2, 2, 3, 4))))
    elif field == "year_by_one":
        b = replace(a, year=a.year + draw(st.sampled_from((-1, 1))))
    elif field == "doi":
        a = replace(a, doi=f"10.1234/a{draw(st.integers(10000, 99999))}")
        b = replace(a, doi=a.doi + "1")
    else:
        raise ValueError(field)
    return a, replace(b, source_id="b")


@st.composite
def near_duplicates(draw) -> tuple:
    """A record and a copy with realistic corruption (at least one)."""
    a = draw(articles())
    b = replace(a, source_id="b")
    changes = draw(st.lists(st.sampled_from(("upper", "lower", "diacritics", "abbreviate", "truncate_authors",
                                             "initials", "short_pages", "full_stop", "drop_doi", "drop_issue")),
                            min_size=1, max_size=6, unique=True))
    for change in changes:
        if change == "upper":
            b = replace(b, title=b.title.upper())
        elif change == "lower":
            b = replace(b, title=b.title.lower())
        elif change == "diacritics":
            b = replace(b, title=b.title.translate(_ACCENTS), authors=[x.translate(_ACCENTS) for x in b.authors])
        elif change == "abbreviate":
            b = replace(b, journal=b.journal_abbrev, journal_abbrev="")
        elif change == "truncate_authors":
            b = replace(b, authors=b.authors[:draw(st.integers(1, 3))])
        elif change == "initials":
            b = replace(b, authors=[f"{x.split(', ')[0]} {x.split(', ')[1][0]}" for x in b.authors])
        elif change == "short_pages":
            start, end = b.pages.split("-")
            common = len(start) - 1 if len(start) == len(end) else 0
            while common and start[:common] != end[:common]:
                common -= 1
            b = replace(b, pages=f"{start}-{end[common:] or end}")
        elif change == "full_stop":
            b = replace(b, title=b.title + ".")
        elif change == "drop_doi":
            b = replace(b, doi="")
        elif change == "drop_issue":
            b = replace(b, issue="")
    return a, b, tuple(changes)


def merged(a: Record, b: Record) -> bool:
    """Whether sysrev puts the two records in one cluster."""
    return len(deduplicate([a, b], progress=False).clusters) == 1
