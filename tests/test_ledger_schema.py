"""The ledger's write API against its OpenAPI document, with schemathesis, signed in with a
reviewer's token (scopes propose and review) on a ledger holding the shipped records, on SQLite
and on PostgreSQL: no server error, every response as documented.

One exception, stated: a proposal's text must be a valid record (dates, states, sources), which
JSON Schema cannot express, so a 4xx for schema-valid input is not taken for a rejected valid
request (and likewise for a decision on a proposal that does not exist or is decided)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from alliancekit.ledger.auth import create_user, issue_token
from alliancekit.ledger.db import transaction
from alliancekit.web.app import create_app
from alliancekit.web.ledger import open_ledger


def test_the_ledger_api_keeps_to_its_openapi_document(
        ledger_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCEKIT_SECRET", "schema test")
    monkeypatch.setenv("ALLIANCEKIT_RECORDS", str(tmp_path / "published"))
    state = open_ledger(ledger_url)
    with transaction(state.engine) as session:
        token = issue_token(session, create_user(session, "rita", "reviewer",
                                                 "correct horse battery"),
                            "schema", ["propose", "review"])
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(ledger=state))
    operations = [result.ok() for result in schema.include(
        path_regex="^/api/ledger/").get_all_operations()]
    assert len(operations) == 4
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def keeps_to_the_document(case: Any) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                   excluded_checks=[positive_data_acceptance])

        keeps_to_the_document()
    state.engine.dispose()
