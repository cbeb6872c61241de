"""/healthz: is each part of Mizan up? For monitoring and for the status page."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ingestion.ocr import ocr_status
from mizan import worker
from web.app import csrf
from web.support import kernel

bp = Blueprint("health", __name__)


def component_status() -> dict[str, dict[str, object]]:
    k = kernel()
    checks = {
        "store": k.store.ping,
        "index": lambda: k.index.ping(),
        "broker": lambda: worker.broker_status(k.settings),
        "ocr": ocr_status,
    }
    result: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        try:
            up, detail = check()
        except Exception as exc:  # a failing check is a "down", never a 500
            up, detail = False, str(exc)
        result[name] = {"up": bool(up), "detail": detail}
    return result


@bp.route("/healthz")
@csrf.exempt
def healthz():  # type: ignore[no-untyped-def]
    components = component_status()
    core_up = all(components[name]["up"] for name in ("store", "index", "broker"))
    body = {"status": "ok" if core_up else "degraded", "components": components}
    return jsonify(body), 200 if core_up else 503
