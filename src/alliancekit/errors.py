"""The exceptions alliancekit raises, in one tree.

::

    AlliancekitError
    ├── SourceError                 a dataset cannot be used
    │   ├── SourceNotFoundError     the files are in none of the places we look
    │   ├── SourceFormatError       a file is malformed (names file, line and column)
    │   └── ChecksumError           a file is not the version the registry pins
    ├── FetchError                  a download failed
    ├── CurationError               curated records are broken (names file and field)
    ├── PanelKindError              an ``add_*`` was given the wrong kind of frame
    └── UsageError                  an argument is invalid (names the argument)

Every message says what went wrong and, where there is one, the call or command that fixes it.
"""

from __future__ import annotations

from pathlib import Path


class AlliancekitError(Exception):
    """The root of every error alliancekit raises on purpose."""


class SourceError(AlliancekitError):
    """A dataset cannot be used."""


class SourceNotFoundError(SourceError):
    """A source's files are in none of the data directories searched."""

    def __init__(self, source: str, searched: list[Path], how_to_get: str) -> None:
        self.source = source
        self.searched = searched
        where = ", ".join(str(p) for p in searched) or "(no data directory configured)"
        super().__init__(
            f"source {source!r} was not found (looked in: {where}). To get it: {how_to_get}; "
            "or pass --data-dir (data_dir=...) naming a directory that holds it."
        )


class SourceFormatError(SourceError):
    """A source file is malformed; the message names file, line and column."""

    def __init__(
        self, path: Path | str, problem: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.problem = problem
        where = str(self.path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")


class ChecksumError(SourceError):
    """A file's sha256 is not the one the registry expects."""

    def __init__(self, path: Path | str, expected: str, actual: str) -> None:
        self.path = Path(path)
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{path}: sha256 is {actual}, expected {expected}; the file is another version "
            "or damaged. Delete it and fetch it again."
        )


class FetchError(AlliancekitError):
    """A download failed; nothing was written."""


class PanelKindError(AlliancekitError):
    """A function was given a frame of the wrong unit, state system or directedness."""


class UsageError(AlliancekitError, ValueError):
    """An argument is invalid; the message names the argument."""


class CurationError(AlliancekitError):
    """Curated records are broken; the message lists every problem by file and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the curated records:\n  {shown}{more}")


class Interrupted(AlliancekitError):
    """Work stopped before it finished: its time budget ran out, or whoever asked for it
    went away."""
