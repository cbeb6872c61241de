"""The health report: the kernel's own checks plus the ones domain packages contribute."""

from __future__ import annotations

from mizan.health import HealthCheck, health_report, run_check


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
