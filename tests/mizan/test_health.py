"""The health report: the kernel's own checks plus the ones domain packages contribute."""

from __future__ import annotations

import pytest

from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.health import (
    HealthCheck,
    detailed_report,
    health_report,
    mask_credentials,
    run_check,
)


def test_a_failing_check_is_a_down_never_an_error() -> None:
    def boom() -> tuple:
        raise RuntimeError("disk on fire")

    assert run_check(boom) == {"up": False, "detail": "disk on fire"}
    assert run_check(lambda: (True, "fine", {"n": 3})) == {"up": True, "detail": "fine", "n": 3}


def test_core_parts_decide_the_status(kernel) -> None:
    up = HealthCheck("index", lambda: (True, "index up"))
    optional_down = HealthCheck("ocr", lambda: (False, "no tesseract"), core=False)
    report = health_report(kernel, [up, optional_down])
    assert list(report.components) == ["store", "index", "ocr", "broker"]
    assert report.components["store"]["up"] is True
    assert report.ok is report.components["broker"]["up"]  # the optional part never counts
    down = health_report(kernel, [HealthCheck("index", lambda: (False, "unreachable"))])
    assert down.ok is False and down.status == "degraded"
    assert down.components["index"] == {"up": False, "detail": "unreachable"}


def test_urls_in_details_lose_their_credentials() -> None:
    assert (
        mask_credentials("elasticsearch at https://elastic:pa:ss@es.example:9200/x down")
        == "elasticsearch at https://***@es.example:9200/x down"
    )
    assert mask_credentials("redis://:token@cache:6379/0") == "redis://***@cache:6379/0"
    assert mask_credentials("SQLite 3.45 at /var/mizan/db") == "SQLite 3.45 at /var/mizan/db"

    def refused() -> tuple:
        raise ConnectionError("cannot reach http://admin:hunter2@10.0.0.5:9200")

    down = run_check(refused)
    assert down == {"up": False, "detail": "cannot reach http://***@10.0.0.5:9200"}
    up = run_check(lambda: (True, "mongodb://u:p@db/x", {"server": "mongodb://u:p@db/x"}))
    assert "u:p" not in str(up) and up["server"] == "mongodb://***@db/x"


def test_public_summary_says_only_up_or_down(kernel) -> None:
    report = health_report(kernel, [HealthCheck("index", lambda: (True, "tantivy 0.22 at /x"))])
    summary = report.summary()
    assert summary["status"] == report.status
    assert list(summary["components"]) == list(report.components)
    assert all(set(facts) == {"up"} for facts in summary["components"].values())
    assert summary["components"]["index"] == {"up": True}
    assert "tantivy" not in str(summary) and "/x" not in str(summary)


def test_details_need_the_health_capability(kernel) -> None:
    clerk = Actor(user_id="u1", username="clerk", roles=frozenset({"clerk"}))
    with pytest.raises(PermissionDenied):
        detailed_report(kernel, clerk)
    admin = Actor(user_id="u2", username="admin", roles=frozenset({"admin"}))
    assert "detail" in detailed_report(kernel, admin).components["store"]
