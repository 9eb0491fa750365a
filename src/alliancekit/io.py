"""Writing panels to disk atomically: Parquet, CSV or Stata, chosen by the file extension.

The file appears complete or not at all: we write a temporary file beside the target and rename
it into place, so an error half-way leaves no partial output behind.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

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


def write_panel_parts(parts: Iterable[pd.DataFrame], path: Path | str) -> Path:
    """Write the frames ``parts`` (the rows of one panel, in order) to ``path``, atomically.

    The file is the one :func:`write_panel` would write for their concatenation. Parquet gets one
    row group per part, encoded on a thread of its own while the next part is built (the two
    overlap on two cores, and each part's memory is reused instead of touching a whole panel's
    worth of new pages); the other formats concatenate the parts first. The first part decides
    the columns and their types; a later part that differs is converted to them.
    """
    path = Path(path)
    fmt = panel_format(path)
    iterator = iter(parts)
    first = next(iterator, None)
    if first is None:
        raise ValueError(f"{path}: no parts to write (give at least one frame, even empty)")
    everything = itertools.chain([first], iterator)
    with atomic_path(path) as temporary:
        if fmt == "Parquet":
            _write_parquet_parts(everything, temporary)
        else:
            _WRITERS[fmt](_concat_parts(list(everything)), temporary)
    return path


def _concat_parts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame.attrs = parts[-1].attrs
    return frame


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as pandas' ``to_parquet(index=False)`` converts it, its ``attrs`` included."""
    # one thread: the parts are converted while another thread writes
    table = pa.Table.from_pandas(frame, preserve_index=False, nthreads=1)
    if frame.attrs:
        metadata = {**(table.schema.metadata or {}),
                    b"PANDAS_ATTRS": json.dumps(frame.attrs).encode()}
        table = table.replace_schema_metadata(metadata)
    return table


def _write_parquet_parts(parts: Iterable[pd.DataFrame], path: Path) -> None:
    tables: queue.Queue[pa.Table | None] = queue.Queue(maxsize=2)
    failures: list[BaseException] = []

    def write_tables() -> None:
        writer: pq.ParquetWriter | None = None
        table: pa.Table | None = None
        try:
            while (table := tables.get()) is not None:
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema, compression="snappy")
                elif not table.schema.equals(writer.schema, check_metadata=False):
                    table = table.cast(writer.schema)
                writer.write_table(table, row_group_size=max(table.num_rows, 1))
        except BaseException as error:  # handed to the caller's thread below
            failures.append(error)
            while table is not None:  # let the producer finish without blocking
                table = tables.get()
        finally:
            if writer is not None:
                try:
                    writer.close()
                except BaseException as error:
                    failures.append(error)

    thread = threading.Thread(target=write_tables, name="parquet-writer", daemon=True)
    thread.start()
    try:
        for part in parts:
            if failures:
                break
            tables.put(_arrow_table(part))
    finally:
        tables.put(None)
        thread.join()
    if failures:
        raise failures[0]


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
