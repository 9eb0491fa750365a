"""BibTeX for the sources: what ``alliancekit cite`` prints and the explorer's "cite this"
box shows."""

from __future__ import annotations

from collections.abc import Iterable

from alliancekit.sources.registry import get_source

CURATED_CITATION = """@misc{alliancekit_curated,
  title = {alliancekit curated records of alliances, coalitions and defence pacts},
  note = {Each record cites its public sources; see the record files and
          docs/curation-gaps.md},
  howpublished = {alliancekit, src/alliancekit/data/curated}
}"""


def bibtex(names: Iterable[str]) -> str:
    """The BibTeX entries for the sources ``names`` (registry names, or ``curated``), each
    entry once, in order."""
    seen: dict[str, None] = {}
    # ATOP's pledges carried past 2018 rest on ATOP and the curated status records.
    expanded = [part for name in names
                for part in (("atop", "curated") if name == "atop_carried" else (name,))]
    for name in expanded:
        if name == "curated":
            seen.setdefault(CURATED_CITATION, None)
            continue
        for entry in get_source(name).citation.split("\n@"):
            seen.setdefault(entry if entry.startswith("@") else "@" + entry, None)
    return "\n\n".join(seen)
