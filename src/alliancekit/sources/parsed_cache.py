"""A cache of parsed and checked source tables, so a process does not parse CSV again.

Entries are Arrow IPC files under ``<user cache>/parsed/``, named by a hash of the source file's
absolute path, size, modification time, what was asked of it and the alliancekit version. A
changed file, a new version or a different request gets a new entry; an unreadable entry or an
unwritable cache is ignored and the CSV is parsed as usual.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

_VERSION = "1"


def _entry(path: Path, request: str) -> Path:
    from alliancekit import __version__
    from alliancekit.sources.registry import cache_dir

    status = path.stat()
    key = "|".join(
        [str(path.resolve()), str(status.st_size), str(status.st_mtime_ns), request,
         __version__, _VERSION]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return cache_dir().parent / "parsed" / f"{path.name}.{digest}.arrow"


def load_or_build(path: Path, request: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The cached table for ``path`` and ``request``, or ``build()`` (then cached)."""
    if os.environ.get("ALLIANCEKIT_NO_PARSED_CACHE"):
        return build()
    entry = _entry(path, request)
    if entry.is_file():
        try:
            return pd.read_feather(entry)
        except Exception:  # a damaged entry is rebuilt, never trusted
            entry.unlink(missing_ok=True)
    frame = build()
    try:
        from alliancekit.io import atomic_path

        with atomic_path(entry) as temporary:
            frame.to_feather(temporary)
    except OSError:
        pass
    return frame
