"""The intake API against its own OpenAPI document, with schemathesis (issue 16 item 5).

Requests generated from the document, valid records and deliberately broken ones, are sent
in-process to the Flask app (WSGI). Every answer must match the document (status, content
type, body schema), none may be a server error, a request that breaks the document must be
refused with a 4xx, a request without a token must be refused, and every refusal must carry
a message a person can read.

Not checked: that every record the document allows is accepted. Some rules cannot be said in
JSON Schema (the district must be one the integration serves, the incident must come before
the FIR was registered, a court's case number must be known); such a record gets the 422
with a message per field that the document promises.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation import GenerationMode

from mizan.accounts.integrations import create_integration
from mizan.actor import SYSTEM

#: Per operation and generation mode: 3 operations x 2 modes, well under a minute and a half.
EXAMPLES = 30


def refusals_are_readable(ctx, response, case) -> None:  # type: ignore[no-untyped-def]
    """A 4xx says what is wrong in words: JSON with an ``error`` sentence and, per field, one
    more (never an HTML page, a stack trace or an empty body)."""
    if not 400 <= response.status_code < 500:
        return
    body = json.loads(response.content)
    assert isinstance(body.get("error"), str) and len(body["error"].split()) >= 3, body
    for field, message in body.get("errors", {}).items():
        assert isinstance(message, str) and message.strip(), (field, body)
    assert "Traceback" not in response.text


def broken_rows_are_refused(ctx, response, case) -> None:  # type: ignore[no-untyped-def]
    """A request that breaks the document is refused; a cause list is answered row by row
    (as documented), so there a 200 must mark at least one row as an error instead."""
    if (
        case.operation.path.endswith("/cause-lists")
        and response.status_code == 200
        and any(row["status"] == "error" for row in json.loads(response.content)["rows"])
    ):
        return
    checks.negative_data_rejection(ctx, response, case)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    broken_rows_are_refused,
    checks.ignored_auth,
    checks.unsupported_method,
    refusals_are_readable,
]


@pytest.fixture
def tokens(demo) -> dict[str, str]:
    """A police and a court integration for the demo district."""
    return {
        kind: create_integration(
            demo, SYSTEM, name=f"{kind} system", kind=kind, districts=["KHI-S"]
        )[1]
        for kind in ("police", "court")
    }


def _fuzz(operation, mode: GenerationMode, auth: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def keeps_contract(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=auth, checks=CHECKS)

    keeps_contract()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_intake_api_keeps_its_contract(app, tokens, mode) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {
        "/api/v1/firs",
        "/api/v1/challans",
        "/api/v1/cause-lists",
        "/api/v1/police/messages",
        "/api/v1/police/replies",
    }
    for operation in operations:
        kind = "court" if operation.path.endswith("cause-lists") else "police"
        _fuzz(operation, mode, {"Authorization": f"Bearer {tokens[kind]}"})
