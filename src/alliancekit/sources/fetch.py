"""``alliancekit data fetch``: download a source into the user cache, checked and atomic.

A source already present with every file's pinned sha256 - where the loaders look for it
(:func:`~alliancekit.sources.registry.find_source`: an explicit ``data_dir``,
``ALLIANCEKIT_DATA``, the user cache) or in the destination - is not downloaded again unless
``force``; see :func:`already_present`.

A fetch is all or nothing. Every location is worked out before anything is created, so a
source that cannot be fetched whole (a file without a direct download) leaves no trace. Each
wanted file is then downloaded into a scratch folder inside the destination, extracted from
the distributor's zip archive when it ships inside one, and checked against the pinned
sha256. Only when *every* file of the call has been checked are they moved into place, each
by an atomic rename (or an atomic copy when its folder is on another file system). So if file
2 of a source fails, file 1 is not written either: files of the same call are rolled back by
never being placed. Files already present with their pinned checksum are kept as they are.
On any failure (or an interruption) the scratch folder is removed, and so is every directory
the fetch created that is still empty; directories that existed before are never removed.
In the unlikely event that placing the checked files fails part-way (the disk fills up during
a cross-file-system copy), the files already placed are complete and checked.

The download location is configurable: ``mirror`` replaces every file's URL by
``{mirror}/{path}`` (a copy of a data directory served over HTTP, or a ``file://`` URL), and
``url`` replaces the URL of a single-file source. A failed connection (offline, a name that
does not resolve, a refused connection) names ``--mirror`` and the distributor's homepage as
the ways out.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alliancekit.errors import ChecksumError, FetchError, UsageError
from alliancekit.io import atomic_path
from alliancekit.sources.registry import (
    Source,
    SourceFile,
    cache_dir,
    find_source,
    get_source,
    sha256_of,
)

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(file, bytes_so_far, total_bytes_or_None)`` while downloading."""

_CHUNK = 1 << 16


def already_present(
    name: str, data_dir: Path | str | None = None, destination: Path | str | None = None
) -> Path | None:
    """The directory holding every file of source ``name`` with its pinned sha256, or ``None``.

    Looks in ``destination`` (when given) and in the directory the loaders would read the source
    from (:func:`~alliancekit.sources.registry.find_source` with ``data_dir``: ``data_dir``,
    ``ALLIANCEKIT_DATA``, then the user cache).
    """
    source = get_source(name)
    candidates: list[Path] = []
    if destination is not None:
        candidates.append(Path(destination))
    found = find_source(name, data_dir)
    if found is not None:
        candidates.append(found)
    for directory in dict.fromkeys(candidates):
        if all(_matches(directory / f.path, f.sha256) for f in source.files):
            return directory
    return None


def fetch_source(
    name: str,
    *,
    mirror: str | None = None,
    url: str | None = None,
    destination: Path | None = None,
    data_dir: Path | str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    timeout: float = 60.0,
) -> list[Path]:
    """Download every file of source ``name`` into ``destination`` (default: the user cache).

    Unless ``force``, a source already present with its pinned checksums (see
    :func:`already_present`, which also looks in ``data_dir`` and ``ALLIANCEKIT_DATA``) is not
    downloaded: the paths of the copy found are returned. Otherwise the files missing from
    ``destination`` or differing from the pinned version (every file, with ``force``) are
    downloaded, checked and placed all together or not at all. Returns the paths of the
    source's files.
    """
    source = get_source(name)
    root = Path(destination) if destination is not None else cache_dir()
    if url is not None and len(source.files) != 1:
        raise UsageError(
            f"--url: source {name!r} has {len(source.files)} files; use --mirror with a base URL "
            "that serves them under their relative paths"
        )
    if not force:
        present = already_present(name, data_dir, root)
        if present is not None:
            return [present / f.path for f in source.files]
    wanted = [f for f in source.files if force or not _matches(root / f.path, f.sha256)]
    # Every location is worked out before anything is created, so a source that cannot be
    # fetched whole is not fetched at all and leaves no trace.
    plan = [_Planned(f, *_location(source, f, mirror, url)) for f in wanted]
    if plan:
        _fetch_all(plan, root, progress, timeout)
    return [root / f.path for f in source.files]


@dataclass(frozen=True)
class _Planned:
    """One file to download: where from, which zip member, and the hint shown on failure."""

    file: SourceFile
    location: str
    member: str | None
    hint: str


def _matches(path: Path, sha256: str) -> bool:
    return path.is_file() and sha256_of(path) == sha256


