"""The plain BM25 a user could run by hand: the baseline every ranking of Mizan is measured against.

Whole documents (not passages), bm25s's English stop words, no stemming,
bm25s's defaults (Lucene's BM25, k1 = 1.5, b = 0.75). It ranks in memory and
is only for evaluation (`mizan eval-retrieval` prints it beside Mizan's own
rankings, computed in the same run on the same documents and queries).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["plain_bm25_run"]


def plain_bm25_run(
    documents: Mapping[str, str], queries: Sequence[tuple[str, str]], depth: int
) -> dict[str, list[tuple[str, float]]]:
    """qid -> the top `depth` (doc id, BM25 score) of `documents` for each query."""
    import bm25s

    ids = list(documents)
    if not ids:
        return {qid: [] for qid, _ in queries}
    corpus = bm25s.tokenize([documents[d] for d in ids], stopwords="en", show_progress=False)
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    vocabulary = corpus.vocab
    run: dict[str, list[tuple[str, float]]] = {}
    for qid, text in queries:
        words = bm25s.tokenize([text], stopwords="en", return_ids=False, show_progress=False)[0]
        known = [vocabulary[w] for w in words if w in vocabulary]
        if not known:
            run[qid] = []
            continue
        scores = model.get_scores(known)
        top = scores.argsort()[::-1][:depth]
        run[qid] = [(ids[i], float(scores[i])) for i in top if scores[i] > 0]
    return run
