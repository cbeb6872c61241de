"""The stored record of a case study drawn from a decided case.

A draft keeps, for its authors only, the text Mizan drafted from the case
(``source_text``), every redaction found in it (with the original words, so a
reviewer can undo one) and the id and district of the case it came from.
Publishing writes the redacted text to ``body`` and **clears** all of that: a
published study holds no case id, no FIR, no original words and no link back to
the case. The case itself is only ever read.
"""

from __future__ import annotations

from enum import StrEnum

import mongoengine as me

from learning.models import MAX_TITLE, Audience
from mizan.storage import Model

MAX_STUDY_TEXT = 200_000
MAX_DISCUSSION = 5000
MAX_LABEL = 60


class StudyStatus(StrEnum):
    DRAFT = "draft"  # authors only; still holds the source text and the case id
    PUBLISHED = "published"  # learners of its audience read the redacted body
    WITHDRAWN = "withdrawn"  # no longer shown to learners


class ReviewState(StrEnum):
    PENDING = "pending"  # found automatically, not yet looked at
    ACCEPTED = "accepted"  # the reviewer keeps it redacted
    UNDONE = "undone"  # the reviewer restored the original words


class Redaction(me.EmbeddedDocument):
    """One span of the draft's source text and what replaces it."""

    key = me.StringField(required=True)  # stable within the study (forms name it)
    start = me.IntField(required=True, min_value=0)
    end = me.IntField(required=True, min_value=0)
    kind = me.StringField(required=True)
    label = me.StringField(required=True, max_length=MAX_LABEL)
    state = me.StringField(default=ReviewState.PENDING, choices=[s.value for s in ReviewState])
    #: A protected witness: always redacted, never undone, original never shown.
    locked = me.BooleanField(default=False)
    #: Added by the reviewer (not found automatically).
    manual = me.BooleanField(default=False)


class CaseStudy(Model):
    """A case study: a draft under review, or the published redacted text."""

    label = "case study"
    status = me.StringField(default=StudyStatus.DRAFT, choices=[s.value for s in StudyStatus])
    title = me.StringField(required=True, max_length=MAX_TITLE)
    #: The trainer's own questions for discussion (written by them, not redacted).
    discussion = me.StringField(max_length=MAX_DISCUSSION, default="")
    audience = me.EmbeddedDocumentField(Audience, default=Audience)
    #: What learners read: the redacted text, set on publishing.
    body = me.StringField(max_length=MAX_STUDY_TEXT, default="")
    #: Offences and outcome, for the list of studies (no names, no numbers of the case).
    offences = me.ListField(me.StringField())
    outcome = me.StringField()
    # -- author-only draft fields: cleared when the study is published --------------------
    source_case_id = me.StringField()
    source_district = me.StringField()
    source_text = me.StringField(max_length=MAX_STUDY_TEXT)
    redactions = me.EmbeddedDocumentListField(Redaction)
    # ------------------------------------------------------------------------------------
    created_by = me.StringField(required=True)
    created_at = me.DateTimeField(required=True)
    updated_by = me.StringField()
    updated_at = me.DateTimeField()
    published_by = me.StringField()
    published_at = me.DateTimeField()
    meta = {
        "collection": "learning_case_studies",
        "indexes": ["status", "created_by", "source_district"],
    }
