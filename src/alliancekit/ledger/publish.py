"""Publishing the ledger's approved state as a records directory that everything reads.

``ALLIANCEKIT_RECORDS=DIR`` makes the engine, the panels and the explorer read the curated
records from ``DIR`` instead of the shipped ones (:func:`alliancekit.locations.curated_dir`).
:func:`publish` writes the ledger's records there (each file atomically, the shipped state
lists and names beside them) and then touches ``DIR/.published``; a running explorer sees the
new stamp on its next request and reads the records again (no restart), and a new command
reads them anyway.
"""

from __future__ import annotations

import datetime
import fcntl
import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import Engine

from alliancekit.errors import UsageError
from alliancekit.io import atomic_path
from alliancekit.ledger.db import transaction
from alliancekit.ledger.models import FOLDERS, AuditEntry
from alliancekit.ledger.records import export_records
from alliancekit.locations import RECORDS_SETTING, STAMP, shipped_dir


def publish_dir(directory: Path | str | None = None) -> Path:
    """Where to publish: ``directory``, else ``ALLIANCEKIT_RECORDS``."""
    found = directory or os.environ.get(RECORDS_SETTING)
    if not found:
        raise UsageError(f"give --to DIR or set {RECORDS_SETTING}=DIR: the records directory "
                         "the engine and the explorer read")
    path = Path(found)
    if path.resolve() == shipped_dir().resolve():
        raise UsageError(f"{path}: the records shipped with alliancekit are the released "
                         "snapshot; publish elsewhere (ledger export writes them for a release)")
    return path


def publish(engine: Engine, directory: Path | str | None = None) -> int:
    """Write the ledger's records to the published records directory (see the module
    docstring); the number of records."""
    root = publish_dir(directory)
    root.mkdir(parents=True, exist_ok=True)
    # One publish at a time, across threads and processes; each reads the ledger inside the
    # lock, so the last to write is the latest state.
    with (root / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _publish(engine, root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _publish(engine: Engine, root: Path) -> int:
    shipped = shipped_dir()
    for source in sorted(shipped.iterdir()):  # the state lists, names and map spells
        if source.is_file() and source.name not in (STAMP, ".lock"):
            target = root / source.name
            if not target.is_file() or target.read_bytes() != source.read_bytes():
                with atomic_path(target) as temporary:
                    shutil.copyfile(source, temporary)
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    written = export_records(engine, root)
    with atomic_path(root / STAMP) as temporary:
        temporary.write_text(f"{datetime.datetime.now(datetime.UTC).isoformat()} "
                             f"{uuid.uuid4().hex}\n", encoding="utf-8")
    with transaction(engine) as session:
        session.add(AuditEntry(actor="ledger", action="publish", comment=str(root)))
    return len(written)
