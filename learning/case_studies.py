"""Case studies from decided cases: drafted by Mizan, redacted, reviewed, published.

A trainer (any decided case) or a District Public Prosecutor (decided cases of
their own district) asks Mizan to draft a study. The draft is built from the case
record (offences, stages and key dates counted from the FIR as "day 0", hearings,
outcome, the FIR's account and the judgment's reasoning passages) and every piece
of personal data found in it is redacted automatically (``learning.redaction``).
The reviewer then accepts or undoes each redaction, or adds one; a study cannot be
published while a redaction is unreviewed.

Publishing keeps only the redacted text: the draft-only fields (the source case's
id and district, the unredacted text and the redactions with their positions) are
cleared in the same write, so a published study has no way back to the case. The
case is only read, never changed. Drafts are seen by authors only; a published
study by learners of its audience (``learning.access.audience_admits``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from casefiles.hearings import ADJOURNMENT_REASONS, PURPOSES, Hearing
from casefiles.hearings import OUTCOMES as HEARING_OUTCOMES
from casefiles.models import CASE_LABELS, CASE_STATES, Case, CaseDocument, DocumentPage
from casefiles.protected_identities import protected_identities
from casefiles.workflow import OUTCOMES
from learning.access import audience_admits, can_author, can_learn, learner_of
from learning.case_study_models import (
    MAX_DISCUSSION,
    MAX_LABEL,
    MAX_STUDY_TEXT,
    CaseStudy,
    Redaction,
    ReviewState,
    StudyStatus,
)
from learning.errors import LearningError
from learning.models import MAX_TITLE, Audience
from learning.redaction import Span, apply_redactions, case_targets, find_redactions, phrase_spans
from legaltext.act_names import get_act
from mizan.accounts.models import District
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import LazyString
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import Filter, NotFoundError

#: Stages after which a case counts as decided (with an outcome recorded).
DECIDED_STATES = ("DECIDED", "APPEAL_OR_REVISION", "CLOSED")
MAX_HEARINGS = 60
MAX_PASSAGES = 10
MAX_PASSAGE = 1500
MAX_PHRASE = 200
#: Filled in for the characters of a protected witness's name in the draft's source text:
#: the reviewer never sees them and cannot restore them.
MASK = "█"
_REASONING = re.compile(
    r"\b(?:held|hold|therefore|reasons?|reasoning|evidence|proved?|doubt|credib\w*|"
    r"contradict\w*|established|conclu\w+|find|found|consider\w*|corroborat\w+|testimony|"
    r"inconsisten\w+|accordingly|in view of)\b",
    re.IGNORECASE,
)


class CaseStudyNotFound(LookupError):
    """No such case study, or one the person may not see (indistinguishable on purpose)."""


# -- who may do what --------------------------------------------------------------------


def _is_dpp(actor: Actor) -> bool:
    return actor.has_role(Role.DISTRICT_PUBLIC_PROSECUTOR) and bool(actor.district)


def can_draft(actor: Actor) -> bool:
    """May draft case studies at all: trainers, and DPPs (from their own district)."""
    return can_author(actor) or _is_dpp(actor)


def _may_draft_from(actor: Actor, case: Case) -> bool:
    return can_author(actor) or (_is_dpp(actor) and case.district == actor.district)


def can_edit(actor: Actor, study: CaseStudy) -> bool:
    """Trainers edit every draft; a DPP the drafts they made from their own district."""
    if study.status != StudyStatus.DRAFT:
        return False
    if can_author(actor):
        return True
    return (
        _is_dpp(actor)
        and study.created_by == actor.user_id
        and study.source_district == actor.district
    )


def can_manage(actor: Actor, study: CaseStudy) -> bool:
    """May withdraw a published study: trainers, and the DPP who made it."""
    return can_author(actor) or (_is_dpp(actor) and study.created_by == actor.user_id)


def _may_read(kernel: Kernel, actor: Actor, study: CaseStudy) -> bool:
    if study.status == StudyStatus.DRAFT:
        return can_edit(actor, study)
    if can_manage(actor, study):
        return True
    if study.status != StudyStatus.PUBLISHED or not can_learn(actor):
        return False
    return audience_admits(study.audience, learner_of(kernel, actor))


# -- reading ----------------------------------------------------------------------------


def get_case_study(kernel: Kernel, actor: Actor, study_id: str) -> CaseStudy:
    try:
        study = kernel.store.get(CaseStudy, study_id)
    except NotFoundError:
        raise CaseStudyNotFound(study_id) from None
    if not _may_read(kernel, actor, study):  # a draft holds the case's real names: recorded
        kernel.emit(
            DomainEvent(
                "learning.case_study.access_denied",
                actor,
                "case_study",
                study.id,
                changes_state=False,
            )
        )
        raise CaseStudyNotFound(study_id)
    return study


@dataclass(frozen=True)
class StudyLists:
    drafts: list[CaseStudy]
    published: list[CaseStudy]
    withdrawn: list[CaseStudy]


def list_case_studies(kernel: Kernel, actor: Actor) -> StudyLists:
    """The drafts the actor may edit and the published studies they may read."""
    if not can_learn(actor) and not can_draft(actor):
        raise PermissionDenied(_("Case studies are for trainers and prosecutors."))
    drafts: list[CaseStudy] = []
    if can_draft(actor):
        flt: Filter = {"status": StudyStatus.DRAFT.value}
        if not can_author(actor):
            flt = {**flt, "created_by": actor.user_id}
        drafts = [
            s
            for s in kernel.store.find(CaseStudy, flt, sort=[("created_at", -1)], limit=200)
            if can_edit(actor, s)
        ]
    shown = kernel.store.find(
        CaseStudy,
        {"status": {"$in": [StudyStatus.PUBLISHED.value, StudyStatus.WITHDRAWN.value]}},
        sort=[("published_at", -1)],
        limit=500,
    )
    published = [
        s for s in shown if s.status == StudyStatus.PUBLISHED and _may_read(kernel, actor, s)
    ]
    withdrawn = [s for s in shown if s.status == StudyStatus.WITHDRAWN and can_manage(actor, s)]
    return StudyLists(drafts, published, withdrawn)


def _decided_filter(actor: Actor) -> Filter:
    flt: Filter = {"state": {"$in": list(DECIDED_STATES)}, "outcome": {"$in": list(OUTCOMES)}}
    if not can_author(actor):
        flt = {**flt, "district": actor.district or ""}
    return flt


def decided_cases(kernel: Kernel, actor: Actor, *, fir: str = "", limit: int = 30) -> list[Case]:
    """Decided cases the actor may draft from, newest first; ``fir`` is "189" or "189/2024"."""
    if not can_draft(actor):
        raise PermissionDenied(_("Only trainers and District Public Prosecutors draft studies."))
    flt = _decided_filter(actor)
    fir = fir.strip()
    if fir:
        match = re.fullmatch(
            r"(?:FIR\s*(?:No\.?)?\s*)?(\d{1,5})(?:\s*(?:/|of)\s*(\d{4}))?", fir, re.I
        )
        if match is None:
            raise LearningError(_("Type an FIR number, e.g. 189 or 189/2024."))
        flt = {**flt, "fir.number": int(match.group(1))}
        if match.group(2):
            flt = {**flt, "fir.year": int(match.group(2))}
    return kernel.store.find(Case, flt, sort=[("updated_at", -1)], limit=limit)


# -- drafting ---------------------------------------------------------------------------


def _en(labels: Mapping[str, object], key: str | None) -> str:
    """A label in English whatever the drafter's language: the study's text is stored once."""
    value = labels.get(key or "", key or "")
    return value.text if isinstance(value, LazyString) else str(value)


def _day0(case: Case) -> dt.date:
    if case.fir.registered_on is not None:
        return case.fir.registered_on.date()  # Pakistan time as the FIR says
    return pakistan_today(case.created_at) if case.created_at else pakistan_today()


def _day(day0: dt.date, at: dt.datetime | None) -> str:
    if at is None:
        return "Day ?"
    return f"Day {(pakistan_today(at) - day0).days}"


def _offence_line(offence: object) -> str:
    canonical = getattr(offence, "canonical", "")
    act = getattr(offence, "act", "")
    try:
        title = get_act(act).title
    except KeyError:
        return f"- s. {canonical}"
    return f"- s. {canonical} ({title})"


def _party_lines(case: Case) -> list[str]:
    lines = []
    for party in case.parties:
        if party.protected:
            lines.append(f"- Protected witness {party.pseudonym or ''}".rstrip())
            continue
        role = {"accused": "Accused", "complainant": "Complainant", "witness": "Witness"}
        text = f"- {role.get(party.role, 'Person')}: {party.name}"
        if party.aliases:
            text += "".join(f" @ {a}" for a in party.aliases)
        if party.parent_name:
            text += f" {party.relation or 's/o'} {party.parent_name}"
        if party.cnic:
            text += f", CNIC {party.cnic}"
        if party.custody:
            text += f", {party.custody.replace('_', ' ')}"
        lines.append(text)
    return lines


def _judgment_passages(kernel: Kernel, case: Case) -> list[str]:
    """Paragraphs of the case's judgment that give reasons (by their wording)."""
    docs = [
        d
        for d in kernel.store.find(CaseDocument, {"case_id": case.id, "doc_type": "judgment"})
        if not d.superseded_by
    ]
    passages: list[str] = []
    for doc in docs:
        pages = kernel.store.find(DocumentPage, {"document_id": doc.id}, sort=[("number", 1)])
        text = "\n".join(p.text or "" for p in pages)
        paragraphs = re.split(r"\n\s*\n", text)
        if len(paragraphs) <= 1:
            paragraphs = text.splitlines()
        for para in paragraphs:
            para = " ".join(para.split())
            if len(para) >= 40 and _REASONING.search(para):
                passages.append(para[:MAX_PASSAGE])
            if len(passages) >= MAX_PASSAGES:
                return passages
    return passages


