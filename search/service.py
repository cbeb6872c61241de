"""Search as a user: the permission filter is derived from the user and applied in the engine."""

from __future__ import annotations

from collections.abc import Mapping

from casefiles.policy import search_principals
from mizan.accounts.roles import Capability
from mizan.accounts.service import require
from mizan.actor import Actor
from mizan.kernel import Kernel
from search import hybrid
from search.hybrid import DEFAULT_MODE, check_mode
from search.port import SearchResult

PER_PAGE = 20


def search_documents(
    kernel: Kernel,
    actor: Actor,
    query: str,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    mode: str = DEFAULT_MODE,
    filters: Mapping[str, str] | None = None,
) -> SearchResult:
    """One page of the documents `actor` may see; `mode` is keyword, semantic or hybrid."""
    require(actor, Capability.SEARCH)
    check_mode(mode)
    principals = search_principals(kernel.store, actor)
    return hybrid.search(
        kernel.index,
        kernel.vectors,
        kernel.embedder,
        query.strip(),
        mode=mode,
        principals=principals,
        filters=filters,
        limit=per_page,
        offset=(max(page, 1) - 1) * per_page,
    )
