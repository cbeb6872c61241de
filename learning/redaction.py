"""Automatic redaction of personal data in a case study drafted from a real case.

Two halves. ``case_targets`` lists what the case record itself knows about people: every
party's name and aliases in the person index's spellings, their parentage ("s/o" names),
CNICs, the place of the offence, the FIR (number and police station) and the court case
numbers. ``find_redactions`` then finds, in any text, every occurrence of those targets
and of what patterns alone reveal (CNICs, Pakistani mobile numbers, "r/o" addresses, FIR
and court case numbers), as spans with a kind and a replacement label that is the same
for one person across the whole study ("[Accused 1]").

Names are compared the way the person index compares them (``legaltext.person_names``):
case, punctuation, spacing ("Abdul-Ghaffar", "AbdulGhaffar"), honorifics ("Mst.", "Mr")
and transliteration ("Mohd. Husain" = "Muhammad Hussain") do not matter. A protected
witness's spans are ``locked``: the reviewer may not undo them.

Everything here is pure (text in, spans out) and must never raise on arbitrary text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from casefiles.models import Case
from casefiles.protected_identities import Identity
from legaltext.case_numbers import find_case_numbers
from legaltext.person_names import HONORIFICS, VARIANTS, name_key


def _word_list(text: str) -> list[str]:
    return text.split()


#: Kinds of redaction, each with the label its spans get when no person is known.
KINDS = {
    "accused": "Accused",
    "complainant": "Complainant",
    "witness": "Witness",
    "protected_witness": "Protected witness",
    "relative": "Relative",
    "person": "Person",
    "cnic": "CNIC",
    "phone": "Phone",
    "address": "Address",
    "fir": "FIR",
    "police_station": "Police station",
    "court_number": "Court case No.",
    "manual": "Redacted",
}
#: Kinds that name a person (the others are numbers and places).
PERSON_KINDS = frozenset(
    {"accused", "complainant", "witness", "protected_witness", "relative", "person"}
)
#: Name parts too common to identify anyone on their own ("Muhammad", "Khan"): a lone
#: mention of one of these is not taken for a party.
COMMON_PARTS = frozenset(
    {name_key(v) for v in VARIANTS}
    | {
        name_key(w)
        for w in _word_list(
            "ali shah bibi begum bux baksh din ullah allah ud uddin ur ul al el bin "
            "jan gul mir noor nur khatoon sahib state police court station unknown "
            "accused witness complainant the and son wife daughter"
        )
    }
)


#: Titles that are part of how a name is written but not needed to recognise it.
_TITLE_FOLDS = frozenset({name_key("Syed")})


@dataclass(frozen=True)
class Target:
    """One thing to redact wherever it appears: a person's spellings, a number, a place."""

    kind: str
    label: str
    #: Every spelling known ("Shahid", "Shoda", "Shahid @ Shoda").
    phrases: tuple[str, ...]
    locked: bool = False
    #: Distinctive single words of the person's names ("Aslam") also redacted alone.
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """A redaction found in a text: ``text[start:end]`` becomes ``label``."""

    start: int
    end: int
    kind: str
    label: str
    locked: bool = False


@dataclass
class _Token:
    start: int
    end: int
    fold: str  # the person index's folded spelling; "" for an honorific
    skeleton: str = field(init=False)

    def __post_init__(self) -> None:
        self.skeleton = _squash(self.fold)


