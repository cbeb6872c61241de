"""Sealed values: unreadable at rest, opened with any key of the ring, re-sealed on rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from mizan.accounts import two_factor
from mizan.accounts.models import User
from mizan.kernel import Kernel
from mizan.sealing import Sealer, SealError, derived_key
from mizan.settings import SettingsError
from tests.conftest import make_settings


def test_ring_opens_old_values_and_seals_with_the_newest() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = Sealer([old]).seal("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    ring = Sealer([new, old])
    assert ring.open(sealed) == "JBSWY3DPEHPK3PXP"
    resealed = ring.reseal(sealed)
    assert Sealer([new]).open(resealed) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(SealError, match="MIZAN_ENCRYPTION_KEYS"):
        Sealer([new]).open(sealed)


def test_bad_keys_are_refused_at_start(tmp_path) -> None:
    with pytest.raises(SettingsError, match="key 1 is not a Fernet key"):
        make_settings(tmp_path, MIZAN_ENCRYPTION_KEYS="not-a-key")


def test_reseal_moves_authenticator_secrets_to_the_new_key(demo: Kernel) -> None:
    """Rotation: a new key in front of the old (here the default, derived one), then reseal."""
    user = demo.store.find_one(User, {"username": "admin"})
    setup = two_factor.start_setup(demo, user.id)
    before = demo.store.get(User, user.id).totp_pending
    old, new = derived_key(demo.settings.secret_key), Fernet.generate_key().decode()
    assert Sealer([old]).open(before) == setup.secret
    # Settings are frozen; the operator's change of MIZAN_ENCRYPTION_KEYS, in place:
    object.__setattr__(demo.settings, "encryption_keys", (new, old))
    assert two_factor.reseal(demo) == 1
    after = demo.store.get(User, user.id).totp_pending
    assert Sealer([new]).open(after) == setup.secret
    with pytest.raises(SealError):
        Sealer([old]).open(after)
