"""What kind of panel a frame is, carried in ``DataFrame.attrs`` so every ``add_*`` can check it.

A panel knows its unit (state-year or dyad-year), its state system (COW or Gleditsch-Ward), for
dyads whether it is directed, and which registry sources were used to build it (for
``alliancekit cite``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from alliancekit.errors import PanelKindError, UsageError

ATTR = "alliancekit"
Unit = Literal["state-year", "dyad-year"]
System = Literal["cow", "gw"]
SYSTEM_SOURCE: dict[str, str] = {"cow": "cow_states", "gw": "gw_states"}


@dataclass(frozen=True)
class PanelKind:
    """The unit of analysis, state system and directedness of a panel."""

    unit: Unit
    system: System
    directed: bool | None = None

    @property
    def code(self) -> str:
        """The state identifier column: ``ccode`` or ``gwcode``."""
        return "ccode" if self.system == "cow" else "gwcode"

    @property
    def keys(self) -> list[str]:
        """The columns that identify a row."""
        if self.unit == "state-year":
            return [self.code, "year"]
        return [f"{self.code}1", f"{self.code}2", "year"]

    def describe(self) -> str:
        """A short human description, e.g. ``directed COW dyad-year``."""
        system = "COW" if self.system == "cow" else "G-W"
        if self.unit == "state-year":
            return f"{system} state-year"
        return f"{'directed' if self.directed else 'non-directed'} {system} dyad-year"


def check_system(system: str) -> System:
    """``system`` if it is ``"cow"`` or ``"gw"``, else a usage error naming the argument."""
    if system not in SYSTEM_SOURCE:
        raise UsageError(f"system={system!r}: choose 'cow' (Correlates of War) or 'gw' "
                         "(Gleditsch-Ward)")
    return system  # type: ignore[return-value]


def mark(frame: pd.DataFrame, kind: PanelKind, sources: list[str]) -> pd.DataFrame:
    """Record ``kind`` and the ``sources`` used on ``frame`` (in place) and return it."""
    frame.attrs[ATTR] = {
        "unit": kind.unit,
        "system": kind.system,
        "directed": kind.directed,
        "sources": list(dict.fromkeys(sources)),
    }
    return frame


def kind_of(frame: pd.DataFrame) -> PanelKind | None:
    """The panel kind recorded on ``frame``, or ``None`` for a frame we did not build."""
    meta = frame.attrs.get(ATTR)
    if not isinstance(meta, dict):
        return None
    return PanelKind(meta["unit"], meta["system"], meta["directed"])


def sources_of(frame: pd.DataFrame) -> list[str]:
    """The registry sources used to build ``frame``."""
    meta = frame.attrs.get(ATTR)
    return list(meta.get("sources", [])) if isinstance(meta, dict) else []


def add_sources(frame: pd.DataFrame, *names: str) -> pd.DataFrame:
    """Record more sources on ``frame`` (in place) and return it."""
    kind = kind_of(frame)
    if kind is not None:
        mark(frame, kind, [*sources_of(frame), *names])
    return frame


def require(
    frame: pd.DataFrame,
    call: str,
    *,
    units: tuple[Unit, ...] = ("state-year", "dyad-year"),
    systems: tuple[System, ...] = ("cow", "gw"),
) -> PanelKind:
    """The kind of ``frame``, checked against what ``call`` accepts.

    Raises :class:`PanelKindError` naming the call to make instead.
    """
    kind = kind_of(frame)
    if kind is None:
        raise PanelKindError(
            f"{call}() needs a panel made by create_stateyears() or create_dyadyears(); this "
            "frame carries no panel information (it may have been rebuilt from scratch: "
            "start from create_dyadyears(...) and add columns with the add_* functions)"
        )
    if kind.unit not in units:
        make = "create_dyadyears" if "dyad-year" in units else "create_stateyears"
        raise PanelKindError(
            f"{call}() works on {' or '.join(units)} panels, not on a {kind.describe()} panel; "
            f"build one with {make}(system={kind.system!r}) first"
        )
    if kind.system not in systems:
        wanted = " or ".join(s.upper() for s in systems)
        raise PanelKindError(
            f"{call}() needs a {wanted} panel and this is a {kind.describe()} panel; build it "
            f"with system={systems[0]!r}"
        )
    missing = [k for k in kind.keys if k not in frame.columns]
    if missing:
        raise PanelKindError(
            f"{call}(): the panel has lost its key column(s) {', '.join(missing)}; keep "
            f"{', '.join(kind.keys)} in the frame"
        )
    return kind


def key_array(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The integer values of key ``column``, without a copy when they are integers already."""
    values = frame[column].to_numpy()
    if values.dtype.kind in "iu":
        return values
    if pd.isna(values).any():
        raise PanelKindError(f"key column {column!r} has missing values; drop those rows first")
    return values.astype(np.int64)
