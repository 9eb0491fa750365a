"""The execution layer for sweeps too big for one machine: partitions run in-process, on local
worker processes or on a Dask cluster, with the same result everywhere.

A sweep is a :class:`Sweep`: a name, the parameters that define it, the inputs every partition
reads (shipped once to each worker), the partition keys (a year), and ``compute``, a pure
function of ``(inputs, key, seed)`` returning one table per output (``{"atlas": frame}``). A
partition's seed comes from the run's seed and the partition's key
(:func:`partition_seed`), so the result does not depend on where or in which order partitions
run.

Each partition's tables are written as Parquet, ``OUT/<table>/year=<key>/part-0.parquet``
(hive-style partitioning, which pandas, pyarrow, DuckDB, Polars, R's arrow and Spark read as one
dataset), each file atomically. Workers return a partition's Parquet bytes and the machine that
started the run writes them, so workers need no shared file system. A rerun skips the
partitions already written, so a crashed or interrupted run resumes where it stopped;
``OUT/_sweep.json`` records what the directory holds and a run with other parameters is
refused.

Where partitions run: ``workers=None, cluster=None`` in this process; ``workers=N`` on a Dask
``LocalCluster`` of N single-threaded processes started for the run; ``cluster="tcp://HOST:8786"``
(or ``ALLIANCEKIT_CLUSTER``) on a running Dask scheduler. Dask reruns the partitions of a worker
that dies on the others.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster, as_completed

from alliancekit import __version__
from alliancekit.errors import UsageError
from alliancekit.io import atomic_path

CLUSTER_SETTING = "ALLIANCEKIT_CLUSTER"
MANIFEST = "_sweep.json"

Compute = Callable[[Any, int, int], Mapping[str, pd.DataFrame]]


@dataclass(frozen=True)
class Sweep:
    """What a sweep computes: ``compute(inputs, key, seed)`` for every key of ``keys``, the
    tables it returns named by ``tables``; ``parameters`` define the run (recorded in the
    output directory, so a rerun with others is refused)."""

    name: str
    compute: Compute
    inputs: Any
    keys: tuple[int, ...]
    tables: tuple[str, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    """What a run did: the partitions it wrote and those already there (skipped), and where
    it ran."""

    written: list[int]
    skipped: list[int]
    where: str


def partition_seed(seed: int, key: int) -> int:
    """The seed of partition ``key`` in a run seeded ``seed``: from NumPy's ``SeedSequence``
    with the key as its spawn key, so partitions draw independent streams that depend only on
    (run seed, key)."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(key,))
    return int(sequence.generate_state(2, dtype=np.uint64)[0] >> np.uint64(1))


def partition_path(out: Path, table: str, key: int) -> Path:
    """Where table ``table`` of partition ``key`` is written."""
    return out / table / f"year={key}" / "part-0.parquet"


def run_partition(compute: Compute, inputs: Any, key: int, seed: int,
                  tables: tuple[str, ...]) -> dict[str, bytes]:
    """Partition ``key`` as Parquet bytes per table (what a worker sends back)."""
    frames = compute(inputs, key, partition_seed(seed, key))
    missing = set(tables) - set(frames)
    if missing:
        raise ValueError(f"partition {key}: compute returned no table {sorted(missing)}")
    return {name: _parquet_bytes(frames[name]) for name in tables}


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def _write(out: Path, key: int, parts: Mapping[str, bytes]) -> None:
    for name, data in parts.items():
        path = partition_path(out, name, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary:
            temporary.write_bytes(data)


def done(out: Path, sweep: Sweep, key: int) -> bool:
    """Whether every table of partition ``key`` is already written."""
    return all(partition_path(out, name, key).is_file() for name in sweep.tables)


def _claim(out: Path, sweep: Sweep, seed: int) -> None:
    """Record the run in ``out`` or check that ``out`` holds this same sweep."""
    wanted = {"sweep": sweep.name, "seed": seed, "parameters": dict(sweep.parameters),
              "alliancekit": __version__}
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{manifest}: not a sweep manifest ({exc})") from None
        if found != wanted:
            changed = sorted(k for k in wanted if found.get(k) != wanted[k])
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


def run(sweep: Sweep, out: Path | str, *, seed: int = 1, workers: int | None = None,
        cluster: str | None = None,
        progress: Callable[[int, int], None] | None = None) -> Report:
    """Run ``sweep`` into ``out`` (see the module docstring); ``progress(done, total)`` is
    called as partitions finish."""
    out = Path(out)
    if workers is not None and workers < 1:
        raise UsageError(f"workers={workers}: give at least 1")
    if not 0 <= seed < 2**63:
        raise UsageError(f"seed={seed}: give a whole number from 0 to 2**63 - 1")
    cluster = cluster or os.environ.get(CLUSTER_SETTING) or None
    if cluster is not None and workers is not None:
        raise UsageError("give --workers or --cluster, not both")
    _claim(out, sweep, seed)
    skipped = [k for k in sweep.keys if done(out, sweep, k)]
    pending = [k for k in sweep.keys if k not in set(skipped)]
    total = len(sweep.keys)
    report = Report([], skipped, "this process")
    if progress:
        progress(len(skipped), total)
    if not pending:
        return report
    if cluster is None and workers is None:
        for key in pending:
            _write(out, key, run_partition(sweep.compute, sweep.inputs, key, seed,
                                           sweep.tables))
            report.written.append(key)
            if progress:
                progress(len(skipped) + len(report.written), total)
        return report
    if cluster is not None:
        report.where = f"the Dask cluster at {cluster}"
        with Client(cluster, timeout="30s") as client:
            _run_on(client, sweep, out, pending, seed, report, progress, total)
        return report
    report.where = f"{workers} local worker processes (Dask)"
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local, Client(local) as client:
        _run_on(client, sweep, out, pending, seed, report, progress, total)
    return report


def _run_on(client: Client, sweep: Sweep, out: Path, pending: Iterable[int], seed: int,
            report: Report, progress: Callable[[int, int], None] | None, total: int) -> None:
    """The pending partitions on ``client``'s workers: the inputs scattered once to every
    worker, one task per partition, each written here as it arrives."""
    inputs = client.scatter(sweep.inputs, broadcast=True)
    futures = {client.submit(run_partition, sweep.compute, inputs, key, seed, sweep.tables,
                             key=f"{sweep.name}-{seed}-{key}", pure=False): key
               for key in pending}
    for future in as_completed(futures):
        key = futures[future]
        _write(out, key, future.result())
        report.written.append(key)
        if progress:
            progress(len(report.skipped) + len(report.written), total)


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
