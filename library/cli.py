"""The library's ``mizan`` commands: import acts and judgments, list a text's citations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ingestion.cli import extracted_text, file_argument, lang_option
from mizan.commands import command_kernel


@click.command("import-statute")
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

    kernel = command_kernel()
    try:
        text = read_act_text(file, file.name)
        act = import_act_text(kernel, SYSTEM, text, code=code, title=title, source=file.name)
    except (LibraryError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    outbox.drain(kernel)
    click.echo(f"Imported {act.title} ({act.code}): {act.section_count} sections.")


@click.command("import-judgments")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N.")
def import_judgments_cmd(file: Path, limit: int | None) -> None:
    """Add judgments from a JSON-lines file (id, title, citation, court, year, judges, topic,
    source_url, text); bad lines are listed and skipped."""
    from library.importers import import_judgments_jsonl
    from library.service import LibraryError, graph_size
    from mizan import outbox
    from mizan.actor import SYSTEM
    from search.backends import search_index

    kernel = command_kernel()
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
    before = search_index(kernel).count()
    outbox.drain(kernel)
    graph = graph_size(kernel.store)
    click.echo(
        f"{report.added} added, {report.updated} updated, {len(report.errors)} lines skipped; "
        f"{report.edges} citations ({report.resolved} resolved now); "
        f"index {before:,} -> {search_index(kernel).count():,} passages. Library graph: "
        f"{graph.edges:,} edges, {graph.resolved_share:.1%} resolved."
    )


#: Read as text directly (statute and judgment texts are often kept as Markdown).
_TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}


@click.command()
@file_argument
@lang_option
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
        text = extracted_text(file, lang)
    for found in find_citations(text, statutes=not no_statutes):
        row = {k: v for k, v in asdict(found).items() if v not in (None, (), False)}
        click.echo(json.dumps(row, ensure_ascii=False))


@click.command("build-citation-devset")
@click.option(
    "--judgments",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="JSON-lines judgments (id, title, citation, text), e.g. bhc_judgments.jsonl.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write corpus/, queries.txt and qrels.txt into (outside the repository).",
)
def build_citation_devset_cmd(judgments: Path, out: Path) -> None:
    """Build a test collection: each judgment's facts, searched for the judgments it cites."""
    from library.citation_devset import build_citation_devset

    try:
        stats = build_citation_devset(judgments, out)
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise click.ClickException(f"{judgments}: {exc}") from None
    click.echo(
        f"{stats.documents} judgments, {stats.queries} queries, {stats.relevant} cited "
        f"judgments judged relevant ({stats.no_body} citing judgments had no JUDGMENT/ORDER "
        f"heading to read facts from). Measure with: mizan eval-retrieval --corpus "
        f"{out / 'corpus'} --queries {out / 'queries.txt'} --qrels {out / 'qrels.txt'} "
        "--exclude-own"
    )
