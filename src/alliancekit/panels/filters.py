"""``filter_*``: drop rows from a panel."""

from __future__ import annotations

import pandas as pd

from alliancekit.errors import PanelKindError
from alliancekit.panels.frame import add_sources, kind_of, mark, require, sources_of


def filter_prd(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep the politically relevant dyads: contiguous (``conttype`` 1 to 5 in the year) or with
    a major power on either side (``cowmaj1`` or ``cowmaj2`` is 1).

    Needs ``add_contiguity`` and ``add_majors`` first. Rows with missing contiguity and no major
    power are dropped.
    """
    require(frame, "filter_prd", units=("dyad-year",))
    needed = [c for c in ("conttype", "cowmaj1", "cowmaj2") if c not in frame.columns]
    if needed:
        raise PanelKindError(
            f"filter_prd() needs {', '.join(needed)}: call add_contiguity() and add_majors() "
            "on the panel first"
        )
    keep = (
        frame["conttype"].between(1, 5).fillna(False)
        | frame["cowmaj1"].eq(1).fillna(False)
        | frame["cowmaj2"].eq(1).fillna(False)
    )
    out = frame.loc[keep.to_numpy(dtype=bool)].reset_index(drop=True)
    kind = kind_of(frame)
    assert kind is not None
    return add_sources(mark(out, kind, sources_of(frame)))
