"""Recall and precision of the automatic redaction of case studies, on the demo province.

Seeds the demo province (``app.demo.seed`` + ``seed_province``: the hand-made cases and
``--cases`` synthetic ones with hearings) in a temporary data directory, gives every
decided case a judgment whose text names its people the way judgments do (other
transliterations, capitals, titles, hyphens, CNICs without dashes, a phone number and a
house address: ``judgment_text``), then drafts a case study from every decided case
through the product's own service (``learning.case_studies.draft_case_study``).

Targets are what the case records themselves know: every party's name, alias and
parentage, CNIC, the FIR's place, and the spellings, phones and addresses its judgment
gives. A target is *found* if every occurrence of it in the drafted text is inside a
redaction. Precision = redacted spans that cover real personal data (a target, a number
of the case, or anything shaped like a CNIC or a mobile number) / all redacted spans.

Baseline, in the same run on the same texts: plain exact-string replacement of the
names, aliases, parent names and CNICs as the case record spells them.

    python bench/bench_redaction.py                 # 2,000 cases (the demo province)
    python bench/bench_redaction.py --cases 500     # quicker
    python bench/bench_redaction.py --data /tmp/p   # reuse a seeded directory

Exits non-zero if recall of known personal data is below 1.0.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bootstrap import build_kernel
from app.demo import PROVINCE_CASES, seed, seed_province
from casefiles.models import Case, CaseDocument, DocumentPage, Party
from learning.case_studies import DECIDED_STATES, draft_case_study
from learning.redaction import (
    CNIC_PATTERN,
    PHONE_PATTERN,
    Span,
    occurrences,
    target_found,
)
from legaltext.person_names import VARIANTS
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.clock import utc_naive_now
from mizan.kernel import Kernel
from mizan.settings import load_settings

AREAS = ("Lyari", "Korangi", "Orangi Town", "Latifabad", "Qasimabad", "Site Area", "Rohri")
FORMS = {canon: forms for canon, forms in VARIANTS.items()}


@dataclass
class Tally:
    targets: int = 0
    found: int = 0
    spans: int = 0
    true_spans: int = 0
    chars: int = 0
    true_chars: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    missed_by_kind: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.targets if self.targets else 1.0

    @property
    def precision(self) -> float:
        return self.true_spans / self.spans if self.spans else 1.0

    @property
    def char_precision(self) -> float:
        """Stricter: redacted characters that belong to personal data / all redacted."""
        return self.true_chars / self.chars if self.chars else 1.0


def open_kernel(data_dir: Path) -> Kernel:
    env = {
        "MIZAN_DATA_DIR": str(data_dir),
        "MIZAN_BROKER": f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}",
        "MIZAN_WARM_MODEL": "false",
    }
    return build_kernel(load_settings(env, env_file=None))


# -- a judgment that spells the people as judgments do ----------------------------------


def respell(name: str, rng: random.Random) -> str:
    """Another spelling the person index folds to the same key."""
    words = name.split()
    out = []
    for n, word in enumerate(words):
        low = word.lower().strip(".")
        choice = rng.random()
        if low in FORMS and choice < 0.6:
            form = rng.choice(FORMS[low]).capitalize()
            # Abbreviations take a dot inside a name ("Mohd. Aslam"), never at its end.
            dot = "." if form.lower() in ("mohd", "md", "muhd") and n < len(words) - 1 else ""
            out.append(form + dot)
        elif choice < 0.3 and any(v in word[1:] for v in "aeiou"):
            i = next(i for i in range(1, len(word)) if word[i] in "aeiou")
            out.append(word[: i + 1] + word[i:])  # "Aslam" -> "Aslaam"
        else:
            out.append(word)
    joiner = "-" if len(out) > 1 and rng.random() < 0.2 else " "
    text = joiner.join(out)
    style = rng.random()
    if style < 0.25:
        text = text.upper()
    elif style < 0.35:
        text = "Mr. " + text
    return text


def judgment_text(case: Case, rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """A judgment naming the case's people, and the (kind, phrase) targets it wrote."""
    targets: list[tuple[str, str]] = []
    paragraphs = [f"JUDGMENT\n\n{case.title}"]
    for party in case.parties:
        spelt = respell(party.name, rng)
        phone = rng.choice(("0{}-{}", "+92 {} {}", "0{}{}"))
        phone = phone.format(f"3{rng.randint(0, 49):02d}", f"{rng.randint(0, 9_999_999):07d}")
        address = f"House No. {rng.randint(1, 400)}, Street {rng.randint(1, 40)}, "
        address += rng.choice(AREAS)
        role = {"accused": "The accused", "complainant": "The complainant"}.get(
            party.role, "The witness"
        )
        text = f"{role} {spelt}"
        targets += [("name", spelt), ("phone", phone), ("address", address)]
        if party.parent_name:
            parent = respell(party.parent_name, rng)
            text += f" {party.relation or 's/o'} {parent}"
            targets.append(("parent", parent))
        text += f", r/o {address}; mobile phone {phone}"
        if party.cnic:
            digits = party.cnic.replace("-", "")
            text += f", CNIC {digits}"
            targets.append(("cnic", digits))
        text += ", was examined and the evidence was found consistent."
        if party.aliases:
            alias = party.aliases[0]
            text += f" {alias.upper()} is the name by which he was known; we considered it."
            targets.append(("alias", alias.upper()))
        paragraphs.append(text)
    paragraphs.append("Therefore, for the reasons recorded above, the case is decided.")
    return "\n\n".join(paragraphs), targets


