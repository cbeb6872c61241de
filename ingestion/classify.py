"""What kind of document a file is (FIR, challan, statement, ...), from weighted cue phrases.

Why cue phrases and not a trained model: there is no labelled set of Sindh case-file
documents to train on, and these documents announce themselves in a few set phrases
("First Information Report ... under section 154 Cr.P.C.", "challan u/s 173", "statement
u/s 161", "post-mortem", "Chemical Examiner", "order sheet", "in the result ... acquitted").
Each type has English, Urdu and Sindhi cues with weights; a cue in the heading (the first
:data:`HEAD_CHARS` characters, where the title of a form or an order sits) counts double,
and a cue repeated counts at most :data:`MAX_REPEATS` times. The best-scoring type wins if
it reaches :data:`MIN_SCORE`, else the document is "other". The matched cues are kept and
shown, so a clerk sees why, and a clerk's correction is kept next to the classifier's answer
so :func:`agreement` measures the classifier on real corrections.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from casefiles.letter_templates import LETTER_KINDS
from mizan.i18n import lazy_gettext as _l

__all__ = [
    "DOCUMENT_TYPES",
    "Agreement",
    "Classification",
    "agreement",
    "classify_text",
]

DOCUMENT_TYPES = {
    "fir": _l("FIR"),
    "challan": _l("Police report (challan)"),
    "statement": _l("Statement"),
    "medical": _l("Medical report"),
    "forensic": _l("Forensic report"),
    "order": _l("Order"),
    "judgment": _l("Judgment"),
    # Letters Mizan writes, uploaded back once edited (the classifier never picks these:
    # they have no cues; the upload sets them, see ingestion.letters).
    **LETTER_KINDS,
    "other": _l("Other"),
}

#: Characters at the top of the document where titles and form headings sit.
HEAD_CHARS = 600
MAX_REPEATS = 3
MIN_SCORE = 5.0

_CRPC = r"(?:of\s+(?:the\s+)?)?Cr\.?\s*P\.?\s*C\.?"
# Urdu/Sindhi digits are written either way; "١٥٤" / "۱۵۴" / "154".
_U154 = r"(?:154|۱۵۴|١٥٤)"
_U161 = r"(?:161|۱۶۱|١٦١)"
_U173 = r"(?:173|۱۷۳|١٧٣)"

#: type -> (label shown to the clerk, pattern, weight)
CUES: dict[str, list[tuple[str, str, float]]] = {
    "fir": [
        ("First Information Report", r"first\s+information\s+report", 5),
        ("FIR", r"\bF\.?\s?I\.?\s?R\b\.?", 1.5),
        ("s.154 CrPC", rf"(?:section|u/s|s\.)\s*154\b|\b154\s*{_CRPC}", 4),
        ("cognizable offence", r"cogni[sz]able\s+offen[cs]e", 2),
        ("time of occurrence", r"(?:date|time)\s+(?:and\s+time\s+)?of\s+occurrence", 2),
        ("police station", r"police\s+station|\bP\.\s?S\.", 1),
        ("complainant", r"\bcomplainant\b|\binformant\b", 1),
        ("ابتدائی اطلاعی رپورٹ", r"ابتدائی\s*اطلاعی\s*رپورٹ", 5),
        ("ایف آئی آر", r"ایف\s*آئی\s*آر|ايف\s*آءِ\s*آر", 3),
        ("دفعہ ۱۵۴", rf"دفعہ\s*{_U154}|{_U154}\s*ض\s*ف", 4),
        ("مقدمہ نمبر", r"مقدمہ\s*نمبر|مقدمو\s*نمبر", 2),
        ("تھانہ", r"تھانہ|ٿاڻو|ٿاڻي", 1),
        ("مدعی", r"مدعی|مدعي", 1),
    ],
    "challan": [
        ("s.173 CrPC", rf"(?:section|u/s|s\.)\s*173\b|\b173\s*{_CRPC}", 5),
        ("challan", r"\bchallan\b|\bchalan\b", 4),
        ("charge sheet", r"charge[\s-]?sheet", 4),
        ("interim/final report", r"\b(?:interim|final)\s+(?:report|challan)", 3),
        ("cancellation report", r"cancellation\s+report|\b[ABC][-\s]class\b", 3),
        ("sent up for trial", r"sent\s+up\s+(?:for\s+trial|to\s+face\s+trial)", 3),
        ("investigating officer", r"investigating\s+officer|\bI\.O\.", 1),
        ("list of witnesses", r"list\s+of\s+(?:prosecution\s+)?witnesses", 1.5),
        ("چالان", r"چالان|چالاڻ", 4),
        ("عبوری/حتمی چالان", r"(?:عبوری|حتمی)\s*چالان", 3),
        ("دفعہ ۱۷۳", rf"دفعہ\s*{_U173}", 5),
        ("تفتیشی افسر", r"تفتیشی\s*افسر", 1),
    ],
    "statement": [
        ("s.161 CrPC", rf"(?:section|u/s|s\.)\s*161\b|\b161\s*{_CRPC}", 5),
        ("s.164 CrPC", rf"(?:section|u/s|s\.)\s*164\b|\b164\s*{_CRPC}", 5),
        ("s.342 CrPC", rf"(?:section|u/s|s\.)\s*342\b|\b342\s*{_CRPC}", 4),
        ("statement of", r"statement\s+(?:of|under|u/s|recorded)", 3),
        ("stated that", r"\b(?:stated|states|deposed|depose)\s+that\b|\bon\s+oath\b", 2),
        ("examination", r"examination[\s-]in[\s-]chief|cross[\s-]examination", 3),
        ("بیان", r"بیان|بيان", 2),
        ("بیان زیر دفعہ ۱۶۱", rf"بیان\s*زیر\s*دفعہ\s*{_U161}|دفعہ\s*{_U161}", 4),
        ("حلفاً", r"حلفاً|حلفا", 2),
    ],
    "medical": [
        ("medico-legal", r"medico[\s-]?legal|\bM\.?L\.?C\b|\bM\.?L\.?O\b", 5),
        ("post-mortem", r"post[\s-]?mortem|autopsy", 5),
        ("cause of death", r"cause\s+of\s+death", 3),
        ("medical officer", r"medical\s+officer|casualty|\bhospital\b", 2),
        ("injuries", r"\binjur(?:y|ies)\b", 2),
        ("wound terms", r"lacerat|abrasion|fracture|\bwound|contusion|firearm\s+injury", 2),
        ("x-ray", r"\bx[\s-]?ray\b", 1),
        ("طبی معائنہ", r"طبی\s*معائنہ|میڈیکل|ميڊيڪل", 4),
        ("پوسٹ مارٹم", r"پوسٹ\s*مارٹم|پوسٽ\s*مارٽم", 5),
        ("زخم", r"زخم|زخمي", 2),
    ],
    "forensic": [
        ("forensic", r"forensic", 4),
        ("chemical examiner", r"chemical\s+examiner|chemical\s+analysis", 5),
        ("ballistics", r"ballistic|fire\s?arms?\s+expert|\bF\.?S\.?L\b|\bPFSA\b", 4),
        ("DNA", r"\bDNA\b", 4),
        ("laboratory", r"laborator(?:y|ies)|\blab\b\.?\s*no", 2),
        ("crime empties", r"crime\s+empt(?:y|ies)|\bempties\b|cartridge|casing", 2),
        ("sealed parcel", r"sealed\s+parcel|parcel\s+no|seals?\s+intact", 2),
        ("فرانزک", r"فرانزک|فارنزڪ", 4),
        ("کیمیکل ایگزامینر", r"کیمیکل\s*ایگزامینر", 5),
        ("لیبارٹری", r"لیبارٹری|ليبارٽري", 2),
    ],
    "order": [
        ("order sheet", r"order\s+sheet|\bORDER\b", 3),
        ("it is ordered", r"(?:is\s+)?hereby\s+ordered|it\s+is\s+ordered|\bordered\s+that\b", 3),
        ("adjourned", r"adjourned\s+to|put\s+up\s+on|case\s+called|to\s+come\s+up\s+on", 3),
        ("bail decided", r"bail\s+(?:is\s+)?(?:granted|refused|dismissed|allowed|cancelled)", 3),
        ("disposed of", r"disposed\s+of|stands\s+dismissed|is\s+allowed", 2),
        ("court officer", r"\bjudge\b|magistrate|\bJ\.M\b", 1),
        ("حکم", r"حکم\s*نامہ|حڪم|حکم", 3),
        ("تاریخ پیشی", r"تاریخ\s*پیشی", 2),
    ],
    "judgment": [
        ("judgment", r"\bjudge?ment\b", 4),
        (
            "in the result",
            r"in\s+the\s+result|for\s+the\s+reasons|points?\s+for\s+determination",
            4,
        ),
        (
            "conviction or acquittal",
            r"convicted\s+and\s+sentenced|\bacquitted\b|benefit\s+of\s+(?:the\s+)?doubt"
            r"|prosecution\s+has\s+(?:failed|proved)",
            4,
        ),
        ("reasonable doubt", r"beyond\s+(?:any\s+)?(?:shadow\s+of\s+)?(?:reasonable\s+)?doubt", 2),
        ("s.265-H/K CrPC", r"\b265[\s-]?[HK]\b|\b249[\s-]?A\b", 3),
        (
            "law reports",
            r"\bPLD\s+(?:19|20)\d\d|\b(?:19|20)\d\d\s+(?:SCMR|YLR|MLD|P\.?\s?Cr\.?\s?L\.?\s?J)",
            2,
        ),
        ("فیصلہ", r"فیصلہ|فيصلو", 4),
    ],
}

_COMPILED = {
    kind: [(label, re.compile(pattern, re.IGNORECASE), weight) for label, pattern, weight in cues]
    for kind, cues in CUES.items()
}


@dataclass(frozen=True)
class Classification:
    """The chosen type, its score, the cues that led to it, and every type's score."""

    doc_type: str
    score: float
    cues: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)


