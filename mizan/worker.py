"""The Celery application: SQLite broker by default (no server), Redis by URL.

The app is configured from settings when a kernel is built for the process, so
the web process, the CLI and workers always agree on the broker. Messages carry
only ids; the durable state is in the job record (``mizan.jobs``).

Two queues: interactive work (a clerk's upload, the index update after an edit)
on ``mizan``, bulk work (library imports and their indexing, searchable PDFs) on
``mizan.bulk``. Packages name their bulk tasks in the registry; ``make run``
starts one worker for interactive work only and one for both, so an upload is
read at once however much bulk work is queued.
"""

from __future__ import annotations

import logging

from celery import Celery, bootsteps, signals

from mizan.jobs import Job, JobState, orphaned, release_orphan
from mizan.kernel import Kernel, process_kernel
from mizan.settings import Settings

log = logging.getLogger(__name__)

#: Task modules are added by the composition root from the packages' registrations.
app = Celery("mizan")
_configured_for: str | None = None

#: The queue of interactive work (also the default), and the queue of bulk work.
INTERACTIVE_QUEUE = "mizan"
BULK_QUEUE = "mizan.bulk"
QUEUES = (INTERACTIVE_QUEUE, BULK_QUEUE)


def configure(settings: Settings) -> Celery:
    """Point the app at the configured broker (idempotent for the same broker)."""
    global _configured_for
    if _configured_for == settings.broker_url:
        return app
    # Celery has no public way to drop its connection pools; its private attributes are
    # not in celery-types, hence the ignores.
    if app._pool is not None:  # type: ignore[attr-defined]  # a new broker: close the old
        app._pool.force_close_all()  # type: ignore[attr-defined]
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
    # kombu's SQLAlchemy transport hands every transport option to create_engine,
    # so only Redis gets them (it re-delivers unacknowledged tasks after an hour).
    options: dict = {"visibility_timeout": 3600} if settings.broker_kind == "redis" else {}
    if settings.broker_kind != "redis":
        _poll_sqlite_broker_often()
    app.conf.update(
        broker_url=settings.broker_url,
        broker_transport_options=options,
        broker_connection_retry_on_startup=True,
        task_default_queue=INTERACTIVE_QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_serializer="json",
        accept_content=["json"],
        # A task runs on through a broker outage (its job is leased in the store, and the
        # unacknowledged message only comes back to a worker that finds the job done).
        worker_cancel_long_running_tasks_on_connection_loss=False,
        mizan_sweep_seconds=settings.sweep_seconds,
    )
    _configured_for = settings.broker_url
    return app


#: Seconds between a worker's looks at the SQLite broker when it has nothing to take.
SQLITE_POLLING_SECONDS = 0.1


def _poll_sqlite_broker_often() -> None:
    """A worker takes one message at a time (``acks_late``, prefetch 1), and kombu's
    polling transports sleep their ``polling_interval`` (1 s) whenever they may not take
    one: so each message cost at least a second, and a burst of small tasks (an outbox
    drain per transaction) held a clerk's upload behind it at one task a second (~45 s
    seen in the chaos test). The interval can only be set on the transport class: its
    transport options all go to ``create_engine``. A look is one indexed SELECT."""
    from kombu.transport import sqlalchemy as sqlite_transport

    sqlite_transport.Transport.polling_interval = SQLITE_POLLING_SECONDS


def route_bulk(task_names: set[str]) -> None:
    """Send these tasks to the bulk queue (the rest go to the interactive one)."""
    app.conf.task_routes = {name: {"queue": BULK_QUEUE} for name in sorted(task_names)}


def enqueue(
    task_name: str, *args: object, countdown: float | None = None, queue: str | None = None
) -> None:
    """Send a task by name (to ``queue``, else where it is routed); failures to reach the
    broker are logged, not raised.

    The job record stays ``queued``, and the worker's start-up sweep picks up
    queued jobs, so a broker hiccup delays work but never loses it.
    """
    try:
        if queue:
            app.send_task(task_name, args=list(args), countdown=countdown, queue=queue)
        else:  # routed by name (``route_bulk``), else the default (interactive) queue
            app.send_task(task_name, args=list(args), countdown=countdown)
    except Exception:
        log.exception("Could not queue %s%r; the worker will pick it up on start", task_name, args)


def broker_status(settings: Settings) -> tuple[bool, str]:
    configure(settings)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        return False, f"{settings.broker_kind} broker unreachable: {exc}"
    where = f"{settings.broker_kind} broker at {settings.broker_url.split('@')[-1]}"
    if settings.broker_kind == "redis":
        where += _redis_persistence_warning(settings.broker_url)
    return True, where


def _redis_persistence_warning(url: str) -> str:
    """Redis keeps a queued job's message through a crash only with its append-only file
    (docs/security.md, "Queued work and Redis"); say so when it is off."""
    import redis

    try:
        setting = redis.Redis.from_url(url, socket_timeout=3).config_get("appendonly")
    except redis.RedisError:  # CONFIG renamed or refused by the operator: nothing to tell
        return ""
    if setting.get("appendonly") == "yes":
        return ""
    return "; its append-only file is off, so a Redis crash loses queued jobs (appendonly yes)"


@signals.worker_ready.connect
def _sweep_on_start(**_: object) -> None:
    """Resume what a killed worker left: re-queue unfinished jobs and drain the outbox."""
    app.send_task("mizan.resume_unfinished")


@signals.worker_process_init.connect
def _start_pool_process(**_: object) -> None:
    """Run what the packages asked for in each pool process (search warms its model)."""
    kernel = process_kernel()
    for hook in kernel.registry.worker_process_start:
        hook(kernel)


def reclaim_orphans(kernel: Kernel) -> int:
    """Queue again the running jobs whose worker died (killed, out of memory, power cut).

    A killed worker never acknowledges its message: the SQLite broker has lost it
    and Redis hands it back only after its visibility timeout (an hour). So every
    worker looks every ``MIZAN_SWEEP_SECONDS``; the next worker to take the job
    goes on from its last stored page. A job whose message cannot be sent now
    stays as it is and is tried at the next look.
    """
    released = 0
    for job in kernel.store.find(Job, {"state": JobState.RUNNING}):
        task = kernel.registry.job_tasks.get(job.kind)
        if not task or not orphaned(job):
            continue
        app.send_task(task, args=[job.id])  # first: a failure leaves it for the next look
        if release_orphan(kernel.store, job.id):
            log.warning("Job %s lost its worker (%s); queued again", job.id, job.owner)
            released += 1
    return released


def _sweep() -> None:
    try:
        reclaim_orphans(process_kernel())
    except Exception:  # the broker or the store is away for a moment: look again later
        log.exception("Could not look for jobs of stopped workers; trying again later")


class _OrphanSweep(bootsteps.StartStopStep):
    """Runs :func:`reclaim_orphans` in the worker's main process every few seconds."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, parent: object, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self.timer_ref: object | None = None

    def start(self, parent: object) -> None:
        seconds = float(app.conf.get("mizan_sweep_seconds") or 60)
        timer = parent.timer  # type: ignore[attr-defined]
        self.timer_ref = timer.call_repeatedly(seconds, _sweep)

    def stop(self, parent: object) -> None:
        if self.timer_ref is not None:
            self.timer_ref.cancel()  # type: ignore[attr-defined]
            self.timer_ref = None


app.steps["worker"].add(_OrphanSweep)
