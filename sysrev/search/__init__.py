"""Database searches (PubMed E-utilities, Scopus Search API) and the snapshots of their runs.

The public entry points are :mod:`sysrev.search.snapshot` (contract 3: ``write_snapshot``,
``read_snapshot``, ``list_snapshots``), :mod:`sysrev.search.pubmed`, :mod:`sysrev.search.scopus` and
:mod:`sysrev.search.strategies` (the project's ``searches/*.toml``).
"""
