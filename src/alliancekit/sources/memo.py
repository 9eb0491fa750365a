"""Keeping what is computed from a source file until the file changes.

The loaders hand each caller ``frame.copy(deep=False)`` of the cached frame: a frame of its own
that shares the cached data. pandas 3 copies on write, so a caller that changes its frame (a new
column, a ``.loc`` assignment) gets a copy of what it changes and the cache stays as read; a
deep copy per call cost the panel builder a quarter of a second (ATOP's 1.1 million dyad-years
copied for each part of a panel). tests/test_sources.py checks that a changed frame does not
reach the next caller.
"""

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
