"""Where a document is on its way: reading, classifying, suggesting, indexed.

Each step's state is read from what is stored, never guessed: the document's own state
(reading), and the outbox entries still waiting for it. Classifying and suggesting are
one outbox entry (``understand.document``); an index update is any other entry naming
the document (search queues them, and ingestion may not import search). While a step is
pending the page says so, rather than showing its empty result ("Other", "nothing found")
as if it were the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefiles.models import CaseDocument, DocumentState
from casefiles.service import get_case
from ingestion.understanding import TOPIC as UNDERSTAND_TOPIC
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.outbox import OutboxEntry
from mizan.storage import NotFoundError

PENDING = "pending"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str
    #: What the clerk is told: "Still reading…", "Done", the error.
    note: str

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


@dataclass(frozen=True)
class DocumentSteps:
    steps: tuple[Step, ...]

    def state_of(self, key: str) -> str:
        return next(s.state for s in self.steps if s.key == key)

    @property
    def understood(self) -> bool:
        """The type and the suggestions on the page are the classifier's answer."""
        return self.state_of("classifying") == DONE

    @property
    def finished(self) -> bool:
        return all(s.finished for s in self.steps)


def document_steps(kernel: Kernel, doc: CaseDocument) -> DocumentSteps:
    """The state of each step for ``doc`` (the caller has checked access)."""
    waiting = kernel.store.find(OutboxEntry, {"payload.document_id": doc.id})
    understanding = any(e.topic == UNDERSTAND_TOPIC for e in waiting)
    indexing = any(e.topic != UNDERSTAND_TOPIC for e in waiting)
    if doc.state == DocumentState.FAILED:
        reading = Step(
            "reading", _("Reading"), FAILED, doc.error or _("The file could not be read.")
        )
    elif doc.state == DocumentState.READY:
        reading = Step("reading", _("Reading"), DONE, _("Done"))
    elif doc.state == DocumentState.PROCESSING:
        reading = Step("reading", _("Reading"), RUNNING, _("Still reading…"))
    else:
        reading = Step("reading", _("Reading"), PENDING, _("Waiting to be read…"))
    after_reading = reading.state == DONE
    if reading.state == FAILED:
        later = _("Not possible: the file could not be read.")
        return DocumentSteps(
            (
                reading,
                Step("classifying", _("Finding the type"), FAILED, later),
                Step("suggesting", _("Finding case details"), FAILED, later),
                Step("indexed", _("Searchable"), FAILED, later),
            )
        )
    classify_done = after_reading and not understanding
    return DocumentSteps(
        (
            reading,
            Step(
                "classifying",
                _("Finding the type"),
                DONE if classify_done else PENDING,
                _("Done") if classify_done else _("Still classifying…"),
            ),
            Step(
                "suggesting",
                _("Finding case details"),
                DONE if classify_done else PENDING,
                _("Done") if classify_done else _("Still looking for case details…"),
            ),
            Step(
                "indexed",
                _("Searchable"),
                DONE if after_reading and not indexing else PENDING,
                _("Done") if after_reading and not indexing else _("Still being added to search…"),
            ),
        )
    )


def steps_for(kernel: Kernel, actor: Actor, document_id: str) -> DocumentSteps:
    """The steps of a document ``actor`` may see (LookupError otherwise). Not audited as a
    view: the page asks every few seconds while it waits, and the page itself was."""
    try:
        doc = kernel.store.get(CaseDocument, document_id)
    except NotFoundError:
        raise LookupError(document_id) from None
    get_case(kernel, actor, doc.case_id)  # a refusal is audited there
    return document_steps(kernel, doc)
