"""One hand-built record pair for every verdict rule of docs/dedup.md (step 3), shared by the tests that
compare rules with each other (strength of the verdicts, the reasons a reviewer reads).

Each pair comes with a phrase its verdict's reason must contain, which shows that the rule it was built for
decided it (a pair that slipped to another rule would make a comparison between rules meaningless).
"""

from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import Verdict, compare
from sysrev.records import Record

ARTICLE = dict(title="Early mobilisation after total knee arthroplasty and length of hospital stay: a multicentre "
                     "randomised trial",
               authors=["Karlsson, Ingrid", "Novak, Petr", "Haddad, Samir"], year=2018,
               journal="Journal of Bone and Joint Surgery", volume="100", issue="7", pages="561-570")
TITLE = ARTICLE["title"]
# one letter changed: a near-identical ("high") title
TYPO = TITLE.replace("hospital", "hospitl")
# three words left out or changed: a "similar" title (rapidfuzz ratio 88-95), not a near-identical one
SIMILAR = TITLE.replace("total knee", "knee").replace("length of hospital stay", "length of stay")
# another study altogether
OTHER_TITLE = "Hip fracture surgery within two days and mortality in older adults"
DOI = "10.2106/JBJS.17.01234"
# the same article without a volume, issue or pages (a CENTRAL-style record)
BARE = dict(ARTICLE, volume="", issue="", pages="")

# a conference paper dated by the conference (2019) in one database and by the proceedings (2020) in another,
# both on page 233 of volume 12 of the proceedings, under two different proceedings titles
HELD = dict(title="Algorithmic management and worker voice on ride-hailing platforms",
            authors=["Tan, Wei", "Rossi, Marco", "Khan, Sara"], year=2019, volume="12", pages="233-241",
            journal="ICIS 2019 Proceedings", extra={"ENTRYTYPE": "inproceedings"})
PUBLISHED = dict(HELD, year=2020, journal="International Conference on Information Systems ICIS")

# a short clause ("Knee pain in runners") a database kept as the whole title, and the full title
RUNNERS = dict(title="Knee pain in runners: a prospective cohort of marathon participants",
               authors=["Berg, Lars", "Olsen, Kari"], year=2016, volume="31", issue="2", pages="45-52",
               journal="Scandinavian Journal of Sports Medicine")


def verdict(a: dict, b: dict) -> Verdict:
    return compare(record_keys(Record(source_id="a", **a)), record_keys(Record(source_id="b", **b)))


def title_pair_kind(title_a: str, title_b: str, fields: dict) -> str:
    """The verdict kind of two records that share ``fields`` and differ in title only, checked to be the same
    whichever record comes first (a rule must not depend on the order of the pair)."""
    a, b = dict(fields, title=title_a), dict(fields, title=title_b)
    forward, backward = verdict(a, b), verdict(b, a)
    assert forward.kind == backward.kind
    return forward.kind


def duplicates() -> dict:
    """One pair for every rule that merges, named by the rule (docs/dedup.md, step 3), with a word the
    reason must contain to show that this rule decided it."""
    return {
        "shared DOI, same title": (dict(ARTICLE, doi=DOI), dict(ARTICLE, doi=DOI), "same DOI/PMID"),
        "shared DOI, one title missing, same first author": (
            dict(ARTICLE, doi=DOI), dict(title="", authors=["Karlsson, I."], doi=DOI), "same DOI/PMID"),
        "every field agrees": (ARTICLE, dict(ARTICLE), "title, author and year"),
        "title, journal, volume, page and year agree; a group author": (
            ARTICLE, dict(ARTICLE, authors=["Nordic Arthroplasty Trial Group"]), "authors differ"),
        "same title, journal, volume and page; years one apart (online first)": (
            ARTICLE, dict(ARTICLE, year=2019), "online first"),
        "conference paper a year apart, same first page": (HELD, PUBLISHED, "proceedings"),
        "conference paper a year apart, no pages, the year and 'icis' in the venues": (
            dict(HELD, volume="", pages=""), dict(PUBLISHED, volume="", pages=""), "proceedings"),
        "same title, author, journal, volume and page; a year missing": (
            ARTICLE, dict(ARTICLE, year=None), "year missing"),
        "similar title; author, year, volume and page agree": (ARTICLE, dict(ARTICLE, title=SIMILAR), "similar"),
        "title cut after its first clause; venue, page and author agree": (
            RUNNERS, dict(RUNNERS, title="Knee pain in runners", pages="45"), "first clause"),
        "title translated; same author, year, issue and page range": (
            ARTICLE, dict(ARTICLE, title="Fruehmobilisierung nach Knieendoprothetik: eine Studie"), "translated"),
    }


