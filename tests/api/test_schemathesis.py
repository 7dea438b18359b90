"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis, in-process ASGI, the real stack).

Valid and invalid requests are generated from the schema; for each: no 5xx, the response conforms to the schema
(status, content type, body), and every error body names 112 and 0800-2000. A bounded number of examples keeps it
well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from wegwijzer.api.app import create_app
from wegwijzer.config import Settings

pytestmark = pytest.mark.integration
EXAMPLES = 150


# The app is created at import (cheap: nothing heavy loads before the lifespan); the session's real services are put
# on it by the fixture below. (schemathesis' lazy `from_fixture` loader needs a pytest attribute that pytest 9 dropped.)
APP = create_app(Settings(env="test"), services=None)
# Invalid input is refused with 400, or 413 when the body is over the limit (checked before parsing): both count as
# rejecting it. The schema documents both (api/errors.py ERROR_RESPONSES).
CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": ["400", "405", "413"]}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@pytest.fixture(autouse=True)
def real_services(services) -> Iterator[None]:
    APP.state.services = services
    yield
    APP.state.services = None


def helplines_in_every_error(ctx, response, case) -> bool | None:
    if response.status_code >= 400:
        text = response.text
        assert "112" in text and "0800-2000" in text, f"error {response.status_code} without both helplines"
        assert response.headers.get("cache-control", [""])[0] == "no-store"
    return None


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))
def test_when_fuzzed_from_the_schema_then_no_5xx_conforming_bodies_and_helplines(case) -> None:
    response = case.call_and_validate(additional_checks=[helplines_in_every_error])
    assert response.status_code < 500
