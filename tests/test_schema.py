"""The API against its own OpenAPI document, with schemathesis: every operation, generated
valid and invalid requests, every check (no server error; statuses, content types, headers
and bodies as documented; invalid input refused; valid input accepted), bounded in examples.

One exception, stated: the dyad-year panel export takes at most 51 years per request, a limit
JSON Schema cannot express on a ``1990-2040`` range, so its 400 for longer spans is not taken
for a rejected valid request."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from alliancekit.web.app import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case: Any) -> None:
    excluded = [positive_data_acceptance] if case.operation.path == "/api/panels/dyad-years" \
        else []
    case.call_and_validate(excluded_checks=excluded)
