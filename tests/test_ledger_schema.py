"""The ledger's write API against its OpenAPI document, with schemathesis, signed in with a
reviewer's token (scopes propose and review) on a SQLite ledger holding the shipped records:
no server error, every response as documented.

One exception, stated: a proposal's text must be a valid record (dates, states, sources), which
JSON Schema cannot express, so a 422 for schema-valid input is not taken for a rejected valid
request (and likewise 400/404/409 for a decision on a proposal that does not exist or is
decided)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from alliancekit.ledger.auth import create_user, issue_token
from alliancekit.ledger.db import transaction
from alliancekit.web.app import create_app
from alliancekit.web.ledger import open_ledger

_ROOT = Path(tempfile.mkdtemp(prefix="alliancekit-ledger-schema-"))
os.environ.setdefault("ALLIANCEKIT_SECRET", "schema test")
_STATE = open_ledger(f"sqlite:///{_ROOT / 'ledger.db'}", _ROOT / "published")
with transaction(_STATE.engine) as _session:
    _TOKEN = issue_token(_session, create_user(_session, "rita", "reviewer",
                                               "correct horse battery"),
                         "schema", ["propose", "review"])

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(ledger=_STATE))


@schema.include(path_regex="^/api/ledger/").parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_ledger_api_keeps_to_its_openapi_document(case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {_TOKEN}"},
                           excluded_checks=[positive_data_acceptance])
