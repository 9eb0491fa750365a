"""The registry of datasets: what each one is, which version we pin, where it lives.

Each source module declares its :class:`Source` with :func:`register`, which enters it in
:data:`REGISTRY` (importing :mod:`alliancekit.sources` imports every source module, so the
registry is whole before anything looks a source up); this module finds their files. A
source is looked for, in order, in an explicit ``data_dir``, in the
directory named by the ``ALLIANCEKIT_DATA`` environment variable, and in the user cache
(where ``alliancekit data fetch`` puts it). The first directory holding all of a source's files
wins.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import platformdirs

from alliancekit.errors import SourceNotFoundError, UsageError

ENV_VAR = "ALLIANCEKIT_DATA"

# Datasets alliancekit does not read, and why: their maintainers asked software not to automate
# their use. Asking for one by name gets this reason.
NOT_SUPPORTED: dict[str, str] = {
    "cow_alliance": (
        "alliancekit does not read the COW Formal Alliances data: its maintainer asked "
        "software not to redistribute or automate it. ATOP is alliancekit's alliance source"),
    "gml_mid": (
        "alliancekit does not read the Gibler-Miller-Little MID data: one of its maintainers "
        "asked that software not automate its use (peacesciencer withdrew add_gml_mids() at "
        "that request). Download it from the GML MID project and process it yourself; for "
        "inter-state conflict, alliancekit reads the COW wars and UCDP/PRIO armed conflicts"),
}


@dataclass(frozen=True)
class SourceFile:
    """One file of a source.

    ``path`` is relative to a data directory (``cow_states/states2016.csv``); ``sha256`` pins the
    version the registry was checked against; ``url`` is where it is downloaded from (``None``
    when the distributor offers no direct download of this exact file) and ``member`` the name
    inside the zip archive at ``url``, when it is one.
    """

    path: str
    sha256: str
    url: str | None = None
    member: str | None = None


@dataclass(frozen=True)
class Source:
    """A dataset: its identity, version, unit, coverage, distributor and citation."""

    name: str
    title: str
    version: str
    unit: str
    coverage: tuple[int, int]
    distributor: str
    homepage: str
    citation: str
    files: tuple[SourceFile, ...]
    notes: str = ""
    system: str | None = field(default=None)

    def how_to_get(self) -> str:
        """The shortest honest instruction for getting this source onto the machine."""
        if all(f.url for f in self.files):
            return f"alliancekit data fetch {self.name}"
        return (
            f"download from {self.homepage} and point ALLIANCEKIT_DATA at the folder holding "
            f"{', '.join(f.path for f in self.files)}"
        )

    def covers(self, year: int) -> bool:
        """Whether ``year`` lies inside the source's coverage."""
        return self.coverage[0] <= year <= self.coverage[1]


REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Enter ``source`` in :data:`REGISTRY` under its name, once; returns it."""
    if source.name in REGISTRY:
        raise ValueError(f"source {source.name!r} is registered twice")
    REGISTRY[source.name] = source
    return source


class MissingSourceWarning(UserWarning):
    """A source was not found and a documented fallback was used instead."""


class UnpinnedVersionWarning(UserWarning):
    """A source file differs from the version the registry pins."""


def cache_dir() -> Path:
    """The user cache directory where fetched sources are kept."""
    return Path(platformdirs.user_cache_dir("alliancekit")) / "data"


def data_dirs(data_dir: Path | str | None = None) -> list[Path]:
    """The directories searched for sources, in lookup order."""
    dirs: list[Path] = []
    if data_dir is not None:
        dirs.append(Path(data_dir))
    env = os.environ.get(ENV_VAR)
    if env:
        dirs.append(Path(env))
    dirs.append(cache_dir())
    return dirs


def get_source(name: str) -> Source:
    """The registry entry called ``name``; an unknown name lists the known ones."""
    if name in NOT_SUPPORTED:
        raise UsageError(f"source {name!r}: {NOT_SUPPORTED[name]}")
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UsageError(f"unknown source {name!r}; known sources: {known}") from None


def find_source(name: str, data_dir: Path | str | None = None) -> Path | None:
    """The first data directory holding every file of source ``name``, or ``None``."""
    source = get_source(name)
    for directory in data_dirs(data_dir):
        if all((directory / f.path).is_file() for f in source.files):
            return directory
    return None


def source_path(name: str, file: str, data_dir: Path | str | None = None) -> Path:
    """The path of ``file`` (its name, e.g. ``states2016.csv``) of source ``name``.

    Raises :class:`SourceNotFoundError` naming the directories searched and the fix.
    """
    source = get_source(name)
    directory = find_source(name, data_dir)
    if directory is None:
        raise SourceNotFoundError(name, data_dirs(data_dir), source.how_to_get())
    for f in source.files:
        if Path(f.path).name == file:
            path = directory / f.path
            _warn_if_unpinned(path, f.sha256)
            return path
    raise UsageError(f"source {name!r} has no file {file!r}")


def sha256_of(path: Path) -> str:
    """The hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def _checked(path: Path, mtime_ns: int, expected: str) -> bool:
    return sha256_of(path) == expected


def _warn_if_unpinned(path: Path, expected: str) -> None:
    if not _checked(path, path.stat().st_mtime_ns, expected):
        warnings.warn(
            f"{path} is not the version alliancekit pins (sha256 differs); results may not "
            "match the documented figures",
            UnpinnedVersionWarning,
            stacklevel=3,
        )
