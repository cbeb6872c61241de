"""Who should take a case: ranked suggestions with their reasons, and court postings.

A district public prosecutor assigning a case weighs the same things every
time: who has room (open cases), who works in the court that hears it, who has
handled this kind of offence, whether the case needs an Anti-Terrorism Court
prosecutor (ATC prosecutors are posted by the Law Department), and conflicts —
a prosecutor who may be related to a party, or who is due in another court
when this case is heard. ``suggest`` does that arithmetic and says why, so the
person assigning decides with the reasons in view; it never assigns.

Postings (which courts a prosecutor appears in, and whether as an ATC
prosecutor) are recorded by the district public prosecutor or the Prosecutor
General and are audited like any other change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import mongoengine as me

from casefiles.hearing_clashes import find_clashes
from casefiles.hearings import Hearing, court_key
from casefiles.models import PARTY_ROLES, Case
from casefiles.protected_identities import Identity, protected_identities
from casefiles.reports import PENDING_STATES
from casefiles.service import CaseError, assign, check_prosecutors, get_case
from legaltext.person_names import name_key
from mizan.accounts.models import User
from mizan.accounts.roles import Capability, Role
from mizan.accounts.service import PermissionDenied, require
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, Model, NotFoundError

#: Score parts (points); the reasons shown carry the same numbers.
IN_DISTRICT, OUTSIDE_DISTRICT = 20.0, -10.0
POSTED_TO_COURT = 15.0
ATC_POSTED = 10.0
PER_SIMILAR_CASE, SIMILAR_CAP = 2.0, 10
WORKLOAD_WEIGHT = 30.0
WORKLOAD_FLOOR = 20.0
HEARING_CLASH = -25.0
PARTY_LINK = -100.0
#: An assisting role counts as half a case in the workload.
ASSISTING_SHARE = 0.5


class Posting(Model):
    """A prosecutor's posting to a court (e.g. "ATC-XII Karachi"), ATC or not."""

    label = "posting"
    user_id = me.StringField(required=True)
    district = me.StringField()
    court = me.StringField(required=True, max_length=120)
    court_key = me.StringField(required=True)
    atc = me.BooleanField(default=False)
    created_by = me.StringField()
    created_at = me.DateTimeField()

    meta = {
        "collection": "postings",
        "indexes": [
            "court_key",
            "atc",
            {"fields": ["user_id", "court_key"], "unique": True},
        ],
    }


@dataclass(frozen=True)
class Reason:
    #: "workload", "district", "court", "experience", "atc", "party", "clash"
    kind: str
    text: str
    points: float

    @property
    def conflict(self) -> bool:
        return self.kind in ("party", "clash", "not_atc")


@dataclass
class Suggestion:
    user: User
    score: float
    #: Open cases as lead, and as assisting prosecutor.
    lead: int
    assisting: int
    reasons: list[Reason] = field(default_factory=list)
    #: False when the case needs an ATC prosecutor and this is not one.
    eligible: bool = True

    @property
    def conflicts(self) -> list[Reason]:
        return [r for r in self.reasons if r.conflict]


# -- postings ----------------------------------------------------------------------------


def _may_manage(actor: Actor, user: User) -> None:
    require(actor, Capability.ASSIGN_CASE)
    if actor.has_role("system", Role.PROSECUTOR_GENERAL):
        return
    if user.district != actor.district:
        raise PermissionDenied(_("You can only post prosecutors of your own district."))


def posted_user_ids(kernel: Kernel) -> frozenset[str]:
    """Everyone posted to at least one court (the data quality panel flags the others)."""
    return frozenset(p.user_id for p in kernel.store.find(Posting, {}))


def add_posting(kernel: Kernel, actor: Actor, user_id: str, court: str, *, atc: bool) -> Posting:
    check_prosecutors(kernel, [user_id])
    user = kernel.store.get(User, user_id)
    _may_manage(actor, user)
    court = " ".join(court.split())
    if not court:
        raise CaseError(_("Enter the court, e.g. “ATC-XII Karachi”."))
    if len(court) > 120:
        raise CaseError(_("The court name is too long (120 letters at most)."))
    posting = Posting(
        user_id=user.id,
        district=user.district,
        court=court,
        court_key=court_key(court),
        atc=atc,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
    )
    try:
        with kernel.store.transaction():
            kernel.store.insert(posting)
            kernel.emit(
                DomainEvent(
                    "posting.added",
                    actor,
                    "user",
                    user.id,
                    {"court": court, "atc": atc, "posting_id": posting.id},
                )
            )
    except DuplicateKeyError:
        raise CaseError(
            _("%(name)s is already posted to %(court)s.", name=user.full_name, court=court)
        ) from None
    return posting


def remove_posting(kernel: Kernel, actor: Actor, posting_id: str, version: int) -> Posting:
    try:
        posting = kernel.store.get(Posting, posting_id)
        user = kernel.store.get(User, posting.user_id)
    except NotFoundError:
        raise CaseError(_("That posting no longer exists.")) from None
    _may_manage(actor, user)
    posting.version = version
    with kernel.store.transaction():
        kernel.store.delete(posting)
        kernel.emit(
            DomainEvent(
                "posting.removed",
                actor,
                "user",
                user.id,
                {"court": posting.court, "atc": posting.atc, "posting_id": posting.id},
            )
        )
    return posting


