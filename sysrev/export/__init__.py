"""Exports a team needs to leave sysrev or to publish: included studies (RIS, BibTeX, CSV), screening
decisions with reasons (CSV), each analysis's data (CSV) and each analysis as a runnable metafor script (R)."""