@dataclass
class _Name:
    target: Target
    folds: tuple[str, ...]
    squashed: str = field(init=False)
    skeletons: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.squashed = _squash("".join(self.folds))
        self.skeletons = tuple(_squash(f) for f in self.folds)

    def word_matches(self, k: int, token: _Token) -> bool:
        """Word ``k`` of the name is ``token``: the same fold or, inside a name of two
        words or more, the same skeleton ("Rasheed" ~ "Rashid", which folding keeps
        apart)."""
        if token.fold == self.folds[k]:
            return True
        return len(self.folds) > 1 and len(token.fold) >= 4 and token.skeleton == self.skeletons[k]


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
CNIC_PATTERN = re.compile(r"(?<![\d-])\d{5}[\s-]?\d{7}[\s-]?\d(?![\d-])")
PHONE_PATTERN = re.compile(
    r"(?<![\d+])(?:(?:\+|00)?\s?92[\s-]?|0)3\d{2}[\s-]?\d{3}[\s-]?\d{4}(?!\d)"
)
#: "FIR No. 189/2024", "F.I.R. 12 of 2025", "Crime No. 14/2023".
FIR_PATTERN = re.compile(
    r"\b(?:F\.?\s?I\.?\s?R\.?|Crime)\s*(?:No\.?|Number|#)?\s*:?\s*\d{1,6}\s*(?:/|of)\s*\d{2,4}\b",
    re.IGNORECASE,
)
#: "r/o House No. 4, Lyari": up to the end of the clause.
ADDRESS_PATTERN = re.compile(
    r"\b(?i:r/o|resident of|residing at)\s+[^;\n()]{2,120}?"
    r"(?=\.\s+[A-Z(]|\.?\s*$|[;\n()]|,\s*(?:[a-z]/o|who|whose|which|where|when|and|was|is|were|had|has)\b)",
)
#: "Muhammad Arif s/o Ghulam Nabi": a name with its parentage, known to the case or not.
_CAPITALISED = r"(?:[A-Z][a-z]+\.?\s+){0,3}[A-Z][a-z]+"
PARENTAGE_PATTERN = re.compile(rf"\b({_CAPITALISED})\s+(?:s/o|d/o|w/o)\s+({_CAPITALISED})")
#: "his brother Muhammad Arif", "the deceased Nadia": a relative or victim named in passing.
KIN_PATTERN = re.compile(
    r"\b(?i:brother|sister|son|daughter|father|mother|wife|husband|cousin|nephew|niece|uncle|"
    r"aunt|deceased|victim|injured)\s+(" + r"(?:[A-Z][a-z]+\.?\s+){0,2}[A-Z][a-z]+" + r")"
)


#: Abbreviations of name parts written in FIRs ("Gh. Nabi" is "Ghulam Nabi").
_ABBREVIATIONS = {"gh": name_key("Ghulam"), "abd": name_key("Abdul")}


def _fold_word(word: str) -> str:
    """One word as the person index folds it ("" for honorifics and non-Latin words)."""
    key = name_key(word)
    return _ABBREVIATIONS.get(key, key)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _squash(text: str) -> str:
    """Spelling skeleton for joined/split names: no doubled letters, no inner vowels."""
    text = text[:1] + re.sub(r"[aeiouy]", "", text[1:])
    return re.sub(r"(.)\1+", r"\1", text)


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), _fold_word(m.group())) for m in _WORD.finditer(text)]


def _phrase_folds(phrase: str) -> tuple[str, ...]:
    """A spelling's folded words without titles: "Syed Ali Shah" is also "Ali Shah"."""
    words = (_ABBREVIATIONS.get(w, w) for w in name_key(phrase).split())
    return tuple(w for w in words if w not in _TITLE_FOLDS)


#: What may stand between the parts of one name written split: a space or a hyphen.
_GAP = re.compile(r"[ \t-]{1,2}")


def _match_at(text: str, tokens: list[_Token], i: int, name: _Name) -> int | None:
    """Index of the last token of ``name`` starting at token ``i``, or None."""
    folds = name.folds
    # Word by word, honorifics in between skipped ("Muhammad Mr Aslam" is not a name, but
    # "Mst. Zainab" is "Zainab"): the common case.
    j, k = i, 0
    while j < len(tokens) and k < len(folds):
        if not name.word_matches(k, tokens[j]):
            break
        j, k = j + 1, k + 1
    if k == len(folds) and k > 0:
        return j - 1
    # Joined or split spellings ("AbdulGhaffar", "Abdul Ghaf far"): compare skeletons.
    if len(name.squashed) < 4:
        return None
    joined = ""
    for j in range(i, min(i + len(folds) + 2, len(tokens))):
        if len(tokens[j].fold) < 2:
            return None  # "s/o Imran" is not "Saima Mirani" run together
        if j > i and not _GAP.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
            return None
        joined += tokens[j].fold
        squashed = _squash(joined)
        if squashed == name.squashed and j - i + 1 != len(folds):
            return j
        if not name.squashed.startswith(squashed):
            return None
    return None


