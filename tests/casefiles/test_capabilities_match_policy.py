"""The capabilities that decide the menu agree with the rules that decide the pages, so a
role is offered a page exactly when the page has something for it."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.matter_lists import my_matters
from casefiles.policy import deadline_scope, visible_cases_filter
from casefiles.reports import can_view_dashboard
from mizan.accounts.roles import Capability, Role, capabilities_of
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor


def _actor(role: Role) -> Actor:
    return Actor(user_id="u1", username="someone", roles=frozenset({role}), district="KHI-S")


def _has_deadlines(actor: Actor) -> bool:
    try:
        deadline_scope(actor)
    except PermissionDenied:
        return False
    return True


def _has_own_matters(actor: Actor) -> bool:
    try:
        my_matters(None, actor, dt.date(2026, 1, 1))  # type: ignore[arg-type]
    except PermissionDenied:
        return False
    except AttributeError:  # past the role check, at the (absent) store
        return True
    return True


@pytest.mark.parametrize("role", list(Role))
def test_menu_capabilities_follow_the_page_rules(role: Role) -> None:
    actor, caps = _actor(role), capabilities_of({role})
    assert (Capability.VIEW_CASES in caps) == (visible_cases_filter(actor) is not None)
    assert (Capability.VIEW_DEADLINES in caps) == _has_deadlines(actor)
    assert (Capability.VIEW_DASHBOARD in caps) == can_view_dashboard(actor)
    assert (Capability.OWN_MATTERS in caps) == _has_own_matters(actor)
