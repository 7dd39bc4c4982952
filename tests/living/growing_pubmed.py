"""A PubMed stand-in whose database grows: records entered later appear to a living update."""

from datetime import date

from search_fake_servers import SyntheticPubmed


class GrowingPubmed(SyntheticPubmed):
    """:class:`SyntheticPubmed` plus :meth:`enter`, which adds records with a given entry date."""

    def enter(self, count: int, entered: date, published: date | None = None) -> list:
        """Add ``count`` records entered on ``entered``; return their PMIDs."""
        first = max(int(p) for p, _, _ in self.records) + 1 if self.records else 30000000
        new = [(str(first + i), published or entered, entered) for i in range(count)]
        self.records.extend(new)
        self.by_pmid.update({r[0]: r for r in new})
        for field, index in (("pdat", 1), ("edat", 2)):
            ordered = sorted(self.records, key=lambda r: r[index])
            self._sorted[field] = ([r[index] for r in ordered], [r[0] for r in ordered])
        return [r[0] for r in new]
