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


@app.command("users")
def users(
    add: Annotated[str | None, typer.Option(help="Create this account (asks for its password, "
                                                 "or reads ALLIANCEKIT_PASSWORD).")] = None,
    role: Annotated[str, typer.Option(help="The new account's role: viewer, curator, reviewer "
                                           "or admin.")] = "curator",
    deactivate: Annotated[str | None, typer.Option(help="Stop this account from signing in "
                                                        "(its history stays).")] = None,
    generate_password: Annotated[bool, typer.Option(
        "--generate-password", help="With --add: make a strong random password and print it "
                                    "once.")] = False,
    db: Database = None,
) -> None:
    """List the ledger's accounts, add one, or deactivate one.

    Example: alliancekit ledger users --db sqlite:///ledger.db

    Example: alliancekit ledger users --add carl --role curator --generate-password
    --db sqlite:///ledger.db
    """
    import os
    import secrets

    from sqlalchemy import select

    from alliancekit.errors import UsageError
    from alliancekit.ledger.auth import create_user
    from alliancekit.ledger.db import connect, transaction, upgrade
    from alliancekit.ledger.models import AuditEntry, User

    engine = connect(db)
    upgrade(engine)
    actor = f"cli:{getpass.getuser()}"
    said = []  # printed once the transaction is committed, not before
    with transaction(engine) as session:
        if add:
            if generate_password:
                password = secrets.token_urlsafe(18)
                said.append(f"password for {add} (shown once): {password}")
            else:
                password = os.environ.get("ALLIANCEKIT_PASSWORD") or getpass.getpass(
                    f"password for {add}: ")
            create_user(session, add, role, password)
            session.add(AuditEntry(actor=actor, action="user-add", comment=f"{add} ({role})"))
            said.append(f"added {add} ({role})")
        if deactivate:
            user = session.scalar(select(User).where(User.name == deactivate))
            if user is None:
                raise UsageError(f"--deactivate {deactivate}: no such account")
            user.active = False
            session.add(AuditEntry(actor=actor, action="user-deactivate", comment=deactivate))
            said.append(f"deactivated {deactivate}")
        said += [f"{user.name}\t{user.role}\t{'active' if user.active else 'inactive'}"
                 for user in session.scalars(select(User).order_by(User.name))]
    for line in said:
        typer.echo(line)


@app.command("backup")
def backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write (.zip).")],
    db: Database = None,
) -> None:
    """Write the whole ledger (records, accounts, proposals, audit log) to one file that
    restores into SQLite or PostgreSQL.

    Example: alliancekit ledger backup --db sqlite:///ledger.db ledger-backup.zip
    """
    from alliancekit.ledger.backup import backup as write
    from alliancekit.ledger.db import connect

    counts = write(connect(db), out)
    typer.echo(f"wrote {out}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@app.command("restore")
def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file written by ledger backup.")],
    db: Database = None,
) -> None:
    """Load a backup into a new, empty ledger (all or nothing).

    Example: alliancekit ledger restore --db sqlite:///restored.db ledger-backup.zip
    """
    from alliancekit.ledger.backup import restore as load
    from alliancekit.ledger.db import connect, upgrade

    engine = connect(db)
    upgrade(engine)
    counts = load(engine, backup_file)
    typer.echo(f"restored {backup_file}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@app.command("publish")
def publish(
    to: Annotated[Path | None, typer.Option(help="The records directory to publish to "
                                                 "(default: ALLIANCEKIT_RECORDS).")] = None,
    db: Database = None,
) -> None:
    """Publish the ledger's records where the engine, the panels and the explorer read them
    (ALLIANCEKIT_RECORDS); a running explorer picks them up without a restart.

    Example: alliancekit ledger publish --db sqlite:///ledger.db --to published-records/
    """
    from alliancekit.ledger.db import connect
    from alliancekit.ledger.publish import publish as write

    count = write(connect(db), to)
    typer.echo(f"published {plural(count, 'record')}; set ALLIANCEKIT_RECORDS to that "
               "directory for the engine and the explorer to read them")


@app.command("token")
def token(
    account: Annotated[str, typer.Argument(help="The account the token acts for.")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: propose, review, admin (each "
                                             "allowed to the account's role).")] = "propose",
    name: Annotated[str, typer.Option(help="What the token is for (shown in the audit "
                                           "log).")] = "api",
    revoke: Annotated[int | None, typer.Option(help="Revoke the token with this number "
                                                    "instead.")] = None,
    db: Database = None,
) -> None:
    """Issue an API token for an account (printed once; only its digest is kept), or revoke
    one.

    Example: alliancekit ledger token carl --scopes propose --name laptop --db sqlite:///ledger.db
    """
    from sqlalchemy import select

    from alliancekit.cli._common import parse_list
    from alliancekit.errors import UsageError
    from alliancekit.ledger.auth import issue_token, revoke_token
    from alliancekit.ledger.db import connect, transaction, upgrade
    from alliancekit.ledger.models import AuditEntry, Token, User

    engine = connect(db)
    upgrade(engine)
    actor = f"cli:{getpass.getuser()}"
    with transaction(engine) as session:
        if revoke is not None:
            revoke_token(session, revoke)
            session.add(AuditEntry(actor=actor, action="token-revoke", comment=str(revoke)))
        else:
            user = session.scalar(select(User).where(User.name == account))
            if user is None:
                raise UsageError(f"account {account!r}: no such account (alliancekit ledger "
                                 "users --add NAME)")
            secret = issue_token(session, user, name, parse_list(scopes))
            number = session.scalar(select(Token.id).order_by(Token.id.desc()))
            session.add(AuditEntry(actor=actor, action="token-issue",
                                   comment=f"token {number} for {account}: {scopes} ({name})"))
    if revoke is not None:
        typer.echo(f"revoked token {revoke}")
        return
    typer.echo(f"token {number} for {account} ({scopes}); keep it, it is not shown again:")
    typer.echo(secret)
