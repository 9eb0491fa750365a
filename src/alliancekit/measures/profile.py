"""A state's cooperation profile over time: alliances, agreements, exercises, peacekeeping,
arms, spending and combat support (UCDP's secondary parties) in one state-year table, and a
chart of it.

Each column comes from the panel step of its source (``add_dca``, ``add_arms_transfers``, ...),
so the same coverage rules hold: missing outside a source's years, 0 for counted events inside
them. Sources not found are skipped and named in ``attrs["skipped"]``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.io import atomic_path
from alliancekit.names import resolve_state
from alliancekit.panels.catalog import ADDERS, STEP_SOURCES
from alliancekit.panels.create import create_stateyears
from alliancekit.panels.frame import add_sources, sources_of
from alliancekit.sources.atop import ATOP_DDYR, load_atop_ddyr
from alliancekit.sources.registry import find_source

# column -> (label for tables and charts, panel step name)
PROFILE_COLUMNS = {
    "defence_partners": ("states it pledged to defend (ATOP)", "atop"),
    "dca_general": ("general DCAs in force", "dca"),
    "dca_sector": ("sector DCAs in force", "dca"),
    "exercises": ("multinational exercises", "exercises"),
    "pko_troops": ("UN peacekeepers contributed", "peacekeeping"),
    "pko_missions": ("UN missions contributed to", "peacekeeping"),
    "arms_imports_tiv": ("arms imports (SIPRI TIV, m)", "arms_transfers"),
    "arms_exports_tiv": ("arms exports (SIPRI TIV, m)", "arms_transfers"),
    "milex_sipri": ("military spending (2022 US$ m)", "milex"),
    "us_troops": ("US troops hosted", "us_troops"),
    "ucdp_support_sent": ("conflicts it sent troops to (UCDP secondary party)", "ucdp_support"),
    "ucdp_support_received": ("conflicts others sent troops to on its side (UCDP)",
                              "ucdp_support"),
}


def defence_partners(frame: pd.DataFrame, data_dir: Path | str | None) -> pd.Series:
    """How many states each state-year's state pledged to defend (ATOP directed dyad-years);
    missing outside 1815-2018."""
    ddyr = load_atop_ddyr(data_dir)
    counts = ddyr[ddyr["atop_defense"] == 1].groupby(["ccode1", "year"]).size()
    keys = pd.MultiIndex.from_arrays([frame["ccode"], frame["year"]])
    values = counts.reindex(keys).to_numpy(np.float64)
    low, high = ATOP_DDYR.coverage
    inside = frame["year"].between(low, high).to_numpy()
    values = np.where(inside, np.nan_to_num(values, nan=0.0), np.nan)
    return pd.Series(values, index=frame.index).astype("Int64")


def cooperation_profile(state: str | int, years: tuple[int, int], *,
                        data_dir: Path | str | None = None) -> pd.DataFrame:
    """The profile of ``state`` (code, abbreviation or name) over ``years``: one row per year
    it was a system member (states still members at the end of COW's data carry on, as mry)."""
    code = resolve_state(state)
    panel = create_stateyears("cow", years, mry=years[1] > 2016, data_dir=data_dir)
    panel = panel[panel["ccode"] == code].reset_index(drop=True)
    skipped = []
    steps = list(dict.fromkeys(step for _, step in PROFILE_COLUMNS.values()))
    for step in steps:
        if not all(find_source(s, data_dir) for s in STEP_SOURCES[step]):
            skipped.append(step)
        elif step == "atop":  # the count of pledges given, not add_atop_alliance's dyad columns
            panel["defence_partners"] = defence_partners(panel, data_dir)
            add_sources(panel, "atop_ddyr")
        else:
            panel = ADDERS[step](panel, data_dir=data_dir)
    columns = ["ccode", "statenme", "year", *(c for c in PROFILE_COLUMNS if c in panel)]
    out = panel[columns].copy()
    out.attrs = dict(panel.attrs)
    out.attrs["skipped"] = skipped
    out.attrs["sources"] = sources_of(panel)
    return out


def profile_chart(profile: pd.DataFrame, path: Path | str) -> Path:
    """Draw ``profile`` as small multiples (one panel per measure) and write a PNG,
    atomically."""
    try:  # an optional dependency (alliancekit[charts]), imported only to draw
        import matplotlib
    except ImportError:
        raise UsageError("charts need matplotlib: pip install 'alliancekit[charts]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measures = [c for c in PROFILE_COLUMNS if c in profile
                and profile[c].notna().any()]
    rows = max(1, (len(measures) + 1) // 2)
    figure, axes = plt.subplots(rows, 2, figsize=(11, 2.4 * rows), squeeze=False,
                                sharex=True)
    for axis, column in zip(axes.flat, measures, strict=False):
        values = profile[column].astype("float64")
        axis.plot(profile["year"], values, marker="o", markersize=2.5, linewidth=1.4,
                  color="#1f5f8b")
        axis.set_title(PROFILE_COLUMNS[column][0], fontsize=9, loc="left")
        axis.grid(alpha=0.3)
        axis.tick_params(labelsize=8, labelbottom=True)
        if values.min(skipna=True) >= 0:
            axis.set_ylim(bottom=0, top=max(1.0, float(values.max(skipna=True)) * 1.08))
    for axis in list(axes.flat)[len(measures):]:
        axis.set_visible(False)
    name = profile["statenme"].iloc[0] if len(profile) else "state"
    first, last = (int(profile["year"].min()), int(profile["year"].max())) if len(profile) \
        else (0, 0)
    figure.suptitle(f"{name}: military cooperation profile, {first}-{last}", fontsize=12,
                    x=0.01, ha="left")
    sources = ", ".join(profile.attrs.get("sources", []))
    figure.text(0.01, 0.005, f"Sources: {sources}. Gaps are years outside a source's "
                             "coverage.", fontsize=7, color="#555555")
    figure.tight_layout(rect=(0, 0.02, 1, 0.97))
    target = Path(path)
    with atomic_path(target) as temporary:
        figure.savefig(temporary, format="png", dpi=120)
    plt.close(figure)
    return target
