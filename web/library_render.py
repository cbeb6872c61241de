"""HTML for library texts: amendment markers made readable, cross-references and
citations turned into links. Everything not produced here is escaped."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from library.refs import refs_in

#: ``1[inserted text] 1`` — footnote number, text, the same number again.
_AMENDMENT = re.compile(r"(?<![\w\]])(\d{1,3})\[(.*?)\]\s?\1(?!\d)", re.S)
#: A marker whose other half is in another section (a heading was wrapped).
_ORPHAN = re.compile(r"(?<![\w\]])\d{1,3}\[\s*(?=\S)|(?<=\S)\s*\]\s?\d{1,3}(?!\d)|^\s*\]\s?\d{1,3}")
_SECTION_LIST = re.compile(
    r"\b(?P<word>[Ss]ections?|[Ss]s?\.)\s+(?P<list>\d+[A-Z]?(?:-[A-Z]{1,2})?"
    r"(?:\s*(?:,|and|or|to)\s*\d+[A-Z]?(?:-[A-Z]{1,2})?)*)"
)
_NUMBER = re.compile(r"\d+[A-Z]?(?:-[A-Z]{1,2})?")


def _linked_sections(text: str, link: Callable[[str], str | None]) -> Markup:
    """Escape ``text`` and link every "section 299"/"sections 302, 303" that resolves."""
    out: list[str] = []
    last = 0
    for match in _SECTION_LIST.finditer(text):
        out.append(escape(text[last : match.start("list")]))
        chunk = match["list"]
        pos = 0
        for num in _NUMBER.finditer(chunk):
            out.append(escape(chunk[pos : num.start()]))
            href = link(num.group())
            if href:
                out.append(Markup('<a href="{}">{}</a>').format(href, num.group()))
            else:
                out.append(escape(num.group()))
            pos = num.end()
        out.append(escape(chunk[pos:]))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def render_section_text(text: str, act_code: str, numbers: set[str]) -> Markup:
    """A section's text as HTML paragraphs with amendments marked and cross-refs linked."""

    def link(number: str) -> str | None:
        if number in numbers:
            return url_for("library.section", code=act_code, number=number)
        return None

    def piece(chunk: str) -> Markup:
        out: list[Markup] = []
        last = 0
        for m in _AMENDMENT.finditer(chunk):
            out.append(_linked_sections(_ORPHAN.sub("", chunk[last : m.start()]), link))
            inner = _ORPHAN.sub("", m.group(2)).strip()
            note = _("Amendment %(n)s", n=m.group(1))
            if inner:
                out.append(
                    Markup('<ins class="amended" title="{}">{}<sup>{}</sup></ins>').format(
                        note, _linked_sections(inner, link), m.group(1)
                    )
                )
            else:
                out.append(
                    Markup('<span class="omitted" title="{}">[{}]<sup>{}</sup></span>').format(
                        note, _("omitted"), m.group(1)
                    )
                )
            last = m.end()
        out.append(_linked_sections(_ORPHAN.sub("", chunk[last:]), link))
        return Markup("").join(out)

    paragraphs = [p for p in re.split(r"\n\s*\n|\s{2,}\n", text or "") if p.strip()]
    html = []
    for para in paragraphs:
        para = para.replace("**", "").strip()
        if re.fullmatch(r"-{3,}", para):
            continue
        html.append(Markup("<p>{}</p>").format(piece(" ".join(para.split()))))
    return Markup("\n").join(html)


def render_cited_text(text: str, targets: Mapping[str, tuple[str, str]]) -> Markup:
    """A judgment block with every citation a link (in the library) or marked unresolved."""
    out: list[Markup] = []
    last = 0
    for ref in refs_in(text):
        if ref.start < last:
            continue
        out.append(escape(text[last : ref.start]))
        key = ref.section_key or ref.canonical
        target = targets.get(key)
        raw = text[ref.start : ref.end]
        if target and target[1]:
            kind, target_id = target
            if kind == "judgment":
                href = url_for("library.judgment", judgment_id=target_id)
            else:
                code, _sep, number = target_id.partition(":")
                href = url_for("library.section", code=code, number=number)
            out.append(
                Markup('<a class="cite" href="{}" title="{}">{}</a>').format(
                    href, ref.canonical, raw
                )
            )
        else:
            out.append(
                Markup('<span class="cite unresolved" title="{}">{}</span>').format(
                    _("%(cite)s — not in the library", cite=ref.canonical), raw
                )
            )
        last = ref.end
    out.append(escape(text[last:]))
    return Markup("").join(out)
