"""``alliancekit data fetch``: download a source into the user cache, checked and atomic.

Each file is downloaded to a temporary file in the cache, checked against the sha256 the
registry pins, and only then renamed into place; a failed or interrupted download leaves
nothing behind. A file the distributor ships inside a zip archive is extracted from it.

The download location is configurable: ``mirror`` replaces every file's URL by
``{mirror}/{path}`` (a copy of a data directory served over HTTP, or a ``file://`` URL), and
``url`` replaces the URL of a single-file source.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from alliancekit.errors import ChecksumError, FetchError, UsageError
from alliancekit.io import atomic_path
from alliancekit.sources.registry import SourceFile, cache_dir, get_source, sha256_of

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(file, bytes_so_far, total_bytes_or_None)`` while downloading."""

_CHUNK = 1 << 16


def fetch_source(
    name: str,
    *,
    mirror: str | None = None,
    url: str | None = None,
    destination: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    timeout: float = 60.0,
) -> list[Path]:
    """Download every file of source ``name`` into ``destination`` (default: the user cache).

    Files already present with the pinned checksum are kept unless ``force``. Returns the paths
    of the source's files.
    """
    source = get_source(name)
    root = destination or cache_dir()
    if url is not None and len(source.files) != 1:
        raise UsageError(
            f"--url: source {name!r} has {len(source.files)} files; use --mirror with a base URL "
            "that serves them under their relative paths"
        )
    wanted = [
        f for f in source.files
        if force or not (root / f.path).is_file() or sha256_of(root / f.path) != f.sha256
    ]
    # Every location is worked out before the first download, so a source that cannot be
    # fetched whole is not fetched at all.
    plan = [(f, *_location(name, f, mirror, url)) for f in wanted]
    for file, location, member in plan:
        _download_checked(location, member, file, root / file.path, progress, timeout)
    return [root / f.path for f in source.files]


def _location(
    name: str, file: SourceFile, mirror: str | None, url: str | None
) -> tuple[str, str | None]:
    if url is not None:
        return url, None
    if mirror is not None:
        return f"{mirror.rstrip('/')}/{file.path}", None
    if file.url is None:
        source = get_source(name)
        raise FetchError(
            f"{file.path}: the distributor ({source.distributor}, {source.homepage}) offers no "
            "direct download of this exact file. Download it from there by hand and point "
            "ALLIANCEKIT_DATA or --data-dir at its folder, or give --mirror BASE_URL serving a "
            "copy of a data directory."
        )
    return file.url, file.member


def _download_checked(
    location: str,
    member: str | None,
    file: SourceFile,
    target: Path,
    progress: Progress | None,
    timeout: float,
) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetch-") as scratch:
        downloaded = Path(scratch) / "download"
        _download(location, downloaded, file.path, progress, timeout)
        payload = _extract(downloaded, member, location) if member else downloaded
        actual = sha256_of(payload)
        if actual != file.sha256:
            raise ChecksumError(location + (f" ({member})" if member else ""), file.sha256, actual)
        with atomic_path(target) as temporary:
            shutil.copyfile(payload, temporary)


def _download(
    location: str, out: Path, label: str, progress: Progress | None, timeout: float
) -> None:
    request = urllib.request.Request(location, headers={"User-Agent": "alliancekit"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, out.open("wb") as sink:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            while chunk := response.read(_CHUNK):
                sink.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(label, done, total)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{location}: the server answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{location}: download failed ({reason})") from exc
    if total is not None and done != total:
        raise FetchError(f"{location}: the download stopped after {done} of {total} bytes")


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
