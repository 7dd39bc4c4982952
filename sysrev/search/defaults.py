"""Defaults of the search connectors that the command line shows in its help.

Kept apart from the connectors (which load Biopython and requests) so that ``sysrev search --help`` lists
them without importing an HTTP client.
"""

DEFAULT_BATCH = 500  # PubMed: records per EFetch request
DEFAULT_OVERLAP_DAYS = 3  # living update: days a `--since` window reaches back before the previous run
