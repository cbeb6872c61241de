"""DOCX read as text in document order: paragraphs, text boxes, tables and content controls.

The XML is walked directly (python-docx only opens the package) so that text in
text boxes, tables and content controls is kept and tracked deletions are not.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ingestion.pages import ExtractionError, PageText

__all__ = ["MAX_DOCX_UNCOMPRESSED", "read_docx"]

#: Uncompressed size limit for a DOCX (a ZIP bomb expands on reading).
MAX_DOCX_UNCOMPRESSED = 256 * 1024 * 1024


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_P, _W_R, _W_T, _W_TBL, _W_TR, _W_TC = (_w(t) for t in ("p", "r", "t", "tbl", "tr", "tc"))
_W_TAB, _W_BR, _W_CR, _W_NBH = (_w(t) for t in ("tab", "br", "cr", "noBreakHyphen"))
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
_W_TXBX = _w("txbxContent")
# Text under these belongs elsewhere (text boxes are emitted as their own
# paragraphs) or is not part of the current text (tracked deletions).
_SKIP_UNDER = {_W_TXBX, _w("del"), _w("moveFrom"), _MC_FALLBACK}


def _paragraph_text(p: etree._Element) -> str:
    """Run text of a paragraph, including hyperlinks, fields and inline content controls."""
    parts: list[str] = []
    for el in p.iter(_W_T, _W_TAB, _W_BR, _W_CR, _W_NBH):
        run = el.getparent()
        if run is None or run.tag != _W_R:
            continue  # e.g. tab stop definitions in w:pPr
        anc = run.getparent()
        skip = False
        while anc is not None and anc is not p:
            if anc.tag in _SKIP_UNDER:
                skip = True
                break
            anc = anc.getparent()
        if skip:
            continue
        if el.tag == _W_T:
            parts.append(el.text or "")
        elif el.tag == _W_TAB:
            parts.append("\t")
        elif el.tag == _W_NBH:
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _text_boxes(p: etree._Element) -> Iterator[etree._Element]:
    """Text box bodies anchored in a paragraph, each once (not the VML fallback copy)."""
    for box in p.iter(_W_TXBX):
        anc = box.getparent()
        nested = False
        while anc is not None and anc is not p:
            if anc.tag in (_MC_FALLBACK, _W_TXBX):
                nested = True
                break
            anc = anc.getparent()
        if not nested:
            yield box


def _table_rows(table: etree._Element) -> Iterator[etree._Element]:
    """Rows of one table (not of tables nested in its cells), including rows in
    content controls."""
    for child in table.iterchildren():
        if child.tag == _W_TR:
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _table_rows(content)


def _docx_blocks(container: etree._Element) -> Iterator[str]:
    """Lines of text in document order: paragraphs, then table rows (cells tab-separated)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == _W_P:
            yield _paragraph_text(child)
            for box in _text_boxes(child):
                yield from _docx_blocks(box)
        elif tag == _W_TBL:
            for row in _table_rows(child):
                cells = [
                    " ".join(t.strip() for t in _docx_blocks(cell) if t.strip())
                    for cell in row.iterchildren(_W_TC)
                ]
                if any(cells):
                    yield "\t".join(cells)
        elif tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _docx_blocks(content)
        elif tag == _W_CUSTOM_XML:
            yield from _docx_blocks(child)


def read_docx(path: Path) -> PageText:
    """The whole document as one page; a damaged or oversized file raises ExtractionError."""
    import docx  # python-docx; imported here so PDF-only workers skip lxml parsing setup
    from docx.opc.exceptions import PackageNotFoundError

    damaged = "This Word document is damaged or cannot be read; save it again in Word and add it."
    try:
        with zipfile.ZipFile(path) as zf:
            if sum(info.file_size for info in zf.infolist()) > MAX_DOCX_UNCOMPRESSED:
                raise ExtractionError(
                    "This Word document is too large to read (over "
                    f"{MAX_DOCX_UNCOMPRESSED // (1024 * 1024)} MB unpacked)."
                )
    except zipfile.BadZipFile as exc:
        raise ExtractionError(damaged) from exc
    try:
        document = docx.Document(str(path))
        lines = list(_docx_blocks(document.element.body))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,  # a damaged compressed part
        EOFError,
        NotImplementedError,  # a part packed with a method zipfile does not know
        RuntimeError,  # an encrypted part
        KeyError,
        ValueError,
        OSError,
        etree.LxmlError,
    ) as exc:
        raise ExtractionError(damaged) from exc
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()
    return PageText(1, text, "docx")