def uncertain() -> dict:
    """One pair for every rule that queues a pair for a human, with a word its reason must contain."""
    recurring = dict(title="Editor's comments", authors=["Straub, Detmar"], year=2010,
                     journal="MIS Quarterly", volume="34")
    return {
        "shared DOI, near-identical title, years far apart": (
            dict(ARTICLE, doi=DOI), dict(ARTICLE, title=TYPO, doi=DOI, year=2022), ("identifier", "years far apart")),
        "shared DOI, one title missing, another first author": (
            dict(ARTICLE, doi=DOI), dict(title="", authors=["Berg, Lars"], doi=DOI), ("DOI/PMID", "title is missing")),
        "shared DOI, titles differ": (
            dict(ARTICLE, doi=DOI), dict(ARTICLE, title=OTHER_TITLE, doi=DOI), ("DOI/PMID", "titles differ")),
        "different DOIs, every other field agrees": (
            dict(ARTICLE, doi=DOI), dict(ARTICLE, doi=DOI + "x"), ("different DOI/PMID", "every other field agrees")),
        "no title; author, year, volume and page agree": (ARTICLE, dict(ARTICLE, title=""), "title is missing"),
        "recurring title, nothing locates both": (recurring, dict(recurring, volume=""), "recurring title"),
        "same title and year, no author": (BARE, dict(BARE, authors=[]), "no author"),
        "same title, author and year, another journal": (
            BARE, dict(BARE, journal="Acta Orthopaedica"), "different journal"),
        "short title, nothing but author and year": (
            dict(BARE, title="Knee arthroplasty outcomes", journal=""),
            dict(BARE, title="Knee arthroplasty outcomes", journal=""), "short title"),
        "same title, years one apart, nothing else": (
            dict(BARE, journal=""), dict(BARE, journal="", year=2019), "years one apart"),
        "same title, year missing, nothing else": (
            dict(BARE, journal=""), dict(BARE, journal="", year=None), "year missing"),
        "similar title, nothing else": (
            dict(BARE, journal=""), dict(BARE, journal="", title=SIMILAR), "similar titles"),
    }


def kept_apart() -> dict:
    """One pair for every rule that links two records as related or keeps them apart (a sample of them: the
    rules whose reasons are not checked elsewhere)."""
    review = dict(title="Exercise therapy for treatment of non-specific low back pain", authors=["Hayden, Jill"],
                  year=2005, journal="Cochrane Database of Systematic Reviews",
                  doi="10.1002/14651858.CD000335.pub2")
    return {
        "two versions of one Cochrane review": (
            review, dict(review, year=2021, doi="10.1002/14651858.CD000335.pub3"), "Cochrane review"),
        "same title and first author, another issue and page": (
            ARTICLE, dict(ARTICLE, issue="9", pages="801-802"), "issue differs"),
        "different DOIs, no issue or page on one side": (
            dict(ARTICLE, doi=DOI), dict(ARTICLE, doi=DOI + "x", issue="", pages=""), "different DOI/PMID"),
        "no title, no page on one side": (ARTICLE, dict(ARTICLE, title="", issue="", pages=""), "title is missing"),
    }


def phrases(what) -> tuple:
    """The phrases a pair's reason must contain (one phrase or a tuple of them)."""
    return (what,) if isinstance(what, str) else what
