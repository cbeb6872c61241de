"""Certificates of completion: issued once per enrolment, verifiable by anyone, revocable.

A certificate is issued when the progress feature announces ``learning.course.completed``
(a subscriber, in the same transaction as the completion), exactly once per enrolment:
handling the event again finds the certificate already there. It keeps the learner's
full name and the course's titles *as they were*, so renaming a course or a person
later never changes a certificate someone printed.

The verification code ("MZN-7K3Q-9XPD-2M4T") is short enough to read out and type:
eleven random characters from an alphabet without the look-alikes 0/O and 1/I, and a
Luhn mod 32 check character, so a one-character typo (or two swapped neighbours) is
caught before any lookup. Anyone may verify a code without signing in; each address
has a budget of lookups per window, and unknown and malformed codes get one and the same
answer, so the page is no help for guessing codes.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

import mongoengine as me

from learning.access import can_author, can_follow_progress, group_scope
from learning.errors import LearningError
from learning.models import Course, Enrolment
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify
from mizan.pdf import PdfDocument
from mizan.storage import DuplicateKeyError, Filter, Model, NotFoundError, StaleWriteError

log = logging.getLogger(__name__)

COMPLETED = "learning.course.completed"
#: 32 characters: the digits and capitals without 0, O, 1 and I.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "MZN"
_RANDOM = 11  # 32**11 = 2**55 possible codes per check character
MAX_REASON = 500
#: Lookups one address may make per window on the public verification page.
VERIFY_BUDGET = 30
VERIFY_WINDOW = dt.timedelta(minutes=10)
ISSUED = _l("Your certificate for “%(course)s” is ready to download.")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class Certificate(Model):
    """One learner's certificate for one enrolment, frozen as it was issued."""

    label = "certificate"
    code = me.StringField(required=True)  # canonical "MZN-XXXX-XXXX-XXXX"
    enrolment_id = me.StringField(required=True)
    user_id = me.StringField(required=True)
    holder_name = me.StringField(required=True, max_length=120)
    district = me.StringField()  # the holder's when issued, for district-scoped viewers
    course_id = me.StringField(required=True)
    course_title_en = me.StringField(required=True)
    course_title_ur = me.StringField()
    release = me.IntField(min_value=0, default=0)
    completed_on = me.DateField(required=True)  # a Pakistan day
    issued_at = me.DateTimeField(required=True)
    revoked_at = me.DateTimeField()
    revoked_by = me.StringField()
    revoked_by_name = me.StringField()
    revoked_reason = me.StringField(max_length=MAX_REASON)
    meta = {
        "collection": "learning_certificates",
        "indexes": [
            {"fields": ["code"], "unique": True},
            {"fields": ["enrolment_id"], "unique": True},
            "user_id",
            "course_id",
        ],
    }

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class VerifyWindow(Model):
    """Lookups made from one address in the current window of the public verification page."""

    label = "verification window"
    address = me.StringField(required=True)
    started = me.DateTimeField(required=True)
    lookups = me.IntField(default=0, min_value=0)
    meta = {
        "collection": "learning_verify_windows",
        "indexes": [{"fields": ["address"], "unique": True}],
    }


class CertificateNotFound(LookupError):
    """No such certificate, or one the person may not see (indistinguishable on purpose)."""


# -- the code -----------------------------------------------------------------------------


def check_character(body: str) -> str:
    """Luhn mod 32 over ``body`` (characters of ``ALPHABET``): catches any single wrong
    character and any swap of two neighbours."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def format_code(chars: str) -> str:
    """``PREFIX`` and the twelve characters in groups of four."""
    return "-".join([PREFIX, chars[:4], chars[4:8], chars[8:12]])


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM))
    return format_code(body + check_character(body))


class CodeError(LearningError):
    """A code that cannot be a certificate's."""


class CodeMalformed(CodeError):
    pass


class CodeTypo(CodeError):
    pass


