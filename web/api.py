"""The JSON API for police and court systems (``/api/v1``), with token auth.

Each integration sends ``Authorization: Bearer <token>``; what it may touch is
limited to its districts. Errors are JSON with a message per field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from casefiles.cause_lists import (
    MAX_ROWS,
    CauseListError,
    import_cause_list,
    parse_csv,
    rows_from_json,
)
from casefiles.intake import IntakeError, IntakeResult, receive_challan, upsert_fir
from mizan.accounts.integrations import actor_for_integration, authenticate_api
from web.app import csrf
from web.police_openapi import POLICE_PATHS
from web.support import client_address, kernel

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_JSON_BYTES = 2 * 1024 * 1024


def _error(status: int, message: str, errors: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    body: dict[str, object] = {"error": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def token_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        integration = authenticate_api(kernel(), token, client_address(), request.path)
        if integration is None:
            return _error(401, "A valid API token is required (Authorization: Bearer …).")
        g.integration = integration
        g.api_actor = actor_for_integration(integration, client_address())
        return view(*args, **kwargs)

    return wrapped


def _json_body() -> Any:
    if request.content_length and request.content_length > MAX_JSON_BYTES:
        raise IntakeError({"record": "is larger than 2 MB"})
    data = request.get_json(silent=True)
    if data is None:
        raise IntakeError({"record": "the body must be JSON (Content-Type: application/json)"})
    return data


def _result(result: IntakeResult) -> ResponseReturnValue:
    case = result.case
    body = {
        "case_id": case.id,
        "reference": case.reference,
        "state": case.state,
        "version": case.version,
        "created": result.created,
        "changed": result.changed,
    }
    return jsonify(body), 201 if result.created else 200


@bp.route("/firs", methods=["POST"])
@token_required
def firs() -> ResponseReturnValue:
    try:
        return _result(
            upsert_fir(kernel(), g.api_actor, list(g.integration.districts), _json_body())
        )
    except IntakeError as exc:
        return _error(422, "The FIR record was not accepted.", exc.errors)


@bp.route("/challans", methods=["POST"])
@token_required
def challans() -> ResponseReturnValue:
    if g.integration.kind != "police":
        return _error(403, "Only police integrations send challans.")
    try:
        return _result(
            receive_challan(kernel(), g.api_actor, list(g.integration.districts), _json_body())
        )
    except IntakeError as exc:
        return _error(422, "The challan was not accepted.", exc.errors)


@bp.route("/cause-lists", methods=["POST"])
@token_required
def cause_lists() -> ResponseReturnValue:
    """A court's cause list as CSV (``text/csv``) or JSON; one result per row."""
    if g.integration.kind != "court":
        return _error(403, "Only court integrations send cause lists.")
    if request.content_length and request.content_length > MAX_JSON_BYTES:
        return _error(413, "The cause list is larger than 2 MB; send it in parts.")
    try:
        if request.mimetype in ("text/csv", "application/csv"):
            try:
                text = request.get_data().decode("utf-8")
            except UnicodeDecodeError:
                return _error(422, "The CSV file must be UTF-8 text.")
            rows: list = parse_csv(text)
        else:
            rows = rows_from_json(_json_body())
        result = import_cause_list(kernel(), g.api_actor, list(g.integration.districts), rows)
    except CauseListError as exc:
        return _error(422, str(exc))
    except IntakeError as exc:
        return _error(422, "The cause list was not accepted.", exc.errors)
    return jsonify({"summary": result.summary(), "rows": [r.as_json() for r in result.rows]}), 200


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(OPENAPI)


_PERSON = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "example": "Muhammad Aslam @ Achu"},
        "parentage": {"type": "string", "example": "s/o Muhammad Akram"},
        "cnic": {"type": "string", "example": "42101-1234567-1"},
        "custody": {
            "type": "string",
            "enum": ["not_arrested", "arrested", "on_bail", "absconding", "released"],
        },
    },
}
_KEY = {
    "district": {"type": "string", "example": "KHI-S"},
    "police_station": {"type": "string", "maxLength": 80, "example": "Artillery Maidan"},
    "fir_number": {"type": "integer", "minimum": 1, "maximum": 99999, "example": 189},
    "fir_year": {"type": "integer", "minimum": 1947, "example": 2024},
}
_RESULT = {
    "type": "object",
    "properties": {
        "case_id": {"type": "string"},
        "reference": {"type": "string"},
        "state": {"type": "string"},
        "version": {"type": "integer"},
        "created": {"type": "boolean"},
        "changed": {"type": "array", "items": {"type": "string"}},
    },
}
_ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}

