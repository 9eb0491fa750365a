"""``add_gml_mids``: refused, with the reason, as peacesciencer now refuses it.

One of the maintainers of the Gibler-Miller-Little MID data asked that software not automate
its use; peacesciencer's ``add_gml_mids()`` now stops with that message, and alliancekit does not
read the data at all (as with the COW alliance data). The function exists so that a pipeline
ported from peacesciencer fails with the reason rather than with "no such function".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.sources.registry import NOT_SUPPORTED


def add_gml_mids(frame: pd.DataFrame, *args: Any, **kwargs: Any) -> pd.DataFrame:
    """Always raises :class:`UsageError` with the reason (see the module docstring)."""
    raise UsageError(f"add_gml_mids(): {NOT_SUPPORTED['gml_mid']}")
