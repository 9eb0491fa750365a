"""How a sweep is kept on disk: one Parquet file per table and partition,
``OUT/<table>/year=<key>/part-0.parquet`` (hive-style partitioning, which pandas, pyarrow,
DuckDB, Polars, R's arrow and Spark read as one dataset), each written atomically, and
``OUT/_sweep.json``, what the directory holds. Reading needs nothing of Dask (the explorer reads
an atlas through this module alone)."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from alliancekit import __version__
from alliancekit.errors import UsageError
from alliancekit.io import atomic_path

MANIFEST = "_sweep.json"


def partition_path(out: Path, table: str, key: int) -> Path:
    """Where table ``table`` of partition ``key`` is written."""
    return out / table / f"year={key}" / "part-0.parquet"


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as a Parquet file's bytes (zstd; the same frame gives the same bytes)."""
    buffer = io.BytesIO()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def write_partition(out: Path, key: int, parts: Mapping[str, bytes]) -> None:
    """Partition ``key``'s tables (Parquet bytes by table name), each file atomically."""
    for name, data in parts.items():
        path = partition_path(out, name, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary:
            temporary.write_bytes(data)


def done(out: Path, tables: Sequence[str], key: int) -> bool:
    """Whether every table of partition ``key`` is already written."""
    return all(partition_path(out, name, key).is_file() for name in tables)


def claim(out: Path, name: str, parameters: Mapping[str, Any], seed: int) -> None:
    """Record the sweep ``name`` in ``out`` or check that ``out`` holds this same sweep."""
    wanted = {"sweep": name, "seed": seed, "parameters": dict(parameters),
              "alliancekit": __version__}
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{manifest}: not a sweep manifest ({exc})") from None
        if found != wanted:
            changed = sorted(k for k in wanted if k != "parameters"
                             and found.get(k) != wanted[k])
            given = found.get("parameters") or {}
            changed += sorted(k for k in {*given, *parameters}
                              if given.get(k) != parameters.get(k))
            raise UsageError(f"out={out}: it holds a sweep with other settings "
                             f"({', '.join(changed)}); give another directory, or delete it "
                             "to start again")
        return
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"out={out}: the directory is not empty and holds no sweep; give a new "
                         "or empty directory")
    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(manifest) as temporary:
        temporary.write_text(json.dumps(wanted, indent=2, sort_keys=True) + "\n",
                             encoding="utf-8")


def manifest(out: Path | str) -> dict[str, Any]:
    """What the sweep in ``out`` is: its name, seed, parameters and alliancekit version."""
    path = Path(out) / MANIFEST
    try:
        found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: no sweep manifest ({exc})") from None
    return found


def read(out: Path | str, table: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Table ``table`` of the sweep in ``out`` as one frame (the years ``years`` only), with
    ``year`` as a column."""
    root = Path(out) / table
    if not root.is_dir():
        raise UsageError(f"{root}: no such sweep table")
    frames = []
    for part in sorted(root.glob("year=*/part-0.parquet")):
        year = int(part.parent.name.removeprefix("year="))
        if years is None or years[0] <= year <= years[1]:
            frame = pq.read_table(part).to_pandas()
            frame.insert(0, "year", year)
            frames.append(frame)
    if not frames:
        return pd.DataFrame()
    combined: pd.DataFrame = pd.concat(frames, ignore_index=True)
    return combined