def parse_code(text: str) -> str:
    """The canonical form of a typed code; forgiving of case, spaces, dashes and the prefix.

    Raises ``CodeMalformed`` if it cannot be a code at all and ``CodeTypo`` if the check
    character does not match (a character was mistyped).
    """
    chars = "".join(c for c in (text or "").upper() if c.isalnum())
    if len(chars) == len(PREFIX) + _RANDOM + 1 and chars.startswith(PREFIX):
        chars = chars[len(PREFIX) :]
    if len(chars) != _RANDOM + 1 or any(c not in ALPHABET for c in chars):
        raise CodeMalformed(_("No certificate has this code."))
    if check_character(chars[:-1]) != chars[-1]:
        raise CodeTypo(
            _(
                "This code has a typing mistake: one of its characters is wrong. "
                "Compare it with the certificate character by character."
            )
        )
    return format_code(chars)


# -- issuing --------------------------------------------------------------------------------


def issue_for_enrolment(kernel: Kernel, actor: Actor, enrolment_id: str) -> Certificate | None:
    """The enrolment's certificate, issued now if it has none; None if the enrolment, its
    course or its learner is gone (nothing to certify). Safe to call again: idempotent."""
    store = kernel.store
    with store.transaction():
        existing = store.find_one(Certificate, {"enrolment_id": enrolment_id})
        if existing is not None:
            return existing
        try:
            enrolment = store.get(Enrolment, enrolment_id)
            course = store.get(Course, enrolment.course_id)
            user = store.get(User, enrolment.user_id)
        except NotFoundError:
            log.warning("no certificate for enrolment %s: a record is missing", enrolment_id)
            return None
        completed_at = enrolment.completed_at or utc_naive_now()
        certificate = Certificate(
            enrolment_id=enrolment.id,
            user_id=user.id,
            holder_name=user.full_name,
            district=user.district,
            course_id=course.id,
            course_title_en=course.title_en,
            course_title_ur=course.title_ur or None,
            release=course.release,
            completed_on=pakistan_today(completed_at),
            issued_at=utc_naive_now(),
        )
        for _attempt in range(5):
            certificate.code = new_code()
            try:
                store.insert(certificate)
                break
            except DuplicateKeyError:
                # Issued meanwhile by a replay of the same event, or (2**-55) a code taken.
                issued = store.find_one(Certificate, {"enrolment_id": enrolment_id})
                if issued is not None:
                    return issued
        else:
            raise LearningError(_("No free certificate code was found; try again."))
        kernel.emit(
            DomainEvent(
                "learning.certificate.issued",
                actor,
                "certificate",
                certificate.id,
                {
                    "course_id": course.id,
                    "enrolment_id": enrolment.id,
                    "user_id": user.id,
                    "release": course.release,
                },
            )
        )
        notify(
            store,
            user.id,
            ISSUED,
            {"course": course.title_en},
            link=f"/learning/certificates/{certificate.id}",
            dedupe=f"certificate:{certificate.id}",
        )
    return certificate


def _on_completed(kernel: Kernel, event: DomainEvent) -> None:
    enrolment_id = (event.data or {}).get("enrolment_id")
    if isinstance(enrolment_id, str) and enrolment_id:
        issue_for_enrolment(kernel, event.actor, enrolment_id)


def subscribe_certificates(kernel: Kernel) -> None:
    """Issue a certificate in the transaction that completes the course."""
    kernel.events.subscribe(lambda event: _on_completed(kernel, event), COMPLETED)


# -- reading ----------------------------------------------------------------------------------


def _may_see(actor: Actor, certificate: Certificate) -> bool:
    """The holder; trainers; progress viewers within their scope."""
    if actor.user_id == certificate.user_id or can_author(actor):
        return True
    if not can_follow_progress(actor):
        return False
    scope = group_scope(actor)
    return scope is None or (bool(scope) and certificate.district == scope)


def get_certificate(kernel: Kernel, actor: Actor, certificate_id: str) -> Certificate:
    try:
        certificate = kernel.store.get(Certificate, certificate_id)
    except NotFoundError:
        raise CertificateNotFound(certificate_id) from None
    if not _may_see(actor, certificate):
        kernel.emit(
            DomainEvent(
                "learning.certificate.access_denied",
                actor,
                "certificate",
                certificate.id,
                {"course_id": certificate.course_id},
                changes_state=False,
            )
        )
        raise CertificateNotFound(certificate_id)
    return certificate


