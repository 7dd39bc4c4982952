"""Full texts: legal open-access copies of the papers (PMC, Europe PMC, Unpaywall), a committed manifest of
where each came from, and the papers' JATS tables for extraction with cell-level provenance."""
