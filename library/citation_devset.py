"""A test collection for the precedent finder from Pakistani judgments and their citations.

Each judgment that cites others in the same set becomes a query: its facts
(the first `FACTS_WORDS` words after the JUDGMENT/ORDER heading, every law
report and neutral citation cut out) searched for the judgments it cites,
which are the relevant documents. Citations are read by the product's own
parser (`legaltext.law_reports` through `library.refs`) and resolved as the
library resolves them (a judgment's own citation, renamed volumes too). The
corpus is every judgment's whole text; a query's own judgment is left out of
its ranking (`mizan eval-retrieval --exclude-own`). A judgment cited for a
point the facts never raise still counts as relevant, so the scores are low
in absolute terms and useful for comparing rankings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from legaltext.law_reports import find_citations
from library.judgment_text import judgment_body
from library.refs import citation_keys, own_citation

__all__ = ["FACTS_WORDS", "CitationDevset", "build_citation_devset", "facts_query"]

#: Words of the judgment's opening taken as its statement of facts: about the length of an
#: AILA query (a paragraph or two), fixed before any measurement.
FACTS_WORDS = 300

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class CitationDevset:
    documents: int = 0
    queries: int = 0
    relevant: int = 0
    #: Judgments with no text after the JUDGMENT/ORDER heading: documents, never queries.
    no_body: int = 0


def facts_query(text: str, words: int = FACTS_WORDS) -> str:
    """The judgment's opening as one line, its report and neutral citations removed."""
    body = judgment_body(text)
    kept, end = [], 0
    for c in find_citations(body, statutes=False):
        kept.append(body[end : c.start])
        end = c.end
    kept.append(body[end:])
    return " ".join(" ".join(kept).split()[:words])


def _records(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        doc_id = _SAFE_ID.sub("_", str(record.get("id") or "")).strip("_")
        text = str(record.get("text") or "")
        if doc_id and doc_id not in seen and text.strip():
            seen.add(doc_id)
            yield doc_id, record


def build_citation_devset(source: Path, out: Path) -> CitationDevset:
    """Write `out/corpus/<id>.txt`, `out/queries.txt` (ID||facts) and `out/qrels.txt`."""
    records = dict(_records(source))
    by_key: dict[str, str] = {}
    for doc_id, record in records.items():
        own = own_citation(str(record.get("citation") or ""), record["text"])
        for key in citation_keys(own) if own else []:
            by_key.setdefault(key, doc_id)
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    stats = CitationDevset()
    queries, qrels = [], []
    for doc_id, record in records.items():
        text = record["text"]
        title = " ".join(str(record.get("title") or doc_id).split())
        (corpus / f"{doc_id}.txt").write_text(f"{title}\n{text}", encoding="utf-8")
        stats.documents += 1
        cited = sorted(
            {by_key[c.canonical] for c in find_citations(text, statutes=False)
             if c.canonical in by_key} - {doc_id}
        )  # fmt: skip
        if not cited:
            continue
        facts = facts_query(text)
        if not facts:
            stats.no_body += 1
            continue
        queries.append(f"{doc_id}||{facts}")
        qrels += [f"{doc_id} 0 {target} 1" for target in cited]
        stats.queries += 1
        stats.relevant += len(cited)
    (out / "queries.txt").write_text("\n".join(queries) + "\n", encoding="utf-8")
    (out / "qrels.txt").write_text("\n".join(qrels) + "\n", encoding="utf-8")
    return stats
