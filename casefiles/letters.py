"""Letters Mizan writes from a case: pick a template, see it filled, download DOCX or PDF.

Who may write: a prosecutor, District Public Prosecutor or the Prosecutor General's office
who may edit the case (clerks enter data; they do not sign letters). A case the actor
cannot see is "not found", as everywhere. Who may change the templates: those who manage
users (administrators). A draft is recorded (``LetterDraft``, ids only) and announced as
``letter.drafted``, which the audit trail keeps; the filled text is not stored, since the
case it came from already is, and the audit trail must not carry personal text.

An edited letter uploaded back becomes a case document of the letter's kind; a second
upload of the same kind is a new version of that document (``ingestion.letters``).
"""

from __future__ import annotations

from dataclasses import dataclass

import mongoengine as me

from casefiles.letter_facts import case_facts
from casefiles.letter_files import to_docx, to_pdf
from casefiles.letter_templates import (
    DEFAULT_TEMPLATES,
    LETTER_KINDS,
    Block,
    LetterError,
    LetterTemplate,
    TemplateRevision,
    blocks,
    clean_template,
    fill,
)
from casefiles.models import Case, CaseDocument
from casefiles.policy import can_edit_case
from casefiles.service import get_case
from mizan.accounts.roles import Capability, Role, capabilities_of
from mizan.accounts.service import PermissionDenied, require
from mizan.actor import SYSTEM, Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import in_language
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, Model, NotFoundError

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf"}  # fmt: skip
_WRITERS = (Role.PROSECUTOR, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.PROSECUTOR_GENERAL)


class TemplateNotFound(LookupError):
    """No such letter template."""


class LetterDraft(Model):
    """That a letter was drafted from a case: which template, in which format, by whom."""

    label = "letter"
    case_id = me.StringField(required=True)
    district = me.StringField(required=True)
    template_id = me.StringField(required=True)
    key = me.StringField(required=True)
    language = me.StringField(required=True)
    template_version = me.IntField()
    format = me.StringField(required=True, choices=list(FORMATS))
    drafted_by = me.StringField(required=True)
    drafted_by_name = me.StringField()
    drafted_at = me.DateTimeField(required=True)

    meta = {"collection": "letter_drafts", "indexes": [("case_id", "-drafted_at")]}


# -- who may -----------------------------------------------------------------------------------


def may_write_letters(actor: Actor, case: Case) -> bool:
    """Prosecutors (and the DPP, the PG's office) who may edit the case write its letters."""
    return actor.has_role(*_WRITERS) and can_edit_case(actor, case)


def may_edit_templates(actor: Actor) -> bool:
    """The templates are the department's wording: administrators keep them."""
    return Capability.MANAGE_USERS in capabilities_of(actor.roles)


def writable_case(kernel: Kernel, actor: Actor, case_id: str) -> Case:
    """The case if ``actor`` may write its letters; CaseNotFound if they cannot see it,
    PermissionDenied if they see it but do not write letters."""
    case = get_case(kernel, actor, case_id)
    if not may_write_letters(actor, case):
        raise PermissionDenied(_("Only the prosecutors of this case write its letters and memos."))
    return case


# -- templates ---------------------------------------------------------------------------------


def ensure_default_templates(kernel: Kernel) -> int:
    """Store the default templates that are missing (first use, or a kind added later);
    returns how many were added. An administrator's edits are never overwritten."""
    have = {(t.key, t.language) for t in kernel.store.find(LetterTemplate, {})}
    added = 0
    for key, language, title, body in DEFAULT_TEMPLATES:
        if (key, language) in have:
            continue
        template = LetterTemplate(
            key=key, language=language, title=title, body=body, updated_at=utc_naive_now()
        )
        try:
            with kernel.store.transaction():
                kernel.store.insert(template)
                kernel.emit(
                    DomainEvent(
                        "letter_template.seeded",
                        SYSTEM,
                        "letter_template",
                        template.id,
                        {"key": key, "language": language},
                    )
                )
        except DuplicateKeyError:  # another process seeded it first
            continue
        added += 1
    return added


def list_templates(kernel: Kernel) -> list[LetterTemplate]:
    """Every template, in the order of the kinds, English first."""
    ensure_default_templates(kernel)
    order = {key: n for n, key in enumerate(LETTER_KINDS)}
    found = kernel.store.find(LetterTemplate, {})
    return sorted(found, key=lambda t: (order.get(t.key, 99), t.language != "en", t.title))


def get_template(kernel: Kernel, template_id: str) -> LetterTemplate:
    try:
        return kernel.store.get(LetterTemplate, template_id)
    except NotFoundError:
        raise TemplateNotFound(template_id) from None


