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
    type=click.Choice(["keyword", "semantic", "hybrid", "all"]),
    default="hybrid",
    show_default=True,
    help="all: the three modes from one index, side by side.",
)
@click.option(
    "--run",
    "run_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the ranking here in TREC run format (one mode only).",
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
@click.option(
    "--exclude-own",
    is_flag=True,
    help="A query whose id is a document id never ranks that document (a judgment's facts "
    "searched for the judgments it cites: see mizan build-citation-devset).",
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
    exclude_own: bool,
) -> None:
    """Measure search quality (MAP, P@10, bpref, reciprocal rank) on a test collection."""
    from search.evaluation import EvalInputError, read_qrels, read_queries, run_corpus
    from search.hybrid import MODES

    if mode == "all" and run_out is not None:
        raise click.UsageError("--run writes one ranking: give one --mode with it.")
    try:
        reports = run_corpus(
            corpus,
            read_queries(queries),
            read_qrels(qrels),
            modes=MODES if mode == "all" else (mode,),
            embed_per_document=embed_passages,
            run_out=run_out,
            progress=None if as_json else lambda msg: click.echo(msg, err=True),
            statutes=statutes,
            exclude_own=exclude_own,
        )
    except (EvalInputError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        found = [r.as_dict() for r in reports]
        click.echo(json.dumps(found[0] if mode != "all" else found))
        return
    first = reports[0]
    click.echo(
        f"{first.documents} documents, {first.passages} passages "
        f"({first.embedded} embedded now); indexed in {first.seconds['index']:.1f} s; "
        f"{first.queries} queries"
    )
    header = "".join(f"{r.mode:<10}" for r in reports)
    click.echo(f"{'':<12}\t{header}plain BM25 (whole documents, same run)")
    for name in ("map", "P_10", "bpref", "recip_rank"):
        row = "".join(f"{r.measures[name]:<10.4f}" for r in reports)
        click.echo(f"{name:<12}all\t{row}{first.baseline[name]:.4f}")
    if first.skipped:
        click.echo(f"Skipped {len(first.skipped)} documents (not indexed):", err=True)
        for name, reason in first.skipped:
            click.echo(f"  {name}: {reason}", err=True)
    if first.missing_judged:
        click.echo(
            f"{len(first.missing_judged)} documents judged relevant are not in the "
            f"collection (they count as not found): {', '.join(first.missing_judged[:20])}",
            err=True,
        )
