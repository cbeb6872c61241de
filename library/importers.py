"""Importers: the one way acts and judgments enter the library, for the CLI, the admin
page, the demo seeding and the benchmark alike.

- An act in Markdown or plain text with section headings (PDF/DOCX are read by the
  ingestion extractor first), parsed by ``legaltext.statute_structure``.
- Judgments in bulk from JSON lines (``id, title, citation, court, year, judges,
  topic, source_url, text``), validated line by line.
- One judgment file (PDF, DOCX, text) through the ingestion extractor.

Every input problem is reported with its line number in words a clerk understands;
good lines are imported, bad ones are listed and skipped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.extract import extract_file
from library.service import ImportResult, LibraryError, NewJudgment, add_judgments
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

#: Judgments per transaction (and per search-index commit).
BATCH = 50
#: Stop reading a file after this many bad lines: it is probably not the right file.
MAX_ERRORS = 100
TEXT_SUFFIXES = (".md", ".markdown", ".txt")

Progress = Callable[[int, int], object]  # (done, total); what it returns is ignored


@dataclass
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s", line=self.line, message=self.message)


@dataclass
class JudgmentImport:
    """What a bulk import did: counts, the graph edges it added, problems by line."""

    added: int = 0
    updated: int = 0
    edges: int = 0
    resolved: int = 0
    passages: int = 0
    seconds: float = 0.0
    errors: list[LineError] = field(default_factory=list)
    judgment_ids: list[str] = field(default_factory=list)

    def absorb(self, result: ImportResult) -> None:
        self.added += result.added
        self.updated += result.updated
        self.edges += result.edges
        self.resolved += result.resolved
        self.judgment_ids += result.judgment_ids


def _text(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _year(value: object) -> int | None:
    if isinstance(value, int):
        return value if 1800 <= value <= 2100 else None
    text = _text(value)
    return int(text) if text.isdigit() and 1800 <= int(text) <= 2100 else None


def judgment_from_record(record: object, default_court: str = "") -> NewJudgment:
    """One JSON object as a judgment; LibraryError says what is wrong with it."""
    if not isinstance(record, dict):
        raise LibraryError(_("expected a JSON object with the judgment's fields."))
    key = _text(record.get("id")) or _text(record.get("citation"))
    text = _text(record.get("text"))
    title = _text(record.get("title"))
    missing = [name for name, value in (("id", key), ("title", title), ("text", text)) if not value]
    if missing:
        raise LibraryError(_("missing %(fields)s.", fields=", ".join(missing)))
    judges = record.get("judges")
    if isinstance(judges, str):
        judges = [j for j in judges.replace(" and ", ",").split(",") if j.strip()]
    elif not isinstance(judges, list):
        judges = []
    return NewJudgment(
        key=key[:200],
        title=title,
        text=text,
        court=_text(record.get("court")) or default_court,
        citation=_text(record.get("citation")),
        year=_year(record.get("year")),
        judges=[str(j) for j in judges],
        topic=_text(record.get("topic")),
        source_url=_text(record.get("source_url")),
        source="jsonl",
    )


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[NewJudgment | LineError]:
    """Judgments from a JSON-lines file, or a LineError for each line that is not one."""
    taken = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if limit is not None and taken >= limit:
                return
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                yield LineError(number, _("not UTF-8 text."))
                continue
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield LineError(number, _("not valid JSON (%(detail)s).", detail=exc.msg))
                continue
            try:
                yield judgment_from_record(record)
            except LibraryError as exc:
                yield LineError(number, str(exc))
                continue
            taken += 1


def count_lines(path: Path, limit: int | None = None) -> int:
    with path.open("rb") as fh:
        total = sum(1 for line in fh if line.strip())
    return min(total, limit) if limit is not None else total


def import_judgments_jsonl(
    kernel: Kernel,
    actor: Actor,
    path: Path,
    *,
    limit: int | None = None,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> JudgmentImport:
    """Import every good line of a JSON-lines file in batches; bad lines are reported."""
    started = time.perf_counter()
    report = JudgmentImport()
    total = count_lines(path, limit)
    pending: list[NewJudgment] = []
    done = 0

    def flush() -> None:
        nonlocal done
        if pending:
            report.absorb(add_judgments(kernel, actor, pending))
            done += len(pending)
            pending.clear()
            if progress:
                progress(done, total)

    for item in read_jsonl(path, limit):
        if isinstance(item, LineError):
            report.errors.append(item)
            if len(report.errors) >= MAX_ERRORS:
                report.errors.append(LineError(item.line, _("too many errors; stopped here.")))
                break
            continue
        pending.append(item)
        if len(pending) >= batch:
            flush()
    flush()
    report.seconds = time.perf_counter() - started
    return report


def import_judgment_file(
    kernel: Kernel,
    actor: Actor,
    path: Path,
    *,
    filename: str,
    court: str,
    title: str = "",
    citation: str = "",
    topic: str = "",
    lang: str = "eng",
) -> JudgmentImport:
    """One judgment from a PDF, DOCX or text file, read by the ingestion extractor."""
    started = time.perf_counter()
    extraction = extract_file(path, filename, lang=lang)  # ValueError: clerk-readable
    text = extraction.text.strip()
    if not text:
        raise LibraryError(_("No text could be read from %(name)s.", name=filename))
    stem = Path(filename).stem
    new = NewJudgment(
        key=f"file:{citation.strip() or stem}",
        title=title.strip() or stem,
        text=text,
        court=court,
        citation=citation,
        topic=topic,
        source="file",
    )
    report = JudgmentImport()
    report.absorb(add_judgments(kernel, actor, [new]))
    report.seconds = time.perf_counter() - started
    return report


def read_act_text(path: Path, filename: str, lang: str = "eng") -> str:
    """An act's text: Markdown/plain text as is, PDF/DOCX through the ingestion extractor."""
    if Path(filename).suffix.lower() in TEXT_SUFFIXES:
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise LibraryError(_("The file is not UTF-8 text.")) from None
    return extract_file(path, filename, lang=lang).text
