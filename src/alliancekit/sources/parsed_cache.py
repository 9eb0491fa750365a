"""A cache of parsed and derived tables, so a process does not parse or build them again.

Entries are uncompressed Arrow IPC (Feather) files under ``<user cache>/parsed/``, which load in
milliseconds. A source table is keyed by its file's absolute path, size, modification time,
what was asked of it and the alliancekit version (:func:`load_or_build`); a derived table by
whatever its inputs are, such as the checksums of the files it was built from
(:func:`load_or_build_keyed`). Changed inputs, a new version or a different request get a new
entry; of the entries of one name only the newest few are kept. An unreadable entry
or an unwritable cache is ignored and the table is built as usual; ``ALLIANCEKIT_NO_PARSED_CACHE``
switches the cache off.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from alliancekit._version import __version__
from alliancekit.io import atomic_path
from alliancekit.sources.registry import cache_dir

_VERSION = "2"
_KEEP = 8  # entries kept per name (one per data directory, request or set of records)


def parsed_dir() -> Path:
    """Where the cache's entries live."""
    return cache_dir().parent / "parsed"


def enabled() -> bool:
    """Whether the cache is used (``ALLIANCEKIT_NO_PARSED_CACHE`` unset or empty)."""
    return not os.environ.get("ALLIANCEKIT_NO_PARSED_CACHE")


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("|".join([*parts, __version__, _VERSION]).encode()).hexdigest()[:32]


def load_or_build(path: Path, request: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The cached table for source file ``path`` and ``request``, or ``build()`` (then cached)."""
    if not enabled():
        return build()
    status = path.stat()
    key = [str(path.resolve()), str(status.st_size), str(status.st_mtime_ns), request]
    return load_or_build_keyed(f"{path.name}-{_digest([request])[:8]}", key, build)


def load_or_build_keyed(name: str, key: Sequence[str], build: Callable[[], pd.DataFrame]
                        ) -> pd.DataFrame:
    """The cached table called ``name`` for inputs ``key``, or ``build()`` (then cached).

    ``build`` must return a frame Arrow can store (no Python objects such as tuples)."""
    if not enabled():
        return build()
    entry = parsed_dir() / f"{name}.{_digest(key)}.arrow"
    if entry.is_file():
        try:
            return pd.read_feather(entry)
        except Exception:  # a damaged entry is rebuilt, never trusted
            entry.unlink(missing_ok=True)
    frame = build()
    try:
        with atomic_path(entry) as temporary:
            frame.to_feather(temporary, compression="uncompressed")
        _prune(entry.parent, name)
    except (OSError, ValueError, TypeError):
        pass
    return frame


def _prune(directory: Path, name: str) -> None:
    """Remove all but the newest :data:`_KEEP` entries called ``name``."""
    entries = []
    for path in directory.glob(f"{name}.*.arrow"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, stale in sorted(entries, reverse=True)[_KEEP:]:
        stale.unlink(missing_ok=True)
