"""The ``mizan`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from mizan.settings import SettingsError, load_settings


def _kernel():  # type: ignore[no-untyped-def]
    from mizan.kernel import build_kernel, set_process_kernel

    try:
        kernel = build_kernel(load_settings())
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    set_process_kernel(kernel)
    return kernel


@click.group()
def main() -> None:
    """Mizan: case management and monitoring for the prosecution service."""


@main.command()
def init() -> None:
    """Create the data directory, database tables and search index (safe to repeat)."""
    from casefiles.derived import refresh_derived_fields
    from mizan import outbox
    from mizan.schema import ensure_schema
    from search.backends import prepare_rebuild
    from search.indexing import reindex_all

    kernel = _kernel()
    ensure_schema(kernel)
    stale = prepare_rebuild(kernel.settings)  # an upgrade changed the index layout
    refreshed = refresh_derived_fields(kernel)
    if refreshed:
        click.echo(f"Brought {refreshed} stored cases up to date with new index fields.")
    if stale:
        click.echo(
            "The search index was built by another version of Mizan: rebuilding it from the "
            "store (a large installation takes minutes)..."
        )
        count = reindex_all(kernel)
        outbox.drain(kernel)
        click.echo(f"Search index rebuilt from the store ({count} documents).")
    _ok, detail = kernel.index.ping()
    click.echo(f"Data directory: {kernel.settings.data_dir}")
    click.echo(f"Store: {kernel.store.ping()[1]}")
    click.echo(f"Search index: {detail}")


@main.command("create-user")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name as shown in Mizan.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="Role (repeatable): admin, prosecutor_general, district_public_prosecutor, "
    "prosecutor, clerk, trainer, supervisor.",
)
@click.option("--district", default=None, help="District code, e.g. KHI-S.")
@click.password_option(help="Prompted for when not given.")
def create_user_cmd(
    username: str, full_name: str, roles: tuple[str, ...], district: str | None, password: str
) -> None:
    """Create a user account."""
    from mizan.accounts.service import AccountError, create_user
    from mizan.actor import SYSTEM

    kernel = _kernel()
    try:
        user = create_user(
            kernel,
            SYSTEM,
            username=username,
            full_name=full_name,
            password=password,
            roles=list(roles),
            district=district,
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created user {user.username} ({', '.join(user.roles)}).")


@main.command("seed-demo")
@click.option(
    "--province",
    is_flag=True,
    help="Also add a small province: ~40 prosecutors, 2,000 cases in every stage, hearings, "
    "court postings and holidays (skipped when there are already 2,000 cases).",
)
def seed_demo(province: bool) -> None:
    """Add demo districts, one account per role and a few cases (idempotent)."""
    from library.seed import seed_library
    from mizan.demo import DEMO_PASSWORD, seed, seed_province
    from mizan.schema import ensure_schema

    kernel = _kernel()
    ensure_schema(kernel)
    accounts = seed(kernel)
    library = seed_library(kernel)
    click.echo(
        f"Library ({library.source}): {library.sections} PPC sections, "
        f"{library.judgments} judgments."
    )
    if province:
        result = seed_province(kernel)
        if result is None:
            click.echo("Province demo data already present.", err=True)
        else:
            click.echo(
                f"Province demo data: {result.cases:,} cases, {result.hearings:,} hearings, "
                f"{result.prosecutors_created} prosecutors, {result.postings} court postings "
                f"in {result.seconds:.1f} s.",
                err=True,
            )
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for username, roles in accounts:
        click.echo(f"  {username:<14} {roles}")


@main.command("seed-scale")
@click.option("--cases", "count", type=click.IntRange(min=1), required=True, help="How many.")
@click.option("--seed", default=0, show_default=True, help="Same seed, same cases.")
def seed_scale_cmd(count: int, seed: int) -> None:
    """Add N synthetic cases (and ~40 prosecutors) to try Mizan at a province's scale."""
    from casefiles.scale import ScaleError, seed_scale

    kernel = _kernel()
    try:
        result = seed_scale(
            kernel,
            count,
            seed=seed,
            progress=lambda done, total: click.echo(f"  {done:,}/{total:,}", err=True),
        )
    except ScaleError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Added {result.cases:,} cases in {result.seconds:.1f} s "
        f"({result.cases_per_second:,.0f} cases/s); "
        f"{result.prosecutors_created} prosecutor accounts created."
    )


@main.command("run-worker")
@click.option("--concurrency", "-c", default=2, show_default=True, help="Worker processes.")
def run_worker(concurrency: int) -> None:
    """Run a background worker (OCR, extraction, indexing)."""
    from mizan import worker

    kernel = _kernel()
    worker.configure(kernel.settings)
    worker.app.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "--queues=mizan",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@main.command()
