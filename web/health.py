"""/healthz: is each part of Mizan up? For monitoring and for the status page."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, jsonify

from ingestion.ocr import ocr_status
from mizan import worker
from mizan.kernel import Kernel
from search.backends import embedder, search_index, vector_index
from web.app import csrf
from web.support import kernel

bp = Blueprint("health", __name__)


def vector_status(k: Kernel) -> tuple[bool, str, dict[str, object]]:
    """The vector index (reachable, vectors held) and whether the model is in memory.

    The model loads on the first meaning search or the warm-up: "not loaded"
    is not a fault, so it never makes the vector index "down".
    """
    loaded = embedder(k).loaded
    model = "embedding model loaded" if loaded else "embedding model not loaded yet"
    up, detail = vector_index(k).ping()
    facts: dict[str, object] = {"model_loaded": loaded}
    if up:
        facts["vectors"] = vector_index(k).count()
    return up, f"{detail}; {model}", facts


def component_status() -> dict[str, dict[str, object]]:
    k = kernel()
    checks: dict[str, Callable[[], tuple]] = {
        "store": k.store.ping,
        "index": lambda: search_index(k).ping(),
        "vectors": lambda: vector_status(k),
        "broker": lambda: worker.broker_status(k.settings),
        "ocr": ocr_status,
    }
    result: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        facts: dict[str, object] = {}
        try:
            up, detail, *more = check()  # some checks add figures after (up, detail)
            facts = more[0] if more else {}
        except Exception as exc:  # a failing check is a "down", never a 500
            up, detail = False, str(exc)
        result[name] = {"up": bool(up), "detail": detail, **facts}
    return result


@bp.route("/healthz")
@csrf.exempt
def healthz():  # type: ignore[no-untyped-def]
    components = component_status()
    core = ("store", "index", "vectors", "broker")
    core_up = all(components[name]["up"] for name in core)
    body = {"status": "ok" if core_up else "degraded", "components": components}
    return jsonify(body), 200 if core_up else 503
