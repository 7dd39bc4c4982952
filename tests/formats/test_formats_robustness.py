"""Damaged files never crash a reader: each mutation either reads or raises InputError (file and line).

Every own fixture is cut short, has lines deleted, repeated, swapped or replaced by noise, with a fixed
random seed so a failure is reproducible; a reader that raises anything but InputError is a defect.
"""

import random

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references

_NOISE = ["", "   ", "ER  -", "TY  - ", "@article{", "<record>", "%0 ", "PMID- x", "\ufeff", "\"", "}", "ÿþ",
          "      continuation", "AU  - ,", "PY  - 99999", "SP  - 9-1", "DO  - 10.", "<!ENTITY x 'y'>"]
MUTATIONS_PER_FILE = 40


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(6)
    i = rng.randrange(len(lines))
    if kind == 0:
        return text[: rng.randrange(len(text) + 1)]
    if kind == 1:
        del lines[i]
    elif kind == 2:
        lines.insert(i, lines[i])
    elif kind == 3:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 4:
        lines[i] = rng.choice(_NOISE)
    else:
        lines.insert(i, rng.choice(_NOISE))
    return "\n".join(lines)


TEXT_FIXTURES = ["bom_crlf_multiline.ris", "ovid_counters.ris", "central_layout.ris", "pubmed_small.nbib",
                 "small.bib", "endnote_small.xml", "rayyan.csv", "wos_small.txt", "refer.enw", "zotero.csv",
                 "wos_tab_delimited.txt", "zotero_csl.json", "ovid_medlars_layout.txt", "central_layout.csv",
                 "wos_tab_full_layout.txt", "zotero_biblatex.bib", "joined_scholar.enw",
                 "ovid_embase_endnote.cgi", "clinicaltrials_layout.csv", "ictrp_layout.xml", "proquest_layout.txt",
                 "cochrane_layout.txt"]


@pytest.mark.parametrize("name", TEXT_FIXTURES)
def test_mutated_files_read_or_fail_cleanly(own_fixtures, tmp_path, name):
    original = (own_fixtures / "formats" / name).read_bytes().decode("utf-8-sig")
    rng = random.Random(name)
    for attempt in range(MUTATIONS_PER_FILE):
        text = original
        for _ in range(rng.randrange(1, 4)):
            text = _mutate(text, rng) or text
        path = tmp_path / f"{attempt}-{name}"
        path.write_text(text, encoding="utf-8")
        try:
            parsed = load_references(path)
        except InputError as exc:
            assert path.name in str(exc)
            continue
        ids = [r.source_id for r in parsed.records]
        assert all(ids) and len(set(ids)) == len(ids), (attempt, text)


def test_an_absurd_year_is_reported_and_kept_raw_not_silently_dropped(tmp_path):
    path = tmp_path / "odd_years.ris"
    path.write_text("TY  - JOUR\nID  - a1\nTI  - First trial\nPY  - 20015\nER  - \n\n"
                    "TY  - JOUR\nID  - a2\nTI  - Second trial\nPY  - 2015///\nER  - \n\n"
                    "TY  - JOUR\nID  - a3\nTI  - Third trial\nPY  - in press\nER  - \n", encoding="utf-8")
    parsed = load_references(path)
    first, second, third = parsed.records
    assert first.year is None and first.extra["unreadable_year"] == "20015"
    assert second.year == 2015 and "unreadable_year" not in second.extra
    assert third.year is None and "unreadable_year" not in third.extra  # no digits: nothing to report
    [warning] = [w for w in parsed.warnings if "plausible year" in w]
    assert str(path) in warning and "1 record has" in warning and "a1: '20015'" in warning
