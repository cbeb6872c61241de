"""What case files contribute to Mizan: their stored models, notices and commands."""

from __future__ import annotations

from casefiles import cli
from casefiles.approvals import AppealApproval
from casefiles.assignment import Posting
from casefiles.calendar_tokens import CalendarToken
from casefiles.cause_list_reviews import CauseListEntry, CauseListImport
from casefiles.day_work import (
    approvals_awaiting,
    deadlines_due,
    hearings_today,
    police_answers_awaited,
)
from casefiles.hearings import Hearing
from casefiles.holidays import Holiday
from casefiles.letter_templates import LetterTemplate
from casefiles.letters import LetterDraft
from casefiles.matters import Matter
from casefiles.models import Case, CaseDocument, DocumentPage
from casefiles.monthly_reports import JOB_KIND, TASK, MonthlyReport, queue_monthly_reports
from casefiles.notes import CaseNote
from casefiles.notices import subscribe_notices
from casefiles.police_messages import (
    PoliceMessage,
    subscribe_police_messages,
    warn_of_lapsing_deadlines,
)
from casefiles.saved_filters import SavedFilter
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [
        Case,
        CaseDocument,
        DocumentPage,
        Hearing,
        CalendarToken,
        Matter,
        AppealApproval,
        CaseNote,
        Holiday,
        Posting,
        LetterTemplate,
        LetterDraft,
        PoliceMessage,
        MonthlyReport,
        CauseListImport,
        CauseListEntry,
        SavedFilter,
    ]
    registry.subscribers += [subscribe_notices, subscribe_police_messages]
    registry.reminders["police deadlines"] = warn_of_lapsing_deadlines
    registry.commands += [cli.seed_scale_cmd, cli.remind]
    # The start page's "your day" (mizan.my_day).
    registry.day_sections += [
        hearings_today,
        deadlines_due,
        police_answers_awaited,
        approvals_awaiting,
    ]
    registry.task_modules.append("casefiles.tasks")
    registry.job_tasks[JOB_KIND] = TASK
    registry.bulk_tasks.add(TASK)  # every report of every district: never ahead of an upload
    # The reminder loop is Mizan's one periodic run: it queues last month's returns.
    registry.reminders["monthly reports"] = queue_monthly_reports
