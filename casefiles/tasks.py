"""Background work of case files: filing the monthly reports."""

from __future__ import annotations

from casefiles.monthly_reports import TASK, run_monthly_job
from mizan.kernel import process_kernel
from mizan.worker import app


@app.task(name=TASK)
def monthly_reports_task(job_id: str) -> str:
    return run_monthly_job(process_kernel(), job_id)