def my_certificates(kernel: Kernel, actor: Actor) -> list[Certificate]:
    """The actor's own certificates, newest first (revoked ones too: they should know)."""
    return kernel.store.find(Certificate, {"user_id": actor.user_id}, sort=[("issued_at", -1)])


def certificate_for_course(kernel: Kernel, actor: Actor, course_id: str) -> Certificate | None:
    """The actor's valid certificate for ``course_id``, if they hold one."""
    found = kernel.store.find(
        Certificate,
        {"user_id": actor.user_id, "course_id": course_id, "revoked_at": None},
        sort=[("issued_at", -1)],
        limit=1,
    )
    return found[0] if found else None


def list_certificates(
    kernel: Kernel, actor: Actor, *, code: str = "", course_id: str = "", limit: int = 200
) -> list[Certificate]:
    """Certificates a trainer (all) or a progress viewer (their scope) may look through."""
    if not (can_author(actor) or can_follow_progress(actor)):
        raise PermissionDenied(_("You do not have permission to see certificates of others."))
    flt: dict[str, object] = {}
    if not can_author(actor):
        scope = group_scope(actor)
        if scope is not None:
            flt["district"] = scope
    if code.strip():
        try:
            flt["code"] = parse_code(code)
        except CodeError:
            return []
    if course_id.strip():
        flt["course_id"] = course_id.strip()
    filter_: Filter = flt
    return kernel.store.find(Certificate, filter_, sort=[("issued_at", -1)], limit=limit)


# -- the PDF ---------------------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """ "7 December 2026": unambiguous in any country, unlike 07.12.2026."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def render_certificate(certificate: Certificate, verify_base: str) -> bytes:
    """The certificate as a one-page PDF (English wording; the Urdu title right to left)."""
    pdf = PdfDocument(
        f"Certificate {certificate.code}", footer="Mizan · Sindh Prosecution Department"
    )
    pdf.space(20)
    pdf.paragraph("Sindh Prosecution Department", size=12, align="C")
    pdf.space(6)
    pdf.paragraph("Certificate of Completion", size=26, bold=True, align="C")
    pdf.space(10)
    pdf.paragraph("This certifies that", size=12, align="C")
    pdf.space(4)
    pdf.paragraph(certificate.holder_name, size=22, bold=True, align="C")
    pdf.space(4)
    pdf.paragraph("has completed the course", size=12, align="C")
    pdf.space(4)
    pdf.paragraph(certificate.course_title_en, size=16, bold=True, align="C")
    if certificate.course_title_ur:
        pdf.paragraph(certificate.course_title_ur, size=16, bold=True, align="C")
    pdf.space(8)
    pdf.paragraph(f"Completed on {long_date(certificate.completed_on)}", size=12, align="C")
    if certificate.release:
        pdf.paragraph(f"Course version {certificate.release}", size=10, align="C")
    pdf.space(20)
    pdf.paragraph(f"Verification code: {certificate.code}", size=12, bold=True, align="C")
    pdf.paragraph(f"Check it at {verify_base.rstrip('/')}/{certificate.code}", size=10, align="C")
    return pdf.output()


def certificate_pdf(
    kernel: Kernel, actor: Actor, certificate_id: str, *, verify_base: str
) -> tuple[Certificate, bytes]:
    """The printable certificate, for its holder or someone who may follow their progress.

    ``verify_base`` is the public verification page's address (the web layer knows the
    site's); the PDF prints it with the code appended, so it opens the answer directly.
    Refused for a revoked certificate: it certifies nothing.
    """
    certificate = get_certificate(kernel, actor, certificate_id)
    if certificate.revoked:
        raise LearningError(
            _(
                "This certificate was revoked on %(date)s, so it cannot be downloaded.",
                date=long_date(pakistan_today(certificate.revoked_at)),
            )
        )
    data = render_certificate(certificate, verify_base)
    kernel.emit(
        DomainEvent(
            "learning.certificate.downloaded",
            actor,
            "certificate",
            certificate.id,
            {"course_id": certificate.course_id},
            changes_state=False,
        )
    )
    return certificate, data


# -- revoking ----------------------------------------------------------------------------------


