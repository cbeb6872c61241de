"""The act registry: every spelling of an act resolves to its canonical code."""

from __future__ import annotations

import pytest

from legaltext.act_names import ACTS, get_act, resolve_act

# --- act registry -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("PPC", "PPC"),
        ("P.P.C.", "PPC"),
        ("Pakistan Penal Code", "PPC"),
        ("Pakistan Penal Code, 1860", "PPC"),
        ("Pakistan Penal Code (XLV of 1860)", "PPC"),
        ("(XLV of 1860)", "PPC"),
        ("Act XLV of 1860", "PPC"),
        ("Cr.P.C.", "CrPC"),
        ("Cr. P.C", "CrPC"),
        ("CrPC", "CrPC"),
        ("Code of Criminal Procedure", "CrPC"),
        ("Criminal Procedure Code, (V of 1898)", "CrPC"),
        ("(V of 1898)", "CrPC"),
        ("Anti-Terrorism Act, 1997", "ATA"),
        ("Anti -Terrorism Act", "ATA"),
        ("A.T.A.", "ATA"),
        ("Control of Narcotic Substances Act, 1997", "CNSA"),
        ("CNS Act", "CNSA"),
        ("C.N.S.A.", "CNSA"),
        ("Sindh Arms Act, 2013", "SAA"),
        ("Arms Ordinance", "AO"),
        ("Pakistan Arms Ordinance, 1965", "AO"),
        ("A.O.", "AO"),
        ("Explosive Substances Act, 1908", "ESA"),
        ("Qanun-e-Shahadat Order, 1984", "QSO"),
        ("Qanun- e-Shahadat (10 of 1984)", "QSO"),
        ("P.O. No. 10 of 1984", "QSO"),
        ("Anti-Rape (Investigation and Trial) Act, 2021", "ARA"),
        ("Anti Rape (Investigation and Trial) Act (XXX of 2021)", "ARA"),
        ("Arms Ordinance (XX of 1965)", "AO"),
        ("Sindh Witness Protection Act, 2013", "SWPA"),
    ],
)
def test_every_spelling_resolves_to_its_code(name: str, code: str) -> None:
    act = resolve_act(name)
    assert act is not None and act.code == code


@pytest.mark.parametrize("name", ["XYZ", "Penal", "Arms Act", "Anti-Terrorism Court", ""])
def test_unknown_names_do_not_resolve(name: str) -> None:
    assert resolve_act(name) is None


def test_registry_is_data_with_unique_codes() -> None:
    codes = [a.code for a in ACTS]
    assert len(codes) == len(set(codes))
    assert {"PPC", "CrPC", "ATA", "CNSA", "SAA", "AO", "ESA", "QSO", "ARA", "SWPA"} <= set(codes)
    assert get_act("QSO").unit == "article"
    for act in ACTS:
        assert resolve_act(act.code) == act, "every code must parse back (canonical() uses it)"
    with pytest.raises(KeyError):
        get_act("NOPE")
