"""Search as a user: the permission filter is derived from the user and applied in the engine."""

from __future__ import annotations

from collections.abc import Mapping

from casefiles.policy import search_principals
from mizan.accounts.roles import Capability
from mizan.accounts.service import require
from mizan.actor import Actor
from mizan.kernel import Kernel
from search.port import SearchResult

PER_PAGE = 20


def search_documents(
    kernel: Kernel,
    actor: Actor,
    query: str,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    filters: Mapping[str, str] | None = None,
    sort: str = "relevance",
    facets: bool = False,
) -> SearchResult:
    require(actor, Capability.SEARCH)
    principals = search_principals(kernel.store, actor)
    return kernel.index.search(
        query.strip(),
        principals=principals,
        limit=per_page,
        offset=(max(page, 1) - 1) * per_page,
        filters=filters,
        sort=sort,
        facets=facets,
    )
