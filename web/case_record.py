"""What the case page shows besides its core: notes, child matters, the appeal
approval chain and the one timeline (included from ``cases/show.html``)."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.approvals import (
    APPEAL_FORUMS,
    APPROVAL_STATES,
)
from casefiles.matters import FORUMS, MATTER_KINDS, MATTER_STATES
from casefiles.models import Case
from casefiles.notes import MAX_NOTE
from casefiles.pages import case_record, prosecutors
from mizan.i18n import lazy_gettext as _l
from web.support import actor, kernel

#: Timeline entries shown at first; "show more" adds this many each time.
TIMELINE_STEP = 30


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Note"),
        validators=[
            InputRequired(_l("Write the note.")),
            Length(max=MAX_NOTE, message=_l("The note is too long.")),
        ],
    )
    privileged = BooleanField(_l("Privileged (prosecutors only, never clerks)"))


class MatterForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), validators=[InputRequired(_l("Choose what kind of matter this is."))]
    )
    forum = SelectField(
        _l("Court level"), validators=[InputRequired(_l("Choose the court level."))]
    )
    court = StringField(_l("Court"), validators=[Optional(), Length(max=120)])
    number = StringField(
        _l("Court number"),
        validators=[InputRequired(_l("Enter the court's number.")), Length(max=200)],
    )
    filed_on = DateField(
        _l("Filed on"), validators=[InputRequired(_l("Enter the date the matter was filed."))]
    )
    lead = SelectField(_l("Prosecutor"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ProposeForm(FlaskForm):
    grounds = TextAreaField(
        _l("Grounds of appeal"),
        validators=[InputRequired(_l("Write the grounds of appeal.")), Length(max=5000)],
    )
    forum = SelectField(_l("Appeal lies to"), validators=[InputRequired()])


def prosecutor_choices(district: str) -> list[tuple[str, str]]:
    users = prosecutors(kernel(), district)
    return [("", _("— none —"))] + [(u.id, u.full_name) for u in users]


def matter_form(case: Case, **kwargs: object) -> MatterForm:
    form = MatterForm(prefix="matter", **kwargs)
    form.kind.choices = [(k, str(v)) for k, v in MATTER_KINDS.items() if k != "appeal_acquittal"]
    form.forum.choices = [(k, str(v)) for k, v in FORUMS.items()]
    form.lead.choices = prosecutor_choices(case.district)
    return form


def propose_form(**kwargs: object) -> ProposeForm:
    form = ProposeForm(prefix="appeal", **kwargs)
    form.forum.choices = [(k, str(FORUMS[k])) for k in APPEAL_FORUMS]
    return form


def timeline_limit() -> int:
    try:
        return max(int(request.args.get("timeline", TIMELINE_STEP)), TIMELINE_STEP)
    except ValueError:
        return TIMELINE_STEP


def case_record_context(case: Case, today: dt.date) -> dict[str, object]:
    """Everything the included partials need; privileged notes only for their readers."""
    record = case_record(kernel(), actor(), case, today)
    limit = timeline_limit()
    return {
        "case_notes": record.notes,
        "note_form": NoteForm(prefix="note") if record.editable else None,
        "may_write_privileged": record.may_write_privileged,
        "matters": record.matters,
        "matter_form": matter_form(case) if record.editable else None,
        "matter_kinds": MATTER_KINDS,
        "matter_states": MATTER_STATES,
        "matter_people": record.matter_people,
        "approvals": record.approvals,
        "approval_states": APPROVAL_STATES,
        "propose_form": propose_form() if record.may_propose else None,
        "appeal_limitation": record.appeal_limitation,
        "timeline": record.timeline[:limit],
        "timeline_more": len(record.timeline) > limit,
        "timeline_next": limit + TIMELINE_STEP,
    }
