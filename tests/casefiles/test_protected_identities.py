"""Protected witnesses' identities are sealed at rest and opened only for those allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from casefiles.assignment import suggest
from casefiles.models import Case, Party
from casefiles.parties import PartyInput, add_party
from casefiles.protected_identities import (
    identity_of,
    reseal_protected,
    reveal_identities,
    sealer_for,
)
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.audit import AuditEntry
from mizan.sealing import Sealer, SealError, derived_key

NAME = "Zarghuna Qaiserani"
CNIC = "42101-7654321-9"


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _with_protected_witness(kernel) -> Case:
    case = kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    return add_party(
        kernel,
        _actor(kernel, "pp.rahim"),
        case.id,
        version=case.version,
        data=PartyInput(
            role="witness",
            name=NAME,
            parentage="d/o Gul Muhammad Qaiserani",
            cnic=CNIC,
            protected=True,
            pseudonym="PW-7",
        ),
    )


def _stored_bytes(data_dir: Path) -> bytes:
    """Everything the data directory holds: what a copy of it would reveal."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file())


def test_the_database_holds_only_the_pseudonym(demo) -> None:
    case = _with_protected_witness(demo)
    stored = next(p for p in demo.store.get(Case, case.id).parties if p.protected)
    assert stored.name == "PW-7"
    assert not stored.cnic and not stored.parent_name and not stored.name_keys
    assert stored.sealed_identity
    raw = _stored_bytes(demo.settings.data_dir)
    for secret in (NAME, "Qaiserani", CNIC, "Gul Muhammad"):
        assert secret.encode() not in raw, f"{secret!r} is readable in the data directory"


def test_identity_opens_for_the_assigned_prosecutor_and_is_audited(demo) -> None:
    case = _with_protected_witness(demo)
    rahim = _actor(demo, "pp.rahim")
    opened = reveal_identities(demo, rahim, case, channel="page")
    (identity,) = opened.values()
    assert (identity.name, identity.cnic, identity.parent_name) == (
        NAME,
        CNIC,
        "Gul Muhammad Qaiserani",
    )
    entry = demo.store.find_one(AuditEntry, {"action": "case.protected_identities_shown"})
    assert entry is not None and entry.actor_name == "pp.rahim"
    assert entry.data["channel"] == "page"


def test_case_page_shows_the_name_to_the_assigned_prosecutor_only(demo, browser) -> None:
    case = _with_protected_witness(demo)
    for username, sees in (("pp.rahim", True), ("dpp.south", False)):
        person = browser()
        person.login(username)
        page = person.get(f"/cases/{case.id}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "PW-7" in html and (NAME in html) is sees, username


def test_family_link_check_still_sees_a_protected_witness(demo) -> None:
    """A prosecutor who shares a protected witness's name is flagged, by pseudonym only."""
    case = _with_protected_witness(demo)
    sana = demo.store.find_one(User, {"username": "pp.sana"})
    sana.full_name = NAME
    demo.store.replace(sana)
    dpp = _actor(demo, "dpp.south")
    rows = suggest(demo, dpp, demo.store.get(Case, case.id))
    texts = [str(r.text) for s in rows if s.user.id == sana.id for r in s.reasons]
    assert any("PW-7" in t for t in texts) and not any(NAME in t for t in texts)


def test_reseal_seals_old_clear_records_and_rotates_keys(demo) -> None:
    case = _with_protected_witness(demo)
    # A record written before sealing existed: identity in the clear.
    legacy = demo.store.find_one(Case, {"_id": {"$ne": case.id}})
    legacy.parties.append(
        Party(role="witness", name="Old Clear Name", protected=True, pseudonym="PW-2")
    )
    demo.store.replace(legacy)

    old, new = derived_key(demo.settings.secret_key), Fernet.generate_key().decode()
    # Settings are frozen; the operator's change of MIZAN_ENCRYPTION_KEYS, in place:
    object.__setattr__(demo.settings, "encryption_keys", (new, old))
    assert reseal_protected(demo) == 2
    object.__setattr__(demo.settings, "encryption_keys", (new,))
    sealer = sealer_for(demo)
    names = {
        identity_of(sealer, p).name
        for c in demo.store.find(Case, {"parties.protected": True})
        for p in c.parties
        if p.protected
    }
    assert names == {NAME, "Old Clear Name"}
    stored = next(p for p in demo.store.get(Case, legacy.id).parties if p.protected)
    assert stored.name == "PW-2" and stored.sealed_identity
    with pytest.raises(SealError):
        identity_of(Sealer([old]), stored)
