"""Names match across transliteration variants, aliases and parentage."""

from __future__ import annotations

import pytest

from legaltext.person_names import name_key, normalise_cnic, parse_parentage, split_aliases


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Hussain", "Mohd. Husain"),
        ("MOHAMMAD HUSSEIN", "Muhammed Hussain"),
        ("Syed Ali Raza", "Sayed Ali Raza"),
        ("Shaikh Abdul Rehman", "Sheikh Abdul Rahman"),
        ("Mst. Zubaida", "Zubaida"),
        ("Abbas", "Abas"),
        ("Ghulam Nabi", "Gulam Nabbi"),
    ],
)
def test_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Muhammad Aslam", "Muhammad Akram"), ("Ali", "Alam"), ("Hassan", "Hussain")]
)
def test_different_names_differ(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_aliases_are_split_off() -> None:
    assert split_aliases("Shahid @ Shoda") == ("Shahid", ["Shoda"])
    assert split_aliases("Shahid alias Shoda @ Kala") == ("Shahid", ["Shoda", "Kala"])
    assert split_aliases("Imran") == ("Imran", [])


def test_parentage_and_caste() -> None:
    assert parse_parentage("Aslam s/o Muhammad Akram by caste Jatoi") == ("s/o", "Muhammad Akram")
    assert parse_parentage("Mst. Zubaida w/o Ghulam Nabi, r/o Makli") == ("w/o", "Ghulam Nabi")
    assert parse_parentage("Aslam") == (None, None)
    assert name_key("Aslam s/o Akram") == name_key("Aslam")


def test_cnic_normalisation() -> None:
    assert normalise_cnic("4210112345671") == "42101-1234567-1"
    assert normalise_cnic("42101-1234567-1") == "42101-1234567-1"
    assert normalise_cnic("42101-123456-1") is None
    assert normalise_cnic("") is None
