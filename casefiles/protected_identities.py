"""Protected witnesses' true identities, sealed at rest.

A protected witness (ATA s.21AA, Sindh Witness Protection Act 2013) is stored under
its pseudonym only: the name, aliases, parentage, CNIC and the person-index keys
derived from them are sealed together (``mizan.sealing``) into ``Party.sealed_identity``,
so a copy of the database or a backup does not say who the witness is. They are
opened in memory, never written back, for the people allowed to see them (the case's
assigned prosecutors, or a supervisor after break-glass) and for work that must know
the name to protect it (redacting case studies, the family-link check of assignment).
Opening them for a person is recorded in the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from casefiles.models import Case, Party
from mizan.actor import Actor
from mizan.compare_and_set import compare_and_set
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.sealing import Sealer

#: The Party fields that say who a person is, sealed together for a protected witness.
IDENTITY_FIELDS = ("name", "aliases", "relation", "parent_name", "cnic", "name_keys", "parent_key")


@dataclass(frozen=True)
class Identity:
    """Who a party is, with the same attribute names as ``Party`` (templates use either)."""

    name: str
    aliases: tuple[str, ...] = ()
    relation: str | None = None
    parent_name: str | None = None
    cnic: str | None = None
    name_keys: tuple[str, ...] = ()
    parent_key: str | None = None


def sealer_for(kernel: Kernel) -> Sealer:
    return Sealer.from_settings(kernel.settings)


def seal_party(sealer: Sealer, party: Party) -> bool:
    """Move a protected party's identity into its sealed field; False if nothing to do."""
    if not party.protected or party.sealed_identity:
        return False
    plain = {name: getattr(party, name) for name in IDENTITY_FIELDS}
    plain["aliases"] = list(plain["aliases"] or [])
    plain["name_keys"] = list(plain["name_keys"] or [])
    party.sealed_identity = sealer.seal(json.dumps(plain, ensure_ascii=False))
    party.name = party.pseudonym or "—"
    party.aliases = []
    party.relation = None
    party.parent_name = None
    party.cnic = None
    party.name_keys = []
    party.parent_key = None
    return True


def identity_of(sealer: Sealer, party: Party) -> Identity:
    """The party's true identity (opened in memory if sealed)."""
    if party.sealed_identity:
        data = json.loads(sealer.open(party.sealed_identity))
        return Identity(
            name=data["name"],
            aliases=tuple(data.get("aliases") or ()),
            relation=data.get("relation"),
            parent_name=data.get("parent_name"),
            cnic=data.get("cnic"),
            name_keys=tuple(data.get("name_keys") or ()),
            parent_key=data.get("parent_key"),
        )
    return Identity(
        name=party.name,
        aliases=tuple(party.aliases),
        relation=party.relation,
        parent_name=party.parent_name,
        cnic=party.cnic,
        name_keys=tuple(party.name_keys),
        parent_key=party.parent_key,
    )


def protected_identities(kernel: Kernel, case: Case) -> dict[str, Identity]:
    """Party id → true identity, for the case's protected parties (no audit: for work that
    needs the names to protect them, never for showing them)."""
    sealer = sealer_for(kernel)
    return {p.id: identity_of(sealer, p) for p in case.parties if p.protected}


def reveal_identities(
    kernel: Kernel, actor: Actor, case: Case, *, channel: str
) -> Mapping[str, Identity]:
    """The protected identities shown to ``actor`` (already allowed to see them), audited."""
    opened = protected_identities(kernel, case)
    if opened:
        kernel.emit(
            DomainEvent(
                "case.protected_identities_shown",
                actor,
                "case",
                case.id,
                {"channel": channel, "parties": sorted(opened)},
                changes_state=False,
            )
        )
    return opened


def reseal_protected(kernel: Kernel) -> int:
    """Seal every protected identity with the newest key (``mizan reseal``), sealing any
    still stored in the clear (records from before sealing); returns cases changed."""
    sealer = sealer_for(kernel)

    def reseal(case: Case) -> bool:
        for party in case.parties:
            if party.protected and party.sealed_identity:
                party.sealed_identity = sealer.reseal(party.sealed_identity)
            elif party.protected:
                seal_party(sealer, party)
        return True

    cases = kernel.store.find(Case, {"parties.protected": True})
    for case in cases:
        compare_and_set(kernel, partial(kernel.store.get, Case, case.id), reseal)
    return len(cases)
