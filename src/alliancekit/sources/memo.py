"""Keeping what is computed from a source file until the file changes."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")


def cached_by_file(function: Callable[..., _T]) -> Callable[..., _T]:
    """Cache ``function(path, *args)`` until the file at ``path`` changes (mtime or size)."""

    @cache
    def keyed(path: Path, stamp: tuple[int, int], *args: Any) -> _T:
        return function(path, *args)

    @wraps(function)
    def wrapper(path: Path, *args: Any) -> _T:
        status = path.stat()
        return keyed(path, (status.st_mtime_ns, status.st_size), *args)

    return wrapper