def draft_text(kernel: Kernel, case: Case) -> str:
    """The unredacted draft: what a trainer would write up about the case."""
    day0 = _day0(case)
    out = ["## The case", case.title, f"Registered as {case.reference}."]
    labels = [_en(CASE_LABELS, x) for x in case.labels if x in CASE_LABELS]
    if labels:
        out.append("Handled as: " + ", ".join(labels) + ".")
    if case.offences:
        out += ["", "## Offences", *(_offence_line(o) for o in case.offences)]
    if case.parties:
        out += ["", "## The people", *_party_lines(case)]
    if case.fir.narrative or case.fir.place:
        out += ["", "## What the FIR says"]
        if case.fir.place:
            out.append(f"Place of occurrence: {case.fir.place}.")
        if case.fir.narrative:
            out.append(case.fir.narrative.strip())
    out += ["", "## Stages (days counted from the FIR, day 0)", "- Day 0: FIR registered"]
    for change in case.history:
        line = f"- {_day(day0, change.at)}: {_en(CASE_STATES, change.to_state)}"
        if change.outcome:
            line += f" — {_en(OUTCOMES, change.outcome)}"
        if change.reason:
            line += f" ({' '.join(change.reason.split())})"
        out.append(line)
    hearings = kernel.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", 1)])
    if hearings:
        out += ["", "## Hearings"]
        for hearing in hearings[:MAX_HEARINGS]:
            line = f"- {_day(day0, hearing.starts_at)}: {_en(PURPOSES, hearing.purpose)}"
            if hearing.outcome:
                line += f" — {_en(HEARING_OUTCOMES, hearing.outcome)}"
            if hearing.adjournment_reason:
                line += f" ({_en(ADJOURNMENT_REASONS, hearing.adjournment_reason)})"
            out.append(line)
        if len(hearings) > MAX_HEARINGS:
            out.append(f"- … and {len(hearings) - MAX_HEARINGS} more hearings")
    decided = next((h for h in reversed(case.history) if h.to_state == "DECIDED"), None)
    out += ["", "## Outcome", _en(OUTCOMES, case.outcome)]
    if decided is not None:
        out[-1] += f", {_day(day0, decided.at).lower()} after the FIR."
    passages = _judgment_passages(kernel, case)
    if passages:
        out += ["", "## The judgment's reasoning", *passages]
    return "\n".join(str(line) for line in out)[:MAX_STUDY_TEXT]


