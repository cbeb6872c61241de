"""Ingestion's ``mizan`` commands: read a file, add files to a case, watch a drop folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mizan.commands import command_kernel
from mizan.settings import SettingsError, load_settings

if TYPE_CHECKING:  # the commands import their modules when run, so the CLI starts fast
    from ingestion.batch import BatchResult

file_argument = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
lang_option = click.option(
    "--lang",
    default="eng",
    show_default=True,
    help="OCR language(s): eng, urd, snd, or combined like eng+urd.",
)


@click.command()
@file_argument
@lang_option
def extract(file: Path, lang: str) -> None:
    """Print the text of FILE (text layer, or OCR for scans) without storing anything."""
    click.echo(extracted_text(file, lang))


def extracted_text(file: Path, lang: str) -> str:
    """The text of a PDF, DOCX, image or text file; failed pages are reported on stderr."""
    from ingestion.extract import extract_file
    from ingestion.ocr import OcrUnavailable

    try:
        lang = lang or load_settings().default_ocr_lang
        extraction = extract_file(file, file.name, lang=lang)
    except (ValueError, OcrUnavailable, SettingsError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"Cannot read {file.name}: {exc.strerror}.") from None
    for page in extraction.pages:
        if page.error:
            click.echo(f"[page {page.number}: {page.error}]", err=True)
        elif page.reading and not page.reading.startswith("plain:"):
            # A page read again: say which reading was kept, for a user comparing with
            # plain Tesseract. Clean pages (read once, as given) need no note.
            click.echo(f"[page {page.number}: OCR reading kept: {page.reading}]", err=True)
    return extraction.text


@click.command("classifier-report")
def classifier_report() -> None:
    """How often the document classifier agreed with the clerks who set a document's type."""
    from ingestion.review import clerk_agreement

    result = clerk_agreement(command_kernel())
    if not result.total:
        click.echo("No document type has been set by a clerk yet: nothing to measure.")
        return
    click.echo(
        f"Classifier agreed with clerks on {result.correct} of {result.total} documents "
        f"({result.accuracy:.0%})."
    )
    for (auto, clerk), n in sorted(result.confusion.items(), key=lambda kv: -kv[1]):
        if auto != clerk:
            click.echo(f"  classifier said {auto}, clerk chose {clerk}: {n}")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--case", "case_ref", required=True, help="Case reference, e.g. 'FIR 189/2024 PS Makli'."
)
@click.option(
    "--lang",
    default=None,
    help="OCR language(s): eng, urd, snd, or combined like eng+urd (default: MIZAN_OCR_LANG).",
)
@click.option("--user", "username", default=None, help="Add the files as this account.")
@click.option(
    "--queue",
    is_flag=True,
    help="Leave the reading to a running worker instead of doing it here.",
)
def ingest(
    paths: tuple[Path, ...], case_ref: str, lang: str | None, username: str | None, queue: bool
) -> None:
    """Add files (folders are read recursively; ZIPs with a manifest are opened) to a case.

    The same pipeline as uploads in the browser and ``mizan extract``: each file is
    stored once, checked, and read page by page; identical files are linked.
    """
    from ingestion.batch import BatchResult, add_files, resolve_case
    from ingestion.service import UploadError
    from ingestion.tasks import process_document
    from mizan.accounts.models import User
    from mizan.accounts.service import actor_for
    from mizan.actor import SYSTEM

    kernel = command_kernel()
    actor = SYSTEM
    if username:
        user = kernel.store.find_one(User, {"username": username})
        if user is None or not user.active:
            raise click.ClickException(f"No active account {username!r}.")
        actor = actor_for(user, channel="cli")
    try:
        case = resolve_case(kernel, actor, case_ref)
    except UploadError as exc:
        raise click.ClickException(str(exc)) from None
    files = sorted(
        f
        for p in paths
        for f in ([p] if p.is_file() else p.rglob("*"))
        if f.is_file() and not f.name.startswith(".")
    )
    result = BatchResult()
    for path in files:
        with path.open("rb") as fh:
            result.outcomes += add_files(
                kernel,
                actor,
                case.id,
                [(path.name, fh)],
                lang=lang or kernel.settings.default_ocr_lang,
            ).outcomes
    failed = 0
    for outcome in result.outcomes:
        if outcome.status == "refused":
            failed += 1
            click.echo(f"refused  {outcome.name}: {outcome.message}", err=True)
        elif outcome.status == "already":
            click.echo(f"already  {outcome.name}: {outcome.message}")
        elif queue:
            click.echo(f"queued   {outcome.name}")
        else:
            doc = outcome.document
            assert doc is not None and doc.job_id
            state = process_document(kernel, doc.job_id)
            from mizan.jobs import Job

            job = kernel.store.get(Job, doc.job_id)
            if state == "failed":
                failed += 1
                outcome.status, outcome.message = "failed", job.error or ""
                click.echo(f"failed   {outcome.name}: {job.error}", err=True)
            else:
                extra = f" ({job.error})" if job.error else ""
                click.echo(f"read     {outcome.name}: {job.total} pages{extra}")
    if not queue:
        from mizan import outbox

        outbox.drain(kernel)  # the search index learns of the new pages now
    click.echo(summary(result, case.reference))
    if failed:
        sys.exit(1)


def summary(result: BatchResult, reference: str) -> str:
    """The last line of ``mizan ingest``: a file that could not be read is not "added"."""
    line = (
        f"{result.count('added')} added, {result.count('already')} already there, "
        f"{result.count('refused')} refused"
    )
    if result.count("failed"):
        line += f", {result.count('failed')} could not be read"
    return f"{line}; case {reference}."


@click.command("watch-drop")
@click.option("--once", is_flag=True, help="Take what is there now, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks.")
def watch_drop(once: bool, interval: float) -> None:
    """Add files a scanner saves into MIZAN_DROP_DIR to their cases (see README)."""
    from ingestion.dropfolder import DropFolderError, Dropped, drop_dir, scan_once, watch

    kernel = command_kernel()

    def report(dropped: Dropped) -> None:
        click.echo(f"{'added ' if dropped.ok else 'failed'}  {dropped.path}")
        for o in dropped.outcomes:
            if o.status == "refused":
                click.echo(f"        {o.name}: {o.message}", err=True)

    try:
        folder = drop_dir(kernel)
        if once:
            for dropped in scan_once(kernel, settle=0):
                report(dropped)
            return
        click.echo(f"Watching {folder} (Ctrl-C to stop)")
        watch(kernel, interval=interval, report=report)
    except DropFolderError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        pass
