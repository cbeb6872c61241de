"""HTML for library texts: amendment markers made readable, cross-references and
citations turned into links. Everything not produced here is escaped."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from library.models import Section
from library.refs import refs_in


def render_section_text(section: Section, known: set[str]) -> Markup:
    """A section's text as HTML: amended text in <ins> with its footnote mark, omissions
    as "[omitted]", cross-references to existing sections as links; line breaks kept."""
    text = section.text or ""
    marks: list[tuple[int, int, str, object]] = []  # (position, order, what, data)
    for a in section.amendments:
        if a.kind == "amended" and a.end > a.start:
            marks.append((a.start, 1, "ins-open", a))
            marks.append((a.end, 0, "ins-close", a))
        else:
            marks.append((a.start, 2, a.kind, a))
    for x in section.xrefs:
        if x.target in known and x.end > x.start:
            marks.append((x.start, 3, "a-open", x))
            marks.append((x.end, -1, "a-close", x))
    marks.sort(key=lambda m: (m[0], m[1]))
    out: list[Markup] = []
    pos = 0
    open_ins = open_a = 0
    for at, _order, what, data in marks:
        if at > pos:
            out.append(_plain(text[pos:at]))
            pos = at
        if what == "ins-open":
            open_ins += 1
            out.append(Markup('<ins class="amended" title="{}">').format(_amendment_title(data)))
        elif what == "ins-close" and open_ins:
            open_ins -= 1
            out.append(Markup("<sup>{}</sup></ins>").format(data.mark))  # type: ignore[attr-defined]
        elif what == "omitted":
            out.append(
                Markup('<span class="omitted" title="{}">[{}]<sup>{}</sup></span>').format(
                    _amendment_title(data),
                    _("omitted"),
                    data.mark,  # type: ignore[attr-defined]
                )
            )
        elif what == "note":
            out.append(
                Markup('<sup class="note" title="{}">{}</sup>').format(
                    _amendment_title(data),
                    data.mark,  # type: ignore[attr-defined]
                )
            )
        elif what == "a-open" and not open_a:
            open_a += 1
            code, _sep, number = data.target.partition(":")  # type: ignore[attr-defined]
            out.append(
                Markup('<a class="xref" href="{}">').format(
                    url_for("library.section", code=code, number=number)
                )
            )
        elif what == "a-close" and open_a:
            open_a -= 1
            out.append(Markup("</a>"))
    out.append(_plain(text[pos:]))
    out.extend(Markup("</a>") for _ in range(open_a))
    out.extend(Markup("</ins>") for _ in range(open_ins))
    return Markup("").join(out)


def _plain(text: str) -> Markup:
    """Escaped text without Markdown emphasis or page rules."""
    text = _BULLET.sub("", _RULE.sub("", text.replace("**", "")))
    return escape(text)


_BULLET = re.compile(r"(?m)^[ \t]*\*[ \t]+")
_RULE = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.M)


def _amendment_title(a: object) -> str:
    note = getattr(a, "note", "") or ""
    label = _("Amendment %(n)s", n=getattr(a, "mark", ""))
    return f"{label}: {note}" if note else label


def render_cited_text(
    text: str, targets: Mapping[str, tuple[str, str]], own: Collection[str] = ()
) -> Markup:
    """A judgment block with every citation a link (in the library) or marked unresolved;
    the judgment's own citations (``own``) stay plain text."""
    out: list[Markup] = []
    last = 0
    for ref in refs_in(text):
        if ref.start < last or ref.canonical in own:
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
