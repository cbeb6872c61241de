"""What ingestion contributes to Mizan: understanding documents, its tasks and commands."""

from __future__ import annotations

from ingestion import cli
from ingestion.cause_list_jobs import KIND as CAUSE_LIST_KIND
from ingestion.cause_list_jobs import TASK as CAUSE_LIST_TASK
from ingestion.cause_list_jobs import CauseListRequest
from ingestion.day_work import documents_to_review
from ingestion.review import DocumentSuggestion
from ingestion.scan_intake import JOB_KIND, READ_TASK, ScanIntake
from ingestion.understanding import TOPIC, subscribe_understanding, understand_document
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [DocumentSuggestion, ScanIntake, CauseListRequest]
    registry.subscribers.append(subscribe_understanding)
    registry.outbox_handlers[TOPIC] = understand_document
    registry.task_modules += ["ingestion.tasks", "ingestion.intake_reading"]
    registry.job_tasks.update(
        {
            "ingest.document": "ingestion.process_document",
            "searchable.pdf": "ingestion.make_searchable_pdf",
            JOB_KIND: READ_TASK,  # a scan read to start a case (interactive: a clerk waits)
            CAUSE_LIST_KIND: CAUSE_LIST_TASK,  # interactive: a clerk waits for the review
        }
    )
    registry.bulk_tasks.add("ingestion.make_searchable_pdf")  # every page through Tesseract
    registry.commands += [cli.extract, cli.classifier_report, cli.ingest, cli.watch_drop]
    # The start page's "your day" (mizan.my_day).
    registry.day_sections += [documents_to_review]
