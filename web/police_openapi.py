"""The OpenAPI description of the police exchange (``web.police_api``), merged into the
document ``/api/v1/openapi.json`` serves."""

from __future__ import annotations

_ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


MESSAGE = {
    "type": "object",
    "description": "A message from the prosecution to a police station / IO. Also the body "
    "of the `police.message` webhook, signed: `X-Mizan-Signature: sha256=<hex>` is "
    "HMAC-SHA256 with the webhook secret over `<X-Mizan-Timestamp>.<raw body>`; "
    "`X-Mizan-Message-Id` is `id`. A message never changes once sent.",
    "properties": {
        "id": {"type": "string", "description": "Unique; de-duplicate on it"},
        "seq": {"type": "integer", "description": "Its place in the feed"},
        "kind": {
            "type": "string",
            "enum": [
                "objections",
                "further_investigation",
                "produce_witness",
                "produce_property",
                "deadline",
            ],
        },
        "created_at": {"type": "string", "format": "date-time"},
        "case": {
            "type": "object",
            "properties": {
                "reference": {"type": "string"},
                "district": {"type": "string"},
                "police_station": {"type": "string"},
                "fir_number": {"type": "integer"},
                "fir_year": {"type": "integer"},
            },
        },
        "to": {
            "type": "object",
            "properties": {
                "police_station": {"type": "string"},
                "io_name": {"type": ["string", "null"]},
            },
        },
        "text": {"type": "string"},
        "objections": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
            },
        },
        "due_on": {"type": ["string", "null"], "format": "date"},
        "from": {"type": "string"},
    },
}

REPLY = {
    "type": "object",
    "required": ["id", "message_id", "type"],
    "properties": {
        "id": {
            "type": "string",
            "maxLength": 100,
            "description": "Your id for this reply: sending it again changes nothing; "
            "the same id with other content is refused (409)",
        },
        "message_id": {"type": "string"},
        "type": {"type": "string", "enum": ["acknowledgement", "answer", "resubmission"]},
        "objection_id": {
            "type": "string",
            "description": "For an answer to a message with objections: which one",
        },
        "text": {"type": "string", "maxLength": 4000, "description": "Required for answers"},
        "challan": {
            "type": "object",
            "description": "For a resubmission (after every objection is answered)",
            "properties": {
                "kind": {"type": "string", "enum": ["interim", "final"], "default": "final"},
                "submitted_on": {"type": "string", "format": "date-time"},
                "io_name": {"type": "string"},
            },
        },
    },
}

REPLY_RESULT = {
    "type": "object",
    "properties": {
        "message_id": {"type": "string"},
        "applied": {"type": "boolean", "description": "false: already applied (a replay)"},
        "changed": {"type": "array", "items": {"type": "string"}},
        "acknowledged": {"type": "boolean"},
        "open_objections": {"type": "array", "items": {"type": "string"}},
        "resubmitted": {"type": "boolean"},
        "case_state": {"type": ["string", "null"]},
    },
}

POLICE_PATHS = {
    "/api/v1/police/messages": {
        "get": {
            "summary": "Messages to the police of your districts, after a cursor (police only)",
            "description": "Start with `after=0`; keep the `cursor` of each page and pass it as "
            "`after` next time. While `more` is true, ask again at once. A system that was "
            "down catches up from its last cursor; nothing is skipped.",
            "parameters": [
                {"name": "after", "in": "query", "schema": {"type": "string", "default": "0"}},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
                },
            ],
            "responses": {
                "200": {
                    "description": "A page of messages, oldest first.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "messages": {"type": "array", "items": MESSAGE},
                                    "cursor": {"type": "string"},
                                    "more": {"type": "boolean"},
                                },
                            }
                        }
                    },
                },
                "400": _error("`after` or `limit` is not a valid number."),
                "401": _error("Missing or invalid token."),
                "403": _error("Not a police integration."),
            },
        }
    },
    "/api/v1/police/replies": {
        "post": {
            "summary": "Acknowledge a message, answer one objection, or resubmit the challan",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": REPLY}},
            },
            "responses": {
                "200": {
                    "description": "Applied, or already applied (`applied: false`).",
                    "content": {"application/json": {"schema": REPLY_RESULT}},
                },
                "401": _error("Missing or invalid token."),
                "403": _error("Not a police integration."),
                "404": _error("No such message in your districts."),
                "409": _error(
                    "The id was used for another reply, objections are still open, or the "
                    "message does not ask for the challan again."
                ),
                "422": _error(
                    "The reply has errors (one per field), e.g. an objection that does not exist."
                ),
            },
        }
    },
}
