"""An act's text into the library: the statute parser (``legaltext.statute_structure``) reads
the tree, this module maps it onto the stored records and hands it to the service."""

from __future__ import annotations

from legaltext.act_names import ACTS
from legaltext.statute_structure import parse_act
from library.models import Act
from library.refs import act_code, section_id
from library.service import LibraryError, NewAct, NewSection, import_act
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel


def parser_code(code: str) -> str:
    """The code the section grammar knows an act by ("ppc" -> "PPC", "crpc" -> "CrPC")."""
    for known in ACTS:
        if known.code.lower() == code.strip().lower():
            return known.code
    return code.strip().upper()


def new_act_from_text(text: str, *, code: str, title: str, source: str = "") -> NewAct:
    """The parsed act as the service's input; LibraryError if no section heading is found."""
    if not text.strip():
        raise LibraryError(_("The file is empty."))
    parsed = parse_act(text, code=parser_code(code), title=title)
    sections = []
    for chapter in parsed.chapters:
        for s in chapter.sections:
            sections.append(
                NewSection(
                    number=s.number,
                    heading=s.title,
                    text=s.text,
                    chapter=chapter.number,
                    group=s.group,
                    subsections=[(p.kind, p.label, p.text) for p in s.provisions],
                    amendments=[(a.mark, a.kind, a.start, a.end, a.note) for a in s.amendments],
                    xrefs=[
                        (section_id(r.act or code, r.section), r.start, r.end) for r in s.references
                    ],
                )
            )
    return NewAct(
        code=act_code(code),
        title=title,
        preamble=parsed.preamble,
        chapters=[(c.number, c.title) for c in parsed.chapters if c.number or c.title],
        sections=sections,
        source=source,
        warnings=list(parsed.warnings),
    )


def import_act_text(
    kernel: Kernel, actor: Actor, text: str, *, code: str, title: str, source: str = ""
) -> Act:
    return import_act(kernel, actor, new_act_from_text(text, code=code, title=title, source=source))