def _default_title(case: Case) -> str:
    sections = ", ".join(o.canonical for o in case.offences[:3]) or "a decided case"
    return f"Case study: {sections} — {_en(OUTCOMES, case.outcome)}"[:MAX_TITLE]


def draft_case_study(kernel: Kernel, actor: Actor, case_id: str) -> CaseStudy:
    """Draft a study from a decided case, personal data redacted (each span to review)."""
    if not can_draft(actor):
        raise PermissionDenied(_("Only trainers and District Public Prosecutors draft studies."))
    try:
        case = kernel.store.get(Case, case_id)
    except NotFoundError:
        raise LearningError(_("There is no such case.")) from None
    if not _may_draft_from(actor, case):
        raise PermissionDenied(_("You can draft case studies only from cases of your district."))
    if case.state not in DECIDED_STATES or case.outcome not in OUTCOMES:
        raise LearningError(
            _("This case is not decided yet: only decided cases can become case studies.")
        )
    text = draft_text(kernel, case)
    targets = case_targets(case, protected_identities(kernel, case))
    spans = find_redactions(text, targets, current_year=pakistan_today().year)
    chars = list(text)
    for span in spans:
        if span.locked:  # a protected witness: the reviewer never sees who it is
            chars[span.start : span.end] = MASK * (span.end - span.start)
    now = utc_naive_now()
    study = CaseStudy(
        title=_default_title(case),
        audience=Audience(),
        offences=[o.canonical for o in case.offences],
        outcome=case.outcome,
        source_case_id=case.id,
        source_district=case.district,
        source_text="".join(chars),
        redactions=[
            Redaction(
                key=f"r{n}",
                start=s.start,
                end=s.end,
                kind=s.kind,
                label=s.label,
                locked=s.locked,
                state=ReviewState.ACCEPTED if s.locked else ReviewState.PENDING,
            )
            for n, s in enumerate(spans, 1)
        ],
        created_by=actor.user_id,
        created_at=now,
        updated_by=actor.user_id,
        updated_at=now,
    )
    with kernel.store.transaction():
        kernel.store.insert(study)
        kernel.emit(
            DomainEvent(
                "learning.case_study.drafted",
                actor,
                "case_study",
                study.id,
                {"case_id": case.id, "redactions": len(spans)},
            )
        )
    return study


