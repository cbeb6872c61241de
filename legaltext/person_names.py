"""Names as written in FIRs, reduced to a key that survives transliteration.

"Muhammad Hussain", "Mohd. Husain" and "MOHAMMAD HUSSEIN" are one person to a
prosecutor; the key makes them one to Mizan. Honorifics ("Mst.", "Syed" is
kept: it is part of the name) are dropped, known variants mapped to one
spelling, and the remaining spelling folded (doubled letters, ee/i, oo/u).
Aliases ("Shahid @ Shoda", "alias Shoda") are split off.
"""

from __future__ import annotations

import re
import unicodedata

#: Spelling variants of common name parts -> one form.
VARIANTS = {
    "muhammad": (
        "mohammad",
        "mohammed",
        "muhammed",
        "mohamed",
        "muhamad",
        "mohd",
        "md",
        "muhd",
        "mohamad",
        "mohammod",
    ),
    "hussain": ("husain", "hussein", "hossain", "husein", "hussan"),
    "hassan": ("hasan",),
    "syed": ("sayed", "sayyid", "seyed", "sayyed", "saiyed"),
    "shaikh": ("sheikh", "shaykh", "sheik", "shaik"),
    "abdul": ("abd", "abdel", "abdal", "abdool"),
    "rahman": ("rehman", "rahmaan"),
    "ghulam": ("gulam", "golam"),
    "khan": ("kan",),
    "ahmed": ("ahmad", "ehmad"),
    "zulfiqar": ("zulfikar", "zulfiqar", "zulfiquar"),
    "nabi": ("nabbi",),
    "iqbal": ("ikbal",),
    "qureshi": ("qurashi", "kureshi", "qureishi"),
    "chaudhry": ("chaudhary", "choudhary", "chaudhri", "chowdhury"),
}
_CANONICAL = {variant: canon for canon, forms in VARIANTS.items() for variant in forms}
HONORIFICS = frozenset(
    {"mst", "mr", "mrs", "ms", "miss", "dr", "haji", "hafiz", "mian", "master", "mohtarma", "janab"}
)
_ALIAS = re.compile(r"\s*(?:@|\balias\b|\ba\.k\.a\.?|\bur(?:f|af)\b)\s*", re.IGNORECASE)
_RELATION = re.compile(r"\b(?:s/o|d/o|w/o|son of|daughter of|wife of)\b", re.IGNORECASE)


def split_aliases(name: str) -> tuple[str, list[str]]:
    """``"Shahid @ Shoda alias Kala"`` -> ``("Shahid", ["Shoda", "Kala"])``."""
    parts = [p.strip(" ,.") for p in _ALIAS.split(name) if p.strip(" ,.")]
    return (parts[0], parts[1:]) if parts else ("", [])


def _fold(token: str) -> str:
    token = _CANONICAL.get(token, token)
    if token in VARIANTS:
        return token
    token = re.sub(r"(.)\1+", r"\1", token)  # doubled letters: "Abbas" ~ "Abas"
    token = token.replace("ee", "i").replace("oo", "u").replace("ou", "u")
    return re.sub(r"(?<=.)[aeiou]$", "", token) or token  # "Raza" ~ "Raz", "Memona" ~ "Memon"


def name_key(name: str) -> str:
    """The comparison key of one name (no alias, no parentage)."""
    name = _RELATION.split(name)[0]
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    tokens = [t for t in re.findall(r"[a-z]+", text) if t not in HONORIFICS]
    return " ".join(_fold(t) for t in tokens)


def parse_parentage(text: str) -> tuple[str | None, str | None]:
    """``"Aslam s/o Muhammad Akram"`` -> ``("s/o", "Muhammad Akram")``."""
    match = _RELATION.search(text)
    if not match:
        return None, None
    relation = match.group(0).lower()
    relation = {"son of": "s/o", "daughter of": "d/o", "wife of": "w/o"}.get(relation, relation)
    rest = text[match.end() :].strip(" ,.")
    rest = re.split(r"\b(?:by caste|caste|r/o|resident of)\b", rest, flags=re.IGNORECASE)[0]
    return relation, rest.strip(" ,.") or None


CNIC = re.compile(r"^\d{5}-\d{7}-\d$")


def normalise_cnic(raw: str) -> str | None:
    """``"4210112345671"`` -> ``"42101-1234567-1"``; None unless there are 13 digits."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) != 13:
        return None
    return f"{digits[:5]}-{digits[5:12]}-{digits[12]}"