def templates_for_editing(kernel: Kernel, actor: Actor) -> list[LetterTemplate]:
    require(actor, Capability.MANAGE_USERS)
    return list_templates(kernel)


def template_for_editing(kernel: Kernel, actor: Actor, template_id: str) -> LetterTemplate:
    require(actor, Capability.MANAGE_USERS)
    return get_template(kernel, template_id)


def edit_template(
    kernel: Kernel, actor: Actor, template_id: str, *, version: int, title: str, body: str
) -> LetterTemplate:
    """Save a template's title and text. Refused (LetterError) if a placeholder is unknown or a
    brace unbalanced; refused (StaleWriteError) if someone saved it since ``version``."""
    require(actor, Capability.MANAGE_USERS)
    template = get_template(kernel, template_id)
    title, body = clean_template(title, body)
    if (title, body) == (template.title, template.body) and version == template.version:
        return template
    template.revisions.append(
        TemplateRevision(
            title=template.title,
            body=template.body,
            by=template.updated_by,
            by_name=template.updated_by_name,
            at=template.updated_at,
        )
    )
    template.version = version
    template.title, template.body = title, body
    template.updated_by, template.updated_by_name = actor.user_id, actor.username
    template.updated_at = utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(template)
        kernel.emit(
            DomainEvent(
                "letter_template.edited",
                actor,
                "letter_template",
                template.id,
                {"key": template.key, "language": template.language, "length": len(body)},
            )
        )
    return template


# -- letters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """A template filled from a case, ready to show or write out."""

    case: Case
    template: LetterTemplate
    text: str
    blocks: list[Block]

    @property
    def rtl(self) -> bool:
        return self.template.rtl

    @property
    def filename_stem(self) -> str:
        return f"{self.template.key}-FIR-{self.case.fir.number}-{self.case.fir.year}"


@dataclass(frozen=True)
class LetterPage:
    """What the letters page of a case shows."""

    case: Case
    templates: list[LetterTemplate]
    drafts: list[LetterDraft]
    #: The latest version of each letter uploaded back to the case.
    uploaded: list[CaseDocument]


def letters_page(kernel: Kernel, actor: Actor, case_id: str) -> LetterPage:
    case = writable_case(kernel, actor, case_id)
    drafts = kernel.store.find(
        LetterDraft, {"case_id": case.id}, sort=[("drafted_at", -1)], limit=20
    )
    documents = kernel.store.find(
        CaseDocument,
        {"case_id": case.id, "doc_type": {"$in": list(LETTER_KINDS)}},
        sort=[("uploaded_at", -1)],
    )
    uploaded = [d for d in documents if not d.superseded_by]
    return LetterPage(case, list_templates(kernel), drafts, uploaded)


def preview_letter(kernel: Kernel, actor: Actor, case_id: str, template_id: str) -> Letter:
    """The template filled from the case (nothing is recorded: looking is not drafting)."""
    case = writable_case(kernel, actor, case_id)
    template = get_template(kernel, template_id)
    with in_language(template.language):  # labels (custody, purpose…) in the letter's language
        facts = case_facts(kernel, actor, case)
    text = fill(template.body, facts)
    return Letter(case, template, text, blocks(text))


@dataclass(frozen=True)
class LetterFile:
    filename: str
    media_type: str
    data: bytes
    draft: LetterDraft


def draft_letter(
    kernel: Kernel, actor: Actor, case_id: str, template_id: str, fmt: str
) -> LetterFile:
    """Write the letter as DOCX or PDF, record the draft and announce ``letter.drafted``."""
    if fmt not in FORMATS:
        raise LetterError(_("Choose Word (DOCX) or PDF."))
    letter = preview_letter(kernel, actor, case_id, template_id)
    title = letter.template.title
    if fmt == "docx":
        data = to_docx(title, letter.blocks, rtl=letter.rtl)
    else:
        data = to_pdf(title, letter.blocks, rtl=letter.rtl, footer=letter.case.reference)
    case, template = letter.case, letter.template
    draft = LetterDraft(
        case_id=case.id,
        district=case.district,
        template_id=template.id,
        key=template.key,
        language=template.language,
        template_version=template.version,
        format=fmt,
        drafted_by=actor.user_id,
        drafted_by_name=actor.username,
        drafted_at=utc_naive_now(),
    )
    with kernel.store.transaction():
        kernel.store.insert(draft)
        kernel.emit(
            DomainEvent(
                "letter.drafted",
                actor,
                "letter",
                draft.id,
                {
                    "case_id": case.id,
                    "template_id": template.id,
                    "key": template.key,
                    "language": template.language,
                    "format": fmt,
                },
            )
        )
    return LetterFile(f"{letter.filename_stem}.{fmt}", FORMATS[fmt], data, draft)