# -- reviewing --------------------------------------------------------------------------


def _editable(kernel: Kernel, actor: Actor, study_id: str) -> CaseStudy:
    study = get_case_study(kernel, actor, study_id)
    if study.status != StudyStatus.DRAFT:
        raise LearningError(_("This case study is published; it can no longer be changed."))
    if not can_edit(actor, study):
        raise PermissionDenied(_("You cannot change this case study."))
    return study


def _save(
    kernel: Kernel, actor: Actor, study: CaseStudy, version: int, action: str, data: dict
) -> CaseStudy:
    """One guarded write: StaleWriteError if someone saved the study since ``version``."""
    study.version = max(version, 0)  # 0 is never a saved version: refused as stale
    study.updated_by, study.updated_at = actor.user_id, utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(study)
        kernel.emit(DomainEvent(action, actor, "case_study", study.id, data))
    return study


def review_redaction(
    kernel: Kernel, actor: Actor, study_id: str, *, version: int, key: str, accept: bool
) -> CaseStudy:
    """Keep a redaction (accept) or restore the original words (undo)."""
    study = _editable(kernel, actor, study_id)
    redaction = next((r for r in study.redactions if r.key == key), None)
    if redaction is None:
        raise LearningError(_("That redaction is no longer in the draft."))
    if redaction.locked and not accept:
        raise LearningError(_("This redaction hides a protected witness; it cannot be undone."))
    redaction.state = ReviewState.ACCEPTED if accept else ReviewState.UNDONE
    action = "accepted" if accept else "undone"
    return _save(
        kernel, actor, study, version, f"learning.case_study.redaction_{action}", {"key": key}
    )


