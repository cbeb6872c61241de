"""Search normalisation: the folding rules of domain notes section 6."""

from __future__ import annotations

import pytest

from legaltext.search_terms import MAX_TOKEN_CHARS, normalize_text, terms, tokenize


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Murder CASE", "murder case"),
        ("مُقَدَّمَہ", "مقدمہ"),  # harakat and shadda stripped
        ("مقدمـــہ", "مقدمہ"),  # tatweel stripped
        ("اعلیٰ", "اعلی"),  # superscript alef stripped
        ("۱۲۳/۲۰۱۱", "123/2011"),  # Urdu/Persian digits
        ("٤٥٦", "456"),  # Arabic-Indic digits
        ("علي", "علی"),  # Arabic yeh -> Urdu yeh
        ("على", "علی"),  # alef maksura -> Urdu yeh
        ("كتاب", "کتاب"),  # Arabic kaf -> keheh
        ("Café", "cafe"),
        ("\ufeeb\ufeea", "هه"),  # presentation forms from PDF extraction
    ],
)
def test_folds(raw: str, folded: str) -> None:
    assert normalize_text(raw) == folded


def test_sindhi_swash_kaf_is_never_folded() -> None:
    # ڪ is "k" and ک is "kh" in Sindhi: folding them would merge different words.
    assert normalize_text("ڪ") == "ڪ"
    assert normalize_text("ڪ") != normalize_text("ک")
    assert normalize_text("ك") == normalize_text("ک")


def test_heh_forms_stay_distinct() -> None:
    hehs = ["ہ", "ه", "ھ", "ۂ", "ۃ", "ة"]
    assert len({normalize_text(h) for h in hehs}) == len(hehs)


def test_yeh_barree_and_hamza_stay_distinct() -> None:
    assert normalize_text("ے") != normalize_text("ی")
    assert normalize_text("ئ") != normalize_text("ی")
    # a combining hamza after Urdu yeh is the letter ئ, not a diacritic to drop
    assert normalize_text("گی\u0654ے") == normalize_text("گئے")


def test_idempotent() -> None:
    text = "مُقدّمہ نمبر ۱۲۳ علي كتاب ڪتاب Café"
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_tokenize_keeps_original_offsets() -> None:
    text = "FIR مُقدّمہ ۲۰۱۱, Karachi"
    toks = tokenize(text)
    assert [t.term for t in toks] == ["fir", "مقدمہ", "2011", "karachi"]
    assert [text[t.start : t.end] for t in toks] == ["FIR", "مُقدّمہ", "۲۰۱۱", "Karachi"]


def test_punctuation_splits_words() -> None:
    assert terms("s.302/34 P.P.C. 18.04.2011 s_o") == [
        "s", "302", "34", "p", "p", "c", "18", "04", "2011", "s", "o",
    ]  # fmt: skip


def test_joiners_do_not_split_words() -> None:
    assert terms("می\u200cخواهم") == terms("میخواهم")


def test_overlong_tokens_are_dropped() -> None:
    assert terms("a" * (MAX_TOKEN_CHARS + 1) + " ok") == ["ok"]
