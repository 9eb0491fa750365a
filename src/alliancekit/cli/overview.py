"""``alliancekit overview``: the main job: build a panel from the data found and summarise it."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from alliancekit.cli._common import DataDir, err_console
from alliancekit.cli._output import print_rich, print_table, with_names


def overview(data_dir: DataDir = None) -> None:
    """Build the directed COW dyad-year panel from every source found and summarise it.

    Example: alliancekit overview
    """
    from alliancekit.panels.catalog import ADDERS, STEP_SOURCES, apply
    from alliancekit.panels.create import create_dyadyears
    from alliancekit.panels.frame import sources_of
    from alliancekit.sources import REGISTRY
    from alliancekit.sources.registry import data_dirs, find_source

    console = Console()
    found = {name: find_source(name, data_dir) for name in REGISTRY}
    missing = sorted(name for name, where in found.items() if where is None)
    if found["cow_states"] is None:
        _curated_summary(console)
        searched = ", ".join(str(d) for d in data_dirs(data_dir))
        typer.echo(
            "\nNo research datasets found (looked in: " + searched + "), so the panel above "
            "comes from the curated records alone.\n"
            "Point ALLIANCEKIT_DATA or --data-dir at a data directory, or get the sources:\n"
            + "\n".join(f"  {name}: {REGISTRY[name].how_to_get()}" for name in missing)
        )
        return
    # every step that goes on COW dyad-years and whose sources are here (UCDP's conflicts go on
    # G-W state-years; peace years need the wars)
    steps = [name for name in ADDERS if name != "ucdp_acd"
             and all(found[s] for s in STEP_SOURCES[name])]
    if "cow_wars" not in steps:
        steps = [name for name in steps if name != "peace_years"]
    with err_console.status("building the directed COW dyad-year panel"):
        panel = create_dyadyears("cow", directed=True, data_dir=data_dir)
        for name in steps:
            panel = apply(panel, ADDERS[name], data_dir)
    rows: list[tuple[str, object]] = [
        ("rows (directed dyad-years)", len(panel)), ("columns", panel.shape[1]),
        ("states", int(panel["ccode1"].nunique()))]
    if "atop_defense" in panel:
        last = panel[panel["year"] == 2016]
        rows.append(("directed defence pledges in 2016", int(last["atop_defense"].sum())))
        top = (last[last["atop_defense"] == 1].groupby("ccode2").size()
               .sort_values(ascending=False).head(3))
        rows.append(("most pledged-to states in 2016 (pledges)",
                     "; ".join(f"{name}: {n}" for name, n in
                               zip(with_names(top.index.tolist()), top.tolist(), strict=True))))
    if "conttype" in panel:
        rows.append(("land-contiguous directed dyad-years", int((panel["conttype"] == 1).sum())))
    print_table(rows, ["measure", "value"], title="Directed COW dyad-years, 1816-2016")
    console.print("added: " + (", ".join(steps) or "nothing (no covariate sources found)"))
    console.print("sources: " + ", ".join(sources_of(panel)))
    if missing:
        console.print("not found: " + ", ".join(missing)
                      + " (alliancekit data list shows where to get them)")
    typer.echo("Build your own: alliancekit panel dyad-years --help")


def _curated_summary(console: Console) -> None:
    """What the shipped curated records say today: each agreement's members and pledges."""
    import datetime

    from alliancekit.curated.query import group_members, members_on, pledges_on
    from alliancekit.curated.records import load_agreements, load_groups

    today = datetime.date.today()
    agreements = load_agreements()
    pledges = pledges_on(today, agreements)
    table = Table(title=f"Curated records: agreements in force on {today}")
    for column in ("agreement", "kind", "members", "directed pledges by type"):
        table.add_column(column)
    for agreement in agreements:
        members = members_on(agreement, today)
        if not members:
            continue
        mine = pledges[pledges["agreement"] == agreement.id]
        counts = mine.groupby("obligation").size()
        table.add_row(agreement.id, agreement.kind.replace("_", " "), str(len(members)),
                      ", ".join(f"{kind} {n}" for kind, n in counts.items()) or "none")
    print_rich(table)
    ended = [a.id for a in agreements if not members_on(a, today)]
    groups = load_groups()
    console.print(
        f"{len(agreements)} curated agreements, {sum(len(a.members) for a in agreements)} "
        f"member spells, {sum(a.atopid is not None for a in agreements)} linked to ATOP; "
        f"ended or not yet in force: {', '.join(ended) or 'none'}.\n"
        + "; ".join(f"{g.id}: {len(group_members(g.id, today))} members today"
                    for g in groups.values())
        + ".\nWho defends whom today: alliancekit records pledges --on "
        + today.isoformat()
    )
