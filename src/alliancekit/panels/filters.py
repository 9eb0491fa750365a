"""``filter_*``: drop rows from a panel."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from alliancekit.curated.dyadyears import member_years
from alliancekit.curated.query import get_group
from alliancekit.errors import UsageError
from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.contiguity import add_contiguity
from alliancekit.panels.frame import key_array, mark, require, sources_of
from alliancekit.panels.majors import add_majors


def filter_prd(frame: pd.DataFrame, *, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Keep the politically relevant dyads: contiguous (``conttype`` 1 to 5, land or up to 400
    miles of water) or with a major power on either side (``cowmaj1`` or ``cowmaj2`` is 1).

    As peacesciencer's ``filter_prd()``: contiguity and major-power status are added first when
    the panel lacks them, and a ``prd`` column (1 on every kept row) is added. Rows whose
    contiguity is missing (after 2016) are kept only when a major power is on either side.
    """
    kind = require(frame, "filter_prd", units=("dyad-year",), systems=("cow",))
    if "conttype" not in frame.columns:
        frame = add_contiguity(frame, data_dir=data_dir)
    if "cowmaj1" not in frame.columns or "cowmaj2" not in frame.columns:
        frame = add_majors(frame.drop(columns=["cowmaj1", "cowmaj2"], errors="ignore"),
                           data_dir=data_dir)
    keep = (
        frame["conttype"].between(1, 5).fillna(False)
        | frame["cowmaj1"].eq(1).fillna(False)
        | frame["cowmaj2"].eq(1).fillna(False)
    )
    out = frame.loc[keep.to_numpy(dtype=bool)].reset_index(drop=True)
    out["prd"] = pd.array(np.ones(len(out), dtype=np.int8), dtype="Int8")
    return mark(out, kind, sources_of(frame))


def filter_group(
    frame: pd.DataFrame,
    group: str,
    *,
    mode: Literal["both", "either"] = "both",
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Keep the rows of members of a curated group (``oic``, ``arab_league``, ``gcc``,
    ``imctc``, ``nato``, or any curated agreement's id) in that year.

    A state counts as a member in every year its membership touches, as in ATOP's dyad-years
    (a state that joined on 1 December 2017 counts in 2017); the group's own start and end
    bound it. On dyad-years ``mode="both"`` keeps dyads whose two states were members and
    ``mode="either"`` those with at least one member. COW panels only: the records use COW
    codes. ``data_dir`` is accepted for symmetry with the other steps and not used.

    Example (needs the COW state files): ``filter_group(create_dyadyears(years=(2010, 2016)),
    "gcc")`` keeps the 30 directed GCC dyads of each year.
    """
    kind = require(frame, "filter_group", systems=("cow",))
    if mode not in ("both", "either"):
        raise UsageError(f"mode={mode!r}: give 'both' or 'either'")
    members = member_years(get_group(group), 9999)
    table = [members["state"].to_numpy(), members["year"].to_numpy()]
    year = key_array(frame, "year")
    if kind.unit == "state-year":
        keep = lookup_rows([key_array(frame, kind.keys[0]), year], table) >= 0
    else:
        first = lookup_rows([key_array(frame, kind.keys[0]), year], table) >= 0
        second = lookup_rows([key_array(frame, kind.keys[1]), year], table) >= 0
        keep = first & second if mode == "both" else first | second
    out = frame.loc[keep].reset_index(drop=True)
    return mark(out, kind, [*sources_of(frame), "curated"])
