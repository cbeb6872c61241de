"""Who may search, checked at the search services the pages call."""

from __future__ import annotations

import pytest

from casefiles.models import Case
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from search.precedents import precedents_for_case
from search.saved import list_saved
from search.service import require_searcher, search_documents


def _actor(demo, username: str):
    return actor_for(demo.store.find_one(User, {"username": username}))


def test_searching_needs_the_search_capability(demo) -> None:
    require_searcher(_actor(demo, "pp.rahim"))
    admin = _actor(demo, "admin")  # administrators manage users; they do not search
    for call in (
        lambda: require_searcher(admin),
        lambda: search_documents(demo, admin, "murder"),
        lambda: list_saved(demo, admin),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_case_precedents_refuse_before_looking_at_the_case(demo) -> None:
    from casefiles.service import CaseNotFound

    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    with pytest.raises(PermissionDenied):
        precedents_for_case(demo, _actor(demo, "admin"), case.id)
    with pytest.raises(CaseNotFound):
        precedents_for_case(demo, _actor(demo, "pp.hyd"), case.id)