def _honorific_start(text: str, tokens: list[_Token], i: int) -> int:
    """Start of the span for a name at token ``i``, taking in titles before it ("Mst.")."""
    start = tokens[i].start
    while i > 0 and tokens[i - 1].end + 3 >= tokens[i].start:
        word = text[tokens[i - 1].start : tokens[i - 1].end].lower()
        if word not in HONORIFICS and tokens[i - 1].fold not in _TITLE_FOLDS:
            break
        i -= 1
        start = tokens[i].start
    return start


def _name_spans(text: str, targets: Sequence[Target]) -> list[Span]:
    tokens = _tokens(text)
    names = [
        _Name(t, folds)
        for t in targets
        if t.kind in PERSON_KINDS
        for folds in {_phrase_folds(p) for p in t.phrases if not _has_digit(p)}
        if folds
    ]
    names.sort(key=lambda n: -len(n.folds))  # the longest spelling wins at one place
    words: dict[str, Target] = {}
    owners: dict[str, set[str]] = {}
    for t in targets:
        for w in t.words:
            owners.setdefault(w, set()).add(t.label)
            words.setdefault(w, t)
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].fold:
            i += 1
            continue
        for name in names:
            last = _match_at(text, tokens, i, name)
            if last is not None:
                t = name.target
                start = _honorific_start(text, tokens, i)
                spans.append(Span(start, tokens[last].end, t.kind, t.label, t.locked))
                i = last + 1
                break
        else:
            fold = tokens[i].fold
            target = words.get(fold)
            capital = text[tokens[i].start : tokens[i].start + 1].isupper()
            if target is not None and capital and len(owners[fold]) == 1:
                start = _honorific_start(text, tokens, i)
                spans.append(Span(start, tokens[i].end, target.kind, target.label, target.locked))
            i += 1
    return spans


def _flexible(phrase: str) -> re.Pattern[str] | None:
    """A phrase matched whatever its case, spacing and punctuation ("PS  Boat-Basin")."""
    parts = re.findall(r"[^\W_]+", phrase)
    if not parts:
        return None
    body = r"[\W_]{0,3}".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def _phrase_spans(text: str, targets: Sequence[Target]) -> list[Span]:
    spans: list[Span] = []
    for t in targets:
        for phrase in t.phrases:
            if t.kind in PERSON_KINDS and not _has_digit(phrase):
                continue  # names are matched word by word (_name_spans)
            pattern = _flexible(phrase)
            if pattern is None:
                continue
            spans += [
                Span(m.start(), m.end(), t.kind, t.label, t.locked) for m in pattern.finditer(text)
            ]
    return spans


def _pattern_spans(text: str, *, current_year: int) -> list[Span]:
    spans = [Span(m.start(), m.end(), "cnic", "[CNIC]") for m in CNIC_PATTERN.finditer(text)]
    spans += [Span(m.start(), m.end(), "phone", "[Phone]") for m in PHONE_PATTERN.finditer(text)]
    spans += [Span(m.start(), m.end(), "fir", "[FIR]") for m in FIR_PATTERN.finditer(text)]
    spans += [
        Span(m.start(), m.end(), "address", "[Address]") for m in ADDRESS_PATTERN.finditer(text)
    ]
    for _number, start, end in find_case_numbers(text, current_year=current_year):
        spans.append(Span(start, end, "court_number", "[Court case No.]"))
    return spans


