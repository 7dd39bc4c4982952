"""Vetoes: fields that, stated by both records and stated differently, make them two publications.

A merge needs agreement; a veto needs only one disagreement the data cannot explain. Two records that both
give an issue number, a page range or an article number, and give different ones, are different items of
their venue (issue 1 and issue 2 of one volume hold different papers, however alike their titles), unless a
shared DOI, PMID or PMCID says otherwise — that is checked before these vetoes are asked (see
:func:`sysrev.dedup.scoring.compare`). A value missing on one side is no evidence either way.

Titles a venue repeats from issue to issue (editorials, "Editor's Comments", "In this issue", "Letters",
meeting reports — :attr:`Keys.serial`) name no single work, so for them a differing year is a veto too, and a
merge needs an issue, page or article number stated by both records that agrees (:func:`located_together`).

Each function returns the reason for the veto, or ``""``; ``docs/dedup.md`` lists every veto field and
what overrides it.
"""

from sysrev.dedup.keys import Keys

# Pages starting at 1 on a record without a volume are an online-first version's own pagination, not a
# position in the journal's issue.
ONLINE_FIRST_PAGE = "1"


def issue_veto(a: Keys, b: Keys) -> str:
    """Both records name issue numbers and no number is common (``"3-4"`` shares 3 with ``"3"``)."""
    if a.issue_numbers and b.issue_numbers and not a.issue_numbers & b.issue_numbers:
        return f"issue differs ({_show(a.issue_numbers)} vs {_show(b.issue_numbers)})"
    return ""


def article_number_veto(a: Keys, b: Keys) -> str:
    """Both records carry an article number (or e-locator) and they differ."""
    if a.article_number and b.article_number and not same_article_number(a.article_number, b.article_number):
        return f"article number differs ({a.article_number} vs {b.article_number})"
    return ""


def same_article_number(a: str, b: str) -> bool:
    """The same article number, also when only one of the two carries the letter prefix (``e42692`` as an
    e-locator, ``42692`` as a database's article number: one article, two ways of writing it)."""
    if a == b:
        return True
    number_a, number_b = a.lstrip("abcdefghijklmnopqrstuvwxyz"), b.lstrip("abcdefghijklmnopqrstuvwxyz")
    return (number_a == a or number_b == b) and number_a == number_b


def page_veto(a: Keys, b: Keys) -> str:
    """Both records give the position of the item in the venue's pagination and the positions differ.

    Not a difference: the same first page (a mistyped or missing last page); ranges that overlap by more than
    one page or end on the same page (a mistyped first page: two items can share at most the page where one
    ends and the next begins); a lone page that is the last page of the other's range (a database that kept
    one end of the range); an online-first record's own pages starting at 1 (no volume yet); an e-locator
    against printed pages (two numbering systems, compared as article numbers instead). A supplement page
    (``S12``) against an issue page is a difference: a meeting abstract and the paper.
    """
    if not a.first_page or not b.first_page or a.first_page == b.first_page:
        return ""
    if a.page_prefix != b.page_prefix and "s" not in (a.page_prefix, b.page_prefix):
        return ""
    if a.page_prefix == b.page_prefix:
        for k in (a, b):
            if k.first_page == ONLINE_FIRST_PAGE and not k.volume:
                return ""
        if (_overlap(a, b) > 1 or _lone_last_page(a, b) or _lone_last_page(b, a)
                or (a.last_page and a.last_page == b.last_page != a.first_page)):
            return ""
    return f"first page differs ({a.page_prefix}{a.first_page} vs {b.page_prefix}{b.first_page})"


def serial_year_veto(a: Keys, b: Keys) -> str:
    """A repeated title (a column, editorial, meeting report) of different years is another instalment."""
    if (a.serial or b.serial or a.recurring or b.recurring) and a.year and b.year and a.year != b.year:
        return f"a recurring title ({a.title!r}) of different years ({a.year} vs {b.year})"
    return ""


def locator_veto(a: Keys, b: Keys) -> str:
    """The first veto that applies to the pair (issue, article number, pages, a serial item's year), or ``""``."""
    return issue_veto(a, b) or article_number_veto(a, b) or page_veto(a, b) or serial_year_veto(a, b)


def located_together(a: Keys, b: Keys) -> bool:
    """Both records state an issue, a first page or an article number, and one of those agrees: what a
    recurring title needs before two of its records may be merged."""
    return bool((a.issue_numbers & b.issue_numbers)
                or (a.first_page and a.first_page == b.first_page and a.page_prefix == b.page_prefix)
                or bool(a.article_number and b.article_number
                        and same_article_number(a.article_number, b.article_number)))


def _overlap(a: Keys, b: Keys) -> int:
    """How many pages the two ranges share (a single page counts as a range of one)."""
    start_a, start_b = int(a.first_page), int(b.first_page)
    end_a = int(a.last_page) if a.last_page and int(a.last_page) >= start_a else start_a
    end_b = int(b.last_page) if b.last_page and int(b.last_page) >= start_b else start_b
    return max(0, min(end_a, end_b) - max(start_a, start_b) + 1)


def _lone_last_page(a: Keys, b: Keys) -> bool:
    """``a`` gives one page, the last page of ``b``'s range ("569" against "567-569")."""
    return a.last_page in ("", a.first_page) and bool(b.last_page) and a.first_page == b.last_page != b.first_page


def _show(numbers: frozenset) -> str:
    return "/".join(sorted(numbers, key=lambda n: (len(n), n)))