def postings_of(kernel: Kernel, user_ids: Iterable[str]) -> dict[str, list[Posting]]:
    ids = sorted(set(user_ids))
    out: dict[str, list[Posting]] = {}
    if ids:
        for p in kernel.store.find(Posting, {"user_id": {"$in": ids}}, sort=[("court", 1)]):
            out.setdefault(p.user_id, []).append(p)
    return out


# -- suggestions ---------------------------------------------------------------------------


def _case_courts(kernel: Kernel, case: Case) -> list[str]:
    """Court keys of the case's hearings, latest first (where it is heard now)."""
    hearings = kernel.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", -1)])
    seen: list[str] = []
    for h in hearings:
        if h.court_key not in seen:
            seen.append(h.court_key)
    return seen


def _candidates(kernel: Kernel, case: Case, courts: list[str], ata: bool) -> list[User]:
    """Active prosecutors of the case's district, those posted to its courts, and (for an
    ATA case) every ATC prosecutor of the province."""
    store = kernel.store
    base = {"roles": Role.PROSECUTOR.value, "active": True}
    people = {u.id: u for u in store.find(User, {**base, "district": case.district})}
    clauses: list[dict] = []
    if courts:
        clauses.append({"court_key": {"$in": courts}})
    if ata:
        clauses.append({"atc": True})
    if clauses:
        flt = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        extra = {p.user_id for p in store.find(Posting, flt)} - set(people)
        if extra:
            for u in store.find(User, {**base, "_id": {"$in": sorted(extra)}}):
                people[u.id] = u
    return sorted(people.values(), key=lambda u: (u.full_name, u.id))


def _workloads(kernel: Kernel, ids: list[str]) -> tuple[dict, dict]:
    pending = {"state": {"$in": list(PENDING_STATES)}}
    store = kernel.store
    leads = store.group_count(Case, "lead_prosecutor", {**pending, "lead_prosecutor": {"$in": ids}})
    helping = store.group_count(Case, "assisting", {**pending, "assisting": {"$in": ids}})
    return leads, helping


def _experience(kernel: Kernel, case: Case, ids: list[str]) -> tuple[dict[str, int], str]:
    """Cases each prosecutor has led under the case's main offence (the first section)."""
    if not case.offences:
        return {}, ""
    main = case.offences[0]
    flt = {
        "offences.act": main.act,
        "offences.section": main.section,
        "lead_prosecutor": {"$in": ids},
        "_id": {"$ne": case.id},
    }
    return kernel.store.group_count(Case, "lead_prosecutor", flt), f"{main.section} {main.act}"


def _party_links(user: User, case: Case, identities: Mapping[str, Identity]) -> list[Reason]:
    """A prosecutor whose name is a party's, or a party's parent's: maybe family. Names are
    all Mizan knows of a prosecutor, so this is a prompt to ask, not a finding. A protected
    witness is matched on its (opened) identity and named by its pseudonym."""
    key = name_key(user.full_name)
    found = []
    for party in case.parties:
        shown = party.shown_name
        who = identities.get(party.id, party)
        if key and (key in who.name_keys or key == who.parent_key):
            found.append(
                Reason(
                    "party",
                    _(
                        "Same name as %(role)s %(name)s or their parent: ask about a family link.",
                        role=str(PARTY_ROLES[party.role]).lower(),
                        name=shown,
                    ),
                    PARTY_LINK,
                )
            )
    return found


def _clashes(kernel: Kernel, actor: Actor, case: Case, ids: list[str], now: dt.datetime) -> dict:
    """For each prosecutor, the upcoming hearings of this case they could not attend."""
    upcoming = [
        h
        for h in kernel.store.find(
            Hearing, {"case_id": case.id, "starts_at": {"$gte": now}}, sort=[("starts_at", 1)]
        )
        if h.outcome is None
    ][:5]
    out: dict[str, list[Reason]] = {}
    for hearing in upcoming:
        for clash in find_clashes(
            kernel, actor, ids, hearing.starts_at, hearing.court, exclude=[hearing.id]
        ):
            when = clash.hearing.local_starts_at.strftime("%d.%m.%Y %H:%M")
            out.setdefault(clash.prosecutor_id, []).append(
                Reason(
                    "clash",
                    _(
                        "Due in %(court)s at %(when)s, when this case is heard in %(here)s.",
                        court=clash.hearing.court,
                        when=when,
                        here=hearing.court,
                    ),
                    HEARING_CLASH,
                )
            )
    return out


def candidates(kernel: Kernel, case: Case) -> list[User]:
    """Everyone the assign form offers: the ranked candidates and whoever is on the case now."""
    people = {
        u.id: u for u in _candidates(kernel, case, _case_courts(kernel, case), "ATA" in case.labels)
    }
    missing = [i for i in case.prosecutors if i not in people]
    if missing:
        people.update({u.id: u for u in kernel.store.find(User, {"_id": {"$in": missing}})})
    return sorted(people.values(), key=lambda u: (u.full_name, u.id))