def revoke_certificate(
    kernel: Kernel, actor: Actor, certificate_id: str, *, reason: str, version: int
) -> Certificate:
    """Withdraw a certificate (a trainer), with the reason the verification page will show.

    Refused with StaleWriteError if the certificate changed since ``version`` was read.
    """
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers can revoke certificates."))
    certificate = get_certificate(kernel, actor, certificate_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise LearningError(_("Write why the certificate is revoked; the public page shows it."))
    if len(reason) > MAX_REASON:
        raise LearningError(_("The reason is too long (%(n)d characters at most).", n=MAX_REASON))
    if certificate.revoked:
        raise LearningError(_("This certificate is already revoked."))
    if version != certificate.version:
        raise StaleWriteError(certificate.label, certificate.id, version, certificate.version)
    certificate.revoked_at = utc_naive_now()
    certificate.revoked_by = actor.user_id
    certificate.revoked_by_name = actor.username
    certificate.revoked_reason = reason
    with kernel.store.transaction():
        kernel.store.replace(certificate)
        kernel.emit(
            DomainEvent(
                "learning.certificate.revoked",
                actor,
                "certificate",
                certificate.id,
                {"course_id": certificate.course_id, "enrolment_id": certificate.enrolment_id},
            )
        )
    return certificate


# -- public verification -----------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public page says about a typed code.

    ``status``: "valid", "revoked", "unknown" (also for malformed codes: the same answer),
    "typo" (the check character caught a mistyped character), "throttled", "empty".
    """

    status: str
    code: str = ""
    holder_name: str = ""
    course_title_en: str = ""
    course_title_ur: str = ""
    completed_on: dt.date | None = None
    revoked_on: dt.date | None = None
    revoked_reason: str = ""
    message: str = ""


def _spend_lookup(kernel: Kernel, address: str | None) -> bool:
    """Count one lookup against ``address``'s budget; False when it is spent."""
    if not address:
        return True
    store = kernel.store
    for _attempt in range(3):
        now = utc_naive_now()
        with store.transaction():
            window = store.find_one(VerifyWindow, {"address": address})
            if window is None:
                try:
                    store.insert(VerifyWindow(address=address, started=now, lookups=1))
                except DuplicateKeyError:
                    continue
                return True
            if now - window.started >= VERIFY_WINDOW:
                window.started, window.lookups = now, 0
            if window.lookups >= VERIFY_BUDGET:
                return False
            window.lookups += 1
            try:
                store.replace(window)
            except StaleWriteError:
                continue
            return True
    return False


def verify_code(kernel: Kernel, text: str, *, address: str | None) -> Verification:
    """What a code certifies, for anyone (no sign-in). Changes nothing but the budget."""
    if not (text or "").strip():
        return Verification("empty")
    if not _spend_lookup(kernel, address):
        return Verification(
            "throttled",
            message=_("Too many codes were checked from your address. Try again in 10 minutes."),
        )
    try:
        code = parse_code(text)
    except CodeTypo as exc:
        return Verification("typo", message=str(exc))
    except CodeMalformed:
        code = ""
    # A malformed code still costs a lookup, so its answer takes as long as an unknown one's.
    certificate = kernel.store.find_one(Certificate, {"code": code or "MZN-0000-0000-0000"})
    if certificate is None:
        return Verification("unknown", message=_("No certificate has this code."))
    shown = Verification(
        "valid",
        code=certificate.code,
        holder_name=certificate.holder_name,
        course_title_en=certificate.course_title_en,
        course_title_ur=certificate.course_title_ur or "",
        completed_on=certificate.completed_on,
    )
    if not certificate.revoked:
        return shown
    revoked_on = pakistan_today(certificate.revoked_at)
    return Verification(
        "revoked",
        code=shown.code,
        holder_name=shown.holder_name,
        course_title_en=shown.course_title_en,
        course_title_ur=shown.course_title_ur,
        completed_on=shown.completed_on,
        revoked_on=revoked_on,
        revoked_reason=certificate.revoked_reason or "",
        message=_(
            "This certificate was revoked on %(date)s: %(reason)s",
            date=long_date(revoked_on),
            reason=certificate.revoked_reason or "",
        ),
    )
