"""``alliancekit groups`` and ``alliancekit records``: the curated records from the shell."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from alliancekit.cli._common import DataDir, print_frame

groups_app = typer.Typer(help="Groups of states with dated membership (OIC, Arab League, GCC, "
                              "IMCTC, ...).", no_args_is_help=True)
records_app = typer.Typer(help="The curated agreement records.", no_args_is_help=True)

On = Annotated[str, typer.Option("--on", help="The day, YYYY-MM-DD.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@groups_app.command("show")
def show(
    group: Annotated[str, typer.Argument(help="oic, arab_league, gcc, imctc, ...")],
    on: On,
    as_json: Json = False,
) -> None:
    """List a group's members on a day, with the sources for each.

    Example: alliancekit groups show imctc --on 2017-06-01 --json
    """
    from alliancekit.curated.query import get_group, group_members

    members = group_members(group, on)
    if as_json:
        typer.echo(json.dumps({"group": group, "on": on, "count": len(members),
                               "members": members.to_dict(orient="records")},
                              ensure_ascii=False, indent=2))
        return
    print_frame(members, f"{get_group(group).name_en} on {on}: {len(members)} members")


@groups_app.command("list")
def list_groups() -> None:
    """List the groups and agreements usable as groups.

    Example: alliancekit groups list
    """
    from alliancekit.curated.records import load_agreements, load_groups

    for record in [*load_groups().values(), *load_agreements()]:
        typer.echo(f"{record.id}\t{record.name_en}")


@records_app.command("pledges")
def pledges(on: On, as_json: Json = False) -> None:
    """Every directed pledge in force on a day in the curated records.

    Example: alliancekit records pledges --on 2025-10-01
    """
    from alliancekit.curated.query import pledges_on

    frame = pledges_on(on)
    if as_json:
        typer.echo(frame.to_json(orient="records", force_ascii=False, indent=2))
        return
    table = Table(title=f"Pledges in force on {on} (curated records): {len(frame)}")
    for column in ("ccode1", "ccode2", "agreement", "obligation", "certainty", "sources"):
        table.add_column(column)
    for row in frame.itertuples(index=False):
        table.add_row(*(str(v) for v in (row.ccode1, row.ccode2, row.agreement, row.obligation,
                                          row.certainty, row.sources)))
    Console().print(table)


@records_app.command("disagreements")
def disagreements(data_dir: DataDir = None, as_json: Json = False) -> None:
    """Where a curated record and the ATOP alliance it links to disagree (needs ATOP's files).

    Compared member by member and year by year, 1815-2018: membership and each obligation.

    Example: alliancekit records disagreements --data-dir ../shared/data
    """
    from alliancekit.curated.dyadyears import atop_disagreements

    frame = atop_disagreements(data_dir)
    if as_json:
        typer.echo(frame.to_json(orient="records", indent=2))
        return
    print_frame(frame, f"Curated records vs ATOP 5.1: {len(frame)} disagreements")


@records_app.command("since-2018")
def since_2018(
    group: Annotated[str, typer.Option(help="Only alliances with a member of this group at "
                                            "the end of 2018; 'all' for every one.")] = "oic",
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown table.")] = False,
    data_dir: DataDir = None,
    as_json: Json = False,
) -> None:
    """ATOP's alliances in force on 31 December 2018 and what has become of each since.

    Needs ATOP's files. Defence pacts come first; the status is the curated records' (or "no
    record found since 2018").

    Example: alliancekit records since-2018 --group oic --markdown > docs/atop-since-2018.md
    """
    from alliancekit.curated.review import atop_review, review_markdown

    frame = atop_review(None if group == "all" else group, data_dir=data_dir)
    if as_json:
        typer.echo(frame.to_json(orient="records", force_ascii=False, indent=2))
    elif markdown:
        typer.echo(review_markdown(frame), nl=False)
    else:
        counts = frame["status"].value_counts().to_dict()
        print_frame(frame[["atopid", "name", "obligations", "status", "ended", "exits",
                           "carried_pledges"]],
                    f"ATOP alliances in force at the end of 2018: {len(frame)} ({counts})")