def accept_label(
    kernel: Kernel, actor: Actor, study_id: str, *, version: int, label: str
) -> CaseStudy:
    """Accept every pending redaction with ``label`` (e.g. all of "[Accused 1]")."""
    study = _editable(kernel, actor, study_id)
    pending = [r for r in study.redactions if r.label == label and r.state == ReviewState.PENDING]
    if not pending:
        raise LearningError(_("No redaction with that label is waiting for review."))
    for redaction in pending:
        redaction.state = ReviewState.ACCEPTED
    return _save(
        kernel,
        actor,
        study,
        version,
        "learning.case_study.redaction_accepted",
        {"keys": [r.key for r in pending]},
    )


def _label(text: str) -> str:
    text = " ".join(text.split()).strip("[] ")
    if not text:
        return "[Redacted]"
    if len(text) > MAX_LABEL - 2:
        raise LearningError(_("The label is too long (%(n)d characters at most).", n=MAX_LABEL))
    return f"[{text}]"


def add_redaction(
    kernel: Kernel, actor: Actor, study_id: str, *, version: int, phrase: str, label: str = ""
) -> CaseStudy:
    """Redact every occurrence of ``phrase`` not already redacted (counted as reviewed)."""
    study = _editable(kernel, actor, study_id)
    phrase = " ".join(phrase.split())
    if len(phrase) < 2:
        raise LearningError(_("Type the words to redact (two letters at least)."))
    if len(phrase) > MAX_PHRASE:
        raise LearningError(_("Redact at most %(n)d characters at a time.", n=MAX_PHRASE))
    if MASK in phrase:
        raise LearningError(_("That part is already redacted."))
    tag = _label(label)
    kept = [r for r in study.redactions if r.state != ReviewState.UNDONE]
    found = [
        s
        for s in phrase_spans(study.source_text or "", phrase, tag)
        if not any(r.start < s.end and s.start < r.end for r in kept)
    ]
    if not found:
        raise LearningError(
            _(
                "“%(phrase)s” does not occur in the draft outside what is already redacted.",
                phrase=phrase,
            )
        )
    # An undone redaction under a new one is replaced by it.
    study.redactions = [
        r
        for r in study.redactions
        if r.state != ReviewState.UNDONE
        or not any(r.start < s.end and s.start < r.end for s in found)
    ]
    next_n = 1 + max((int(r.key[1:]) for r in study.redactions if r.key[1:].isdigit()), default=0)
    for n, span in enumerate(found):
        study.redactions.append(
            Redaction(
                key=f"r{next_n + n}",
                start=span.start,
                end=span.end,
                kind="manual",
                label=tag,
                state=ReviewState.ACCEPTED,
                manual=True,
            )
        )
    study.redactions = sorted(study.redactions, key=lambda r: r.start)
    return _save(
        kernel,
        actor,
        study,
        version,
        "learning.case_study.redaction_added",
        {"count": len(found)},
    )


def edit_case_study(
    kernel: Kernel,
    actor: Actor,
    study_id: str,
    *,
    version: int,
    title: str,
    discussion: str = "",
    districts: list[str] | None = None,
    atc_only: bool = False,
) -> CaseStudy:
    """Change the title, the discussion questions and the audience of a draft."""
    study = _editable(kernel, actor, study_id)
    title = " ".join(title.split())
    if not title:
        raise LearningError(_("Give the case study a title."))
    if len(title) > MAX_TITLE:
        raise LearningError(_("The title is too long (%(n)d characters at most).", n=MAX_TITLE))
    discussion = discussion.strip()
    if len(discussion) > MAX_DISCUSSION:
        raise LearningError(
            _("The discussion questions are too long (%(n)d characters at most).", n=MAX_DISCUSSION)
        )
    codes = sorted({c.strip().upper() for c in districts or [] if c.strip()})
    known = (
        {d.code for d in kernel.store.find(District, {"code": {"$in": codes}})} if codes else set()
    )
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise LearningError(_("Unknown district: %(codes)s.", codes=", ".join(unknown)))
    study.title, study.discussion = title, discussion
    study.audience = Audience(districts=codes, atc_only=atc_only)
    return _save(kernel, actor, study, version, "learning.case_study.edited", {})