def reindex() -> None:
    """Rebuild the search index from the store (the source of truth)."""
    from mizan import outbox
    from search.backends import prepare_rebuild
    from search.indexing import reindex_all

    kernel = _kernel()
    if prepare_rebuild(kernel.settings):
        click.echo("The search index was built by another version of Mizan: rebuilding it.")
    count = reindex_all(kernel)
    applied = outbox.drain(kernel)
    click.echo(
        f"Reindexed {count} documents ({kernel.index.count()} passages); "
        f"applied {applied} pending index updates."
    )


@main.command("audit-verify")
def audit_verify() -> None:
    """Check the audit trail's hash chain; exits 1 naming the first bad entry."""
    from mizan.audit import verify

    result = verify(_kernel().store)
    if result.ok:
        click.echo(f"Audit trail intact: {result.checked} entries checked.")
        return
    click.echo(f"AUDIT TRAIL BROKEN: {result.problem}", err=True)
    sys.exit(1)


@main.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup(dest: Path) -> None:
    """Write a consistent snapshot (database, files, search index) to DEST."""
    from mizan.backup import make_backup

    try:
        manifest = make_backup(_kernel(), dest)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(manifest, indent=2))


@main.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace existing data in the data directory.")
def restore(src: Path, force: bool) -> None:
    """Restore a snapshot made by ``mizan backup`` into the data directory."""
    from mizan.backup import restore_backup

    try:
        settings = load_settings()
        manifest = restore_backup(settings, src, force=force)
    except (SettingsError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored backup of {manifest['created_at']} into {settings.data_dir}.")


_file_argument = click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
_lang_option = click.option(
    "--lang",
    default="eng",
    show_default=True,
    help="OCR language(s): eng, urd, snd, or combined like eng+urd.",
)


@main.command()
@_file_argument
@_lang_option
def extract(file: Path, lang: str) -> None:
    """Print the text of FILE (text layer, or OCR for scans) without storing anything."""
    click.echo(_extracted_text(file, lang))


def _extracted_text(file: Path, lang: str) -> str:
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
    return extraction.text


@main.command("import-statute")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code", required=True, help="Short code used in URLs, e.g. ppc, crpc.")
@click.option("--title", required=True, help="The act's title, e.g. 'Pakistan Penal Code'.")
def import_statute_cmd(file: Path, code: str, title: str) -> None:
    """Add an act (Markdown or text with section headings; PDF/Word are extracted first)."""
    from library.act_import import import_act_text
    from library.importers import read_act_text
    from library.service import LibraryError
    from mizan import outbox
    from mizan.actor import SYSTEM

    kernel = _kernel()
    try:
        text = read_act_text(file, file.name)
        act = import_act_text(kernel, SYSTEM, text, code=code, title=title, source=file.name)
    except (LibraryError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    outbox.drain(kernel)
    click.echo(f"Imported {act.title} ({act.code}): {act.section_count} sections.")


@main.command("import-judgments")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N.")
def import_judgments_cmd(file: Path, limit: int | None) -> None:
    """Add judgments from a JSON-lines file (id, title, citation, court, year, judges, topic,
    source_url, text); bad lines are listed and skipped."""
    from library.importers import import_judgments_jsonl
    from library.service import LibraryError, graph_size
    from mizan import outbox
    from mizan.actor import SYSTEM

    kernel = _kernel()
    try:
        report = import_judgments_jsonl(
            kernel,
            SYSTEM,
            file,
            limit=limit,
            progress=lambda done, total: click.echo(f"  {done:,}/{total:,}", err=True),
        )
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from None
    for error in report.errors:
        click.echo(str(error), err=True)
    before = kernel.index.count()
    outbox.drain(kernel)
    graph = graph_size(kernel.store)
    click.echo(
        f"{report.added} added, {report.updated} updated, {len(report.errors)} lines skipped; "
        f"{report.edges} citations ({report.resolved} resolved now); "
        f"index {before:,} -> {kernel.index.count():,} passages. Library graph: "
        f"{graph.edges:,} edges, {graph.resolved_share:.1%} resolved."
    )


#: Read as text directly (statute and judgment texts are often kept as Markdown).
_TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}


@main.command()
@_file_argument
@_lang_option
@click.option("--no-statutes", is_flag=True, help="Only law reports and neutral citations.")
def citations(file: Path, lang: str, no_statutes: bool) -> None:
    """Print the citations in FILE (text, PDF, DOCX or scan) as JSON lines."""
    from dataclasses import asdict

    from legaltext.law_reports import find_citations

    if file.suffix.lower() in _TEXT_SUFFIXES:
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise click.ClickException(
                f"{file.name} is not UTF-8 text (unreadable bytes at position {exc.start}); "
                "save it as UTF-8 and try again."
            ) from None
        except OSError as exc:
            raise click.ClickException(f"Cannot read {file.name}: {exc.strerror}.") from None
    else:
        text = _extracted_text(file, lang)
    for found in find_citations(text, statutes=not no_statutes):
        row = {k: v for k, v in asdict(found).items() if v not in (None, (), False)}
        click.echo(json.dumps(row, ensure_ascii=False))


@main.command("classifier-report")
def classifier_report() -> None:
    """How often the document classifier agreed with the clerks who set a document's type."""
    from ingestion.review import clerk_agreement

    result = clerk_agreement(_kernel())
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


@main.command()
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

    kernel = _kernel()
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
                click.echo(f"failed   {outcome.name}: {job.error}", err=True)
            else:
                extra = f" ({job.error})" if job.error else ""
                click.echo(f"read     {outcome.name}: {job.total} pages{extra}")
    if not queue:
        from mizan import outbox

        outbox.drain(kernel)  # the search index learns of the new pages now
    click.echo(
        f"{result.count('added')} added, {result.count('already')} already there, "
        f"{result.count('refused')} refused; case {case.reference}."
    )
    if failed:
        sys.exit(1)


@main.command("watch-drop")
@click.option("--once", is_flag=True, help="Take what is there now, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks.")
def watch_drop(once: bool, interval: float) -> None:
    """Add files a scanner saves into MIZAN_DROP_DIR to their cases (see README)."""
    from ingestion.dropfolder import DropFolderError, drop_dir, scan_once, watch

    kernel = _kernel()

    def report(dropped) -> None:  # type: ignore[no-untyped-def]
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


@main.command("eval-retrieval")
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="Folder of <docid>.txt files.",
)
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="One query per line: ID||text.",
)
@click.option(
    "--qrels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="TREC qrels: qid 0 docid relevance.",
)
@click.option(
    "--mode",
    type=click.Choice(["keyword", "semantic", "hybrid"]),
    default="hybrid",
    show_default=True,
)
@click.option(
    "--run",
    "run_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the ranking here in TREC run format.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--embed-passages",
    type=click.IntRange(min=1),
    default=None,
    help="Passages embedded per document (default: as the product indexes).",
)
@click.option(
    "--statutes",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of statute <docid>.txt files: the corpus's judgments are then ranked as "
    "the precedent finder ranks them, through the statutes each query concerns as well.",
)
def eval_retrieval(
    corpus: Path,
    queries: Path,
    qrels: Path,
    mode: str,
    run_out: Path | None,
    as_json: bool,
    embed_passages: int | None,
    statutes: Path | None,
) -> None:
    """Measure search quality (MAP, P@10, bpref, reciprocal rank) on a test collection."""
    from search.evaluation import EvalInputError, read_qrels, read_queries, run_corpus

    try:
        report = run_corpus(
            corpus,
            read_queries(queries),
            read_qrels(qrels),
            mode=mode,
            embed_per_document=embed_passages,
            run_out=run_out,
            progress=None if as_json else lambda msg: click.echo(msg, err=True),
            statutes=statutes,
        )
    except (EvalInputError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report.as_dict()))
        return
    click.echo(
        f"{report.documents} documents, {report.passages} passages "
        f"({report.embedded} embedded now); indexed in {report.seconds['index']:.1f} s, "
        f"searched in {report.seconds['search']:.1f} s; mode {report.mode}, "
        f"{report.queries} queries"
    )
    for name in ("map", "P_10", "bpref", "recip_rank"):
        click.echo(f"{name:<12}all\t{report.measures[name]:.4f}")


@main.command()
@click.option(
    "--every",
    type=click.IntRange(min=60),
    default=None,
    help="Keep running, once every this many seconds (e.g. 3600); without it, run once.",
)
def remind(every: int | None) -> None:
    """Notify prosecutors of deadlines due soon or just missed and of tomorrow's hearings.

    Safe to repeat and to run on several machines: nothing is announced twice.
    """
    import time

    from casefiles.reminders import send_reminders

    kernel = _kernel()
    while True:
        run = send_reminders(kernel)
        click.echo(
            f"Reminders sent: {run.deadlines} about deadlines, {run.hearings} about hearings.",
        )
        if every is None:
            return
        time.sleep(every)


if __name__ == "__main__":
    main()