def add_judgment(kernel: Kernel, case: Case, text: str) -> None:
    doc = CaseDocument(
        case_id=case.id,
        district=case.district,
        title="Judgment",
        filename="judgment.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        doc_type="judgment",
        state="ready",
        page_count=1,
        uploaded_by="system",
        uploaded_at=utc_naive_now(),
    )
    kernel.store.insert(doc)
    kernel.store.insert(DocumentPage(document_id=doc.id, number=1, text=text))


# -- measuring ------------------------------------------------------------------------


def record_targets(case: Case) -> list[tuple[str, str]]:
    """Personal data the case record itself holds (kind, phrase)."""
    out: list[tuple[str, str]] = []
    for party in case.parties:
        out.append(("name", party.name))
        out += [("alias", a) for a in party.aliases]
        if party.parent_name:
            out.append(("parent", party.parent_name))
        if party.cnic:
            out.append(("cnic", party.cnic))
        if party.protected and party.pseudonym:
            out.append(("pseudonym", party.pseudonym))
    if case.fir.place:
        out.append(("address", case.fir.place))
    return out


def case_numbers(case: Case) -> list[str]:
    fir = case.fir
    out = [case.reference, f"{fir.number}/{fir.year}", fir.police_station]
    out += [ref.raw or ref.number for ref in case.court_cases]
    return out


def is_true(text: str, span: Span, truths: list[tuple[int, int]]) -> bool:
    if any(a < span.end and span.start < b for a, b in truths):
        return True
    piece = text[span.start : span.end]
    return bool(CNIC_PATTERN.search(piece) or PHONE_PATTERN.search(piece))


def baseline_spans(text: str, parties: list[Party]) -> list[Span]:
    """Exact-string replacement of the names and CNICs as the record spells them."""
    spans: list[Span] = []
    for party in parties:
        for phrase in (party.name, *party.aliases, party.parent_name, party.cnic):
            if not phrase:
                continue
            start = text.find(phrase)
            while start >= 0:
                spans.append(Span(start, start + len(phrase), "name", "[X]"))
                start = text.find(phrase, start + len(phrase))
    return spans