def _parentage_spans(text: str, known: list[Span]) -> list[Span]:
    """People the case record does not know, named with a parentage or as a relative or
    victim ("[Person 1]")."""
    covered = [(s.start, s.end) for s in known]
    spans: list[Span] = []
    labels: dict[str, str] = {}
    groups = [(m, g) for m in PARENTAGE_PATTERN.finditer(text) for g in (1, 2)]
    groups += [(m, 1) for m in KIN_PATTERN.finditer(text)]
    for m, group in sorted(groups, key=lambda mg: mg[0].start(mg[1])):
        start, end = m.span(group)
        # Drop leading words that are not names ("The complainant Muhammad Iqbal").
        words = list(re.finditer(r"\S+", m.group(group)))
        while words and words[0].group().lower().strip(".") in _NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        start = m.start(group) + words[0].start()
        if any(a < end and start < b for a, b in covered):
            continue
        key = name_key(text[start:end])
        if not key:
            continue
        label = labels.setdefault(key, f"[Person {len(labels) + 1}]")
        spans.append(Span(start, end, "person", label))
    return spans


_NOT_NAMES = frozenset(
    _word_list(
        "the a an one his her their its accused complainant witness deceased victim injured "
        "mashir said named one applicant appellant petitioner respondent and that by of "
        "against with from to one whereas when while"
    )
)


