"""The records ledger (issue 18) on SQLite and on a real PostgreSQL server: the schema from the
migrations, import and export of the shipped records byte for byte, imports all or nothing,
row versions, and an audit log the database itself keeps append-only.

The PostgreSQL tests start a throwaway server from Debian's packages (``.ci/run`` installs
``postgresql``) and skip, saying so, where it is not installed."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.orm import Session

from alliancekit.errors import CurationError, UsageError
from alliancekit.ledger.auth import (
    Denied,
    create_user,
    issue_token,
    revoke_token,
    sign_in,
    token_user,
)
from alliancekit.ledger.db import connect, transaction, upgrade
from alliancekit.ledger.models import AuditEntry, Base, Proposal, Record, Token, User
from alliancekit.ledger.records import export_records, import_records, record_text
from alliancekit.ledger.workflow import Conflict, decide, propose
from alliancekit.locations import curated_dir


def _toml_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for folder in ("agreements", "groups", "atop_status")
            for p in sorted((root / folder).glob("*.toml"))}


def test_the_migrations_build_the_models_schema(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_import_then_export_gives_the_shipped_files_byte_for_byte(engine: sa.Engine,
                                                                   tmp_path: Path) -> None:
    report = import_records(engine, actor="test")
    shipped = _toml_files(curated_dir())
    assert len(report.added) == len(shipped) > 90
    export_records(engine, tmp_path / "out")
    assert _toml_files(tmp_path / "out") == shipped
    again = import_records(engine, actor="test")
    assert again.unchanged == len(shipped) and not (again.added or again.changed)
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == \
            len(shipped)


def _copy_of_records(tmp_path: Path) -> Path:
    copy = tmp_path / "records"
    shutil.copytree(curated_dir(), copy)
    return copy


def test_an_import_with_one_bad_record_writes_nothing(engine: sa.Engine,
                                                      tmp_path: Path) -> None:
    records = _copy_of_records(tmp_path)
    path = records / "agreements" / "saudi_pakistan_smda.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('signed = "2025-09-17"',
                                                             'signed = "2025-13-17"'),
                    encoding="utf-8")
    with pytest.raises(CurationError, match=r"saudi_pakistan_smda.toml: signed"):
        import_records(engine, records, actor="test")
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Record)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_a_changed_record_is_audited_with_before_and_after(engine: sa.Engine,
                                                           tmp_path: Path) -> None:
    import_records(engine, actor="first")
    records = _copy_of_records(tmp_path)
    path = records / "agreements" / "saudi_pakistan_smda.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'note = "Signature"', 'note = "Signature in Riyadh"'), encoding="utf-8")
    (records / "agreements" / "seato.toml").unlink()
    report = import_records(engine, records, actor="second", comment="a test")
    assert report.changed == ["agreements/saudi_pakistan_smda"]
    assert report.removed == ["agreements/seato"]
    with Session(engine) as session:
        changes = session.scalars(sa.select(AuditEntry).where(AuditEntry.actor == "second")
                                  .order_by(AuditEntry.id)).all()
    assert [(c.action, c.key) for c in changes] == [("import", "saudi_pakistan_smda"),
                                                    ("import-remove", "seato")]
    assert changes[0].before is not None and 'note = "Signature"\n' in changes[0].before
    assert changes[0].after is not None and "Signature in Riyadh" in changes[0].after
    assert changes[1].after is None and changes[0].comment == "a test"
    export_records(engine, tmp_path / "out")
    assert _toml_files(tmp_path / "out") == _toml_files(records)


def test_the_database_refuses_to_change_or_delete_audit_rows(engine: sa.Engine) -> None:
    import_records(engine, actor="test")
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as c:
            c.execute(sa.text(statement))
    with Session(engine) as session:
        actors = set(session.scalars(sa.select(AuditEntry.actor)))
    assert actors == {"test"}


def _people(engine: sa.Engine) -> dict[str, int]:
    """A viewer, two curators, two reviewers and an admin; their ids."""
    with transaction(engine) as session:
        return {name: create_user(session, name, role, "correct horse battery").id
                for name, role in (("vera", "viewer"), ("carl", "curator"),
                                   ("cleo", "curator"), ("rita", "reviewer"),
                                   ("rob", "reviewer"), ("ada", "admin"))}


SMDA = ("agreements", "saudi_pakistan_smda")


def _smda_text(engine: sa.Engine, note: str) -> str:
    with transaction(engine) as session:
        record = session.scalars(sa.select(Record).where(Record.key == SMDA[1])).one()
        return record_text(record).replace('note = "Signature"\n', f'note = "{note}"\n')


def test_propose_review_publish_with_roles_and_the_audit(engine: sa.Engine,
                                                        tmp_path: Path) -> None:
    import_records(engine, actor="test")
    ids = _people(engine)
    text = _smda_text(engine, "Signature in Riyadh")
    with transaction(engine) as session:
        users = {n: session.get(User, i) for n, i in ids.items()}
        with pytest.raises(Denied, match="viewer"):
            propose(session, users["vera"], *SMDA, text, why="w", sources=["s1"])
        with pytest.raises(Denied, match="sign in"):
            propose(session, None, *SMDA, text, why="w", sources=["s1"])
        with pytest.raises(UsageError, match="sources"):
            propose(session, users["carl"], *SMDA, text, why="w", sources=[])
        with pytest.raises(CurationError, match="signed"):
            propose(session, users["carl"], *SMDA,
                    text.replace('signed = "2025-09-17"', 'signed = "2025-02-30"'),
                    why="w", sources=["s1"])
        proposal = propose(session, users["carl"], *SMDA, text, why="the place",
                           sources=["https://example.org/riyadh"])
        number = proposal.id
    robs = _smda_text(engine, "By rob")
    with transaction(engine) as session:
        users = {n: session.get(User, i) for n, i in ids.items()}
        with pytest.raises(Denied, match="curator"):
            decide(session, users["cleo"], number, approve=True)
        with pytest.raises(Denied, match="curator"):  # a curator approves nothing, own or not
            decide(session, users["carl"], number, approve=True)
        # a reviewer may propose too, but not approve their own proposal
        own = propose(session, users["rob"], *SMDA, robs, why="w", sources=["s1"])
        with pytest.raises(Denied, match="own proposal"):
            decide(session, users["rob"], own.id, approve=True)
        decide(session, users["rita"], own.id, approve=False, comment="not sourced")
    with transaction(engine) as session:
        decide(session, session.get(User, ids["rita"]), number, approve=True,
               comment="checked the source")
    with transaction(engine) as session:
        record = session.scalars(sa.select(Record).where(Record.key == SMDA[1])).one()
        assert record.version == 2 and "Signature in Riyadh" in record_text(record)
        actions = [(a.actor, a.action) for a in session.scalars(
            sa.select(AuditEntry).where(AuditEntry.actor != "test").order_by(AuditEntry.id))]
    assert actions == [("carl", "propose"), ("rob", "propose"), ("rita", "reject"),
                       ("rita", "approve")]
    export_records(engine, tmp_path / "out")
    assert "Signature in Riyadh" in (tmp_path / "out" / "agreements" /
                                     "saudi_pakistan_smda.toml").read_text(encoding="utf-8")


def test_eight_writers_on_one_record_lose_no_update(engine: sa.Engine) -> None:
    """Eight proposals from the same version, approved at the same time by eight threads:
    one is published, each of the others fails with a conflict, and nothing is lost."""
    import_records(engine, actor="test")
    ids = _people(engine)
    numbers = []
    for k in range(8):
        text = _smda_text(engine, f"Signature, version {k}")
        with transaction(engine) as session:
            numbers.append(propose(session, session.get(User, ids["carl"]), *SMDA, text,
                                   why=f"writer {k}", sources=["s1"]).id)
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def approve(number: int) -> None:
        start.wait()
        try:
            with transaction(engine) as session:
                decide(session, session.get(User, ids["rita"]), number, approve=True)
            outcomes.append("published")
        except Conflict as exc:
            assert "changed after the proposal was made" in str(exc)
            outcomes.append("conflict")

    threads = [threading.Thread(target=approve, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["conflict"] * 7 + ["published"]
    with transaction(engine) as session:
        record = session.scalars(sa.select(Record).where(Record.key == SMDA[1])).one()
        approved = session.scalars(sa.select(Proposal).where(Proposal.status == "approved")
                                   ).all()
        assert record.version == 2 and len(approved) == 1
        assert f"Signature, version {numbers.index(approved[0].id)}" in record_text(record)
        still_open = session.scalars(sa.select(Proposal).where(Proposal.status == "open")).all()
        assert len(still_open) == 7


def test_tokens_are_kept_hashed_scoped_and_revocable(engine: sa.Engine) -> None:
    ids = _people(engine)
    with transaction(engine) as session:
        carl = session.get(User, ids["carl"])
        with pytest.raises(Denied, match="may not give"):
            issue_token(session, carl, "ci", ["review"])
        with pytest.raises(Denied, match="viewer role may not give"):  # no token writes
            issue_token(session, session.get(User, ids["vera"]), "ci", ["propose"])
        secret = issue_token(session, carl, "laptop", ["propose"])
        assert secret not in str(session.scalars(sa.select(Token.digest)).all())
        assert token_user(session, secret, "propose").name == "carl"
        with pytest.raises(Denied, match="scope"):
            token_user(session, secret, "review")
        token = session.scalars(sa.select(Token)).one()
        revoke_token(session, token.id)
        with pytest.raises(Denied, match="revoked"):
            token_user(session, secret, "propose")
        with pytest.raises(Denied, match="wrong name or password"):
            sign_in(session, "carl", "not the password")
        assert sign_in(session, "carl", "correct horse battery").role == "curator"
        stored = session.get(User, ids["carl"])
        assert stored is not None and stored.password_hash.startswith("$argon2id$")


def test_exporting_a_ledger_that_does_not_exist_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="alliancekit ledger init"):
        export_records(connect(f"sqlite:///{tmp_path / 'none.db'}"), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_backup_and_restore_give_the_same_ledger(engine: sa.Engine, tmp_path: Path) -> None:
    from alliancekit.ledger.backup import backup, restore

    import_records(engine, actor="test")
    ids = _people(engine)
    text = _smda_text(engine, "Signature (restored)")
    with transaction(engine) as session:
        propose(session, session.get(User, ids["carl"]), *SMDA, text, why="w", sources=["s1"])
    counts = backup(engine, tmp_path / "ledger.zip")
    assert counts["records"] > 90 and counts["users"] == 6 and counts["proposals"] == 1
    target = connect(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade(target)
    assert restore(target, tmp_path / "ledger.zip") == counts
    export_records(engine, tmp_path / "before")
    export_records(target, tmp_path / "after")
    assert _toml_files(tmp_path / "after") == _toml_files(tmp_path / "before")
    with engine.connect() as a, target.connect() as b:
        query = sa.select(AuditEntry.actor, AuditEntry.action, AuditEntry.key,
                          AuditEntry.after).order_by(AuditEntry.id)
        restored = b.execute(query).all()
        assert restored[:-1] == a.execute(query).all()
        assert restored[-1][:2] == ("ledger", "restore")  # the restore is itself audited
    with transaction(target) as session:  # the restored accounts still sign in
        assert sign_in(session, "carl", "correct horse battery").role == "curator"
    with pytest.raises(UsageError, match="not empty"):
        restore(target, tmp_path / "ledger.zip")
    target.dispose()


def test_an_approved_change_is_read_by_the_engine_and_a_running_explorer(
        engine: sa.Engine, tmp_path: Path, tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    from alliancekit.ledger.publish import publish
    from alliancekit.obligations.engine import Obligations
    from alliancekit.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    published = tmp_path / "published"
    monkeypatch.setenv("ALLIANCEKIT_RECORDS", str(published))
    import_records(engine, actor="test")
    publish(engine)
    client = TestClient(create_app())  # the explorer, started once

    def defenders() -> set[int]:
        body = client.get("/api/defenders/SAU", params={"on": "2026-01-01"}).json()
        return {row["state"] for row in body["defenders"]}

    def map_partners() -> str:
        return client.get("/", params={"state": "SAU", "year": 2026, "lang": "en"}).text

    assert 770 in defenders() and ">Pakistan</a>" in map_partners()
    ids = _people(engine)
    text = _smda_text(engine, "Signature").replace(
        'state = 770  # Pakistan\nentry = "2025-09-17"\n',
        'state = 770  # Pakistan\nentry = "2025-09-17"\nexit = "2025-12-31"\n')
    assert 'exit = "2025-12-31"' in text
    with transaction(engine) as session:
        number = propose(session, session.get(User, ids["carl"]), *SMDA, text,
                         why="Pakistan left (a test)", sources=["https://example.org"]).id
    with transaction(engine) as session:
        decide(session, session.get(User, ids["rita"]), number, approve=True)
    publish(engine)
    assert 770 not in defenders()  # the same explorer, no restart
    assert ">Pakistan</a>" not in map_partners()
    fresh = Obligations(("curated",)).defenders_of("SAU", "2026-01-01").frame
    assert 770 not in set(fresh["state"])  # what alliancekit obligations defenders reads


def test_a_proposal_from_before_an_import_cannot_overwrite_it(engine: sa.Engine,
                                                              tmp_path: Path) -> None:
    import_records(engine, actor="test")
    ids = _people(engine)
    text = _smda_text(engine, "Signature (stale)")
    with transaction(engine) as session:
        number = propose(session, session.get(User, ids["carl"]), *SMDA, text, why="w",
                         sources=["s1"]).id
    records = _copy_of_records(tmp_path)  # a release changes the record meanwhile
    path = records / "agreements" / "saudi_pakistan_smda.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'note = "Signature"', 'note = "Signature (release)"'), encoding="utf-8")
    import_records(engine, records, actor="release")
    with pytest.raises(Conflict), transaction(engine) as session:
        decide(session, session.get(User, ids["rita"]), number, approve=True)
    with transaction(engine) as session:
        record = session.scalars(sa.select(Record).where(Record.key == SMDA[1])).one()
        assert "Signature (release)" in record_text(record) and record.version == 2


def test_the_ledger_commands_add_an_account_issue_and_revoke_a_token(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from alliancekit.cli import app

    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    runner = CliRunner()
    added = runner.invoke(app, ["ledger", "users", "--add", "carl", "--role", "curator",
                                "--generate-password", "--db", db])
    assert added.exit_code == 0, added.output
    password = added.output.split("(shown once): ")[1].split()[0]
    issued = runner.invoke(app, ["ledger", "token", "carl", "--scopes", "propose", "--db", db])
    assert issued.exit_code == 0, issued.output
    secret = issued.output.strip().splitlines()[-1]
    engine = connect(db)
    with transaction(engine) as session:
        assert sign_in(session, "carl", password).role == "curator"
        assert token_user(session, secret, "propose").name == "carl"
        number = session.scalars(sa.select(Token.id)).one()
    revoked = runner.invoke(app, ["ledger", "token", "carl", "--revoke", str(number),
                                  "--db", db])
    assert revoked.exit_code == 0 and f"revoked token {number}" in revoked.output
    with transaction(engine) as session:
        assert len(session.scalars(sa.select(Token)).all()) == 1  # none issued by the revoke
        with pytest.raises(Denied, match="revoked"):
            token_user(session, secret, "propose")
    engine.dispose()
