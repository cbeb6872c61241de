"""TOTP against the RFC 6238 test vectors, drift, and recovery codes."""

from __future__ import annotations

import base64

from mizan.accounts import totp

# RFC 6238 appendix B: SHA-1 key "12345678901234567890"; 8-digit codes, we use the last 6.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = {59: "94287082", 1111111109: "07081804", 1234567890: "89005924",
               2000000000: "69279037"}  # fmt: skip


def test_rfc_6238_vectors() -> None:
    for seconds, eight_digits in RFC_VECTORS.items():
        assert totp.code_for_step(RFC_SECRET, totp.step_at(seconds)) == eight_digits[-6:]


def test_one_step_of_drift_either_side_and_no_more() -> None:
    now = 1_700_000_000
    step = totp.step_at(now)
    for delta in (-1, 0, 1):
        code = totp.code_for_step(RFC_SECRET, step + delta)
        assert totp.matching_step(RFC_SECRET, code, now) == step + delta
    assert totp.matching_step(RFC_SECRET, totp.code_for_step(RFC_SECRET, step + 2), now) is None
    assert totp.matching_step(RFC_SECRET, "12345", now) is None
    assert totp.matching_step(RFC_SECRET, "abcdef", now) is None
    spaced = totp.code_for_step(RFC_SECRET, step)
    assert totp.matching_step(RFC_SECRET, f"{spaced[:3]} {spaced[3:]}", now) == step


def test_secrets_and_recovery_codes_are_fresh_and_forgiving() -> None:
    assert totp.new_secret() != totp.new_secret() and len(totp.new_secret()) == 32
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10 and all(len(c) == 14 for c in codes)
    assert totp.recovery_hash(codes[0].upper().replace("-", " ")) == totp.recovery_hash(codes[0])
    uri = totp.provisioning_uri("ABC", "pg.sindh")
    assert uri.startswith("otpauth://totp/Mizan%3Apg.sindh?secret=ABC&issuer=Mizan")
