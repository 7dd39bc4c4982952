"""One import is one search: files that name different databases are refused, so PRISMA never counts an Embase
and a PubMed export as one source; files of one database, or files that name none, are imported together."""

import pytest

from sysrev.errors import SysrevError
from sysrev.search.imports import prepare_import

EMBASE = "TY  - JOUR\nTI  - From Embase\nDB  - Embase\nER  - \n"
MEDLINE = "TY  - JOUR\nTI  - From Ovid MEDLINE\nDB  - Ovid MEDLINE(R)\nER  - \n"
PLAIN = "TY  - JOUR\nTI  - From a reference manager\nER  - \n"


def test_files_naming_two_databases_are_refused_naming_each(write_file):
    embase, medline = write_file("embase.ris", EMBASE), write_file("medline.ris", MEDLINE)
    with pytest.raises(SysrevError) as info:
        prepare_import([embase, medline, write_file("zotero.ris", PLAIN)])
    assert str(info.value) == (
        "these files come from different sources (databases or tools): embase.ris (embase), medline.ris (pubmed); "
        "one import is one search, and PRISMA counts the records of each source, so import each source's files with "
        "their own `sysrev import` (or give --source NAME if they really are one search); nothing was imported")


def test_a_named_source_or_one_database_imports_the_files_together(write_file):
    embase, medline = write_file("embase.ris", EMBASE), write_file("medline.ris", MEDLINE)
    forced = prepare_import([embase, medline], "ovid-multifile")
    assert (forced.name, [r.title for r in forced.records]) == ("ovid-multifile", ["From Embase", "From Ovid MEDLINE"])
    # the parts of a split export that name no database (an export's later files may hold no record saying so)
    split = prepare_import([write_file("part1.ris", EMBASE), write_file("part2.ris", PLAIN)])
    assert (split.name, split.manifest_extra["source"], len(split.records)) == ("embase", "embase", 2)
    unnamed = prepare_import([write_file("part1.ris", PLAIN), write_file("part2.ris", PLAIN)])
    assert (unnamed.name, unnamed.manifest_extra["source"]) == ("part1", "file")
