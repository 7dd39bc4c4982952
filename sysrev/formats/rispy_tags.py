"""rispy's tag parsers set up to keep every tag under its own name, as a list.

The RIS and Web of Science readers map tags to Record fields themselves (:mod:`sysrev.formats.fields`), with
rules rispy's fixed mapping cannot express (which of several tags wins, per database), so rispy is asked only
to split the records into tags: no renaming, and every tag's values kept as a list (repeats and continuation
lines included).
"""


class _EveryTag:
    """A ``list_tags`` that holds every tag."""

    def __contains__(self, tag):
        return True


class _OwnNames(dict):
    """A tag ``mapping`` under which every tag keeps its own name."""

    def __missing__(self, tag):
        return tag


def keep_every_tag() -> dict:
    """The keyword arguments of a rispy parser that keep every tag under its own name, as a list."""
    return {"mapping": _OwnNames(), "list_tags": _EveryTag()}
