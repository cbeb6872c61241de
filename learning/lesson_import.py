"""Import a DOCX or PDF as a lesson's text, with the ingestion extractor (no second reader).

The file is read once, synchronously (a lesson is a few pages; scanned pages
are OCR'd by the same extractor as case documents, up to ``MAX_PAGES``), and its
text replaces the English or Urdu text of the lesson as a normal, version-guarded
edit. A file that cannot be read is refused with the extractor's sentence and
nothing changes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ingestion.extract import open_pages
from ingestion.ocr import OcrUnavailable
from learning.errors import LearningError
from learning.lessons import LessonFields, edit_lesson, get_lesson
from learning.models import MAX_BODY, Lesson
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

MAX_PAGES = 60
MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".docx", ".pdf")


def extract_lesson_text(data: bytes, filename: str, *, lang: str = "eng") -> str:
    """The text of a DOCX or PDF file, pages separated by blank lines; LearningError if it
    cannot be read (wrong type, damaged, too long, or nothing in it)."""
    name = Path(filename or "").name
    if not name.lower().endswith(SUFFIXES):
        raise LearningError(_("Choose a Word (.docx) or PDF file."))
    if not data:
        raise LearningError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise LearningError(_("The file is too large (20 MB at most)."))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            with open_pages(path, name, lang=lang) as source:
                if source.page_count > MAX_PAGES:
                    raise LearningError(
                        _(
                            "The file has too many pages for one lesson (%(n)d at most).",
                            n=MAX_PAGES,
                        )
                    )
                pages = [source.page(n).text for n in range(1, source.page_count + 1)]
        except OcrUnavailable:
            raise LearningError(
                _("This file is a scan and text recognition is not installed; paste the text.")
            ) from None
        except LearningError:
            raise
        except ValueError as exc:  # UnsupportedFile, ExtractionError: a sentence for the clerk
            raise LearningError(
                _("This file could not be read: %(reason)s", reason=str(exc))
            ) from None
    text = "\n\n".join(p.strip() for p in pages if p and p.strip())
    if not text:
        raise LearningError(_("No text was found in this file."))
    if len(text) > MAX_BODY:
        raise LearningError(_("The file's text is too long for one lesson."))
    return text


def import_lesson_text(
    kernel: Kernel,
    actor: Actor,
    lesson_id: str,
    *,
    version: int,
    data: bytes,
    filename: str,
    language: str = "en",
) -> Lesson:
    """Replace the lesson's English (``en``) or Urdu (``ur``) text with the file's text."""
    if language not in ("en", "ur"):
        raise LearningError(_("Choose English or Urdu."))
    lesson, _course = get_lesson(kernel, actor, lesson_id)  # trainers only, before reading
    text = extract_lesson_text(data, filename, lang="urd" if language == "ur" else "eng")
    fields = LessonFields(
        title_en=lesson.title_en,
        title_ur=lesson.title_ur or "",
        body_en=text if language == "en" else lesson.body_en,
        body_ur=text if language == "ur" else lesson.body_ur,
        estimated_minutes=lesson.estimated_minutes,
    )
    return edit_lesson(kernel, actor, lesson_id, version=version, fields=fields)
