"""Search's ``mizan`` commands: rebuild the index, measure retrieval quality."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mizan.commands import command_kernel


@click.command()
def reindex() -> None:
    """Rebuild the search index from the store (the source of truth)."""
    from mizan import outbox
    from search.backends import prepare_rebuild, search_index
    from search.indexing import reindex_all

    kernel = command_kernel()
    if prepare_rebuild(kernel.settings):
        click.echo("The search index was built by another version of Mizan: rebuilding it.")
    count = reindex_all(kernel)
    applied = outbox.drain(kernel)
    click.echo(
        f"Reindexed {count} documents ({search_index(kernel).count()} passages); "
        f"applied {applied} pending index updates."
    )


@click.command("eval-retrieval")
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
    if report.skipped:
        click.echo(f"Skipped {len(report.skipped)} documents (not indexed):", err=True)
        for name, reason in report.skipped:
            click.echo(f"  {name}: {reason}", err=True)
    if report.missing_judged:
        click.echo(
            f"{len(report.missing_judged)} documents judged relevant are not in the "
            f"collection (they count as not found): {', '.join(report.missing_judged[:20])}",
            err=True,
        )
