"""``alliancekit data``: list the registry's sources, fetch them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from alliancekit.cli._common import DataDir, err_console
from alliancekit.cli._output import FormatOption, choose_format, emit, print_rich

app = typer.Typer(help="The datasets: where they are, what they are, how to get them.",
                  no_args_is_help=True)


@app.command("list")
def list_sources(
    data_dir: DataDir = None,
    verify: Annotated[
        bool, typer.Option("--verify", help="Also check every file's sha256.")
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """Show every source: version, unit, coverage, where it was found, and how to get it.

    The "get it" column names `alliancekit data fetch NAME` for a source with a direct
    download, else the distributor's page and the files to place in a data directory.

    Example: alliancekit data list --verify
    """
    import pandas as pd

    from alliancekit.sources import REGISTRY
    from alliancekit.sources.registry import find_source, sha256_of

    chosen = choose_format(fmt)
    records = []
    table = Table(title="alliancekit data sources")
    # The long free-text columns are capped so that "get it", the one to act on, keeps room.
    table.add_column("source", overflow="fold")
    table.add_column("version", overflow="fold", max_width=18)
    table.add_column("coverage", overflow="fold")
    table.add_column("unit", overflow="fold", max_width=24)
    table.add_column("status", overflow="fold", max_width=40)
    table.add_column("get it", overflow="fold")
    for name, source in sorted(REGISTRY.items()):
        directory = find_source(name, data_dir)
        if directory is None:
            status = "[red]missing[/red]"
        else:
            status = f"found in {escape(str(directory))}"
            if verify:
                bad = [f.path for f in source.files
                       if sha256_of(directory / f.path) != f.sha256]
                status += (" [yellow]checksum differs: " + escape(", ".join(bad)) + "[/yellow]"
                           if bad else " [green]checksums ok[/green]")
        low, high = source.coverage
        table.add_row(name, source.version, f"{low}-{high}", source.unit, status,
                      escape(source.how_to_get()))
        records.append({"source": name, "version": source.version, "first_year": low,
                        "last_year": high, "unit": source.unit,
                        "found_in": None if directory is None else str(directory),
                        "checksums_ok": None if directory is None or not verify else not bad,
                        "get_it": source.how_to_get()})
    if chosen == "table":
        print_rich(table)
    else:
        emit(pd.DataFrame(records), chosen)


@app.command("fetch")
def fetch(
    name: Annotated[str, typer.Argument(help="The source, as `alliancekit data list` names it.")],
    mirror: Annotated[
        str | None,
        typer.Option(help="Base URL serving a copy of a data directory (files under their "
                          "relative paths), instead of the distributor."),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Download a single-file source from this URL.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Download again even if present with matching checksums.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Download a source into the user cache, checking its sha256; nothing partial is kept.

    A source already present with its pinned checksums (in --data-dir, ALLIANCEKIT_DATA or the
    cache) is not downloaded again unless --force. A failed fetch leaves no file and no new
    folder behind.

    Example: alliancekit data fetch cow_majors

    Example: alliancekit data fetch atop_ddyr --mirror http://127.0.0.1:8000
    """
    from alliancekit.sources.fetch import already_present, fetch_source

    if not force:
        present = already_present(name, data_dir)
        if present is not None:
            typer.echo(f"{name} is already present in {present} (checksums match); --force "
                       "downloads it again")
            return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
        console=err_console, transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, done: int, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        paths = fetch_source(name, mirror=mirror, url=url, data_dir=data_dir, force=force,
                             progress=progress)
    for path in paths:
        typer.echo(f"ok {path}")


@app.command("check")
def check(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="A directory of records (default: the shipped records)."),
    ] = None,
) -> None:
    """Check the curated records; report every broken one by file and field.

    Example: alliancekit data check
    """
    from alliancekit.curated.records import check_records
    from alliancekit.errors import CurationError
    from alliancekit.locations import curated_dir

    root = directory or curated_dir()
    problems = check_records(root)
    if problems:
        raise CurationError(problems)
    agreements = len(list((root / "agreements").glob("*.toml")))
    groups = len(list((root / "groups").glob("*.toml")))
    statuses = len(list((root / "atop_status").glob("*.toml")))
    typer.echo(f"ok: {agreements} agreements, {groups} groups and {statuses} ATOP status "
               f"records in {root}")
