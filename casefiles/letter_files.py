"""A filled letter as a Word document (python-docx) and as a printable PDF (mizan.pdf).

The DOCX is plain paragraphs in Word's own styles, no images of text, so the
prosecutor edits it in Word or LibreOffice. Urdu is written right to left the way
Word expects it: the paragraph is marked bidirectional (``w:bidi``), so it starts at
the right, and every run is marked right-to-left (``w:rtl``) with a complex-script
font and size.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from casefiles.letter_templates import Block
from mizan.pdf import PdfDocument

#: A Nastaliq/Naskh face Word and LibreOffice have or substitute sensibly.
URDU_FONT = "Arial"
LATIN_FONT = "Times New Roman"
_SIZES = {"title": 14, "heading": 12, "body": 12}
#: The order of a paragraph's properties in WordprocessingML (w:bidi sits before w:jc).
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
#: The order of a run's properties (python-docx's CT_RPr sequence).
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


def _child(parent: BaseOxmlElement, tag: str, sequence: Sequence[str]) -> BaseOxmlElement:
    """``parent``'s ``tag`` child, added in the schema's order (Word refuses other orders)."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert_element_before(found, *sequence[sequence.index(tag) + 1 :])
    return found


def _rtl(paragraph: Paragraph, size: int) -> None:
    """Mark a paragraph and its runs right to left (Word's bidi paragraph + rtl runs)."""
    _child(paragraph._p.get_or_add_pPr(), "w:bidi", _PPR_ORDER)
    for run in paragraph.runs:
        run.font.rtl = True
        rpr = run._r.get_or_add_rPr()
        _child(rpr, "w:rFonts", _RPR_ORDER).set(qn("w:cs"), URDU_FONT)
        _child(rpr, "w:szCs", _RPR_ORDER).set(qn("w:val"), str(size * 2))
        _child(rpr, "w:lang", _RPR_ORDER).set(qn("w:bidi"), "ur-PK")


def to_docx(title: str, blocks: Sequence[Block], *, rtl: bool) -> bytes:
    """The letter as DOCX bytes."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = "Mizan"
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(12)
    for block in blocks:
        if block.style == "gap":
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        size = _SIZES[block.style]
        run.font.size = Pt(size)
        run.bold = block.style in ("title", "heading")
        if block.style == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # A right-to-left paragraph starts at the right by itself; no "right" alignment is
        # written, since Word reads left/right in a bidi paragraph as start/end.
        if rtl:
            _rtl(paragraph, size)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_pdf(title: str, blocks: Sequence[Block], *, rtl: bool, footer: str = "") -> bytes:
    """The letter as a printable PDF (Urdu shaped by ``mizan.pdf``); an Urdu letter keeps
    every line at the right, its English names and quoted sections too."""
    pdf = PdfDocument(title, footer=footer)
    align = "R" if rtl else ""
    for block in blocks:
        if block.style == "gap":
            pdf.space(3)
        elif block.style == "title":
            pdf.paragraph(block.text, size=14, bold=True, align="C")
            pdf.space(2)
        elif block.style == "heading":
            pdf.paragraph(block.text, size=12, bold=True, align=align)
        else:
            pdf.paragraph(block.text, size=11, align=align)
    return pdf.output()