_CAUSE_ROW = {
    "type": "object",
    "required": ["court", "date"],
    "properties": {
        "court": {"type": "string", "example": "Sessions Court Karachi South"},
        "date": {"type": "string", "format": "date", "example": "2025-03-14"},
        "time": {"type": "string", "example": "10:30", "description": "Pakistan time"},
        "case_number": {"type": "string", "example": "Sessions Case No. 338 of 2023"},
        "purpose": {
            "type": "string",
            "enum": [
                "charge",
                "evidence",
                "s342",
                "arguments",
                "bail",
                "remand",
                "judgment",
                "other",
            ],
        },
        **_KEY,
        "notes": {"type": "string"},
        "parties": {
            "type": "string",
            "example": "The State v. Muhammad Aslam",
            "description": "Kept with the row; the API matches by case number or FIR only",
        },
    },
}
#: An empty list is refused (422), and so is one over the limit (casefiles.cause_lists).
_CAUSE_ROWS = {"type": "array", "items": _CAUSE_ROW, "minItems": 1, "maxItems": MAX_ROWS}
_CAUSE_RESULT = {
    "type": "object",
    "properties": {
        "summary": {
            "type": "object",
            "properties": {
                k: {"type": "integer"} for k in ("created", "updated", "unchanged", "error")
            },
        },
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "row": {"type": "integer"},
                    "status": {
                        "type": "string",
                        "enum": ["created", "updated", "unchanged", "error"],
                    },
                    "case_id": {"type": "string"},
                    "hearing_id": {"type": "string"},
                    "changed": {"type": "array", "items": {"type": "string"}},
                    "warnings": {"type": "array", "items": {"type": "string"}},
                    "errors": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
        },
    },
}


def _responses(created: bool) -> dict:
    responses = {
        "200": {
            "description": "Already known: unchanged, or updated (see `changed`).",
            "content": {"application/json": {"schema": _RESULT}},
        },
        "401": {
            "description": "Missing or invalid token.",
            "content": {"application/json": {"schema": _ERROR}},
        },
        "422": {
            "description": "The record has errors, one message per field.",
            "content": {"application/json": {"schema": _ERROR}},
        },
    }
    if created:
        responses["201"] = {
            "description": "Case created.",
            "content": {"application/json": {"schema": _RESULT}},
        }
    return responses


OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Mizan intake API",
        "version": "1",
        "description": "Police and court systems send FIR records and challans. "
        "Records are idempotent on district + police station + FIR "
        "number + year: sending the same record twice changes nothing. "
        "Police systems read the prosecution's messages (`/api/v1/police/messages`, "
        "also sent as signed webhooks) and answer them (`/api/v1/police/replies`).",
    },
    "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    "security": [{"token": []}],
    "paths": {
        "/api/v1/firs": {
            "post": {
                "summary": "Create or update a case from an FIR record",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": list(_KEY),
                                "properties": {
                                    **_KEY,
                                    "registered_at": {"type": "string", "format": "date-time"},
                                    "title": {"type": "string", "maxLength": 200},
                                    "incident_at": {"type": "string", "format": "date-time"},
                                    "place": {"type": "string", "maxLength": 200},
                                    "narrative": {"type": "string", "maxLength": 20000},
                                    "sections": {
                                        "oneOf": [
                                            {"type": "string", "example": "302/34 PPC"},
                                            {"type": "array", "items": {"type": "string"}},
                                        ]
                                    },
                                    "labels": {
                                        "type": "array",
                                        "items": {
                                            "type": "string",
                                            "enum": [
                                                "ATA",
                                                "JIT",
                                                "PROTECTED_WITNESS",
                                                "JUVENILE",
                                                "SEXUAL_OFFENCE",
                                            ],
                                        },
                                    },
                                    "accused": {"type": "array", "items": _PERSON},
                                    "complainant": _PERSON,
                                },
                            }
                        }
                    },
                },
                "responses": _responses(created=True),
            }
        },
        "/api/v1/cause-lists": {
            "post": {
                "summary": "Import a court cause list (court integrations); one result per row",
                "description": "Each row lists a case in a court on a date. Hearings are "
                "identified by court + case number + date: sending the same list again "
                "changes nothing (`unchanged`); a corrected time or purpose updates the "
                "hearing. A row is matched by the court's case number; the first time, "
                "also send the FIR (district, police_station, fir_number, fir_year) and "
                "the number is remembered. CSV: a header line with the same field names. "
                "At most 2,000 rows.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    _CAUSE_ROWS,
                                    {
                                        "type": "object",
                                        "required": ["rows"],
                                        "properties": {"rows": _CAUSE_ROWS},
                                    },
                                ]
                            }
                        },
                        "text/csv": {
                            "schema": {"type": "string"},
                            "example": "court,date,time,case_number,purpose\n"
                            "Sessions Court Karachi South,2025-03-14,10:30,"
                            "Sessions Case No. 338 of 2023,evidence\n",
                        },
                    },
                },
                "responses": {
                    "200": {
                        "description": "Every row answered: created, updated, unchanged or "
                        "error (with a message per field); clashes come back as warnings.",
                        "content": {"application/json": {"schema": _CAUSE_RESULT}},
                    },
                    "401": {
                        "description": "Missing or invalid token.",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                    "403": {
                        "description": "Not a court integration.",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                    "422": {
                        "description": "The list as a whole cannot be read.",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                },
            }
        },
        "/api/v1/challans": {
            "post": {
                "summary": "Record a police report under s.173 (interim or final challan)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": [*_KEY, "kind", "submitted_on"],
                                "properties": {
                                    **_KEY,
                                    "kind": {"type": "string", "enum": ["interim", "final"]},
                                    "submitted_on": {"type": "string", "format": "date"},
                                    "io_name": {"type": "string", "maxLength": 120},
                                },
                            }
                        }
                    },
                },
                "responses": _responses(created=False),
            }
        },
        **POLICE_PATHS,
    },
}
