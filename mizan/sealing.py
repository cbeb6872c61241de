"""Values sealed at rest: encrypted in the store, so a copy of the database or a backup
does not reveal them (authenticator secrets today).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with a key ring:
``MIZAN_ENCRYPTION_KEYS`` lists keys newest first; values are sealed with the
first and opened with any, so a key is rotated by putting a new one in front,
running ``mizan reseal`` and later dropping the old one. Without the setting
the key is derived from ``MIZAN_SECRET_KEY`` (kept outside the store, in the
environment or ``<data dir>/secret_key``), so even the default is not in the
database it protects.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from mizan.settings import Settings


class SealError(ValueError):
    """A sealed value cannot be opened with any configured key."""


def derived_key(secret_key: str) -> str:
    """A Fernet key from the application secret (domain-separated from its other uses)."""
    digest = hashlib.sha256(b"mizan-sealing-v1:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


class Sealer:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._ring = MultiFernet([Fernet(key.encode("ascii")) for key in keys])

    @classmethod
    def from_settings(cls, settings: Settings) -> Sealer:
        return cls(list(settings.encryption_keys) or [derived_key(settings.secret_key)])

    def seal(self, plain: str) -> str:
        return self._ring.encrypt(plain.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._ring.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            raise SealError(
                "A sealed value cannot be opened with the configured keys "
                "(MIZAN_ENCRYPTION_KEYS); was a key removed too early?"
            ) from None

    def reseal(self, sealed: str) -> str:
        """The value sealed with the newest key (for key rotation)."""
        try:
            return self._ring.rotate(sealed.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError):
            raise SealError("A sealed value cannot be opened with the configured keys.") from None
