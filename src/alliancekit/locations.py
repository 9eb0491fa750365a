"""Where alliancekit's own files are: the records it ships and the records everything reads.

The lowest layer, with :mod:`alliancekit.errors`: state names (:mod:`alliancekit.names`), the
curated records, the explorer and the ledger all find their files here.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

RECORDS_SETTING = "ALLIANCEKIT_RECORDS"
STAMP = ".published"


def shipped_dir() -> Path:
    """The directory of the records shipped with alliancekit."""
    return Path(str(resources.files("alliancekit") / "data" / "curated"))


def curated_dir() -> Path:
    """The records everything reads: ``ALLIANCEKIT_RECORDS`` when set (a records directory,
    such as the one the ledger publishes its approved state to), else the shipped ones."""
    found = os.environ.get(RECORDS_SETTING)
    return Path(found) if found else shipped_dir()


def records_stamp(root: Path | None = None) -> int:
    """When the records in ``root`` were last published (0 for records never published, such
    as the shipped ones): what is read from them is read again when it changes."""
    try:
        return (root or curated_dir()).joinpath(STAMP).stat().st_mtime_ns
    except OSError:
        return 0