def score(
    tally: Tally, text: str, spans: list[Span], targets: list[tuple[str, str]], numbers: list[str]
) -> None:
    for kind, phrase in targets:
        found = target_found(text, spans, phrase)
        if found is None:
            continue  # the target does not occur in this text
        tally.targets += 1
        tally.by_kind[kind] += 1
        if found:
            tally.found += 1
        else:
            tally.missed_by_kind[kind] += 1
            if len(tally.missed) < 15:
                tally.missed.append(f"{kind}: {phrase!r}")
    truths = [o for _k, p in targets for o in occurrences(text, p)]
    truths += [o for p in numbers for o in occurrences(text, p)]
    truths += [m.span() for m in CNIC_PATTERN.finditer(text)]
    truths += [m.span() for m in PHONE_PATTERN.finditer(text)]
    tally.spans += len(spans)
    tally.true_spans += sum(is_true(text, s, truths) for s in spans)
    personal = set().union(*(range(a, b) for a, b in truths)) if truths else set()
    for span in spans:
        tally.chars += span.end - span.start
        tally.true_chars += sum(1 for i in range(span.start, span.end) if i in personal)


def _line(name: str, t: Tally) -> str:
    return (
        f"{name} recall {t.recall:.4f}  precision {t.precision:.4f} "
        f"(by character {t.char_precision:.4f})  ({t.found:,}/{t.targets:,} targets; "
        f"{t.true_spans:,}/{t.spans:,} spans)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=PROVINCE_CASES)
    parser.add_argument("--data", type=Path, help="data directory (kept; reused if seeded)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    data_dir = args.data or Path(tempfile.mkdtemp(prefix="mizan-redaction-"))
    kernel = open_kernel(data_dir)
    started = time.perf_counter()
    seed(kernel)
    seed_province(kernel, args.cases)
    print(f"Demo province in {data_dir}: {kernel.store.count(Case):,} cases "
          f"(seeded in {time.perf_counter() - started:.1f} s).")  # fmt: skip
    trainer = actor_for(kernel.store.find_one(User, {"username": "trainer"}))
    decided = kernel.store.find(Case, {"state": {"$in": list(DECIDED_STATES)}})
    decided = [c for c in decided if c.outcome]
    ours, base = Tally(), Tally()
    draft_ms: list[float] = []
    for case in decided:
        judged = kernel.store.count(CaseDocument, {"case_id": case.id, "doc_type": "judgment"})
        # Seeded per case, so a reused data directory yields the same judgments and targets.
        text, written = judgment_text(case, random.Random(f"{args.seed}:{case.id}"))
        if not judged:
            add_judgment(kernel, case, text)
        t0 = time.perf_counter()
        study = draft_case_study(kernel, trainer, case.id)
        draft_ms.append((time.perf_counter() - t0) * 1000)
        source = study.source_text or ""
        spans = [Span(r.start, r.end, r.kind, r.label, r.locked) for r in study.redactions]
        targets = record_targets(case) + written
        score(ours, source, spans, targets, case_numbers(case))
        score(base, source, baseline_spans(source, list(case.parties)), targets, [])
    kernel.close()

    print(f"Decided cases drafted: {len(decided):,} "
          f"(median {sorted(draft_ms)[len(draft_ms) // 2]:.1f} ms per draft)")  # fmt: skip
    print(f"Targets occurring in the drafts: {ours.targets:,} "
          f"({', '.join(f'{k} {n:,}' for k, n in sorted(ours.by_kind.items()))})")  # fmt: skip
    print(_line("Mizan redaction:     ", ours))
    print(_line("Baseline exact names:", base))
    ratio = ours.recall / base.recall if base.recall else float("inf")
    print(f"Ratio (recall, Mizan / baseline): {ratio:.2f}x; "
          f"baseline misses by kind: {dict(base.missed_by_kind)}")  # fmt: skip
    if ours.missed:
        print("Missed by Mizan:", *ours.missed, sep="\n  ")
    return 0 if ours.recall == 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
