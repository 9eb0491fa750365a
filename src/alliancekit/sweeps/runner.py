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
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from distributed import Client, Future, LocalCluster, as_completed
from distributed.client import FutureCancelledError
from distributed.scheduler import KilledWorker

from alliancekit.errors import UsageError
from alliancekit.sweeps.store import claim, done, parquet_bytes, write_partition

CLUSTER_SETTING = "ALLIANCEKIT_CLUSTER"

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


def run_partition(compute: Compute, inputs: Any, key: int, seed: int,
                  tables: tuple[str, ...]) -> dict[str, bytes]:
    """Partition ``key`` as Parquet bytes per table (what a worker sends back)."""
    frames = compute(inputs, key, partition_seed(seed, key))
    missing = set(tables) - set(frames)
    if missing:
        raise ValueError(f"partition {key}: compute returned no table {sorted(missing)}")
    return {name: parquet_bytes(frames[name]) for name in tables}


def _where(seed: int, workers: int | None, cluster: str | None) -> str | None:
    """The cluster address to use (``ALLIANCEKIT_CLUSTER`` when none is given and no local
    workers are asked for), with the arguments checked."""
    if not 0 <= seed < 2**63:
        raise UsageError(f"seed={seed}: give a whole number from 0 to 2**63 - 1")
    if workers is not None and workers < 1:
        raise UsageError(f"workers={workers}: give at least 1")
    if cluster is not None and workers is not None:
        raise UsageError("give --workers or --cluster, not both")
    if workers is None:
        cluster = cluster or os.environ.get(CLUSTER_SETTING) or None
    return cluster


def execute(sweep: Sweep, keys: Sequence[int], *, seed: int, workers: int | None,
            cluster: str | None, arrived: Callable[[int, dict[str, bytes]], None]) -> str:
    """Run the partitions ``keys`` of ``sweep`` where asked (this process, ``workers`` local
    Dask processes, or the Dask scheduler at ``cluster``) and hand each partition's Parquet
    bytes to ``arrived(key, parts)`` as it finishes; returns where it ran."""
    address = _where(seed, workers, cluster)
    if not keys:
        return "this process"
    if address is None and workers is None:
        for key in keys:
            arrived(key, run_partition(sweep.compute, sweep.inputs, key, seed, sweep.tables))
        return "this process"
    if address is not None:
        try:
            client = Client(address, timeout="30s")
        except (OSError, ValueError, TimeoutError) as exc:
            raise UsageError(f"--cluster {address} (or {CLUSTER_SETTING}): cannot reach a Dask "
                             f"scheduler there ({exc}); start one with dask scheduler, or run "
                             "without --cluster") from None
        with client:
            _run_on(client, sweep, keys, seed, arrived)
        return f"the Dask cluster at {address}"
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local, Client(local) as client:
        _run_on(client, sweep, keys, seed, arrived)
    return f"{workers} local worker processes (Dask)"


def _run_on(client: Client, sweep: Sweep, keys: Sequence[int], seed: int,
            arrived: Callable[[int, dict[str, bytes]], None]) -> None:
    """The partitions on ``client``'s workers: the inputs scattered once to every worker, one
    task per partition, each handed on as it arrives."""
    inputs = client.scatter(sweep.inputs, broadcast=True)
    run_id = uuid.uuid4().hex  # task names of their own: a shared scheduler keeps others'
    attempts: dict[int, int] = {}

    def submit(key: int) -> Future[dict[str, bytes]]:
        attempts[key] = attempts.get(key, 0) + 1
        return client.submit(run_partition, sweep.compute, inputs, key, seed, sweep.tables,
                             key=f"{sweep.name}-{run_id}-{key}-{attempts[key]}", pure=False)

    futures = {submit(key): key for key in keys}
    completed = as_completed(list(futures))
    for future in completed:
        key = futures.pop(future)
        try:
            parts = future.result()
        except (FutureCancelledError, KilledWorker):
            # the worker died (again) or the scheduler lost the task: run it once more
            if attempts[key] >= RETRIES:
                raise
            again = submit(key)
            futures[again] = key
            completed.add(again)
            continue
        arrived(key, parts)
        # nothing here holds the future now, so the worker may forget the partition


RETRIES = 3  # runs of one partition whose worker died or whose task was lost


def run(sweep: Sweep, out: Path | str, *, seed: int = 1, workers: int | None = None,
        cluster: str | None = None,
        progress: Callable[[int, int], None] | None = None) -> Report:
    """Run ``sweep`` into ``out`` (see the module docstring); ``progress(done, total)`` is
    called as partitions finish."""
    out = Path(out)
    _where(seed, workers, cluster)  # every argument checked before anything is written
    claim(out, sweep.name, sweep.parameters, seed)
    skipped = [k for k in sweep.keys if done(out, sweep.tables, k)]
    pending = [k for k in sweep.keys if k not in set(skipped)]
    total = len(sweep.keys)
    report = Report([], skipped, "this process")
    if progress:
        progress(len(skipped), total)

    def arrived(key: int, parts: dict[str, bytes]) -> None:
        write_partition(out, key, parts)
        report.written.append(key)
        if progress:
            progress(len(skipped) + len(report.written), total)

    report.where = execute(sweep, pending, seed=seed, workers=workers, cluster=cluster,
                           arrived=arrived)
    return report


def gather(sweep: Sweep, *, seed: int = 1, workers: int | None = None,
           cluster: str | None = None, progress: Callable[[int, int], None] | None = None
           ) -> tuple[dict[str, pd.DataFrame], str]:
    """Run every partition of ``sweep`` and return each table with its partitions stacked in
    key order (a ``key`` column first), for sweeps whose results are summed up at once (the
    backtest) rather than kept; and where it ran."""
    found: dict[int, dict[str, bytes]] = {}

    def arrived(key: int, parts: dict[str, bytes]) -> None:
        found[key] = parts
        if progress:
            progress(len(found), len(sweep.keys))

    where = execute(sweep, list(sweep.keys), seed=seed, workers=workers, cluster=cluster,
                    arrived=arrived)
    tables = {}
    for name in sweep.tables:
        frames = []
        for key in sweep.keys:
            frame = pq.read_table(io.BytesIO(found[key][name])).to_pandas()
            frame.insert(0, "key", key)
            frames.append(frame)
        tables[name] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return tables, where


