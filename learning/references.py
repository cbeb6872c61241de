"""Citations written in a lesson, resolved against the library and shown under it.

The citations are found with the library's one citation adapter
(``library.refs.refs_in``, over ``legaltext.law_reports``): ``s. 7 ATA`` and
``section 302 PPC`` name sections (stored as ``ppc:302``), ``PLD 2019 SC 64``
names a judgment (stored as the judgment's id when the library has it, else as
the canonical citation). Each section reference keeps the SHA-256 of the
section's text when the lesson was saved or published, so the reader can say
"this section has changed since the lesson was written" after an act is
re-imported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from learning.models import Reference
from library.models import Judgment, Section
from library.refs import refs_in
from mizan.kernel import Kernel
from mizan.storage import NotFoundError

#: References kept per lesson (a lesson citing more is a reading list, not a lesson).
MAX_REFERENCES = 100


def text_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def references_for(kernel: Kernel, *texts: str) -> list[Reference]:
    """The distinct citations in ``texts`` in order of first appearance, resolved now."""
    found: dict[tuple[str, str], Reference] = {}
    for text in texts:
        for ref in refs_in(text or ""):
            if ref.kind == "statute":
                if not ref.section_key:
                    continue
                key = ("section", ref.section_key)
                if key not in found:  # "302 PPC", not the bare "302" the span holds
                    found[key] = Reference(
                        kind="section", target=ref.section_key, cited_as=ref.canonical[:200]
                    )
            else:
                key = ("judgment", ref.canonical)
                if key not in found:
                    found[key] = Reference(
                        kind="judgment", target=ref.canonical, cited_as=ref.raw[:200]
                    )
            if len(found) >= MAX_REFERENCES:
                break
    refs = list(found.values())
    _resolve(kernel, refs)
    return refs


def _resolve(kernel: Kernel, refs: list[Reference]) -> None:
    """Hash each cited section's current text; point judgment citations at library ids."""
    section_ids = [r.target for r in refs if r.kind == "section"]
    sections = {s.id: s for s in kernel.store.find(Section, {"_id": {"$in": section_ids}})}
    for ref in refs:
        if ref.kind == "section" and ref.target in sections:
            ref.text_hash = text_hash(sections[ref.target].text)
        elif ref.kind == "judgment":
            judgment = kernel.store.find_one(Judgment, {"citation_keys": ref.target})
            if judgment is not None:
                ref.target = judgment.id


@dataclass(frozen=True)
class ShownReference:
    """One reference as the reader shows it under the lesson."""

    kind: str  # "section" | "judgment"
    cited_as: str
    found: bool  # the library has it
    title: str = ""
    text: str = ""  # the section's current text
    act_code: str = ""
    number: str = ""
    judgment_id: str = ""
    changed: bool = False  # the section's text differs from the one the lesson was written on


def shown_references(kernel: Kernel, refs: list[Reference]) -> list[ShownReference]:
    shown: list[ShownReference] = []
    for ref in refs:
        if ref.kind == "section":
            try:
                s = kernel.store.get(Section, ref.target)
            except NotFoundError:
                shown.append(ShownReference("section", ref.cited_as or ref.target, False))
                continue
            shown.append(
                ShownReference(
                    "section",
                    ref.cited_as or ref.target,
                    True,
                    title=f"{s.act_code.upper()} s. {s.number} — {s.heading or ''}".strip(" —"),
                    text=s.text or "",
                    act_code=s.act_code,
                    number=s.number,
                    changed=bool(ref.text_hash) and ref.text_hash != text_hash(s.text),
                )
            )
        else:
            j = kernel.store.find_one(Judgment, {"_id": ref.target}) or kernel.store.find_one(
                Judgment, {"citation_keys": ref.target}
            )
            if j is None:
                shown.append(ShownReference("judgment", ref.cited_as or ref.target, False))
            else:
                shown.append(
                    ShownReference(
                        "judgment",
                        ref.cited_as or ref.target,
                        True,
                        title=j.title,
                        judgment_id=j.id,
                    )
                )
    return shown
