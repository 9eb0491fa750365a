"""The API against its own OpenAPI document, with schemathesis: every operation, generated
valid and invalid requests, every check (no server error; statuses, content types, headers
and bodies as documented; invalid input refused; valid input accepted), bounded in examples.

Two exceptions, stated, where a rule spans several fields or depends on the data, which JSON
Schema cannot express, so a 400 is not taken for a rejected valid request: the dyad-year panel
export takes at most 51 years per request (on a ``1990-2040`` range), and a scenario may not
put one state on both sides nor ask for more draws than its pledges in play allow (draws x
pledges at most 50 million)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from alliancekit.web.app import create_app
from tests.conftest import NO_REAL_DATA, real_data_dir

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
# Operations that answer only with the research datasets.
NEEDS_DATA = ("/api/similarity/{a}/{b}", "/api/panels/dyad-years", "/api/reliability")


@schema.parametrize()
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case: Any) -> None:
    if real_data_dir() is None and case.operation.path in NEEDS_DATA:
        pytest.skip(NO_REAL_DATA)  # without them the answer is 503 source_missing, by design
    excluded = [positive_data_acceptance] if case.operation.path in (
        "/api/panels/dyad-years", "/api/scenarios") else []
    case.call_and_validate(excluded_checks=excluded)