def _resolve(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans in text order; at one place the longest (then locked) wins."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start), not s.locked))
    out: list[Span] = []
    for span in ordered:
        if span.end <= span.start:
            continue
        if out and span.start < out[-1].end:
            last = out[-1]
            if span.end > last.end and (span.end - span.start) > (last.end - last.start):
                # A longer span that starts inside the previous one: join them.
                merged_locked = last.locked or span.locked
                out[-1] = Span(last.start, span.end, last.kind, last.label, merged_locked)
            elif span.locked and not last.locked:
                out[-1] = Span(last.start, last.end, span.kind, span.label, True)
            continue
        out.append(span)
    return out


_JOINER = re.compile(r"\s*(?:@|\balias\b|\burf\b|\ba\.?k\.?a\.?)?\s*", re.IGNORECASE)


def _join_aliases(text: str, spans: list[Span]) -> list[Span]:
    """ "[Accused 1] alias [Accused 1]" -> one span: "Shahid alias Shoda" is one person."""
    out: list[Span] = []
    for span in spans:
        last = out[-1] if out else None
        if (
            last is not None
            and last.label == span.label
            and span.kind in PERSON_KINDS
            and _JOINER.fullmatch(text[last.end : span.start])
        ):
            out[-1] = Span(last.start, span.end, last.kind, last.label, last.locked or span.locked)
        else:
            out.append(span)
    return out


def find_redactions(
    text: str,
    targets: Sequence[Target] = (),
    *,
    current_year: int = 2100,
    unknown_parentage: bool = True,
) -> list[Span]:
    """Every span of ``text`` to redact: the known ``targets`` and what patterns reveal."""
    text = text or ""
    known = _name_spans(text, targets) + _phrase_spans(text, targets)
    found = known + _pattern_spans(text, current_year=current_year)
    if unknown_parentage:
        found += _parentage_spans(text, found)
    return _join_aliases(text, _resolve(found))


def apply_redactions(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span replaced by its label (spans must not overlap)."""
    out: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < pos:
            continue
        out.append(text[pos : span.start])
        out.append(span.label)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def phrase_spans(text: str, phrase: str, label: str, kind: str = "manual") -> list[Span]:
    """Every occurrence of ``phrase`` (a reviewer's own addition), however spaced or cased."""
    pattern = _flexible(phrase)
    if pattern is None:
        return []
    return [Span(m.start(), m.end(), kind, label) for m in pattern.finditer(text or "")]


# -- the targets a case record knows ---------------------------------------------------


def _distinct_words(names: Iterable[str]) -> tuple[str, ...]:
    words = {w for n in names for w in name_key(n).split() if len(w) >= 3 and w not in COMMON_PARTS}
    return tuple(sorted(words))


def case_targets(case: Case, identities: Mapping[str, Identity] | None = None) -> list[Target]:
    """What the case record knows about its people, places and numbers, labelled.

    Accused, complainants and witnesses are numbered in the order the case lists them;
    a parent named in a parentage becomes "[Father of Accused 1]". Protected witnesses
    are locked (always redacted), their pseudonym included; their true names come from
    ``identities`` (opened from the sealed record), as the stored party holds only the
    pseudonym.
    """
    identities = identities or {}
    counts: dict[str, int] = {}
    totals: dict[str, int] = {}
    for party in case.parties:
        kind = "protected_witness" if party.protected else party.role
        totals[kind] = totals.get(kind, 0) + 1
    targets: list[Target] = []
    for party in case.parties:
        kind = "protected_witness" if party.protected else party.role
        counts[kind] = counts.get(kind, 0) + 1
        noun = KINDS.get(kind, "Person")
        # A case has usually one complainant: "[Complainant]"; the others are numbered.
        alone = kind == "complainant" and totals[kind] == 1
        label = f"[{noun}]" if alone else f"[{noun} {counts[kind]}]"
        who = identities.get(party.id, party)
        names = [who.name, *who.aliases]
        phrases = [*names, *(f"{who.name} @ {a}" for a in who.aliases)]
        if party.protected and party.pseudonym:
            phrases.append(party.pseudonym)
        targets.append(
            Target(kind, label, tuple(dict.fromkeys(phrases)), party.protected,
                   _distinct_words(names))
        )  # fmt: skip
        if who.parent_name:
            relation = "Husband" if who.relation == "w/o" else "Father"
            targets.append(
                Target(
                    "relative",
                    f"[{relation} of {label.strip('[]')}]",
                    (who.parent_name,),
                    party.protected,
                    _distinct_words([who.parent_name]),
                )
            )
        if who.cnic:
            digits = re.sub(r"\D", "", who.cnic)
            targets.append(Target("cnic", "[CNIC]", (who.cnic, digits), party.protected))
    fir = case.fir
    if fir is not None:
        station = fir.police_station or ""
        numbers = (
            f"FIR {fir.number}/{fir.year}",
            f"FIR No. {fir.number}/{fir.year}",
            f"FIR No. {fir.number} of {fir.year}",
            f"{fir.number}/{fir.year}",
        )
        targets.append(Target("fir", "[FIR]", (case.reference, *numbers)))
        if station:
            targets.append(
                Target(
                    "police_station",
                    "[Police station]",
                    (
                        f"PS {station}",
                        f"P.S. {station}",
                        f"Police Station {station}",
                        f"{station} police station",
                    ),
                )
            )
        if fir.place:
            targets.append(Target("address", "[Place]", (fir.place,)))
    for ref in case.court_cases:
        targets.append(
            Target("court_number", "[Court case No.]", tuple({ref.number, ref.raw or ref.number}))
        )
    return targets


# -- measuring (tests and bench/bench_redaction.py) -------------------------------------


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in ``text`` as written, ignoring only case and spacing."""
    words = (phrase or "").split()
    if not words:
        return []
    body = r"\s+".join(re.escape(w) for w in words)
    pattern = re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text or "")]


def is_covered(start: int, end: int, spans: Sequence[Span]) -> bool:
    """Is every character of ``[start, end)`` inside a redaction?"""
    pos = start
    for span in sorted(spans, key=lambda s: s.start):
        if span.start <= pos < span.end:
            pos = span.end
        if pos >= end:
            return True
    return pos >= end


def target_found(text: str, spans: Sequence[Span], phrase: str) -> bool | None:
    """True if every occurrence of ``phrase`` is redacted; None if it does not occur."""
    found = occurrences(text, phrase)
    if not found:
        return None
    return all(is_covered(a, b, spans) for a, b in found)