def pending_count(study: CaseStudy) -> int:
    return sum(1 for r in study.redactions if r.state == ReviewState.PENDING)


def pending_labels(study: CaseStudy) -> list[str]:
    """Labels that still have redactions to review, in the order they first appear."""
    return list(dict.fromkeys(r.label for r in study.redactions if r.state == ReviewState.PENDING))


def _spans(study: CaseStudy) -> list[Span]:
    return [
        Span(r.start, r.end, r.kind, r.label, r.locked)
        for r in study.redactions
        if r.state != ReviewState.UNDONE
    ]


def publish_case_study(kernel: Kernel, actor: Actor, study_id: str, *, version: int) -> CaseStudy:
    """Publish the redacted text; refused while a redaction is unreviewed.

    The draft-only fields — ``source_case_id``, ``source_district``, ``source_text`` and
    the ``redactions`` (original positions) — are cleared in this same write, so the
    published study keeps no link back to the case.
    """
    study = _editable(kernel, actor, study_id)
    waiting = pending_count(study)
    if waiting:
        raise LearningError(
            _(
                "%(n)d redactions are not reviewed yet: accept or undo each one before publishing.",
                n=waiting,
            )
        )
    body = apply_redactions(study.source_text or "", _spans(study))
    if MASK in body:  # never publish a masked (protected) character, whatever happened
        raise LearningError(_("Part of a protected witness's name is not redacted."))
    redacted = sum(1 for r in study.redactions if r.state == ReviewState.ACCEPTED)
    study.body = body
    study.status = StudyStatus.PUBLISHED
    study.published_by, study.published_at = actor.user_id, utc_naive_now()
    study.source_case_id = None
    study.source_district = None
    study.source_text = None
    study.redactions = []
    return _save(
        kernel, actor, study, version, "learning.case_study.published", {"redactions": redacted}
    )


def withdraw_case_study(kernel: Kernel, actor: Actor, study_id: str, *, version: int) -> CaseStudy:
    """Take a published study away from learners (authors still see it)."""
    study = get_case_study(kernel, actor, study_id)
    if study.status != StudyStatus.PUBLISHED:
        raise LearningError(_("Only a published case study can be withdrawn."))
    if not can_manage(actor, study):
        raise PermissionDenied(_("You cannot withdraw this case study."))
    study.status = StudyStatus.WITHDRAWN
    return _save(kernel, actor, study, version, "learning.case_study.withdrawn", {})


# -- what the pages show ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of the draft as the reviewer sees it: plain text, or one redaction."""

    text: str
    redaction: Redaction | None = None

    @property
    def shown(self) -> str:
        """What the reader of the draft sees: masked names are never shown."""
        return "" if self.redaction is not None and self.redaction.locked else self.text


def review_segments(study: CaseStudy) -> list[Segment]:
    """The draft's source text cut at its redactions, in order."""
    text = study.source_text or ""
    out: list[Segment] = []
    pos = 0
    for r in sorted(study.redactions, key=lambda r: r.start):
        if r.start < pos:
            continue
        if r.start > pos:
            out.append(Segment(text[pos : r.start]))
        out.append(Segment(text[r.start : r.end], r))
        pos = r.end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "item" or "para"
    text: str


def text_blocks(text: str) -> list[Block]:
    """A study's text as headings, list items and paragraphs (rendered without any HTML
    or link from the text)."""
    blocks: list[Block] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("## "):
            blocks.append(Block("heading", line[3:]))
        elif line.startswith("- "):
            blocks.append(Block("item", line[2:]))
        else:
            blocks.append(Block("para", line))
    return blocks
