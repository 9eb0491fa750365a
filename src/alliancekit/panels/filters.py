"""``filter_*``: drop rows from a panel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.panels.contiguity import add_contiguity
from alliancekit.panels.frame import mark, require, sources_of
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