def classify_text(text: str) -> Classification:
    """Classify a document from its text (all pages joined)."""
    text = text or ""
    scores: dict[str, float] = {}
    matched: dict[str, list[str]] = {}
    for kind, cues in _COMPILED.items():
        total = 0.0
        for label, pattern, weight in cues:
            hits = [m.start() for m in pattern.finditer(text)][:MAX_REPEATS]
            if not hits:
                continue
            total += sum(weight * (2 if at < HEAD_CHARS else 1) for at in hits)
            matched.setdefault(kind, []).append(label)
        scores[kind] = round(total, 2)
    best = max(scores, key=lambda k: scores[k]) if scores else "other"
    if scores.get(best, 0.0) < MIN_SCORE:
        return Classification("other", scores.get(best, 0.0), (), scores)
    return Classification(best, scores[best], tuple(matched.get(best, ())), scores)


@dataclass(frozen=True)
class Agreement:
    """The classifier against clerks' decisions: ``confusion[(auto, clerk)]`` counts."""

    total: int
    correct: int
    confusion: dict[tuple[str, str], int]

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


def agreement(pairs: Iterable[tuple[str, str]]) -> Agreement:
    """Accuracy and confusion of (classifier's type, clerk's type) pairs."""
    confusion: Counter[tuple[str, str]] = Counter(pairs)
    total = sum(confusion.values())
    correct = sum(n for (auto, clerk), n in confusion.items() if auto == clerk)
    return Agreement(total, correct, dict(confusion))
