"""Background work of the learning platform: reading a lesson attachment's text."""

from __future__ import annotations

from learning.attachments import TASK, read_attachment
from mizan.kernel import process_kernel
from mizan.worker import app


@app.task(name=TASK)
def read_attachment_task(job_id: str) -> str:
    return read_attachment(process_kernel(), job_id)
