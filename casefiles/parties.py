"""Offences and parties of a case; the person index across cases.

Protected witnesses are shown by pseudonym to everyone but the assigned
prosecutors; a supervisor who must see an identity records a written reason
first (break-glass), and that view is audited. Their identities are stored
sealed (``casefiles.protected_identities``).
"""

from __future__ import annotations

from dataclasses import dataclass

from casefiles.models import CUSTODY, PARTY_ROLES, Case, Offence, Party
from casefiles.policy import visible_cases_filter
from casefiles.protected_identities import seal_party, sealer_for
from casefiles.service import CaseError, ensure_can_edit, get_case
from legaltext.person_names import name_key, normalise_cnic, parse_parentage, split_aliases
from legaltext.section_refs import SectionRefError, parse_section_refs
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel


def _save(kernel: Kernel, actor: Actor, case: Case, version: int, action: str, data: dict) -> Case:
    case.version = version
    case.updated_at = utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(case)
        kernel.emit(DomainEvent(action, actor, "case", case.id, data))
    return case


def set_offences(kernel: Kernel, actor: Actor, case_id: str, *, version: int, text: str) -> Case:
    """Replace the case's sections with those written in ``text`` (strictly parsed)."""
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    try:
        refs = parse_section_refs(text)
    except SectionRefError as exc:
        raise CaseError(str(exc)) from None
    case.offences = [
        Offence(act=r.act, section=r.section, subsections=list(r.subsections), raw=r.raw or None)
        for r in refs
    ]
    return _save(
        kernel,
        actor,
        case,
        version,
        "case.offences_changed",
        {"offences": [o.canonical for o in case.offences]},
    )


@dataclass(frozen=True)
class PartyInput:
    role: str
    name: str
    parentage: str = ""
    cnic: str = ""
    gender: str = ""
    custody: str = ""
    protected: bool = False
    pseudonym: str = ""


def build_party(data: PartyInput, actor: Actor) -> Party:
    if data.role not in PARTY_ROLES:
        raise CaseError(_("Choose whether this is an accused, the complainant or a witness."))
    name, aliases = split_aliases(" ".join(data.name.split()))
    if not name:
        raise CaseError(_("Enter the person's name."))
    relation, parent = parse_parentage(data.parentage) if data.parentage.strip() else (None, None)
    if data.parentage.strip() and not relation:
        raise CaseError(
            _(
                "Write the parentage as “s/o”, “d/o” or “w/o” and the name, "
                "e.g. “s/o Muhammad Akram”."
            )
        )
    cnic = None
    if data.cnic.strip():
        cnic = normalise_cnic(data.cnic)
        if cnic is None:
            raise CaseError(_("A CNIC has 13 digits, written like 42101-1234567-1."))
    if data.custody and (data.role != "accused" or data.custody not in CUSTODY):
        raise CaseError(_("Custody is recorded for an accused only."))
    if data.protected and data.role != "witness":
        raise CaseError(_("Only a witness can be protected."))
    if data.protected and not data.pseudonym.strip():
        raise CaseError(_("Give the protected witness a pseudonym (e.g. “PW-1”)."))
    return Party(
        role=data.role,
        name=name,
        aliases=aliases,
        relation=relation,
        parent_name=parent,
        cnic=cnic,
        gender=data.gender or None,
        custody=data.custody or None,
        protected=data.protected,
        pseudonym=data.pseudonym.strip() or None,
        name_keys=sorted({name_key(n) for n in [name, *aliases]}),
        parent_key=name_key(parent) if parent else None,
        added_by=actor.user_id,
        added_at=utc_naive_now(),
    )


def add_party(
    kernel: Kernel, actor: Actor, case_id: str, *, version: int, data: PartyInput
) -> Case:
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    party = build_party(data, actor)
    seal_party(sealer_for(kernel), party)
    case.parties.append(party)
    shown = party.shown_name
    return _save(
        kernel,
        actor,
        case,
        version,
        "case.party_added",
        {"party_id": party.id, "role": party.role, "name": shown},
    )


def remove_party(
    kernel: Kernel, actor: Actor, case_id: str, *, version: int, party_id: str
) -> Case:
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    kept = [p for p in case.parties if p.id != party_id]
    if len(kept) == len(case.parties):
        raise CaseError(_("That person is not in this case (any more)."))
    case.parties = kept
    return _save(kernel, actor, case, version, "case.party_removed", {"party_id": party_id})


def sees_protected_identities(actor: Actor, case: Case) -> bool:
    """Only the prosecutors assigned to the case know who a protected witness is."""
    return actor.has_role(Role.PROSECUTOR) and actor.user_id in case.prosecutors


def break_glass(kernel: Kernel, actor: Actor, case_id: str, reason: str) -> Case:
    """Reveal protected identities once, for a recorded reason (audited)."""
    case = get_case(kernel, actor, case_id)
    if not actor.has_role(Role.PROSECUTOR_GENERAL, Role.DISTRICT_PUBLIC_PROSECUTOR):
        raise PermissionDenied(
            _(
                "Only the Prosecutor General or the District Public Prosecutor "
                "may open protected identities."
            )
        )
    if len(reason.strip()) < 15:
        raise CaseError(
            _("Write why you need to see the protected identities (at least 15 characters).")
        )
    kernel.emit(
        DomainEvent(
            "case.protected_identities_viewed",
            actor,
            "case",
            case.id,
            {"reason": reason.strip()},
            changes_state=False,
        )
    )
    return case


def repeat_accused(kernel: Kernel, actor: Actor, case: Case) -> dict[str, list[Case]]:
    """For each accused: the other cases (that ``actor`` may see) with the same person.

    Same person = same CNIC, or a shared name key (aliases included) and, where
    both records give it, the same parentage key.
    """
    visible = visible_cases_filter(actor)
    if visible is None:
        return {}
    result: dict[str, list[Case]] = {}
    for party in case.parties:
        if party.role != "accused":
            continue
        # Candidates from the indexed person-index keys (every word of one of the names,
        # or the CNIC); ``_same_person`` then decides on the records themselves.
        clauses: list[dict] = []
        for key in party.name_keys:
            words = [{"accused_keys": f"t:{w}"} for w in dict.fromkeys(key.split())]
            if words:
                clauses.append(words[0] if len(words) == 1 else {"$and": words})
        if party.cnic:
            clauses.append({"accused_keys": f"c:{party.cnic}"})
        if not clauses:
            continue
        flt = (
            {"$and": [visible, {"_id": {"$ne": case.id}}, {"$or": clauses}]}
            if visible
            else {"$and": [{"_id": {"$ne": case.id}}, {"$or": clauses}]}
        )
        matches = []
        for other in kernel.store.find(Case, flt, limit=50):
            if any(_same_person(party, p) for p in other.parties if p.role == "accused"):
                matches.append(other)
        if matches:
            result[party.id] = matches
    return result


def _same_person(a: Party, b: Party) -> bool:
    if a.cnic and b.cnic:
        return a.cnic == b.cnic
    if not set(a.name_keys) & set(b.name_keys):
        return False
    return not (a.parent_key and b.parent_key) or a.parent_key == b.parent_key