def _location(
    source: Source, file: SourceFile, mirror: str | None, url: str | None
) -> tuple[str, str | None, str]:
    """Where ``file`` is downloaded from, its zip member, and what to do if that fails."""
    by_hand = (f"download from {source.homepage} by hand and point ALLIANCEKIT_DATA (or "
               "--data-dir) at the folder holding it")
    if url is not None:
        return url, None, f"Check --url {url}, give --mirror BASE_URL instead, or {by_hand}."
    if mirror is not None:
        return (
            f"{mirror.rstrip('/')}/{file.path}",
            None,
            f"Is --mirror {mirror} reachable and serving {file.path}? Or {by_hand}.",
        )
    if file.url is None:
        raise FetchError(
            f"{file.path}: the distributor ({source.distributor}, {source.homepage}) offers no "
            "direct download of this exact file. Download it from there by hand and point "
            "ALLIANCEKIT_DATA or --data-dir at its folder, or give --mirror BASE_URL serving a "
            "copy of a data directory."
        )
    return (
        file.url,
        file.member,
        f"Offline? Give --mirror BASE_URL serving a copy of a data directory, or {by_hand}.",
    )


def _fetch_all(plan: list[_Planned], root: Path, progress: Progress | None,
               timeout: float) -> None:
    """Download and check every planned file, then place them all; on failure, undo."""
    created: list[Path] = []
    try:
        _make_dirs(root, created)
        with tempfile.TemporaryDirectory(dir=root, prefix=".fetch-") as scratch:
            staged: list[tuple[Path, Path]] = []
            for index, planned in enumerate(plan):
                slot = Path(scratch) / str(index)
                slot.mkdir()
                staged.append((_download_checked(planned, slot, progress, timeout),
                               root / planned.file.path))
            for payload, target in staged:
                _make_dirs(target.parent, created)
                _place(payload, target)
    except BaseException as exc:
        _remove_empty(created)
        if isinstance(exc, OSError):
            raise FetchError(
                f"{root}: could not write the download there ({exc}); nothing was kept"
            ) from exc
        raise


def _make_dirs(path: Path, created: list[Path]) -> None:
    """``mkdir -p path``, appending the directories it creates (outermost first) to ``created``."""
    missing: list[Path] = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    created.extend(reversed(missing))
    path.mkdir(parents=True, exist_ok=True)


def _remove_empty(created: list[Path]) -> None:
    """Remove the directories in ``created`` that are empty, innermost first."""
    for directory in reversed(created):
        # Not empty (someone else wrote there) or already gone: leave it.
        with contextlib.suppress(OSError):
            directory.rmdir()


def _place(payload: Path, target: Path) -> None:
    """Move the checked ``payload`` onto ``target`` atomically."""
    try:
        os.replace(payload, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        with atomic_path(target) as temporary:
            shutil.copyfile(payload, temporary)


def _download_checked(
    planned: _Planned, slot: Path, progress: Progress | None, timeout: float
) -> Path:
    """Download ``planned`` into the scratch folder ``slot``; the checked file's path."""
    downloaded = slot / "download"
    _download(planned.location, downloaded, planned.file.path, planned.hint, progress, timeout)
    member = planned.member
    payload = _extract(downloaded, member, planned.location) if member else downloaded
    actual = sha256_of(payload)
    if actual != planned.file.sha256:
        raise ChecksumError(planned.location + (f" ({member})" if member else ""),
                            planned.file.sha256, actual)
    return payload


def _download(
    location: str, out: Path, label: str, hint: str, progress: Progress | None, timeout: float
) -> None:
    request = urllib.request.Request(location, headers={"User-Agent": "alliancekit"})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"{location}: the server answered {exc.code} {exc.reason}. {hint}"
        ) from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{location}: download failed ({reason}). {hint}") from exc
    except ValueError as exc:
        raise FetchError(
            f"{location}: not a URL alliancekit can download ({exc}); give an http://, "
            "https:// or file:// URL"
        ) from exc
    with response, out.open("wb") as sink:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        done = 0
        while True:
            try:
                chunk = response.read(_CHUNK)
            except (OSError, http.client.HTTPException) as exc:
                raise FetchError(
                    f"{location}: the download broke off after {done} bytes ({exc}). {hint}"
                ) from exc
            if not chunk:
                break
            sink.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(label, done, total)
    if total is not None and done != total:
        raise FetchError(
            f"{location}: the download stopped after {done} of {total} bytes. {hint}"
        )


def _extract(archive: Path, member: str, location: str) -> Path:
    try:
        with zipfile.ZipFile(archive) as zipped:
            names = zipped.namelist()
            match = next((n for n in names if n == member or n.endswith("/" + member)), None)
            if match is None:
                raise FetchError(
                    f"{location}: the archive has no {member!r} (it has {', '.join(names[:10])})"
                )
            out = archive.with_name("member")
            with zipped.open(match) as packed, out.open("wb") as sink:
                shutil.copyfileobj(packed, sink)
            return out
    except zipfile.BadZipFile as exc:
        raise FetchError(f"{location}: not a zip archive ({exc})") from exc
