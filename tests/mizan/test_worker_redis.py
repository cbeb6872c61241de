"""Work queued on Redis outlives a crash of the Redis server.

`enqueue` returns once Redis has taken the message, and the job record then waits for
it; a crash that drops the message would leave the job queued until some worker
restarts. Redis keeps what it acknowledged only with its append-only file
(``appendonly yes``; the test server runs as docs/security.md tells deployments to).
"""

from __future__ import annotations

from pathlib import Path

import redis

from app.bootstrap import build_kernel
from mizan import worker
from tests.conftest import RedisServer, make_settings


def test_a_queued_task_survives_a_redis_crash(redis_server: RedisServer, tmp_path: Path) -> None:
    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_BROKER=redis_server.url))
    try:
        worker.enqueue("mizan.drain_outbox")
        queued = redis.Redis.from_url(redis_server.url).llen(worker.INTERACTIVE_QUEUE)
        assert queued == 1, "the message was not queued"

        redis_server.crash()  # SIGKILL: nothing is saved at exit

        after = redis.Redis.from_url(redis_server.url).llen(worker.INTERACTIVE_QUEUE)
        assert after == 1, "Redis lost a message it had acknowledged"
    finally:
        kernel.close()


def test_the_health_check_warns_when_redis_would_lose_queued_jobs(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path / "data", MIZAN_BROKER=redis_server.url)
    up, detail = worker.broker_status(settings)
    assert up and "append-only" not in detail

    redis.Redis.from_url(redis_server.url).config_set("appendonly", "no")  # Debian's default
    up, detail = worker.broker_status(settings)
    assert up and "a Redis crash loses queued jobs (appendonly yes)" in detail
