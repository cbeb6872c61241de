"""Acts as a tree: Act -> chapters -> sections -> provisions (subsections, clauses,
explanations, illustrations, provisos), read from Markdown or plain text with section headings.

Statute texts in circulation are conversions of printed gazettes, so the reader is forgiving
where the source is (``ppc.md`` is the model): a heading may be ``### Section 302. Title``,
``# 375. Rape:-``, a plain ``223. Escape from ...:`` line, or ``### Section 337- Jurh:`` with
the section's letter printed at the start of its body (``**B.**``). A plain numbered line is a
heading only when its number continues the sequence, so numbered subsections ("1. Whoever")
are not mistaken for sections; a repeated section (the same block pasted twice) is kept once
and reported in ``Act.warnings``.

Amendment markers are removed from the text first and kept as ``Amendment`` spans on the
node (``legaltext.statute_amendments``), so a page can render them (``readable()`` gives
``[text]¹`` and ``[omitted]⁸``). Cross-references ("section 302", "Sections 309, 310 and 338-E") are
found with the shared section grammar of ``legaltext.section_refs``.

API: ``parse_act(text, code=..., title=...) -> Act``; ``Act.sections`` (document order),
``Act.section("302")``; ``Section.provisions`` (nested ``Provision``), ``Section.references``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from legaltext.section_refs import find_cross_references
from legaltext.statute_amendments import (
    Amendment,
    amendments_in_chunk,
    amendments_in_span,
    render_readable,
    strip_amendments,
)

__all__ = [
    "Act",
    "Chapter",
    "CrossReference",
    "Provision",
    "Section",
    "parse_act",
    "section_sort_key",
]


@dataclass(frozen=True)
class CrossReference:
    """A reference from a section's text to another section of the same act (or, when
    ``act`` differs, of another known act)."""

    act: str
    section: str
    subsections: tuple[str, ...]
    raw: str
    start: int
    end: int


@dataclass
class Provision:
    """A part of a section: ``kind`` is "subsection" ("(1)"), "clause" ("(a)"), "subclause"
    ("(i)"), "explanation", "illustration", "proviso" or "text" (unlabelled paragraph)."""

    kind: str
    label: str
    text: str
    amendments: list[Amendment] = field(default_factory=list)
    children: list[Provision] = field(default_factory=list)

    def readable(self) -> str:
        return render_readable(self.text, self.amendments)


@dataclass
class Section:
    """One section. ``number`` is canonical ("302", "337-A"); ``text`` the whole body without
    amendment markers (``amendments`` index into it); ``group`` the sub-heading it sits under
    ("Of Rape"); ``letter_inferred`` marks a suffix that the source did not print."""

    number: str
    title: str
    text: str
    chapter: str = ""
    group: str = ""
    amendments: list[Amendment] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    references: list[CrossReference] = field(default_factory=list)
    letter_inferred: bool = False

    def readable(self) -> str:
        return render_readable(self.text, self.amendments)

    def walk(self) -> Iterator[Provision]:
        stack = list(reversed(self.provisions))
        while stack:
            p = stack.pop()
            yield p
            stack.extend(reversed(p.children))


@dataclass
class Chapter:
    number: str  # "XVI-A"; "" for sections before the first chapter heading
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Act:
    code: str
    title: str
    preamble: str
    chapters: list[Chapter]
    warnings: list[str] = field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        return [s for c in self.chapters for s in c.sections]

    def section(self, number: str) -> Section | None:
        key = normalise_section_number(number)
        for s in self.sections:
            if s.number == key:
                return s
        return None


# ---------------------------------------------------------------------------------------------
# Headings

_HEADING = re.compile(
    r"^[ \t]*(?P<hashes>#{1,6})?[ \t]*(?:\*\*)?[ \t]*\"?[ \t]*"
    r"(?P<word>Section[ \t]+|Sec\.[ \t]*)?"
    r"(?P<num>\d{1,3})(?!\d)"
    r"(?:[ \t]*-[ \t]*(?P<l1>[A-Z]{1,2})\b|(?P<l2>[A-Z]{1,2})\b)?"
    r"[ \t]*(?P<sep>[.\-:–—])?[ \t]*(?P<title>.*?)[ \t]*$"
)
_CHAPTER = re.compile(
    r"^[ \t]*#{0,6}[ \t]*(?:\*\*)?CHAPTER[ \t]+(?P<num>[IVXLC]+(?:[ \t]*-[ \t]*[A-Z])?)\b"
    r"\.?[ \t]*(?P<title>.*?)(?:\*\*)?[ \t]*$",
    re.IGNORECASE,
)
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*(?P<text>.+?)[ \t]*$")
_BOLD_GROUP = re.compile(r"^[ \t]*\*\*(?P<text>Of [^*]{2,120})\*\*[ \t]*$")
_ILLUSTRATION_HEAD = re.compile(r"^\W*Illustrations?\W*$", re.IGNORECASE)
_BODY_LETTER = re.compile(r"^[ \t]*(?:\*\*)?[ \t]*(?P<l>[A-Z])(?:\.|\b)[ \t]*(?:\*\*)?[ \t]*")
_PAGE_RULE = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})?[ \t]*$")


def normalise_section_number(raw: str) -> str:
    """ "337 A", "337a", "337-a" -> "337-A"; "052" -> "52"."""
    m = re.fullmatch(r"\s*0*(\d+)\s*-?\s*([A-Za-z]{0,2})\s*", raw)
    if m is None:
        return raw.strip()
    return f"{m[1]}-{m[2].upper()}" if m[2] else m[1]


def section_sort_key(number: str) -> tuple[int, str]:
    base, _, suffix = number.partition("-")
    return int(base), suffix.rjust(2)


def _clean_title(title: str) -> str:
    """Without Markdown emphasis and closing punctuation; defined terms keep their quotes
    ('"Man", "Woman"'), a stray unbalanced quote from the conversion is dropped."""
    title = re.sub(r"\*\*|__", "", title)
    title = re.sub(r"\s+", " ", title).strip()
    title = re.sub(r"\s*[:.\-–—]+\s*$", "", title).strip()
    if title.count('"') % 2:
        title = title.strip('"').strip()
    return title


@dataclass
class _Head:
    line: int
    number: str
    title: str
    dangling: bool  # "Section 337- Jurh": the letter is printed in the body
    body_col: int | None = None  # "1. Short title.- (1) This Act ...": body starts on the line


# "Short title and commencement.-(1) This Act ..." (pakistancode.gov.pk style): the title ends
# at the first ".-", ".—" or ":-" and the body follows on the same line.
_INLINE_BODY = re.compile(r"^(?P<title>[^\n]{2,200}?)[.:][ \t]*[-—–]{1,2}[ \t]*(?P<rest>\S.*)$")


def _is_heading_line(m: re.Match[str], prev: tuple[int, str] | None) -> bool:
    """Markdown headings and "Section N" are headings; a plain "223. Title:" only when it
    continues the numbering (so "1. Whoever ..." inside a section is not one)."""
    title = m["title"]
    if m["hashes"] or m["word"]:
        return bool(title) or bool(m["l1"] or m["l2"])
    if not m["sep"] or not title or not title[0].isupper():
        return False
    inline = _INLINE_BODY.match(title)
    if inline is not None:
        title = inline["title"]
    elif len(title) > 250:
        return False
    num = int(m["num"])
    if prev is None:
        return num == 1 or inline is not None
    # A title with its body on the line ("497. When bail may be taken.-(1) ...") is a strong
    # sign, so a jump in numbering is accepted there (an act printed in extracts).
    if not (prev[0] <= num <= prev[0] + (1000 if inline is not None else 10)):
        return False
    # A heading line is a title ("Escape from confinement ...:"), not a sentence of law.
    return inline is not None or (
        bool(re.search(r"(?::-?|\.|-|\*\*)\s*$", title)) and len(title) < 200
    )


# ---------------------------------------------------------------------------------------------
# Provisions inside a section

_PROVISION = re.compile(
    r"^[ \t]*(?:[-*•][ \t]+)?(?:\*\*)?[ \t]*"
    r"(?:(?P<paren>\((?P<plabel>\d{1,3}[A-Z]?|[a-z]{1,2}|[ivxl]{1,6})\))"
    r"|(?P<dot>(?P<dlabel>\d{1,2})\.)(?=\s)"
    r"|(?P<expl>Explanations?\s*(?P<elabel>[IVX\d]+)?\s*\.?\s*(?:\*\*)?\s*[:.\-–—]+)"
    r"|(?P<prov>Provided\b)"
    r"|(?P<illus>(?:#+\s*)?\*{0,2}Illustrations?\*{0,2}\s*$))",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^(?:i{1,3}|iv|v|vi{1,3}|ix|x|xi{1,3})$")


def _line_starts(lines: list[str]) -> list[int]:
    """Offset of each line in the text the lines were split from (on "\\n")."""
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def _provisions(text: str, spans: list[Amendment]) -> list[Provision]:
    """Split a section body into a shallow tree: subsection > clause > subclause; explanations,
    provisos and illustrations attach at the top."""
    lines = text.split("\n")
    offsets = _line_starts(lines)
    items: list[tuple[int, str, str, int]] = []  # (level, kind, label, start offset)
    in_illustrations = False
    last_clause = ""
    for line, off in zip(lines, offsets, strict=True):
        m = _PROVISION.match(line)
        if m is None:
            continue
        if m["illus"]:
            in_illustrations = True
            items.append((1, "illustration", "Illustrations", off))
            continue
        if m["expl"]:
            in_illustrations = False
            label = f"Explanation {m['elabel']}" if m["elabel"] else "Explanation"
            items.append((1, "explanation", label, off))
            continue
        if m["prov"]:
            items.append((1, "proviso", "Proviso", off))
            continue
        label = (m["plabel"] or m["dlabel"]).strip()
        if in_illustrations:
            items.append((2, "illustration", f"({label})", off))
            continue
        if label[0].isdigit():
            items.append((1, "subsection", f"({label})", off))
        elif (
            _ROMAN.match(label.lower())
            and not (label.lower() == "i" and last_clause.lower() == "h")
            and not (label.lower() == "v" and last_clause.lower() == "u")
        ):
            items.append((3, "subclause", f"({label.lower()})", off))
        else:
            last_clause = label
            items.append((2, "clause", f"({label.lower()})", off))
    roots: list[Provision] = []
    stack: list[tuple[int, Provision]] = []
    if items and items[0][3] > 0 and text[: items[0][3]].strip():
        lead = text[: items[0][3]]
        roots.append(
            Provision("text", "", lead.strip(), amendments_in_chunk(spans, 0, len(lead), lead))
        )
    for i, (level, kind, label, start) in enumerate(items):
        end = items[i + 1][3] if i + 1 < len(items) else len(text)
        chunk = text[start:end]
        node = Provision(kind, label, chunk.strip(), amendments_in_chunk(spans, start, end, chunk))
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((level, node))
    return roots


# ---------------------------------------------------------------------------------------------
# The act


def parse_act(text: str, *, code: str = "", title: str = "") -> Act:
    """Read an act. ``code`` is the registry code ("PPC") used for cross-references; ``title``
    defaults to the first Markdown heading."""
    clean, raw_spans, notes = strip_amendments(text)
    # Page furniture ("---" between printed pages) is blanked in place so offsets still hold.
    clean = _PAGE_RULE.sub(lambda m: " " * len(m.group()), clean)
    lines = clean.split("\n")
    starts = _line_starts(lines)

    if not title:
        for line in lines:
            m = _MD_HEADING.match(line)
            if m:
                title = _clean_title(m["text"])
                break

    warnings: list[str] = []
    chapters: list[Chapter] = [Chapter("", "")]
    sections_seen: dict[str, int] = {}
    # (line index, kind, payload)
    events: list[tuple[int, str, object]] = []
    prev: tuple[int, str] | None = None
    after_chapter = False
    for i, line in enumerate(lines):
        cm = _CHAPTER.match(line)
        if cm:
            events.append((i, "chapter", (re.sub(r"\s+", "", cm["num"]).upper(), cm["title"])))
            after_chapter = not cm["title"].strip()
            continue
        if after_chapter and line.strip():
            after_chapter = False
            # Plain text puts a chapter's title on the next line, in capitals.
            if line.strip().isupper() and not _HEADING.match(line):
                events.append((i, "heading", _clean_title(line.strip().lstrip("#"))))
                continue
        hm = _HEADING.match(line)
        if hm and _is_heading_line(hm, prev):
            letter = hm["l1"] or hm["l2"] or ""
            dangling = not letter and hm["sep"] == "-"
            number = f"{int(hm['num'])}-{letter}" if letter else str(int(hm["num"]))
            inline = _INLINE_BODY.match(hm["title"])
            heading = inline["title"] if inline else hm["title"]
            col = hm.start("title") + inline.start("rest") if inline else None
            head = _Head(i, number, _clean_title(heading), dangling and not inline, col)
            events.append((i, "section", head))
            prev = (int(hm["num"]), letter)
            continue
        md = _MD_HEADING.match(line) or _BOLD_GROUP.match(line)
        if (
            md
            and not _ILLUSTRATION_HEAD.match(md["text"])
            and not re.match(r"^\W*(?:Explanation|Provided)", md["text"], re.I)
        ):
            events.append((i, "heading", _clean_title(md["text"])))

    preamble_end = next((i for i, kind, _ in events if kind in ("chapter", "section")), len(lines))
    preamble = "\n".join(
        ln for ln in lines[:preamble_end] if not _MD_HEADING.match(ln) and not _RULE.fullmatch(ln)
    ).strip()

    chapter = chapters[0]
    awaiting_title = False
    group = ""
    last_by_base: dict[int, str] = {}
    section_events = [(j, e) for j, e in enumerate(events)]
    for j, (i, kind, payload) in section_events:
        if kind == "chapter":
            num, ctitle = cast("tuple[str, str]", payload)
            chapter = Chapter(num, _clean_title(ctitle))
            chapters.append(chapter)
            awaiting_title = not chapter.title
            group = ""
            continue
        if kind == "heading":
            if awaiting_title:
                chapter.title = str(payload)
                awaiting_title = False
            elif j > 0:
                group = re.sub(r"^Section\s+(?=Of\b)", "", str(payload))
            continue
        head = cast(_Head, payload)
        awaiting_title = False
        body_start = i + 1
        body_end = next(
            (ii for ii, k, _ in events[j + 1 :] if k in ("chapter", "section", "heading")),
            len(lines),
        )
        lo = starts[body_start] if body_start < len(lines) else len(clean)
        if head.body_col is not None:
            lo = starts[i] + head.body_col
        hi = starts[body_end] - 1 if body_end < len(lines) else len(clean)
        body = clean[lo:hi] if hi > lo else ""
        number = head.number
        inferred = False
        base = int(number.split("-")[0])
        if head.dangling:
            first = next(
                (k for k, ln in enumerate(body.split("\n")) if not _RULE.fullmatch(ln)), None
            )
            letter = ""
            if first is not None:
                line = body.split("\n")[first]
                lm = _BODY_LETTER.match(line)
                rest = line[lm.end() :] if lm else ""
                if lm and (not rest or rest[0].isupper() or rest[0] in "(*"):
                    letter = lm["l"]
                    cut = sum(len(x) + 1 for x in body.split("\n")[:first]) + lm.end()
                    lo += cut
                    body = body[cut:]
            if not letter:
                previous = last_by_base.get(base)
                letter = (
                    "A"
                    if previous is None or "-" not in previous
                    else (chr(ord(previous.split("-")[1][-1]) + 1))
                )
                inferred = True
                warnings.append(f"Section {base}-{letter}: letter not printed, inferred.")
            number = f"{base}-{letter}"
        if number in sections_seen:
            warnings.append(f"Section {number} appears again at line {i + 1}; kept the first.")
            continue
        sections_seen[number] = i
        last_by_base[base] = number
        strip = len(body) - len(body.lstrip())
        text_body = body.strip()
        amendments = amendments_in_span(raw_spans, notes, lo, hi, strip)
        amendments = [
            Amendment(
                a.mark, a.kind, min(a.start, len(text_body)), min(a.end, len(text_body)), a.note
            )
            for a in amendments
        ]
        section = Section(
            number=number,
            title=head.title,
            text=text_body,
            chapter=chapter.number,
            group=group,
            amendments=amendments,
            letter_inferred=inferred,
        )
        section.provisions = _provisions(text_body, amendments)
        chapter.sections.append(section)

    if not chapters[0].sections:
        chapters.pop(0)
    act = Act(code=code, title=title, preamble=preamble, chapters=chapters, warnings=warnings)
    _link_references(act)
    return act


def _link_references(act: Act) -> None:
    known = {s.number for s in act.sections}
    for section in act.sections:
        refs = []
        for r in find_cross_references(section.text, act.code or "THIS"):
            same_act = r.ref.act == (act.code or "THIS")
            if same_act and (r.ref.section not in known or r.ref.section == section.number):
                continue
            refs.append(
                CrossReference(
                    r.ref.act if act.code else "",
                    r.ref.section,
                    r.ref.subsections,
                    section.text[r.start : r.end],
                    r.start,
                    r.end,
                )
            )
        section.references = refs
