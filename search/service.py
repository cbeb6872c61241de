"""Search as a user: the permission filter is derived from the user and applied in the engine."""

from __future__ import annotations

from collections.abc import Mapping

from casefiles.policy import search_principals
from mizan.accounts.roles import Capability
from mizan.accounts.service import require
from mizan.actor import Actor
from mizan.health import HealthCheck
from mizan.kernel import Kernel
from search import hybrid
from search.backends import embedder, search_index, vector_index
from search.hybrid import DEFAULT_MODE, HybridQuery, check_mode
from search.port import SearchResult

PER_PAGE = 20


def require_searcher(actor: Actor) -> None:
    """Searching (cases, documents, the library, precedents, saved searches) needs the
    search capability; pages check it before reading their form."""
    require(actor, Capability.SEARCH)


def search_documents(
    kernel: Kernel,
    actor: Actor,
    query: str,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    mode: str = DEFAULT_MODE,
    filters: Mapping[str, str] | None = None,
    sort: str = "relevance",
    facets: bool = False,
) -> SearchResult:
    """One page of the documents `actor` may see; `mode` is keyword, semantic or hybrid.

    `sort="date"` (newest first) orders keyword matches; meaning-based modes
    rank by similarity only, so they refuse it. The total and the facets count
    the documents the pages list, in every mode (`search.hybrid` says which
    documents match by meaning); a pasted description gets no facets in hybrid
    mode.
    """
    require_searcher(actor)
    check_mode(mode)
    query = query.strip()
    principals = search_principals(kernel.store, actor)
    if principals is not None:
        for provider in kernel.registry.principal_providers:
            principals |= provider(kernel, actor)
    offset = (max(page, 1) - 1) * per_page
    keyword_only = (mode == "keyword" or not query) and not hybrid.is_facts_query(query)
    if sort != "relevance" and not keyword_only:
        raise ValueError(f"sort {sort!r} needs keyword mode (and a query in the query language)")
    if keyword_only:
        return search_index(kernel).search(
            query,
            principals=principals,
            limit=per_page,
            offset=offset,
            filters=filters,
            sort=sort,
            facets=facets,
        )
    return hybrid.search(
        search_index(kernel),
        vector_index(kernel),
        embedder(kernel),
        HybridQuery(
            query,
            mode=mode,
            principals=principals,
            filters=filters,
            limit=per_page,
            offset=offset,
            facets=facets,
        ),
    )


def vector_status(kernel: Kernel) -> tuple[bool, str, dict[str, object]]:
    """The vector index (reachable, vectors held) and whether the model is in memory.

    The model loads on the first meaning search or the warm-up: "not loaded"
    is not a fault, so it never makes the vector index "down".
    """
    loaded = embedder(kernel).loaded
    model = "embedding model loaded" if loaded else "embedding model not loaded yet"
    up, detail = vector_index(kernel).ping()
    facts: dict[str, object] = {"model_loaded": loaded}
    if up:
        facts["vectors"] = vector_index(kernel).count()
    return up, f"{detail}; {model}", facts


def health_checks(kernel: Kernel) -> list[HealthCheck]:
    """Search's part of /healthz: the keyword index and the vector index (both core)."""
    return [
        HealthCheck("index", lambda: search_index(kernel).ping()),
        HealthCheck("vectors", lambda: vector_status(kernel)),
    ]
