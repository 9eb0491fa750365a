"""Limits a deployment may change, read from the environment once at start-up.

Each is ``ALLIANCEKIT_<NAME>`` (for example ``ALLIANCEKIT_TIME_BUDGET=30``); the defaults and
what each bounds are listed in ``docs/limits.md``. A value that is not a positive number is an
error naming the variable, not a silent fallback.
"""

from __future__ import annotations

import os

from alliancekit.errors import UsageError


def limit(name: str, default: int) -> int:
    """The whole-number limit ``ALLIANCEKIT_<name>``, else ``default``."""
    return int(_read(name, default, whole=True))


def seconds(name: str, default: float) -> float:
    """The time limit ``ALLIANCEKIT_<name>`` in seconds, else ``default``."""
    return _read(name, default, whole=False)


def _read(name: str, default: float, *, whole: bool) -> float:
    variable = f"ALLIANCEKIT_{name}"
    text = os.environ.get(variable)
    if text is None or not text.strip():
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise UsageError(f"{variable}={text!r}: give a {'whole ' if whole else ''}number"
                         ) from None
    if not value > 0:
        raise UsageError(f"{variable}={text!r}: give a number above 0")
    return value
