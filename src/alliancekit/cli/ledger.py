"""``alliancekit ledger``: the records ledger's database (create, import, export)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from alliancekit.cli._output import plural

app = typer.Typer(help="The records ledger: the curated records in a database (SQLite by "
                       "default, PostgreSQL by URL), with an append-only audit log.",
                  no_args_is_help=True)

Database = Annotated[
    str | None, typer.Option("--db", help="The ledger's SQLAlchemy URL, e.g. sqlite:///ledger.db "
                                         "or postgresql+psycopg://user@host/ledger (default: "
                                         "ALLIANCEKIT_DB, else a SQLite file in the user data "
                                         "directory).", show_default=False)
]


@app.command("init")
def init(db: Database = None) -> None:
    """Create the ledger's tables (or upgrade them to this version's schema).

    Example: alliancekit ledger init --db sqlite:///ledger.db
    """
    from alliancekit.ledger.db import connect, database_url, upgrade

    upgrade(connect(db))
    typer.echo(f"ledger ready at {database_url(db)}")


@app.command("import")
def import_(
    records: Annotated[Path | None, typer.Argument(help="A records directory (agreements/, "
                                                       "groups/, atop_status/, states.csv); "
                                                       "default: the records shipped with "
                                                       "alliancekit.")] = None,
    comment: Annotated[str, typer.Option(help="Why, for the audit log.")] = "",
    db: Database = None,
) -> None:
    """Make the ledger hold exactly the records of a directory, checked first, all or nothing,
    each change in the audit log.

    Example: alliancekit ledger import --db sqlite:///ledger.db --comment "release 0.9"
    """
    from alliancekit.ledger.db import connect, upgrade
    from alliancekit.ledger.records import import_records

    engine = connect(db)
    upgrade(engine)
    report = import_records(engine, records, actor=f"cli:{getpass.getuser()}", comment=comment)
    typer.echo(f"{plural(len(report.added), 'record')} added, {len(report.changed):,} changed, "
               f"{len(report.removed):,} removed, {report.unchanged:,} unchanged")


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="A records directory to write agreements/, groups/ "
                                             "and atop_status/ into.")],
    db: Database = None,
) -> None:
    """Write the ledger's records as TOML files in the package's canonical form (an import
    followed by an export gives the same files byte for byte).

    Example: alliancekit ledger export --db sqlite:///ledger.db records-out/
    """
    from alliancekit.ledger.db import connect
    from alliancekit.ledger.records import export_records

    written = export_records(connect(db), out)
    typer.echo(f"wrote {plural(len(written), 'record')} to {out}")
