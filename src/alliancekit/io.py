"""Writing panels to disk atomically: Parquet, CSV or Stata, chosen by the file extension.

The file appears complete or not at all: we write a temporary file beside the target and rename
it into place, so an error half-way leaves no partial output behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels.frame import ATTR

FORMATS = {".parquet": "Parquet", ".csv": "CSV", ".dta": "Stata"}


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """A temporary path beside ``target`` that is renamed onto it when the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def panel_format(path: Path | str) -> str:
    """The format name for ``path``'s extension; an unknown one is a usage error."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"--out {path}: unknown extension {suffix or '(none)'!r}; use "
            + ", ".join(FORMATS)
        )
    return FORMATS[suffix]


def write_panel(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write ``frame`` to ``path`` (``.parquet``, ``.csv`` or ``.dta``), atomically.

    Parquet keeps the panel's kind and sources in its metadata; Stata gets them in the data
    label. Returns the path written.
    """
    path = Path(path)
    writer = _WRITERS[panel_format(path)]
    with atomic_path(path) as temporary:
        writer(frame, temporary)
    return path


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False)


def _write_stata(frame: pd.DataFrame, path: Path) -> None:
    meta = frame.attrs.get(ATTR, {})
    label = "alliancekit " + json.dumps(meta.get("sources", []))
    # Stata has no attrs; drop them so pandas does not try to serialise them.
    plain = frame.copy(deep=False)
    plain.attrs = {}
    plain.to_stata(path, write_index=False, data_label=label[:80], version=118)


_WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    "Parquet": _write_parquet,
    "CSV": _write_csv,
    "Stata": _write_stata,
}


def read_panel(path: Path | str) -> pd.DataFrame:
    """Read a panel written by :func:`write_panel` (its kind and sources kept for Parquet)."""
    fmt = panel_format(path)
    if fmt == "Parquet":
        return pd.read_parquet(path)
    if fmt == "CSV":
        return pd.read_csv(path)
    return pd.read_stata(path)
