"""``alliancekit groups`` and ``alliancekit records``: the curated records from the shell."""

from __future__ import annotations

from typing import Annotated

import typer

from alliancekit.cli._common import DataDir
from alliancekit.cli._output import (
    FormatOption,
    choose_format,
    emit,
    plural,
    print_json,
    print_table,
    records,
    with_names,
)

groups_app = typer.Typer(help="Groups of states with dated membership (OIC, Arab League, GCC, "
                              "IMCTC, ...).", no_args_is_help=True)
records_app = typer.Typer(help="The curated agreement records.", no_args_is_help=True)

On = Annotated[str, typer.Option("--on", help="The day, YYYY-MM-DD.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (the same as --format json).")]


@groups_app.command("show")
def show(
    group: Annotated[str, typer.Argument(help="oic, arab_league, gcc, imctc, ...")],
    on: On,
    fmt: FormatOption = None,
    as_json: Json = False,
) -> None:
    """List a group's members on a day, with the sources for each.

    Example: alliancekit groups show imctc --on 2017-06-01 --json

    Example: alliancekit groups show oic --on 2020-01-01 --format csv
    """
    from alliancekit.curated.query import get_group, group_members

    chosen = choose_format(fmt, as_json=as_json)
    members = group_members(group, on)
    if chosen == "json":
        print_json({"group": group, "on": on, "count": len(members),
                    "members": records(members)})
        return
    emit(members, chosen,
         title=f"{get_group(group).name_en} on {on}: {plural(len(members), 'member')}")


@groups_app.command("list")
def list_groups() -> None:
    """List the groups and agreements usable as groups.

    Example: alliancekit groups list
    """
    from alliancekit.curated.records import load_agreements, load_groups

    for record in [*load_groups().values(), *load_agreements()]:
        typer.echo(f"{record.id}\t{record.name_en}")


@records_app.command("pledges")
def pledges(on: On, fmt: FormatOption = None, as_json: Json = False) -> None:
    """Every directed pledge in force on a day in the curated records.

    Example: alliancekit records pledges --on 2025-10-01
    """
    from alliancekit.curated.query import pledges_on

    chosen = choose_format(fmt, as_json=as_json)
    frame = pledges_on(on)
    title = f"Pledges in force on {on} (curated records): {plural(len(frame), 'pledge')}"
    if chosen != "table":
        emit(frame, chosen, title=title)
        return
    print_table(
        ((with_names([r[0]])[0], with_names([r[1]])[0], *r[2:])
         for r in frame[["ccode1", "ccode2", "agreement", "obligation", "certainty",
                         "sources"]].itertuples(index=False, name=None)),
        ["state", "pledged to", "agreement", "obligation", "certainty", "sources"],
        title=title)


@records_app.command("disagreements")
def disagreements(data_dir: DataDir = None, fmt: FormatOption = None,
                  as_json: Json = False) -> None:
    """Where a curated record and the ATOP alliance it links to disagree (needs ATOP's files).

    Compared member by member and year by year, 1815-2018: membership and each obligation.

    Example: alliancekit records disagreements
    """
    from alliancekit.curated.dyadyears import atop_disagreements

    chosen = choose_format(fmt, as_json=as_json)
    frame = atop_disagreements(data_dir)
    emit(frame, chosen,
         title=f"Curated records vs ATOP 5.1: {plural(len(frame), 'disagreement')}")


@records_app.command("since-2018")
def since_2018(
    group: Annotated[str, typer.Option(help="Only alliances with a member of this group at "
                                            "the end of 2018; 'all' for every one.")] = "oic",
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown table.")] = False,
    data_dir: DataDir = None,
    fmt: FormatOption = None,
    as_json: Json = False,
) -> None:
    """ATOP's alliances in force on 31 December 2018 and what has become of each since.

    Needs ATOP's files. Defence pacts come first; the status is the curated records' (or "no
    record found since 2018").

    Example: alliancekit records since-2018 --group oic --markdown > docs/atop-since-2018.md
    """
    from alliancekit.curated.review import atop_review, review_markdown

    chosen = "markdown" if markdown and fmt is None and not as_json else \
        choose_format(fmt, as_json=as_json)
    frame = atop_review(None if group == "all" else group, data_dir=data_dir)
    if chosen == "markdown":
        typer.echo(review_markdown(frame), nl=False)
        return
    counts = "; ".join(f"{status}: {n}" for status, n in frame["status"].value_counts().items())
    emit(frame if chosen != "table" else
         frame[["atopid", "name", "obligations", "status", "ended", "exits", "carried_pledges"]],
         chosen, title=f"ATOP alliances in force at the end of 2018: {len(frame)} ({counts})")