def suggest(
    kernel: Kernel, actor: Actor, case: Case, *, now: dt.datetime | None = None
) -> list[Suggestion]:
    """Prosecutors for ``case``, best first, each with the reasons for their place."""
    require(actor, Capability.ASSIGN_CASE)
    ata = "ATA" in case.labels
    courts = _case_courts(kernel, case)
    people = _candidates(kernel, case, courts, ata)
    if not people:
        return []
    ids = [u.id for u in people]
    leads, helping = _workloads(kernel, ids)
    similar, offence = _experience(kernel, case, ids)
    ata_led = (
        kernel.store.group_count(
            Case, "lead_prosecutor", {"labels": "ATA", "lead_prosecutor": {"$in": ids}}
        )
        if ata
        else {}
    )
    posted = postings_of(kernel, ids)
    clashes = _clashes(kernel, actor, case, ids, now or utc_naive_now())
    identities = protected_identities(kernel, case)
    loads = {i: leads.get(i, 0) + ASSISTING_SHARE * helping.get(i, 0) for i in ids}
    # Relative to the lightest load, over at least 20 cases: 2 cases more out of 3 is not
    # a reason to pass over an expert, 1,000 more out of 3,000 is.
    lightest = min(loads.values())
    spread = max(max(loads.values()), WORKLOAD_FLOOR)

    result = []
    for user in people:
        reasons: list[Reason] = []
        lead_n, help_n = leads.get(user.id, 0), helping.get(user.id, 0)
        reasons.append(
            Reason(
                "workload",
                _("%(lead)d open cases as lead, %(help)d assisting.", lead=lead_n, help=help_n),
                -WORKLOAD_WEIGHT * (loads[user.id] - lightest) / spread,
            )
        )
        if user.district == case.district:
            reasons.append(Reason("district", _("Works in this district."), IN_DISTRICT))
        else:
            reasons.append(
                Reason(
                    "district",
                    _("Works in another district (%(code)s).", code=user.district or "—"),
                    OUTSIDE_DISTRICT,
                )
            )
        mine = posted.get(user.id, [])
        here = [p for p in mine if p.court_key in courts]
        if here:
            reasons.append(
                Reason(
                    "court",
                    _("Posted to %(court)s, where this case is heard.", court=here[0].court),
                    POSTED_TO_COURT,
                )
            )
        n = similar.get(user.id, 0)
        if n:
            reasons.append(
                Reason(
                    "experience",
                    _("Has led %(n)d other cases under %(offence)s.", n=n, offence=offence),
                    PER_SIMILAR_CASE * min(n, SIMILAR_CAP),
                )
            )
        eligible = True
        if ata:
            atc = [p for p in mine if p.atc]
            if atc:
                done = ata_led.get(user.id, 0)
                reasons.append(
                    Reason(
                        "atc",
                        _(
                            "ATC prosecutor (%(court)s); has led %(n)d ATA cases.",
                            court=atc[0].court,
                            n=done,
                        ),
                        ATC_POSTED + PER_SIMILAR_CASE * min(done, SIMILAR_CAP),
                    )
                )
            else:
                eligible = False
                reasons.append(
                    Reason(
                        "not_atc",
                        _("Not an ATC prosecutor: an ATA case needs one as lead."),
                        0.0,
                    )
                )
        reasons += _party_links(user, case, identities)
        reasons += clashes.get(user.id, [])
        score = 50.0 + sum(r.points for r in reasons)
        result.append(Suggestion(user, round(score, 1), lead_n, help_n, reasons, eligible))
    return sorted(
        result,
        key=lambda s: (not s.eligible, any(r.kind == "party" for r in s.reasons), -s.score),
    )


def assign_suggested(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    user_id: str,
    *,
    version: int,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Make a suggested prosecutor the lead, from their row in the ranked list.

    The row's own checks decide: someone not among the suggestions, not eligible (an ATA
    case needs an ATC prosecutor) or with a conflict (a link to a party, a hearing clash)
    is refused with the reason, so such a choice is made deliberately in the full form.
    An assisting prosecutor who becomes lead stops assisting; the former lead is taken off
    the case, which needs a reason (``casefiles.service.assign`` asks for it).
    """
    case = get_case(kernel, actor, case_id)
    chosen = next((s for s in suggest(kernel, actor, case, now=now) if s.user.id == user_id), None)
    if chosen is None:
        raise CaseError(_("This prosecutor is not among the suggestions for the case."))
    if not chosen.eligible or chosen.conflicts:
        problem = next((r.text for r in chosen.reasons if r.conflict), "")
        raise CaseError(
            _(
                "%(name)s cannot be assigned from the suggestions: %(problem)s Use the "
                "assignment form if you still want this prosecutor.",
                name=chosen.user.full_name,
                problem=problem,
            )
        )
    if case.lead_prosecutor == user_id:
        raise CaseError(_("%(name)s already leads this case.", name=chosen.user.full_name))
    return assign(
        kernel,
        actor,
        case.id,
        version=version,
        lead=user_id,
        assisting=[a for a in case.assisting if a != user_id],
        reason=reason,
    )
